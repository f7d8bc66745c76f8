import { beforeAll, describe, expect, it } from "vitest";
import { Plan, PlannedResource } from "../../plan/contract";
import { dependsOn, idOf, one, ofType, planWith } from "../support/plan";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const SUBNET = `${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-aml/subnets/snet-pe`;
const WORKSPACE = `${SUB}/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/log-aml`;
const REGISTRY_ZONE = `${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io`;

const REGISTRY = "azure-native:containerregistry:Registry";
const ENDPOINT = "azure-native:network:PrivateEndpoint";
const ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup";
const DIAGNOSTIC = "azure-native:monitor:DiagnosticSetting";
const LOCK = "azure-native:authorization:ManagementLockByScope";

interface Policies {
  exportPolicy: unknown;
  retentionPolicy: unknown;
  [key: string]: unknown;
}

describe("ContainerRegistry", () => {
  let plan: Plan;
  let registry: PlannedResource;
  let plainRegistry: PlannedResource;

  beforeAll(async () => {
    plan = await planWith(async () => {
      const { ContainerRegistry } = await import("../../components/containerRegistry");
      const placement = { resourceGroupName: "rg-aml", location: "westeurope", tags: { env: "test" } };
      const full = new ContainerRegistry("cr", {
        ...placement,
        registryName: "cramlx1y2z",
        zoneRedundancy: true,
        untaggedRetentionDays: 14,
        privateEndpoints: { subnetId: SUBNET, zoneIdsByGroup: { registry: [REGISTRY_ZONE] } },
        diagnostics: { logAnalyticsWorkspaceId: WORKSPACE },
        lock: true,
        protect: true,
      });
      new ContainerRegistry("crplain", {
        ...placement,
        registryName: "crplainq7w8",
        zoneRedundancy: false,
        untaggedRetentionDays: 0,
        privateEndpoints: { subnetId: SUBNET },
      });
      const rejected: string[] = [];
      try {
        new ContainerRegistry("crnozones", {
          ...placement,
          registryName: "crnozonesa1b2",
          zoneRedundancy: true,
          untaggedRetentionDays: 7,
          privateEndpoints: { subnetId: SUBNET, zoneIdsByGroup: { vault: [REGISTRY_ZONE] } },
        });
      } catch (error) {
        rejected.push((error as Error).message);
      }
      return {
        rejected,
        id: full.id,
        name: full.name,
        loginServer: full.loginServer,
        endpointGroups: Object.keys(full.privateEndpoints),
      };
    });
    registry = one(plan, REGISTRY, "cr");
    plainRegistry = one(plan, REGISTRY, "crplain");
  });

  it("creates every resource synchronously (nothing inside apply)", () => {
    expect(plan.lateRegistrations).toEqual([]);
  });

  it("exposes the registry's id, name and login server and endpoints keyed by group id", () => {
    expect(idOf(registry)).toBe(
      `${SUB}/resourceGroups/rg-aml/providers/Microsoft.ContainerRegistry/registries/cramlx1y2z`,
    );
    expect(plan.outputs.id).toBe(idOf(registry));
    expect(plan.outputs.name).toBe("cramlx1y2z");
    expect(plan.outputs.loginServer).toBe("cramlx1y2z.azurecr.io");
    expect(plan.outputs.endpointGroups).toEqual(["registry"]);
  });

  it("is a Premium registry with the requested name, zone redundancy and tags", () => {
    expect(registry.inputs.sku).toEqual({ name: "Premium" });
    expect(registry.inputs.registryName).toBe("cramlx1y2z");
    expect(registry.inputs.resourceGroupName).toBe("rg-aml");
    expect(registry.inputs.location).toBe("westeurope");
    expect(registry.inputs.tags).toEqual({ env: "test" });
    expect(registry.inputs.zoneRedundancy).toBe("Enabled");
    expect(plainRegistry.inputs.zoneRedundancy).toBe("Disabled");
  });

  it("accepts Entra ID tokens only: no admin user, no anonymous pull", () => {
    expect(registry.inputs.adminUserEnabled).toBe(false);
    expect(registry.inputs.anonymousPullEnabled).toBe(false);
  });

  it("has no public network access, a deny-by-default firewall and trusted services for Azure ML image builds", () => {
    expect(registry.inputs.publicNetworkAccess).toBe("Disabled");
    expect(registry.inputs.networkRuleSet).toEqual({ defaultAction: "Deny", ipRules: [] });
    expect(registry.inputs.networkRuleBypassOptions).toBe("AzureServices");
  });

  it("accepts only ACR-audience Entra tokens, not tokens issued for Azure Resource Manager", () => {
    expect((registry.inputs.policies as Policies).azureADAuthenticationAsArmPolicy).toEqual({ status: "disabled" });
    expect((plainRegistry.inputs.policies as Policies).azureADAuthenticationAsArmPolicy).toEqual({
      status: "disabled",
    });
  });

  it("serves layers from its dedicated data endpoint", () => {
    expect(registry.inputs.dataEndpointEnabled).toBe(true);
  });

  it("blocks artifact export and purges untagged manifests after the retention days", () => {
    const policies = registry.inputs.policies as Policies;
    expect(policies.exportPolicy).toEqual({ status: "disabled" });
    expect(policies.retentionPolicy).toEqual({ status: "enabled", days: 14 });
    expect((plainRegistry.inputs.policies as Policies).retentionPolicy).toEqual({ status: "enabled", days: 0 });
  });

  it("puts a private endpoint (group registry) on the registry with the registry zone", () => {
    const endpoint = one(plan, ENDPOINT, "cr-registry");
    expect(endpoint.inputs.privateLinkServiceConnections).toEqual([
      { name: "pe-cr-registry", privateLinkServiceId: idOf(registry), groupIds: ["registry"] },
    ]);
    expect((endpoint.inputs.subnet as { id: string }).id).toBe(SUBNET);
    const wrapper = one(plan, "secure-azureml:index:PrivateEndpoint", "cr-registry");
    expect(endpoint.parent).toBe(wrapper.urn);
    expect(wrapper.parent).toBe(one(plan, "secure-azureml:index:ContainerRegistry", "cr").urn);
    const zoneGroup = one(plan, ZONE_GROUP, "cr-registry-dns");
    expect(zoneGroup.inputs.privateEndpointName).toBe("pe-cr-registry");
    expect(zoneGroup.inputs.privateDnsZoneConfigs).toEqual([
      { name: "privatelink-azurecr-io", privateDnsZoneId: REGISTRY_ZONE },
    ]);
  });

  it("creates the endpoint without a zone group when zones are left to Azure Policy", () => {
    const endpoint = one(plan, ENDPOINT, "crplain-registry");
    expect(endpoint.inputs.privateLinkServiceConnections).toEqual([
      { name: "pe-crplain-registry", privateLinkServiceId: idOf(plainRegistry), groupIds: ["registry"] },
    ]);
    expect(ofType(plan, ZONE_GROUP).filter((r) => r.name.startsWith("crplain-"))).toEqual([]);
  });

  it("sends all logs and all metrics to the workspace", () => {
    const diag = one(plan, DIAGNOSTIC, "cr-diag");
    expect(diag.inputs.resourceUri).toBe(idOf(registry));
    expect(diag.inputs.workspaceId).toBe(WORKSPACE);
    expect(diag.inputs.logAnalyticsDestinationType).toBe("Dedicated");
    expect(diag.inputs.logs).toEqual([{ categoryGroup: "allLogs", enabled: true }]);
    expect(diag.inputs.metrics).toEqual([{ category: "AllMetrics", enabled: true }]);
    expect(ofType(plan, DIAGNOSTIC).filter((r) => r.name.startsWith("crplain"))).toEqual([]);
  });

  it("locks the registry when asked, after its endpoint and diagnostics so destroy removes the lock first", () => {
    const lock = one(plan, LOCK, "cr-lock");
    expect(lock.inputs.scope).toBe(idOf(registry));
    expect(lock.inputs.level).toBe("CanNotDelete");
    expect(dependsOn(plan, lock, one(plan, ENDPOINT, "cr-registry"))).toBe(true);
    expect(dependsOn(plan, lock, one(plan, DIAGNOSTIC, "cr-diag"))).toBe(true);
    expect(ofType(plan, LOCK).filter((r) => r.name.startsWith("crplain"))).toEqual([]);
  });

  it("rejects zones that miss one of its groups before creating anything", () => {
    expect(plan.outputs.rejected).toEqual([
      "container registry crnozones: privateEndpoints.zoneIdsByGroup has no private DNS zones for group registry",
    ]);
    expect(plan.resources.filter((r) => r.name.startsWith("crnozones") && r.custom)).toEqual([]);
  });

  it("protects the registry only when asked", () => {
    expect(registry.options.protect).toBe(true);
    expect(plainRegistry.options.protect).toBe(false);
  });
});

describe("registryArgsProblems", () => {
  it("accepts 0-365 untagged retention days", async () => {
    const { registryArgsProblems } = await import("../../components/containerRegistry");
    expect(registryArgsProblems({ untaggedRetentionDays: 0 })).toEqual([]);
    expect(registryArgsProblems({ untaggedRetentionDays: 365 })).toEqual([]);
    expect(registryArgsProblems({ untaggedRetentionDays: 366 })).toEqual([
      "registry.untaggedRetentionDays is 366: it must be a whole number of days from 0 to 365",
    ]);
    expect(registryArgsProblems({ untaggedRetentionDays: 1.5 })).toHaveLength(1);
  });
});
