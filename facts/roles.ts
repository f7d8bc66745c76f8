/**
 * Azure built-in role definition ids (ids are the same in every tenant and cloud). Names are the
 * display names Azure shows. Source: Microsoft, "Azure built-in roles"
 * (learn.microsoft.com/azure/role-based-access-control/built-in-roles), each role's `name` field.
 */

/** The built-in roles this project assigns (the deploy identity's ABAC condition lists exactly these, without Owner). */
export const BUILT_IN_ROLES = {
  "AzureML Data Scientist": "f6c7c914-8db3-469d-8ca1-694a8f32e121",
  "AzureML Compute Operator": "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815",
  "AzureML Metrics Writer": "635dd51f-9968-44d3-b7fb-6d9a6bd613ae",
  "AzureML Registry User": "1823dd4f-9b8c-4ab6-ab4e-7397a3684615",
  "Azure AI Enterprise Network Connection Approver": "b556d68e-0be0-4f35-a333-ad7ee1ce17ea",
  "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  "Storage File Data Privileged Contributor": "69566ab7-960f-475b-8e7c-b3118f30c6bd",
  "Storage Queue Data Contributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  "Storage Table Data Contributor": "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
  "Key Vault Administrator": "00482a5a-887f-4fb3-b363-3b7fe8e74483",
  "Key Vault Crypto Service Encryption User": "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  AcrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  AcrPush: "8311e382-0749-4cb8-b61a-304f252e45ec",
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  "Monitoring Metrics Publisher": "3913510d-42f4-4e42-8a64-420c390055eb",
} as const;

export type BuiltInRoleName = keyof typeof BUILT_IN_ROLES;

/** Built-in roles the project never assigns but the policy pack names in rules and messages. */
export const OTHER_BUILT_IN_ROLES = {
  "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
  "Storage Blob Data Owner": "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  AcrDelete: "c2f4ef07-c644-48eb-af81-4b1b4947fb11",
  AcrImageSigner: "6cef56e8-d556-48e5-a04f-b8e64114680f",
} as const;

/** Every built-in role this project or its policy pack names. */
export const KNOWN_BUILT_IN_ROLES = { ...BUILT_IN_ROLES, ...OTHER_BUILT_IN_ROLES } as const;
export type KnownBuiltInRoleName = keyof typeof KNOWN_BUILT_IN_ROLES;

/** The display name of a known built-in role by its definition GUID (lower case). */
export const BUILT_IN_ROLE_NAMES_BY_ID: Readonly<Record<string, KnownBuiltInRoleName>> = Object.fromEntries(
  Object.entries(KNOWN_BUILT_IN_ROLES).map(([name, id]) => [id, name as KnownBuiltInRoleName]),
);

/**
 * Built-in roles that control a scope completely or can grant access to it: Owner, Contributor,
 * User Access Administrator and Role Based Access Control Administrator (which can assign any
 * role, Owner included, unless a condition restricts it).
 */
export const SCOPE_CONTROLLING_ROLE_NAMES = [
  "Owner",
  "Contributor",
  "User Access Administrator",
  "Role Based Access Control Administrator",
] as const satisfies readonly KnownBuiltInRoleName[];

/** Roles this project never grants to people (users or groups). */
export const PRIVILEGED_ROLE_NAMES: readonly BuiltInRoleName[] = ["Owner", "Contributor"];

/** The full role definition id of a built-in role in a subscription. */
export function roleDefinitionId(subscriptionId: string, role: BuiltInRoleName): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES[role]}`;
}

/**
 * Built-in roles the policy pack treats as privileged for every kind of principal (identities,
 * users, groups, foreign groups, devices) at any scope: the roles Microsoft lists under
 * "Privileged" (Owner, Contributor, Role Based Access Control Administrator, User Access
 * Administrator; Microsoft Learn, "Azure built-in roles", learn.microsoft.com/azure/role-based-access-control/built-in-roles#privileged),
 * plus the full data-plane owners Key Vault Administrator (every vault data action, Security
 * category) and Storage Blob Data Owner (every blob data action and POSIX ACLs, Storage category).
 * Only a documented requirement ({@link IDENTITY_ROLE_REQUIREMENTS}, `privileged` entries)
 * justifies one, on a single resource.
 */
export const PRIVILEGED_BUILT_IN_ROLE_NAMES = [
  "Owner",
  "Contributor",
  "User Access Administrator",
  "Role Based Access Control Administrator",
  "Key Vault Administrator",
  "Storage Blob Data Owner",
] as const satisfies readonly KnownBuiltInRoleName[];

/** The definition GUIDs of {@link PRIVILEGED_BUILT_IN_ROLE_NAMES}. */
export const PRIVILEGED_BUILT_IN_ROLE_IDS: readonly string[] = PRIVILEGED_BUILT_IN_ROLE_NAMES.map(
  (name) => KNOWN_BUILT_IN_ROLES[name],
);

/**
 * What a role assignment's scope designates, by the ARM type of the resource (`Namespace/type`
 * plus child types, as in its id), or the resource group.
 */
export const GRANT_SCOPES = {
  resourceGroup: { armType: undefined, label: "the resource group" },
  workspace: { armType: "Microsoft.MachineLearningServices/workspaces", label: "an Azure ML workspace" },
  mlRegistry: { armType: "Microsoft.MachineLearningServices/registries", label: "an Azure ML registry" },
  storageAccount: { armType: "Microsoft.Storage/storageAccounts", label: "a storage account" },
  blobContainer: {
    armType: "Microsoft.Storage/storageAccounts/blobServices/containers",
    label: "a blob container",
  },
  keyVault: { armType: "Microsoft.KeyVault/vaults", label: "a Key Vault" },
  containerRegistry: { armType: "Microsoft.ContainerRegistry/registries", label: "a container registry" },
  applicationInsights: { armType: "Microsoft.Insights/components", label: "an Application Insights component" },
  privateEndpoint: { armType: "Microsoft.Network/privateEndpoints", label: "a private endpoint" },
} as const;
export type GrantScope = keyof typeof GRANT_SCOPES;

/** One documented role requirement: a role on a kind of scope, and why. */
export interface RoleRequirement {
  /** The built-in role. */
  readonly role: BuiltInRoleName;
  /** What the scope must designate. */
  readonly scope: GrantScope;
  /** Why the principal needs it; the program stores it as the assignment's description. */
  readonly reason: string;
  /** A privileged role ({@link PRIVILEGED_BUILT_IN_ROLE_NAMES}) that this requirement justifies on this one resource. */
  readonly privileged?: true;
  /** Only on a resource of the same stack (the program creates it), never on one it adopts. */
  readonly createdInStack?: true;
}

/** The managed identities the platform creates, one per workload. */
export type IdentityKind = "workspace" | "compute" | "endpoint";
/** The people personas, granted to Microsoft Entra groups. */
export type Persona = "dataScientists" | "mlEngineers" | "readers";

/**
 * The last `-`-separated segment of each identity's Azure name (`id-<prefix>-<segment>`): the
 * platform's Identities component names them so, and the policy pack recognises an identity that
 * no resource of the stack uses (the endpoint identity is used by serving stacks) by it.
 */
export const IDENTITY_NAME_SEGMENTS: Readonly<Record<IdentityKind, string>> = {
  workspace: "workspace",
  compute: "compute",
  endpoint: "endpoints",
};

/**
 * The roles each platform identity needs, keyed by the program's grant key (after the
 * `workspace-`, `compute-` or `endpoints-` prefix). The program grants exactly these
 * (components/roleAssignments.ts reads role and reason here) and the policy pack allows exactly
 * these (stack-identity-least-privilege). Sources: Microsoft Learn, "Set up authentication
 * between Azure Machine Learning and other services" (a user-assigned workspace identity needs
 * Contributor on the workspace, its storage, Key Vault, container registry and Application
 * Insights, Storage Blob Data Contributor, and Key Vault Administrator for an RBAC-mode vault; a
 * compute cluster identity needs AcrPull and data access; Parallel Run Step needs queue and table
 * data roles), "Access Azure resources from an online endpoint with a managed identity" (an
 * endpoint's user-assigned identity gets nothing automatically: AcrPull, Storage Blob Data Reader,
 * AzureML Metrics Writer), "Workspace managed network isolation" (the Azure AI Enterprise Network
 * Connection Approver role; Reader on the storage private endpoints for studio data preview) and
 * "Azure built-in roles, AI + machine learning" (the approver role has no registries actions, so
 * Contributor on the registry the stack creates approves its private endpoint; deploy-audit R1).
 */
export const IDENTITY_ROLE_REQUIREMENTS = {
  workspace: {
    "storage-contributor": {
      role: "Contributor",
      scope: "storageAccount",
      privileged: true,
      reason: "Workspace identity manages its default storage account (containers, file share, datastores).",
    },
    "storage-blob-data": {
      role: "Storage Blob Data Contributor",
      scope: "storageAccount",
      reason: "Identity-based system datastores: the workspace reads and writes blobs without account keys.",
    },
    "storage-file-data": {
      role: "Storage File Data Privileged Contributor",
      scope: "storageAccount",
      reason: "Identity-based access to the workspace file share (code snapshots, notebooks) with shared keys off.",
    },
    "keyvault-contributor": {
      role: "Contributor",
      scope: "keyVault",
      privileged: true,
      reason: "Workspace identity manages its Key Vault (control plane).",
    },
    "keyvault-admin": {
      role: "Key Vault Administrator",
      scope: "keyVault",
      privileged: true,
      reason: "Workspace stores connection secrets in an RBAC-mode Key Vault (data plane).",
    },
    "registry-contributor": {
      role: "Contributor",
      scope: "containerRegistry",
      privileged: true,
      reason: "Workspace builds and pushes environment images to its registry.",
    },
    "appinsights-contributor": {
      role: "Contributor",
      scope: "applicationInsights",
      privileged: true,
      reason: "Workspace links online endpoints and deployments to its Application Insights.",
    },
    "network-approver": {
      role: "Azure AI Enterprise Network Connection Approver",
      scope: "resourceGroup",
      reason: "Managed network: approve the workspace's private endpoints to its storage, Key Vault and registry.",
    },
    "cmk-crypto-user": {
      role: "Key Vault Crypto Service Encryption User",
      scope: "keyVault",
      reason: "Customer-managed key: wrap and unwrap the workspace's data encryption keys.",
    },
    "workspace-contributor": {
      role: "Contributor",
      scope: "workspace",
      privileged: true,
      reason:
        "Microsoft's documented requirement for a user-assigned workspace identity: Contributor on the workspace.",
    },
    "pe-reader": {
      role: "Reader",
      scope: "privateEndpoint",
      reason:
        "Studio data preview with storage public access off: Reader on the storage private endpoints in the client VNet.",
    },
    "ml-registry-approver": {
      role: "Contributor",
      scope: "mlRegistry",
      privileged: true,
      createdInStack: true,
      reason:
        "Approve the managed network's private endpoint to the ML registry (the connection approver role does not cover registries).",
    },
  },
  compute: {
    "workspace-data-scientist": {
      role: "AzureML Data Scientist",
      scope: "workspace",
      reason:
        "Jobs on the clusters (model registration, retraining, drift) run as this identity and create and read asset versions in the workspace.",
    },
    "queue-data": {
      role: "Storage Queue Data Contributor",
      scope: "storageAccount",
      reason: "Batch scoring jobs on the clusters coordinate through the default storage account's queues and tables.",
    },
    "table-data": {
      role: "Storage Table Data Contributor",
      scope: "storageAccount",
      reason: "Batch scoring jobs on the clusters coordinate through the default storage account's queues and tables.",
    },
    acrpull: {
      role: "AcrPull",
      scope: "containerRegistry",
      reason: "Compute nodes pull environment images from the workspace registry.",
    },
    "blob-data": {
      role: "Storage Blob Data Contributor",
      scope: "storageAccount",
      reason: "Training jobs read inputs and write outputs through identity-based datastores.",
    },
  },
  endpoint: {
    "data-collection": {
      role: "Storage Blob Data Contributor",
      scope: "blobContainer",
      reason:
        "Monitored deployments write collected model inputs and outputs to the workspace blob container (data collector).",
    },
    acrpull: {
      role: "AcrPull",
      scope: "containerRegistry",
      reason: "Deployments pull their inference image from the workspace registry.",
    },
    "blob-reader": {
      role: "Storage Blob Data Reader",
      scope: "storageAccount",
      reason: "Deployments download model files from workspace storage.",
    },
    "metrics-writer": {
      role: "AzureML Metrics Writer",
      scope: "workspace",
      reason: "Deployments write metrics to the workspace.",
    },
  },
} as const satisfies Record<IdentityKind, Record<string, RoleRequirement>>;

/**
 * The roles each persona's Microsoft Entra groups get: never Owner or Contributor. Source:
 * Microsoft Learn, "Manage access to Azure Machine Learning workspaces" (AzureML Data Scientist,
 * AzureML Compute Operator, Reader) and "Set up authentication between Azure Machine Learning and
 * other services" (data access with shared keys off), keyed by the program's grant key suffix.
 */
export const PERSONA_ROLE_REQUIREMENTS = {
  dataScientists: {
    "azureml-data-scientist": {
      role: "AzureML Data Scientist",
      scope: "workspace",
      reason: "Data scientists run jobs and manage assets, but cannot create compute or change the workspace.",
    },
    "storage-blob-data-contributor": {
      role: "Storage Blob Data Contributor",
      scope: "storageAccount",
      reason: "Studio data preview and identity-based data access with shared keys off.",
    },
    "storage-file-data-privileged-contributor": {
      role: "Storage File Data Privileged Contributor",
      scope: "storageAccount",
      reason: "Notebooks on the workspace file share with shared keys off.",
    },
  },
  mlEngineers: {
    "azureml-compute-operator": {
      role: "AzureML Compute Operator",
      scope: "workspace",
      reason: "ML engineers create, scale and delete compute.",
    },
  },
  readers: {
    reader: { role: "Reader", scope: "workspace", reason: "Read-only view of the workspace and its assets." },
  },
} as const satisfies Record<Persona, Record<string, RoleRequirement>>;

/**
 * The roles on an Azure ML registry, by principal, keyed by the program's grant key suffix (after
 * `mlregistry-`). Source: Microsoft Learn, "Manage Azure Machine Learning registries" (Reader, or
 * registries/read + registries/assets/read, to use assets; assets/write and assets/delete to
 * create them) and the built-in AzureML Registry User role (registries/read + registries/assets/*,
 * nothing on the registry resource itself). `publish` grants exist only in publish mode.
 */
export const ML_REGISTRY_ROLE_REQUIREMENTS = {
  workspace: {
    publish: {
      role: "AzureML Registry User",
      scope: "mlRegistry",
      reason: "The dev workspace shares models and environments to the registry (az ml model share).",
    },
  },
  compute: {
    publish: {
      role: "AzureML Registry User",
      scope: "mlRegistry",
      reason: "Training pipelines register their models and environments in the registry.",
    },
    read: {
      role: "Reader",
      scope: "mlRegistry",
      reason:
        "Batch scoring and scheduled jobs on the clusters read models and environments promoted to the registry (Reader on the registry only).",
    },
  },
  endpoint: {
    read: {
      role: "Reader",
      scope: "mlRegistry",
      reason:
        "Online deployments read models and environments promoted to the registry (Reader on the registry only: Microsoft's documented role for read-only use of registry assets).",
    },
  },
  mlEngineers: {
    publish: {
      role: "AzureML Registry User",
      scope: "mlRegistry",
      reason: "ML engineers publish and retire registry assets; they cannot change or delete the registry.",
    },
  },
} as const satisfies Partial<Record<IdentityKind | Persona, Record<string, RoleRequirement>>>;

/** Every documented requirement of an identity kind or persona: the platform's and the ML registry's. */
export function roleRequirementsOf(principal: IdentityKind | Persona): readonly RoleRequirement[] {
  const platform: Readonly<Record<string, RoleRequirement>> =
    principal === "workspace" || principal === "compute" || principal === "endpoint"
      ? IDENTITY_ROLE_REQUIREMENTS[principal]
      : PERSONA_ROLE_REQUIREMENTS[principal];
  const registry: Readonly<Record<string, RoleRequirement>> =
    (ML_REGISTRY_ROLE_REQUIREMENTS as Partial<Record<string, Record<string, RoleRequirement>>>)[principal] ?? {};
  return [...Object.values(platform), ...Object.values(registry)];
}
