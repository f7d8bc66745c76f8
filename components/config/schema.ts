import { z } from "zod";
import { CLOUD_NAMES, DNS_ZONE_KEYS, LATEST_OUTBOUND_PRESET_VERSION, OUTBOUND_PRESET_VERSIONS, STORAGE_SUB_RESOURCES } from "secure-azureml-facts";
import { FQDN, TAG_NAME_FORBIDDEN, isPortRangeList } from "./patterns";
import { alertsSchema, computeSchema, endpointsSchema } from "./computeSchema";
import { assetsSchema, mlRegistrySchema } from "./mlopsRegistrySchema";
import { batchEndpointsSchema, modelMonitoringSchema, retrainingSchema } from "./mlopsServingSchema";
import { cidr, intRange, keyVaultId, matching, objectId, subnetId, vnetId, withRemovedKeys, zoneId } from "./primitives";

/**
 * The stack configuration schema: shapes, types and secure defaults, key by key.
 * Cross-field rules (CIDR containment, regions per cloud, zone ids per mode, presets per
 * version) live in `rules.ts` so each stays small and testable.
 */

const tags = z
  .record(
    z
      .string()
      .min(1, "tag names are 1-512 characters")
      .max(512, "tag names are 1-512 characters")
      .refine((k) => !TAG_NAME_FORBIDDEN.test(k), "tag names cannot contain < > % & \\ ? /"),
    z.string("tag values must be strings (quote numbers and booleans)").max(256, "tag values are at most 256 characters"),
  )
  .refine((t) => Object.keys(t).length <= 45, "at most 45 tags (Azure allows 50; the project adds its own)");

/**
 * Why the compute subnet keys were removed (deploy-audit M6): with a managed virtual network,
 * "you can't deploy compute resources inside your custom virtual network. Compute resources can
 * only be created inside the managed virtual network" (Microsoft, "Workspace managed virtual
 * network isolation", Limitations). The subnet was created and exported but never used.
 */
const NO_COMPUTE_SUBNET =
  "is no longer accepted: compute runs in the workspace's managed virtual network, and Azure ML cannot place managed-network compute in a customer subnet, so the compute subnet was never used; remove this key";

export const networkCreateSchema = withRemovedKeys(
  z.strictObject({
    /** Create a VNet and its subnets. */
    mode: z.literal("create"),
    addressSpace: cidr,
    privateEndpointSubnet: cidr,
    jumpboxSubnet: cidr.optional(),
  }),
  { computeSubnet: `${NO_COMPUTE_SUBNET} (the network gets privateEndpointSubnet and the optional jumpboxSubnet)` },
);

export const networkExistingSchema = withRemovedKeys(
  z.strictObject({
    /** Adopt subnets that already exist (hub-and-spoke, landing zones). */
    mode: z.literal("existing"),
    virtualNetworkId: vnetId,
    privateEndpointSubnetId: subnetId,
  }),
  { computeSubnetId: `${NO_COMPUTE_SUBNET} (only privateEndpointSubnetId is used)` },
);

const zoneIds = z.strictObject(
  Object.fromEntries(DNS_ZONE_KEYS.map((k) => [k, zoneId.optional()])) as Record<(typeof DNS_ZONE_KEYS)[number], z.ZodOptional<typeof zoneId>>,
  `must map zone keys (${DNS_ZONE_KEYS.join(", ")}) to private DNS zone resource ids`,
);

export const privateDnsSchema = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("create") }),
  z.strictObject({ mode: z.literal("existing"), zoneIds }),
  z.strictObject({ mode: z.literal("azurePolicy") }),
]);

const PORT_RANGES_MESSAGE = "must be * or ports 1-65535 and ascending ranges, comma-separated, e.g. 443, 80,443 or 8000-8080 (quote it in YAML)";

const serviceTagRule = z.strictObject({
  serviceTag: matching(/^[A-Za-z][A-Za-z0-9.]*$/, "must be an Azure service tag name, e.g. AzureOpenDatasets or Storage.WestEurope"),
  protocol: z.enum(["TCP", "UDP", "ICMP", "*"]).default("TCP"),
  portRanges: z.string(PORT_RANGES_MESSAGE).refine(isPortRangeList, PORT_RANGES_MESSAGE).default("443"),
});

const customerManagedKey = z.strictObject({
  keyVaultId,
  keyUri: z.string("must be a key URI https://<vault>.<Key Vault DNS suffix>/keys/<name>[/<version>]").describe("Key URI, https://<vault>.vault.azure.net/keys/<name>[/<version>]"),
});

/** The workspace managed network's outbound settings (`workspace.outbound`). */
export const outboundSchema = z.strictObject({
  mode: z.enum(["AllowOnlyApprovedOutbound", "AllowInternetOutbound"]).default("AllowOnlyApprovedOutbound"),
  presetVersion: z.enum(OUTBOUND_PRESET_VERSIONS as [string, ...string[]]).default(LATEST_OUTBOUND_PRESET_VERSION),
  /** Absent: the pinned version's default presets (`enabledOutboundPresets`), so each version keeps its own default list. */
  presets: z.array(z.string("must be an outbound preset name, e.g. pypi")).optional(),
  extraFqdns: z.array(matching(FQDN, "must be a host name like example.com or *.example.com")).default([]),
  extraServiceTags: z.array(serviceTagRule).default([]),
  firewallSku: z.enum(["Standard", "Basic"]).default("Standard"),
});

export const workspaceSchema = z.strictObject({
  friendlyName: z.string().max(256, "must be at most 256 characters").optional(),
  description: z.string().max(1024, "must be at most 1024 characters").optional(),
  highBusinessImpact: z.boolean().default(true),
  customerManagedKey: customerManagedKey.optional(),
  outbound: outboundSchema.prefault({}),
  /**
   * Batch endpoints may run on this workspace's clusters: adds private endpoint outbound rules to the
   * default storage account's queue and table, and Storage Queue/Table Data Contributor for the
   * cluster identity (Microsoft, managed network "Scenario: Use batch endpoints"). A serving stack
   * with batch endpoints requires it.
   */
  batchScoring: z.boolean().default(false),
});

export const personasSchema = z.strictObject({
  dataScientists: z.array(objectId).default([]),
  mlEngineers: z.array(objectId).default([]),
  readers: z.array(objectId).default([]),
});

const DAILY_QUOTA_MESSAGE = "must be a number of GB per day, greater than 0 and at most 10000";

export const monitoringSchema = z.strictObject({
  logRetentionDays: intRange(30, 730).default(90),
  dailyQuotaGb: z.number(DAILY_QUOTA_MESSAGE).positive(DAILY_QUOTA_MESSAGE).max(10_000, DAILY_QUOTA_MESSAGE).optional(),
});

export const storageSchema = z.strictObject({
  sku: z.enum(["Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_GZRS", "Standard_RAGRS", "Standard_RAGZRS"]).default("Standard_ZRS"),
  privateEndpoints: z.array(z.enum(STORAGE_SUB_RESOURCES)).default(["blob", "file"]),
  softDeleteRetentionDays: intRange(1, 365).default(14),
});

export const keyVaultSchema = z.strictObject({
  sku: z.enum(["standard", "premium"]).default("standard"),
  softDeleteRetentionDays: intRange(7, 90).default(90),
  /**
   * Purge protection (default true). One-way: once a vault has it, Azure never turns it off
   * ("Enabling this functionality is irreversible", Key Vault `enablePurgeProtection`); false
   * only affects a new vault, and is warned about (configWarnings).
   */
  purgeProtection: z.boolean().default(true),
  /**
   * A private endpoint for the vault in the client VNet (default true). Off: no client endpoint
   * and no privatelink.vaultcore zone; public network access stays Disabled, so only the
   * workspace's managed network (its required private endpoint to the vault) and trusted Azure
   * services reach the vault, and nobody in the VNet (people, CI agents) can read secrets.
   */
  privateEndpoint: z
    .boolean()
    .default(true)
    .describe("Client-VNet private endpoint for the vault; false leaves it reachable only from the workspace's managed network (its required private endpoint) and trusted Azure services"),
});

export const registrySchema = z.strictObject({
  zoneRedundancy: z.boolean().default(true),
  untaggedRetentionDays: intRange(0, 365).default(7),
  /**
   * A private endpoint for the registry in the client VNet (default true). Off: no client
   * endpoint and no privatelink.azurecr.io zone (unless a created ML registry needs it); public
   * network access stays Disabled, so only the workspace's managed network (its required private
   * endpoint to the registry) and trusted Azure services reach it, and nobody in the VNet can push
   * or pull images.
   */
  privateEndpoint: z
    .boolean()
    .default(true)
    .describe("Client-VNet private endpoint for the registry; false leaves it reachable only from the workspace's managed network (its required private endpoint) and trusted Azure services"),
});

export const protectionSchema = z.strictObject({
  locks: z.boolean().default(true),
  protect: z.boolean().default(true),
  lockWorkspace: z.boolean().default(false),
});

const LOCATION_MESSAGE = "must be an Azure region name of the chosen cloud, e.g. westeurope (az account list-locations)";

/** The whole stack configuration, after defaults. */
export const stackConfigSchema = z.strictObject({
  location: z.string(LOCATION_MESSAGE).min(1, LOCATION_MESSAGE),
  cloud: z.enum(CLOUD_NAMES).default("AzureCloud"),
  namePrefix: matching(/^[a-z][a-z0-9]{1,7}$/, "must be 2-8 lowercase letters or digits, starting with a letter (it is part of every resource name)"),
  resourceGroupName: matching(/^[-\w.()]{0,89}[-\w()]$/, "must be 1-90 letters, digits, - _ . ( ), not ending in a period").optional(),
  tags: tags.default({}),
  network: z.discriminatedUnion("mode", [networkCreateSchema, networkExistingSchema]).default({
    mode: "create",
    addressSpace: "10.40.0.0/16",
    privateEndpointSubnet: "10.40.0.0/24",
  }),
  privateDns: privateDnsSchema.default({ mode: "create" }),
  workspace: workspaceSchema.prefault({}),
  personas: personasSchema.prefault({}),
  monitoring: monitoringSchema.prefault({}),
  storage: storageSchema.prefault({}),
  keyVault: keyVaultSchema.prefault({}),
  registry: registrySchema.prefault({}),
  protection: protectionSchema.prefault({}),
  compute: computeSchema.prefault({}),
  endpoints: endpointsSchema.default({}),
  alerts: alertsSchema.prefault({}),
  mlRegistry: mlRegistrySchema.prefault({}),
  assets: assetsSchema.prefault({}),
  modelMonitoring: modelMonitoringSchema.default({}),
  retraining: retrainingSchema.optional(),
  batchEndpoints: batchEndpointsSchema.default({}),
});

/** The validated configuration every component is built from. */
export type StackConfig = z.output<typeof stackConfigSchema>;
export type NetworkConfig = StackConfig["network"];
export type PrivateDnsConfig = StackConfig["privateDns"];
export type WorkspaceConfig = StackConfig["workspace"];
export type PersonasConfig = StackConfig["personas"];

/** Top-level config keys, in documentation order. */
export const CONFIG_KEYS = Object.keys(stackConfigSchema.shape) as (keyof StackConfig)[];
