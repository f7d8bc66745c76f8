import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { physicalName } from "../../plan/azureIds";
import { planStackFileFresh } from "../support/stack";

/** Planning twice gives the same URNs and physical names; an unrelated change renames nothing. */
function identity(plan: Plan): string[] {
  return plan.resources.map((r) => `${r.urn} => ${physicalName(r.type, r.name, r.inputs)}`);
}

describe("idempotency of the dev plan", () => {
  let first: Plan;
  let second: Plan;
  let changed: Plan;
  beforeAll(async () => {
    first = await planStackFileFresh("dev");
    second = await planStackFileFresh("dev");
    changed = await planStackFileFresh("dev", undefined, {
      "secure-azureml:tags": JSON.stringify({ environment: "dev", owner: "ml-platform" }),
      "secure-azureml:monitoring": JSON.stringify({ logRetentionDays: 60 }),
    });
  });

  it("plans the same URNs, physical names and role assignment names twice", () => {
    expect(identity(second)).toEqual(identity(first));
    const names = (p: Plan) =>
      p.resources
        .filter((r) => r.type === "azure-native:authorization:RoleAssignment")
        .map((r) => r.inputs.roleAssignmentName);
    expect(names(second)).toEqual(names(first));
  });

  it("an unrelated config change (tags, retention) renames and replaces nothing", () => {
    expect(identity(changed)).toEqual(identity(first));
    const retention = changed.resources.find((r) => r.type === "azure-native:operationalinsights:Workspace")?.inputs
      .retentionInDays;
    expect(retention).toBe(60);
  });
});
