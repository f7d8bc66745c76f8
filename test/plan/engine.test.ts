import { describe, expect, it } from "vitest";
import { planWith } from "../support/plan";

/** The offline engine must not hide mistakes: late registrations, unknown types and invokes surface. */
describe("offline engine", () => {
  it("reports resources created inside .apply() as late registrations", async () => {
    const plan = await planWith(async () => {
      const pulumi = await import("@pulumi/pulumi");
      const managedidentity = await import("@pulumi/azure-native/managedidentity");
      const early = new managedidentity.UserAssignedIdentity("early", {
        resourceGroupName: "rg",
        resourceName: "id-early",
      });
      early.name.apply(
        (n) => new managedidentity.UserAssignedIdentity("late", { resourceGroupName: "rg", resourceName: `${n}-late` }),
      );
      return { early: pulumi.output(early.id) };
    });
    expect(plan.lateRegistrations).toEqual([
      "urn:pulumi:test::secure-azureml::azure-native:managedidentity:UserAssignedIdentity::late",
    ]);
    expect(plan.outputs.early).toBe(
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-early",
    );
  });

  it("fails loudly on a resource type it cannot give an id", async () => {
    const run = planWith(async () => {
      const compute = await import("@pulumi/azure-native/compute");
      new compute.AvailabilitySet("avset", { resourceGroupName: "rg" });
      return {};
    });
    await expect(run).rejects.toThrow(/no id rule for azure-native:compute:AvailabilitySet/);
  });

  it("fails loudly on an invoke it does not answer", async () => {
    const run = planWith(async () => {
      const resources = await import("@pulumi/azure-native/resources");
      await resources.getResourceGroup({ resourceGroupName: "rg" });
      return {};
    });
    await expect(run).rejects.toThrow(/does not answer the invoke azure-native:resources:getResourceGroup/);
  });
});
