/**
 * The azure-native v3 resource type tokens this project creates or its policy pack checks
 * (`azure-native:<module>:<Resource>`), by a stable key. Tokens follow the azure-native provider's
 * schema (@pulumi/azure-native 3.28.0: each resource class's `__pulumiType`).
 */
export const TYPES = {
  resourceGroup: "azure-native:resources:ResourceGroup",

  vnet: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  securityRule: "azure-native:network:SecurityRule",
  networkInterface: "azure-native:network:NetworkInterface",
  privateEndpoint: "azure-native:network:PrivateEndpoint",
  zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
  zone: "azure-native:privatedns:PrivateZone",
  zoneLink: "azure-native:privatedns:VirtualNetworkLink",

  identity: "azure-native:managedidentity:UserAssignedIdentity",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  roleDefinition: "azure-native:authorization:RoleDefinition",
  lockByScope: "azure-native:authorization:ManagementLockByScope",
  lockAtResource: "azure-native:authorization:ManagementLockAtResourceLevel",
  lockAtResourceGroup: "azure-native:authorization:ManagementLockAtResourceGroupLevel",
  lockAtSubscription: "azure-native:authorization:ManagementLockAtSubscriptionLevel",

  storage: "azure-native:storage:StorageAccount",
  blobService: "azure-native:storage:BlobServiceProperties",
  fileService: "azure-native:storage:FileServiceProperties",
  blobContainer: "azure-native:storage:BlobContainer",
  vault: "azure-native:keyvault:Vault",
  vaultKey: "azure-native:keyvault:Key",
  vaultSecret: "azure-native:keyvault:Secret",
  /** An Azure Container Registry (not an Azure ML registry: see `mlRegistry`). */
  registry: "azure-native:containerregistry:Registry",

  logAnalytics: "azure-native:operationalinsights:Workspace",
  appInsights: "azure-native:applicationinsights:Component",
  diagnostic: "azure-native:monitor:DiagnosticSetting",
  metricAlert: "azure-native:monitor:MetricAlert",
  scheduledQueryRule: "azure-native:monitor:ScheduledQueryRule",
  actionGroup: "azure-native:monitor:ActionGroup",
  /** An Azure Monitor Private Link Scope (AMPLS) and the Log Analytics workspaces and Application Insights components in it. */
  monitorPrivateLinkScope: "azure-native:monitor:PrivateLinkScope",
  monitorScopedResource: "azure-native:monitor:PrivateLinkScopedResource",
  autoscale: "azure-native:monitor:AutoscaleSetting",

  mlWorkspace: "azure-native:machinelearningservices:Workspace",
  mlRegistry: "azure-native:machinelearningservices:Registry",
  compute: "azure-native:machinelearningservices:Compute",
  onlineEndpoint: "azure-native:machinelearningservices:OnlineEndpoint",
  onlineDeployment: "azure-native:machinelearningservices:OnlineDeployment",
  batchEndpoint: "azure-native:machinelearningservices:BatchEndpoint",
  batchDeployment: "azure-native:machinelearningservices:BatchDeployment",
  schedule: "azure-native:machinelearningservices:Schedule",
  modelVersion: "azure-native:machinelearningservices:ModelVersion",
  environmentVersion: "azure-native:machinelearningservices:EnvironmentVersion",
  codeVersion: "azure-native:machinelearningservices:CodeVersion",
  dataVersion: "azure-native:machinelearningservices:DataVersion",
  registryModelVersion: "azure-native:machinelearningservices:RegistryModelVersion",
  registryEnvironmentVersion: "azure-native:machinelearningservices:RegistryEnvironmentVersion",
  registryCodeVersion: "azure-native:machinelearningservices:RegistryCodeVersion",
  registryDataVersion: "azure-native:machinelearningservices:RegistryDataVersion",
} as const;

export type TypeKey = keyof typeof TYPES;
export type TypeToken = (typeof TYPES)[TypeKey];

/** True for any azure-native type token (`azure-native:<module>:<Resource>`). */
export function isAzureNativeType(type: string): boolean {
  return type.startsWith("azure-native:");
}
