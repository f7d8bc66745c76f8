/**
 * The public API of the `secure-azureml` component package: what a TypeScript program imports, and
 * what Pulumi's component analyzer turns into the package schema for Python, Go, .NET and YAML
 * (`pulumi package add <repo>/components@<tag>`). Every component exported here registers as
 * `secure-azureml:index:<Class>` and has plain, documented Args: ids, names, named string enums
 * (`as const` objects) and optional named sub-objects (test/components/packageSchema.test.ts).
 *
 * Not yet part of the public API (their Args still take the program's validated config, zod
 * unions, sibling component objects or callbacks, which the analyzer rejects):
 * SecureMlEnvironment (platform/environment.ts) and SecureMlServing (serving/environment.ts) are
 * not library components: they are the programs' bridges from the validated stack config to the
 * Args of the components below, and import this library only through this file (test/architecture.test.ts).
 * (ModelOperations is gone: ModelMonitors, RetrainingSchedule and the batch endpoints replace it.
 * MlopsRegistry is gone: the platform program creates the ML registry and the versioned assets itself.)
 *
 * Besides the components, a few pure helpers are public: the names and ids Azure derives (an
 * endpoint's name, the image builder's compute name, the workspace's default blob container), the
 * least-privilege role grants of each identity and persona (inputs of `RoleAssignments`), the
 * environment's alert action group and the delete lock on a data-bearing resource.
 */

export { DataAssetType, IdentityDatastore, ModelSource, VersionedAssets } from "./versionedAssets";
export type {
  AssetVersionRef,
  DataAssetArgs,
  DataVersionRef,
  EnvironmentAssetArgs,
  ModelReferenceArgs,
  VersionedAssetsArgs,
} from "./versionedAssets";
export { ComputeTier, TrainingCompute, imageBuilderComputeName } from "./trainingCompute";
export type {
  ComputeInstanceArgs,
  ImageBuilderArgs,
  TrainingClusterArgs,
  TrainingComputeArgs,
} from "./trainingCompute";
export { ContainerRegistry } from "./containerRegistry";
export type { ContainerRegistryArgs } from "./containerRegistry";
export { Identities } from "./identities";
export type { IdentitiesArgs, IdentityRef } from "./identities";
export { KeyVault, KeyVaultSku } from "./keyVault";
export type { KeyVaultArgs } from "./keyVault";
export { ML_REGISTRY_GROUP_ID, MlRegistry, MlRegistryMode, MlRegistryStorageAccountType } from "./mlRegistry";
export type { MlRegistryArgs, RegistryPrincipals } from "./mlRegistry";
export { Monitoring } from "./monitoring";
export type { MonitoringArgs } from "./monitoring";
export { MonitorAccessMode, MonitorPrivateLinkScope } from "./monitorPrivateLinkScope";
export type {
  MonitorPrivateDnsZonesArgs,
  MonitorPrivateEndpointArgs,
  MonitorPrivateLinkScopeArgs,
} from "./monitorPrivateLinkScope";
export { Network } from "./network";
export type { NetworkArgs, NetworkCreateArgs, NetworkExistingArgs } from "./network";
export { AzureCloud, PrivateDns, PrivateDnsMode, PrivateDnsZoneKey } from "./privateDns";
export type { PrivateDnsArgs } from "./privateDns";
export { Storage, StorageEndpointGroup, StorageSku } from "./storage";
export type { RegistryResourceAccessArgs, StorageArgs } from "./storage";
export { PrivateEndpoint } from "./privateEndpoint";
export type { PrivateEndpointArgs } from "./privateEndpoint";
export {
  RoleAssignments,
  computeIdentityGrants,
  endpointIdentityGrants,
  personaGrants,
  workspaceIdentityGrants,
  workspacePostCreateGrants,
} from "./roleAssignments";
export type {
  ComputeGrantOptions,
  GrantScopes,
  PersonaGroups,
  RoleAssignmentsArgs,
  WorkspaceScopes,
} from "./roleAssignments";
export {
  MAX_ENDPOINT_NAME_LENGTH,
  ManagedOnlineEndpoint,
  OnlineEndpointAuthMode,
  endpointName,
} from "./managedOnlineEndpoint";
export type { ManagedOnlineEndpointArgs } from "./managedOnlineEndpoint";
export type {
  AssetReferencesArgs,
  AutoscaleArgs,
  CodeConfigurationArgs,
  OnlineDeploymentArgs,
  ProbeSettingsArgs,
  RequestSettingsArgs,
} from "./serving/deploymentArgs";
export { BatchLoggingLevel, BatchOutputAction, BatchScoringEndpoint } from "./batchScoringEndpoint";
export type {
  BatchDeploymentArgs,
  BatchOutputArgs,
  BatchRetryArgs,
  BatchScoringEndpointArgs,
} from "./batchScoringEndpoint";
export { EndpointMonitoring } from "./endpointMonitoring";
export type {
  EndpointAlertThresholdsArgs,
  EndpointMonitoringArgs,
  WatchedDeploymentArgs,
  WatchedEndpointArgs,
} from "./endpointMonitoring";
export { ModelDataCollection, workspaceBlobContainerId, workspaceBlobContainerName } from "./modelDataCollection";
export type {
  CollectedDataAssets,
  DeploymentDataCollectionArgs,
  ModelDataCollectionArgs,
  MonitoredDeploymentArgs,
} from "./modelDataCollection";
export { DriftMetric, ModelMonitors, MonitorEngine, MonitorTaskType } from "./modelMonitors";
export type {
  DataQualitySignalArgs,
  DriftSignalArgs,
  DriftThresholdArgs,
  ModelMonitorArgs,
  ModelMonitorsArgs,
  MonitorSignalsArgs,
} from "./modelMonitors";
export { JobInputMode, JobInputType, RetrainingSchedule } from "./retrainingSchedule";
export type { JobInputArgs, RetrainingJobArgs, RetrainingScheduleArgs } from "./retrainingSchedule";
export { createAlertActionGroup } from "./actionGroup";
export type { AlertActionGroupArgs } from "./actionGroup";
export type { AssetKind, DeclaredAssets } from "./shared/assetReferences";
export { addDeleteLock } from "./shared/lock";
export { PublicNetworkAccess } from "./shared/interfaces";
export type {
  DiagnosticSettingsArgs,
  PlacementArgs,
  PrivateEndpointPlacementArgs,
  ProtectionArgs,
} from "./shared/interfaces";
export { BuiltInRole, PrincipalType } from "./shared/roleAssignment";
export type { RoleGrant } from "./shared/roleAssignment";
export {
  MachineLearningWorkspace,
  WORKSPACE_DATA_ISOLATION,
  ManagedFirewallSku,
  ManagedNetworkIsolationMode,
  ServiceTagProtocol,
} from "./machineLearningWorkspace";
export type {
  CustomerManagedKeyArgs,
  FqdnRuleArgs,
  MachineLearningWorkspaceArgs,
  PrivateEndpointRuleArgs,
  ServiceTagRuleArgs,
  WorkspaceOutboundArgs,
  WorkspacePrivateEndpointArgs,
} from "./machineLearningWorkspace";
