import { describe, expect, it } from "vitest";
import { estimateCost } from "../../plan/cost/estimate";
import { PlanBuilder, RG, SUB, armId } from "./costPlanFixtures";
import { planStackFile } from "../support/stack";

/**
 * An Azure Monitor Private Link Scope and its scoped resources cost nothing themselves (no Azure
 * Monitor billing meter, Microsoft Learn "Azure Monitor billing meter names"); what the scope
 * needs to work, its private endpoint and DNS zones, is priced as usual.
 */

const SCOPE = "azure-native:monitor:PrivateLinkScope";
const SCOPED = "azure-native:monitor:PrivateLinkScopedResource";
// Bundled global prices: private endpoint $0.01/h, private DNS zone $0.50/month.
const PE = 0.01 * 730;
const ZONE = 0.5;

function scopePlan() {
  const b = new PlanBuilder();
  const rg = b.add(
    "azure-native:resources:ResourceGroup",
    "rg",
    { resourceGroupName: RG, location: "westeurope" },
    { outputs: { id: `/subscriptions/${SUB}/resourceGroups/${RG}` } },
  );
  const scopeId = armId("Microsoft.Insights/privateLinkScopes", "ampls-test");
  const scope = b.add(
    SCOPE,
    "monitor-pls",
    { scopeName: "ampls-test", resourceGroupName: RG, location: "global" },
    { inputsFrom: { resourceGroupName: [rg] }, outputs: { id: scopeId } },
  );
  for (const [key, target] of [
    ["log-analytics", armId("Microsoft.OperationalInsights/workspaces", "log-test")],
    ["app-insights", armId("Microsoft.Insights/components", "appi-test")],
  ])
    b.add(
      SCOPED,
      `monitor-pls-${key}`,
      { name: key, scopeName: "ampls-test", resourceGroupName: RG, linkedResourceId: target },
      { inputsFrom: { scopeName: [scope] } },
    );
  b.add(
    "azure-native:network:PrivateEndpoint",
    "monitor-pls-pe",
    {
      resourceGroupName: RG,
      location: "westeurope",
      privateLinkServiceConnections: [{ name: "ampls", privateLinkServiceId: scopeId, groupIds: ["azuremonitor"] }],
    },
    { inputsFrom: { privateLinkServiceConnections: [scope] } },
  );
  b.add("azure-native:privatedns:PrivateZone", "monitor-pls-zone", {
    privateZoneName: "privatelink.monitor.azure.com",
    resourceGroupName: RG,
    location: "global",
  });
  return b.build();
}

describe("cost of Azure Monitor private link", () => {
  it("prices the scope and its scoped resources at zero, and its private endpoint and zone as usual", async () => {
    const estimate = await estimateCost(scopePlan(), { prices: "bundled" });
    expect(estimate.unknownTypes).toEqual([]);
    expect(estimate.resources.map((r) => [r.type, r.name])).toEqual([
      ["azure-native:network:PrivateEndpoint", "monitor-pls-pe"],
      ["azure-native:privatedns:PrivateZone", "monitor-pls-zone"],
    ]);
    expect(estimate.totalFixedMonthly).toBeCloseTo(PE + ZONE, 2);
    expect(estimate.unpricedFixed).toEqual([]);
  });

  it("leaves no Azure Monitor private link type of unknown cost in the shipped prod plan", async () => {
    const plan = await planStackFile("prod");
    expect(plan.resources.filter((r) => r.type === SCOPE || r.type === SCOPED).map((r) => r.name)).toEqual([
      "amlprod-monitor-pls",
      "amlprod-monitor-pls-app-insights",
      "amlprod-monitor-pls-log-analytics",
    ]);
    const estimate = await estimateCost(plan, { prices: "bundled" });
    expect(estimate.unknownTypes.map((u) => u.type)).not.toContain(SCOPE);
    expect(estimate.unknownTypes.map((u) => u.type)).not.toContain(SCOPED);
  });
});
