import { describe, expect, it } from "vitest";
import { Plan, PlannedResource } from "../../plan/contract";
import { PlanWithPolicy, diffPlans, valueChanges } from "../../plan/diff/diff";
import { renderPlanDiff } from "../../plan/diff/render";
import { replaceReason } from "../../plan/diff/replaceRules";
import { EnforcementLevel } from "../../plan/policy/config";
import { PolicyViolation } from "../../plan/policy/report";
import { environment } from "./costPlanFixtures";

/** A deep copy of a plan with one resource's inputs/options edited. */
function edit(plan: Plan, name: string, change: (r: PlannedResource) => void): Plan {
  const copy = structuredClone(plan);
  const resource = copy.resources.find((r) => r.name === name);
  if (!resource) throw new Error(`no ${name}`);
  change(resource);
  return copy;
}

const compute = (r: PlannedResource) => (r.inputs.properties as { properties: Record<string, unknown> }).properties;

describe("valueChanges", () => {
  it("lists leaf paths with array indexes, and added or removed keys", () => {
    expect(valueChanges({ a: { b: 1, c: [1, 2] }, d: "x" }, { a: { b: 2, c: [1, 3, 4] }, e: true })).toEqual([
      { path: "a.b", before: 1, after: 2 },
      { path: "a.c[1]", before: 2, after: 3 },
      { path: "a.c[2]", before: undefined, after: 4 },
      { path: "d", before: "x", after: undefined },
      { path: "e", before: undefined, after: true },
    ]);
  });
});

describe("replaceReason", () => {
  const { r } = environment({ clusters: 1 });
  it("knows the create-only inputs of the main azure-native types", () => {
    expect(replaceReason(r.storage, "accountName")).toBe("accountName is create-only");
    expect(replaceReason(r.vault, "vaultName")).toBe("vaultName is create-only");
    expect(replaceReason(r.workspace, "workspaceName")).toBe("workspaceName is create-only");
    expect(replaceReason(r.logs, "workspaceName")).toBe("workspaceName is create-only");
    expect(replaceReason(r.cluster0, "computeName")).toBe("computeName is create-only");
    expect(replaceReason(r.cluster0, "properties.properties.vmSize")).toBe(
      "properties.properties.vmSize is create-only",
    );
    expect(replaceReason(r.cluster0, "properties.properties.subnet.id")).toBe(
      "properties.properties.subnet is create-only",
    );
    expect(replaceReason(r.storage, "location")).toBe("location cannot change in place");
    expect(replaceReason(r.storage, "resourceGroupName")).toBe("resourceGroupName is create-only");
    expect(replaceReason(r.ra, "principalId")).toBe("principalId is create-only");
  });

  it("treats other inputs as in-place updates", () => {
    expect(replaceReason(r.storage, "tags.environment")).toBeUndefined();
    expect(replaceReason(r.storage, "networkRuleSet.defaultAction")).toBeUndefined();
    expect(replaceReason(r.cluster0, "properties.properties.scaleSettings.maxNodeCount")).toBeUndefined();
    // A name-like prefix is not a match: `accountNameSuffix` is not `accountName`.
    expect(replaceReason(r.storage, "accountNameSuffix")).toBeUndefined();
  });

  it("honours the resource's replaceOnChanges, with wildcards", () => {
    const withOption = {
      ...r.vault,
      options: { ...r.vault.options, replaceOnChanges: ["properties.networkAcls.*", "tags[*]"] },
    };
    expect(replaceReason(withOption, "properties.networkAcls.defaultAction")).toBe(
      "replaceOnChanges: properties.networkAcls.*",
    );
    expect(replaceReason(withOption, "properties.enableRbacAuthorization")).toBeUndefined();
  });
});

describe("diffPlans", () => {
  it("reports added, removed and changed resources, and which changes replace", async () => {
    const base = environment({ clusters: 2 }).builder.build();
    let head = environment({ clusters: 1, deployments: 1 }).builder.build();
    head = edit(head, "env-storage", (s) => {
      s.inputs.accountName = "sttest2";
      s.inputs.tags = { environment: "dev" };
    });
    head = edit(head, "env-cluster-0", (c) => {
      compute(c).vmSize = "Standard_E4s_v3";
      (compute(c).scaleSettings as Record<string, unknown>).maxNodeCount = 8;
    });
    head = edit(head, "env-vault", (v) => {
      v.inputs.properties = { ...(v.inputs.properties as object), enablePurgeProtection: true };
      v.options.protect = true;
    });
    const diff = await diffPlans(base, head);

    expect(diff.added.map((r) => r.name).sort()).toEqual(["env-endpoint-0", "env-endpoint-0-blue"]);
    expect(diff.removed.map((r) => r.name)).toEqual(["env-cluster-1"]);
    const changed = Object.fromEntries(diff.changed.map((c) => [c.name, c]));
    expect(Object.keys(changed).sort()).toEqual(["env-cluster-0", "env-storage", "env-vault"]);

    expect(changed["env-storage"].replaced).toBe(true);
    expect(changed["env-storage"].changes).toEqual([
      {
        path: "accountName",
        before: "sttest",
        after: "sttest2",
        replaces: "accountName is create-only",
        ignored: false,
      },
      { path: "tags", before: undefined, after: { environment: "dev" }, ignored: false },
    ]);
    expect(changed["env-cluster-0"].changes).toEqual([
      { path: "properties.properties.scaleSettings.maxNodeCount", before: 4, after: 8, ignored: false },
      {
        path: "properties.properties.vmSize",
        before: "Standard_D4s_v3",
        after: "Standard_E4s_v3",
        replaces: "properties.properties.vmSize is create-only",
        ignored: false,
      },
    ]);
    expect(changed["env-vault"]).toMatchObject({
      replaced: false,
      optionChanges: [{ path: "options.protect", before: false, after: true }],
    });
    expect(diff.unchanged).toBe(diff.base.resources - diff.removed.length - diff.changed.length);
  });

  it("does not count changes the head ignores (ignoreChanges) as updates or replacements", async () => {
    const base = environment().builder.build();
    let head = edit(base, "env-workspace", (w) => {
      w.inputs.managedNetwork = { ...(w.inputs.managedNetwork as object), outboundRules: {} };
      w.options.ignoreChanges = ["managedNetwork.outboundRules"];
    });
    head = edit(head, "env-log", (l) => (l.inputs.location = "northeurope"));
    const diff = await diffPlans(base, head);
    const workspace = diff.changed.find((c) => c.name === "env-workspace");
    expect(workspace?.replaced).toBe(false);
    expect(workspace?.changes.every((c) => c.ignored && c.replaces === undefined)).toBe(true);
    expect(diff.changed.find((c) => c.name === "env-log")).toMatchObject({
      replaced: true,
      changes: [expect.objectContaining({ path: "location", replaces: "location cannot change in place" })],
    });
  });

  it("computes the fixed cost delta, per resource", async () => {
    const base = environment({ clusters: 1 }).builder.build();
    const head = environment({ clusters: 3, deployments: 1 }).builder.build();
    const diff = await diffPlans(base, head);
    const perNode = 0.24 * 730;
    expect(diff.cost.deltaMonthly).toBeCloseTo(3 * perNode, 1);
    expect(diff.cost.byResource.map((r) => [r.name, r.delta])).toEqual([
      ["env-cluster-1", Math.round(perNode * 100) / 100],
      ["env-cluster-2", Math.round(perNode * 100) / 100],
      ["env-endpoint-0-blue", Math.round(perNode * 100) / 100],
    ]);
    // Both plans have a managed network whose own private endpoints cannot be priced.
    expect(diff.cost.incomplete).toBe(true);
  });

  it("flags protected resources that the change would delete or replace", async () => {
    const base = edit(environment().builder.build(), "env-storage", (s) => (s.options.protect = true));
    const head = edit(base, "env-storage", (s) => (s.inputs.location = "northeurope"));
    const diff = await diffPlans(base, head);
    expect(diff.protectedDeletions.map((r) => r.name)).toEqual(["env-storage"]);
    expect(renderPlanDiff(diff, { format: "markdown" })).toContain(
      "> [!CAUTION]\n> Protected resources would be deleted or replaced, which `pulumi up` refuses: env-storage.",
    );
  });

  it("lists new and fixed policy violations when the plans carry a policy result", async () => {
    const violation = (policy: string, name: string, level: EnforcementLevel = "mandatory"): PolicyViolation => ({
      policy,
      enforcementLevel: level,
      urn: `urn:pulumi:test::secure-azureml::azure-native:storage:StorageAccount::${name}`,
      message: `${policy} failed\n${name} fails ${policy}`,
    });
    const base: PlanWithPolicy = {
      ...environment().builder.build(),
      policy: {
        verdict: "failed",
        violations: [violation("storage-tls", "env-storage"), violation("kv-purge", "env-vault", "advisory")],
      },
    };
    const head: PlanWithPolicy = {
      ...environment().builder.build(),
      policy: {
        verdict: "failed",
        violations: [violation("storage-tls", "env-storage"), violation("acr-admin", "env-registry")],
      },
    };
    const diff = await diffPlans(base, head);
    expect(diff.policy?.introduced.map((v) => v.policy)).toEqual(["acr-admin"]);
    expect(diff.policy?.fixed.map((v) => v.policy)).toEqual(["kv-purge"]);
    const markdown = renderPlanDiff(diff, { format: "markdown" });
    expect(markdown).toContain(
      "### New policy violations\n\n| level | policy | resource | message |\n| --- | --- | --- | --- |\n| mandatory | acr-admin | env-registry | env-registry fails acr-admin |",
    );
    expect(markdown).toContain(
      "### Fixed policy violations\n\n| level | policy | resource | message |\n| --- | --- | --- | --- |\n| advisory | kv-purge | env-vault | env-vault fails kv-purge |",
    );
    // On the console every table fits the terminal's width, the long message wrapped, not cut.
    const long = { ...violation("acr-admin", "env-registry"), message: `acr-admin failed: ${"word ".repeat(40)}end` };
    const wide = await diffPlans(base, { ...head, policy: { verdict: "failed", violations: [long] } });
    const text = renderPlanDiff(wide, { width: 60 });
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(60);
    const messageColumn = text
      .split("\n")
      .filter((line) => line.startsWith("│ mandatory") || line.startsWith("│          "))
      .map((line) => line.split("│")[4]?.trim() ?? "")
      .join(" ");
    expect(messageColumn).toContain(`acr-admin failed: ${"word ".repeat(40)}end`);
    // Without a policy result on either side there is no policy section.
    const plain = await diffPlans(environment().builder.build(), environment().builder.build());
    expect(plain.policy).toBeUndefined();
    expect(renderPlanDiff(plain)).toContain("No resource changes.");
  });

  it("renders the changes with their effect for a PR comment", async () => {
    const base = environment({ clusters: 1 }).builder.build();
    const head = edit(base, "env-cluster-0", (c) => (compute(c).vmSize = "Standard_NC4as_T4_v3"));
    const markdown = renderPlanDiff(await diffPlans(base, head), { format: "markdown" });
    expect(markdown).toContain("## Plan diff: `secure-azureml/test` (base, ");
    expect(markdown).toContain("| changed | 1 (1 replaced) |");
    expect(markdown).toContain(
      "| env-cluster-0 | machinelearningservices:Compute | `properties.properties.vmSize` | Standard_D4s_v3 → Standard_NC4as_T4_v3 | **replace**: properties.properties.vmSize is create-only |",
    );
    expect(markdown).toMatch(
      /\| fixed monthly cost \| \$[\d,.]+ → \$[\d,.]+ \(\+\$[\d,.]+\), some items of unknown price on either side \|/,
    );
  });
});
