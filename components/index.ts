/**
 * The public API of the `secure-azureml` component package: what a TypeScript program imports, and
 * what Pulumi's component analyzer turns into the package schema for Python, Go, .NET and YAML
 * (`pulumi package add <repo>/components@<tag>`). Every component exported here registers as
 * `secure-azureml:index:<Class>` and has plain, documented Args: ids, names, named string enums
 * (`as const` objects) and optional named sub-objects (test/components/packageSchema.test.ts).
 *
 * Not yet part of the public API (their Args still take the program's validated config, zod
 * unions, sibling component objects or callbacks, which the analyzer rejects): Network, PrivateDns,
 * PrivateEndpoint, MachineLearningWorkspace, TrainingCompute, RoleAssignments, MlRegistry,
 * VersionedAssets, MlopsRegistry, ManagedOnlineEndpoint, BatchScoringEndpoint, EndpointMonitoring,
 * ModelDataCollection, ModelOperations, SecureMlEnvironment, SecureMlServing.
 */

export { ContainerRegistry } from "./registry";
export type { ContainerRegistryArgs } from "./registry";
export { Identities } from "./identity";
export type { IdentitiesArgs, IdentityRef } from "./identity";
export { KeyVault, KeyVaultSku } from "./keyVault";
export type { KeyVaultArgs } from "./keyVault";
export { Monitoring } from "./monitoring";
export type { MonitoringArgs } from "./monitoring";
export { Storage, StorageEndpointGroup, StorageSku } from "./storage";
export type { RegistryResourceAccessArgs, StorageArgs } from "./storage";
export { PublicNetworkAccess } from "./shared/interfaces";
export type { DiagnosticSettingsArgs, PlacementArgs, PrivateEndpointPlacementArgs, ProtectionArgs } from "./shared/interfaces";
