import { describe, expect, it } from "vitest";
import { rbacPolicies } from "../../policies/rules/rbac";
import { roleGuid, scopeLevel } from "../../policies/support/ml";
import { UNKNOWN } from "./support/harness";
import {
  RESOURCE_GROUP,
  ROLES,
  STORAGE_ID,
  SUBSCRIPTION,
  roleAssignment,
  roleDefinition,
  roleId,
  withProp,
  withProps,
} from "./fixtures/ml";
import { MlRuleCases, describeMlRules, describeShippedStacks } from "./fixtures/mlCases";

const ra = roleAssignment();
const role = roleDefinition();
const MANAGEMENT_GROUP = "/providers/Microsoft.Management/managementGroups/platform";

/** A role assignment of `guid` (full id) to a principal type at a scope. */
const grant = (guid: string, principalType: string | undefined, scope: string, bareGuid = false) =>
  withProps(ra, { roleDefinitionId: bareGuid ? guid : roleId(guid), principalType, scope });

const withActions = (actions: unknown[], dataActions: unknown[] = []) =>
  withProp(role, "permissions", [{ actions, dataActions, notActions: [], notDataActions: [] }]);

const PEOPLE_RULES = ["rbac-privileged-role-user-principal", "rbac-assign-to-groups"];

const table: MlRuleCases[] = [
  {
    policy: "rbac-no-privileged-roles-for-people-at-broad-scope",
    compliant: [
      { title: "AzureML Data Scientist to a group on the workspace", resource: ra },
      {
        title: "Contributor to a group on one storage account",
        resource: grant(ROLES.contributor, "Group", STORAGE_ID),
      },
      {
        title: "Owner to a managed identity on the resource group",
        resource: grant(ROLES.owner, "ServicePrincipal", RESOURCE_GROUP),
      },
      { title: "Reader to a group on the subscription", resource: grant(ROLES.reader, "Group", SUBSCRIPTION) },
      { title: "a custom role definition is not checked", resource: withProp(role, "principalType", "User") },
    ],
    violations: [
      {
        title: "Owner to a user on the subscription",
        resource: grant(ROLES.owner, "User", SUBSCRIPTION),
        messages: [
          /^roleDefinitionId grants Owner \(8e3af657-.*\) to principalType "User" at subscription scope "\/subscriptions\/0{8}-/,
        ],
        alsoTrips: PEOPLE_RULES,
      },
      {
        title: "Contributor (bare GUID) to a group on the resource group",
        resource: grant(ROLES.contributor, "Group", RESOURCE_GROUP, true),
        messages: [
          /^roleDefinitionId grants Contributor \(b24988ac-.*\) to principalType "Group" at resource group scope/,
        ],
      },
      {
        title: "User Access Administrator to a foreign group on a management group",
        resource: grant(ROLES.userAccessAdministrator, "ForeignGroup", MANAGEMENT_GROUP),
        messages: [
          /grants User Access Administrator \(18d7d88d-d35e-4fb5-a5c3-7773c20a72d9\) to principalType "ForeignGroup" at management group scope/,
        ],
      },
      {
        title: "Role Based Access Control Administrator to a group (type in lower case) at the tenant root",
        resource: grant(ROLES.rbacAdministrator, "group", "/"),
        messages: [/grants Role Based Access Control Administrator .* at tenant root scope "\/"/],
      },
      {
        title: "resource group scope written in lower case with a trailing slash",
        resource: grant(ROLES.owner, "Group", `${RESOURCE_GROUP.toLowerCase()}/`),
        messages: [/at resource group scope/],
      },
      {
        title: "Owner on the subscription with principalType missing (sent as User)",
        resource: withProp(grant(ROLES.owner, "User", SUBSCRIPTION), "principalType", undefined),
        messages: [/to principalType not set \(sent as User\) at subscription scope/],
        alsoTrips: [...PEOPLE_RULES, "rbac-principal-type-set"],
      },
      {
        title: "a role made privileged in config",
        resource: grant(ROLES.reader, "Group", SUBSCRIPTION),
        config: { privilegedRoleIds: [ROLES.reader] },
        messages: [/grants role acdd72a7-3385-48ef-bd42-f606fba81ae7 to principalType "Group" at subscription scope/],
      },
    ],
    unknown: [
      {
        title: "scope unknown (new resource group in preview)",
        resource: withProp(grant(ROLES.owner, "Group", RESOURCE_GROUP), "scope", UNKNOWN.string),
      },
      { title: "role unknown", resource: withProp(ra, "roleDefinitionId", UNKNOWN.string) },
    ],
  },
  {
    policy: "rbac-principal-type-set",
    compliant: [
      { title: "Group", resource: ra },
      { title: "ServicePrincipal", resource: withProp(ra, "principalType", "ServicePrincipal") },
    ],
    violations: [
      {
        title: "absent",
        resource: withProp(ra, "principalType", undefined),
        messages: [/^principalType is not set: Azure treats the principal as a User/],
        alsoTrips: ["rbac-assign-to-groups"],
      },
      { title: "empty", resource: withProp(ra, "principalType", ""), messages: [/^principalType is "": /] },
    ],
    unknown: [{ title: "value unknown", resource: withProp(ra, "principalType", UNKNOWN.string) }],
  },
  {
    policy: "rbac-custom-role-no-wildcard-actions",
    compliant: [
      { title: "exact operations and */read", resource: role },
      {
        title: "a resource-type wildcard",
        resource: withActions(["Microsoft.MachineLearningServices/workspaces/computes/*"]),
      },
      { title: "no permissions", resource: withProp(role, "permissions", undefined) },
      { title: "a role assignment is not checked", resource: withProp(ra, "permissions", [{ actions: ["*"] }]) },
    ],
    violations: [
      {
        title: "*",
        resource: withActions(["*"]),
        messages: [/^permissions\[0\].actions\[0\] is "\*": a wildcard grants every current and future operation/],
      },
      {
        title: "a whole provider in dataActions",
        resource: withActions([], ["Microsoft.Storage/*"]),
        messages: [/^permissions\[0\].dataActions\[0\] is "Microsoft.Storage\/\*"/],
      },
      {
        title: "a verb on every provider",
        resource: withActions(["Microsoft.Compute/virtualMachines/read", "*/write"]),
        messages: [/^permissions\[0\].actions\[1\] is "\*\/write"/],
      },
      {
        title: "the authorization provider",
        resource: withActions(["Microsoft.Authorization/*"]),
        messages: [/^permissions\[0\].actions\[0\] is "Microsoft.Authorization\/\*"/],
        alsoTrips: ["rbac-custom-role-no-authorization-write"],
      },
      {
        title: "two wildcards",
        resource: withActions(["*"], ["*"]),
        messages: [/actions\[0\] is "\*"/, /dataActions\[0\] is "\*"/],
      },
    ],
    unknown: [
      { title: "permissions unknown", resource: withProp(role, "permissions", UNKNOWN.object) },
      { title: "an action unknown", resource: withActions([UNKNOWN.string]) },
    ],
  },
  {
    policy: "rbac-custom-role-no-authorization-write",
    compliant: [
      { title: "no authorization actions", resource: role },
      { title: "reading role assignments", resource: withActions(["Microsoft.Authorization/roleAssignments/read"]) },
    ],
    violations: [
      {
        title: "writing role assignments",
        resource: withActions(["Microsoft.Authorization/roleAssignments/write"]),
        messages: [
          /^permissions\[0\].actions\[0\] is "Microsoft.Authorization\/roleAssignments\/write": holders can assign roles \(including Owner\)/,
        ],
      },
      {
        title: "elevating access",
        resource: withActions(["Microsoft.Authorization/elevateAccess/Action"]),
        messages: [/is "Microsoft.Authorization\/elevateAccess\/Action"/],
      },
      {
        title: "role definitions wildcard, lower case",
        resource: withActions(["microsoft.authorization/roledefinitions/*"]),
        messages: [/is "microsoft.authorization\/roledefinitions\/\*"/],
      },
    ],
    unknown: [{ title: "actions unknown", resource: withProp(role, "permissions", [{ actions: UNKNOWN.object }]) }],
  },
  {
    policy: "rbac-privileged-role-user-principal",
    compliant: [
      { title: "least privilege to a group", resource: ra },
      { title: "Owner to a group on a resource", resource: grant(ROLES.owner, "Group", STORAGE_ID) },
      { title: "Owner to a managed identity", resource: grant(ROLES.owner, "ServicePrincipal", STORAGE_ID) },
    ],
    violations: [
      {
        title: "Owner to a user on one storage account",
        resource: grant(ROLES.owner, "User", STORAGE_ID),
        messages: [
          /^roleDefinitionId grants Owner \(8e3af657-a8ff-443c-a75c-2fe8c4bcb635\) to principalType "User": a standing privileged assignment to one person/,
        ],
        alsoTrips: ["rbac-assign-to-groups"],
      },
      {
        title: "Contributor with principalType missing (sent as User)",
        resource: withProp(grant(ROLES.contributor, "User", STORAGE_ID), "principalType", undefined),
        messages: [/grants Contributor .* to principalType not set \(sent as User\)/],
        alsoTrips: ["rbac-assign-to-groups", "rbac-principal-type-set"],
      },
    ],
    unknown: [
      {
        title: "role unknown",
        resource: withProp(grant(ROLES.owner, "User", STORAGE_ID), "roleDefinitionId", UNKNOWN.string),
      },
    ],
  },
  {
    policy: "rbac-assign-to-groups",
    compliant: [
      { title: "Group", resource: ra },
      { title: "ServicePrincipal", resource: withProp(ra, "principalType", "ServicePrincipal") },
    ],
    violations: [
      {
        title: "a user",
        resource: withProp(ra, "principalType", "User"),
        messages: [/^principalType is "User": access granted to individuals is hard to review/],
      },
    ],
    unknown: [{ title: "value unknown", resource: withProp(ra, "principalType", UNKNOWN.string) }],
  },
];

describeMlRules("rbac", /^rbac-/, rbacPolicies, table);

describe("rbac helpers", () => {
  it("classify scopes", () => {
    expect(scopeLevel("/")).toBe("root");
    expect(scopeLevel(MANAGEMENT_GROUP)).toBe("managementGroup");
    expect(scopeLevel(SUBSCRIPTION)).toBe("subscription");
    expect(scopeLevel(`${SUBSCRIPTION}/`)).toBe("subscription");
    expect(scopeLevel(RESOURCE_GROUP.toUpperCase())).toBe("resourceGroup");
    expect(scopeLevel(STORAGE_ID)).toBe("resource");
    expect(
      scopeLevel(
        `${RESOURCE_GROUP}/providers/Microsoft.Storage/storageAccounts/sttest/blobServices/default/containers/data`,
      ),
    ).toBe("resource");
  });

  it("read role GUIDs from full ids and bare GUIDs", () => {
    expect(roleGuid(roleId(ROLES.owner))).toBe(ROLES.owner);
    expect(roleGuid(`/providers/Microsoft.Authorization/roleDefinitions/${ROLES.owner.toUpperCase()}`)).toBe(
      ROLES.owner,
    );
    expect(roleGuid(ROLES.owner)).toBe(ROLES.owner);
  });
});

describeShippedStacks("rbac", rbacPolicies, { dev: [], prod: [] });
