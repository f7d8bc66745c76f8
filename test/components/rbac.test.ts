import { beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_ROLES } from "secure-azureml-facts";
import {
  computeIdentityGrants,
  endpointIdentityGrants,
  personaGrants,
  workspaceIdentityGrants,
  workspacePostCreateGrants,
} from "../../components/roleAssignments";
import { Plan } from "../../plan/contract";
import { ofType, planWith } from "../support/plan";

const SUB = "00000000-0000-0000-0000-000000000000";
const RG = `/subscriptions/${SUB}/resourceGroups/rg-aml`;
const scopes = {
  resourceGroupId: RG,
  storageAccountId: `${RG}/providers/Microsoft.Storage/storageAccounts/stamlx`,
  keyVaultId: `${RG}/providers/Microsoft.KeyVault/vaults/kv-aml-x`,
  containerRegistryId: `${RG}/providers/Microsoft.ContainerRegistry/registries/cramlx`,
  applicationInsightsId: `${RG}/providers/Microsoft.Insights/components/appi-aml-x`,
};
const WORKSPACE = `${RG}/providers/Microsoft.MachineLearningServices/workspaces/mlw-aml-x`;
const CONTAINER = `${scopes.storageAccountId}/blobServices/default/containers/azureml-blobstore-8f14e45f-ceea-467f-a0e6-5b1c3d2e4f60`;
const GROUP_DS = "7d3e1a52-3c4b-4f0e-9a61-0b5c2d8e4f11";
const GROUP_OPS = "2b9f6c14-8e2d-4a7b-b3c5-6d1e0f9a8b22";
const GROUP_READ = "9c4d2e73-5f1a-4b8c-a2d6-3e7f1b0c9d33";

const summary = (grants: ReturnType<typeof workspaceIdentityGrants>) =>
  grants.map((g) => [g.role, g.scope, g.principalId, g.principalType]);

describe("least-privilege grants", () => {
  it("workspace identity: exactly the roles Microsoft documents for a user-assigned workspace identity", () => {
    expect(summary(workspaceIdentityGrants("ws-principal", scopes))).toEqual([
      ["Contributor", scopes.storageAccountId, "ws-principal", "ServicePrincipal"],
      ["Storage Blob Data Contributor", scopes.storageAccountId, "ws-principal", "ServicePrincipal"],
      ["Storage File Data Privileged Contributor", scopes.storageAccountId, "ws-principal", "ServicePrincipal"],
      ["Contributor", scopes.keyVaultId, "ws-principal", "ServicePrincipal"],
      ["Key Vault Administrator", scopes.keyVaultId, "ws-principal", "ServicePrincipal"],
      ["Contributor", scopes.containerRegistryId, "ws-principal", "ServicePrincipal"],
      ["Contributor", scopes.applicationInsightsId, "ws-principal", "ServicePrincipal"],
      ["Azure AI Enterprise Network Connection Approver", RG, "ws-principal", "ServicePrincipal"],
    ]);
  });

  it("compute identity: AcrPull on the registry and blob data on storage, nothing else", () => {
    expect(summary(computeIdentityGrants("c", scopes))).toEqual([
      ["AcrPull", scopes.containerRegistryId, "c", "ServicePrincipal"],
      ["Storage Blob Data Contributor", scopes.storageAccountId, "c", "ServicePrincipal"],
    ]);
  });

  it("compute identity with batch scoring: also Storage Queue and Table Data Contributor on the storage account (deploy-audit R2)", () => {
    expect(summary(computeIdentityGrants("c", scopes, { batchScoring: true }))).toEqual([
      ["Storage Queue Data Contributor", scopes.storageAccountId, "c", "ServicePrincipal"],
      ["Storage Table Data Contributor", scopes.storageAccountId, "c", "ServicePrincipal"],
      ["AcrPull", scopes.containerRegistryId, "c", "ServicePrincipal"],
      ["Storage Blob Data Contributor", scopes.storageAccountId, "c", "ServicePrincipal"],
    ]);
  });

  it("workspace identity after the workspace exists: Contributor on the workspace (R5), Reader on the blob and file private endpoints (R6), Contributor on a created ML registry (R1)", () => {
    const peIds = {
      blob: `${scopes.storageAccountId}-pe-blob`,
      file: `${scopes.storageAccountId}-pe-file`,
      dfs: `${scopes.storageAccountId}-pe-dfs`,
    };
    const registry = `${SUB}/resourceGroups/rg/providers/Microsoft.MachineLearningServices/registries/mlr-test`;
    expect(
      summary(
        workspacePostCreateGrants("w", {
          workspaceId: WORKSPACE,
          storagePrivateEndpointIds: peIds,
          mlRegistryId: registry,
        }),
      ),
    ).toEqual([
      ["Contributor", WORKSPACE, "w", "ServicePrincipal"],
      ["Reader", peIds.blob, "w", "ServicePrincipal"],
      ["Reader", peIds.file, "w", "ServicePrincipal"],
      ["Contributor", registry, "w", "ServicePrincipal"],
    ]);
    expect(summary(workspacePostCreateGrants("w", { workspaceId: WORKSPACE, storagePrivateEndpointIds: {} }))).toEqual([
      ["Contributor", WORKSPACE, "w", "ServicePrincipal"],
    ]);
  });

  it("endpoint identity: blob write on the data collector's container only, AcrPull, Storage Blob Data Reader, AzureML Metrics Writer", () => {
    expect(
      summary(endpointIdentityGrants("e", { ...scopes, workspaceId: WORKSPACE, workspaceBlobContainerId: CONTAINER })),
    ).toEqual([
      ["Storage Blob Data Contributor", CONTAINER, "e", "ServicePrincipal"],
      ["AcrPull", scopes.containerRegistryId, "e", "ServicePrincipal"],
      ["Storage Blob Data Reader", scopes.storageAccountId, "e", "ServicePrincipal"],
      ["AzureML Metrics Writer", WORKSPACE, "e", "ServicePrincipal"],
    ]);
  });

  it("personas: groups get workspace roles and data roles, never Owner or Contributor", () => {
    const grants = personaGrants(
      { dataScientists: [GROUP_DS], mlEngineers: [GROUP_OPS], readers: [GROUP_READ] },
      { workspaceId: WORKSPACE, storageAccountId: scopes.storageAccountId },
    );
    expect(summary(grants)).toEqual([
      ["AzureML Data Scientist", WORKSPACE, GROUP_DS, "Group"],
      ["Storage Blob Data Contributor", scopes.storageAccountId, GROUP_DS, "Group"],
      ["Storage File Data Privileged Contributor", scopes.storageAccountId, GROUP_DS, "Group"],
      ["AzureML Compute Operator", WORKSPACE, GROUP_OPS, "Group"],
      ["Reader", WORKSPACE, GROUP_READ, "Group"],
    ]);
    expect(new Set(grants.map((g) => g.key)).size).toBe(grants.length);
  });

  it("every grant states its reason", () => {
    const all = [
      ...workspaceIdentityGrants("w", scopes),
      ...computeIdentityGrants("c", scopes),
      ...endpointIdentityGrants("e", { ...scopes, workspaceId: WORKSPACE, workspaceBlobContainerId: CONTAINER }),
      ...workspacePostCreateGrants("w", { workspaceId: WORKSPACE, storagePrivateEndpointIds: { blob: "pe" } }),
    ];
    for (const g of all) expect(g.reason.length).toBeGreaterThan(20);
  });
});

describe("RoleAssignments component", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planWith(async () => {
      const { RoleAssignments } = await import("../../components/roleAssignments");
      new RoleAssignments("access", {
        grants: computeIdentityGrants("compute-principal", scopes),
        subscriptionId: SUB,
      });
      return {};
    });
  });

  it("creates one assignment per grant with the full role definition id, scope and explicit principal type", () => {
    const assignments = ofType(plan, "azure-native:authorization:RoleAssignment");
    expect(
      assignments.map((a) => [
        a.name,
        a.inputs.roleDefinitionId,
        a.inputs.scope,
        a.inputs.principalId,
        a.inputs.principalType,
      ]),
    ).toEqual([
      [
        "ra-compute-acrpull",
        `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES.AcrPull}`,
        scopes.containerRegistryId,
        "compute-principal",
        "ServicePrincipal",
      ],
      [
        "ra-compute-blob-data",
        `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES["Storage Blob Data Contributor"]}`,
        scopes.storageAccountId,
        "compute-principal",
        "ServicePrincipal",
      ],
    ]);
  });

  it("names assignments with a deterministic name-based UUID of project, stack, subscription, scope and key", async () => {
    const { v5 } = await import("uuid");
    const acrPull = ofType(plan, "azure-native:authorization:RoleAssignment").find(
      (a) => a.name === "ra-compute-acrpull",
    );
    expect(acrPull?.inputs.roleAssignmentName).toBe(
      v5(
        `secure-azureml/test/${SUB}/${scopes.containerRegistryId.toLowerCase()}/compute-acrpull`,
        "5f0e2f9c-6f53-4c1e-9a57-2b8f3c1d7a10",
      ),
    );
  });

  it("replaces an assignment delete-first (one assignment per principal, role and scope; a name cannot move to another principal)", () => {
    for (const assignment of ofType(plan, "azure-native:authorization:RoleAssignment"))
      expect(assignment.options.deleteBeforeReplace).toBe(true);
  });

  it("names each assignment from the resolved subscription and scope (Outputs), with the same function", async () => {
    const { roleAssignmentNameFor } = await import("../../components/shared/roleAssignment");
    const blob = ofType(plan, "azure-native:authorization:RoleAssignment").find(
      (a) => a.name === "ra-compute-blob-data",
    );
    expect(blob?.inputs.roleAssignmentName).toBe(
      roleAssignmentNameFor({
        project: "secure-azureml",
        stack: "test",
        subscriptionId: SUB,
        scope: scopes.storageAccountId,
        key: "compute-blob-data",
      }),
    );
  });
});

describe("role assignment names (deploy-audit M1)", () => {
  const seed = {
    project: "secure-azureml",
    stack: "dev",
    subscriptionId: SUB,
    scope: scopes.storageAccountId,
    key: "compute-blob-data",
  };
  const OTHER_SUB = "3f2a6c1e-8b4d-4e9a-9c7f-2d1b0e5a6f80";

  it("differ for the same project, stack and key in another subscription", async () => {
    const { roleAssignmentNameFor } = await import("../../components/shared/roleAssignment");
    const otherScope = scopes.storageAccountId.replace(SUB, OTHER_SUB);
    expect(roleAssignmentNameFor({ ...seed, subscriptionId: OTHER_SUB, scope: otherScope })).not.toBe(
      roleAssignmentNameFor(seed),
    );
    // Even where the scope string could not tell them apart, the subscription does.
    expect(roleAssignmentNameFor({ ...seed, subscriptionId: OTHER_SUB })).not.toBe(roleAssignmentNameFor(seed));
  });

  it("are stable: the same inputs give the same GUID, whatever the casing of the ids", async () => {
    const { roleAssignmentNameFor } = await import("../../components/shared/roleAssignment");
    const name = roleAssignmentNameFor(seed);
    expect(roleAssignmentNameFor({ ...seed })).toBe(name);
    expect(
      roleAssignmentNameFor({
        ...seed,
        subscriptionId: SUB.toUpperCase(),
        scope: scopes.storageAccountId.replace("resourceGroups", "resourcegroups"),
      }),
    ).toBe(name);
    expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("differ when the scope changes (a new assignment, not a refused update)", async () => {
    const { roleAssignmentNameFor } = await import("../../components/shared/roleAssignment");
    expect(
      roleAssignmentNameFor({ ...seed, scope: `${scopes.storageAccountId}/blobServices/default/containers/data` }),
    ).not.toBe(roleAssignmentNameFor(seed));
    expect(roleAssignmentNameFor({ ...seed, key: "compute-blob-data-2" })).not.toBe(roleAssignmentNameFor(seed));
  });
});
