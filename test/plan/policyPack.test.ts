import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { PolicyReport } from "../../plan/policy/report";
import { DEFAULT_PACK_DIR, runPolicyCheck } from "../../plan/policy/runner";
import { resourcePolicies } from "../../policies/rules";
import { stackPolicies } from "../../policies/stack";
import { planStackFile } from "../support/stack";

/**
 * The shipped pack (policies/) served the way `pulumi preview --policy-pack policies` serves it,
 * on the dev plan with the dev stack's default policy config. The rules change as the pack grows,
 * so this asserts that the pack loads and answers, not which violations it reports.
 */
const PACKAGE = JSON.parse(readFileSync(resolve(DEFAULT_PACK_DIR, "package.json"), "utf8")) as { version: string };

describe("the security baseline pack, offline", () => {
  let plan: Plan;
  let report: PolicyReport;
  beforeAll(async () => {
    plan = await planStackFile("dev");
    report = await runPolicyCheck(plan);
  }, 180_000);

  it("loads through run-policy-pack and reports its name and version", () => {
    expect(report.pack).toEqual({ name: "secure-azureml-baseline", version: PACKAGE.version });
    // Every rule the pack's index registers reached the Analyzer's GetAnalyzerInfo answer.
    expect(report.policyCount).toBe(resourcePolicies.length + stackPolicies.length);
  });

  it("analyzes every resource of the plan and counts violations by level", () => {
    expect(report.resourceCount).toBe(plan.resources.length);
    expect(report.counts.mandatory + report.counts.advisory).toBe(report.violations.length);
    for (const v of report.violations) expect(v.urn === "" || plan.resources.some((r) => r.urn === v.urn)).toBe(true);
  });
});
