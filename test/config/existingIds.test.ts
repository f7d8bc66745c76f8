import { armIdNameProblems } from "secure-azureml-facts";
import { describe, expect, it } from "vitest";
import { issuesOf, validConfig } from "../support/config";

/** Ids of existing resources whose name segments break Azure's naming rules name nothing Azure could have created. */

const SUB = "3f2a6c1e-8b4d-4e9a-9c7f-2d1b0e5a6f80";
const vnetId = (rg: string, vnet: string) =>
  `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${vnet}`;
const MINIMUM = { location: "westeurope", namePrefix: "amldev" };
const existingNetwork = (vnet: string, subnet = "snet-pe", rg = "rg-net") => ({
  network: {
    mode: "existing",
    virtualNetworkId: vnetId(rg, vnet),
    privateEndpointSubnetId: `${vnetId(rg, vnet)}/subnets/${subnet}`,
  },
});

const VNET_RULE =
  '2-64 letters, digits, _ . -, starting with a letter or digit and ending with a letter, digit or _ (Microsoft Learn, "Naming rules and restrictions for Azure resources")';

describe("name segments of existing resource ids", () => {
  it("checks the resource group and each typed name of an id", () => {
    expect(armIdNameProblems(`${vnetId("rg net", "vnet;rm")}/subnets/ok`).map((p) => [p.type, p.name])).toEqual([
      ["resourceGroups", "rg net"],
      ["Microsoft.Network/virtualNetworks", "vnet;rm"],
    ]);
    expect(armIdNameProblems(`${vnetId("rg-net", "vnet-hub")}/subnets/snet_pe`)).toEqual([]);
  });

  it.each(["vnet hub", "vnet;rm -rf", "vnet$(id)", "vnet`x`", "vnet|x", "vnet-", "-vnet", "v"])(
    "rejects the virtual network name %j in network.virtualNetworkId",
    (vnet) => {
      const issues = issuesOf({ ...MINIMUM, ...existingNetwork(vnet) });
      // The subnet id carries the same VNet name, so both ids are reported.
      expect(issues.map((i) => i.key)).toEqual([
        "secure-azureml:network.virtualNetworkId",
        "secure-azureml:network.privateEndpointSubnetId",
      ]);
      expect(issues[0].message).toBe(
        `names the virtual network name ${JSON.stringify(vnet)}, which Azure does not accept: ${VNET_RULE}`,
      );
    },
  );

  it("rejects a subnet name with a shell metacharacter, and a resource group with a space", () => {
    expect(issuesOf({ ...MINIMUM, ...existingNetwork("vnet-hub", "snet&pe") }).map((i) => [i.key, i.message])).toEqual([
      [
        "secure-azureml:network.privateEndpointSubnetId",
        'names the subnet name "snet&pe", which Azure does not accept: 1-80 letters, digits, _ . -, starting with a letter or digit and ending with a letter, digit or _ (Microsoft Learn, "Naming rules and restrictions for Azure resources")',
      ],
    ]);
    const rg = issuesOf({ ...MINIMUM, ...existingNetwork("vnet-hub", "snet-pe", "rg net.") });
    expect(rg.map((i) => i.key)).toEqual([
      "secure-azureml:network.virtualNetworkId",
      "secure-azureml:network.privateEndpointSubnetId",
    ]);
    expect(rg[0].message).toMatch(
      /^names the resource group name "rg net\.", which Azure does not accept: 1-90 letters/,
    );
  });

  it("rejects a Key Vault name with consecutive hyphens in workspace.customerManagedKey.keyVaultId", () => {
    const issues = issuesOf({
      ...MINIMUM,
      workspace: {
        customerManagedKey: {
          keyVaultId: `/subscriptions/${SUB}/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv--cmk`,
          keyUri: "https://kv--cmk.vault.azure.net/keys/aml-cmk",
        },
      },
    });
    expect(issues.map((i) => i.key)).toContain("secure-azureml:workspace.customerManagedKey.keyVaultId");
    expect(issues.find((i) => i.key.endsWith("keyVaultId"))?.message).toMatch(/^names the Key Vault name "kv--cmk"/);
  });

  it("rejects an ML registry id whose resource group name Azure would refuse", () => {
    const issues = issuesOf({
      ...MINIMUM,
      mlRegistry: {
        enabled: true,
        existingRegistryId: `/subscriptions/${SUB}/resourceGroups/rg ml/providers/Microsoft.MachineLearningServices/registries/mlr-shared`,
      },
    });
    expect(issues.map((i) => i.key)).toEqual(["secure-azureml:mlRegistry.existingRegistryId"]);
    expect(issues[0].message).toMatch(/^names the resource group name "rg ml"/);
  });

  it("accepts names Azure accepts (underscores, periods, parentheses in resource groups)", () => {
    const config = validConfig({ ...MINIMUM, ...existingNetwork("vnet.hub_01", "snet-pe_", "rg-(net).prod") });
    expect(config.network).toMatchObject({ virtualNetworkId: vnetId("rg-(net).prod", "vnet.hub_01") });
  });
});

describe("the all-zero GUID as a principal id", () => {
  const NIL = "00000000-0000-0000-0000-000000000000";

  it.each(["dataScientists", "mlEngineers", "readers"])("is rejected in personas.%s", (persona) => {
    const issues = issuesOf({ ...MINIMUM, personas: { [persona]: [NIL] } });
    expect(issues.map((i) => [i.key, i.value])).toEqual([
      [`secure-azureml:personas.${persona}[0]`, JSON.stringify(NIL)],
    ]);
    expect(issues[0].message).toBe(
      "is the all-zero GUID, which is the object id of no principal (a placeholder): give the object id of a Microsoft Entra group or user (az ad group show --group <name> --query id -o tsv)",
    );
  });

  it("is rejected as a compute instance's assigned user", () => {
    const issues = issuesOf({
      ...MINIMUM,
      compute: { instances: { alice: { vmSize: "Standard_D4s_v3", assignedUserObjectId: NIL } } },
    });
    expect(issues.map((i) => i.key)).toEqual(["secure-azureml:compute.instances.alice.assignedUserObjectId"]);
    expect(issues[0].message).toMatch(/^is the all-zero GUID/);
  });
});
