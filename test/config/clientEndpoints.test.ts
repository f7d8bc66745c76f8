import { describe, expect, it } from "vitest";
import { DnsZoneKey, dnsZoneNames } from "secure-azureml-facts";
import { requiredZoneKeys } from "../../config";
import { keyVaultSchema, registrySchema } from "../../config";
import { issuesOf, validConfig } from "../support/config";

/** keyVault.privateEndpoint and registry.privateEndpoint: the optional client-VNet endpoints and the zones they need. */

const MINIMUM = { location: "westeurope", namePrefix: "amldev" };
const HUB =
  "/subscriptions/3f2a6c1e-8b4d-4e9a-9c7f-2d1b0e5a6f80/resourceGroups/rg-dns-hub/providers/Microsoft.Network/privateDnsZones";
/** Hub zone ids for these keys only (mode existing). */
const hubZones = (keys: DnsZoneKey[]) =>
  Object.fromEntries(keys.map((key) => [key, `${HUB}/${dnsZoneNames("AzureCloud")[key]}`]));
const BASE_ZONES: DnsZoneKey[] = ["amlApi", "amlNotebooks", "blob", "file"];

describe("keyVault.privateEndpoint and registry.privateEndpoint", () => {
  it("default to true (a client endpoint each) and accept false; anything else is rejected with the key", () => {
    expect(validConfig(MINIMUM).keyVault.privateEndpoint).toBe(true);
    expect(validConfig(MINIMUM).registry.privateEndpoint).toBe(true);
    const off = validConfig({ ...MINIMUM, keyVault: { privateEndpoint: false }, registry: { privateEndpoint: false } });
    expect([off.keyVault.privateEndpoint, off.registry.privateEndpoint]).toEqual([false, false]);
    expect(issuesOf({ ...MINIMUM, keyVault: { privateEndpoint: "no" } }).map((i) => i.key)).toEqual([
      "secure-azureml:keyVault.privateEndpoint",
    ]);
    expect(issuesOf({ ...MINIMUM, registry: { privateEndpoint: 0 } }).map((i) => i.key)).toEqual([
      "secure-azureml:registry.privateEndpoint",
    ]);
  });

  it("say who reaches the service when off", () => {
    for (const schema of [keyVaultSchema, registrySchema]) {
      expect(schema.shape.privateEndpoint.description).toMatch(/managed network.*trusted Azure services/);
    }
  });
});

describe("requiredZoneKeys", () => {
  it("needs the vault and registry zones by default (both endpoints on)", () => {
    expect(requiredZoneKeys(["blob", "file"])).toEqual([...BASE_ZONES, "vault", "registry"]);
    expect(requiredZoneKeys(["blob", "file"], { keyVault: true, registry: true })).toEqual([
      ...BASE_ZONES,
      "vault",
      "registry",
    ]);
  });

  it("leaves out the zone of an endpoint that is off", () => {
    expect(requiredZoneKeys(["blob", "file"], { keyVault: false })).toEqual([...BASE_ZONES, "registry"]);
    expect(requiredZoneKeys(["blob", "file"], { registry: false })).toEqual([...BASE_ZONES, "vault"]);
    expect(requiredZoneKeys(["blob", "file"], { keyVault: false, registry: false })).toEqual(BASE_ZONES);
  });

  it("keeps the registry zone for an ML registry the stack creates (its endpoint to the registry's own container registry)", () => {
    expect(requiredZoneKeys(["blob", "file"], { keyVault: false, registry: false, createsMlRegistry: true })).toEqual([
      ...BASE_ZONES,
      "registry",
    ]);
  });
});

describe("privateDns mode existing with the client endpoints off", () => {
  it("needs no vault or registry zone id", () => {
    const raw = {
      ...MINIMUM,
      keyVault: { privateEndpoint: false },
      registry: { privateEndpoint: false },
      privateDns: { mode: "existing", zoneIds: hubZones(BASE_ZONES) },
    };
    expect(validConfig(raw).privateDns).toEqual({ mode: "existing", zoneIds: hubZones(BASE_ZONES) });
  });

  it("still needs the zone id of an endpoint that is on", () => {
    const raw = {
      ...MINIMUM,
      keyVault: { privateEndpoint: false },
      privateDns: { mode: "existing", zoneIds: hubZones(BASE_ZONES) },
    };
    expect(issuesOf(raw).map((i) => [i.key, i.message])).toEqual([
      [
        "secure-azureml:privateDns.zoneIds.registry",
        'is required in mode "existing": the resource id of private DNS zone privatelink.azurecr.io',
      ],
    ]);
  });

  it("needs the registry zone id for an ML registry the stack creates, not for a shared one", () => {
    const off = {
      keyVault: { privateEndpoint: false },
      registry: { privateEndpoint: false },
      privateDns: { mode: "existing", zoneIds: hubZones(BASE_ZONES) },
    };
    const created = issuesOf({ ...MINIMUM, ...off, mlRegistry: { enabled: true, mode: "publish" } });
    expect(created.map((i) => i.key)).toEqual(["secure-azureml:privateDns.zoneIds.registry"]);
    const shared =
      "/subscriptions/5d1c3b2a-9e8f-4a7b-8c6d-1e2f3a4b5c6d/resourceGroups/rg-amlprod/providers/Microsoft.MachineLearningServices/registries/mlr-amlprod";
    expect(
      validConfig({ ...MINIMUM, ...off, mlRegistry: { enabled: true, mode: "consume", existingRegistryId: shared } })
        .mlRegistry.existingRegistryId,
    ).toBe(shared);
  });
});
