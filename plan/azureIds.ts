/**
 * How the offline engine invents the ids and read-only outputs Azure would return, per
 * resource type. Ids have Azure's real shape so tests can assert which resource a private
 * endpoint, role assignment or diagnostic setting targets. A type missing here fails the
 * plan loudly instead of producing an id nobody can check.
 */

export const FAKE_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";
export const FAKE_TENANT_ID = "11111111-1111-1111-1111-111111111111";
export const FAKE_CLIENT_OBJECT_ID = "22222222-2222-2222-2222-222222222222";

interface IdRule {
  /** ARM provider path of the top-level resource, e.g. `Microsoft.Storage/storageAccounts`. */
  readonly provider?: string;
  /** Input holding the resource's own name. */
  readonly nameInput: string;
  /** Parent name inputs and their ARM child segments, outermost first. */
  readonly parents?: readonly { readonly input: string; readonly provider: string }[];
  /** Extension resources live under another resource's id held in this input. */
  readonly scopeInput?: string;
  /** ARM segment for extension resources (`providers/Microsoft.Authorization/roleAssignments`). */
  readonly extension?: string;
}

const rules: Partial<Record<string, IdRule>> = {
  "azure-native:resources:ResourceGroup": { nameInput: "resourceGroupName" },
  "azure-native:network:VirtualNetwork": { provider: "Microsoft.Network/virtualNetworks", nameInput: "virtualNetworkName" },
  "azure-native:network:Subnet": { provider: "subnets", nameInput: "subnetName", parents: [{ input: "virtualNetworkName", provider: "Microsoft.Network/virtualNetworks" }] },
  "azure-native:network:NetworkSecurityGroup": { provider: "Microsoft.Network/networkSecurityGroups", nameInput: "networkSecurityGroupName" },
  "azure-native:network:PrivateEndpoint": { provider: "Microsoft.Network/privateEndpoints", nameInput: "privateEndpointName" },
  "azure-native:network:PrivateDnsZoneGroup": {
    provider: "privateDnsZoneGroups",
    nameInput: "privateDnsZoneGroupName",
    parents: [{ input: "privateEndpointName", provider: "Microsoft.Network/privateEndpoints" }],
  },
  "azure-native:privatedns:PrivateZone": { provider: "Microsoft.Network/privateDnsZones", nameInput: "privateZoneName" },
  "azure-native:privatedns:VirtualNetworkLink": {
    provider: "virtualNetworkLinks",
    nameInput: "virtualNetworkLinkName",
    parents: [{ input: "privateZoneName", provider: "Microsoft.Network/privateDnsZones" }],
  },
  "azure-native:managedidentity:UserAssignedIdentity": { provider: "Microsoft.ManagedIdentity/userAssignedIdentities", nameInput: "resourceName" },
  "azure-native:storage:StorageAccount": { provider: "Microsoft.Storage/storageAccounts", nameInput: "accountName" },
  "azure-native:storage:BlobServiceProperties": { provider: "blobServices", nameInput: "blobServicesName", parents: [{ input: "accountName", provider: "Microsoft.Storage/storageAccounts" }] },
  "azure-native:storage:FileServiceProperties": { provider: "fileServices", nameInput: "fileServicesName", parents: [{ input: "accountName", provider: "Microsoft.Storage/storageAccounts" }] },
  "azure-native:keyvault:Vault": { provider: "Microsoft.KeyVault/vaults", nameInput: "vaultName" },
  "azure-native:containerregistry:Registry": { provider: "Microsoft.ContainerRegistry/registries", nameInput: "registryName" },
  "azure-native:operationalinsights:Workspace": { provider: "Microsoft.OperationalInsights/workspaces", nameInput: "workspaceName" },
  "azure-native:applicationinsights:Component": { provider: "Microsoft.Insights/components", nameInput: "resourceName" },
  "azure-native:machinelearningservices:Workspace": { provider: "Microsoft.MachineLearningServices/workspaces", nameInput: "workspaceName" },
  "azure-native:machinelearningservices:Compute": { provider: "computes", nameInput: "computeName", parents: [{ input: "workspaceName", provider: "Microsoft.MachineLearningServices/workspaces" }] },
  "azure-native:machinelearningservices:OnlineEndpoint": {
    provider: "onlineEndpoints",
    nameInput: "endpointName",
    parents: [{ input: "workspaceName", provider: "Microsoft.MachineLearningServices/workspaces" }],
  },
  "azure-native:machinelearningservices:OnlineDeployment": {
    provider: "deployments",
    nameInput: "deploymentName",
    parents: [
      { input: "workspaceName", provider: "Microsoft.MachineLearningServices/workspaces" },
      { input: "endpointName", provider: "onlineEndpoints" },
    ],
  },
  "azure-native:machinelearningservices:Registry": { provider: "Microsoft.MachineLearningServices/registries", nameInput: "registryName" },
  "azure-native:machinelearningservices:EnvironmentVersion": {
    provider: "versions",
    nameInput: "version",
    parents: [
      { input: "workspaceName", provider: "Microsoft.MachineLearningServices/workspaces" },
      { input: "name", provider: "environments" },
    ],
  },
  "azure-native:machinelearningservices:DataVersion": {
    provider: "versions",
    nameInput: "version",
    parents: [
      { input: "workspaceName", provider: "Microsoft.MachineLearningServices/workspaces" },
      { input: "name", provider: "data" },
    ],
  },
  "azure-native:machinelearningservices:Schedule": { provider: "schedules", nameInput: "name", parents: [{ input: "workspaceName", provider: "Microsoft.MachineLearningServices/workspaces" }] },
  "azure-native:machinelearningservices:BatchEndpoint": {
    provider: "batchEndpoints",
    nameInput: "endpointName",
    parents: [{ input: "workspaceName", provider: "Microsoft.MachineLearningServices/workspaces" }],
  },
  "azure-native:machinelearningservices:BatchDeployment": {
    provider: "deployments",
    nameInput: "deploymentName",
    parents: [
      { input: "workspaceName", provider: "Microsoft.MachineLearningServices/workspaces" },
      { input: "endpointName", provider: "batchEndpoints" },
    ],
  },
  "azure-native:monitor:ActionGroup": { provider: "Microsoft.Insights/actionGroups", nameInput: "actionGroupName" },
  "azure-native:monitor:MetricAlert": { provider: "Microsoft.Insights/metricAlerts", nameInput: "ruleName" },
  "azure-native:monitor:AutoscaleSetting": { provider: "Microsoft.Insights/autoscalesettings", nameInput: "autoscaleSettingName" },
  "azure-native:monitor:DiagnosticSetting": { nameInput: "name", scopeInput: "resourceUri", extension: "providers/Microsoft.Insights/diagnosticSettings" },
  "azure-native:authorization:RoleAssignment": { nameInput: "roleAssignmentName", scopeInput: "scope", extension: "providers/Microsoft.Authorization/roleAssignments" },
  "azure-native:authorization:ManagementLockByScope": { nameInput: "lockName", scopeInput: "scope", extension: "providers/Microsoft.Authorization/locks" },
};

export class UnknownResourceTypeError extends Error {}

/** The physical name Azure would use: the self-name input, or the logical name when autonamed. */
export function physicalName(type: string, logicalName: string, inputs: Record<string, unknown>): string {
  const rule = rules[type];
  const value = rule ? inputs[rule.nameInput] : undefined;
  return typeof value === "string" && value.length > 0 ? value : logicalName;
}

/** The ARM id Azure would assign. */
export function fakeAzureId(type: string, logicalName: string, inputs: Record<string, unknown>): string {
  const rule = rules[type];
  if (!rule) throw new UnknownResourceTypeError(`the offline engine has no id rule for ${type}; add one to plan/azureIds.ts`);
  const name = physicalName(type, logicalName, inputs);
  if (rule.scopeInput) return `${String(inputs[rule.scopeInput])}/${rule.extension ?? ""}/${name}`;
  const group = `/subscriptions/${FAKE_SUBSCRIPTION_ID}/resourceGroups/${String(inputs.resourceGroupName)}`;
  if (!rule.provider) return group;
  const parentPath = (rule.parents ?? []).map((p) => `${p.provider}/${String(inputs[p.input])}`).join("/");
  const providerPath = parentPath ? `${parentPath}/${rule.provider}` : rule.provider;
  return `${group}/providers/${providerPath}/${name}`;
}

/** Read-only outputs other resources consume, derived deterministically from the id. */
export function fakeComputedOutputs(type: string, id: string, inputs: Record<string, unknown>, stableGuid: (seed: string) => string): Record<string, unknown> {
  switch (type) {
    case "azure-native:managedidentity:UserAssignedIdentity":
      return { principalId: stableGuid(`${id}/principal`), clientId: stableGuid(`${id}/client`), tenantId: FAKE_TENANT_ID };
    case "azure-native:containerregistry:Registry":
      return { loginServer: `${String(inputs.registryName)}.azurecr.io` };
    case "azure-native:keyvault:Vault":
      return { properties: { ...(inputs.properties as object), vaultUri: `https://${String(inputs.vaultName)}.vault.azure.net/` } };
    case "azure-native:operationalinsights:Workspace":
      return { customerId: stableGuid(`${id}/customer`) };
    case "azure-native:applicationinsights:Component":
      return { connectionString: `InstrumentationKey=${stableGuid(`${id}/ikey`)}`, instrumentationKey: stableGuid(`${id}/ikey`) };
    case "azure-native:machinelearningservices:OnlineEndpoint": {
      const host = `${String(inputs.endpointName)}.${String(inputs.location)}.inference.ml.azure.com`;
      return { properties: { ...(inputs.properties as object), scoringUri: `https://${host}/score`, swaggerUri: `https://${host}/swagger.json`, provisioningState: "Succeeded" } };
    }
    case "azure-native:machinelearningservices:Registry":
      return fakeRegistryOutputs(id, inputs, stableGuid);
    case "azure-native:machinelearningservices:BatchEndpoint":
      return {
        properties: { ...(inputs.properties as object), scoringUri: `https://${String(inputs.endpointName)}.${String(inputs.location)}.inference.ml.azure.com/jobs`, provisioningState: "Succeeded" },
      };
    case "azure-native:machinelearningservices:Workspace":
      return { workspaceId: stableGuid(`${id}/workspace`), discoveryUrl: `https://${String(inputs.location)}.api.azureml.ms/discovery` };
    default:
      return {};
  }
}

type RegionInput = { location?: string; storageAccountDetails?: { systemCreatedStorageAccount?: object }[]; acrDetails?: { systemCreatedAcrAccount?: object }[] };

/** An ML registry's system-created resources live in a managed resource group; Azure reports their ids per region. */
function fakeRegistryOutputs(id: string, inputs: Record<string, unknown>, stableGuid: (seed: string) => string): Record<string, unknown> {
  const name = String(inputs.registryName);
  const hex = (seed: string) => stableGuid(seed).replace(/-/g, "");
  const group = `/subscriptions/${FAKE_SUBSCRIPTION_ID}/resourceGroups/azureml-rg-${name}_${stableGuid(`${id}/managed`)}`;
  const acrId = `${group}/providers/Microsoft.ContainerRegistry/registries/${hex(`${id}/acr`).slice(0, 20)}`;
  const regions = (inputs.regionDetails as RegionInput[] | undefined) ?? [];
  return {
    discoveryUrl: `https://${String(inputs.location)}.api.azureml.ms/registrymanagement/v1.0/registries/${name}/discovery`,
    managedResourceGroup: { resourceId: group },
    regionDetails: regions.map((region) => ({
      ...region,
      storageAccountDetails: [
        {
          systemCreatedStorageAccount: {
            ...region.storageAccountDetails?.[0]?.systemCreatedStorageAccount,
            armResourceId: { resourceId: `${group}/providers/Microsoft.Storage/storageAccounts/${hex(`${id}/${String(region.location)}/storage`).slice(0, 24)}` },
          },
        },
      ],
      acrDetails: [{ systemCreatedAcrAccount: { ...region.acrDetails?.[0]?.systemCreatedAcrAccount, armResourceId: { resourceId: acrId } } }],
    })),
  };
}
