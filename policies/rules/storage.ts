import { ResourceValidationArgs } from "@pulumi/policy";
import { ADVISORY, BaselineResourcePolicy, MANDATORY } from "../support/baseline";
import { isFalse, isTrue, sameText, shown, valueAt } from "../support/props";
import { TYPES } from "secure-azureml-facts";

/**
 * Storage rules (azure-native v3, storage API 2024-01-01). Storage inputs are flattened:
 * `allowSharedKeyAccess`, `networkRuleSet.defaultAction`, ... sit at the top of the property bag.
 * Property names and defaults follow specification/storage/resource-manager/Microsoft.Storage/
 * stable/2024-01-01: storage.json `StorageAccountPropertiesCreateParameters` (`isLocalUserEnabled`,
 * `isSftpEnabled`: "Enables ... if set to true", no default documented; `encryption.
 * requireInfrastructureEncryption`), file.json `FileServiceProperties.shareDeleteRetentionPolicy`
 * (`DeleteRetentionPolicy`: `enabled`, `days` 1-365).
 */

const ACCOUNT = TYPES.storage;
const BLOB_SERVICE = TYPES.blobService;
const FILE_SERVICE = TYPES.fileService;
const BLOB_CONTAINER = TYPES.blobContainer;

/** Reports when a boolean account property is anything but an explicit `false`. */
function requireFalse(
  args: ResourceValidationArgs,
  report: (message: string) => void,
  property: string,
  absentMeans: string,
  risk: string,
): void {
  if (args.type !== ACCOUNT) return;
  const value = valueAt(args.props, property);
  if (isFalse(value)) return;
  report(
    value === undefined
      ? `${property} is not set (${absentMeans}): ${risk}; set it to false.`
      : `${property} is ${shown(value)}: ${risk}; set it to false.`,
  );
}

interface RetentionConfig {
  minRetentionDays: number;
}

const retentionSchema = {
  properties: {
    minRetentionDays: {
      type: "integer" as const,
      minimum: 1,
      maximum: 365,
      default: 7,
      description: "Fewest days a deleted item must stay recoverable.",
    },
  },
};

/**
 * Checks a soft-delete policy object of a storage service resource: the blob service's
 * `deleteRetentionPolicy` or `containerDeleteRetentionPolicy`, the file service's
 * `shareDeleteRetentionPolicy`.
 */
function checkRetention(
  args: ResourceValidationArgs,
  report: (message: string) => void,
  service: string,
  property: string,
  what: string,
): void {
  if (args.type !== service) return;
  const { minRetentionDays } = args.getConfig<RetentionConfig>();
  const policy = valueAt(args.props, property);
  if (policy === undefined) {
    report(
      `${property} is not set (soft delete is off by default): deleted ${what} cannot be recovered; set ${property}.enabled to true and ${property}.days to at least ${minRetentionDays}.`,
    );
    return;
  }
  const enabled = valueAt(policy, "enabled");
  if (!isTrue(enabled)) {
    report(
      `${property}.enabled is ${shown(enabled)}: deleted ${what} cannot be recovered; set it to true with ${property}.days of at least ${minRetentionDays}.`,
    );
    return;
  }
  const days = valueAt(policy, "days");
  if (days !== undefined && Number(days) >= minRetentionDays) return;
  report(
    `${property}.days is ${shown(days)}: deleted ${what} must stay recoverable for at least ${minRetentionDays} days; set ${property}.days to ${minRetentionDays} or more.`,
  );
}

/**
 * One Azure ML registry's resource id, the only resource instance `storage-public-network-disabled`
 * lets through by default; a wildcard (`registries/*`, `resourceGroups/*`: every registry of a
 * resource group or subscription) is not one registry.
 */
const ML_REGISTRY_ID =
  /^\/subscriptions\/[^/*]+\/resourceGroups\/[^/*]+\/providers\/Microsoft\.MachineLearningServices\/registries\/[^/*]+$/i;

/** The number of entries of a rule list, absent counting as none. */
function ruleCount(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/**
 * Why a storage account's firewall is not "closed to every network, open only to Azure ML
 * registry instances" (Microsoft's setup for sharing workspace assets into a registry:
 * defaultAction Deny, no IP or virtual network rules, resource instance rules for
 * Microsoft.MachineLearningServices/registries). Empty when it is. Reads through the policy
 * proxy, so an unknown value throws (the rule then cannot tell during preview).
 */
export function registryOnlyFirewallProblems(props: unknown): string[] {
  const ruleSet = valueAt(props, "networkRuleSet");
  if (ruleSet === undefined) return ["networkRuleSet is not set (Azure defaults to defaultAction Allow)"];
  const problems: string[] = [];
  const action = valueAt(ruleSet, "defaultAction");
  if (!sameText(action, "Deny"))
    problems.push(
      `networkRuleSet.defaultAction is ${action === undefined ? "not set (Azure defaults to Allow)" : shown(action)}`,
    );
  const ipRules = ruleCount(valueAt(ruleSet, "ipRules"));
  if (ipRules > 0) problems.push(`networkRuleSet.ipRules has ${ipRules} rule${ipRules === 1 ? "" : "s"}`);
  const vnetRules = ruleCount(valueAt(ruleSet, "virtualNetworkRules"));
  if (vnetRules > 0)
    problems.push(`networkRuleSet.virtualNetworkRules has ${vnetRules} rule${vnetRules === 1 ? "" : "s"}`);
  const accessRules = valueAt(ruleSet, "resourceAccessRules");
  if (ruleCount(accessRules) === 0) {
    problems.push("networkRuleSet.resourceAccessRules is empty (no registry needs the public endpoint)");
    return problems;
  }
  for (const rule of accessRules as unknown[]) {
    const resourceId = valueAt(rule, "resourceId");
    if (typeof resourceId !== "string" || !ML_REGISTRY_ID.test(resourceId)) {
      problems.push(
        `networkRuleSet.resourceAccessRules admits ${shown(resourceId)}, which is not one Microsoft.MachineLearningServices/registries resource`,
      );
    }
  }
  return problems;
}

interface PublicNetworkConfig {
  allowMlRegistryResourceAccess: boolean;
}

/** TLS versions in order; anything not listed counts as older than TLS 1.0. */
const TLS_ORDER = ["TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"];

function tlsRank(value: unknown): number {
  return TLS_ORDER.findIndex((v) => sameText(value, v));
}

export const storagePolicies: BaselineResourcePolicy[] = [
  {
    name: "storage-shared-key-disabled",
    description:
      "Storage accounts must refuse Shared Key authorization (account keys and SAS); an absent allowSharedKeyAccess is treated as true, as Azure does.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Set `allowSharedKeyAccess: false` on the azure-native:storage:StorageAccount (and grant data access with Entra ID roles such as Storage Blob Data Contributor).",
    validateResource: (args, report) =>
      requireFalse(
        args,
        report,
        "allowSharedKeyAccess",
        "Azure treats a missing value as true",
        "account keys and shared access signatures can authorize requests without Entra ID",
      ),
  },
  {
    name: "storage-blob-public-access-disabled",
    description:
      "Storage accounts must disallow anonymous blob access explicitly; an absent allowBlobPublicAccess is a violation because accounts created before the secure default, or imported, keep their old setting (Azure's own audit policy also requires an explicit false).",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps: "Set `allowBlobPublicAccess: false` on the azure-native:storage:StorageAccount.",
    validateResource: (args, report) =>
      requireFalse(
        args,
        report,
        "allowBlobPublicAccess",
        "only new accounts default to false; older or imported accounts keep anonymous access allowed",
        "containers can be made readable anonymously",
      ),
  },
  {
    name: "storage-public-network-disabled",
    description:
      "Storage accounts must disable public network access; an absent publicNetworkAccess is treated as Enabled, the service default. One exception, on by default (config allowMlRegistryResourceAccess): publicNetworkAccess Enabled with a firewall closed to every network (networkRuleSet.defaultAction Deny, no ipRules, no virtualNetworkRules) whose resourceAccessRules each name one Azure ML registry (a Microsoft.MachineLearningServices/registries id, no wildcards), Microsoft's required setup for sharing workspace assets into a registry (az ml model share).",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `publicNetworkAccess: "Disabled"` on the azure-native:storage:StorageAccount and reach it through private endpoints (blob, file, ...). If an Azure ML registry must read the account (sharing assets from the workspace), keep `publicNetworkAccess: "Enabled"` only with `networkRuleSet: { defaultAction: "Deny", ipRules: [], virtualNetworkRules: [], resourceAccessRules: [{ tenantId, resourceId: <registry id> }] }` and nothing else.',
    configSchema: {
      properties: {
        allowMlRegistryResourceAccess: {
          type: "boolean",
          default: true,
          description:
            "Accept publicNetworkAccess Enabled when the firewall denies every network and admits only Azure ML registry instances (resourceAccessRules naming Microsoft.MachineLearningServices/registries ids, no wildcards); false requires Disabled without exception.",
        },
      },
    },
    validateResource: (args, report) => {
      if (args.type !== ACCOUNT) return;
      const value = valueAt(args.props, "publicNetworkAccess");
      if (sameText(value, "Disabled")) return;
      const reachable = `publicNetworkAccess is ${value === undefined ? "not set (Azure defaults to Enabled)" : shown(value)}: the account's public endpoint is reachable`;
      if (!sameText(value, "Enabled") || !args.getConfig<PublicNetworkConfig>().allowMlRegistryResourceAccess) {
        report(`${reachable}; set it to "Disabled".`);
        return;
      }
      const problems = registryOnlyFirewallProblems(args.props);
      if (problems.length === 0) return;
      report(
        `${reachable} (${problems.join("; ")}); set it to "Disabled", or, to let only an Azure ML registry in (sharing assets from the workspace), keep networkRuleSet.defaultAction "Deny" with no ipRules or virtualNetworkRules and resourceAccessRules naming only Microsoft.MachineLearningServices/registries resources.`,
      );
    },
  },
  {
    name: "storage-network-default-deny",
    description:
      "Storage account firewalls must deny by default; an absent networkRuleSet or defaultAction is treated as Allow, the service default.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" }` on the azure-native:storage:StorageAccount.',
    validateResource: (args, report) => {
      if (args.type !== ACCOUNT) return;
      const ruleSet = valueAt(args.props, "networkRuleSet");
      if (ruleSet === undefined) {
        report(
          `networkRuleSet is not set (Azure defaults to defaultAction Allow): traffic from any network is accepted; set networkRuleSet.defaultAction to "Deny".`,
        );
        return;
      }
      const action = valueAt(ruleSet, "defaultAction");
      if (sameText(action, "Deny")) return;
      report(
        `networkRuleSet.defaultAction is ${action === undefined ? "not set (Azure defaults to Allow)" : shown(action)}: traffic from any network is accepted; set it to "Deny".`,
      );
    },
  },
  {
    name: "storage-no-ip-rules",
    description:
      "Storage account firewalls must not allow public IP addresses or ranges (networkRuleSet.ipRules); access is through private endpoints only.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      "Remove every entry of `networkRuleSet.ipRules` on the azure-native:storage:StorageAccount (leave it `[]`) and use private endpoints instead.",
    validateResource: (args, report) => {
      if (args.type !== ACCOUNT) return;
      const rules = valueAt(args.props, "networkRuleSet.ipRules");
      if (!Array.isArray(rules) || rules.length === 0) return;
      const addresses = rules.map((rule: unknown) => shown(valueAt(rule, "iPAddressOrRange")));
      report(
        `networkRuleSet.ipRules allows ${addresses.join(", ")}: public addresses can reach the account; remove the IP rules.`,
      );
    },
  },
  {
    name: "storage-https-only",
    description:
      "Storage accounts must accept HTTPS only; an absent enableHttpsTrafficOnly is compliant because Azure defaults it to true since API 2019-04-01.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Set `enableHttpsTrafficOnly: true` on the azure-native:storage:StorageAccount (or leave it unset).",
    validateResource: (args, report) => {
      if (args.type !== ACCOUNT) return;
      const value = valueAt(args.props, "enableHttpsTrafficOnly");
      if (value === undefined || isTrue(value)) return;
      report(`enableHttpsTrafficOnly is ${shown(value)}: requests over plain HTTP are accepted; set it to true.`);
    },
  },
  {
    name: "storage-min-tls-version",
    description:
      "Storage accounts must require TLS 1.2 or later; an absent minimumTlsVersion is a violation because the API version azure-native v3 uses (2024-01-01) documents TLS 1.0 as the default for it.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps: 'Set `minimumTlsVersion: "TLS1_2"` on the azure-native:storage:StorageAccount.',
    configSchema: {
      properties: {
        minimumTlsVersion: {
          type: "string",
          enum: ["TLS1_2", "TLS1_3"],
          default: "TLS1_2",
          description: "Oldest TLS version an account may accept.",
        },
      },
    },
    validateResource: (args, report) => {
      if (args.type !== ACCOUNT) return;
      const { minimumTlsVersion } = args.getConfig<{ minimumTlsVersion: string }>();
      const value = valueAt(args.props, "minimumTlsVersion");
      if (value !== undefined && tlsRank(value) >= tlsRank(minimumTlsVersion)) return;
      report(
        `minimumTlsVersion is ${value === undefined ? "not set (the API documents TLS1_0 as the default)" : shown(value)}: set it to "${minimumTlsVersion}" or later.`,
      );
    },
  },
  {
    name: "storage-cross-tenant-replication-disabled",
    description:
      "Storage accounts must disallow object replication to other Entra ID tenants explicitly; an absent allowCrossTenantReplication is a violation because only accounts created since the secure default have it off.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps: "Set `allowCrossTenantReplication: false` on the azure-native:storage:StorageAccount.",
    validateResource: (args, report) =>
      requireFalse(
        args,
        report,
        "allowCrossTenantReplication",
        "only new accounts default to false; older or imported accounts keep it allowed",
        "blobs can be replicated to an account in another tenant",
      ),
  },
  {
    name: "storage-local-users-disabled",
    description:
      "Storage accounts must disable local users explicitly (isLocalUserEnabled false): local users sign in to SFTP (and NFS) with passwords, SSH keys or shared keys that Microsoft Entra ID does not control; an absent value is a violation because the API (2024-01-01) documents no default.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Set `isLocalUserEnabled: false` on the azure-native:storage:StorageAccount (and delete its `storage:LocalUser` resources).",
    validateResource: (args, report) =>
      requireFalse(
        args,
        report,
        "isLocalUserEnabled",
        "the API documents no default",
        "local users can sign in with passwords, SSH keys or shared keys outside Microsoft Entra ID",
      ),
  },
  {
    name: "storage-sftp-disabled",
    description:
      'Storage accounts must disable the SFTP endpoint explicitly (isSftpEnabled false): SFTP accepts only local users, never Microsoft Entra ID or SAS (Microsoft Learn, "Authorize access to Azure Blob Storage for an SFTP client"); an absent value is a violation because the API (2024-01-01) documents no default.',
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps: "Set `isSftpEnabled: false` on the azure-native:storage:StorageAccount.",
    validateResource: (args, report) =>
      requireFalse(
        args,
        report,
        "isSftpEnabled",
        "the API documents no default",
        "the account serves an SFTP endpoint that authenticates local users, not Microsoft Entra ID",
      ),
  },
  {
    name: "storage-infrastructure-encryption",
    description:
      "Storage accounts must add infrastructure (double) encryption at rest (encryption.requireInfrastructureEncryption true); absent means off. The setting can only be chosen when an account is created, so an account without it has to be replaced.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      "Set `encryption: { requireInfrastructureEncryption: true, ... }` on the azure-native:storage:StorageAccount when creating it (existing accounts need a new account and a data copy).",
    validateResource: (args, report) => {
      if (args.type !== ACCOUNT) return;
      const value = valueAt(args.props, "encryption.requireInfrastructureEncryption");
      if (isTrue(value)) return;
      report(
        `encryption.requireInfrastructureEncryption is ${value === undefined ? "not set (off by default)" : shown(value)}: data at rest has a single encryption layer; set it to true when creating the account.`,
      );
    },
  },
  {
    name: "storage-blob-soft-delete",
    description:
      "Blob services should keep deleted blobs recoverable (deleteRetentionPolicy enabled for at least minRetentionDays); absent means off, the service default. Advisory on purpose: recoverability, not exposure, and the retention a stack needs depends on its data; policy-config.prod.json raises it to mandatory with 30 days.",
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps:
      "Set `deleteRetentionPolicy: { enabled: true, days: <minRetentionDays or more> }` on the azure-native:storage:BlobServiceProperties.",
    configSchema: retentionSchema,
    validateResource: (args, report) => checkRetention(args, report, BLOB_SERVICE, "deleteRetentionPolicy", "blobs"),
  },
  {
    name: "storage-container-soft-delete",
    description:
      "Blob services should keep deleted containers recoverable (containerDeleteRetentionPolicy enabled for at least minRetentionDays); absent means off, the service default. Advisory on purpose: recoverability, not exposure; policy-config.prod.json raises it to mandatory with 30 days.",
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps:
      "Set `containerDeleteRetentionPolicy: { enabled: true, days: <minRetentionDays or more> }` on the azure-native:storage:BlobServiceProperties.",
    configSchema: retentionSchema,
    validateResource: (args, report) =>
      checkRetention(args, report, BLOB_SERVICE, "containerDeleteRetentionPolicy", "containers"),
  },
  {
    name: "storage-file-share-soft-delete",
    description:
      "File services must keep deleted file shares recoverable (FileServiceProperties shareDeleteRetentionPolicy enabled for at least minRetentionDays, the same minimum as the blob soft-delete rules); absent means off. Azure ML keeps the workspace's notebooks and user files on a file share of its default storage account (the workspaceworkingdirectory datastore, share code-<id>), and deleting the share deletes them.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Set `shareDeleteRetentionPolicy: { enabled: true, days: <minRetentionDays or more> }` on the azure-native:storage:FileServiceProperties (`fileServicesName: "default"`).',
    configSchema: retentionSchema,
    // The notebooks share: Microsoft Learn, prompt flow "Troubleshoot guidance" (a `workspaceworkingdirectory`
    // datastore of file share type, share `code-<id>`, in the workspace's default storage account), the
    // working directory the studio's Notebooks and compute instances mount.
    validateResource: (args, report) =>
      checkRetention(args, report, FILE_SERVICE, "shareDeleteRetentionPolicy", "file shares"),
  },
  {
    name: "storage-blob-versioning",
    description:
      "Blob services should keep previous blob versions (isVersioningEnabled true); absent means off, the service default. Advisory on purpose: versions cost storage and protect against overwrites, not exposure; policy-config.prod.json raises it to mandatory.",
    enforcementLevel: ADVISORY,
    severity: "low",
    remediationSteps: "Set `isVersioningEnabled: true` on the azure-native:storage:BlobServiceProperties.",
    validateResource: (args, report) => {
      if (args.type !== BLOB_SERVICE) return;
      const value = valueAt(args.props, "isVersioningEnabled");
      if (isTrue(value)) return;
      report(
        `isVersioningEnabled is ${value === undefined ? "not set (off by default)" : shown(value)}: overwritten or deleted blobs cannot be restored from a previous version; set it to true.`,
      );
    },
  },
  {
    name: "storage-container-private",
    description:
      "Blob containers must not allow anonymous read access; an absent publicAccess is compliant because Azure defaults it to None.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `publicAccess: "None"` on the azure-native:storage:BlobContainer (or leave it unset), and `allowBlobPublicAccess: false` on its account.',
    validateResource: (args, report) => {
      if (args.type !== BLOB_CONTAINER) return;
      const value = valueAt(args.props, "publicAccess");
      if (value === undefined || sameText(value, "None")) return;
      report(
        `publicAccess is ${shown(value)}: anyone on the internet can read the container's blobs${sameText(value, "Container") ? " and list them" : ""}; set it to "None".`,
      );
    },
  },
];
