import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { PolicyReport } from "../../plan/policy/report";
import { DEFAULT_PACK_DIR, PolicyPackError, packLoaderFromEnv, runPolicyCheck } from "../../plan/policy/runner";
import { planStackFile } from "../support/stack";

/**
 * The two ways the planner starts a pack give the same answers: the prebuilt JavaScript pack
 * served by servePack.cjs (the default) and the CLI's own run-policy-pack loading the TypeScript
 * sources through ts-node (what `pulumi preview --policy-pack policies` does without a build).
 */
const FIXTURE_PACK = resolve(__dirname, "../fixtures/policy-pack");

/** One policy check with the pack's sources forced (load.js reads POLICY_PACK_FROM_SOURCE when the pack starts). */
async function checkFromSources(plan: Plan): Promise<PolicyReport> {
  const previous = process.env.POLICY_PACK_FROM_SOURCE;
  process.env.POLICY_PACK_FROM_SOURCE = "1";
  try {
    return await runPolicyCheck(plan, { loader: "run-policy-pack" });
  } finally {
    if (previous === undefined) delete process.env.POLICY_PACK_FROM_SOURCE;
    else process.env.POLICY_PACK_FROM_SOURCE = previous;
  }
}

describe("policy pack loaders", () => {
  let plan: Plan;
  let prebuilt: PolicyReport;
  let sources: PolicyReport;
  beforeAll(async () => {
    plan = await planStackFile("dev");
    prebuilt = await runPolicyCheck(plan, { loader: "prebuilt" });
    sources = await checkFromSources(plan);
  }, 240_000);

  it("serves the shipped pack prebuilt and through run-policy-pack from its sources", () => {
    expect(prebuilt.packLoad?.kind).toBe("prebuilt");
    expect(sources.packLoad).toMatchObject({ kind: "run-policy-pack", note: "chosen" });
  });

  it("reports the same pack, policies, violations and remediations either way", () => {
    expect(prebuilt.pack).toEqual(sources.pack);
    expect(prebuilt.policyCount).toBe(sources.policyCount);
    expect(prebuilt.resourceCount).toBe(plan.resources.length);
    expect(prebuilt.violations).toEqual(sources.violations);
    expect(prebuilt.counts).toEqual(sources.counts);
    expect(prebuilt.remediations).toEqual(sources.remediations);
    expect(prebuilt.warnings).toEqual(sources.warnings);
  });

  it("leaves a pack that is not prebuildable to run-policy-pack, and refuses it when prebuilt is demanded", async () => {
    const fixturePlan: Plan = { ...plan, resources: plan.resources.slice(0, 3) };
    const auto = await runPolicyCheck(fixturePlan, { packDir: FIXTURE_PACK, configFile: null });
    expect(auto.packLoad).toMatchObject({ kind: "run-policy-pack" });
    expect(auto.packLoad?.note).toContain("does not name load.js as main");
    await expect(
      runPolicyCheck(fixturePlan, { packDir: FIXTURE_PACK, configFile: null, loader: "prebuilt" }),
    ).rejects.toThrow(/cannot be served prebuilt: .*does not name load\.js as main/);
  }, 120_000);

  it("reads the loader from PLAN_POLICY_PACK_LOADER and names the variable on a bad value", () => {
    expect(packLoaderFromEnv({})).toBe("auto");
    expect(packLoaderFromEnv({ PLAN_POLICY_PACK_LOADER: "run-policy-pack" })).toBe("run-policy-pack");
    expect(() => packLoaderFromEnv({ PLAN_POLICY_PACK_LOADER: "fast" })).toThrow(PolicyPackError);
    expect(() => packLoaderFromEnv({ PLAN_POLICY_PACK_LOADER: "fast" })).toThrow(
      'PLAN_POLICY_PACK_LOADER is "fast"; accepted: auto, prebuilt, run-policy-pack',
    );
  });

  it("uses the shipped pack folder", () => {
    expect(DEFAULT_PACK_DIR).toBe(resolve(__dirname, "../../policies"));
  });
});
