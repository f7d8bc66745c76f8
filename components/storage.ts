import * as authorization from "@pulumi/azure-native/authorization";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { armIdPattern } from "secure-azureml-facts";
import { azurePrivateEndpoints, createServiceEndpoints, resolveEndpointZones } from "./privateEndpoint";
import { addDiagnosticSetting } from "./shared/diagnostics";
import {
  DiagnosticSettingsArgs,
  PlacementArgs,
  PrivateEndpointPlacementArgs,
  ProtectionArgs,
} from "./shared/interfaces";
import { addDeleteLock } from "./shared/lock";

/** Storage redundancy SKUs the project accepts (standard general-purpose v2 only). */
export const StorageSku = {
  Standard_LRS: "Standard_LRS",
  Standard_ZRS: "Standard_ZRS",
  Standard_GRS: "Standard_GRS",
  Standard_GZRS: "Standard_GZRS",
  Standard_RAGRS: "Standard_RAGRS",
  Standard_RAGZRS: "Standard_RAGZRS",
} as const;
export type StorageSku = (typeof StorageSku)[keyof typeof StorageSku];

/** Storage sub-resources (private link group ids) a private endpoint can target. */
export const StorageEndpointGroup = { Blob: "blob", File: "file", Dfs: "dfs", Queue: "queue", Table: "table" } as const;
export type StorageEndpointGroup = (typeof StorageEndpointGroup)[keyof typeof StorageEndpointGroup];

/** Sub-resources Azure ML's default storage always needs: blob (datastores, snapshots, models) and file (notebooks). */
export const REQUIRED_STORAGE_GROUPS: readonly StorageEndpointGroup[] = ["blob", "file"];

/**
 * Storage exports no `AllMetrics` category: the account and its services send the
 * `Transaction` metric category (capacity metrics stay in Azure Monitor metrics).
 */
const STORAGE_METRIC_CATEGORIES = ["Transaction"] as const;

/** Azure ML registries a workspace shares assets into, let through the account's firewall as resource instances. */
export interface RegistryResourceAccessArgs {
  /**
   * Required. Resource ids of the Azure ML registries
   * (`/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.MachineLearningServices/registries/<name>`),
   * at least one, each becoming one resource access rule. Adding or removing one is an in-place update.
   */
  registryIds: pulumi.Input<string>[];
  /** Required. The Microsoft Entra tenant of the registries (the stack's tenant, from `getClientConfig`). */
  tenantId: pulumi.Input<string>;
}

export interface StorageArgs extends PlacementArgs, ProtectionArgs {
  /** Required. Globally unique account name, 3-24 lowercase letters and digits (the caller adds a random suffix). */
  accountName: pulumi.Input<string>;
  /** Required. Redundancy SKU, e.g. `Standard_ZRS`. Changing between some SKUs needs a conversion or migration in Azure. */
  sku: StorageSku;
  /** Required. Days (1-365) that deleted blobs, blob versions, containers and file shares stay recoverable. */
  softDeleteRetentionDays: number;
  /**
   * Required. Storage sub-resources that get a private endpoint, each at most once; must include
   * `blob` and `file`. Adding `dfs`, `queue` or `table` adds endpoints, removing one deletes it.
   */
  privateEndpointGroups: StorageEndpointGroup[];
  /** Required. Subnet and private DNS zones for the private endpoints (zones per group id). */
  privateEndpoints: PrivateEndpointPlacementArgs;
  /** Optional. Send the account's metrics and the blob/file services' logs and metrics to Log Analytics. Default: no diagnostic settings. */
  diagnostics?: DiagnosticSettingsArgs;
  /**
   * Optional. Let these Azure ML registries read the account, so that `az ml model share` and
   * `az ml environment share` can copy assets from the workspace into a registry (Microsoft:
   * "Network isolation with Azure Machine Learning registries": sharing is refused while the
   * asset's storage account has public network access disabled). Default: none, and the account
   * has public network access `Disabled`.
   *
   * When set, the exposure changes: public network access becomes `Enabled`, so the account's
   * public endpoint exists and answers, but its firewall denies by default (`defaultAction:
   * Deny`) with no IP and no virtual network rules; the only ways in besides the private
   * endpoints are one resource instance rule per registry (that registry instance, reaching the
   * public endpoint over Microsoft's network) and the trusted-services bypass
   * (`AzureServices`) the account always has, which now takes effect on the public endpoint
   * too. Shared keys and SAS stay off, so every request still needs Entra ID. Not one-way:
   * removing it restores `Disabled` in place. Azure's built-in policy "Storage accounts should
   * disable public network access" audits such an account.
   */
  registryAccess?: RegistryResourceAccessArgs;
}

/** An Azure ML registry resource id. */
const ML_REGISTRY_ID = armIdPattern("Microsoft.MachineLearningServices/registries");

/** Problems with storage arguments that Azure would only report mid-deployment (or not at all). Empty when valid. */
export function storageArgsProblems(
  args: Pick<StorageArgs, "privateEndpointGroups" | "softDeleteRetentionDays" | "registryAccess">,
): string[] {
  const problems: string[] = [];
  const groups = args.privateEndpointGroups;
  const missing = REQUIRED_STORAGE_GROUPS.filter((group) => !groups.includes(group));
  if (missing.length > 0) {
    problems.push(
      `storage.privateEndpoints is [${groups.join(", ")}]: it must include ${missing.join(" and ")} (Azure ML uses blob for datastores and file for notebooks)`,
    );
  }
  const duplicates = groups.filter((group, index) => groups.indexOf(group) !== index);
  if (duplicates.length > 0)
    problems.push(
      `storage.privateEndpoints lists ${[...new Set(duplicates)].join(", ")} more than once; list each sub-resource once`,
    );
  const days = args.softDeleteRetentionDays;
  if (!Number.isInteger(days) || days < 1 || days > 365)
    problems.push(`storage.softDeleteRetentionDays is ${days}: it must be a whole number of days from 1 to 365`);
  const registryIds = args.registryAccess?.registryIds;
  if (registryIds?.length === 0)
    problems.push(
      "registryAccess.registryIds is empty: list at least one Azure ML registry id, or leave registryAccess unset (public network access Disabled)",
    );
  // Ids known now are checked; outputs (a registry created in the same stack) are Azure ML registry ids by construction.
  for (const id of (registryIds ?? []).filter(
    (value): value is string => typeof value === "string" && !ML_REGISTRY_ID.test(value),
  )) {
    problems.push(
      `registryAccess.registryIds has ${id}: it must be an Azure ML registry resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.MachineLearningServices/registries/<name>)`,
    );
  }
  return problems;
}

/**
 * The account's network settings: private only (`Disabled`, deny-all firewall without rules), or,
 * with registries to admit, the public endpoint on but closed to everything except those
 * registry instances (and the trusted-services bypass). See `StorageArgs.registryAccess`.
 */
export function storageNetworkAccess(
  registryAccess: RegistryResourceAccessArgs | undefined,
): Pick<storage.StorageAccountArgs, "publicNetworkAccess" | "networkRuleSet"> {
  const closed = {
    defaultAction: storage.DefaultAction.Deny,
    bypass: storage.Bypass.AzureServices,
    ipRules: [],
    virtualNetworkRules: [],
  };
  if (registryAccess === undefined)
    return { publicNetworkAccess: storage.PublicNetworkAccess.Disabled, networkRuleSet: closed };
  return {
    publicNetworkAccess: storage.PublicNetworkAccess.Enabled,
    networkRuleSet: {
      ...closed,
      resourceAccessRules: registryAccess.registryIds.map((resourceId) => ({
        tenantId: registryAccess.tenantId,
        resourceId,
      })),
    },
  };
}

/**
 * The Azure ML workspace's default storage account: private (private endpoints only, no public
 * network access, unless `registryAccess` admits ML registries through a deny-all firewall),
 * key-less (Entra ID only, no shared keys or SAS), recoverable (versioning and soft delete for
 * blobs, containers and shares) and double-encrypted at rest.
 */
export class Storage extends pulumi.ComponentResource {
  public readonly account: storage.StorageAccount;
  public readonly blobService: storage.BlobServiceProperties;
  public readonly fileService: storage.FileServiceProperties;
  /** The account's resource id. */
  public readonly id: pulumi.Output<string>;
  /** The account's name. */
  public readonly name: pulumi.Output<string>;
  /** Private endpoints keyed by group id (`blob`, `file`, ...). */
  public readonly privateEndpoints: Record<string, network.PrivateEndpoint>;
  /** The diagnostic settings of the account and its blob and file services; empty without `diagnostics`. */
  public readonly diagnosticSettings: monitor.DiagnosticSetting[];
  /** The account's `CanNotDelete` lock, with `lock`. */
  public readonly lock?: authorization.ManagementLockByScope;

  constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
    // Type token of the component package; the alias keeps stacks created under the old token (an update, not a replacement).
    super(
      "secure-azureml:index:Storage",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:storage:Storage" }] }),
    );
    const problems = storageArgsProblems(args);
    if (problems.length > 0) throw new pulumi.ResourceError(`storage ${name}: ${problems.join("; ")}`, this);

    // Checked before anything is created, so a wiring mistake creates nothing.
    const endpointZones = resolveEndpointZones(
      `storage ${name}`,
      args.privateEndpoints,
      args.privateEndpointGroups,
      this,
    );

    this.account = this.createAccount(name, args);
    this.id = this.account.id;
    this.name = this.account.name;
    this.blobService = this.createBlobService(name, args);
    this.fileService = this.createFileService(name, args);

    const endpoints = createServiceEndpoints(
      name,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        targetResourceId: this.account.id,
        subnetId: args.privateEndpoints.subnetId,
      },
      endpointZones,
      this,
    );
    this.privateEndpoints = azurePrivateEndpoints(endpoints);

    this.diagnosticSettings = args.diagnostics ? this.addDiagnostics(name, args.diagnostics) : [];

    if (args.lock) {
      // Created last, deleted first: a delete lock on the account makes Azure refuse to delete
      // its private endpoint connections and diagnostic settings (ScopeLocked).
      this.lock = addDeleteLock(name, this.account.id, this, [
        ...Object.values(endpoints),
        ...this.diagnosticSettings,
        this.blobService,
        this.fileService,
      ]);
    }

    this.registerOutputs({ id: this.id, name: this.name });
  }

  private createAccount(name: string, args: StorageArgs): storage.StorageAccount {
    return new storage.StorageAccount(
      name,
      {
        accountName: args.accountName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        kind: storage.Kind.StorageV2,
        sku: { name: args.sku },
        accessTier: storage.AccessTier.Hot,
        // Entra ID only: no account keys, no SAS, and the portal defaults to Entra ID too.
        allowSharedKeyAccess: false,
        defaultToOAuthAuthentication: true,
        // No local users and no SFTP endpoint (SFTP signs in local users only, never Entra ID). Set
        // explicitly: storage.json 2024-01-01 (StorageAccountPropertiesCreateParameters) documents
        // no default for either.
        isLocalUserEnabled: false,
        isSftpEnabled: false,
        enableNfsV3: false,
        allowBlobPublicAccess: false,
        allowCrossTenantReplication: false,
        allowedCopyScope: storage.AllowedCopyScope.AAD,
        minimumTlsVersion: storage.MinimumTlsVersion.TLS1_2,
        enableHttpsTrafficOnly: true,
        ...storageNetworkAccess(args.registryAccess),
        // One-way: Azure ML's default storage does not support a hierarchical namespace, and it cannot be turned off later.
        isHnsEnabled: false,
        encryption: {
          keySource: storage.KeySource.Microsoft_Storage,
          // One-way (set at creation only): a second AES-256 layer at the infrastructure level.
          requireInfrastructureEncryption: true,
          services: {
            blob: { enabled: true, keyType: storage.KeyType.Account },
            file: { enabled: true, keyType: storage.KeyType.Account },
            // One-way: account-scoped keys for queues and tables allow customer-managed keys later.
            queue: { enabled: true, keyType: storage.KeyType.Account },
            table: { enabled: true, keyType: storage.KeyType.Account },
          },
        },
      },
      { parent: this, protect: args.protect },
    );
  }

  private createBlobService(name: string, args: StorageArgs): storage.BlobServiceProperties {
    return new storage.BlobServiceProperties(
      `${name}-blob-service`,
      {
        accountName: this.account.name,
        resourceGroupName: args.resourceGroupName,
        blobServicesName: "default",
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: args.softDeleteRetentionDays, allowPermanentDelete: false },
        containerDeleteRetentionPolicy: { enabled: true, days: args.softDeleteRetentionDays },
      },
      { parent: this },
    );
  }

  private createFileService(name: string, args: StorageArgs): storage.FileServiceProperties {
    return new storage.FileServiceProperties(
      `${name}-file-service`,
      {
        accountName: this.account.name,
        resourceGroupName: args.resourceGroupName,
        fileServicesName: "default",
        // file.json 2024-01-01 FileServiceProperties.shareDeleteRetentionPolicy (days 1-365).
        shareDeleteRetentionPolicy: { enabled: true, days: args.softDeleteRetentionDays },
      },
      { parent: this },
    );
  }

  private addDiagnostics(name: string, diagnostics: DiagnosticSettingsArgs): monitor.DiagnosticSetting[] {
    const workspaceId = diagnostics.logAnalyticsWorkspaceId;
    return [
      addDiagnosticSetting(name, this.account.id, workspaceId, { metrics: STORAGE_METRIC_CATEGORIES }, this),
      addDiagnosticSetting(
        `${name}-blob-service`,
        this.blobService.id,
        workspaceId,
        { logs: "allLogs", metrics: STORAGE_METRIC_CATEGORIES },
        this,
      ),
      addDiagnosticSetting(
        `${name}-file-service`,
        this.fileService.id,
        workspaceId,
        { logs: "allLogs", metrics: STORAGE_METRIC_CATEGORIES },
        this,
      ),
    ];
  }
}
