import { TYPES } from "./types";

/**
 * How Azure forms the ARM id of each resource type the project creates, and which azure-native
 * input holds each name in it: `/subscriptions/<sub>/resourceGroups/<rg>/providers/<namespace>/<type>/<name>`
 * for top-level resources, `.../<parent type>/<parent name>/<child type>/<name>` for child resources,
 * and `<scope id>/providers/<namespace>/<type>/<name>` for extension resources (role assignments,
 * locks, diagnostic settings). Source: Microsoft, "ARM template functions - resources"
 * (azure-resource-manager/templates/template-functions-resource: the formats `resourceId` and
 * `extensionResourceId` return) and each resource's REST API path in Azure/azure-rest-api-specs;
 * the name inputs are the azure-native 3.28.0 argument names.
 */
export interface ArmIdShape {
  /** ARM type path of the resource's own segment: the full `Namespace/type` for a top-level resource (`Microsoft.Storage/storageAccounts`), the child type for a child (`subnets`); absent for a resource group. */
  readonly provider?: string;
  /** Input holding the resource's own name. */
  readonly nameInput: string;
  /** Parent name inputs and their ARM segments, outermost first (the outermost carries the `Namespace/type`). */
  readonly parents?: readonly { readonly input: string; readonly provider: string }[];
  /** Extension resources live under another resource's id held in this input. */
  readonly scopeInput?: string;
  /** ARM segment for extension resources (`providers/Microsoft.Authorization/roleAssignments`). */
  readonly extension?: string;
}

export const ARM_ID_SHAPES: Readonly<Partial<Record<string, ArmIdShape>>> = {
  [TYPES.resourceGroup]: { nameInput: "resourceGroupName" },
  [TYPES.vnet]: { provider: "Microsoft.Network/virtualNetworks", nameInput: "virtualNetworkName" },
  [TYPES.subnet]: {
    provider: "subnets",
    nameInput: "subnetName",
    parents: [{ input: "virtualNetworkName", provider: "Microsoft.Network/virtualNetworks" }],
  },
  [TYPES.nsg]: { provider: "Microsoft.Network/networkSecurityGroups", nameInput: "networkSecurityGroupName" },
  [TYPES.privateEndpoint]: { provider: "Microsoft.Network/privateEndpoints", nameInput: "privateEndpointName" },
  [TYPES.zoneGroup]: {
    provider: "privateDnsZoneGroups",
    nameInput: "privateDnsZoneGroupName",
    parents: [{ input: "privateEndpointName", provider: "Microsoft.Network/privateEndpoints" }],
  },
  [TYPES.zone]: { provider: "Microsoft.Network/privateDnsZones", nameInput: "privateZoneName" },
  [TYPES.zoneLink]: {
    provider: "virtualNetworkLinks",
    nameInput: "virtualNetworkLinkName",
    parents: [{ input: "privateZoneName", provider: "Microsoft.Network/privateDnsZones" }],
  },
  [TYPES.identity]: { provider: "Microsoft.ManagedIdentity/userAssignedIdentities", nameInput: "resourceName" },
  [TYPES.storage]: { provider: "Microsoft.Storage/storageAccounts", nameInput: "accountName" },
  [TYPES.blobService]: {
    provider: "blobServices",
    nameInput: "blobServicesName",
    parents: [{ input: "accountName", provider: "Microsoft.Storage/storageAccounts" }],
  },
  [TYPES.fileService]: {
    provider: "fileServices",
    nameInput: "fileServicesName",
    parents: [{ input: "accountName", provider: "Microsoft.Storage/storageAccounts" }],
  },
  [TYPES.vault]: { provider: "Microsoft.KeyVault/vaults", nameInput: "vaultName" },
  [TYPES.registry]: { provider: "Microsoft.ContainerRegistry/registries", nameInput: "registryName" },
  [TYPES.logAnalytics]: { provider: "Microsoft.OperationalInsights/workspaces", nameInput: "workspaceName" },
  [TYPES.appInsights]: { provider: "Microsoft.Insights/components", nameInput: "resourceName" },
  [TYPES.mlWorkspace]: { provider: "Microsoft.MachineLearningServices/workspaces", nameInput: "workspaceName" },
  [TYPES.compute]: {
    provider: "computes",
    nameInput: "computeName",
    parents: [{ input: "workspaceName", provider: "Microsoft.MachineLearningServices/workspaces" }],
  },
  [TYPES.onlineEndpoint]: {
    provider: "onlineEndpoints",
    nameInput: "endpointName",
    parents: [{ input: "workspaceName", provider: "Microsoft.MachineLearningServices/workspaces" }],
  },
  [TYPES.onlineDeployment]: {
    provider: "deployments",
    nameInput: "deploymentName",
    parents: [
      { input: "workspaceName", provider: "Microsoft.MachineLearningServices/workspaces" },
      { input: "endpointName", provider: "onlineEndpoints" },
    ],
  },
  [TYPES.mlRegistry]: { provider: "Microsoft.MachineLearningServices/registries", nameInput: "registryName" },
  [TYPES.environmentVersion]: {
    provider: "versions",
    nameInput: "version",
    parents: [
      { input: "workspaceName", provider: "Microsoft.MachineLearningServices/workspaces" },
      { input: "name", provider: "environments" },
    ],
  },
  [TYPES.dataVersion]: {
    provider: "versions",
    nameInput: "version",
    parents: [
      { input: "workspaceName", provider: "Microsoft.MachineLearningServices/workspaces" },
      { input: "name", provider: "data" },
    ],
  },
  [TYPES.schedule]: {
    provider: "schedules",
    nameInput: "name",
    parents: [{ input: "workspaceName", provider: "Microsoft.MachineLearningServices/workspaces" }],
  },
  [TYPES.batchEndpoint]: {
    provider: "batchEndpoints",
    nameInput: "endpointName",
    parents: [{ input: "workspaceName", provider: "Microsoft.MachineLearningServices/workspaces" }],
  },
  [TYPES.batchDeployment]: {
    provider: "deployments",
    nameInput: "deploymentName",
    parents: [
      { input: "workspaceName", provider: "Microsoft.MachineLearningServices/workspaces" },
      { input: "endpointName", provider: "batchEndpoints" },
    ],
  },
  [TYPES.actionGroup]: { provider: "Microsoft.Insights/actionGroups", nameInput: "actionGroupName" },
  [TYPES.monitorPrivateLinkScope]: { provider: "Microsoft.Insights/privateLinkScopes", nameInput: "scopeName" },
  [TYPES.monitorScopedResource]: {
    provider: "scopedResources",
    nameInput: "name",
    parents: [{ input: "scopeName", provider: "Microsoft.Insights/privateLinkScopes" }],
  },
  [TYPES.metricAlert]: { provider: "Microsoft.Insights/metricAlerts", nameInput: "ruleName" },
  [TYPES.autoscale]: { provider: "Microsoft.Insights/autoscalesettings", nameInput: "autoscaleSettingName" },
  [TYPES.diagnostic]: {
    nameInput: "name",
    scopeInput: "resourceUri",
    extension: "providers/Microsoft.Insights/diagnosticSettings",
  },
  [TYPES.roleAssignment]: {
    nameInput: "roleAssignmentName",
    scopeInput: "scope",
    extension: "providers/Microsoft.Authorization/roleAssignments",
  },
  [TYPES.lockByScope]: {
    nameInput: "lockName",
    scopeInput: "scope",
    extension: "providers/Microsoft.Authorization/locks",
  },
};

/** The id shape of a type token; undefined when the project does not catalogue it. */
export function armIdShape(type: string): ArmIdShape | undefined {
  return ARM_ID_SHAPES[type];
}

/** The `Namespace/type` an id of this shape carries after `/providers/` (`Microsoft.Network/virtualNetworks` for a subnet). */
export function armIdNamespaceType(shape: ArmIdShape): string | undefined {
  return shape.parents?.[0]?.provider ?? shape.provider;
}

/** `/subscriptions/<guid>/resourceGroups/<rg>/providers/<Namespace>/<type>/<name>[/<type>/<name>...]` for a `Namespace/type[/child type...]`. */
export function armIdPattern(providerType: string): RegExp {
  const segments = providerType.split("/");
  const namespace = segments[0].replace(/\./g, "\\.");
  const types = segments
    .slice(1)
    .map((t) => `/${t}/[^/]+`)
    .join("");
  return new RegExp(`^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/${namespace}${types}$`, "i");
}
