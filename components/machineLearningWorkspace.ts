import * as ml from "@pulumi/azure-native/machinelearningservices";
import type * as network from "@pulumi/azure-native/network";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";
import { PrivateEndpoint } from "./privateEndpoint";
import { addDiagnosticSetting } from "./shared/diagnostics";
import { DiagnosticSettingsArgs, PlacementArgs, ProtectionArgs } from "./shared/interfaces";
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
  zoneIds?: pulumi.Input<string>[];
}

/**
 * The managed network's isolation mode. One-way: Azure does not allow changing it once set
 * (Microsoft, "Workspace managed network isolation").
 */
export const ManagedNetworkIsolationMode = {
  AllowOnlyApprovedOutbound: "AllowOnlyApprovedOutbound",
  AllowInternetOutbound: "AllowInternetOutbound",
} as const;
export type ManagedNetworkIsolationMode =
  (typeof ManagedNetworkIsolationMode)[keyof typeof ManagedNetworkIsolationMode];

/** SKU of the managed Azure Firewall Azure ML creates for FQDN outbound rules (REST `FirewallSku`). */
export const ManagedFirewallSku = { Standard: "Standard", Basic: "Basic" } as const;
export type ManagedFirewallSku = (typeof ManagedFirewallSku)[keyof typeof ManagedFirewallSku];

/** Protocol of a service tag outbound rule (`*` is any protocol). */
export const ServiceTagProtocol = { TCP: "TCP", UDP: "UDP", ICMP: "ICMP", Any: "*" } as const;
export type ServiceTagProtocol = (typeof ServiceTagProtocol)[keyof typeof ServiceTagProtocol];

/** An outbound rule of type FQDN (creates the managed Azure Firewall). */
export interface FqdnRuleArgs {
  /** Required. Rule name: 3-33 characters, `^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`; unique among the workspace's rules. */
  name: string;
  /** Required. Destination host name, e.g. `pypi.org` or `*.data.mcr.microsoft.com`. */
  destination: string;
}

/** An outbound rule of type ServiceTag. */
export interface ServiceTagRuleArgs {
  /** Required. Rule name: 3-33 characters, `^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`; unique among the workspace's rules. */
  name: string;
  /** Required. Azure service tag, e.g. `AzureOpenDatasets`. */
  serviceTag: string;
  /** Required. Protocol. */
  protocol: ServiceTagProtocol;
  /** Required. Port ranges, e.g. `443`, `1433,11000-11999` or `*`. */
  portRanges: string;
}

/** An outbound rule of type PrivateEndpoint: a resource the managed network reaches through a private endpoint it creates. */
export interface PrivateEndpointRuleArgs {
  /** Required. Rule name: 3-33 characters, `^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`; unique among the workspace's rules. */
  name: string;
  /** Required. Resource id of the target, e.g. an Azure ML registry. */
  resourceId: pulumi.Input<string>;
  /** Required. The target's private link sub-resource, e.g. `amlregistry`. */
  subresource: string;
}

/**
 * The managed network's outbound settings. All rules go inline in the workspace PUT (one rule
 * model: applied together and serialised, and a redeploy keeps them).
 */
export interface WorkspaceOutboundArgs {
  /** Required. Isolation mode. One-way. */
  mode: ManagedNetworkIsolationMode;
  /** Optional. SKU of the managed firewall; sent only when there are FQDN rules (only they create the firewall). Default: `Standard`. */
  firewallSku?: ManagedFirewallSku;
  /** Optional. FQDN rules (the expanded allowlist: presets and extras), for `AllowOnlyApprovedOutbound` only. Default: none. */
  fqdnRules?: FqdnRuleArgs[];
  /** Optional. Service tag rules, for `AllowOnlyApprovedOutbound` only. Default: none. */
  serviceTagRules?: ServiceTagRuleArgs[];
  /**
   * Optional. Private endpoint rules to resources outside the workspace (e.g. the Azure ML
   * registry jobs read models and environments from, or the default storage's queue and table for
   * batch endpoints). Default: none.
   */
  privateEndpointRules?: PrivateEndpointRuleArgs[];
}

/** Customer-managed key encryption of the workspace. */
export interface CustomerManagedKeyArgs {
  /** Required. Resource id of the Key Vault holding the key. */
  keyVaultId: string;
  /** Required. The key's URI (`https://<vault>.vault.azure.net/keys/<name>[/<version>]`). */
  keyUri: string;
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
  /** Optional. Display name in the studio. Default: none. */
  friendlyName?: string;
  /** Optional. Description of the workspace. Default: none. */
  description?: string;
  /** Optional. High business impact workspace (less diagnostic data to Microsoft). One-way: set only at creation. Default: `false`. */
  highBusinessImpact?: boolean;
  /**
   * Optional. Encrypt with a customer-managed key read by `identityId`. One-way: it cannot be added,
   * removed or moved to another identity after creation. Default: Microsoft-managed keys.
   */
  customerManagedKey?: CustomerManagedKeyArgs;
  /** Required. The managed network's isolation mode and outbound rules. */
  outbound: WorkspaceOutboundArgs;
  /** Required. Placement of the workspace's private endpoint (group id `amlworkspace`). */
  privateEndpoint: WorkspacePrivateEndpointArgs;
  /**
   * Required. Name of the compute cluster that builds environment Docker images. A registry
   * behind a private endpoint cannot build images itself, so Azure ML builds them on this
   * compute cluster (or compute instance) inside the managed network. The workspace only refers
   * to it by name: pass `imageBuilderComputeName(...)` (`trainingCompute.ts`), the name the
   * compute component gives the builder, which changes with its VM size. Updatable in place.
   */
  imageBuildComputeName: string;
  /** Optional. Send the workspace's logs (`allLogs`) and metrics (`AllMetrics`) to Log Analytics. Default: none. */
  diagnostics?: DiagnosticSettingsArgs;
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
type WorkspaceEncryption = azureInputs.machinelearningservices.EncryptionPropertyArgs;
type OutboundRule =
  | azureInputs.machinelearningservices.FqdnOutboundRuleArgs
  | azureInputs.machinelearningservices.ServiceTagOutboundRuleArgs
  | azureInputs.machinelearningservices.PrivateEndpointOutboundRuleArgs;

/** The workspace's data isolation setting: off (deploy-audit B5). */
export const WORKSPACE_DATA_ISOLATION = false;

/** Azure's outbound rule name pattern (`RuleName` parameter of the Microsoft.MachineLearningServices REST spec). */
const RULE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/;

/**
 * The managed network: isolation mode, the user-defined outbound rules inline (FQDN and service
 * tag rules sorted by name, then the private endpoint rules), and the firewall SKU only when FQDN
 * rules exist (only they create the managed Azure Firewall).
 */
export function managedNetworkSettings(outbound: WorkspaceOutboundArgs): ManagedNetworkSettings {
  const fqdnRules = outbound.fqdnRules ?? [];
  // Microsoft, "Workspace managed network isolation" (how-to-managed-network): a service tag or FQDN
  // outbound rule is only valid when the managed network is allow_only_approved_outbound.
  const approvedOnlyRules = fqdnRules.length + (outbound.serviceTagRules ?? []).length;
  if (outbound.mode !== ManagedNetworkIsolationMode.AllowOnlyApprovedOutbound && approvedOnlyRules > 0)
    throw new Error(
      `outbound mode ${outbound.mode} takes no FQDN or service tag rules (${approvedOnlyRules} given): Azure accepts them only with AllowOnlyApprovedOutbound; remove them, or use that mode`,
    );
  const named: [string, OutboundRule][] = [
    ...fqdnRules.map((rule): [string, OutboundRule] => [
      rule.name,
      { type: "FQDN", category: ml.RuleCategory.UserDefined, destination: rule.destination },
    ]),
    ...(outbound.serviceTagRules ?? []).map((rule): [string, OutboundRule] => [
      rule.name,
      {
        type: "ServiceTag",
        category: ml.RuleCategory.UserDefined,
        destination: { serviceTag: rule.serviceTag, protocol: rule.protocol, portRanges: rule.portRanges },
      },
    ]),
  ].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const privateEndpointRules = (outbound.privateEndpointRules ?? []).map((rule): [string, OutboundRule] => [
    rule.name,
    {
      type: "PrivateEndpoint",
      category: ml.RuleCategory.UserDefined,
      destination: { serviceResourceId: rule.resourceId, subresourceTarget: rule.subresource, sparkEnabled: false },
    },
  ]);
  const all = [...named, ...privateEndpointRules];
  const names = all.map(([name]) => name);
  const invalid = names.find((name) => !RULE_NAME.test(name));
  if (invalid !== undefined)
    throw new Error(
      `outbound rule name ${JSON.stringify(invalid)}: must match ${RULE_NAME.source} (3-33 letters, digits, _ or -)`,
    );
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined)
    throw new Error(`outbound rule name ${duplicate} is used twice; each rule needs a unique name`);
  return {
    isolationMode: outbound.mode,
    outboundRules: Object.fromEntries(all),
    ...(fqdnRules.length > 0 ? { firewallSku: outbound.firewallSku ?? ManagedFirewallSku.Standard } : {}),
  };
}

/** Customer-managed key encryption read by the workspace's user-assigned identity, or undefined for Microsoft-managed keys. */
export function workspaceEncryption(
  cmk: CustomerManagedKeyArgs | undefined,
  identityId: pulumi.Input<string>,
): WorkspaceEncryption | undefined {
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
 * What the workspace must wait for (typically the role assignments its identity needs on storage,
 * Key Vault, registry and resource group) goes in `opts.dependsOn`: the component gives it to the
 * workspace resource, because children do not inherit a component's `dependsOn`.
 */
export class MachineLearningWorkspace extends pulumi.ComponentResource {
  public readonly workspace: ml.Workspace;
  /** The workspace's private endpoint (group `amlworkspace`). */
  public readonly privateEndpoint: network.PrivateEndpoint;
  /** Its DNS zone group; unset when `privateEndpoint.zoneIds` is omitted. */
  public readonly privateDnsZoneGroup?: network.PrivateDnsZoneGroup;
  public readonly id: pulumi.Output<string>;
  public readonly name: pulumi.Output<string>;

  constructor(name: string, args: MachineLearningWorkspaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "secure-azureml:index:MachineLearningWorkspace",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:workspace:MachineLearningWorkspace" }] }),
    );

    this.workspace = new ml.Workspace(
      name,
      {
        workspaceName: args.workspaceName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        kind: "Default",
        sku: { name: "Basic", tier: ml.SkuTier.Basic },
        friendlyName: args.friendlyName,
        description: args.description,
        identity: { type: ml.ManagedServiceIdentityType.UserAssigned, userAssignedIdentities: [args.identityId] },
        primaryUserAssignedIdentity: args.identityId,
        storageAccount: args.storageAccountId,
        keyVault: args.keyVaultId,
        containerRegistry: args.containerRegistryId,
        applicationInsights: args.applicationInsightsId,
        publicNetworkAccess: ml.PublicNetworkAccessType.Disabled,
        allowPublicAccessWhenBehindVnet: false,
        systemDatastoresAuthMode: ml.SystemDatastoresAuthMode.Identity,
        managedNetwork: managedNetworkSettings(args.outbound),
        provisionNetworkNow: true,
        serverlessComputeSettings: { serverlessComputeNoPublicIP: true },
        imageBuildCompute: args.imageBuildComputeName,
        hbiWorkspace: args.highBusinessImpact ?? false,
        v1LegacyMode: false,
        // Off: data isolation is for storage, Key Vault and registry shared by several workspaces; this
        // workspace's are dedicated. It is one-way (set only at creation) and renames the workspace
        // containers to `<guid>-azureml-blobstore` (see workspaceBlobContainerName).
        enableDataIsolation: WORKSPACE_DATA_ISOLATION,
        encryption: workspaceEncryption(args.customerManagedKey, args.identityId),
      },
      { parent: this, protect: args.protect === true, dependsOn: opts?.dependsOn, customTimeouts: WORKSPACE_TIMEOUTS },
    );
    this.id = this.workspace.id;
    this.name = this.workspace.name;

    const endpoint = new PrivateEndpoint(
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
    this.privateEndpoint = endpoint.endpoint;
    this.privateDnsZoneGroup = endpoint.zoneGroup;

    if (args.lock) {
      addDeleteLock(name, this.workspace.id, this);
      addDeleteLock(`${name}-amlworkspace`, this.privateEndpoint.id, this);
    }
    if (args.diagnostics) {
      addDiagnosticSetting(
        name,
        this.workspace.id,
        args.diagnostics.logAnalyticsWorkspaceId,
        { logs: "allLogs", metrics: true },
        this,
      );
    }

    this.registerOutputs({ id: this.id, name: this.name });
  }
}
