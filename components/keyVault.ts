import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { resolveEndpointZones } from "./privateEndpoint";
import {
  DiagnosticSettingsArgs,
  PlacementArgs,
  PrivateEndpointPlacementArgs,
  ProtectionArgs,
} from "./shared/interfaces";
import { attachServiceInterfaces } from "./shared/serviceInterfaces";

/** The private link sub-resource of a Key Vault. */
export const KEY_VAULT_GROUP_ID = "vault";

/** Default soft-delete retention: the longest Key Vault allows. */
export const DEFAULT_KEY_VAULT_SOFT_DELETE_DAYS = 90;

/** Key Vault pricing tiers (`properties.sku.name`); `premium` adds HSM-protected keys. */
export const KeyVaultSku = { Standard: "standard", Premium: "premium" } as const;
export type KeyVaultSku = (typeof KeyVaultSku)[keyof typeof KeyVaultSku];

export interface KeyVaultArgs extends PlacementArgs, ProtectionArgs {
  /** Required. Globally unique vault name, 3-24 letters, digits and hyphens (the caller adds a random suffix: deleted vaults hold their name). */
  vaultName: pulumi.Input<string>;
  /** Required. Entra ID tenant that authenticates requests to the vault. */
  tenantId: pulumi.Input<string>;
  /** Required. `standard`, or `premium` for HSM-protected keys. Changing it is an in-place update. */
  sku: KeyVaultSku;
  /**
   * Optional. Days (7-90) a deleted vault and its deleted objects stay recoverable. Default: `90`.
   * Azure accepts changes only while the vault is being created; purge protection keeps the name blocked this long after deletion.
   */
  softDeleteRetentionDays?: number;
  /**
   * Optional. Purge protection: a deleted vault and its deleted objects cannot be purged (destroyed
   * for good) before `softDeleteRetentionDays` end, and the vault's name stays taken that long.
   * Default: `true`. **One-way**: once a vault has purge protection it can never be turned off
   * ("Enabling this functionality is irreversible - that is, the property does not accept false as
   * its value", Key Vault REST API 2024-11-01, `VaultProperties.enablePurgeProtection`). `false`
   * therefore only affects a vault created without it (e.g. a disposable dev vault); the property is
   * then left unset, never sent as `false`. Soft delete stays on either way.
   */
  purgeProtection?: boolean;
  /**
   * Optional. Subnet and private DNS zones (group `vault`) for a private endpoint in the client VNet.
   * Default: none. Without it, public network access stays Disabled, so only trusted Azure services
   * and the workspace's managed network (which Azure ML gives a private endpoint to its Key Vault as a
   * required outbound rule) reach the vault; nobody in the VNet (people, CI agents) can read secrets.
   */
  privateEndpoints?: PrivateEndpointPlacementArgs;
  /** Optional. Send all logs (audit events) and all metrics to Log Analytics. Default: no diagnostic settings. */
  diagnostics?: DiagnosticSettingsArgs;
}

/** Problems with Key Vault arguments, named by config key. Empty when valid. */
export function keyVaultArgsProblems(args: Pick<KeyVaultArgs, "softDeleteRetentionDays">): string[] {
  const days = args.softDeleteRetentionDays ?? DEFAULT_KEY_VAULT_SOFT_DELETE_DAYS;
  if (!Number.isInteger(days) || days < 7 || days > 90)
    return [`keyVault.softDeleteRetentionDays is ${days}: it must be a whole number of days from 7 to 90`];
  return [];
}

/**
 * What the vault sends as `enablePurgeProtection`: `true`, or nothing. Azure accepts only `true`
 * or no value (the property "does not accept false as its value"), so off means unset.
 */
export function purgeProtectionProperty(purgeProtection: boolean | undefined): true | undefined {
  return purgeProtection === false ? undefined : true;
}

/**
 * The workspace's Key Vault: Azure RBAC only (no access policies), no public network access
 * (reachable through its client private endpoint when given, the workspace's managed network and
 * trusted Azure services), with soft delete and (unless turned off for a disposable vault) purge
 * protection, so neither a vault nor a secret can be destroyed for good before its retention ends.
 */
export class KeyVault extends pulumi.ComponentResource {
  public readonly vault: keyvault.Vault;
  /** The vault's resource id. */
  public readonly id: pulumi.Output<string>;
  /** The vault's name. */
  public readonly name: pulumi.Output<string>;
  /** The vault's data-plane URI, `https://<name>.vault.azure.net/` in the public cloud. */
  public readonly vaultUri: pulumi.Output<string>;
  /** Private endpoints keyed by group id (`vault`); empty without `privateEndpoints`. */
  public readonly privateEndpoints: Record<string, network.PrivateEndpoint>;
  /** The vault's diagnostic setting; empty without `diagnostics`. */
  public readonly diagnosticSettings: monitor.DiagnosticSetting[];
  /** The vault's `CanNotDelete` lock, with `lock`. */
  public readonly lock?: authorization.ManagementLockByScope;

  constructor(name: string, args: KeyVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    // Type token of the component package; the alias keeps stacks created under the old token (an update, not a replacement).
    super(
      "secure-azureml:index:KeyVault",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:keyvault:KeyVault" }] }),
    );
    const problems = keyVaultArgsProblems(args);
    if (problems.length > 0) throw new pulumi.ResourceError(`key vault ${name}: ${problems.join("; ")}`, this);

    // Checked before anything is created, so a wiring mistake creates nothing.
    const placement = args.privateEndpoints;
    const endpointZones = placement
      ? resolveEndpointZones(`key vault ${name}`, placement, [KEY_VAULT_GROUP_ID], this)
      : undefined;

    this.vault = this.createVault(name, args);
    this.id = this.vault.id;
    this.name = this.vault.name;
    this.vaultUri = this.vault.properties.vaultUri;

    const attached = attachServiceInterfaces(name, this.vault.id, args, { placement, zones: endpointZones }, this);
    this.privateEndpoints = attached.privateEndpoints;
    this.diagnosticSettings = attached.diagnosticSettings;
    this.lock = attached.lock;

    this.registerOutputs({ id: this.id, name: this.name, vaultUri: this.vaultUri });
  }

  private createVault(name: string, args: KeyVaultArgs): keyvault.Vault {
    return new keyvault.Vault(
      name,
      {
        vaultName: args.vaultName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        properties: {
          tenantId: args.tenantId,
          sku: { family: keyvault.SkuFamily.A, name: args.sku },
          // Data-plane access through Azure role assignments only; no inline access policies.
          enableRbacAuthorization: true,
          accessPolicies: [],
          enableSoftDelete: true,
          softDeleteRetentionInDays: args.softDeleteRetentionDays ?? DEFAULT_KEY_VAULT_SOFT_DELETE_DAYS,
          // One-way: purge protection cannot be turned off once on; `false` is never sent (Azure rejects it).
          enablePurgeProtection: purgeProtectionProperty(args.purgeProtection),
          publicNetworkAccess: keyvault.PublicNetworkAccess.Disabled,
          networkAcls: {
            defaultAction: keyvault.NetworkRuleAction.Deny,
            bypass: keyvault.NetworkRuleBypassOptions.AzureServices,
            ipRules: [],
            virtualNetworkRules: [],
          },
          enabledForDeployment: false,
          enabledForDiskEncryption: false,
          enabledForTemplateDeployment: false,
        },
      },
      { parent: this, protect: args.protect },
    );
  }
}
