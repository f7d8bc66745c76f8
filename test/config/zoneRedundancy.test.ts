import { AVAILABILITY_ZONE_REGIONS, CLOUDS, CLOUD_NAMES, hasAvailabilityZones } from "secure-azureml-facts";
import { describe, expect, it } from "vitest";
import { issuesOf, validConfig } from "../support/config";

/** Zone-redundant storage and registries only in regions with availability zones. */

describe("the availability zone catalogue", () => {
  it.each(CLOUD_NAMES)("lists only regions %s accepts", (cloud) => {
    for (const region of AVAILABILITY_ZONE_REGIONS[cloud]) expect(CLOUDS[cloud].regions).toContain(region);
  });

  it("knows the regions without zones (Microsoft Learn, Azure regions list)", () => {
    for (const region of [
      "westus",
      "northcentralus",
      "westcentralus",
      "ukwest",
      "canadaeast",
      "southindia",
      "australiasoutheast",
    ])
      expect(hasAvailabilityZones("AzureCloud", region)).toBe(false);
    expect(hasAvailabilityZones("AzureCloud", "West Europe")).toBe(true);
    expect(hasAvailabilityZones("AzureUSGovernment", "usgovvirginia")).toBe(true);
    expect(hasAvailabilityZones("AzureUSGovernment", "usgovtexas")).toBe(false);
    expect(hasAvailabilityZones("AzureChinaCloud", "chinanorth3")).toBe(true);
    expect(hasAvailabilityZones("AzureChinaCloud", "chinaeast2")).toBe(false);
  });
});

describe("zone redundancy in a region without availability zones", () => {
  it("rejects the zone-redundant defaults, naming each key and what to set", () => {
    const issues = issuesOf({ location: "westus", namePrefix: "amldev" });
    expect(issues.map((i) => [i.key, i.value])).toEqual([
      ["secure-azureml:storage.sku", "(missing)"],
      ["secure-azureml:registry.zoneRedundancy", "(missing)"],
    ]);
    expect(issues[0].message).toMatch(
      /^defaults to Standard_ZRS, which is zone-redundant, but westus has no availability zones: Azure refuses zone-redundant storage there; set Standard_LRS, Standard_GRS or Standard_RAGRS, or choose one of the regions of AzureCloud with availability zones: australiaeast, /,
    );
    expect(issues[1].message).toMatch(
      /^defaults to true, but westus has no availability zones: a zone-redundant container registry can only be created in a region with them; set it to false/,
    );
  });

  it.each(["Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS"])("rejects storage.sku %s", (sku) => {
    const issues = issuesOf({
      location: "UK West",
      namePrefix: "amldev",
      storage: { sku },
      registry: { zoneRedundancy: false },
    });
    expect(issues.map((i) => [i.key, i.value])).toEqual([["secure-azureml:storage.sku", JSON.stringify(sku)]]);
    expect(issues[0].message).toContain(`is ${sku}, which is zone-redundant, but ukwest has no availability zones`);
  });

  it("accepts locally and geo-redundant storage and a registry without zone redundancy there", () => {
    const config = validConfig({
      location: "westus",
      namePrefix: "amldev",
      storage: { sku: "Standard_RAGRS" },
      registry: { zoneRedundancy: false },
    });
    expect([config.storage.sku, config.registry.zoneRedundancy]).toEqual(["Standard_RAGRS", false]);
  });

  it("accepts the zone-redundant defaults in a region with zones, in each cloud", () => {
    expect(validConfig({ location: "westeurope", namePrefix: "amldev" }).storage.sku).toBe("Standard_ZRS");
    expect(
      validConfig({ location: "usgovvirginia", cloud: "AzureUSGovernment", namePrefix: "amldev" }).registry
        .zoneRedundancy,
    ).toBe(true);
    expect(
      issuesOf({ location: "usgovtexas", cloud: "AzureUSGovernment", namePrefix: "amldev" }).map((i) => i.key),
    ).toEqual(["secure-azureml:storage.sku", "secure-azureml:registry.zoneRedundancy"]);
  });

  it("rejects a zone-redundant ML registry storage type when a replication region has no zones", () => {
    const issues = issuesOf({
      location: "westeurope",
      namePrefix: "amlprod",
      mlRegistry: { enabled: true, replicationRegions: ["northeurope", "ukwest"] },
    });
    expect(issues.map((i) => [i.key, i.value])).toEqual([
      ["secure-azureml:mlRegistry.storageAccountType", "(missing)"],
    ]);
    expect(issues[0].message).toMatch(
      /^defaults to Standard_ZRS, which is zone-redundant, but the registry keeps a storage account in ukwest, which has no availability zones; set Standard_LRS/,
    );
    expect(
      validConfig({
        location: "westeurope",
        namePrefix: "amlprod",
        mlRegistry: { enabled: true, replicationRegions: ["ukwest"], storageAccountType: "Standard_GRS" },
      }).mlRegistry.storageAccountType,
    ).toBe("Standard_GRS");
  });
});
