import { beforeAll, describe, expect, it } from "vitest";
import { AZURE_MONITOR_PRIVATE_DNS_ZONES, azureMonitorPrivateDnsZoneNames } from "secure-azureml-facts";
import { monitorPrivateLinkScopeArgsProblem } from "../../components/monitorPrivateLinkScope";
import { Plan } from "../../plan/contract";
import { idOf, one, ofType, planWith } from "../support/plan";
import { T, planStackFile, privateEndpointWiring, zoneIdsByName } from "../support/stack";

const SCOPE = "azure-native:monitor:PrivateLinkScope";
const SCOPED = "azure-native:monitor:PrivateLinkScopedResource";
const ZONE = "azure-native:privatedns:PrivateZone";
const LINK = "azure-native:privatedns:VirtualNetworkLink";
const ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup";
const LOG = "azure-native:operationalinsights:Workspace";
const APPI = "azure-native:applicationinsights:Component";
const RG = "rg-ampls-test";
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net";
const SUBNET = `${SUB}/providers/Microsoft.Network/virtualNetworks/vnet-x/subnets/snet-pe`;
const VNET = `${SUB}/providers/Microsoft.Network/virtualNetworks/vnet-x`;
const LOG_ID = `${SUB}/providers/Microsoft.OperationalInsights/workspaces/log-x`;
const APPI_ID = `${SUB}/providers/Microsoft.Insights/components/appi-x`;
const BLOB_ZONE = `${SUB}/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net`;
const PUBLIC_ZONES = [
  "privatelink.monitor.azure.com",
  "privatelink.oms.opinsights.azure.com",
  "privatelink.ods.opinsights.azure.com",
  "privatelink.agentsvc.azure-automation.net",
];

describe("Azure Monitor private DNS zones (facts)", () => {
  it("lists Microsoft's azuremonitor zones per cloud, none for China, and adds each cloud's blob zone", () => {
    expect(AZURE_MONITOR_PRIVATE_DNS_ZONES.AzureCloud).toEqual(PUBLIC_ZONES);
    expect(AZURE_MONITOR_PRIVATE_DNS_ZONES.AzureUSGovernment).toEqual([
      "privatelink.monitor.azure.us",
      "privatelink.adx.monitor.azure.us",
      "privatelink.oms.opinsights.azure.us",
      "privatelink.ods.opinsights.azure.us",
      "privatelink.agentsvc.azure-automation.us",
    ]);
    expect(AZURE_MONITOR_PRIVATE_DNS_ZONES.AzureChinaCloud).toBeUndefined();
    expect(azureMonitorPrivateDnsZoneNames("AzureCloud")).toEqual([
      ...PUBLIC_ZONES,
      "privatelink.blob.core.windows.net",
    ]);
    expect(azureMonitorPrivateDnsZoneNames("AzureUSGovernment")?.at(-1)).toBe(
      "privatelink.blob.core.usgovcloudapi.net",
    );
    expect(azureMonitorPrivateDnsZoneNames("AzureChinaCloud")).toBeUndefined();
  });
});

describe("MonitorPrivateLinkScope args", () => {
  const valid = {
    scopedResourceIds: { "log-analytics": LOG_ID },
    privateEndpoint: { subnetId: SUBNET },
  };
  it("accepts scoped resources and an endpoint", () => {
    expect(monitorPrivateLinkScopeArgsProblem(valid)).toBeUndefined();
  });
  it.each([
    [{ ...valid, scopedResourceIds: {} }, /^scopedResourceIds is empty/],
    [{ ...valid, scopedResourceIds: { "log analytics": LOG_ID } }, /^scopedResourceIds keys "log analytics" are not/],
    [
      { ...valid, privateDnsZones: { virtualNetworkId: VNET, namePrefix: "x", zoneNames: [] } },
      /^privateDnsZones.zoneNames is empty/,
    ],
    [{ ...valid, privateEndpoint: { subnetId: SUBNET, zoneIds: [] } }, /^privateEndpoint.zoneIds is empty/],
    [
      {
        ...valid,
        privateDnsZones: { virtualNetworkId: VNET, namePrefix: "x", zoneNames: [...PUBLIC_ZONES, PUBLIC_ZONES[0]] },
      },
      /^privateDnsZones.zoneNames lists privatelink.monitor.azure.com more than once: list each zone once$/,
    ],
  ])("rejects %j", (args, message) => {
    expect(monitorPrivateLinkScopeArgsProblem(args)).toMatch(message);
  });
});

describe("MonitorPrivateLinkScope", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planWith(async () => {
      const { MonitorPrivateLinkScope } = await import("../../components/monitorPrivateLinkScope");
      const placement = { resourceGroupName: RG, location: "westeurope", tags: { env: "test" } };
      new MonitorPrivateLinkScope("ampls", {
        ...placement,
        scopeName: "ampls-test",
        scopedResourceIds: { "log-analytics": LOG_ID, "app-insights": APPI_ID },
        privateEndpoint: { subnetId: SUBNET, zoneIds: [BLOB_ZONE] },
        privateDnsZones: { virtualNetworkId: VNET, namePrefix: "test", zoneNames: PUBLIC_ZONES },
      });
      new MonitorPrivateLinkScope("open", {
        ...placement,
        scopeName: "ampls-open",
        scopedResourceIds: { "log-analytics": LOG_ID },
        ingestionAccessMode: "Open",
        queryAccessMode: "Open",
        privateEndpoint: { subnetId: SUBNET },
      });
      return {};
    });
  });

  it("creates a global scope, private-only for ingestion and query by default", () => {
    expect(one(plan, SCOPE, "ampls").inputs).toEqual({
      scopeName: "ampls-test",
      resourceGroupName: RG,
      location: "global",
      tags: { env: "test" },
      accessModeSettings: { ingestionAccessMode: "PrivateOnly", queryAccessMode: "PrivateOnly" },
    });
    expect(one(plan, SCOPE, "open").inputs.accessModeSettings).toEqual({
      ingestionAccessMode: "Open",
      queryAccessMode: "Open",
    });
  });

  it("puts exactly the given Log Analytics workspace and Application Insights component in the scope", () => {
    const scoped = ofType(plan, SCOPED).filter((r) => r.name.startsWith("ampls-"));
    expect(scoped.map((r) => r.inputs).sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual([
      { name: "app-insights", scopeName: "ampls-test", resourceGroupName: RG, linkedResourceId: APPI_ID },
      { name: "log-analytics", scopeName: "ampls-test", resourceGroupName: RG, linkedResourceId: LOG_ID },
    ]);
  });

  it("creates the azuremonitor zones linked to the VNet without auto-registration", () => {
    const zones = ofType(plan, ZONE).filter((z) => z.name.startsWith("ampls-"));
    expect(zones.map((z) => z.inputs.privateZoneName).sort()).toEqual([...PUBLIC_ZONES].sort());
    for (const zone of zones) expect(zone.inputs).toMatchObject({ location: "global", resourceGroupName: RG });
    const links = ofType(plan, LINK).filter((l) => l.name.startsWith("ampls-"));
    expect(links).toHaveLength(PUBLIC_ZONES.length);
    for (const link of links)
      expect(link.inputs).toMatchObject({
        virtualNetworkLinkName: "vnetlink-test",
        virtualNetwork: { id: VNET },
        registrationEnabled: false,
        resolutionPolicy: "Default",
        location: "global",
      });
  });

  it("gives the scope one private endpoint of group azuremonitor in the subnet, with every zone in one zone group", () => {
    const wiring = privateEndpointWiring(plan)["pe-ampls-pe"];
    expect(wiring.target).toBe(idOf(one(plan, SCOPE, "ampls")));
    expect(wiring.groupIds).toEqual(["azuremonitor"]);
    expect(wiring.subnetId).toBe(SUBNET);
    expect(wiring.zoneGroups).toBe(1);
    const created = ofType(plan, ZONE)
      .filter((z) => z.name.startsWith("ampls-"))
      .map((z) => idOf(z));
    expect([...wiring.zoneIds].sort()).toEqual([...created, BLOB_ZONE].sort());
  });

  it("leaves the zone group to Azure Policy when given no zones", () => {
    expect(privateEndpointWiring(plan)["pe-open-pe"].zoneGroups).toBe(0);
    expect(ofType(plan, ZONE_GROUP).filter((g) => g.name.startsWith("open-"))).toEqual([]);
  });
});

describe("the shipped prod stack (monitoring.privateLinkScope: true)", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planStackFile("prod");
  });

  it("scopes its Log Analytics workspace and Application Insights component, private-only", () => {
    const scope = one(plan, SCOPE);
    expect(scope.inputs).toMatchObject({
      scopeName: "ampls-amlprod",
      location: "global",
      accessModeSettings: { ingestionAccessMode: "PrivateOnly", queryAccessMode: "PrivateOnly" },
    });
    expect(
      ofType(plan, SCOPED)
        .map((r) => r.inputs.linkedResourceId)
        .sort(),
    ).toEqual([idOf(one(plan, APPI)), idOf(one(plan, LOG))].sort());
  });

  it("turns public ingestion and query off on both", () => {
    for (const type of [LOG, APPI])
      expect(one(plan, type).inputs).toMatchObject({
        publicNetworkAccessForIngestion: "Disabled",
        publicNetworkAccessForQuery: "Disabled",
      });
  });

  it("places the scope's endpoint in the private endpoint subnet with the four monitor zones and the storage blob zone", () => {
    const wiring = Object.values(privateEndpointWiring(plan)).find((w) => w.groupIds.includes("azuremonitor"));
    const zones = zoneIdsByName(plan);
    const storageBlob = Object.values(privateEndpointWiring(plan)).find((w) => w.groupIds.includes("blob"));
    expect(wiring?.subnetId).toBe(storageBlob?.subnetId);
    expect([...(wiring?.zoneIds ?? [])].sort()).toEqual(
      [...PUBLIC_ZONES, "privatelink.blob.core.windows.net"].map((name) => zones[name]).sort(),
    );
    expect(
      ofType(plan, T.zone).filter((z) => z.inputs.privateZoneName === "privatelink.blob.core.windows.net"),
    ).toHaveLength(1);
  });
});

describe("the shipped dev stack (no scope)", () => {
  it("keeps public ingestion and query on, with no scope", async () => {
    const plan = await planStackFile("dev");
    expect(ofType(plan, SCOPE)).toEqual([]);
    for (const type of [LOG, APPI])
      expect(one(plan, type).inputs).toMatchObject({
        publicNetworkAccessForIngestion: "Enabled",
        publicNetworkAccessForQuery: "Enabled",
      });
  });
});
