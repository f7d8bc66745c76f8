import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { PolicyConfigError, parsePolicyPackConfig } from "../../plan/policy/config";
import { readPlanFile } from "../../plan/policy/planFile";
import { PolicyViolation, verdictLine } from "../../plan/policy/report";
import { renderReport } from "../../plan/report/renderPolicy";
import { analyzeRequest, analyzeStackRequest, durationSeconds, resourceOptions } from "../../plan/policy/request";
import { PolicyPackError, PolicyPackSession, checkPlan } from "../../plan/policy/runner";

/**
 * The offline policy check against a test-only pack (test/fixtures/policy-pack: a mandatory and an
 * advisory resource rule, and a mandatory stack rule), served by @pulumi/pulumi's run-policy-pack
 * and driven over the Analyzer gRPC service. One pack process serves the whole file.
 */
const PACK = resolve(__dirname, "../fixtures/policy-pack");
const PLANS = join(PACK, "plans");
const URN = {
  component: "urn:pulumi:test::demo::demo:index:Data::data",
  good: "urn:pulumi:test::demo::demo:index:Data$azure-native:storage:StorageAccount::good",
  weak: "urn:pulumi:test::demo::demo:index:Data$azure-native:storage:StorageAccount::weak",
};

const HTTPS: PolicyViolation = {
  policy: "fixture-storage-https-only",
  enforcementLevel: "mandatory",
  severity: "high",
  urn: URN.weak,
  message: "Storage accounts accept HTTPS only.\nenableHttpsTrafficOnly is false",
  stage: "resource",
};
const PRIVATE_ENDPOINT: PolicyViolation = {
  policy: "fixture-storage-private-endpoint",
  enforcementLevel: "mandatory",
  severity: "critical",
  urn: URN.weak,
  message:
    "Every storage account has a private endpoint.\nstorage account weak (id /subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/weak, parent data) has no private endpoint",
  stage: "stack",
};
const TAG: PolicyViolation = {
  policy: "fixture-required-tag",
  enforcementLevel: "advisory",
  severity: "low",
  urn: URN.weak,
  message: `Resources that take tags carry the required tag.\ntags has no "owner" (protect=true, ignoreChanges=tags, createSeconds=0, parent=${URN.component})`,
  stage: "resource",
};

describe("offline policy check (test-only pack)", () => {
  let session: PolicyPackSession | undefined;
  let violating: Plan;
  let compliant: Plan;
  const check = (plan: Plan, config: Record<string, unknown> = {}) =>
    checkPlan(session!, plan, { source: null, config: parsePolicyPackConfig(JSON.stringify(config)) });

  beforeAll(async () => {
    violating = readPlanFile(join(PLANS, "violating.json"));
    compliant = readPlanFile(join(PLANS, "compliant.json"));
    session = await PolicyPackSession.start({ packDir: PACK, project: "demo", stack: "test" });
  });
  afterAll(async () => {
    await session?.close();
  });

  it("reads the pack's name, version and policies with GetAnalyzerInfo", async () => {
    const info = await session!.info();
    expect(info.name).toBe("offline-check-fixture");
    expect(info.version).toBe("1.2.3");
    expect(info.policies.map((p) => [p.name, p.kind, p.enforcementLevel, p.severity])).toEqual([
      ["fixture-required-tag", "resource", "advisory", "low"],
      ["fixture-storage-https-only", "resource", "mandatory", "high"],
      ["fixture-storage-private-endpoint", "stack", "mandatory", "critical"],
    ]);
    expect(info.policies[0].configSchema?.properties.tag).toEqual({ type: "string", default: "owner" });
  });

  it("reports exactly the violations of the weakened resource: Analyze on inputs, AnalyzeStack on outputs", async () => {
    const report = await check(violating);
    expect(report.violations).toEqual([HTTPS, PRIVATE_ENDPOINT, TAG]);
    expect(report.counts).toEqual({ mandatory: 2, advisory: 1 });
    expect(report.pack).toEqual({ name: "offline-check-fixture", version: "1.2.3" });
    expect(report.policyCount).toBe(3);
    expect(report.resourceCount).toBe(4);
    expect(report.remediations).toEqual([]);
    expect(verdictLine(report)).toBe(
      "FAIL: 2 mandatory violations (1 advisory violation; offline-check-fixture@1.2.3, 3 policies)",
    );
  });

  it("passes a compliant plan (the stack rule follows property dependencies)", async () => {
    const report = await check(compliant);
    expect(report.violations).toEqual([]);
    expect(verdictLine(report)).toBe(
      "PASS: no mandatory violation (0 advisory violations; offline-check-fixture@1.2.3, 3 policies)",
    );
  });

  it("applies a config file: a disabled policy, a changed level and a changed property", async () => {
    const report = await check(violating, {
      "fixture-storage-https-only": "disabled",
      "fixture-storage-private-endpoint": { enforcementLevel: "advisory" },
      "fixture-required-tag": { enforcementLevel: "mandatory", tag: "env" },
    });
    // `weak` has an env tag now; `good` has not (its 1h30m create timeout arrives as seconds).
    expect(report.violations).toEqual([
      {
        policy: "fixture-required-tag",
        enforcementLevel: "mandatory",
        severity: "low",
        urn: URN.good,
        message: `Resources that take tags carry the required tag.\ntags has no "env" (protect=false, ignoreChanges=, createSeconds=5400, parent=${URN.component})`,
        stage: "resource",
      },
      { ...PRIVATE_ENDPOINT, enforcementLevel: "advisory" },
    ]);
    expect(report.counts).toEqual({ mandatory: 1, advisory: 1 });
  });

  it('applies "all" before the per-policy entries, as the CLI does', async () => {
    const report = await check(violating, { all: "advisory", "fixture-storage-https-only": "mandatory" });
    expect(report.violations).toEqual([HTTPS, TAG, { ...PRIVATE_ENDPOINT, enforcementLevel: "advisory" }]);
  });

  it("runs remediate-level policies first and analyzes the remediated inputs, as the engine does", async () => {
    const report = await check(violating, { "fixture-storage-https-only": "remediate" });
    expect(report.remediations).toEqual([{ policy: "fixture-storage-https-only", urn: URN.weak }]);
    expect(report.violations).toEqual([PRIVATE_ENDPOINT, TAG]);
  });

  it("rejects config the CLI rejects, and warns about policies the pack does not have", async () => {
    await expect(check(violating, { "fixture-required-tag": { tag: 5 } })).rejects.toThrow(PolicyConfigError);
    await expect(check(violating, { "fixture-required-tag": { tag: 5 } })).rejects.toThrow(
      /validating policy config: offline-check-fixture 1\.2\.3\n {2}- fixture-required-tag: tag: .*expected string/,
    );
    await expect(check(violating, { "no-such-policy": { limit: 3 } })).rejects.toThrow(
      /"no-such-policy", which the pack .* does not have, without an enforcementLevel/,
    );
    expect(() => parsePolicyPackConfig(JSON.stringify({ "fixture-storage-https-only": "strict" }))).toThrow(
      /"strict" is not a valid enforcement level/,
    );
    expect(() => parsePolicyPackConfig("[1]")).toThrow(/must be a JSON object/);
    const report = await check(compliant, { "no-such-policy": "advisory" });
    expect(report.warnings).toEqual([
      'policy config names "no-such-policy", which the pack offline-check-fixture 1.2.3 does not have; it has no effect',
    ]);
  });

  it("renders each violation with policy, level, resource URN and message, then the verdict", async () => {
    const text = renderReport(await check(violating));
    expect(text).toContain("Policy pack offline-check-fixture@1.2.3: 3 policies on 4 resources, config: pack defaults");
    expect(text).toContain(
      `[mandatory, high] fixture-storage-https-only\n  resource: ${URN.weak}\n  Storage accounts accept HTTPS only.\n  enableHttpsTrafficOnly is false`,
    );
    expect(text).toContain("[advisory, low] fixture-required-tag");
    expect(text.trimEnd().split("\n").pop()).toBe(
      "FAIL: 2 mandatory violations (1 advisory violation; offline-check-fixture@1.2.3, 3 policies)",
    );
  });
});

describe("renderReport", () => {
  it("prints a policy's description once per resource, then each finding's detail", () => {
    const urn = "urn:pulumi:dev::p::azure-native:applicationinsights:Component::appi";
    const finding = (detail: string) => ({
      policy: "appi-public-network",
      enforcementLevel: "advisory" as const,
      severity: "medium" as const,
      urn,
      message: `Components should block public networks.\n${detail}`,
    });
    const text = renderReport({
      pack: { name: "pack", version: "1.0.0" },
      policyCount: 1,
      resourceCount: 1,
      configSource: null,
      violations: [finding("query is Enabled."), finding("ingestion is Enabled.")],
      counts: { mandatory: 0, advisory: 2 },
      remediations: [],
      warnings: [],
      packOutput: [],
      timings: { startMs: 0, analyzeMs: 0 },
    });
    expect(text).toContain(
      `\n[advisory, medium] appi-public-network\n  resource: ${urn}\n  Components should block public networks.\n  ingestion is Enabled.\n  query is Enabled.\n`,
    );
    expect(text.split("Components should block public networks.")).toHaveLength(2);
  });
});

describe("Analyzer requests", () => {
  const plan = readPlanFile(join(PLANS, "violating.json"));
  const byName = (name: string) => plan.resources.find((r) => r.name === name)!;

  it("always sets AnalyzerResourceOptions (the policy SDK refuses requests without them)", () => {
    const options = resourceOptions(byName("weak"));
    expect(options.getProtect()).toBe(true);
    expect(options.getIgnorechangesList()).toEqual(["tags"]);
    expect(options.getParent()).toBe(URN.component);
    const good = analyzeRequest(byName("good")).getOptions()!;
    expect([
      good.getCustomtimeouts()?.getCreate(),
      good.getCustomtimeouts()?.getUpdate(),
      good.getCustomtimeouts()?.getDelete(),
    ]).toEqual([5400, 0, 1800]);
  });

  it("sends inputs without engine-internal keys to Analyze, and outputs with dependencies to AnalyzeStack", () => {
    const request = analyzeRequest(byName("weak"));
    expect(request.getName()).toBe("weak");
    expect(request.getProperties()?.toJavaScript()).toEqual({
      accountName: "weak",
      enableHttpsTrafficOnly: false,
      tags: { env: "test" },
    });
    const stack = analyzeStackRequest(plan.resources).getResourcesList();
    const pe = stack.find((r) => r.getName() === "good-pe")!;
    expect(pe.getDependenciesList()).toEqual([URN.good]);
    expect(pe.getPropertydependenciesMap().get("privateLinkServiceConnections")?.getUrnsList()).toEqual([URN.good]);
    expect(pe.getProperties()?.toJavaScript().id).toMatch(/privateEndpoints\/good-pe$/);
    expect(stack.find((r) => r.getName() === "data")?.getParent()).toBe("");
  });

  it("reads Go durations the way the engine does", () => {
    expect(durationSeconds("60m")).toBe(3600);
    expect(durationSeconds("1h30m")).toBe(5400);
    expect(durationSeconds("1.5h")).toBe(5400);
    expect(durationSeconds("90s")).toBe(90);
    expect(durationSeconds(undefined)).toBe(0);
    expect(() => durationSeconds("30 minutes")).toThrow(/invalid duration/);
  });
});

describe("pack start failures", () => {
  it("reports a pack that fails to load with its own error output, as the CLI shows it", async () => {
    process.env.FIXTURE_FAIL_AT_LOAD = "1";
    try {
      await expect(
        PolicyPackSession.start({ packDir: resolve(__dirname, "../fixtures/policy-pack-broken") }),
      ).rejects.toThrow(/failed to start \(exit 32\):\n.*\n\s+Error: fixture pack failing at load on purpose/);
    } finally {
      delete process.env.FIXTURE_FAIL_AT_LOAD;
    }
  });

  it("names a directory without PulumiPolicy.yaml, or without the pack's dependencies", async () => {
    await expect(PolicyPackSession.start({ packDir: resolve(__dirname, "../fixtures") })).rejects.toThrow(
      /failed to load Pulumi policy project/,
    );
    const outside = mkdtempSync(join(tmpdir(), "policy-pack-"));
    writeFileSync(join(outside, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    await expect(PolicyPackSession.start({ packDir: outside })).rejects.toThrow(PolicyPackError);
    await expect(PolicyPackSession.start({ packDir: outside })).rejects.toThrow(/dependencies are not installed/);
  });
});
