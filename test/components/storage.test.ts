import { beforeAll, describe, expect, it } from "vitest";
import { Plan, PlannedResource } from "../../plan/contract";
import { dependsOn, idOf, one, ofType, planWith } from "../support/plan";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const SUBNET = `${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-aml/subnets/snet-pe`;
const WORKSPACE = `${SUB}/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/log-aml`;
const zone = (name: string) => `${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/${name}`;
const ZONES = {
  blob: [zone("privatelink.blob.core.windows.net")],
  file: [zone("privatelink.file.core.windows.net")],
  dfs: [zone("privatelink.dfs.core.windows.net")],
};

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const registryId = (name: string) =>
  `${SUB}/resourceGroups/rg-ml-shared/providers/Microsoft.MachineLearningServices/registries/${name}`;

const ACCOUNT = "azure-native:storage:StorageAccount";
const ENDPOINT = "azure-native:network:PrivateEndpoint";
const ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup";
const DIAGNOSTIC = "azure-native:monitor:DiagnosticSetting";
const LOCK = "azure-native:authorization:ManagementLockByScope";

describe("Storage", () => {
  let plan: Plan;
  let account: PlannedResource;
  let plainAccount: PlannedResource;

  beforeAll(async () => {
    plan = await planWith(async () => {
      const { Storage } = await import("../../components/storage");
      const placement = { resourceGroupName: "rg-aml", location: "westeurope", tags: { env: "test" } };
      const full = new Storage("st", {
        ...placement,
        accountName: "stamlx1y2z",
        sku: "Standard_ZRS",
        softDeleteRetentionDays: 21,
        privateEndpointGroups: ["blob", "file", "dfs"],
        privateEndpoints: { subnetId: SUBNET, zoneIdsByGroup: ZONES },
        diagnostics: { logAnalyticsWorkspaceId: WORKSPACE },
        lock: true,
        protect: true,
      });
      new Storage("stplain", {
        ...placement,
        accountName: "stplainq7w8",
        sku: "Standard_LRS",
        softDeleteRetentionDays: 7,
        privateEndpointGroups: ["blob", "file"],
        privateEndpoints: { subnetId: SUBNET },
      });
      const rejected: string[] = [];
      try {
        new Storage("stnozones", {
          ...placement,
          accountName: "stnozonesa1b2",
          sku: "Standard_ZRS",
          softDeleteRetentionDays: 7,
          privateEndpointGroups: ["blob", "file"],
          privateEndpoints: { subnetId: SUBNET, zoneIdsByGroup: { blob: ZONES.blob } },
        });
      } catch (error) {
        rejected.push((error as Error).message);
      }
      const pulumi = await import("@pulumi/pulumi");
      new Storage("stshare", {
        ...placement,
        accountName: "stshareq7w8",
        sku: "Standard_LRS",
        softDeleteRetentionDays: 7,
        privateEndpointGroups: ["blob", "file"],
        privateEndpoints: { subnetId: SUBNET },
        registryAccess: {
          registryIds: [registryId("mlr-amlprod"), pulumi.output(registryId("mlr-contoso"))],
          tenantId: pulumi.output(TENANT),
        },
      });
      const rejectedAccess: string[] = [];
      for (const [key, registryIds] of [
        ["none", []],
        ["acr", [`${SUB}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/crprod`]],
      ] as const) {
        try {
          new Storage(`streject${key}`, {
            ...placement,
            accountName: `streject${key}`,
            sku: "Standard_LRS",
            softDeleteRetentionDays: 7,
            privateEndpointGroups: ["blob", "file"],
            privateEndpoints: { subnetId: SUBNET },
            registryAccess: { registryIds: [...registryIds], tenantId: TENANT },
          });
        } catch (error) {
          rejectedAccess.push((error as Error).message);
        }
      }
      return {
        rejected,
        rejectedAccess,
        id: full.id,
        name: full.name,
        endpointGroups: Object.keys(full.privateEndpoints),
      };
    });
    account = one(plan, ACCOUNT, "st");
    plainAccount = one(plan, ACCOUNT, "stplain");
  });

  it("creates every resource synchronously (nothing inside apply)", () => {
    expect(plan.lateRegistrations).toEqual([]);
  });

  it("exposes the account's id and name and endpoints keyed by group id", () => {
    expect(plan.outputs.id).toBe(idOf(account));
    expect(plan.outputs.name).toBe("stamlx1y2z");
    expect(plan.outputs.endpointGroups).toEqual(["blob", "file", "dfs"]);
    expect(idOf(account)).toBe(`${SUB}/resourceGroups/rg-aml/providers/Microsoft.Storage/storageAccounts/stamlx1y2z`);
  });

  it("is a hot general-purpose v2 account with the requested SKU, name and tags", () => {
    expect(account.inputs.kind).toBe("StorageV2");
    expect(account.inputs.accessTier).toBe("Hot");
    expect(account.inputs.sku).toEqual({ name: "Standard_ZRS" });
    expect(plainAccount.inputs.sku).toEqual({ name: "Standard_LRS" });
    expect(account.inputs.accountName).toBe("stamlx1y2z");
    expect(account.inputs.resourceGroupName).toBe("rg-aml");
    expect(account.inputs.location).toBe("westeurope");
    expect(account.inputs.tags).toEqual({ env: "test" });
  });

  it("accepts Entra ID only: no shared keys, SAS, local users, SFTP or NFS", () => {
    expect(account.inputs.allowSharedKeyAccess).toBe(false);
    expect(account.inputs.defaultToOAuthAuthentication).toBe(true);
    expect(account.inputs.isLocalUserEnabled).toBe(false);
    expect(account.inputs.isSftpEnabled).toBe(false);
    expect(account.inputs.enableNfsV3).toBe(false);
  });

  it("allows no anonymous, cross-tenant or out-of-tenant copies and only HTTPS with TLS 1.2+", () => {
    expect(account.inputs.allowBlobPublicAccess).toBe(false);
    expect(account.inputs.allowCrossTenantReplication).toBe(false);
    expect(account.inputs.allowedCopyScope).toBe("AAD");
    expect(account.inputs.minimumTlsVersion).toBe("TLS1_2");
    expect(account.inputs.enableHttpsTrafficOnly).toBe(true);
  });

  it("has no public network access and a deny-by-default firewall with no rules", () => {
    expect(account.inputs.publicNetworkAccess).toBe("Disabled");
    expect(account.inputs.networkRuleSet).toEqual({
      defaultAction: "Deny",
      bypass: "AzureServices",
      ipRules: [],
      virtualNetworkRules: [],
    });
    expect(plainAccount.inputs.publicNetworkAccess).toBe("Disabled");
    expect(plainAccount.inputs.networkRuleSet).toEqual({
      defaultAction: "Deny",
      bypass: "AzureServices",
      ipRules: [],
      virtualNetworkRules: [],
    });
  });

  it("with registryAccess, opens the public endpoint behind a deny-all firewall that admits exactly one resource instance per registry", () => {
    const shared = one(plan, ACCOUNT, "stshare");
    expect(shared.inputs.publicNetworkAccess).toBe("Enabled");
    expect(shared.inputs.networkRuleSet).toEqual({
      defaultAction: "Deny",
      bypass: "AzureServices",
      ipRules: [],
      virtualNetworkRules: [],
      resourceAccessRules: [
        { tenantId: TENANT, resourceId: registryId("mlr-amlprod") },
        { tenantId: TENANT, resourceId: registryId("mlr-contoso") },
      ],
    });
    // Everything else stays as private and key-less as without it, and the private endpoints stay.
    expect(shared.inputs.allowSharedKeyAccess).toBe(false);
    expect(shared.inputs.allowBlobPublicAccess).toBe(false);
    expect(
      ofType(plan, ENDPOINT)
        .filter((r) => r.name.startsWith("stshare-"))
        .map((r) => r.name),
    ).toEqual(["stshare-blob", "stshare-file"]);
  });

  it("rejects registryAccess without registries or with an id that is not an Azure ML registry, before creating anything", () => {
    expect(plan.outputs.rejectedAccess).toEqual([
      "storage strejectnone: registryAccess.registryIds is empty: list at least one Azure ML registry id, or leave registryAccess unset (public network access Disabled)",
      `storage strejectacr: registryAccess.registryIds has ${SUB}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/crprod: it must be an Azure ML registry resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.MachineLearningServices/registries/<name>)`,
    ]);
    expect(plan.resources.filter((r) => r.name.startsWith("streject") && r.custom)).toEqual([]);
  });

  it("has a flat namespace and infrastructure (double) encryption with account-scoped keys", () => {
    expect(account.inputs.isHnsEnabled).toBe(false);
    expect(account.inputs.encryption).toEqual({
      keySource: "Microsoft.Storage",
      requireInfrastructureEncryption: true,
      services: {
        blob: { enabled: true, keyType: "Account" },
        file: { enabled: true, keyType: "Account" },
        queue: { enabled: true, keyType: "Account" },
        table: { enabled: true, keyType: "Account" },
      },
    });
  });

  it("versions blobs and soft-deletes blobs and containers for the retention days", () => {
    const blob = one(plan, "azure-native:storage:BlobServiceProperties", "st-blob-service");
    expect(blob.inputs.accountName).toBe("stamlx1y2z");
    expect(blob.inputs.resourceGroupName).toBe("rg-aml");
    expect(blob.inputs.blobServicesName).toBe("default");
    expect(blob.inputs.isVersioningEnabled).toBe(true);
    expect(blob.inputs.deleteRetentionPolicy).toEqual({ enabled: true, days: 21, allowPermanentDelete: false });
    expect(blob.inputs.containerDeleteRetentionPolicy).toEqual({ enabled: true, days: 21 });
    expect(dependsOn(plan, blob, account)).toBe(true);
    const plainBlob = one(plan, "azure-native:storage:BlobServiceProperties", "stplain-blob-service");
    expect(plainBlob.inputs.deleteRetentionPolicy).toEqual({ enabled: true, days: 7, allowPermanentDelete: false });
  });

  it("soft-deletes file shares for the retention days", () => {
    const file = one(plan, "azure-native:storage:FileServiceProperties", "st-file-service");
    expect(file.inputs.accountName).toBe("stamlx1y2z");
    expect(file.inputs.fileServicesName).toBe("default");
    expect(file.inputs.shareDeleteRetentionPolicy).toEqual({ enabled: true, days: 21 });
  });

  it("puts one private endpoint per group on the account, in the subnet, with that group's zones", () => {
    const component = one(plan, "secure-azureml:index:Storage", "st");
    for (const group of ["blob", "file", "dfs"] as const) {
      const endpoint = one(plan, ENDPOINT, `st-${group}`);
      expect(endpoint.inputs.privateLinkServiceConnections).toEqual([
        { name: `pe-st-${group}`, privateLinkServiceId: idOf(account), groupIds: [group] },
      ]);
      expect((endpoint.inputs.subnet as { id: string }).id).toBe(SUBNET);
      const wrapper = one(plan, "secure-azureml:index:PrivateEndpoint", `st-${group}`);
      expect(endpoint.parent).toBe(wrapper.urn);
      expect(wrapper.parent).toBe(component.urn);
      const zoneGroup = one(plan, ZONE_GROUP, `st-${group}-dns`);
      expect(zoneGroup.inputs.privateEndpointName).toBe(`pe-st-${group}`);
      expect(
        (zoneGroup.inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[]).map((c) => c.privateDnsZoneId),
      ).toEqual(ZONES[group]);
    }
    expect(ofType(plan, ENDPOINT).filter((r) => r.name.startsWith("st-"))).toHaveLength(3);
  });

  it("creates endpoints without zone groups when zones are left to Azure Policy", () => {
    for (const group of ["blob", "file"]) {
      const endpoint = one(plan, ENDPOINT, `stplain-${group}`);
      expect(endpoint.inputs.privateLinkServiceConnections).toEqual([
        { name: `pe-stplain-${group}`, privateLinkServiceId: idOf(plainAccount), groupIds: [group] },
      ]);
    }
    expect(ofType(plan, ZONE_GROUP).filter((r) => r.name.startsWith("stplain-"))).toEqual([]);
  });

  it("sends account metrics and blob/file logs and metrics to the workspace", () => {
    const transaction = [{ category: "Transaction", enabled: true }];
    const accountDiag = one(plan, DIAGNOSTIC, "st-diag");
    expect(accountDiag.inputs.resourceUri).toBe(idOf(account));
    expect(accountDiag.inputs.workspaceId).toBe(WORKSPACE);
    expect(accountDiag.inputs.logAnalyticsDestinationType).toBe("Dedicated");
    expect(accountDiag.inputs.logs).toEqual([]);
    expect(accountDiag.inputs.metrics).toEqual(transaction);
    for (const service of ["blob", "file"]) {
      const diag = one(plan, DIAGNOSTIC, `st-${service}-service-diag`);
      expect(diag.inputs.resourceUri).toBe(`${idOf(account)}/${service}Services/default`);
      expect(diag.inputs.workspaceId).toBe(WORKSPACE);
      expect(diag.inputs.logs).toEqual([{ categoryGroup: "allLogs", enabled: true }]);
      expect(diag.inputs.metrics).toEqual(transaction);
    }
    expect(ofType(plan, DIAGNOSTIC).filter((r) => r.name.startsWith("stplain"))).toEqual([]);
  });

  it("locks the account when asked, after its endpoints and diagnostics so destroy removes the lock first", () => {
    const lock = one(plan, LOCK, "st-lock");
    expect(lock.inputs.scope).toBe(idOf(account));
    expect(lock.inputs.level).toBe("CanNotDelete");
    for (const group of ["blob", "file", "dfs"])
      expect(dependsOn(plan, lock, one(plan, ENDPOINT, `st-${group}`))).toBe(true);
    expect(dependsOn(plan, lock, one(plan, DIAGNOSTIC, "st-blob-service-diag"))).toBe(true);
    expect(ofType(plan, LOCK).filter((r) => r.name.startsWith("stplain"))).toEqual([]);
  });

  it("rejects zones that miss one of its groups before creating anything", () => {
    expect(plan.outputs.rejected).toEqual([
      "storage stnozones: privateEndpoints.zoneIdsByGroup has no private DNS zones for group file",
    ]);
    expect(plan.resources.filter((r) => r.name.startsWith("stnozones") && r.custom)).toEqual([]);
  });

  it("protects the account only when asked", () => {
    expect(account.options.protect).toBe(true);
    expect(plainAccount.options.protect).toBe(false);
  });
});

describe("storageArgsProblems", () => {
  it("requires blob and file endpoints, each once, and 1-365 retention days", async () => {
    const { storageArgsProblems } = await import("../../components/storage");
    expect(storageArgsProblems({ privateEndpointGroups: ["blob", "file"], softDeleteRetentionDays: 14 })).toEqual([]);
    expect(storageArgsProblems({ privateEndpointGroups: ["blob"], softDeleteRetentionDays: 14 })).toEqual([
      "storage.privateEndpoints is [blob]: it must include file (Azure ML uses blob for datastores and file for notebooks)",
    ]);
    expect(
      storageArgsProblems({ privateEndpointGroups: ["blob", "file", "blob"], softDeleteRetentionDays: 14 }),
    ).toEqual(["storage.privateEndpoints lists blob more than once; list each sub-resource once"]);
    expect(storageArgsProblems({ privateEndpointGroups: ["blob", "file"], softDeleteRetentionDays: 0 })).toEqual([
      "storage.softDeleteRetentionDays is 0: it must be a whole number of days from 1 to 365",
    ]);
  });
});
