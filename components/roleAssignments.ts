import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { RoleGrant, assignRole } from "./shared/roleAssignment";

/**
 * Least-privilege role assignments. Each grant states why it exists; nothing grants Owner,
 * Contributor or User Access Administrator to people, and every assignment names its
 * principal type (the SDK would otherwise send `User`, which fails for identities and groups
 * and is what policy engines flag).
 *
 * Sources: Microsoft's "Set up authentication between Azure Machine Learning and other
 * services" (roles a user-assigned workspace identity needs), "Access Azure resources from
 * an online endpoint with a managed identity", "Manage access to Azure Machine Learning
 * workspaces", and the managed network isolation docs (connection approver role).
 */

/** Grants to one managed identity (a service principal), keyed `<prefix>-<key>`. */
function identityGranter(prefix: string, principalId: pulumi.Input<string>) {
  return (key: string, role: RoleGrant["role"], scope: pulumi.Input<string>, reason: string): RoleGrant => ({
    key: `${prefix}-${key}`,
    role,
    scope,
    principalId,
    principalType: "ServicePrincipal",
    reason,
  });
}

/** Scopes the grants refer to. */
export interface GrantScopes {
  /** Required. Resource id of the environment's resource group. */
  resourceGroupId: pulumi.Input<string>;
  /** Required. Resource id of the workspace's default storage account. */
  storageAccountId: pulumi.Input<string>;
  /** Required. Resource id of the workspace's Key Vault. */
  keyVaultId: pulumi.Input<string>;
  /** Required. Resource id of the workspace's container registry. */
  containerRegistryId: pulumi.Input<string>;
  /** Required. Resource id of the workspace's Application Insights component. */
  applicationInsightsId: pulumi.Input<string>;
  /** Optional. Key Vault holding the customer-managed key, when the workspace uses one. Default: none. */
  customerManagedKeyVaultId?: string;
}

/**
 * What the workspace's user-assigned identity needs before the workspace can be created.
 * Microsoft documents Contributor on each associated resource for a user-assigned workspace
 * identity; the data roles make identity-based system datastores work with shared keys off.
 */
export function workspaceIdentityGrants(principalId: pulumi.Input<string>, scopes: GrantScopes): RoleGrant[] {
  const grant = identityGranter("workspace", principalId);
  return [
    grant(
      "storage-contributor",
      "Contributor",
      scopes.storageAccountId,
      "Workspace identity manages its default storage account (containers, file share, datastores).",
    ),
    grant(
      "storage-blob-data",
      "Storage Blob Data Contributor",
      scopes.storageAccountId,
      "Identity-based system datastores: the workspace reads and writes blobs without account keys.",
    ),
    grant(
      "storage-file-data",
      "Storage File Data Privileged Contributor",
      scopes.storageAccountId,
      "Identity-based access to the workspace file share (code snapshots, notebooks) with shared keys off.",
    ),
    grant(
      "keyvault-contributor",
      "Contributor",
      scopes.keyVaultId,
      "Workspace identity manages its Key Vault (control plane).",
    ),
    grant(
      "keyvault-admin",
      "Key Vault Administrator",
      scopes.keyVaultId,
      "Workspace stores connection secrets in an RBAC-mode Key Vault (data plane).",
    ),
    grant(
      "registry-contributor",
      "Contributor",
      scopes.containerRegistryId,
      "Workspace builds and pushes environment images to its registry.",
    ),
    grant(
      "appinsights-contributor",
      "Contributor",
      scopes.applicationInsightsId,
      "Workspace links online endpoints and deployments to its Application Insights.",
    ),
    grant(
      "network-approver",
      "Azure AI Enterprise Network Connection Approver",
      scopes.resourceGroupId,
      "Managed network: approve the workspace's private endpoints to its storage, Key Vault and registry.",
    ),
    ...(scopes.customerManagedKeyVaultId
      ? [
          grant(
            "cmk-crypto-user",
            "Key Vault Crypto Service Encryption User",
            scopes.customerManagedKeyVaultId,
            "Customer-managed key: wrap and unwrap the workspace's data encryption keys.",
          ),
        ]
      : []),
  ];
}

/** Where the workspace identity's grants after the workspace exists apply. */
export interface WorkspaceScopes {
  /** Required. Resource id of the workspace. */
  workspaceId: pulumi.Input<string>;
  /** Required. Resource ids of the storage account's private endpoints in the client VNet, by group (blob, file, ...). */
  storagePrivateEndpointIds: Readonly<Record<string, pulumi.Input<string>>>;
  /** Optional. Resource id of the ML registry this stack creates, which the workspace's managed network reaches through a private endpoint. */
  mlRegistryId?: pulumi.Input<string>;
}

/**
 * What the workspace's user-assigned identity needs once the workspace exists:
 * - Contributor on the workspace itself: Microsoft lists it first among the roles a user-assigned
 *   workspace identity requires ("Set up authentication between Azure Machine Learning and other
 *   services", User-assigned managed identity; deploy-audit R5).
 * - Reader on the blob and file private endpoints in the client VNet: with storage public access
 *   disabled, studio data preview needs it ("Workspace managed network isolation", Azure Machine
 *   Learning studio; deploy-audit R6).
 * - Contributor on the ML registry this stack creates: the managed network's private endpoint to
 *   the registry must be approved by the workspace identity, and the Azure AI Enterprise Network
 *   Connection Approver role has no `Microsoft.MachineLearningServices/registries/*` actions
 *   (built-in roles, AI + machine learning; deploy-audit R1). Scoped to that registry only.
 */
export function workspacePostCreateGrants(principalId: pulumi.Input<string>, scopes: WorkspaceScopes): RoleGrant[] {
  const grant = identityGranter("workspace", principalId);
  const studioGroups = ["blob", "file"].filter((group) => Object.hasOwn(scopes.storagePrivateEndpointIds, group));
  return [
    grant(
      "workspace-contributor",
      "Contributor",
      scopes.workspaceId,
      "Microsoft's documented requirement for a user-assigned workspace identity: Contributor on the workspace.",
    ),
    ...studioGroups.map((group) =>
      grant(
        `pe-${group}-reader`,
        "Reader",
        scopes.storagePrivateEndpointIds[group],
        `Studio data preview with storage public access off: Reader on the ${group} private endpoint in the client VNet.`,
      ),
    ),
    ...(scopes.mlRegistryId
      ? [
          grant(
            "ml-registry-approver",
            "Contributor",
            scopes.mlRegistryId,
            "Approve the managed network's private endpoint to the ML registry (the connection approver role does not cover registries).",
          ),
        ]
      : []),
  ];
}

/** What compute clusters need besides images and blobs. */
export interface ComputeGrantOptions {
  /**
   * Optional. Batch scoring runs on the clusters: batch jobs use the default storage's queues and
   * tables, so the cluster identity gets Storage Queue Data Contributor and Storage Table Data
   * Contributor ("Set up authentication between Azure Machine Learning and other services",
   * Parallel Run Step with a user-assigned identity; deploy-audit R2). Default: false.
   */
  batchScoring?: boolean;
}

/**
 * Compute clusters: pull images and read/write data with their own identity. With `workspaceId`,
 * also AzureML Data Scientist on the workspace: jobs that run as the cluster identity (the model
 * registration job, retraining with `--register-model`, drift jobs reading data assets) create and
 * read asset versions, which takes workspace data-plane rights no storage role gives; the role
 * excludes compute and workspace changes (Microsoft, "Manage access to Azure Machine Learning
 * workspaces"; deploy-audit §4.12).
 */
export function computeIdentityGrants(
  principalId: pulumi.Input<string>,
  scopes: Pick<GrantScopes, "storageAccountId" | "containerRegistryId"> & { workspaceId?: pulumi.Input<string> },
  options: ComputeGrantOptions = {},
): RoleGrant[] {
  const batch = (key: string, role: RoleGrant["role"]): RoleGrant => ({
    key: `compute-${key}`,
    role,
    scope: scopes.storageAccountId,
    principalId,
    principalType: "ServicePrincipal",
    reason: "Batch scoring jobs on the clusters coordinate through the default storage account's queues and tables.",
  });
  return [
    ...(scopes.workspaceId
      ? [
          {
            key: "compute-workspace-data-scientist",
            role: "AzureML Data Scientist" as const,
            scope: scopes.workspaceId,
            principalId,
            principalType: "ServicePrincipal" as const,
            reason:
              "Jobs on the clusters (model registration, retraining, drift) run as this identity and create and read asset versions in the workspace.",
          },
        ]
      : []),
    ...(options.batchScoring
      ? [batch("queue-data", "Storage Queue Data Contributor"), batch("table-data", "Storage Table Data Contributor")]
      : []),
    {
      key: "compute-acrpull",
      role: "AcrPull",
      scope: scopes.containerRegistryId,
      principalId,
      principalType: "ServicePrincipal",
      reason: "Compute nodes pull environment images from the workspace registry.",
    },
    {
      key: "compute-blob-data",
      role: "Storage Blob Data Contributor",
      scope: scopes.storageAccountId,
      principalId,
      principalType: "ServicePrincipal",
      reason: "Training jobs read inputs and write outputs through identity-based datastores.",
    },
  ];
}

/**
 * Online endpoints: a user-assigned endpoint identity receives nothing automatically, so it
 * gets exactly image pull, model read and metrics write, plus write access to the one container
 * the data collector writes to (model monitoring). Granted by the platform, so a serving stack
 * creates no role assignment.
 */
export function endpointIdentityGrants(
  principalId: pulumi.Input<string>,
  scopes: Pick<GrantScopes, "storageAccountId" | "containerRegistryId"> & {
    workspaceId: pulumi.Input<string>;
    workspaceBlobContainerId: pulumi.Input<string>;
  },
): RoleGrant[] {
  return [
    {
      key: "endpoints-data-collection",
      role: "Storage Blob Data Contributor",
      scope: scopes.workspaceBlobContainerId,
      principalId,
      principalType: "ServicePrincipal",
      reason:
        "Monitored deployments write collected model inputs and outputs to the workspace blob container (data collector).",
    },
    {
      key: "endpoints-acrpull",
      role: "AcrPull",
      scope: scopes.containerRegistryId,
      principalId,
      principalType: "ServicePrincipal",
      reason: "Deployments pull their inference image from the workspace registry.",
    },
    {
      key: "endpoints-blob-reader",
      role: "Storage Blob Data Reader",
      scope: scopes.storageAccountId,
      principalId,
      principalType: "ServicePrincipal",
      reason: "Deployments download model files from workspace storage.",
    },
    {
      key: "endpoints-metrics-writer",
      role: "AzureML Metrics Writer",
      scope: scopes.workspaceId,
      principalId,
      principalType: "ServicePrincipal",
      reason: "Deployments write metrics to the workspace.",
    },
  ];
}

/** Microsoft Entra group object ids per persona (the validated `personas` config has this shape). */
export interface PersonaGroups {
  /** Required. Groups of data scientists. */
  dataScientists: readonly string[];
  /** Required. Groups of ML engineers. */
  mlEngineers: readonly string[];
  /** Required. Groups with read-only access. */
  readers: readonly string[];
}

/** People, by Microsoft Entra group: never Owner or Contributor. */
export function personaGrants(
  personas: PersonaGroups,
  scopes: { workspaceId: pulumi.Input<string>; storageAccountId: pulumi.Input<string> },
): RoleGrant[] {
  const forGroups = (
    persona: string,
    groups: readonly string[],
    roles: readonly [RoleGrant["role"], "workspace" | "storage", string][],
  ): RoleGrant[] =>
    groups.flatMap((groupId) =>
      roles.map(([role, scopeName, reason]) => ({
        key: `${persona}-${groupId}-${role.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
        role,
        scope: scopeName === "workspace" ? scopes.workspaceId : scopes.storageAccountId,
        principalId: groupId,
        principalType: "Group" as const,
        reason,
      })),
    );
  return [
    ...forGroups("data-scientists", personas.dataScientists, [
      [
        "AzureML Data Scientist",
        "workspace",
        "Data scientists run jobs and manage assets, but cannot create compute or change the workspace.",
      ],
      [
        "Storage Blob Data Contributor",
        "storage",
        "Studio data preview and identity-based data access with shared keys off.",
      ],
      [
        "Storage File Data Privileged Contributor",
        "storage",
        "Notebooks on the workspace file share with shared keys off.",
      ],
    ]),
    ...forGroups("ml-engineers", personas.mlEngineers, [
      ["AzureML Compute Operator", "workspace", "ML engineers create, scale and delete compute."],
    ]),
    ...forGroups("readers", personas.readers, [
      ["Reader", "workspace", "Read-only view of the workspace and its assets."],
    ]),
  ];
}

/** Arguments of {@link RoleAssignments}. */
export interface RoleAssignmentsArgs {
  /**
   * Required. The grants to create, one role assignment each; keys must be unique in the stack.
   * A grant's assignment is named from project, stack, subscription, scope and key, so a new
   * scope or key replaces that assignment, deleting the old one first.
   */
  grants: RoleGrant[];
  /** Required. Subscription id, to build the role definition ids (and each assignment's name). */
  subscriptionId: pulumi.Input<string>;
}

/** A set of role assignments, one child per grant, named by the grant key. */
export class RoleAssignments extends pulumi.ComponentResource {
  /** The assignments, keyed by grant key. */
  public readonly assignments: Record<string, authorization.RoleAssignment>;

  constructor(name: string, args: RoleAssignmentsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "secure-azureml:index:RoleAssignments",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:rbac:RoleAssignments" }] }),
    );
    const duplicate = args.grants.map((g) => g.key).find((key, index, keys) => keys.indexOf(key) !== index);
    if (duplicate)
      throw new pulumi.ResourceError(
        `role assignment key ${duplicate} is used twice; each grant needs a unique key`,
        this,
      );
    this.assignments = Object.fromEntries(
      args.grants.map((grant) => [grant.key, assignRole(grant, args.subscriptionId, this)]),
    );
    this.registerOutputs({});
  }
}
