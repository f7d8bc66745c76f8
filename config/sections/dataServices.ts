import { z } from "zod";
import { AZURE_MONITOR_PRIVATE_DNS_ZONES, STORAGE_SUB_RESOURCES } from "secure-azureml-facts";
import { cloudOf } from "../shared/cloud";
import type { ConfigProblem, ConfigRule } from "../shared/errors";
import { intRange } from "../shared/primitives";
import { RawRecord, recordAt } from "../shared/raw";
import { duplicates, stringEntries } from "../shared/rawParse";
import { DEFAULT_STORAGE_ENDPOINTS } from "../shared/storageEndpoints";

/**
 * The data services the workspace depends on: `storage`, `keyVault`, `registry` (the container
 * registry), `monitoring` (Log Analytics) and `protection` (locks), with their rules and warnings.
 */

const DAILY_QUOTA_MESSAGE = "must be a number of GB per day, greater than 0 and at most 10000";

export const MONITOR_ACCESS_MODES = ["PrivateOnly", "Open"] as const;

export const monitoringSchema = z.strictObject({
  logRetentionDays: intRange(30, 730).default(90).describe("Days the Log Analytics workspace keeps logs."),
  dailyQuotaGb: z
    .number(DAILY_QUOTA_MESSAGE)
    .positive(DAILY_QUOTA_MESSAGE)
    .max(10_000, DAILY_QUOTA_MESSAGE)
    .optional()
    .describe("Daily ingestion cap in GB; default no cap."),
  /**
   * An Azure Monitor Private Link Scope (default false). On: the scope holds the Log Analytics
   * workspace and the Application Insights component, gets a private endpoint (group
   * `azuremonitor`) in the private endpoint subnet and its private DNS zones linked to the VNet,
   * and both resources refuse ingestion and query from public networks. Diagnostic settings keep
   * delivering (a Microsoft channel those settings do not control). Telemetry sent over the network
   * from the workspace's managed network is refused (it cannot reach a scope), which the stack
   * does not send: deployment telemetry is off (README, First-deploy findings R4). Queries work
   * only from networks connected to the scope (the VNet, its peers that use its zones).
   */
  privateLinkScope: z
    .boolean()
    .default(false)
    .describe(
      "Azure Monitor Private Link Scope, its private endpoint and DNS zones; Log Analytics and App Insights refuse public ingestion and query. Needs privateDns mode create",
    ),
  privateLinkAccessMode: z
    .enum(MONITOR_ACCESS_MODES)
    .optional()
    .describe(
      "Scope access mode, used when privateLinkScope is true: PrivateOnly (default) reaches only the scope's resources; Open also others accepting public traffic",
    ),
});

export const storageSchema = z.strictObject({
  sku: z
    .enum(["Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_GZRS", "Standard_RAGRS", "Standard_RAGZRS"])
    .default("Standard_ZRS")
    .describe(
      "Workspace storage account redundancy; changing between zone-redundant and other kinds may need a migration.",
    ),
  privateEndpoints: z
    .array(z.enum(STORAGE_SUB_RESOURCES))
    .default([...DEFAULT_STORAGE_ENDPOINTS])
    .describe("Storage private endpoints; must include blob and file."),
  softDeleteRetentionDays: intRange(1, 365).default(14).describe("Days deleted blobs and containers stay recoverable."),
});

export const keyVaultSchema = z.strictObject({
  sku: z.enum(["standard", "premium"]).default("standard").describe("Key Vault SKU; premium adds HSM-backed keys."),
  softDeleteRetentionDays: intRange(7, 90)
    .default(90)
    .describe("Days a deleted vault or secret stays recoverable. One-way."),
  /**
   * Purge protection (default true). One-way: once a vault has it, Azure never turns it off
   * ("Enabling this functionality is irreversible", Key Vault `enablePurgeProtection`); false
   * only affects a new vault, and is warned about (configWarnings).
   */
  purgeProtection: z
    .boolean()
    .default(true)
    .describe("A deleted vault and its secrets cannot be purged before the retention ends. One-way once on."),
  /**
   * A private endpoint for the vault in the client VNet (default true). Off: no client endpoint
   * and no privatelink.vaultcore zone; public network access stays Disabled, so only the
   * workspace's managed network (its required private endpoint to the vault) and trusted Azure
   * services reach the vault, and nobody in the VNet (people, CI agents) can read secrets.
   */
  privateEndpoint: z
    .boolean()
    .default(true)
    .describe(
      "Client-VNet private endpoint for the vault; false leaves it reachable only from the workspace's managed network (its required private endpoint) and trusted Azure services",
    ),
});

export const registrySchema = z.strictObject({
  zoneRedundancy: z.boolean().default(true).describe("Zone-redundant container registry. One-way."),
  untaggedRetentionDays: intRange(0, 365)
    .default(7)
    .describe("Days untagged manifests are kept before they are deleted."),
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
    .describe(
      "Client-VNet private endpoint for the registry; false leaves it reachable only from the workspace's managed network (its required private endpoint) and trusted Azure services",
    ),
});

export const protectionSchema = z.strictObject({
  locks: z.boolean().default(true).describe("Delete locks on every data-bearing resource."),
  protect: z.boolean().default(true).describe("Pulumi protect on every data-bearing resource."),
  lockWorkspace: z.boolean().default(false).describe("Also lock the workspace (only when locks is true)."),
});

export type KeyVaultConfig = z.output<typeof keyVaultSchema>;

function storageRules(raw: RawRecord): ConfigProblem[] {
  const endpoints = recordAt(raw, "storage")?.privateEndpoints;
  if (!Array.isArray(endpoints)) return [];
  const entries = stringEntries(endpoints);
  const listed = new Set(entries.map(([s]) => s));
  const missing = (["blob", "file"] as const).filter((s) => !listed.has(s));
  const problems = duplicates(["storage", "privateEndpoints"], entries, "sub-resource");
  if (missing.length > 0) {
    problems.push({
      path: ["storage", "privateEndpoints"],
      message: `must include ${missing.join(" and ")}: a private workspace reaches its storage over blob and file endpoints`,
    });
  }
  return problems;
}

/** `monitoring.privateLinkScope` needs the stack's own DNS zones and a cloud with documented zones. */
function monitoringRules(raw: RawRecord): ConfigProblem[] {
  const monitoring = recordAt(raw, "monitoring");
  if (monitoring?.privateLinkScope !== true) return [];
  const problems: ConfigProblem[] = [];
  const dnsMode = recordAt(raw, "privateDns")?.mode ?? "create";
  if (dnsMode !== "create") {
    problems.push({
      path: ["monitoring", "privateLinkScope"],
      message: `is true with privateDns mode ${JSON.stringify(dnsMode)}: accepted only with privateDns mode "create". Azure Monitor private links share global endpoints, so one scope's DNS records apply to every network using the same zones, and Microsoft advises one scope per DNS, set on the hub ("Design Azure Monitor Private Link configuration"); with zones managed elsewhere, add this stack's Log Analytics workspace and Application Insights component to the hub's scope instead and keep privateLinkScope false`,
    });
  }
  const cloud = cloudOf(raw);
  if (cloud !== undefined && AZURE_MONITOR_PRIVATE_DNS_ZONES[cloud] === undefined) {
    problems.push({
      path: ["monitoring", "privateLinkScope"],
      message: `is true in cloud ${cloud}: Microsoft's "Azure Private Endpoint private DNS zone values" lists no Azure Monitor private DNS zones there; accepted in ${Object.entries(
        AZURE_MONITOR_PRIVATE_DNS_ZONES,
      )
        .filter(([, zones]) => zones !== undefined)
        .map(([name]) => name)
        .join(" and ")}`,
    });
  }
  return problems;
}

/** Every rule of the data service sections. */
export const DATA_SERVICES_RULES: readonly ConfigRule[] = [storageRules, monitoringRules];

/**
 * Warnings about `keyVault` (deploy-audit M8). Turning purge protection off is allowed, for a
 * disposable vault, but said out loud: it is one-way in the other direction only. Azure never turns
 * purge protection off on a vault that has it ("Enabling this functionality is irreversible",
 * Key Vault `enablePurgeProtection`), so `false` affects only a vault created without it.
 */
export function keyVaultWarnings(config: { readonly keyVault: KeyVaultConfig }): ConfigProblem[] {
  if (config.keyVault.purgeProtection) return [];
  return [
    {
      path: ["keyVault", "purgeProtection"],
      message: `is false: a deleted vault and its deleted secrets can be purged at once instead of staying recoverable for ${config.keyVault.softDeleteRetentionDays} days (soft delete stays on). It applies only to a vault created without purge protection: Azure never turns it off on an existing vault. Keep it true for any vault holding data you cannot recreate`,
    },
  ];
}
