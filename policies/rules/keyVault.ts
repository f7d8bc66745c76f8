import { ResourceValidationArgs } from "@pulumi/policy";
import { ADVISORY, BaselineResourcePolicy, MANDATORY } from "../support/baseline";
import { isFalse, isTrue, sameText, shown, valueAt } from "../support/props";
import { TYPES } from "secure-azureml-facts";

/**
 * Key Vault rules (azure-native v3, Key Vault API 2024-11-01). Vault, Key and Secret inputs keep
 * a `properties` object: `properties.enableRbacAuthorization`, `properties.attributes.expires`, ...
 */

const VAULT = TYPES.vault;
const KEY = TYPES.vaultKey;
const SECRET = TYPES.vaultSecret;

const DAY_SECONDS = 86_400;

/** A value as it appears in a message. */
/** The UTC date of an epoch-seconds timestamp, for messages. */
function dateOf(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 10);
}

interface ValidityConfig {
  maxValidityDays: number;
}

const validitySchema = {
  properties: {
    maxValidityDays: {
      type: "integer" as const,
      minimum: 1,
      default: 365,
      description: "Longest time, in days from now (or from notBefore when later), until the object expires.",
    },
  },
};

/**
 * An object (key or secret) must carry `properties.attributes.expires` (epoch seconds) no later
 * than `maxValidityDays` after it becomes valid (now, or `notBefore` when that is later).
 */
function checkExpiry(
  args: ResourceValidationArgs,
  report: (message: string) => void,
  type: string,
  what: string,
): void {
  if (args.type !== type) return;
  const { maxValidityDays } = args.getConfig<ValidityConfig>();
  const expires = valueAt(args.props, "properties.attributes.expires");
  if (expires === undefined) {
    report(
      `properties.attributes.expires is not set: the ${what} never expires; set it (seconds since 1970-01-01 UTC) to at most ${maxValidityDays} days ahead.`,
    );
    return;
  }
  const expiresAt = Number(expires);
  if (!Number.isFinite(expiresAt)) {
    report(`properties.attributes.expires is ${shown(expires)}: it must be a number of seconds since 1970-01-01 UTC.`);
    return;
  }
  const notBefore = valueAt(args.props, "properties.attributes.notBefore");
  const now = Math.floor(Date.now() / 1000);
  const validFrom = Math.max(now, notBefore === undefined ? now : Number(notBefore) || now);
  const days = Math.ceil((expiresAt - validFrom) / DAY_SECONDS);
  if (days > maxValidityDays) {
    report(
      `properties.attributes.expires is ${expiresAt} (${dateOf(expiresAt)}), ${days} days after the ${what} becomes valid: set it to at most ${maxValidityDays} days ahead.`,
    );
  }
}

export const keyVaultPolicies: BaselineResourcePolicy[] = [
  {
    name: "keyvault-rbac-authorization",
    description:
      "Key Vaults must authorize data access with Azure RBAC, not access policies; an absent properties.enableRbacAuthorization is treated as false, the default of the API version azure-native v3 uses (2024-11-01).",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Set `properties.enableRbacAuthorization: true` on the azure-native:keyvault:Vault and grant data access with roles such as Key Vault Secrets User.",
    validateResource: (args, report) => {
      if (args.type !== VAULT) return;
      const value = valueAt(args.props, "properties.enableRbacAuthorization");
      if (isTrue(value)) return;
      report(
        `properties.enableRbacAuthorization is ${value === undefined ? "not set (the API defaults to false)" : shown(value)}: data access is governed by vault access policies outside Azure RBAC; set it to true.`,
      );
    },
  },
  {
    name: "keyvault-purge-protection",
    description:
      "Key Vaults must enable purge protection so deleted vaults and objects cannot be destroyed before their retention ends; absent properties.enablePurgeProtection means off.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Set `properties.enablePurgeProtection: true` on the azure-native:keyvault:Vault (one-way: it cannot be turned off again).",
    validateResource: (args, report) => {
      if (args.type !== VAULT) return;
      const value = valueAt(args.props, "properties.enablePurgeProtection");
      if (isTrue(value)) return;
      report(
        `properties.enablePurgeProtection is ${value === undefined ? "not set (off by default)" : shown(value)}: a deleted vault or secret can be purged at once; set it to true.`,
      );
    },
  },
  {
    name: "keyvault-soft-delete",
    description:
      "Key Vaults must keep soft delete on with at least minRetentionDays of retention; an absent properties.enableSoftDelete is compliant (Azure turns it on) and an absent properties.softDeleteRetentionInDays means 90 days.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Set `properties.enableSoftDelete: true` and `properties.softDeleteRetentionInDays` (7-90, at least minRetentionDays) on the azure-native:keyvault:Vault; retention can only be chosen when the vault is created.",
    configSchema: {
      properties: {
        minRetentionDays: {
          type: "integer",
          minimum: 7,
          maximum: 90,
          default: 7,
          description: "Fewest days a deleted vault or object must stay recoverable.",
        },
      },
    },
    validateResource: (args, report) => {
      if (args.type !== VAULT) return;
      const { minRetentionDays } = args.getConfig<{ minRetentionDays: number }>();
      const enabled = valueAt(args.props, "properties.enableSoftDelete");
      if (isFalse(enabled)) {
        report(
          `properties.enableSoftDelete is false: deleted vaults, keys and secrets cannot be recovered; set it to true.`,
        );
        return;
      }
      const days = valueAt(args.props, "properties.softDeleteRetentionInDays");
      if (days === undefined || Number(days) >= minRetentionDays) return;
      report(
        `properties.softDeleteRetentionInDays is ${shown(days)}: deleted objects must stay recoverable for at least ${minRetentionDays} days; set it to ${minRetentionDays} or more (up to 90).`,
      );
    },
  },
  {
    name: "keyvault-public-network-disabled",
    description:
      "Key Vaults must disable public network access; an absent properties.publicNetworkAccess is treated as enabled, the service and SDK default.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `properties.publicNetworkAccess: "Disabled"` on the azure-native:keyvault:Vault and reach it through a private endpoint (group `vault`).',
    validateResource: (args, report) => {
      if (args.type !== VAULT) return;
      const value = valueAt(args.props, "properties.publicNetworkAccess");
      if (sameText(value, "Disabled")) return;
      report(
        `properties.publicNetworkAccess is ${value === undefined ? "not set (Azure defaults to enabled)" : shown(value)}: the vault's public endpoint is reachable; set it to "Disabled".`,
      );
    },
  },
  {
    name: "keyvault-network-acl-deny",
    description:
      "Key Vault firewalls must deny by default; an absent properties.networkAcls or defaultAction is treated as Allow, the service default.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `properties.networkAcls: { defaultAction: "Deny", bypass: "AzureServices" }` on the azure-native:keyvault:Vault.',
    validateResource: (args, report) => {
      if (args.type !== VAULT) return;
      const acls = valueAt(args.props, "properties.networkAcls");
      if (acls === undefined) {
        report(
          `properties.networkAcls is not set (Azure defaults to defaultAction Allow): requests from any network pass the firewall; set properties.networkAcls.defaultAction to "Deny".`,
        );
        return;
      }
      const action = valueAt(acls, "defaultAction");
      if (sameText(action, "Deny")) return;
      report(
        `properties.networkAcls.defaultAction is ${action === undefined ? "not set (Azure defaults to Allow)" : shown(action)}: requests from any network pass the firewall; set it to "Deny".`,
      );
    },
  },
  {
    name: "keyvault-key-expiry",
    description:
      "Key Vault keys should expire (properties.attributes.expires, epoch seconds) within maxValidityDays; absent means the key never expires. Advisory: an expiry without automatic rotation can break customer-managed-key encryption.",
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps:
      "Set `properties.attributes.expires` (seconds since 1970-01-01 UTC, at most maxValidityDays ahead) on the azure-native:keyvault:Key, with a `properties.rotationPolicy` that rotates it before then.",
    configSchema: validitySchema,
    validateResource: (args, report) => checkExpiry(args, report, KEY, "key"),
  },
  {
    name: "keyvault-secret-expiry",
    description:
      "Key Vault secrets should expire (properties.attributes.expires, epoch seconds) within maxValidityDays; absent means the secret never expires. Advisory: expiry is a rotation reminder, and the baseline avoids stored secrets altogether.",
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps:
      "Set `properties.attributes.expires` (seconds since 1970-01-01 UTC, at most maxValidityDays ahead) on the azure-native:keyvault:Secret, and rotate the secret before then.",
    configSchema: validitySchema,
    validateResource: (args, report) => checkExpiry(args, report, SECRET, "secret"),
  },
];
