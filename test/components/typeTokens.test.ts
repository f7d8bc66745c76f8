import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { one, planWith } from "../support/plan";

/**
 * Every component of the package's public entry registers as `secure-azureml:index:<Class>` (the
 * only module the component provider constructs) and carries an alias to the token it had before,
 * so a stack deployed under the old token updates its resources instead of replacing them.
 */
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const SUBNET = `${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-aml/subnets/snet-pe`;
const TENANT = "11111111-1111-1111-1111-111111111111";

/** Logical name, new token and old token of each exported component. */
const COMPONENTS = [
  { name: "id", type: "secure-azureml:index:Identities", previous: "secure-azureml:identity:Identities" },
  { name: "mon", type: "secure-azureml:index:Monitoring", previous: "secure-azureml:monitoring:Monitoring" },
  { name: "kv", type: "secure-azureml:index:KeyVault", previous: "secure-azureml:keyvault:KeyVault" },
  { name: "cr", type: "secure-azureml:index:ContainerRegistry", previous: "secure-azureml:registry:ContainerRegistry" },
  { name: "st", type: "secure-azureml:index:Storage", previous: "secure-azureml:storage:Storage" },
] as const;

describe("component type tokens", () => {
  let plan: Plan;
  let exported: string[];

  beforeAll(async () => {
    const api = await import("../../components");
    exported = Object.entries(api)
      .filter(([, value]) => typeof value === "function")
      .map(([key]) => key)
      .sort();
    plan = await planWith(() => {
      const placement = { resourceGroupName: "rg-aml", location: "westeurope" };
      const components = [
        new api.Identities("id", { ...placement, namePrefix: "aml" }),
        new api.Monitoring("mon", { ...placement, logAnalyticsName: "log-aml", applicationInsightsName: "appi-aml", retentionDays: 30 }),
        new api.KeyVault("kv", { ...placement, vaultName: "kv-aml-x1y2", tenantId: TENANT, sku: api.KeyVaultSku.Standard }),
        new api.ContainerRegistry("cr", { ...placement, registryName: "craml1x2y", zoneRedundancy: false, untaggedRetentionDays: 7 }),
        new api.Storage("st", {
          ...placement,
          accountName: "staml1x2y",
          sku: api.StorageSku.Standard_ZRS,
          softDeleteRetentionDays: 7,
          privateEndpointGroups: [api.StorageEndpointGroup.Blob, api.StorageEndpointGroup.File],
          privateEndpoints: { subnetId: SUBNET },
        }),
      ];
      // The alias URNs Pulumi computed from `opts.aliases` (internal field, resolved to strings by the mock engine).
      return Object.fromEntries(components.map((component) => [(component as unknown as { __name: string }).__name, (component as unknown as { __aliases: unknown[] }).__aliases]));
    });
  });

  it("exports exactly these component classes", () => {
    expect(exported).toEqual(["ContainerRegistry", "Identities", "KeyVault", "Monitoring", "Storage"]);
  });

  it.each(COMPONENTS)("$name registers as $type with an alias to $previous", ({ name, type, previous }) => {
    expect(one(plan, type, name).custom).toBe(false);
    expect(plan.outputs[name]).toEqual([`urn:pulumi:test::secure-azureml::${previous}::${name}`]);
  });
});
