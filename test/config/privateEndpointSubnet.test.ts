import { resolve } from "node:path";
import { usableSubnetAddresses } from "secure-azureml-facts";
import { describe, expect, it } from "vitest";
import { privateEndpointsInSubnet, rawConfigFromPulumi, subnetEndpointChoicesOf } from "../../config";
import { readStackFile } from "../../plan/stackFile";
import { issuesOf, validConfig } from "../support/config";
import { T, planStackFile } from "../support/stack";

/** The private-endpoint subnet must hold every endpoint the stack places in it (Azure keeps 5 addresses of each subnet). */

const MINIMUM = { location: "westeurope", namePrefix: "amldev" };
const network = (privateEndpointSubnet: string) => ({
  network: { mode: "create", addressSpace: "10.40.0.0/16", privateEndpointSubnet },
});

describe("usable subnet addresses", () => {
  it("leaves 2^(32-n) - 5 addresses", () => {
    expect([29, 28, 27, 24].map(usableSubnetAddresses)).toEqual([3, 11, 27, 251]);
  });
});

describe("the private endpoints in the subnet", () => {
  it("are the workspace's, storage's, Key Vault's and registry's by default", () => {
    expect(privateEndpointsInSubnet(subnetEndpointChoicesOf(MINIMUM))).toEqual([
      "workspace amlworkspace",
      "storage blob",
      "storage file",
      "keyVault vault",
      "registry registry",
    ]);
  });

  it("add a created ML registry's three endpoints, an existing one's one, and the monitor scope's", () => {
    const created = subnetEndpointChoicesOf({
      ...MINIMUM,
      mlRegistry: { enabled: true },
      monitoring: { privateLinkScope: true },
    });
    expect(privateEndpointsInSubnet(created).slice(5)).toEqual([
      "mlRegistry amlregistry",
      "mlRegistry managed blob",
      "mlRegistry managed registry",
      "monitoring azuremonitor",
    ]);
    const existing = subnetEndpointChoicesOf({
      ...MINIMUM,
      mlRegistry: {
        enabled: true,
        existingRegistryId:
          "/subscriptions/x/resourceGroups/rg/providers/Microsoft.MachineLearningServices/registries/mlr",
      },
    });
    expect(privateEndpointsInSubnet(existing).slice(5)).toEqual(["mlRegistry amlregistry"]);
  });

  it.each(["dev", "prod"])("match the private endpoints planned for the shipped %s stack", async (stack) => {
    const plan = await planStackFile(stack);
    const planned = plan.resources.filter((r) => r.type === T.privateEndpoint && r.urn.includes("::secure-azureml::"));
    const raw = rawConfigFromPulumi(readStackFile(resolve(__dirname, `../../Pulumi.${stack}.yaml`)).config);
    expect(planned).toHaveLength(privateEndpointsInSubnet(subnetEndpointChoicesOf(raw)).length);
  });
});

describe("a private-endpoint subnet too small for its endpoints", () => {
  it("rejects a /29 (3 addresses) for the 5 default endpoints, listing them", () => {
    const issues = issuesOf({ ...MINIMUM, ...network("10.40.0.0/29") });
    expect(issues.map((i) => [i.key, i.value])).toEqual([
      ["secure-azureml:network.privateEndpointSubnet", '"10.40.0.0/29"'],
    ]);
    expect(issues[0].message).toBe(
      "is too small for the 5 private endpoints the stack places in it (workspace amlworkspace, storage blob, storage file, keyVault vault, registry registry): a /29 leaves 3 addresses after the 5 Azure keeps in every subnet, and each endpoint takes at least one; use a /28 or a larger subnet (a shorter prefix)",
    );
  });

  it("accepts a /29 for 3 endpoints (no client endpoints for the vault and the registry)", () => {
    const config = validConfig({
      ...MINIMUM,
      ...network("10.40.0.0/29"),
      keyVault: { privateEndpoint: false },
      registry: { privateEndpoint: false },
    });
    expect(config.network).toMatchObject({ privateEndpointSubnet: "10.40.0.0/29" });
  });

  it("counts a created ML registry and every storage endpoint: 11 fit a /28, 12 do not", () => {
    const eleven = {
      ...MINIMUM,
      ...network("10.40.0.0/28"),
      storage: { privateEndpoints: ["blob", "file", "dfs", "queue", "table"] },
      mlRegistry: { enabled: true },
    };
    expect(validConfig(eleven).network).toMatchObject({ privateEndpointSubnet: "10.40.0.0/28" });
    const issues = issuesOf({ ...eleven, monitoring: { privateLinkScope: true } });
    expect(issues.map((i) => i.key)).toEqual(["secure-azureml:network.privateEndpointSubnet"]);
    expect(issues[0].message).toMatch(/^is too small for the 12 private endpoints .* use a \/27 or a larger subnet/);
  });
});
