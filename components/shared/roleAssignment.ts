import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { v5 as uuidv5 } from "uuid";
import { BuiltInRoleName, roleDefinitionId } from "../config/catalogues/roles";

/** Namespace for role assignment names (a fixed, project-owned UUID). */
const ROLE_ASSIGNMENT_NAMESPACE = "5f0e2f9c-6f53-4c1e-9a57-2b8f3c1d7a10";

/** Who receives a role. */
export type PrincipalKind = "ServicePrincipal" | "Group";

/** One role assignment, described with plain keys so its names never depend on Outputs. */
export interface RoleGrant {
  /** Required. Stable logical key, unique in the stack, e.g. `compute-acrpull-registry`. */
  key: string;
  /** Required. Built-in role to grant. */
  role: BuiltInRoleName;
  /** Required. Resource id the role is granted on. */
  scope: pulumi.Input<string>;
  /** Required. Object id of the identity or group. */
  principalId: pulumi.Input<string>;
  /** Required. Always explicit: the SDK default is `User`. */
  principalType: PrincipalKind;
  /** Required. Why the principal needs this role; stored on the assignment. */
  reason: string;
}

/**
 * The deterministic role assignment name: a name-based UUID of project, stack and key, so
 * a re-run, a refresh or a new machine always produces the same name.
 */
export function roleAssignmentName(key: string): string {
  return uuidv5(`${pulumi.getProject()}/${pulumi.getStack()}/${key}`, ROLE_ASSIGNMENT_NAMESPACE);
}

export function assignRole(grant: RoleGrant, subscriptionId: pulumi.Input<string>, parent: pulumi.Resource, dependsOn?: pulumi.Input<pulumi.Resource>[]): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    `ra-${grant.key}`,
    {
      roleAssignmentName: roleAssignmentName(grant.key),
      scope: grant.scope,
      principalId: grant.principalId,
      principalType: grant.principalType,
      roleDefinitionId: pulumi.output(subscriptionId).apply((sub) => roleDefinitionId(sub, grant.role)),
      description: grant.reason,
    },
    { parent, dependsOn },
  );
}
