import * as authorization from "@pulumi/azure-native/authorization";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
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

/** The private link sub-resource of a container registry. */
export const REGISTRY_GROUP_ID = "registry";

export interface ContainerRegistryArgs extends PlacementArgs, ProtectionArgs {
  /** Required. Globally unique registry name, 5-50 letters and digits (the caller adds a random suffix). */
  registryName: pulumi.Input<string>;
  /** Required. Spread the registry over availability zones where the region has them. One-way: set when the registry is created. */
  zoneRedundancy: boolean;
  /** Required. Days (0-365) an untagged manifest is kept before it is purged; `0` purges at once. */
  untaggedRetentionDays: number;
  /**
   * Optional. Subnet and private DNS zones (group `registry`) for a private endpoint in the client
   * VNet. Default: none. Without it, public network access stays Disabled, so only trusted Azure
   * services (ACR Tasks) and the workspace's managed network (which Azure ML gives a private endpoint
   * to its registry as a required outbound rule) reach the registry; nobody in the VNet (people, CI
   * agents) can push or pull images.
   */
  privateEndpoints?: PrivateEndpointPlacementArgs;
  /** Optional. Send all logs (logins, repository events) and all metrics to Log Analytics. Default: no diagnostic settings. */
  diagnostics?: DiagnosticSettingsArgs;
}

/** Problems with registry arguments, named by config key. Empty when valid. */
export function registryArgsProblems(args: Pick<ContainerRegistryArgs, "untaggedRetentionDays">): string[] {
  const days = args.untaggedRetentionDays;
  if (!Number.isInteger(days) || days < 0 || days > 365)
    return [`registry.untaggedRetentionDays is ${days}: it must be a whole number of days from 0 to 365`];
  return [];
}

/**
 * The workspace's container registry (environment images): Premium for private link, no admin
 * user or anonymous pull (Entra ID tokens only, and only tokens issued for the registry, not for
 * Azure Resource Manager), no public network access (reachable through its
 * client private endpoint when given, the workspace's managed network and trusted services), no export of
 * artifacts, and untagged manifests purged after a retention period.
 */
export class ContainerRegistry extends pulumi.ComponentResource {
  public readonly registry: containerregistry.Registry;
  /** The registry's resource id. */
  public readonly id: pulumi.Output<string>;
  /** The registry's name. */
  public readonly name: pulumi.Output<string>;
  /** The login server, `<name>.azurecr.io` in the public cloud. */
  public readonly loginServer: pulumi.Output<string>;
  /** Private endpoints keyed by group id (`registry`); empty without `privateEndpoints`. */
  public readonly privateEndpoints: Record<string, network.PrivateEndpoint>;
  /** The registry's diagnostic setting; empty without `diagnostics`. */
  public readonly diagnosticSettings: monitor.DiagnosticSetting[];
  /** The registry's `CanNotDelete` lock, with `lock`. */
  public readonly lock?: authorization.ManagementLockByScope;

  constructor(name: string, args: ContainerRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    // Type token of the component package; the alias keeps stacks created under the old token (an update, not a replacement).
    super(
      "secure-azureml:index:ContainerRegistry",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:registry:ContainerRegistry" }] }),
    );
    const problems = registryArgsProblems(args);
    if (problems.length > 0) throw new pulumi.ResourceError(`container registry ${name}: ${problems.join("; ")}`, this);

    // Checked before anything is created, so a wiring mistake creates nothing.
    const placement = args.privateEndpoints;
    const endpointZones = placement
      ? resolveEndpointZones(`container registry ${name}`, placement, [REGISTRY_GROUP_ID], this)
      : undefined;

    this.registry = this.createRegistry(name, args);
    this.id = this.registry.id;
    this.name = this.registry.name;
    this.loginServer = this.registry.loginServer;

    const attached = attachServiceInterfaces(name, this.registry.id, args, { placement, zones: endpointZones }, this);
    this.privateEndpoints = attached.privateEndpoints;
    this.diagnosticSettings = attached.diagnosticSettings;
    this.lock = attached.lock;

    this.registerOutputs({ id: this.id, name: this.name, loginServer: this.loginServer });
  }

  private createRegistry(name: string, args: ContainerRegistryArgs): containerregistry.Registry {
    const enabled = containerregistry.PolicyStatus.Enabled;
    return new containerregistry.Registry(
      name,
      {
        registryName: args.registryName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        // Premium is the only tier with private endpoints, dedicated data endpoints and retention policies.
        sku: { name: containerregistry.SkuName.Premium },
        zoneRedundancy: args.zoneRedundancy
          ? containerregistry.ZoneRedundancy.Enabled
          : containerregistry.ZoneRedundancy.Disabled,
        adminUserEnabled: false,
        anonymousPullEnabled: false,
        publicNetworkAccess: containerregistry.PublicNetworkAccess.Disabled,
        // Azure ML builds environment images with ACR Tasks, a trusted service.
        networkRuleBypassOptions: containerregistry.NetworkRuleBypassOptions.AzureServices,
        networkRuleSet: { defaultAction: containerregistry.DefaultAction.Deny, ipRules: [] },
        // Layers are served from <name>.<region>.data.azurecr.io (reached through the private
        // endpoint) instead of the shared *.blob.core.windows.net storage wildcard.
        dataEndpointEnabled: true,
        policies: {
          exportPolicy: { status: containerregistry.ExportPolicyStatus.Disabled },
          // Only tokens issued for the registry sign in, not any Entra token for Azure Resource
          // Manager (the API default is enabled: containerregistry.json 2023-01-01-preview,
          // AzureADAuthenticationAsArmPolicy; Azure built-in policy 42781ec6-6127-4c30-bdfa-fb423a0047d3).
          azureADAuthenticationAsArmPolicy: {
            status: containerregistry.AzureADAuthenticationAsArmPolicyStatus.Disabled,
          },
          retentionPolicy: { status: enabled, days: args.untaggedRetentionDays },
        },
      },
      { parent: this, protect: args.protect },
    );
  }
}
