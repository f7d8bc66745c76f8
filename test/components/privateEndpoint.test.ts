import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { one, ofType, planWith } from "../support/plan";

const STORAGE_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stx";
const BLOB_ZONE =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/hub/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net";
const SUBNET =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe";

describe("PrivateEndpoint", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planWith(async () => {
      const { PrivateEndpoint } = await import("../../components/privateEndpoint");
      new PrivateEndpoint("st-blob", {
        resourceGroupName: "rg",
        location: "westeurope",
        targetResourceId: STORAGE_ID,
        groupId: "blob",
        subnetId: SUBNET,
        zoneIds: [BLOB_ZONE],
      });
      new PrivateEndpoint("st-file", {
        resourceGroupName: "rg",
        location: "westeurope",
        targetResourceId: STORAGE_ID,
        groupId: "file",
        subnetId: SUBNET,
      });
      return {};
    });
  });

  it("connects to the target with the group id, automatically approved, in the subnet", () => {
    const pe = one(plan, "azure-native:network:PrivateEndpoint", "st-blob");
    expect(pe.inputs.privateLinkServiceConnections).toEqual([
      { name: "pe-st-blob", privateLinkServiceId: STORAGE_ID, groupIds: ["blob"] },
    ]);
    expect(pe.inputs.manualPrivateLinkServiceConnections).toBeUndefined();
    expect((pe.inputs.subnet as { id: string }).id).toBe(SUBNET);
  });

  it("puts every zone in exactly one zone group on the endpoint", () => {
    const groups = ofType(plan, "azure-native:network:PrivateDnsZoneGroup");
    expect(groups).toHaveLength(1);
    expect(groups[0].inputs.privateEndpointName).toBe("pe-st-blob");
    expect(groups[0].inputs.privateDnsZoneConfigs).toEqual([
      { name: "privatelink-blob-core-windows-net", privateDnsZoneId: BLOB_ZONE },
    ]);
  });

  it("leaves the zone group to Azure Policy when no zones are given", () => {
    const pe = one(plan, "azure-native:network:PrivateEndpoint", "st-file");
    expect(
      plan.resources.some((r) => r.type === "azure-native:network:PrivateDnsZoneGroup" && r.parent === pe.parent),
    ).toBe(false);
  });
});
