import { ReportViolation } from "@pulumi/policy";
import { ADVISORY, BaselineResourcePolicy, MANDATORY } from "../support/baseline";
import {
  DOCUMENTED_PRIVILEGED_GRANTS,
  DocumentedPrivilegedGrant,
  ScopeLevel,
  TYPES,
  forType,
  roleGuid,
  roleLabel,
  scopeLevel,
  scopeResourceType,
  shown,
} from "../support/ml";
import { sameText, valueAt } from "../support/props";
import { PRIVILEGED_BUILT_IN_ROLE_IDS } from "secure-azureml-facts";

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
  documentedPrivilegedGrants: DocumentedPrivilegedGrant[];
}

const privilegedSchema = {
  properties: {
    privilegedRoleIds: {
      type: "array" as const,
      items: { type: "string" as const },
      default: [...PRIVILEGED_BUILT_IN_ROLE_IDS],
      description:
        "Role definition GUIDs treated as privileged. Default (secure-azureml-facts PRIVILEGED_BUILT_IN_ROLE_NAMES): Owner, Contributor, User Access Administrator, Role Based Access Control Administrator, Key Vault Administrator, Storage Blob Data Owner.",
    },
    documentedPrivilegedGrants: {
      type: "array" as const,
      items: {
        type: "object" as const,
        properties: {
          roleId: { type: "string" as const },
          resourceTypes: { type: "array" as const, items: { type: "string" as const } },
        },
        required: ["roleId", "resourceTypes"],
      },
      default: DOCUMENTED_PRIVILEGED_GRANTS,
      description:
        "The only privileged grants allowed: a role (roleId) to a ServicePrincipal on one resource of these ARM types (e.g. microsoft.storage/storageaccounts). Default (secure-azureml-facts IDENTITY_ROLE_REQUIREMENTS): Contributor on a workspace, storage account, Key Vault, container registry, Application Insights component or ML registry, and Key Vault Administrator on a Key Vault, which Microsoft documents for a user-assigned workspace identity; the stack rule stack-identity-least-privilege then allows them to the workspace identity only.",
    },
  },
};

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

/**
 * A property shown in a message whose verdict does not depend on it: read without letting an
 * unknown (preview) value stop the rule.
 */
function shownIfKnown(read: () => unknown, show: (value: unknown) => string): string {
  try {
    return show(read());
  } catch {
    return "unknown during preview";
  }
}

/** Where a scope is, for messages: `resource group scope "/subscriptions/.../resourceGroups/rg"`. */
function scopePhrase(scope: unknown): string {
  return typeof scope === "string"
    ? `${SCOPE_LABEL[scopeLevel(scope)]} scope ${shown(scope)}`
    : `scope ${shown(scope)}`;
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
    name: "rbac-no-privileged-roles",
    description:
      "Role assignments must not grant a privileged role (config privilegedRoleIds: Owner, Contributor, User Access Administrator, Role Based Access Control Administrator, Key Vault Administrator, Storage Blob Data Owner) to any principal type (User, Group, ForeignGroup, ServicePrincipal, Device, or none, which the SDK sends as User) at any scope (tenant root, management group, subscription, resource group or one resource). The only exceptions are the documented requirements (config documentedPrivilegedGrants): Contributor on one workspace, storage account, Key Vault, container registry, Application Insights component or ML registry, and Key Vault Administrator on one Key Vault, to a ServicePrincipal, as Microsoft documents for a user-assigned workspace identity.",
    enforcementLevel: MANDATORY,
    severity: "critical",
    remediationSteps:
      "Grant people (through groups) least-privilege roles such as AzureML Data Scientist, AzureML Compute Operator or Reader on the workspace, and identities the data and pull roles they need (AcrPull, Storage Blob Data Reader/Contributor, AzureML Metrics Writer) on the one resource; use Privileged Identity Management for break-glass administration instead of a standing azure-native:authorization:RoleAssignment; keep Contributor and Key Vault Administrator to the workspace's user-assigned identity on its own associated resources.",
    configSchema: privilegedSchema,
    validateResource: forType(TYPES.roleAssignment, (args, report) => {
      const config = args.getConfig<PrivilegedConfig>();
      const role = privilegedRole(args.props.roleDefinitionId, config.privilegedRoleIds);
      if (!role) return;
      const documented = config.documentedPrivilegedGrants.find((g) => roleGuid(g.roleId) === role);
      if (documented) {
        // The verdict depends on principal type and scope: both are read (unknown stops the rule).
        const principalType: unknown = args.props.principalType;
        const scope: unknown = args.props.scope;
        const types = documented.resourceTypes.map((t) => t.toLowerCase());
        const onDocumentedResource =
          typeof scope === "string" &&
          scopeLevel(scope) === "resource" &&
          types.includes(scopeResourceType(scope) ?? "");
        if (sameText(principalType, "ServicePrincipal") && onDocumentedResource) return;
        report(
          `roleDefinitionId grants ${roleLabel(role)} to principalType ${principalLabel(principalType)} at ${scopePhrase(scope)}: a standing privileged assignment; it is allowed only to a ServicePrincipal on one resource of type ${types.join(", ")} (a documented requirement of the workspace identity).`,
        );
        return;
      }
      const principalType = shownIfKnown(() => args.props.principalType, principalLabel);
      const scope = shownIfKnown(() => args.props.scope, scopePhrase);
      report(
        `roleDefinitionId grants ${roleLabel(role)} to principalType ${principalType} at ${scope}: a standing privileged assignment (full control of the scope, its data, or the right to grant access) that no documented requirement of this environment needs; grant a least-privilege role instead.`,
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
      "Custom role definitions should not allow writing role assignments or role definitions or elevating access (Microsoft.Authorization/roleAssignments/write, roleDefinitions/write, elevateAccess/Action or their wildcards): whoever holds such a role can grant themselves any role. Advisory: deployment identities sometimes need it, ideally with a condition; policy-config.prod.json raises it to mandatory.",
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
    name: "rbac-assign-to-groups",
    description:
      "Role assignments for people should go to Entra groups rather than individual users (principalType User; a missing principalType counts as User, as the SDK sends it). Advisory on purpose: a least-privilege role for one named person (a reviewer, a break-glass account) is a review burden, not a weakness; privileged roles to users are mandatory violations of rbac-no-privileged-roles, and policy-config.prod.json raises this rule to mandatory.",
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
