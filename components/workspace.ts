import * as ml from "@pulumi/azure-native/machinelearningservices";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";
import type { WorkspaceConfig } from "./config/schema";
import { buildOutboundRules, hasFqdnRules } from "./outboundRules";
import { PrivateEndpoint } from "./privateEndpoint";
import { addDiagnosticSetting } from "./shared/diagnostics";
import { DiagnosticSettingsArgs, PlacementArgs, ProtectionArgs, ZoneIds } from "./shared/interfaces";
import { addDeleteLock } from "./shared/lock";

/**
 * Workspace timeouts. With `provisionNetworkNow` the first create provisions the managed
 * network (~30 min, plus ~10 min for the first FQDN rule and its managed firewall).
 */
export const WORKSPACE_TIMEOUTS: pulumi.CustomTimeouts = { create: "60m", update: "60m", delete: "30m" };

/** Where the workspace's private endpoint goes. */
export interface WorkspacePrivateEndpointArgs {
  /** Required. Resource id of the subnet the `amlworkspace` endpoint is placed in. */
  subnetId: pulumi.Input<string>;
  /**
   * Optional. The `privatelink.api.azureml.ms` and `privatelink.notebooks.azure.net` zone ids
   * (or their sovereign-cloud equivalents), all in the endpoint's one zone group. Default:
   * none, which leaves the zone group to Azure Policy (privateDns mode `azurePolicy`).
   */
  zoneIds?: ZoneIds;
}

export interface MachineLearningWorkspaceArgs extends PlacementArgs, ProtectionArgs {
  /**
   * Required. Workspace name (3-33 letters, digits, `-` or `_`). Workspaces soft-delete and
   * hold their name for 14 days, so the caller adds a random suffix.
   */
  workspaceName: pulumi.Input<string>;
  /**
   * Required. Resource id of the user-assigned identity that is the workspace's only and
   * primary identity (and the identity that reads the customer-managed key, when there is one).
   */
  identityId: pulumi.Input<string>;
  /** Required. Resource id of the default storage account. One-way: Azure does not allow changing it. */
  storageAccountId: pulumi.Input<string>;
  /** Required. Resource id of the workspace Key Vault. One-way: Azure does not allow changing it. */
  keyVaultId: pulumi.Input<string>;
  /** Required. Resource id of the container registry for environment images. */
  containerRegistryId: pulumi.Input<string>;
  /** Required. Resource id of the Application Insights component. */
  applicationInsightsId: pulumi.Input<string>;
  /**
   * Required. The validated `workspace` config: friendly name, description, high business
   * impact (one-way), customer-managed key (one-way: cannot be added, removed or moved to
   * another identity after creation), and the managed network's outbound mode and allowlist
   * (one-way: the isolation mode cannot be changed once set).
   */
  config: WorkspaceConfig;
  /** Required. Placement of the workspace's private endpoint (group id `amlworkspace`). */
  privateEndpoint: WorkspacePrivateEndpointArgs;
  /**
   * Required. Name of the compute cluster that builds environment Docker images. A registry
   * behind a private endpoint cannot build images itself, so Azure ML builds them on this
   * compute cluster (or compute instance) inside the managed network. The workspace only refers
   * to it by name: pass `imageBuilderComputeName(config.compute)` (`compute.ts`), the name the
   * compute component gives the builder, which changes with its VM size. Updatable in place.
   */
  imageBuildComputeName: string;
  /** Optional. Send the workspace's logs (`allLogs`) and metrics (`AllMetrics`) to Log Analytics. Default: none. */
  diagnostics?: DiagnosticSettingsArgs;
  /**
   * Optional. Resources outside the workspace that its managed network must reach privately,
   * keyed by outbound rule name (e.g. the Azure ML registry that jobs read models and
   * environments from): each becomes an outbound rule of type PrivateEndpoint, in the same
   * inline rule list as the FQDN and service tag rules. Default: none.
   */
  privateEndpointTargets?: Readonly<Record<string, PrivateEndpointTarget>>;
  /**
   * Optional. Resources the workspace must wait for, typically the role assignments its
   * identity needs on storage, Key Vault, registry and resource group before creation can
   * succeed. Given to the workspace resource itself: children do not inherit a component's
   * `dependsOn`. Default: none.
   */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
  /**
   * Optional. Add `CanNotDelete` locks on the workspace and its private endpoint. A lock on
   * the workspace also covers its child resources (computes, online endpoints, deployments):
   * deleting or replacing one of them fails until the lock is removed. Default: `false`.
   */
  lock?: boolean;
  /** Optional. Mark the workspace `protect` so `pulumi destroy` refuses to delete it. Default: `false`. */
  protect?: boolean;
}

type ManagedNetworkSettings = azureInputs.machinelearningservices.ManagedNetworkSettingsArgs;

/** A resource the managed network reaches through a private endpoint it creates (an outbound rule of type PrivateEndpoint). */
export interface PrivateEndpointTarget {
  /** Resource id of the target, e.g. an Azure ML registry. */
  resourceId: pulumi.Input<string>;
  /** The target's private link sub-resource, e.g. `amlregistry`. */
  subresource: string;
}
type WorkspaceEncryption = azureInputs.machinelearningservices.EncryptionPropertyArgs;

/** The workspace's data isolation setting: off (deploy-audit B5). */
export const WORKSPACE_DATA_ISOLATION = false;

/**
 * The managed network: isolation mode from config, the user-defined outbound rules inline
 * (the one rule model: the whole list goes in the workspace PUT, so rules are applied
 * together and serialised, and a redeploy keeps them), and the firewall SKU only when FQDN
 * rules exist (only they create the managed Azure Firewall).
 */
export function managedNetworkSettings(outbound: WorkspaceConfig["outbound"], privateEndpointTargets: Readonly<Record<string, PrivateEndpointTarget>> = {}): ManagedNetworkSettings {
  const outboundRules = buildOutboundRules(outbound);
  const privateEndpointRules = Object.fromEntries(
    Object.entries(privateEndpointTargets).map(([ruleName, target]) => [
      ruleName,
      {
        type: "PrivateEndpoint" as const,
        category: ml.RuleCategory.UserDefined,
        destination: { serviceResourceId: target.resourceId, subresourceTarget: target.subresource, sparkEnabled: false },
      },
    ]),
  );
  return {
    isolationMode: outbound.mode,
    outboundRules: { ...outboundRules, ...privateEndpointRules },
    ...(hasFqdnRules(outboundRules) ? { firewallSku: outbound.firewallSku } : {}),
  };
}

/** Customer-managed key encryption read by the workspace's user-assigned identity, or undefined for Microsoft-managed keys. */
export function workspaceEncryption(config: WorkspaceConfig, identityId: pulumi.Input<string>): WorkspaceEncryption | undefined {
  const cmk = config.customerManagedKey;
  if (!cmk) return undefined;
  return {
    status: ml.EncryptionStatus.Enabled,
    identity: { userAssignedIdentity: identityId },
    keyVaultProperties: { keyVaultArmId: cmk.keyVaultId, keyIdentifier: cmk.keyUri },
  };
}

/**
 * An Azure Machine Learning workspace with no public network access, a managed network
 * provisioned at creation, identity-based access to its storage, a user-assigned identity,
 * and one private endpoint (`amlworkspace`) whose zone group holds the API and notebook zones.
 */
export class MachineLearningWorkspace extends pulumi.ComponentResource {
  public readonly workspace: ml.Workspace;
  public readonly privateEndpoint: PrivateEndpoint;
  public readonly id: pulumi.Output<string>;
  public readonly name: pulumi.Output<string>;

  constructor(name: string, args: MachineLearningWorkspaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-azureml:workspace:MachineLearningWorkspace", name, {}, opts);
    const { config } = args;

    this.workspace = new ml.Workspace(
      name,
      {
        workspaceName: args.workspaceName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        kind: "Default",
        sku: { name: "Basic", tier: ml.SkuTier.Basic },
        friendlyName: config.friendlyName,
        description: config.description,
        identity: { type: ml.ManagedServiceIdentityType.UserAssigned, userAssignedIdentities: [args.identityId] },
        primaryUserAssignedIdentity: args.identityId,
        storageAccount: args.storageAccountId,
        keyVault: args.keyVaultId,
        containerRegistry: args.containerRegistryId,
        applicationInsights: args.applicationInsightsId,
        publicNetworkAccess: ml.PublicNetworkAccessType.Disabled,
        allowPublicAccessWhenBehindVnet: false,
        systemDatastoresAuthMode: ml.SystemDatastoresAuthMode.Identity,
        managedNetwork: managedNetworkSettings(config.outbound, args.privateEndpointTargets),
        provisionNetworkNow: true,
        serverlessComputeSettings: { serverlessComputeNoPublicIP: true },
        imageBuildCompute: args.imageBuildComputeName,
        hbiWorkspace: config.highBusinessImpact,
        v1LegacyMode: false,
        // Off: data isolation is for storage, Key Vault and registry shared by several workspaces; this
        // workspace's are dedicated. It is one-way (set only at creation) and renames the workspace
        // containers to `<guid>-azureml-blobstore` (see workspaceBlobContainerName).
        enableDataIsolation: WORKSPACE_DATA_ISOLATION,
        encryption: workspaceEncryption(config, args.identityId),
      },
      { parent: this, protect: args.protect === true, dependsOn: args.dependsOn, customTimeouts: WORKSPACE_TIMEOUTS },
    );
    this.id = this.workspace.id;
    this.name = this.workspace.name;

    this.privateEndpoint = new PrivateEndpoint(
      `${name}-amlworkspace`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        targetResourceId: this.workspace.id,
        groupId: "amlworkspace",
        subnetId: args.privateEndpoint.subnetId,
        zoneIds: args.privateEndpoint.zoneIds,
      },
      { parent: this },
    );

    if (args.lock) {
      addDeleteLock(name, this.workspace.id, this);
      addDeleteLock(`${name}-amlworkspace`, this.privateEndpoint.id, this);
    }
    if (args.diagnostics) {
      addDiagnosticSetting(name, this.workspace.id, args.diagnostics.logAnalyticsWorkspaceId, { logs: "allLogs", metrics: true }, this);
    }

    this.registerOutputs({ id: this.id, name: this.name });
  }
}
