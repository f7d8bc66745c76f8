import { beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_ROLES } from "secure-azureml-facts";
import { Plan } from "../../plan/contract";
import { ofType, one } from "../support/plan";
import { T, idOfType, principalOf, privateEndpointWiring } from "../support/stack";

/**
 * Scenarios in the manner of Azure Verified Modules: `defaults` (minimum input), `max` (every
 * option: existing network and hub DNS zones in Azure Government, CMK, extra outbound rules,
 * personas, workspace lock) and `azurePolicy` (zone groups left to policy).
 */
const HUB = "/subscriptions/aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa/resourceGroups/rg-hub/providers";
const SPOKE =
  "/subscriptions/bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke";
const CMK_VAULT =
  "/subscriptions/bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv-cmk-max";
const GOV_ZONES = {
  amlApi: "privatelink.api.ml.azure.us",
  amlNotebooks: "privatelink.notebooks.usgovcloudapi.net",
  blob: "privatelink.blob.core.usgovcloudapi.net",
  file: "privatelink.file.core.usgovcloudapi.net",
  dfs: "privatelink.dfs.core.usgovcloudapi.net",
  queue: "privatelink.queue.core.usgovcloudapi.net",
  table: "privatelink.table.core.usgovcloudapi.net",
  vault: "privatelink.vaultcore.usgovcloudapi.net",
  registry: "privatelink.azurecr.us",
};
const zoneId = (zone: string) => `${HUB}/Microsoft.Network/privateDnsZones/${zone}`;

async function plan(stack: string, config: Record<string, unknown>): Promise<Plan> {
  const { planProgram } = await import("../../plan/engine");
  const { buildProgram } = await import("../../program");
  const flat = Object.fromEntries(
    Object.entries(config).map(([k, v]) => [`secure-azureml:${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
  );
  return planProgram({ project: "secure-azureml", stack, config: flat, program: buildProgram });
}

describe("scenario defaults (only location and namePrefix)", () => {
  let p: Plan;
  beforeAll(async () => {
    p = await plan("defaults", { location: "northeurope", namePrefix: "amlmin" });
  });

  it("applies the secure defaults: protected, locked, zone-redundant, approved outbound", () => {
    expect(p.lateRegistrations).toEqual([]);
    expect(one(p, T.storage).inputs.sku).toEqual({ name: "Standard_ZRS" });
    expect(one(p, T.logAnalytics).inputs.retentionInDays).toBe(90);
    // Locks on the data-bearing resources, not on the workspace (protection.lockWorkspace defaults to false).
    expect(
      ofType(p, T.lock)
        .map((l) => [l.inputs.scope, l.inputs.level])
        .sort(),
    ).toEqual(
      [idOfType(p, T.storage), idOfType(p, T.vault), idOfType(p, T.registry), idOfType(p, T.logAnalytics)]
        .map((id) => [id, "CanNotDelete"])
        .sort(),
    );
    expect(
      p.resources
        .filter((r) => r.options.protect)
        .map((r) => r.type)
        .sort(),
    ).toEqual([T.vault, T.registry, T.logAnalytics, T.workspace, T.storage].sort());
    expect((one(p, T.workspace).inputs.managedNetwork as { isolationMode: string }).isolationMode).toBe(
      "AllowOnlyApprovedOutbound",
    );
    expect(one(p, "azure-native:resources:ResourceGroup").inputs).toMatchObject({
      resourceGroupName: "rg-amlmin",
      location: "northeurope",
    });
    expect(one(p, T.vnet).inputs.addressSpace).toEqual({ addressPrefixes: ["10.40.0.0/16"] });
  });

  it("grants no persona roles when no groups are configured", () => {
    expect(ofType(p, T.roleAssignment).filter((r) => r.inputs.principalType === "Group")).toEqual([]);
    // Workspace identity: 8 before the workspace + Contributor on it + Reader on the blob and file private endpoints;
    // compute identity: AcrPull, Storage Blob Data Contributor, AzureML Data Scientist; endpoint identity: 4.
    expect(ofType(p, T.roleAssignment)).toHaveLength(18);
    expect(
      ofType(p, T.roleAssignment)
        .map((r) => r.name)
        .filter((name) =>
          [
            "ra-workspace-workspace-contributor",
            "ra-workspace-pe-blob-reader",
            "ra-workspace-pe-file-reader",
            "ra-compute-workspace-data-scientist",
          ].includes(name),
        )
        .sort(),
    ).toEqual([
      "ra-compute-workspace-data-scientist",
      "ra-workspace-pe-blob-reader",
      "ra-workspace-pe-file-reader",
      "ra-workspace-workspace-contributor",
    ]);
  });
});

describe("scenario max (existing network, hub DNS, Azure Government, CMK, every option)", () => {
  let p: Plan;
  beforeAll(async () => {
    p = await plan("max", {
      location: "usgovvirginia",
      cloud: "AzureUSGovernment",
      namePrefix: "amlmax",
      resourceGroupName: "rg-ml-max",
      tags: { owner: "platform" },
      network: { mode: "existing", virtualNetworkId: SPOKE, privateEndpointSubnetId: `${SPOKE}/subnets/snet-pe` },
      privateDns: {
        mode: "existing",
        zoneIds: Object.fromEntries(Object.entries(GOV_ZONES).map(([k, z]) => [k, zoneId(z)])),
      },
      workspace: {
        friendlyName: "Max",
        description: "every option",
        highBusinessImpact: true,
        customerManagedKey: {
          keyVaultId: CMK_VAULT,
          keyUri: "https://kv-cmk-max.vault.usgovcloudapi.net/keys/aml-cmk",
        },
        outbound: {
          presets: ["pypi"],
          extraFqdns: ["artifacts.example.com"],
          extraServiceTags: [{ serviceTag: "AzureOpenDatasets", protocol: "TCP", portRanges: "443" }],
          firewallSku: "Basic",
        },
      },
      personas: {
        dataScientists: ["11111111-aaaa-4aaa-8aaa-111111111111"],
        mlEngineers: ["22222222-bbbb-4bbb-8bbb-222222222222"],
        readers: ["33333333-cccc-4ccc-8ccc-333333333333"],
      },
      monitoring: { logRetentionDays: 180, dailyQuotaGb: 5 },
      storage: {
        sku: "Standard_GZRS",
        privateEndpoints: ["blob", "file", "dfs", "queue", "table"],
        softDeleteRetentionDays: 21,
      },
      keyVault: { sku: "premium", softDeleteRetentionDays: 30 },
      registry: { zoneRedundancy: false, untaggedRetentionDays: 14 },
      protection: { locks: true, protect: true, lockWorkspace: true },
    });
  });

  it("creates no network or DNS resources and places every endpoint in the existing subnet", () => {
    for (const type of [T.vnet, T.subnet, T.nsg, T.zone, T.zoneLink]) expect(ofType(p, type)).toEqual([]);
    const wiring = privateEndpointWiring(p);
    expect(Object.keys(wiring).sort()).toEqual([
      "pe-amlmax-keyvault-vault",
      "pe-amlmax-registry-registry",
      ...["blob", "dfs", "file", "queue", "table"].map((group) => `pe-amlmax-storage-${group}`),
      "pe-amlmax-workspace-amlworkspace",
    ]);
    for (const pe of Object.values(wiring)) expect(pe.subnetId).toBe(`${SPOKE}/subnets/snet-pe`);
  });

  it("uses the hub's Azure Government zone ids in the zone groups", () => {
    const wiring = privateEndpointWiring(p);
    expect(wiring["pe-amlmax-workspace-amlworkspace"].zoneIds).toEqual([
      zoneId(GOV_ZONES.amlApi),
      zoneId(GOV_ZONES.amlNotebooks),
    ]);
    expect(wiring["pe-amlmax-keyvault-vault"].zoneIds).toEqual([zoneId(GOV_ZONES.vault)]);
    expect(wiring["pe-amlmax-registry-registry"].zoneIds).toEqual([zoneId(GOV_ZONES.registry)]);
    for (const sub of ["blob", "file", "dfs", "queue", "table"] as const)
      expect(wiring[`pe-amlmax-storage-${sub}`].zoneIds).toEqual([zoneId(GOV_ZONES[sub])]);
  });

  it("encrypts the workspace with the customer-managed key through its identity, which may use the key", () => {
    const ws = one(p, T.workspace).inputs;
    const identityId = String(
      ofType(p, T.identity).find((i) => i.inputs.resourceName === "id-amlmax-workspace")?.outputs.id,
    );
    expect(ws.encryption).toEqual({
      status: "Enabled",
      identity: { userAssignedIdentity: identityId },
      keyVaultProperties: {
        keyVaultArmId: CMK_VAULT,
        keyIdentifier: "https://kv-cmk-max.vault.usgovcloudapi.net/keys/aml-cmk",
      },
    });
    const cmkGrant = ofType(p, T.roleAssignment).find((r) => r.inputs.scope === CMK_VAULT);
    expect(cmkGrant?.inputs).toMatchObject({
      principalId: principalOf(p, "id-amlmax-workspace"),
      principalType: "ServicePrincipal",
    });
    expect(String(cmkGrant?.inputs.roleDefinitionId)).toMatch(
      new RegExp(`${BUILT_IN_ROLES["Key Vault Crypto Service Encryption User"]}$`),
    );
    expect(one(p, T.workspace).dependencies).toContain(cmkGrant?.urn);
  });

  it("adds the extra FQDN and service tag rules and the Basic firewall", () => {
    const network = one(p, T.workspace).inputs.managedNetwork as {
      firewallSku: string;
      outboundRules: Record<string, { type: string; destination: unknown }>;
    };
    expect(network.firewallSku).toBe("Basic");
    const destinations = Object.values(network.outboundRules).map((r) => r.destination);
    expect(destinations).toEqual(
      expect.arrayContaining([
        "pypi.org",
        "files.pythonhosted.org",
        "artifacts.example.com",
        { serviceTag: "AzureOpenDatasets", protocol: "TCP", portRanges: "443" },
      ]),
    );
    expect(destinations).not.toContain("github.com");
  });

  it("locks the workspace too when lockWorkspace is set, and grants all three personas", () => {
    expect(ofType(p, T.lock).map((l) => l.inputs.scope)).toContain(idOfType(p, T.workspace));
    expect(ofType(p, T.roleAssignment).filter((r) => r.inputs.principalType === "Group")).toHaveLength(5);
    expect(one(p, "azure-native:resources:ResourceGroup").inputs.resourceGroupName).toBe("rg-ml-max");
  });
});

describe("scenario azurePolicy DNS mode", () => {
  let p: Plan;
  beforeAll(async () => {
    p = await plan("policydns", {
      location: "westeurope",
      namePrefix: "amlpol",
      privateDns: { mode: "azurePolicy" },
      protection: { locks: false, protect: false },
    });
  });

  it("creates private endpoints without zone groups and no zones", () => {
    expect(
      ofType(p, T.privateEndpoint)
        .map((pe) => pe.inputs.privateEndpointName)
        .sort(),
    ).toEqual([
      "pe-amlpol-keyvault-vault",
      "pe-amlpol-registry-registry",
      "pe-amlpol-storage-blob",
      "pe-amlpol-storage-file",
      "pe-amlpol-workspace-amlworkspace",
    ]);
    expect(ofType(p, T.zoneGroup)).toEqual([]);
    expect(ofType(p, T.zone)).toEqual([]);
  });
});
