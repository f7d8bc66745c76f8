import { describe, expect, it } from "vitest";
import { rbacPolicies } from "../../policies/rules/rbac";
import {
  DOCUMENTED_PRIVILEGED_GRANTS,
  normalizeId,
  roleGuid,
  roleLabel,
  sameArmId,
  scopeLevel,
  scopeResourceType,
} from "../../policies/support/ml";
import { UNKNOWN } from "./support/harness";
import {
  RESOURCE_GROUP,
  ROLES,
  STORAGE_ID,
  SUBSCRIPTION,
  WORKSPACE_ID,
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

/** Privileged built-in roles besides the fixture's (Microsoft Learn, "Azure built-in roles"). */
const KEY_VAULT_ADMINISTRATOR = "00482a5a-887f-4fb3-b363-3b7fe8e74483";
const BLOB_DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
const PROVIDERS = `${RESOURCE_GROUP}/providers`;
const KEY_VAULT_ID = `${PROVIDERS}/Microsoft.KeyVault/vaults/kv-test`;
const ML_REGISTRY_ID = `${PROVIDERS}/Microsoft.MachineLearningServices/registries/mlr-test`;
const CONTAINER_ID = `${STORAGE_ID}/blobServices/default/containers/data`;
const VM_ID = `${PROVIDERS}/Microsoft.Compute/virtualMachines/vm-jump`;

const table: MlRuleCases[] = [
  {
    policy: "rbac-no-privileged-roles",
    compliant: [
      { title: "AzureML Data Scientist to a group on the workspace", resource: ra },
      { title: "Reader to a group on the subscription", resource: grant(ROLES.reader, "Group", SUBSCRIPTION) },
      {
        title: "Contributor to a service principal on one storage account (workspace identity requirement)",
        resource: grant(ROLES.contributor, "ServicePrincipal", STORAGE_ID),
      },
      {
        title: "Contributor to a service principal on the workspace",
        resource: grant(ROLES.contributor, "servicePrincipal", WORKSPACE_ID),
      },
      {
        title: "Contributor (bare GUID) to a service principal on an ML registry",
        resource: grant(ROLES.contributor, "ServicePrincipal", ML_REGISTRY_ID, true),
      },
      {
        title: "Key Vault Administrator to a service principal on one Key Vault (RBAC-mode vault requirement)",
        resource: grant(KEY_VAULT_ADMINISTRATOR, "ServicePrincipal", KEY_VAULT_ID),
      },
      { title: "a custom role definition is not checked", resource: withProp(role, "principalType", "User") },
    ],
    violations: [
      {
        title: "Owner to a user on one storage account",
        resource: grant(ROLES.owner, "User", STORAGE_ID),
        messages: [
          /^roleDefinitionId grants Owner \(8e3af657-a8ff-443c-a75c-2fe8c4bcb635\) to principalType "User" at resource scope "\/subscriptions\/.*\/storageAccounts\/sttest": a standing privileged assignment \(full control of the scope, its data, or the right to grant access\) that no documented requirement of this environment needs/,
        ],
        alsoTrips: ["rbac-assign-to-groups"],
      },
      {
        title: "Owner to a user on the subscription",
        resource: grant(ROLES.owner, "User", SUBSCRIPTION),
        messages: [
          /^roleDefinitionId grants Owner .* to principalType "User" at subscription scope "\/subscriptions\/0{8}-/,
        ],
        alsoTrips: ["rbac-assign-to-groups"],
      },
      {
        title: "Owner to a managed identity on the resource group",
        resource: grant(ROLES.owner, "ServicePrincipal", RESOURCE_GROUP),
        messages: [/grants Owner .* to principalType "ServicePrincipal" at resource group scope/],
      },
      {
        title: "Owner to a managed identity on one storage account (no requirement names Owner)",
        resource: grant(ROLES.owner, "ServicePrincipal", STORAGE_ID),
        messages: [/grants Owner .* to principalType "ServicePrincipal" at resource scope .*no documented requirement/],
      },
      {
        title: "Contributor to a group on one storage account",
        resource: grant(ROLES.contributor, "Group", STORAGE_ID),
        messages: [
          /^roleDefinitionId grants Contributor \(b24988ac-6180-42a0-ab88-20f7382dd24c\) to principalType "Group" at resource scope .*: a standing privileged assignment; it is allowed only to a ServicePrincipal on one resource of type .*microsoft\.storage\/storageaccounts.* \(a documented requirement of the workspace identity\)\.$/,
        ],
      },
      {
        title: "Contributor (bare GUID) to a group on the resource group",
        resource: grant(ROLES.contributor, "Group", RESOURCE_GROUP, true),
        messages: [
          /^roleDefinitionId grants Contributor \(b24988ac-.*\) to principalType "Group" at resource group scope/,
        ],
      },
      {
        title: "Contributor to a managed identity on the resource group",
        resource: grant(ROLES.contributor, "ServicePrincipal", RESOURCE_GROUP),
        messages: [
          /to principalType "ServicePrincipal" at resource group scope .*: a standing privileged assignment; it is allowed only to a ServicePrincipal on one resource/,
        ],
      },
      {
        title: "Contributor to a managed identity on the subscription",
        resource: grant(ROLES.contributor, "ServicePrincipal", SUBSCRIPTION),
        messages: [/at subscription scope/],
      },
      {
        title: "Contributor to a managed identity on a management group",
        resource: grant(ROLES.contributor, "ServicePrincipal", MANAGEMENT_GROUP),
        messages: [/at management group scope/],
      },
      {
        title: "Contributor to a managed identity at the tenant root",
        resource: grant(ROLES.contributor, "ServicePrincipal", "/"),
        messages: [/at tenant root scope "\/"/],
      },
      {
        title: "Contributor to a managed identity on a resource type no requirement names (a VM)",
        resource: grant(ROLES.contributor, "ServicePrincipal", VM_ID),
        messages: [
          /at resource scope ".*virtualMachines\/vm-jump": a standing privileged assignment; it is allowed only/,
        ],
      },
      {
        title: "Contributor to a managed identity on a blob container (not the account the requirement names)",
        resource: grant(ROLES.contributor, "ServicePrincipal", CONTAINER_ID),
        messages: [/at resource scope ".*containers\/data"/],
      },
      {
        title: "Contributor on one storage account with principalType missing (sent as User)",
        resource: withProp(grant(ROLES.contributor, "User", STORAGE_ID), "principalType", undefined),
        messages: [/grants Contributor .* to principalType not set \(sent as User\) at resource scope/],
        alsoTrips: ["rbac-assign-to-groups", "rbac-principal-type-set"],
      },
      {
        title: "Key Vault Administrator to a user on one Key Vault",
        resource: grant(KEY_VAULT_ADMINISTRATOR, "User", KEY_VAULT_ID),
        messages: [
          /^roleDefinitionId grants Key Vault Administrator \(00482a5a-887f-4fb3-b363-3b7fe8e74483\) to principalType "User"/,
        ],
        alsoTrips: ["rbac-assign-to-groups"],
      },
      {
        title: "Key Vault Administrator to a managed identity on a storage account",
        resource: grant(KEY_VAULT_ADMINISTRATOR, "ServicePrincipal", STORAGE_ID),
        messages: [
          /grants Key Vault Administrator .* allowed only to a ServicePrincipal on one resource of type microsoft\.keyvault\/vaults /,
        ],
      },
      {
        title: "Storage Blob Data Owner to a managed identity on one storage account",
        resource: grant(BLOB_DATA_OWNER, "ServicePrincipal", STORAGE_ID),
        messages: [
          /^roleDefinitionId grants Storage Blob Data Owner \(b7e6dc6d-f1e8-4753-8033-0f276bb0955b\) to principalType "ServicePrincipal" at resource scope/,
        ],
      },
      {
        title: "Storage Blob Data Owner to a device",
        resource: grant(BLOB_DATA_OWNER, "Device", STORAGE_ID),
        messages: [/to principalType "Device"/],
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
        title: "Owner whose scope is unknown during preview (the verdict does not depend on it)",
        resource: withProp(grant(ROLES.owner, "Group", RESOURCE_GROUP), "scope", UNKNOWN.string),
        messages: [/grants Owner .* to principalType "Group" at unknown during preview:/],
      },
      {
        title: "a role made privileged in config",
        resource: grant(ROLES.reader, "Group", SUBSCRIPTION),
        config: { privilegedRoleIds: [ROLES.reader] },
        messages: [
          /grants Reader \(acdd72a7-3385-48ef-bd42-f606fba81ae7\) to principalType "Group" at subscription scope/,
        ],
      },
      {
        title: "documented grants emptied in config: Contributor on the storage account",
        resource: grant(ROLES.contributor, "ServicePrincipal", STORAGE_ID),
        config: { documentedPrivilegedGrants: [] },
        messages: [/grants Contributor .* no documented requirement of this environment needs/],
      },
    ],
    unknown: [
      { title: "role unknown", resource: withProp(ra, "roleDefinitionId", UNKNOWN.string) },
      {
        title: "Contributor to a service principal, scope unknown (new resource in preview)",
        resource: withProp(grant(ROLES.contributor, "ServicePrincipal", STORAGE_ID), "scope", UNKNOWN.string),
      },
      {
        title: "Key Vault Administrator on a Key Vault, principal type unknown",
        resource: withProp(
          grant(KEY_VAULT_ADMINISTRATOR, "ServicePrincipal", KEY_VAULT_ID),
          "principalType",
          UNKNOWN.string,
        ),
      },
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
    expect(roleGuid(`${roleId(ROLES.owner)}/`)).toBe(ROLES.owner);
    expect(roleGuid(undefined)).toBe("");
  });

  it("name known built-in roles in messages and show other GUIDs as a role", () => {
    expect(roleLabel(ROLES.owner)).toBe("Owner (8e3af657-a8ff-443c-a75c-2fe8c4bcb635)");
    expect(roleLabel("7f951dda-4ed3-4680-a7ca-43fe172d538d")).toBe("AcrPull (7f951dda-4ed3-4680-a7ca-43fe172d538d)");
    expect(roleLabel("00000000-0000-0000-0000-0000000000aa")).toBe("role 00000000-0000-0000-0000-0000000000aa");
  });

  it("compare ARM ids without case, extra slashes or surrounding space", () => {
    expect(normalizeId(` ${STORAGE_ID.toUpperCase()}/ `)).toBe(STORAGE_ID.toLowerCase());
    expect(sameArmId(STORAGE_ID, `${STORAGE_ID.toLowerCase()}/`)).toBe(true);
    expect(sameArmId(STORAGE_ID, `${STORAGE_ID}2`)).toBe(false);
    expect(sameArmId(STORAGE_ID, undefined)).toBe(false);
    expect(scopeLevel("/")).toBe("root");
  });
});

describe("privileged roles and documented grants (secure-azureml-facts)", () => {
  it("treats the six privileged built-in roles as privileged by default, by their Microsoft Learn GUIDs", () => {
    const schema = rbacPolicies.find((p) => p.name === "rbac-no-privileged-roles")?.configSchema?.properties;
    expect(schema?.privilegedRoleIds.default).toEqual([
      "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
      "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor
      "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", // User Access Administrator
      "f58310d9-a9f6-439a-9e8d-f62e7b41a168", // Role Based Access Control Administrator
      "00482a5a-887f-4fb3-b363-3b7fe8e74483", // Key Vault Administrator
      "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner
    ]);
  });

  it("allows exactly the workspace identity's documented Contributor and Key Vault Administrator scopes", () => {
    expect(DOCUMENTED_PRIVILEGED_GRANTS).toEqual([
      {
        roleId: ROLES.contributor,
        resourceTypes: [
          "microsoft.containerregistry/registries",
          "microsoft.insights/components",
          "microsoft.keyvault/vaults",
          "microsoft.machinelearningservices/registries",
          "microsoft.machinelearningservices/workspaces",
          "microsoft.storage/storageaccounts",
        ],
      },
      { roleId: KEY_VAULT_ADMINISTRATOR, resourceTypes: ["microsoft.keyvault/vaults"] },
    ]);
  });

  it("reads the resource type of a scope", () => {
    expect(scopeResourceType(STORAGE_ID)).toBe("microsoft.storage/storageaccounts");
    expect(scopeResourceType(`${CONTAINER_ID}/`)).toBe("microsoft.storage/storageaccounts/blobservices/containers");
    expect(scopeResourceType(RESOURCE_GROUP)).toBeUndefined();
    expect(scopeResourceType(MANAGEMENT_GROUP)).toBeUndefined();
    expect(scopeResourceType("/")).toBeUndefined();
  });
});

describeShippedStacks("rbac", rbacPolicies, { dev: [], prod: [] });
