import { beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_ROLES } from "../../components/config/catalogues/roles";
import { computeIdentityGrants, endpointIdentityGrants, personaGrants, workspaceIdentityGrants } from "../../components/rbac";
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
const GROUP_DS = "7d3e1a52-3c4b-4f0e-9a61-0b5c2d8e4f11";
const GROUP_OPS = "2b9f6c14-8e2d-4a7b-b3c5-6d1e0f9a8b22";
const GROUP_READ = "9c4d2e73-5f1a-4b8c-a2d6-3e7f1b0c9d33";

const summary = (grants: ReturnType<typeof workspaceIdentityGrants>) => grants.map((g) => [g.role, g.scope, g.principalId, g.principalType]);

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

  it("endpoint identity: AcrPull, Storage Blob Data Reader, AzureML Metrics Writer", () => {
    expect(summary(endpointIdentityGrants("e", { ...scopes, workspaceId: WORKSPACE }))).toEqual([
      ["AcrPull", scopes.containerRegistryId, "e", "ServicePrincipal"],
      ["Storage Blob Data Reader", scopes.storageAccountId, "e", "ServicePrincipal"],
      ["AzureML Metrics Writer", WORKSPACE, "e", "ServicePrincipal"],
    ]);
  });

  it("personas: groups get workspace roles and data roles, never Owner or Contributor", () => {
    const grants = personaGrants({ dataScientists: [GROUP_DS], mlEngineers: [GROUP_OPS], readers: [GROUP_READ] }, { workspaceId: WORKSPACE, storageAccountId: scopes.storageAccountId });
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
    const all = [...workspaceIdentityGrants("w", scopes), ...computeIdentityGrants("c", scopes), ...endpointIdentityGrants("e", { ...scopes, workspaceId: WORKSPACE })];
    for (const g of all) expect(g.reason.length).toBeGreaterThan(20);
  });
});

describe("RoleAssignments component", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planWith(async () => {
      const { RoleAssignments } = await import("../../components/rbac");
      new RoleAssignments("access", { grants: computeIdentityGrants("compute-principal", scopes), subscriptionId: SUB });
      return {};
    });
  });

  it("creates one assignment per grant with the full role definition id, scope and explicit principal type", () => {
    const assignments = ofType(plan, "azure-native:authorization:RoleAssignment");
    expect(assignments.map((a) => [a.name, a.inputs.roleDefinitionId, a.inputs.scope, a.inputs.principalId, a.inputs.principalType])).toEqual([
      ["ra-compute-acrpull", `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES.AcrPull}`, scopes.containerRegistryId, "compute-principal", "ServicePrincipal"],
      [
        "ra-compute-blob-data",
        `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES["Storage Blob Data Contributor"]}`,
        scopes.storageAccountId,
        "compute-principal",
        "ServicePrincipal",
      ],
    ]);
  });

  it("names assignments with a deterministic name-based UUID of project, stack and key", async () => {
    const { v5 } = await import("uuid");
    const acrPull = ofType(plan, "azure-native:authorization:RoleAssignment").find((a) => a.name === "ra-compute-acrpull");
    expect(acrPull?.inputs.roleAssignmentName).toBe(v5("secure-azureml/test/compute-acrpull", "5f0e2f9c-6f53-4c1e-9a57-2b8f3c1d7a10"));
  });
});
