import { describe, expect, it } from "vitest";
import { UNKNOWN } from "./support/harness";
import { TYPES as T } from "secure-azureml-facts";
import {
  BASE,
  MODES,
  Mode,
  Spec,
  compliantSpecs,
  edit,
  endpoint,
  idOf,
  lock,
  nameOf,
  render,
  rule,
  runOn,
  violationsOfAll,
  without,
} from "./fixtures/stackResources";

/** The violation for the fixture's storage account without a lock. */
const UNLOCKED_STORAGE =
  "StorageAccount 'storage' holds data in a production stack but no CanNotDelete or ReadOnly management lock covers it (on it, its resource group or its subscription); opts.protect alone stops only Pulumi, not a deletion from the portal, the Azure CLI or the REST API: one mistaken portal click or az command deletes it.";

/** The production protection rule (policies/stack/protection.ts). */

const name = "stack-prod-data-protected";
const PROD = { environment: "prod" };
const run = (specs: Spec[], mode: Mode = "known", config: Record<string, unknown> = PROD, stack = "test") =>
  runOn(rule(name), render(specs, mode, stack), config);

/** The compliant stack (locked and protected) with an Azure ML registry, locked too. */
const withRegistry = (): Spec[] => [
  ...compliantSpecs(),
  {
    name: "mlr",
    type: T.mlRegistry,
    props: { registryName: "mlr-ml", resourceGroupName: nameOf("rg"), publicNetworkAccess: "Disabled" },
    id: `${BASE}/Microsoft.MachineLearningServices/registries/mlr-ml`,
    azureName: "mlr-ml",
    protect: true,
  },
  ...endpoint("mlr", "mlr", "amlregistry", ["api"]),
  lock("mlr"),
];

const unprotected = (specs: Spec[], ...names: string[]) =>
  names.reduce(
    (acc, n) =>
      edit(acc, n, (s) => {
        s.protect = false;
      }),
    specs,
  );

const lockByScope = (key: string, scope: unknown, level: unknown = "CanNotDelete"): Spec => ({
  name: `lock-by-scope-${key}`,
  type: T.lockByScope,
  props: { lockName: "do-not-delete", level, scope },
});

describe("stack-prod-data-protected", () => {
  it.each(MODES)("passes the compliant stack in prod, with an ML registry (%s)", async (mode) => {
    expect(await run(compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
    expect(await run(withRegistry(), mode)).toEqual({ kind: "violations", messages: [] });
  });

  it("does not apply to dev stacks (the default environment)", async () => {
    expect(await run(without(compliantSpecs(), "lock-storage"), "known", {})).toEqual({ kind: "notApplicable" });
  });

  it.each(MODES)("reports a protected storage account without a lock, and only this rule (%s)", async (mode) => {
    const specs = without(compliantSpecs(), "lock-storage");
    expect(await run(specs, mode)).toEqual({
      kind: "violations",
      messages: [
        "StorageAccount 'storage' holds data in a production stack but no CanNotDelete or ReadOnly management lock covers it (on it, its resource group or its subscription); opts.protect alone stops only Pulumi, not a deletion from the portal, the Azure CLI or the REST API: one mistaken portal click or az command deletes it.",
      ],
    });
    expect(Object.keys(await violationsOfAll(render(specs, mode), PROD))).toEqual([name]);
  });

  it("requires a lock on Key Vault, container registry, ML registry and Log Analytics, protected or not", async () => {
    const specs = unprotected(without(withRegistry(), "lock-kv", "lock-acr", "lock-mlr", "lock-law"), "acr", "law");
    expect(await run(specs)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(/^Vault 'kv' holds data .*; opts\.protect alone stops only Pulumi/),
        expect.stringMatching(
          /^Registry 'acr' holds data in a production stack but no CanNotDelete .* subscription\): one/,
        ),
        expect.stringMatching(/^Registry 'mlr' holds data in a production stack but no CanNotDelete/),
        expect.stringMatching(/^Workspace 'law' holds data in a production stack but no CanNotDelete/),
      ],
    });
  });

  it("does not judge Application Insights (its telemetry lives in the locked Log Analytics workspace)", async () => {
    expect(await run(unprotected(compliantSpecs(), "appi"))).toEqual({ kind: "violations", messages: [] });
  });

  it.each(MODES)("accepts a CanNotDelete or ReadOnly lock whose scope is the resource's id (%s)", async (mode) => {
    for (const level of ["CanNotDelete", "ReadOnly"]) {
      const specs = [...without(compliantSpecs(), "lock-storage"), lockByScope("storage", idOf("storage"), level)];
      expect(await run(specs, mode)).toEqual({ kind: "violations", messages: [] });
    }
  });

  it("accepts a lock whose scope is the resource id written by hand", async () => {
    const specs = [
      ...without(compliantSpecs(), "lock-storage"),
      lockByScope("storage", `${BASE}/Microsoft.Storage/storageAccounts/stml`),
    ];
    for (const mode of MODES) expect(await run(specs, mode)).toEqual({ kind: "violations", messages: [] });
  });

  it("reports a lock of another level, naming it", async () => {
    const specs = [
      ...without(compliantSpecs(), "lock-storage"),
      lockByScope("storage", idOf("storage"), "NotSpecified"),
    ];
    expect(await run(specs)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(/its locks ManagementLockByScope 'lock-by-scope-storage' do not block deletion/),
      ],
    });
  });

  it("does not count a lock on another resource, nor one on a child of the resource", async () => {
    const onOther = [...without(compliantSpecs(), "lock-storage"), lockByScope("kv2", idOf("kv"))];
    const onChild = [
      ...without(compliantSpecs(), "lock-storage"),
      lockByScope("blob", `${BASE}/Microsoft.Storage/storageAccounts/stml/blobServices/default`),
    ];
    for (const specs of [onOther, onChild])
      for (const mode of MODES)
        expect(await run(specs, mode)).toEqual({
          kind: "violations",
          messages: [UNLOCKED_STORAGE],
        });
  });

  it.each(MODES)(
    "accepts locks on the resource group, at resource level and at subscription level (%s)",
    async (mode) => {
      const base = without(withRegistry(), "lock-storage", "lock-mlr");
      const variants: Spec[][] = [
        [lockByScope("rg", idOf("rg"))],
        [
          {
            name: "lock-rg-level",
            type: T.lockAtResourceGroup,
            props: { resourceGroupName: nameOf("rg"), level: "CanNotDelete" },
          },
        ],
        [
          {
            name: "lock-resource-level-storage",
            type: T.lockAtResource,
            props: {
              resourceGroupName: nameOf("rg"),
              resourceProviderNamespace: "Microsoft.Storage",
              resourceType: "storageAccounts",
              resourceName: nameOf("storage"),
              parentResourcePath: "",
              level: "CanNotDelete",
            },
          },
          {
            name: "lock-resource-level-mlr",
            type: T.lockAtResource,
            props: {
              resourceGroupName: nameOf("rg"),
              resourceProviderNamespace: "Microsoft.MachineLearningServices",
              resourceType: "registries",
              resourceName: nameOf("mlr"),
              parentResourcePath: "",
              level: "CanNotDelete",
            },
          },
        ],
        [{ name: "lock-subscription", type: T.lockAtSubscription, props: { level: "CanNotDelete" } }],
      ];
      for (const locks of variants)
        expect(await run([...base, ...locks], mode)).toEqual({ kind: "violations", messages: [] });
    },
  );

  it("accepts a protected ML workspace without a lock, and reports one neither protected nor locked", async () => {
    expect(await run(compliantSpecs())).toEqual({ kind: "violations", messages: [] });
    expect(await run(unprotected(compliantSpecs(), "ws"))).toEqual({
      kind: "violations",
      messages: [
        "Workspace 'ws' is an ML workspace of a production stack but is neither protected (opts.protect) nor covered by a CanNotDelete or ReadOnly management lock: one mistaken destroy, replacement or portal click deletes it.",
      ],
    });
    expect(await run([...unprotected(compliantSpecs(), "ws"), lock("ws")])).toEqual({
      kind: "violations",
      messages: [],
    });
  });

  it("with lockWorkspaces, requires a lock on ML workspaces too", async () => {
    const config = { ...PROD, lockWorkspaces: true };
    expect(await run(compliantSpecs(), "known", config)).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/^Workspace 'ws' is an ML workspace .* \(lockWorkspaces is on\)/)],
    });
    for (const mode of MODES)
      expect(await run([...compliantSpecs(), lock("ws")], mode, config)).toEqual({ kind: "violations", messages: [] });
  });

  it("in auto mode, reads prod from the stack name (a prod token, not nonprod)", async () => {
    const specs = without(compliantSpecs(), "lock-storage");
    expect(await run(specs, "known", { environment: "auto" }, "ml-prod-weu")).toEqual({
      kind: "violations",
      messages: [UNLOCKED_STORAGE],
    });
    expect(await run(specs, "known", { environment: "auto" }, "nonprod")).toEqual({ kind: "notApplicable" });
    expect(await run(specs, "known", { environment: "auto" }, "dev")).toEqual({ kind: "notApplicable" });
  });

  it("cannot decide when the only lock's level is unknown", async () => {
    const specs = edit(compliantSpecs(), "lock-storage", (s) => {
      s.props.level = UNKNOWN.string;
    });
    expect(await run(specs)).toEqual({ kind: "unknown" });
  });

  it("cannot decide when a lock's scope is unknown and comes from no resource of the stack", async () => {
    const specs = [...without(compliantSpecs(), "lock-storage"), lockByScope("x", UNKNOWN.string)];
    expect(await run(specs, "unknown")).toEqual({ kind: "unknown" });
  });
});
