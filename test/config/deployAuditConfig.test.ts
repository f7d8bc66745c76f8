import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLE_PERSONA_GROUP_IDS, isExamplePersonaGroupId } from "secure-azureml-facts";
import { configWarnings } from "../../config";
import { examplePersonaGroupChecks } from "../../config";
import { keyVaultSchema } from "../../config";
import { readStackFile } from "../../plan/stackFile";
import { issuesOf, validConfig } from "../support/config";

/** Config-level fixes from the deploy audit: example persona ids (B4), purge protection (M8), the removed compute subnet (M6). */

const MINIMUM = { location: "westeurope", namePrefix: "amldev" };
const REAL_GROUP = "5a7c9e1b-3d5f-4a8c-9e2b-4d6f8a0c2e55";
const [EXAMPLE_DS, EXAMPLE_ENG, EXAMPLE_READERS] = EXAMPLE_PERSONA_GROUP_IDS;
const WHAT_TO_PUT =
  "replace it with the object id of a Microsoft Entra group in your tenant (az ad group show --group <name> --query id -o tsv), or remove it";

/** The raw `personas` of a shipped stack file, as the program reads them. */
function shippedPersonas(stack: "dev" | "prod"): Record<string, unknown> {
  const raw = readStackFile(resolve(__dirname, `../../Pulumi.${stack}.yaml`)).config["secure-azureml:personas"];
  return { personas: JSON.parse(raw) as unknown };
}

describe("example persona group ids (deploy-audit B4)", () => {
  it("lists the ids the shipped stack files carry, once", () => {
    expect(EXAMPLE_PERSONA_GROUP_IDS).toEqual([
      "7d3e1a52-3c4b-4f0e-9a61-0b5c2d8e4f11",
      "2b9f6c14-8e2d-4a7b-b3c5-6d1e0f9a8b22",
      "9c4d2e73-5f1a-4b8c-a2d6-3e7f1b0c9d33",
    ]);
    expect(isExamplePersonaGroupId(EXAMPLE_DS.toUpperCase())).toBe(true);
    expect(isExamplePersonaGroupId(REAL_GROUP)).toBe(false);
  });

  it("refuses them outside the offline planner, naming each key and what to put there", () => {
    const raw = {
      personas: {
        dataScientists: [REAL_GROUP, EXAMPLE_DS],
        mlEngineers: [EXAMPLE_ENG],
        readers: [EXAMPLE_READERS.toUpperCase()],
      },
    };
    const { problems, warnings } = examplePersonaGroupChecks(raw, { offline: false });
    expect(warnings).toEqual([]);
    const message = `is an example group id from the shipped stack files, not a group in your tenant (its role assignments would fail with PrincipalNotFound); ${WHAT_TO_PUT}`;
    expect(problems).toEqual([
      { path: ["personas", "dataScientists", 1], message },
      { path: ["personas", "mlEngineers", 0], message },
      { path: ["personas", "readers", 0], message },
    ]);
  });

  it("only warns under the offline planner", () => {
    const { problems, warnings } = examplePersonaGroupChecks(
      { personas: { dataScientists: [EXAMPLE_DS] } },
      { offline: true },
    );
    expect(problems).toEqual([]);
    expect(warnings).toEqual([
      {
        path: ["personas", "dataScientists", 0],
        message: `is an example group id from the shipped stack files, planned offline only: a real deployment refuses it; ${WHAT_TO_PUT}`,
      },
    ]);
  });

  it("finds every example id in the shipped stack files, and nothing in real or malformed values", () => {
    expect(
      examplePersonaGroupChecks(shippedPersonas("dev"), { offline: false }).problems.map((p) => p.path.join(".")),
    ).toEqual(["personas.dataScientists.0", "personas.mlEngineers.0"]);
    expect(
      examplePersonaGroupChecks(shippedPersonas("prod"), { offline: false }).problems.map((p) => p.path.join(".")),
    ).toEqual(["personas.dataScientists.0", "personas.mlEngineers.0", "personas.readers.0"]);
    expect(
      examplePersonaGroupChecks(
        { personas: { readers: [REAL_GROUP, 42, "not-a-guid"], admins: "x" } },
        { offline: false },
      ),
    ).toEqual({ problems: [], warnings: [] });
    expect(examplePersonaGroupChecks({}, { offline: false })).toEqual({ problems: [], warnings: [] });
  });
});

describe("keyVault.purgeProtection (deploy-audit M8)", () => {
  it("defaults to true and accepts false", () => {
    expect(validConfig(MINIMUM).keyVault.purgeProtection).toBe(true);
    expect(validConfig({ ...MINIMUM, keyVault: { purgeProtection: false } }).keyVault).toEqual({
      sku: "standard",
      softDeleteRetentionDays: 90,
      purgeProtection: false,
      privateEndpoint: true,
    });
    expect(keyVaultSchema.safeParse({ purgeProtection: "no" }).success).toBe(false);
  });

  it("warns, once, when it is off: purgeable at once, and only for a vault created without it", () => {
    const on = validConfig(MINIMUM);
    const off = validConfig({ ...MINIMUM, keyVault: { purgeProtection: false, softDeleteRetentionDays: 30 } });
    expect(configWarnings(on).filter((w) => w.key.startsWith("secure-azureml:keyVault"))).toEqual([]);
    expect(configWarnings(off).filter((w) => w.key.startsWith("secure-azureml:keyVault"))).toEqual([
      {
        key: "secure-azureml:keyVault.purgeProtection",
        message:
          "is false: a deleted vault and its deleted secrets can be purged at once instead of staying recoverable for 30 days (soft delete stays on). It applies only to a vault created without purge protection: Azure never turns it off on an existing vault. Keep it true for any vault holding data you cannot recreate",
      },
    ]);
  });

  it("is off in the shipped dev stack only", () => {
    const stackKeyVault = (stack: string) =>
      readStackFile(resolve(__dirname, `../../Pulumi.${stack}.yaml`)).config["secure-azureml:keyVault"];
    expect(JSON.parse(stackKeyVault("dev"))).toEqual({ purgeProtection: false, privateEndpoint: false });
    expect((JSON.parse(stackKeyVault("prod")) as Record<string, unknown>).purgeProtection).toBeUndefined();
  });
});

describe("network.computeSubnet / computeSubnetId are removed (deploy-audit M6)", () => {
  it("rejects them with the reason, in both network modes", () => {
    const create = issuesOf({
      ...MINIMUM,
      network: {
        mode: "create",
        addressSpace: "10.40.0.0/16",
        privateEndpointSubnet: "10.40.0.0/24",
        computeSubnet: "10.40.4.0/22",
      },
    });
    expect(create.map((i) => [i.key, i.value])).toEqual([["secure-azureml:network.computeSubnet", '"10.40.4.0/22"']]);
    expect(create[0].message).toBe(
      "is no longer accepted: compute runs in the workspace's managed virtual network, and Azure ML cannot place managed-network compute in a customer subnet, so the compute subnet was never used; remove this key (the network gets privateEndpointSubnet and the optional jumpboxSubnet)",
    );
    const vnet =
      "/subscriptions/3f2a6c1e-8b4d-4e9a-9c7f-2d1b0e5a6f80/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-spoke";
    const existing = issuesOf({
      ...MINIMUM,
      network: {
        mode: "existing",
        virtualNetworkId: vnet,
        privateEndpointSubnetId: `${vnet}/subnets/snet-pe`,
        computeSubnetId: `${vnet}/subnets/snet-compute`,
      },
    });
    expect(existing.map((i) => i.key)).toEqual(["secure-azureml:network.computeSubnetId"]);
    expect(existing[0].message).toMatch(
      /^is no longer accepted: compute runs in the workspace's managed virtual network.*\(only privateEndpointSubnetId is used\)$/,
    );
  });

  it("the default network and the shipped stacks have no compute subnet", () => {
    expect(validConfig(MINIMUM).network).toEqual({
      mode: "create",
      addressSpace: "10.40.0.0/16",
      privateEndpointSubnet: "10.40.0.0/24",
    });
    for (const stack of ["dev", "prod"]) {
      const network = JSON.parse(
        readStackFile(resolve(__dirname, `../../Pulumi.${stack}.yaml`)).config["secure-azureml:network"],
      ) as Record<string, unknown>;
      expect(Object.keys(network)).not.toContain("computeSubnet");
    }
  });
});
