import type * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { PROGRAM_TAG_NAMES, programTags, subnetEndpointChoicesOfConfig, subnetEndpointChoicesOf } from "../../config";
import { assertSubnetEndpoints, subnetEndpointLabels } from "../../platform/subnetEndpoints";
import { validConfig } from "../support/config";

/**
 * The platform takes its program tags and its private endpoint placement from the config's
 * definitions (config/sections/general.ts, config/crossSection/privateEndpointSubnet.ts), so the
 * config's tag and subnet rules count exactly what the platform creates.
 */

const MINIMUM = { location: "westeurope", namePrefix: "amldev" };
/** Stands for a created endpoint: only the keys of the records are read. */
const endpoint = Object.create(null) as network.PrivateEndpoint;
const keyed = (...groups: string[]) => Object.fromEntries(groups.map((g) => [g, endpoint]));
const parent = undefined as unknown as pulumi.Resource;

describe("the program's tags", () => {
  it("are PROGRAM_TAG_NAMES, in that order, with the stack name", () => {
    expect(programTags("prod")).toEqual({ workload: "azure-ml", "managed-by": "pulumi", "pulumi-stack": "prod" });
    expect(Object.keys(programTags("dev"))).toEqual([...PROGRAM_TAG_NAMES]);
  });
});

describe("the private endpoint choices of a validated config", () => {
  it.each([
    ["the defaults", {}],
    [
      "no client endpoints, every storage sub-resource",
      {
        keyVault: { privateEndpoint: false },
        registry: { privateEndpoint: false },
        storage: { privateEndpoints: ["blob", "file", "dfs", "queue", "table"] },
      },
    ],
    [
      "a created ML registry and the monitor scope",
      { mlRegistry: { enabled: true }, monitoring: { privateLinkScope: true } },
    ],
    [
      "an existing ML registry",
      {
        mlRegistry: {
          enabled: true,
          existingRegistryId:
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/registries/mlr",
        },
      },
    ],
  ])("equal the raw config's for %s (the validator and the platform count the same endpoints)", (_, extra) => {
    const raw = { ...MINIMUM, ...extra };
    expect(subnetEndpointChoicesOfConfig(validConfig(raw))).toEqual({
      ...subnetEndpointChoicesOf(raw),
      keyVault: subnetEndpointChoicesOf(raw).keyVault ?? true,
      registry: subnetEndpointChoicesOf(raw).registry ?? true,
    });
  });
});

describe("the platform's check of the endpoints it created", () => {
  const choices = subnetEndpointChoicesOfConfig(
    validConfig({ ...MINIMUM, mlRegistry: { enabled: true }, monitoring: { privateLinkScope: true } }),
  );
  const created = {
    workspace: endpoint,
    storage: keyed("blob", "file"),
    keyVault: keyed("vault"),
    registry: keyed("registry"),
    mlRegistry: keyed("amlregistry", "blob", "registry"),
    monitoring: endpoint,
  };

  it("labels them as the config's list does", () => {
    expect(subnetEndpointLabels(created)).toEqual([
      "workspace amlworkspace",
      "storage blob",
      "storage file",
      "keyVault vault",
      "registry registry",
      "mlRegistry amlregistry",
      "mlRegistry managed blob",
      "mlRegistry managed registry",
      "monitoring azuremonitor",
    ]);
  });

  it("passes when they are the config's list", () => {
    expect(() => assertSubnetEndpoints(choices, created, parent)).not.toThrow();
  });

  it("fails, naming both lists, when the platform placed an endpoint the config does not count", () => {
    const extra = { ...created, storage: keyed("blob", "file", "queue") };
    expect(() => assertSubnetEndpoints(choices, extra, parent)).toThrow(pulumi.ResourceError);
    expect(() => assertSubnetEndpoints(choices, extra, parent)).toThrow(
      /created the private endpoints \[.*storage queue.*\] in the private-endpoint subnet, but the config's list .* is \[(?!.*queue).*\]: update the list with the platform$/,
    );
  });

  it("fails when the platform left out an endpoint the config counts", () => {
    expect(() => assertSubnetEndpoints(choices, { ...created, monitoring: undefined }, parent)).toThrow(
      /is \[.*monitoring azuremonitor.*\]: update the list/,
    );
  });
});
