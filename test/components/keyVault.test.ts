import { beforeAll, describe, expect, it } from "vitest";
import { Plan, PlannedResource } from "../../plan/contract";
import { dependsOn, idOf, one, ofType, planWith } from "../support/plan";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const TENANT = "11111111-1111-1111-1111-111111111111";
const SUBNET = `${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-aml/subnets/snet-pe`;
const WORKSPACE = `${SUB}/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/log-aml`;
const VAULT_ZONE = `${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;

const VAULT = "azure-native:keyvault:Vault";
const ENDPOINT = "azure-native:network:PrivateEndpoint";
const ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup";
const DIAGNOSTIC = "azure-native:monitor:DiagnosticSetting";
const LOCK = "azure-native:authorization:ManagementLockByScope";

interface VaultProperties {
  [key: string]: unknown;
}

describe("KeyVault", () => {
  let plan: Plan;
  let vault: PlannedResource;
  let plainVault: PlannedResource;
  let disposableVault: PlannedResource;
  let properties: VaultProperties;

  beforeAll(async () => {
    plan = await planWith(async () => {
      const { KeyVault } = await import("../../components/keyVault");
      const placement = { resourceGroupName: "rg-aml", location: "westeurope", tags: { env: "test" } };
      const full = new KeyVault("kv", {
        ...placement,
        vaultName: "kv-aml-x1y2z",
        tenantId: TENANT,
        sku: "premium",
        softDeleteRetentionDays: 30,
        privateEndpoints: { subnetId: SUBNET, zoneIdsByGroup: { vault: [VAULT_ZONE] } },
        diagnostics: { logAnalyticsWorkspaceId: WORKSPACE },
        lock: true,
        protect: true,
      });
      new KeyVault("kvplain", {
        ...placement,
        vaultName: "kv-plain-q7w8",
        tenantId: TENANT,
        sku: "standard",
        privateEndpoints: { subnetId: SUBNET },
      });
      new KeyVault("kvdev", {
        ...placement,
        vaultName: "kv-dev-m8n9",
        tenantId: TENANT,
        sku: "standard",
        purgeProtection: false,
        privateEndpoints: { subnetId: SUBNET },
      });
      const rejected: string[] = [];
      try {
        new KeyVault("kvnozones", {
          ...placement,
          vaultName: "kv-nozones-a1b2",
          tenantId: TENANT,
          sku: "standard",
          privateEndpoints: { subnetId: SUBNET, zoneIdsByGroup: { blob: [VAULT_ZONE] } },
        });
      } catch (error) {
        rejected.push((error as Error).message);
      }
      return {
        rejected,
        id: full.id,
        name: full.name,
        vaultUri: full.vaultUri,
        endpointGroups: Object.keys(full.privateEndpoints),
      };
    });
    vault = one(plan, VAULT, "kv");
    plainVault = one(plan, VAULT, "kvplain");
    disposableVault = one(plan, VAULT, "kvdev");
    properties = vault.inputs.properties as VaultProperties;
  });

  it("purge protection: on by default; off leaves the property unset, never false (Azure accepts only true), soft delete stays on (deploy-audit M8)", async () => {
    expect((plainVault.inputs.properties as VaultProperties).enablePurgeProtection).toBe(true);
    const disposable = disposableVault.inputs.properties as VaultProperties;
    expect(disposable).not.toHaveProperty("enablePurgeProtection");
    expect(disposable.enableSoftDelete).toBe(true);
    expect(disposable.softDeleteRetentionInDays).toBe(90);
    const { purgeProtectionProperty } = await import("../../components/keyVault");
    expect([purgeProtectionProperty(undefined), purgeProtectionProperty(true), purgeProtectionProperty(false)]).toEqual(
      [true, true, undefined],
    );
  });

  it("creates every resource synchronously (nothing inside apply)", () => {
    expect(plan.lateRegistrations).toEqual([]);
  });

  it("exposes the vault's id, name and URI and endpoints keyed by group id", () => {
    expect(idOf(vault)).toBe(`${SUB}/resourceGroups/rg-aml/providers/Microsoft.KeyVault/vaults/kv-aml-x1y2z`);
    expect(plan.outputs.id).toBe(idOf(vault));
    expect(plan.outputs.name).toBe("kv-aml-x1y2z");
    expect(plan.outputs.vaultUri).toBe("https://kv-aml-x1y2z.vault.azure.net/");
    expect(plan.outputs.endpointGroups).toEqual(["vault"]);
  });

  it("is created with the requested name, tenant, SKU and tags", () => {
    expect(vault.inputs.vaultName).toBe("kv-aml-x1y2z");
    expect(vault.inputs.resourceGroupName).toBe("rg-aml");
    expect(vault.inputs.location).toBe("westeurope");
    expect(vault.inputs.tags).toEqual({ env: "test" });
    expect(properties.tenantId).toBe(TENANT);
    expect(properties.sku).toEqual({ family: "A", name: "premium" });
    expect((plainVault.inputs.properties as VaultProperties).sku).toEqual({ family: "A", name: "standard" });
  });

  it("authorizes data access with Azure RBAC only, with no access policies", () => {
    expect(properties.enableRbacAuthorization).toBe(true);
    expect(properties.accessPolicies).toEqual([]);
  });

  it("soft-deletes with purge protection for the retention days (90 by default)", () => {
    expect(properties.enableSoftDelete).toBe(true);
    expect(properties.enablePurgeProtection).toBe(true);
    expect(properties.softDeleteRetentionInDays).toBe(30);
    expect((plainVault.inputs.properties as VaultProperties).softDeleteRetentionInDays).toBe(90);
  });

  it("has no public network access and a deny-by-default firewall with no rules", () => {
    expect(properties.publicNetworkAccess).toBe("Disabled");
    expect(properties.networkAcls).toEqual({
      defaultAction: "Deny",
      bypass: "AzureServices",
      ipRules: [],
      virtualNetworkRules: [],
    });
  });

  it("lets no VM, disk encryption or ARM template deployment read secrets", () => {
    expect(properties.enabledForDeployment).toBe(false);
    expect(properties.enabledForDiskEncryption).toBe(false);
    expect(properties.enabledForTemplateDeployment).toBe(false);
  });

  it("puts a private endpoint (group vault) on the vault with the vault zone", () => {
    const endpoint = one(plan, ENDPOINT, "kv-vault");
    expect(endpoint.inputs.privateLinkServiceConnections).toEqual([
      { name: "pe-kv-vault", privateLinkServiceId: idOf(vault), groupIds: ["vault"] },
    ]);
    expect((endpoint.inputs.subnet as { id: string }).id).toBe(SUBNET);
    const wrapper = one(plan, "secure-azureml:index:PrivateEndpoint", "kv-vault");
    expect(endpoint.parent).toBe(wrapper.urn);
    expect(wrapper.parent).toBe(one(plan, "secure-azureml:index:KeyVault", "kv").urn);
    const zoneGroup = one(plan, ZONE_GROUP, "kv-vault-dns");
    expect(zoneGroup.inputs.privateEndpointName).toBe("pe-kv-vault");
    expect(zoneGroup.inputs.privateDnsZoneConfigs).toEqual([
      { name: "privatelink-vaultcore-azure-net", privateDnsZoneId: VAULT_ZONE },
    ]);
  });

  it("creates the endpoint without a zone group when zones are left to Azure Policy", () => {
    const endpoint = one(plan, ENDPOINT, "kvplain-vault");
    expect(endpoint.inputs.privateLinkServiceConnections).toEqual([
      { name: "pe-kvplain-vault", privateLinkServiceId: idOf(plainVault), groupIds: ["vault"] },
    ]);
    expect(ofType(plan, ZONE_GROUP).filter((r) => r.name.startsWith("kvplain-"))).toEqual([]);
  });

  it("sends all logs and all metrics to the workspace", () => {
    const diag = one(plan, DIAGNOSTIC, "kv-diag");
    expect(diag.inputs.resourceUri).toBe(idOf(vault));
    expect(diag.inputs.workspaceId).toBe(WORKSPACE);
    expect(diag.inputs.logAnalyticsDestinationType).toBe("Dedicated");
    expect(diag.inputs.logs).toEqual([{ categoryGroup: "allLogs", enabled: true }]);
    expect(diag.inputs.metrics).toEqual([{ category: "AllMetrics", enabled: true }]);
    expect(ofType(plan, DIAGNOSTIC).filter((r) => r.name.startsWith("kvplain"))).toEqual([]);
  });

  it("locks the vault when asked, after its endpoint and diagnostics so destroy removes the lock first", () => {
    const lock = one(plan, LOCK, "kv-lock");
    expect(lock.inputs.scope).toBe(idOf(vault));
    expect(lock.inputs.level).toBe("CanNotDelete");
    expect(dependsOn(plan, lock, one(plan, ENDPOINT, "kv-vault"))).toBe(true);
    expect(dependsOn(plan, lock, one(plan, DIAGNOSTIC, "kv-diag"))).toBe(true);
    expect(ofType(plan, LOCK).filter((r) => r.name.startsWith("kvplain"))).toEqual([]);
  });

  it("rejects zones that miss one of its groups before creating anything", () => {
    expect(plan.outputs.rejected).toEqual([
      "key vault kvnozones: privateEndpoints.zoneIdsByGroup has no private DNS zones for group vault",
    ]);
    expect(plan.resources.filter((r) => r.name.startsWith("kvnozones") && r.custom)).toEqual([]);
  });

  it("protects the vault only when asked", () => {
    expect(vault.options.protect).toBe(true);
    expect(plainVault.options.protect).toBe(false);
  });
});

describe("keyVaultArgsProblems", () => {
  it("accepts 7-90 retention days and the default", async () => {
    const { keyVaultArgsProblems } = await import("../../components/keyVault");
    expect(keyVaultArgsProblems({})).toEqual([]);
    expect(keyVaultArgsProblems({ softDeleteRetentionDays: 7 })).toEqual([]);
    expect(keyVaultArgsProblems({ softDeleteRetentionDays: 6 })).toEqual([
      "keyVault.softDeleteRetentionDays is 6: it must be a whole number of days from 7 to 90",
    ]);
    expect(keyVaultArgsProblems({ softDeleteRetentionDays: 91 })).toHaveLength(1);
  });
});
