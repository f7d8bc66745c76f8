import type { CloudName } from "./clouds";

/**
 * Regions with availability zones, per cloud: zone-redundant storage (`Standard_ZRS`,
 * `Standard_GZRS`, `Standard_RAGZRS`) and zone-redundant container registries can only be created
 * there.
 *
 * Sources, checked on 2026-12-04:
 * - Azure public cloud: Microsoft Learn, "Azure regions list"
 *   (https://learn.microsoft.com/azure/reliability/regions-list, MicrosoftDocs/reliability-docs
 *   articles/reliability/regions-list.md, ms.date 09/23/2025), column "Availability zone support";
 *   only the regions `CLOUDS.AzureCloud.regions` accepts are listed.
 * - Azure Government: Microsoft Learn, "Availability zone service and regional support"
 *   (https://learn.microsoft.com/azure/reliability/availability-zones-service-support): of the
 *   Government regions, only US Gov Virginia has availability zones.
 * - Azure operated by 21Vianet: "Azure regions with availability zone support"
 *   (https://docs.azure.cn/reliability/availability-zones-region-support): China North 3 only.
 */
export const AVAILABILITY_ZONE_SOURCE =
  'Microsoft Learn, "Azure regions list" and "Availability zone service and regional support"; docs.azure.cn "Azure regions with availability zone support" (checked 2026-12-04)' as const;

export const AVAILABILITY_ZONE_REGIONS: Readonly<Record<CloudName, readonly string[]>> = {
  AzureCloud: [
    "australiaeast",
    "brazilsouth",
    "canadacentral",
    "centralindia",
    "centralus",
    "eastasia",
    "eastus",
    "eastus2",
    "francecentral",
    "germanywestcentral",
    "israelcentral",
    "italynorth",
    "japaneast",
    "japanwest",
    "koreacentral",
    "mexicocentral",
    "northeurope",
    "norwayeast",
    "polandcentral",
    "qatarcentral",
    "southafricanorth",
    "southcentralus",
    "southeastasia",
    "spaincentral",
    "swedencentral",
    "switzerlandnorth",
    "uaenorth",
    "uksouth",
    "westeurope",
    "westus2",
    "westus3",
  ],
  AzureUSGovernment: ["usgovvirginia"],
  AzureChinaCloud: ["chinanorth3"],
};

/** Whether a region (`az account list-locations` name) of a cloud has availability zones. */
export function hasAvailabilityZones(cloud: CloudName, region: string): boolean {
  return AVAILABILITY_ZONE_REGIONS[cloud].includes(region.replace(/\s+/g, "").toLowerCase());
}

/** Storage SKUs that keep copies in several availability zones of the primary region. */
export const ZONE_REDUNDANT_STORAGE_SKUS = ["Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS"] as const;

export function isZoneRedundantStorageSku(sku: string): boolean {
  return (ZONE_REDUNDANT_STORAGE_SKUS as readonly string[]).includes(sku);
}
