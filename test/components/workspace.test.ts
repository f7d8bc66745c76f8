import { beforeAll, describe, expect, it } from "vitest";
import { workspaceSchema } from "../../config";
import { buildOutboundRules } from "../../platform/outboundRules";
import { managedNetworkSettings } from "../../components/machineLearningWorkspace";
import { workspaceOutboundArgs } from "../../platform/workspaceOutbound";
import { Plan, PlannedResource } from "../../plan/contract";
import { idOf, one, ofType, planWith } from "../support/plan";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const RG = "rg-mlops-test";
const IDENTITY_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-mlops-workspace`;
const STORAGE_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/stmlopsab12`;
const KEY_VAULT_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/kv-mlops-ab12`;
const REGISTRY_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.ContainerRegistry/registries/crmlopsab12`;
const APPI_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.Insights/components/appi-mlops-ab12`;
const LOG_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/log-mlops-ab12`;
const SUBNET_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/vnet-mlops/subnets/snet-private-endpoints`;
const API_ZONE = `${SUB}/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms`;
const NOTEBOOKS_ZONE = `${SUB}/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/privatelink.notebooks.azure.net`;
const CMK_VAULT_ID = `${SUB}/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv-cmk-ab12`;
const CMK_KEY_URI = "https://kv-cmk-ab12.vault.azure.net/keys/mlw-cmk/0123456789abcdef0123456789abcdef";

const WS = "azure-native:machinelearningservices:Workspace";
const PE = "azure-native:network:PrivateEndpoint";
const ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup";
const LOCK = "azure-native:authorization:ManagementLockByScope";
const DIAG = "azure-native:monitor:DiagnosticSetting";

const defaultConfig = workspaceSchema.parse({
  friendlyName: "MLOps (test)",
  description: "Private workspace for tests",
});
const cmkConfig = workspaceSchema.parse({
  highBusinessImpact: false,
  customerManagedKey: { keyVaultId: CMK_VAULT_ID, keyUri: CMK_KEY_URI },
  outbound: { mode: "AllowInternetOutbound" },
});

describe("MachineLearningWorkspace", () => {
  let plan: Plan;
  let roleAssignment: PlannedResource;

  beforeAll(async () => {
    plan = await planWith(async () => {
      const authorization = await import("@pulumi/azure-native/authorization");
      const { MachineLearningWorkspace } = await import("../../components/machineLearningWorkspace");
      const placement = { resourceGroupName: RG, location: "westeurope", tags: { env: "test" } };
      const dependencies = {
        identityId: IDENTITY_ID,
        storageAccountId: STORAGE_ID,
        keyVaultId: KEY_VAULT_ID,
        containerRegistryId: REGISTRY_ID,
        applicationInsightsId: APPI_ID,
      };
      const grant = new authorization.RoleAssignment("ra-workspace-storage", {
        roleAssignmentName: "6c1d3f0e-8a9b-5c2d-9e4f-0a1b2c3d4e5f",
        scope: STORAGE_ID,
        principalId: "7b1f2e3d-4c5b-4a69-8877-665544332211",
        principalType: "ServicePrincipal",
        roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe`,
      });
      // What the program's bridge (platform/environment.ts) passes for a validated `workspace` config.
      const fromConfig = (config: typeof defaultConfig) => ({
        friendlyName: config.friendlyName,
        description: config.description,
        highBusinessImpact: config.highBusinessImpact,
        customerManagedKey: config.customerManagedKey,
        outbound: workspaceOutboundArgs(config.outbound),
      });
      const main = new MachineLearningWorkspace(
        "mlw",
        {
          ...placement,
          ...dependencies,
          ...fromConfig(defaultConfig),
          workspaceName: "mlw-mlops-ab12",
          imageBuildComputeName: "imgbuild-kqzfam",
          privateEndpoint: { subnetId: SUBNET_ID, zoneIds: [API_ZONE, NOTEBOOKS_ZONE] },
          diagnostics: { logAnalyticsWorkspaceId: LOG_ID },
          lock: true,
          protect: true,
        },
        { dependsOn: [grant] },
      );
      new MachineLearningWorkspace("cmk", {
        ...placement,
        ...dependencies,
        ...fromConfig(cmkConfig),
        workspaceName: "mlw-cmk-ab12",
        privateEndpoint: { subnetId: SUBNET_ID },
        imageBuildComputeName: "builder-02",
      });
      return { workspaceId: main.id, workspaceName: main.name, privateEndpointId: main.privateEndpoint.id };
    });
    roleAssignment = one(plan, "azure-native:authorization:RoleAssignment", "ra-workspace-storage");
  });

  it("creates a private, identity-only workspace with a managed network provisioned now", () => {
    const ws = one(plan, WS, "mlw");
    expect(ws.inputs).toEqual({
      workspaceName: "mlw-mlops-ab12",
      resourceGroupName: RG,
      location: "westeurope",
      tags: { env: "test" },
      kind: "Default",
      sku: { name: "Basic", tier: "Basic" },
      friendlyName: "MLOps (test)",
      description: "Private workspace for tests",
      identity: { type: "UserAssigned", userAssignedIdentities: [IDENTITY_ID] },
      primaryUserAssignedIdentity: IDENTITY_ID,
      storageAccount: STORAGE_ID,
      keyVault: KEY_VAULT_ID,
      containerRegistry: REGISTRY_ID,
      applicationInsights: APPI_ID,
      publicNetworkAccess: "Disabled",
      allowPublicAccessWhenBehindVnet: false,
      systemDatastoresAuthMode: "Identity",
      managedNetwork: {
        isolationMode: "AllowOnlyApprovedOutbound",
        outboundRules: buildOutboundRules(defaultConfig.outbound),
        firewallSku: "Standard",
        enableNetworkMonitor: false, // SDK default
      },
      provisionNetworkNow: true,
      serverlessComputeSettings: { serverlessComputeNoPublicIP: true },
      imageBuildCompute: "imgbuild-kqzfam",
      hbiWorkspace: true,
      v1LegacyMode: false,
      // Off: the endpoint identity's data collection grant names the default container azureml-blobstore-<guid>,
      // which data isolation would rename to <guid>-azureml-blobstore (deploy-audit B5).
      enableDataIsolation: false,
    });
  });

  it("puts the default presets' allowlist inline as user-defined FQDN rules", () => {
    const rules = (one(plan, WS, "mlw").inputs.managedNetwork as { outboundRules: Record<string, unknown> })
      .outboundRules;
    expect(rules["fqdn-pypi_org"]).toEqual({ type: "FQDN", category: "UserDefined", destination: "pypi.org" });
    expect(rules["fqdn-huggingface_co"]).toEqual({
      type: "FQDN",
      category: "UserDefined",
      destination: "huggingface.co",
    });
    expect(rules["fqdnany-hf_co"]).toEqual({ type: "FQDN", category: "UserDefined", destination: "*.hf.co" });
    // No MCR rule: the required service-tag rules cover it (deploy-audit M7).
    expect(rules["fqdnany-data_mcr_microsoft_com"]).toBeUndefined();
    expect(Object.keys(rules)).toHaveLength(15);
  });

  it("encrypts with the customer-managed key through the user-assigned identity when configured", () => {
    const cmk = one(plan, WS, "cmk");
    expect(cmk.inputs.encryption).toEqual({
      status: "Enabled",
      identity: { userAssignedIdentity: IDENTITY_ID },
      keyVaultProperties: { keyVaultArmId: CMK_VAULT_ID, keyIdentifier: CMK_KEY_URI },
    });
    expect(cmk.inputs.hbiWorkspace).toBe(false);
    expect(cmk.inputs.imageBuildCompute).toBe("builder-02");
    expect(one(plan, WS, "mlw").inputs).not.toHaveProperty("encryption");
  });

  it("has no outbound rules and no firewall with AllowInternetOutbound", () => {
    expect(one(plan, WS, "cmk").inputs.managedNetwork).toEqual({
      isolationMode: "AllowInternetOutbound",
      outboundRules: {},
      enableNetworkMonitor: false,
    });
  });

  it("waits for the resources passed in opts.dependsOn", () => {
    expect(one(plan, WS, "mlw").dependencies).toContain(roleAssignment.urn);
    expect(one(plan, WS, "cmk").dependencies).not.toContain(roleAssignment.urn);
  });

  it("gives the workspace long timeouts for the first managed network provisioning", () => {
    for (const name of ["mlw", "cmk"])
      expect(one(plan, WS, name).options.customTimeouts).toEqual({ create: "60m", update: "60m", delete: "30m" });
  });

  it("connects one private endpoint to the workspace with group id amlworkspace", () => {
    const ws = one(plan, WS, "mlw");
    const pe = one(plan, PE, "mlw-amlworkspace");
    expect(pe.inputs.privateLinkServiceConnections).toEqual([
      { name: "pe-mlw-amlworkspace", privateLinkServiceId: idOf(ws), groupIds: ["amlworkspace"] },
    ]);
    expect(idOf(ws)).toBe(
      `${SUB}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/mlw-mlops-ab12`,
    );
    expect((pe.inputs.subnet as { id: string }).id).toBe(SUBNET_ID);
    expect(one(plan, PE, "cmk-amlworkspace").inputs.privateLinkServiceConnections).toEqual([
      { name: "pe-cmk-amlworkspace", privateLinkServiceId: idOf(one(plan, WS, "cmk")), groupIds: ["amlworkspace"] },
    ]);
  });

  it("puts the API and notebook zones in exactly one zone group, and none when Azure Policy handles zones", () => {
    const groups = ofType(plan, ZONE_GROUP);
    expect(groups).toHaveLength(1);
    expect(groups[0].inputs.privateEndpointName).toBe("pe-mlw-amlworkspace");
    expect(groups[0].inputs.privateDnsZoneConfigs).toEqual([
      { name: "privatelink-api-azureml-ms", privateDnsZoneId: API_ZONE },
      { name: "privatelink-notebooks-azure-net", privateDnsZoneId: NOTEBOOKS_ZONE },
    ]);
  });

  it("sends all logs and metrics to Log Analytics", () => {
    const diags = ofType(plan, DIAG);
    expect(diags).toHaveLength(1);
    expect(diags[0].inputs).toEqual({
      name: "to-log-analytics",
      resourceUri: idOf(one(plan, WS, "mlw")),
      workspaceId: LOG_ID,
      logAnalyticsDestinationType: "Dedicated",
      logs: [{ categoryGroup: "allLogs", enabled: true }],
      metrics: [{ category: "AllMetrics", enabled: true }],
    });
  });

  it("locks and protects the workspace (and locks its endpoint) only when asked", () => {
    const scopes = ofType(plan, LOCK).map((lock) => lock.inputs.scope);
    expect(scopes.sort()).toEqual([idOf(one(plan, PE, "mlw-amlworkspace")), idOf(one(plan, WS, "mlw"))].sort());
    for (const lock of ofType(plan, LOCK)) expect(lock.inputs.level).toBe("CanNotDelete");
    expect(one(plan, WS, "mlw").options.protect).toBe(true);
    expect(one(plan, WS, "cmk").options.protect).toBe(false);
  });

  it("parents its children to the component and exports id and name", () => {
    const component = one(plan, "secure-azureml:index:MachineLearningWorkspace", "mlw");
    expect(one(plan, WS, "mlw").parent).toBe(component.urn);
    expect(one(plan, "secure-azureml:index:PrivateEndpoint", "mlw-amlworkspace").parent).toBe(component.urn);
    expect(plan.outputs).toEqual({
      workspaceId: idOf(one(plan, WS, "mlw")),
      workspaceName: "mlw-mlops-ab12",
      privateEndpointId: idOf(one(plan, PE, "mlw-amlworkspace")),
    });
    expect(plan.lateRegistrations).toEqual([]);
  });
});

describe("managedNetworkSettings (plain outbound settings)", () => {
  const STORAGE = `${SUB}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/stmlopsab12`;
  const queue = { name: "pe-storage-queue", resourceId: STORAGE, subresource: "queue" };

  it("sends FQDN and service tag rules sorted by name, then the private endpoint rules, and the firewall SKU only with FQDN rules", () => {
    const settings = managedNetworkSettings({
      mode: "AllowOnlyApprovedOutbound",
      firewallSku: "Basic",
      fqdnRules: [{ name: "fqdn-pypi_org", destination: "pypi.org" }],
      serviceTagRules: [
        { name: "tag-azureopendatasets", serviceTag: "AzureOpenDatasets", protocol: "TCP", portRanges: "443" },
      ],
      privateEndpointRules: [queue],
    });
    expect(settings).toEqual({
      isolationMode: "AllowOnlyApprovedOutbound",
      outboundRules: {
        "fqdn-pypi_org": { type: "FQDN", category: "UserDefined", destination: "pypi.org" },
        "tag-azureopendatasets": {
          type: "ServiceTag",
          category: "UserDefined",
          destination: { serviceTag: "AzureOpenDatasets", protocol: "TCP", portRanges: "443" },
        },
        "pe-storage-queue": {
          type: "PrivateEndpoint",
          category: "UserDefined",
          destination: { serviceResourceId: STORAGE, subresourceTarget: "queue", sparkEnabled: false },
        },
      },
      firewallSku: "Basic",
    });
    expect(Object.keys(settings.outboundRules as object)).toEqual([
      "fqdn-pypi_org",
      "tag-azureopendatasets",
      "pe-storage-queue",
    ]);
    expect(
      managedNetworkSettings({
        mode: "AllowOnlyApprovedOutbound",
        firewallSku: "Basic",
        privateEndpointRules: [queue],
      }),
    ).not.toHaveProperty("firewallSku");
    expect(
      managedNetworkSettings({
        mode: "AllowOnlyApprovedOutbound",
        fqdnRules: [{ name: "fqdn-pypi_org", destination: "pypi.org" }],
      }).firewallSku,
    ).toBe("Standard");
  });

  it("gives the bridge's expansion of the config exactly what the config-driven rules were", () => {
    const config = workspaceSchema.parse({ outbound: { extraFqdns: ["example.org"] } });
    expect(managedNetworkSettings(workspaceOutboundArgs(config.outbound, [queue])).outboundRules).toEqual({
      ...buildOutboundRules(config.outbound),
      "pe-storage-queue": {
        type: "PrivateEndpoint",
        category: "UserDefined",
        destination: { serviceResourceId: STORAGE, subresourceTarget: "queue", sparkEnabled: false },
      },
    });
  });

  it("rejects FQDN and service tag rules outside AllowOnlyApprovedOutbound, and keeps private endpoint rules there", () => {
    const message =
      "outbound mode AllowInternetOutbound takes no FQDN or service tag rules (1 given): Azure accepts them only with AllowOnlyApprovedOutbound; remove them, or use that mode";
    expect(() =>
      managedNetworkSettings({
        mode: "AllowInternetOutbound",
        fqdnRules: [{ name: "fqdn-pypi_org", destination: "pypi.org" }],
      }),
    ).toThrow(message);
    expect(() =>
      managedNetworkSettings({
        mode: "AllowInternetOutbound",
        serviceTagRules: [
          { name: "tag-azureopendatasets", serviceTag: "AzureOpenDatasets", protocol: "TCP", portRanges: "443" },
        ],
      }),
    ).toThrow(message);
    expect(
      managedNetworkSettings({ mode: "AllowInternetOutbound", fqdnRules: [], privateEndpointRules: [queue] }),
    ).toEqual({
      isolationMode: "AllowInternetOutbound",
      outboundRules: {
        "pe-storage-queue": {
          type: "PrivateEndpoint",
          category: "UserDefined",
          destination: { serviceResourceId: STORAGE, subresourceTarget: "queue", sparkEnabled: false },
        },
      },
    });
  });

  it("rejects a rule name Azure would refuse, and a name used twice", () => {
    expect(() =>
      managedNetworkSettings({
        mode: "AllowOnlyApprovedOutbound",
        fqdnRules: [{ name: "x", destination: "pypi.org" }],
      }),
    ).toThrow('outbound rule name "x": must match ^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$ (3-33 letters, digits, _ or -)');
    expect(() =>
      managedNetworkSettings({
        mode: "AllowOnlyApprovedOutbound",
        fqdnRules: [{ name: "pe-storage-queue", destination: "pypi.org" }],
        privateEndpointRules: [queue],
      }),
    ).toThrow("outbound rule name pe-storage-queue is used twice; each rule needs a unique name");
  });
});
