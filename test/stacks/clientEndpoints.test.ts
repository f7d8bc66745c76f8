import { beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_ROLES } from "secure-azureml-facts";
import { Plan } from "../../plan/contract";
import { one, ofType } from "../support/plan";
import { T, idOfType, planStackFile, principalOf, privateEndpointWiring, zoneIdsByName } from "../support/stack";

/**
 * The optional client-VNet private endpoints of the Key Vault (`keyVault.privateEndpoint`) and the
 * container registry (`registry.privateEndpoint`), each on its own: the platform layer of the dev
 * stack file with one of them switched back on.
 */

const VAULT_ZONE = "privatelink.vaultcore.azure.net";
const REGISTRY_ZONE = "privatelink.azurecr.io";

/** The dev platform (no serving layer) with config overrides. */
const planDevPlatform = (overrides: Record<string, unknown>) =>
  planStackFile(
    "dev",
    undefined,
    Object.fromEntries(
      Object.entries(overrides).map(([key, value]) => [`secure-azureml:${key}`, JSON.stringify(value)]),
    ),
    null,
  );

describe("keyVault.privateEndpoint: false (registry.privateEndpoint: true)", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planDevPlatform({
      keyVault: { purgeProtection: false, privateEndpoint: false },
      registry: { zoneRedundancy: false, privateEndpoint: true },
    });
  });

  it("creates no private endpoint to the vault and no vaultcore zone, but the registry's endpoint and zone", () => {
    const vaultId = idOfType(plan, T.vault);
    const wiring = privateEndpointWiring(plan);
    expect(Object.keys(wiring).sort()).toEqual([
      "pe-amldev-registry-registry",
      "pe-amldev-storage-blob",
      "pe-amldev-storage-file",
      "pe-amldev-workspace-amlworkspace",
    ]);
    expect(Object.values(wiring).filter((pe) => pe.target === vaultId)).toEqual([]);
    const zones = zoneIdsByName(plan);
    expect(Object.keys(zones)).not.toContain(VAULT_ZONE);
    expect(wiring["pe-amldev-registry-registry"]).toMatchObject({
      target: idOfType(plan, T.registry),
      groupIds: ["registry"],
      zoneIds: [zones[REGISTRY_ZONE]],
      zoneGroups: 1,
    });
    expect(ofType(plan, T.zoneLink).map((link) => link.inputs.privateZoneName)).not.toContain(VAULT_ZONE);
    expect(Object.keys(plan.outputs.privateEndpointIds as object).sort()).toEqual([
      "registry",
      "storage-blob",
      "storage-file",
      "workspace",
    ]);
  });

  it("keeps the vault closed to public networks, and the workspace still uses it (reached through its managed network)", () => {
    const vaultId = idOfType(plan, T.vault);
    expect(one(plan, T.vault).inputs.properties).toMatchObject({
      publicNetworkAccess: "Disabled",
      enableRbacAuthorization: true,
      networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
    });
    const workspace = one(plan, T.workspace);
    expect(workspace.inputs.keyVault).toBe(vaultId);
    expect((workspace.inputs.managedNetwork as { isolationMode: string }).isolationMode).toBe(
      "AllowOnlyApprovedOutbound",
    );
    // The workspace identity keeps its roles on the vault (it manages the workspace's secrets through the managed network).
    const workspaceRoles = ofType(plan, T.roleAssignment).filter(
      (ra) => ra.inputs.principalId === principalOf(plan, "id-amldev-workspace") && ra.inputs.scope === vaultId,
    );
    expect(workspaceRoles.map((ra) => String(ra.inputs.roleDefinitionId).split("/").pop()).sort()).toEqual(
      [BUILT_IN_ROLES.Contributor, BUILT_IN_ROLES["Key Vault Administrator"]].sort(),
    );
  });
});

describe("registry.privateEndpoint: false with an ML registry the stack creates", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planDevPlatform({ mlRegistry: { enabled: true, mode: "publish" } });
  });

  it("creates no client endpoint to the workspace's registry, but keeps the registry zone for the ML registry's own container registry endpoint", () => {
    const wiring = privateEndpointWiring(plan);
    const registryId = idOfType(plan, T.registry);
    expect(Object.values(wiring).filter((pe) => pe.target === registryId)).toEqual([]);
    const zones = zoneIdsByName(plan);
    expect(Object.keys(zones).sort()).toEqual(
      [
        "privatelink.api.azureml.ms",
        REGISTRY_ZONE,
        "privatelink.blob.core.windows.net",
        "privatelink.file.core.windows.net",
        "privatelink.notebooks.azure.net",
      ].sort(),
    );
    expect(wiring["pe-amldev-mlops-registry-registry-managed-registry"]).toMatchObject({
      groupIds: ["registry"],
      zoneIds: [zones[REGISTRY_ZONE]],
      zoneGroups: 1,
    });
  });
});
