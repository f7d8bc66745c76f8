/**
 * Azure clouds this project deploys to, with the regions it accepts in each and the
 * private DNS zone names that private endpoints of each service need there.
 *
 * Zone names follow Microsoft's "Azure Private Endpoint private DNS zone values" reference.
 */

/** The Azure clouds the project supports. */
export const CLOUD_NAMES = ["AzureCloud", "AzureUSGovernment", "AzureChinaCloud"] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

/** Every private DNS zone a private Azure ML workspace can need, by a stable key. */
export const DNS_ZONE_KEYS = ["amlApi", "amlNotebooks", "blob", "file", "dfs", "queue", "table", "vault", "registry"] as const;
export type DnsZoneKey = (typeof DNS_ZONE_KEYS)[number];

/** Storage sub-resources (private endpoint group ids) that may get a private endpoint. */
export const STORAGE_SUB_RESOURCES = ["blob", "file", "dfs", "queue", "table"] as const;
export type StorageSubResource = (typeof STORAGE_SUB_RESOURCES)[number];

interface CloudCatalogueEntry {
  /** Region names (`az account list-locations` names) accepted for this cloud. */
  readonly regions: readonly string[];
  /** Private DNS zone name per zone key. */
  readonly dnsZones: Readonly<Record<DnsZoneKey, string>>;
  /** Key Vault DNS suffix, used to check key URIs (`https://<vault>.<suffix>/keys/...`). */
  readonly keyVaultDnsSuffix: string;
}

function storageZones(suffix: string): Record<StorageSubResource, string> {
  return {
    blob: `privatelink.blob.${suffix}`,
    file: `privatelink.file.${suffix}`,
    dfs: `privatelink.dfs.${suffix}`,
    queue: `privatelink.queue.${suffix}`,
    table: `privatelink.table.${suffix}`,
  };
}

export const CLOUDS: Readonly<Record<CloudName, CloudCatalogueEntry>> = {
  AzureCloud: {
    regions: [
      "australiaeast",
      "australiasoutheast",
      "brazilsouth",
      "canadacentral",
      "canadaeast",
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
      "northcentralus",
      "northeurope",
      "norwayeast",
      "polandcentral",
      "qatarcentral",
      "southafricanorth",
      "southcentralus",
      "southeastasia",
      "southindia",
      "spaincentral",
      "swedencentral",
      "switzerlandnorth",
      "uaenorth",
      "uksouth",
      "ukwest",
      "westcentralus",
      "westeurope",
      "westus",
      "westus2",
      "westus3",
    ],
    dnsZones: {
      amlApi: "privatelink.api.azureml.ms",
      amlNotebooks: "privatelink.notebooks.azure.net",
      ...storageZones("core.windows.net"),
      vault: "privatelink.vaultcore.azure.net",
      registry: "privatelink.azurecr.io",
    },
    keyVaultDnsSuffix: "vault.azure.net",
  },
  AzureUSGovernment: {
    regions: ["usgovarizona", "usgovtexas", "usgovvirginia"],
    dnsZones: {
      amlApi: "privatelink.api.ml.azure.us",
      amlNotebooks: "privatelink.notebooks.usgovcloudapi.net",
      ...storageZones("core.usgovcloudapi.net"),
      vault: "privatelink.vaultcore.usgovcloudapi.net",
      registry: "privatelink.azurecr.us",
    },
    keyVaultDnsSuffix: "vault.usgovcloudapi.net",
  },
  AzureChinaCloud: {
    regions: ["chinaeast2", "chinaeast3", "chinanorth2", "chinanorth3"],
    dnsZones: {
      amlApi: "privatelink.api.ml.azure.cn",
      amlNotebooks: "privatelink.notebooks.chinacloudapi.cn",
      ...storageZones("core.chinacloudapi.cn"),
      vault: "privatelink.vaultcore.azure.cn",
      registry: "privatelink.azurecr.cn",
    },
    keyVaultDnsSuffix: "vault.azure.cn",
  },
};

/** The private DNS zone names for a cloud. */
export function dnsZoneNames(cloud: CloudName): Readonly<Record<DnsZoneKey, string>> {
  return CLOUDS[cloud].dnsZones;
}
