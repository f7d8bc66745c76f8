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
export const DNS_ZONE_KEYS = [
  "amlApi",
  "amlNotebooks",
  "blob",
  "file",
  "dfs",
  "queue",
  "table",
  "vault",
  "registry",
] as const;
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
  /** Storage endpoint suffix (`<account>.blob.<suffix>`); storage private DNS zones are `privatelink.<sub-resource>.<suffix>`. */
  readonly storageDnsSuffix: string;
}

const PUBLIC_STORAGE_SUFFIX = "core.windows.net";
const US_GOV_STORAGE_SUFFIX = "core.usgovcloudapi.net";
const CHINA_STORAGE_SUFFIX = "core.chinacloudapi.cn";

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
      ...storageZones(PUBLIC_STORAGE_SUFFIX),
      vault: "privatelink.vaultcore.azure.net",
      registry: "privatelink.azurecr.io",
    },
    keyVaultDnsSuffix: "vault.azure.net",
    storageDnsSuffix: PUBLIC_STORAGE_SUFFIX,
  },
  AzureUSGovernment: {
    regions: ["usgovarizona", "usgovtexas", "usgovvirginia"],
    dnsZones: {
      amlApi: "privatelink.api.ml.azure.us",
      amlNotebooks: "privatelink.notebooks.usgovcloudapi.net",
      ...storageZones(US_GOV_STORAGE_SUFFIX),
      vault: "privatelink.vaultcore.usgovcloudapi.net",
      registry: "privatelink.azurecr.us",
    },
    keyVaultDnsSuffix: "vault.usgovcloudapi.net",
    storageDnsSuffix: US_GOV_STORAGE_SUFFIX,
  },
  AzureChinaCloud: {
    regions: ["chinaeast2", "chinaeast3", "chinanorth2", "chinanorth3"],
    dnsZones: {
      amlApi: "privatelink.api.ml.azure.cn",
      amlNotebooks: "privatelink.notebooks.chinacloudapi.cn",
      ...storageZones(CHINA_STORAGE_SUFFIX),
      vault: "privatelink.vaultcore.azure.cn",
      registry: "privatelink.azurecr.cn",
    },
    keyVaultDnsSuffix: "vault.azure.cn",
    storageDnsSuffix: CHINA_STORAGE_SUFFIX,
  },
};

/** The private DNS zone names for a cloud. */
export function dnsZoneNames(cloud: CloudName): Readonly<Record<DnsZoneKey, string>> {
  return CLOUDS[cloud].dnsZones;
}

/**
 * Storage private link group ids (sub-resources), including `web` (static website), which the
 * project does not create but other stacks may. Each also has a `<id>_secondary` group id (the
 * secondary endpoint of a read-access geo-redundant account) that resolves through the same zone.
 */
export const STORAGE_PRIVATE_LINK_GROUP_IDS = [...STORAGE_SUB_RESOURCES, "web"] as const;

/** One private DNS zone a private link group id needs: a short label and its name in each cloud ({@link CLOUD_NAMES} order). */
export interface PrivateLinkZone {
  readonly zone: string;
  readonly names: readonly string[];
}

function inEveryCloud(zone: string, name: (cloud: CloudCatalogueEntry) => string): PrivateLinkZone {
  return { zone, names: CLOUD_NAMES.map((cloud) => name(CLOUDS[cloud])) };
}

/**
 * The private DNS zones each private link group id needs, with each zone's name in every cloud
 * (Microsoft, "Azure Private Endpoint private DNS zone values": Azure Machine Learning
 * `amlworkspace` needs the API and notebooks zones; Storage, Key Vault `vault`, Container Registry
 * `registry`). Azure ML registries (`amlregistry`) resolve through the workspace API zone.
 */
export const PRIVATE_DNS_ZONES_BY_GROUP_ID: Readonly<Record<string, readonly PrivateLinkZone[]>> = {
  amlworkspace: [
    inEveryCloud("api", (c) => c.dnsZones.amlApi),
    inEveryCloud("notebooks", (c) => c.dnsZones.amlNotebooks),
  ],
  ...Object.fromEntries(
    STORAGE_PRIVATE_LINK_GROUP_IDS.flatMap((sub) => {
      const zones = [inEveryCloud(sub, (c) => `privatelink.${sub}.${c.storageDnsSuffix}`)];
      return [
        [sub, zones],
        [`${sub}_secondary`, zones],
      ];
    }),
  ),
  vault: [inEveryCloud("vault", (c) => c.dnsZones.vault)],
  registry: [inEveryCloud("registry", (c) => c.dnsZones.registry)],
  amlregistry: [inEveryCloud("api", (c) => c.dnsZones.amlApi)],
};

/** Private link group id (sub-resource) of an Azure Monitor Private Link Scope (`Microsoft.Insights/privateLinkScopes`). */
export const AZURE_MONITOR_GROUP_ID = "azuremonitor";

/**
 * The private DNS zones an Azure Monitor Private Link Scope's private endpoint (group
 * `azuremonitor`) registers in, per cloud, besides the storage blob zone
 * (`privatelink.blob.<storageDnsSuffix>`, for the agents' solution packs), which the endpoint
 * shares with storage blob endpoints. Microsoft, "Azure Private Endpoint private DNS zone values"
 * (Management and Governance, Azure Monitor): public cloud monitor, oms.opinsights,
 * ods.opinsights and agentsvc.azure-automation; Azure Government the same under its suffixes plus
 * `privatelink.adx.monitor.azure.us`. Its table for Azure operated by 21Vianet (China) lists no
 * Azure Monitor zones: `undefined`, and the project offers no scope there.
 */
export const AZURE_MONITOR_PRIVATE_DNS_ZONES: Readonly<Record<CloudName, readonly string[] | undefined>> = {
  AzureCloud: [
    "privatelink.monitor.azure.com",
    "privatelink.oms.opinsights.azure.com",
    "privatelink.ods.opinsights.azure.com",
    "privatelink.agentsvc.azure-automation.net",
  ],
  AzureUSGovernment: [
    "privatelink.monitor.azure.us",
    "privatelink.adx.monitor.azure.us",
    "privatelink.oms.opinsights.azure.us",
    "privatelink.ods.opinsights.azure.us",
    "privatelink.agentsvc.azure-automation.us",
  ],
  AzureChinaCloud: undefined,
};

/** Every private DNS zone of group `azuremonitor` in a cloud (its own zones, then the storage blob zone); undefined where Microsoft documents none. */
export function azureMonitorPrivateDnsZoneNames(cloud: CloudName): readonly string[] | undefined {
  const own = AZURE_MONITOR_PRIVATE_DNS_ZONES[cloud];
  return own === undefined ? undefined : [...own, `privatelink.blob.${CLOUDS[cloud].storageDnsSuffix}`];
}
