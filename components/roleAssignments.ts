import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { IDENTITY_ROLE_REQUIREMENTS, PERSONA_ROLE_REQUIREMENTS, Persona } from "secure-azureml-facts";
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
 *
 * Which role each identity and persona gets, and why, is kept once in secure-azureml-facts
 * (`IDENTITY_ROLE_REQUIREMENTS`, `PERSONA_ROLE_REQUIREMENTS`), which the policy pack's
 * stack-identity-least-privilege rule checks stacks against; the grants here only add scopes.
 */

type Requirements = typeof IDENTITY_ROLE_REQUIREMENTS;

/** Grants to one managed identity (a service principal), keyed `<prefix>-<key>`, role and reason from its requirements. */
function identityGranter<K extends keyof Requirements>(prefix: string, kind: K, principalId: pulumi.Input<string>) {
  const requirements: Requirements[K] = IDENTITY_ROLE_REQUIREMENTS[kind];
  return (
    requirement: keyof Requirements[K] & string,
    scope: pulumi.Input<string>,
    key: string = requirement,
  ): RoleGrant => {
    const { role, reason } = requirements[requirement] as { role: RoleGrant["role"]; reason: string };
    return { key: `${prefix}-${key}`, role, scope, principalId, principalType: "ServicePrincipal", reason };
  };
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
  const grant = identityGranter("workspace", "workspace", principalId);
  return [
    grant("storage-contributor", scopes.storageAccountId),
    grant("storage-blob-data", scopes.storageAccountId),
    grant("storage-file-data", scopes.storageAccountId),
    grant("keyvault-contributor", scopes.keyVaultId),
    grant("keyvault-admin", scopes.keyVaultId),
    grant("registry-contributor", scopes.containerRegistryId),
    grant("appinsights-contributor", scopes.applicationInsightsId),
    grant("network-approver", scopes.resourceGroupId),
    ...(scopes.customerManagedKeyVaultId ? [grant("cmk-crypto-user", scopes.customerManagedKeyVaultId)] : []),
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
  const grant = identityGranter("workspace", "workspace", principalId);
  const studioGroups = ["blob", "file"].filter((group) => Object.hasOwn(scopes.storagePrivateEndpointIds, group));
  return [
    grant("workspace-contributor", scopes.workspaceId),
    ...studioGroups.map((group) => ({
      ...grant("pe-reader", scopes.storagePrivateEndpointIds[group], `pe-${group}-reader`),
      reason: `Studio data preview with storage public access off: Reader on the ${group} private endpoint in the client VNet.`,
    })),
    ...(scopes.mlRegistryId ? [grant("ml-registry-approver", scopes.mlRegistryId)] : []),
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
  const grant = identityGranter("compute", "compute", principalId);
  return [
    ...(scopes.workspaceId ? [grant("workspace-data-scientist", scopes.workspaceId)] : []),
    ...(options.batchScoring
      ? [grant("queue-data", scopes.storageAccountId), grant("table-data", scopes.storageAccountId)]
      : []),
    grant("acrpull", scopes.containerRegistryId),
    grant("blob-data", scopes.storageAccountId),
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
  const grant = identityGranter("endpoints", "endpoint", principalId);
  return [
    grant("data-collection", scopes.workspaceBlobContainerId),
    grant("acrpull", scopes.containerRegistryId),
    grant("blob-reader", scopes.storageAccountId),
    grant("metrics-writer", scopes.workspaceId),
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
  const forGroups = (persona: string, groups: readonly string[], requirements: Persona): RoleGrant[] =>
    groups.flatMap((groupId) =>
      Object.values(PERSONA_ROLE_REQUIREMENTS[requirements]).map(
        ({
          role,
          scope,
          reason,
        }: {
          role: RoleGrant["role"];
          scope: "workspace" | "storageAccount";
          reason: string;
        }) => ({
          key: `${persona}-${groupId}-${role.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
          role,
          scope: scope === "workspace" ? scopes.workspaceId : scopes.storageAccountId,
          principalId: groupId,
          principalType: "Group" as const,
          reason,
        }),
      ),
    );
  return [
    ...forGroups("data-scientists", personas.dataScientists, "dataScientists"),
    ...forGroups("ml-engineers", personas.mlEngineers, "mlEngineers"),
    ...forGroups("readers", personas.readers, "readers"),
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
