import { describe, expect, it } from "vitest";
import { UNKNOWN } from "./support/harness";
import {
  MODES,
  Mode,
  Spec,
  compliantSpecs,
  edit,
  idOf,
  nameOf,
  render,
  rule,
  runOn,
  violationsOfAll,
} from "./fixtures/stackResources";

/** The production protection rule (policies/stack/protection.ts). */

const name = "stack-prod-data-protected";
const PROD = { environment: "prod" };
const run = (specs: Spec[], mode: Mode = "known", config: Record<string, unknown> = PROD, stack = "test") =>
  runOn(rule(name), render(specs, mode, stack), config);

const unprotected = (specs: Spec[], ...names: string[]) =>
  names.reduce(
    (acc, n) =>
      edit(acc, n, (s) => {
        s.protect = false;
      }),
    specs,
  );

const lockByScope = (key: string, scope: unknown, level: unknown = "CanNotDelete"): Spec => ({
  name: `lock-${key}`,
  type: "azure-native:authorization:ManagementLockByScope",
  props: { lockName: "do-not-delete", level, scope },
});

describe("stack-prod-data-protected", () => {
  it.each(MODES)("passes the compliant stack in prod (%s)", async (mode) => {
    expect(await run(compliantSpecs(), mode)).toEqual({ kind: "violations", messages: [] });
  });

  it("does not apply to dev stacks (the default environment)", async () => {
    expect(await run(unprotected(compliantSpecs(), "storage"), "known", {})).toEqual({ kind: "notApplicable" });
  });

  it.each(MODES)("reports an unprotected, unlocked storage account in prod, and only this rule (%s)", async (mode) => {
    const specs = unprotected(compliantSpecs(), "storage");
    expect(await run(specs, mode)).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(
          /^StorageAccount 'storage' holds data in a production stack but is neither protected \(opts\.protect\) nor covered by a CanNotDelete or ReadOnly management lock/,
        ),
      ],
    });
    expect(Object.keys(await violationsOfAll(render(specs, mode), PROD))).toEqual([name]);
  });

  it("covers Key Vault, registry, ML workspace and Log Analytics", async () => {
    const outcome = await run(unprotected(compliantSpecs(), "kv", "acr", "ws", "law"));
    expect(outcome).toEqual({
      kind: "violations",
      messages: [
        expect.stringMatching(/^Vault 'kv'/),
        expect.stringMatching(/^Registry 'acr'/),
        expect.stringMatching(/^Workspace 'ws'/),
        expect.stringMatching(/^Workspace 'law'/),
      ],
    });
  });

  it.each(MODES)("accepts a CanNotDelete or ReadOnly lock by scope instead of protect (%s)", async (mode) => {
    for (const level of ["CanNotDelete", "ReadOnly"]) {
      const specs = [...unprotected(compliantSpecs(), "storage"), lockByScope("storage", idOf("storage"), level)];
      expect(await run(specs, mode)).toEqual({ kind: "violations", messages: [] });
    }
  });

  it("reports a lock of another level, naming it", async () => {
    const specs = [
      ...unprotected(compliantSpecs(), "storage"),
      lockByScope("storage", idOf("storage"), "NotSpecified"),
    ];
    expect(await run(specs)).toEqual({
      kind: "violations",
      messages: [expect.stringMatching(/its locks ManagementLockByScope 'lock-storage' do not block deletion/)],
    });
  });

  it("does not count a lock on another resource", async () => {
    const specs = [...unprotected(compliantSpecs(), "storage"), lockByScope("kv", idOf("kv"))];
    for (const mode of MODES)
      expect(await run(specs, mode)).toMatchObject({
        kind: "violations",
        messages: [expect.stringMatching(/^StorageAccount 'storage'/)],
      });
  });

  it.each(MODES)(
    "accepts locks on the resource group, at resource level and at subscription level (%s)",
    async (mode) => {
      const base = unprotected(compliantSpecs(), "storage");
      const variants: Spec[] = [
        lockByScope("rg", idOf("rg")),
        {
          name: "lock-rg-level",
          type: "azure-native:authorization:ManagementLockAtResourceGroupLevel",
          props: { resourceGroupName: nameOf("rg"), level: "CanNotDelete" },
        },
        {
          name: "lock-resource-level",
          type: "azure-native:authorization:ManagementLockAtResourceLevel",
          props: {
            resourceGroupName: nameOf("rg"),
            resourceProviderNamespace: "Microsoft.Storage",
            resourceType: "storageAccounts",
            resourceName: nameOf("storage"),
            parentResourcePath: "",
            apiVersion: "2023-05-01",
            level: "CanNotDelete",
          },
        },
        {
          name: "lock-subscription",
          type: "azure-native:authorization:ManagementLockAtSubscriptionLevel",
          props: { level: "CanNotDelete" },
        },
      ];
      for (const lock of variants)
        expect(await run([...base, lock], mode)).toEqual({ kind: "violations", messages: [] });
    },
  );

  it("in auto mode, reads prod from the stack name (a prod token, not nonprod)", async () => {
    const specs = unprotected(compliantSpecs(), "storage");
    expect(await run(specs, "known", { environment: "auto" }, "ml-prod-weu")).toMatchObject({
      kind: "violations",
      messages: [expect.stringMatching(/^StorageAccount 'storage'/)],
    });
    expect(await run(specs, "known", { environment: "auto" }, "nonprod")).toEqual({ kind: "notApplicable" });
    expect(await run(specs, "known", { environment: "auto" }, "dev")).toEqual({ kind: "notApplicable" });
  });

  it("cannot decide when the only lock's level is unknown", async () => {
    const specs = [
      ...unprotected(compliantSpecs(), "storage"),
      lockByScope("storage", idOf("storage"), UNKNOWN.string),
    ];
    expect(await run(specs)).toEqual({ kind: "unknown" });
  });

  it("cannot decide when a lock's scope is unknown and comes from no resource of the stack", async () => {
    const specs = [...unprotected(compliantSpecs(), "storage"), lockByScope("x", UNKNOWN.string)];
    expect(await run(specs, "unknown")).toEqual({ kind: "unknown" });
  });
});
