import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { v5 as uuidv5 } from "uuid";
import { roleDefinitionId } from "secure-azureml-facts";

/** Namespace for role assignment names (a fixed, project-owned UUID). */
const ROLE_ASSIGNMENT_NAMESPACE = "5f0e2f9c-6f53-4c1e-9a57-2b8f3c1d7a10";

/**
 * The kind of principal a role is granted to, sent as the assignment's `principalType`.
 * A named string enum (`as const` object), so the component package schema carries it as an enum.
 */
export const PrincipalType = { ServicePrincipal: "ServicePrincipal", Group: "Group" } as const;
export type PrincipalType = (typeof PrincipalType)[keyof typeof PrincipalType];

/**
 * The Azure built-in roles this project grants, by display name (the names `roleDefinitionId`
 * resolves to definition ids, Microsoft "Azure built-in roles"). Owner, User Access Administrator
 * and the other scope-controlling roles are deliberately absent. A named string enum, so the
 * component package schema carries it as an enum.
 */
export const BuiltInRole = {
  AzureMLDataScientist: "AzureML Data Scientist",
  AzureMLComputeOperator: "AzureML Compute Operator",
  AzureMLMetricsWriter: "AzureML Metrics Writer",
  AzureMLRegistryUser: "AzureML Registry User",
  AzureAIEnterpriseNetworkConnectionApprover: "Azure AI Enterprise Network Connection Approver",
  StorageBlobDataContributor: "Storage Blob Data Contributor",
  StorageBlobDataReader: "Storage Blob Data Reader",
  StorageFileDataPrivilegedContributor: "Storage File Data Privileged Contributor",
  StorageQueueDataContributor: "Storage Queue Data Contributor",
  StorageTableDataContributor: "Storage Table Data Contributor",
  KeyVaultAdministrator: "Key Vault Administrator",
  KeyVaultCryptoServiceEncryptionUser: "Key Vault Crypto Service Encryption User",
  AcrPull: "AcrPull",
  Contributor: "Contributor",
  Reader: "Reader",
} as const;
export type BuiltInRole = (typeof BuiltInRole)[keyof typeof BuiltInRole];

/** One role assignment, described with plain keys so its names never depend on Outputs. */
export interface RoleGrant {
  /** Required. Stable logical key, unique in the stack, e.g. `compute-acrpull`. Part of the assignment's name: changing it replaces the assignment. */
  key: string;
  /** Required. Built-in role to grant. Changing it replaces the assignment (Azure does not update an assignment's role). */
  role: BuiltInRole;
  /** Required. Resource id the role is granted on. Part of the assignment's name: changing it replaces the assignment. */
  scope: pulumi.Input<string>;
  /** Required. Object id of the identity or group. */
  principalId: pulumi.Input<string>;
  /** Required. `ServicePrincipal` (managed identities) or `Group`; always sent explicitly: the SDK default is `User`. */
  principalType: PrincipalType;
  /** Required. Why the principal needs this role; stored as the assignment's description. */
  reason: string;
}

/** What a role assignment's name is derived from. */
export interface RoleAssignmentNameSeed {
  /** Required. Pulumi project name. */
  project: string;
  /** Required. Pulumi stack name. */
  stack: string;
  /** Required. Subscription the assignment is made in (the deploying client's subscription). */
  subscriptionId: string;
  /** Required. Resource id the role is granted on. */
  scope: string;
  /** Required. The grant's stable logical key, unique in the stack. */
  key: string;
}

/**
 * The deterministic role assignment name: a name-based UUID (v5) of project, stack, subscription,
 * scope and key, so a re-run, a refresh or a new machine always produces the same name, while
 * - a same-named project and stack in another subscription (per-team `dev` stacks) never reuses a
 *   name: role assignment names are GUIDs unique in the tenant, and reusing one for another
 *   principal or scope fails with RoleAssignmentUpdateNotPermitted ("Tenant ID, application ID,
 *   principal ID, and scope are not allowed to be updated");
 * - a changed scope is a new name, so the replacement is a new assignment, not a refused update.
 * Subscription id and scope are lower-cased first: ARM ids are case-insensitive, and a casing
 * difference must not rename (and so replace) an assignment.
 */
export function roleAssignmentNameFor(seed: RoleAssignmentNameSeed): string {
  return uuidv5(
    `${seed.project}/${seed.stack}/${seed.subscriptionId.toLowerCase()}/${seed.scope.toLowerCase()}/${seed.key}`,
    ROLE_ASSIGNMENT_NAMESPACE,
  );
}

/** {@link roleAssignmentNameFor} of this project and stack, once the subscription id and the scope are known. */
export function roleAssignmentName(
  key: string,
  subscriptionId: pulumi.Input<string>,
  scope: pulumi.Input<string>,
): pulumi.Output<string> {
  const project = pulumi.getProject();
  const stack = pulumi.getStack();
  return pulumi
    .all([subscriptionId, scope])
    .apply(([sub, resolvedScope]) =>
      roleAssignmentNameFor({ project, stack, subscriptionId: sub, scope: resolvedScope, key }),
    );
}

/**
 * One role assignment. Replaced delete-first (`deleteBeforeReplace`): Azure allows one assignment
 * per principal, role and scope (a second name for the same three is refused: RoleAssignmentExists)
 * and refuses to move a name to another principal or scope (RoleAssignmentUpdateNotPermitted). A
 * replacement that keeps the name (a new principal or role under the same key and scope) or keeps
 * principal, role and scope (a new name, e.g. after a naming change) would fail if created first.
 * The cost: the principal lacks the role for the seconds between the delete and the create.
 */
export function assignRole(
  grant: RoleGrant,
  subscriptionId: pulumi.Input<string>,
  parent: pulumi.Resource,
  dependsOn?: pulumi.Input<pulumi.Resource>[],
): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    `ra-${grant.key}`,
    {
      roleAssignmentName: roleAssignmentName(grant.key, subscriptionId, grant.scope),
      scope: grant.scope,
      principalId: grant.principalId,
      principalType: grant.principalType,
      roleDefinitionId: pulumi.output(subscriptionId).apply((sub) => roleDefinitionId(sub, grant.role)),
      description: grant.reason,
    },
    { parent, dependsOn, deleteBeforeReplace: true },
  );
}
