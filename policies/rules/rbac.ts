import { ReportViolation } from "@pulumi/policy";
import { ADVISORY, BaselineResourcePolicy, MANDATORY } from "../support/baseline";
import { PRIVILEGED_ROLES, ScopeLevel, TYPES, forType, roleGuid, roleLabel, scopeLevel, shown } from "../support/ml";
import { sameText, valueAt } from "../support/props";

/**
 * Role assignment (`azure-native:authorization:RoleAssignment`) and custom role definition
 * (`azure-native:authorization:RoleDefinition`) rules. Role assignments are flattened
 * (`roleDefinitionId`, `principalType`, `scope`); `roleDefinitionId` may be a full id
 * (`/subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<guid>`) or a bare GUID.
 *
 * azure-native fills `principalType: "User"` when a program omits it, so a role assignment that
 * forgot its principal type reaches these rules as a User assignment.
 */

interface PrivilegedConfig {
  privilegedRoleIds: string[];
}

const privilegedSchema = {
  properties: {
    privilegedRoleIds: {
      type: "array" as const,
      items: { type: "string" as const },
      default: Object.keys(PRIVILEGED_ROLES),
      description:
        "Role definition GUIDs treated as privileged. Default: Owner, Contributor, User Access Administrator, Role Based Access Control Administrator.",
    },
  },
};

/** Principal types that are people: users, and groups of users (ForeignGroup: a group of another tenant). */
const PEOPLE = ["User", "Group", "ForeignGroup"];

const BROAD_SCOPES: readonly ScopeLevel[] = ["root", "managementGroup", "subscription", "resourceGroup"];

const SCOPE_LABEL: Record<ScopeLevel, string> = {
  root: "tenant root",
  managementGroup: "management group",
  subscription: "subscription",
  resourceGroup: "resource group",
  resource: "resource",
};

/** The privileged role a role assignment grants (its GUID), or undefined when it is not privileged. */
function privilegedRole(roleDefinitionId: unknown, privilegedRoleIds: readonly string[]): string | undefined {
  if (typeof roleDefinitionId !== "string") return undefined;
  const guid = roleGuid(roleDefinitionId);
  return privilegedRoleIds.some((id) => roleGuid(id) === guid) ? guid : undefined;
}

/** How a principal type appears in messages; absent is shown as the User the SDK sends. */
function principalLabel(principalType: unknown): string {
  return principalType === undefined ? "not set (sent as User)" : shown(principalType);
}

// Wildcard actions: `*`, a whole provider (`Microsoft.Compute/*`), or a verb on every provider
// (`*/write`); `*/read` is what Reader grants and is allowed.
function isWildcardAction(action: string): boolean {
  const a = action.trim();
  if (a === "*") return true;
  if (/^[^/*]+\/\*$/.test(a)) return true;
  return /^\*\//.test(a) && !sameText(a, "*/read");
}

/** Actions that let a principal grant access: write role assignments or definitions, or elevate to User Access Administrator. */
const AUTHORIZATION_WRITE =
  /^microsoft\.authorization\/(?:\*|\*\/write|roleassignments\/(?:\*|write)|roledefinitions\/(?:\*|write)|elevateaccess\/action)$/i;

/** Each permission list entry of a role definition, with its place for messages. */
function permissionEntries(
  permissions: unknown,
  lists: readonly ("actions" | "dataActions")[],
): { where: string; action: string }[] {
  if (!Array.isArray(permissions)) return [];
  const entries: { where: string; action: string }[] = [];
  permissions.forEach((permission: unknown, i: number) => {
    for (const list of lists) {
      const actions = valueAt(permission, list);
      if (!Array.isArray(actions)) continue;
      actions.forEach((action: unknown, j: number) => {
        if (typeof action === "string") entries.push({ where: `permissions[${i}].${list}[${j}]`, action });
      });
    }
  });
  return entries;
}

function reportEach(report: ReportViolation, entries: { where: string; action: string }[], why: string): void {
  for (const { where, action } of entries) report(`${where} is ${shown(action)}: ${why}`);
}

export const rbacPolicies: BaselineResourcePolicy[] = [
  {
    name: "rbac-no-privileged-roles-for-people-at-broad-scope",
    description:
      "Role assignments must not grant a privileged role (config privilegedRoleIds: Owner, Contributor, User Access Administrator, Role Based Access Control Administrator) to a User, Group or ForeignGroup at tenant root, management group, subscription or resource group scope; a missing principalType counts as User, as the SDK sends it.",
    enforcementLevel: MANDATORY,
    severity: "critical",
    remediationSteps:
      "Grant people (through groups) least-privilege roles such as AzureML Data Scientist or AzureML Compute Operator on the workspace, not Owner/Contributor/access-administrator roles on the subscription or resource group; use Privileged Identity Management for break-glass administration instead of a standing azure-native:authorization:RoleAssignment.",
    configSchema: privilegedSchema,
    validateResource: forType(TYPES.roleAssignment, (args, report) => {
      const { privilegedRoleIds } = args.getConfig<PrivilegedConfig>();
      const role = privilegedRole(args.props.roleDefinitionId, privilegedRoleIds);
      if (!role) return;
      const principalType: unknown = args.props.principalType;
      if (principalType !== undefined && !PEOPLE.some((p) => sameText(principalType, p))) return;
      const scope: unknown = args.props.scope;
      if (typeof scope !== "string") return;
      const level = scopeLevel(scope);
      if (!BROAD_SCOPES.includes(level)) return;
      report(
        `roleDefinitionId grants ${roleLabel(role)} to principalType ${principalLabel(principalType)} at ${SCOPE_LABEL[level]} scope ${shown(scope)}: people get standing control over everything in it; grant a least-privilege role on the resource instead.`,
      );
    }),
  },
  {
    name: "rbac-principal-type-set",
    description:
      "Role assignments must state their principalType (User, Group or ServicePrincipal); an absent value is a violation because Azure then treats the principal as a User (the SDK sends User), which fails for new managed identities and hides what kind of principal holds the role.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Set `principalType` on the azure-native:authorization:RoleAssignment: "ServicePrincipal" for managed identities and applications, "Group" for Entra groups, "User" only for named people.',
    validateResource: forType(TYPES.roleAssignment, (args, report) => {
      const value: unknown = args.props.principalType;
      if (typeof value === "string" && value.trim() !== "") return;
      report(
        `principalType is ${shown(value)}: Azure treats the principal as a User; set it to "ServicePrincipal", "Group" or "User" explicitly.`,
      );
    }),
  },
  {
    name: "rbac-custom-role-no-wildcard-actions",
    description:
      "Custom role definitions must not use wildcard actions or data actions (`*`, a whole provider such as `Microsoft.Compute/*`, or a verb on every provider such as `*/write`; `*/read` is allowed) in permissions[].actions or permissions[].dataActions.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "List the exact operations the role needs in `permissions[].actions` / `permissions[].dataActions` of the azure-native:authorization:RoleDefinition (or use a built-in role).",
    validateResource: forType(TYPES.roleDefinition, (args, report) => {
      const entries = permissionEntries(args.props.permissions, ["actions", "dataActions"]).filter((e) =>
        isWildcardAction(e.action),
      );
      reportEach(
        report,
        entries,
        "a wildcard grants every current and future operation it matches; list the operations the role needs.",
      );
    }),
  },
  {
    name: "rbac-custom-role-no-authorization-write",
    description:
      "Custom role definitions should not allow writing role assignments or role definitions or elevating access (Microsoft.Authorization/roleAssignments/write, roleDefinitions/write, elevateAccess/Action or their wildcards): whoever holds such a role can grant themselves any role. Advisory: deployment identities sometimes need it, ideally with a condition.",
    enforcementLevel: ADVISORY,
    severity: "high",
    remediationSteps:
      "Remove the Microsoft.Authorization write actions from `permissions[].actions` of the azure-native:authorization:RoleDefinition; where delegation is needed, assign Role Based Access Control Administrator with a condition that limits the roles it can assign.",
    validateResource: forType(TYPES.roleDefinition, (args, report) => {
      const entries = permissionEntries(args.props.permissions, ["actions"]).filter((e) =>
        AUTHORIZATION_WRITE.test(e.action.trim()),
      );
      reportEach(
        report,
        entries,
        "holders can assign roles (including Owner) to anyone, themselves included; remove it.",
      );
    }),
  },
  {
    name: "rbac-privileged-role-user-principal",
    description:
      "Role assignments should not grant a privileged role (config privilegedRoleIds) directly to a User at any scope; a missing principalType counts as User, as the SDK sends it. Assign it to a group, or better, grant it just in time.",
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps:
      "Grant the azure-native:authorization:RoleAssignment to an Entra group (principalType Group) with a least-privilege role, or make the person eligible through Privileged Identity Management instead of a standing assignment.",
    configSchema: privilegedSchema,
    validateResource: forType(TYPES.roleAssignment, (args, report) => {
      const { privilegedRoleIds } = args.getConfig<PrivilegedConfig>();
      const role = privilegedRole(args.props.roleDefinitionId, privilegedRoleIds);
      if (!role) return;
      const principalType: unknown = args.props.principalType;
      if (principalType !== undefined && !sameText(principalType, "User")) return;
      report(
        `roleDefinitionId grants ${roleLabel(role)} to principalType ${principalLabel(principalType)}: a standing privileged assignment to one person; assign it to a group or through Privileged Identity Management.`,
      );
    }),
  },
  {
    name: "rbac-assign-to-groups",
    description:
      "Role assignments for people should go to Entra groups rather than individual users (principalType User; a missing principalType counts as User, as the SDK sends it).",
    enforcementLevel: ADVISORY,
    severity: "low",
    remediationSteps:
      'Assign the role to an Entra group the person is a member of (`principalType: "Group"`) on the azure-native:authorization:RoleAssignment, or set "ServicePrincipal" if the principal is an identity.',
    validateResource: forType(TYPES.roleAssignment, (args, report) => {
      const principalType: unknown = args.props.principalType;
      if (principalType !== undefined && !sameText(principalType, "User")) return;
      report(
        `principalType is ${principalLabel(principalType)}: access granted to individuals is hard to review and to remove when people change roles; assign it to a group.`,
      );
    }),
  },
];
