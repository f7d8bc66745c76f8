import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import { AZURE_MONITOR_GROUP_ID } from "secure-azureml-facts";
import { PrivateEndpoint } from "./privateEndpoint";
import { PlacementArgs } from "./shared/interfaces";

/**
 * Which Azure Monitor resources the networks connected to the scope may reach (Microsoft, "Design
 * Azure Monitor Private Link configuration", Select an access mode). A named string enum, so the
 * component package schema carries it as an enum.
 */
export const MonitorAccessMode = {
  /** Only the resources in the scope: the most secure mode, it blocks exfiltration to other Azure Monitor resources. */
  PrivateOnly: "PrivateOnly",
  /** The resources in the scope over private link, and others that accept public traffic. */
  Open: "Open",
} as const;
export type MonitorAccessMode = (typeof MonitorAccessMode)[keyof typeof MonitorAccessMode];

/** Where the scope's private endpoint goes and which existing zones its DNS zone group holds. */
export interface MonitorPrivateEndpointArgs {
  /** Required. Resource id of the subnet the endpoint's network interface goes in. */
  subnetId: pulumi.Input<string>;
  /**
   * Optional. Ids of existing private DNS zones to put in the endpoint's zone group besides the
   * zones in `privateDnsZones`: the stack's storage blob zone (`privatelink.blob.<storage suffix>`),
   * which group `azuremonitor` shares with storage blob endpoints. Default: none. With neither this
   * nor `privateDnsZones`, the endpoint gets no zone group (left to Azure Policy).
   */
  zoneIds?: pulumi.Input<string>[];
}

/** Private DNS zones the component creates for the endpoint and links to the VNet. */
export interface MonitorPrivateDnsZonesArgs {
  /** Required. Resource id of the VNet the zones are linked to (no auto-registration). */
  virtualNetworkId: pulumi.Input<string>;
  /** Required. Short prefix in physical names: each zone's VNet link is `vnetlink-<prefix>`. */
  namePrefix: string;
  /**
   * Required. Names of the zones to create, e.g. secure-azureml-facts
   * `AZURE_MONITOR_PRIVATE_DNS_ZONES[cloud]` (`privatelink.monitor.azure.com`, ...). A zone that
   * already exists elsewhere in the stack (the blob zone) goes in `privateEndpoint.zoneIds` instead.
   */
  zoneNames: string[];
}

/** Arguments of {@link MonitorPrivateLinkScope}. */
export interface MonitorPrivateLinkScopeArgs extends PlacementArgs {
  /** Required. Name of the Azure Monitor Private Link Scope (AMPLS); the scope itself is `location: "global"`, `location` places its private endpoint. */
  scopeName: pulumi.Input<string>;
  /**
   * Required. The Log Analytics workspaces and Application Insights components reachable through
   * the scope, keyed (the key names the scoped resource, `log-analytics` -> scoped resource
   * `log-analytics`): removing one renames nothing. At least one. A scope holds up to 3,000
   * workspaces and 10,000 components (Microsoft, "Design Azure Monitor Private Link configuration", AMPLS limits).
   */
  scopedResourceIds: Record<string, pulumi.Input<string>>;
  /**
   * Optional. Ingestion access mode of the connected networks. Default: `PrivateOnly`. Log
   * Analytics ingestion uses workspace-specific endpoints and ignores it (Microsoft, "Use Azure
   * Private Link to connect networks to Azure Monitor"); it governs Application Insights ingestion.
   */
  ingestionAccessMode?: MonitorAccessMode;
  /** Optional. Query access mode of the connected networks. Default: `PrivateOnly`. */
  queryAccessMode?: MonitorAccessMode;
  /** Required. The scope's private endpoint (group `azuremonitor`). A VNet connects to one scope only. */
  privateEndpoint: MonitorPrivateEndpointArgs;
  /** Optional. Zones to create and link for the endpoint. Default: none (see `privateEndpoint.zoneIds`). */
  privateDnsZones?: MonitorPrivateDnsZonesArgs;
}

/** Why the args cannot make a working scope; undefined when they can. */
export function monitorPrivateLinkScopeArgsProblem(
  args: Pick<MonitorPrivateLinkScopeArgs, "scopedResourceIds" | "privateEndpoint" | "privateDnsZones">,
): string | undefined {
  if (Object.keys(args.scopedResourceIds).length === 0)
    return "scopedResourceIds is empty: give the Log Analytics workspaces and Application Insights components the scope serves";
  const bad = Object.keys(args.scopedResourceIds).filter((key) => !/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/.test(key));
  if (bad.length > 0)
    return `scopedResourceIds keys ${bad.map((k) => `"${k}"`).join(", ")} are not accepted: each names a scoped resource, 1 to 63 letters, digits or hyphens, starting with a letter or digit`;
  if (args.privateDnsZones !== undefined && args.privateDnsZones.zoneNames.length === 0)
    return "privateDnsZones.zoneNames is empty: give the zones of group azuremonitor, or omit privateDnsZones";
  const zoneNames = args.privateDnsZones?.zoneNames ?? [];
  const repeated = zoneNames.filter((zone, index) => zoneNames.indexOf(zone) !== index);
  if (repeated.length > 0)
    return `privateDnsZones.zoneNames lists ${[...new Set(repeated)].join(", ")} more than once: list each zone once`;
  if (args.privateEndpoint.zoneIds !== undefined && args.privateEndpoint.zoneIds.length === 0)
    return "privateEndpoint.zoneIds is empty: give existing zone ids, or omit it";
  return undefined;
}

/**
 * An Azure Monitor Private Link Scope (AMPLS) holding the given Log Analytics workspaces and
 * Application Insights components, with one private endpoint (group `azuremonitor`) in a VNet and
 * its DNS zones. Networks connected to it reach those resources over private IPs, which is what
 * lets the resources refuse public ingestion and query (`publicNetworkAccessForIngestion` and
 * `publicNetworkAccessForQuery` `Disabled`, see {@link Monitoring}).
 *
 * Azure Monitor's ingestion and query endpoints are partly global, so the DNS records of one scope
 * affect every network that shares the zones: use one scope per DNS (Microsoft, "Use Azure Private
 * Link to connect networks to Azure Monitor" and "Design Azure Monitor Private Link configuration").
 * An Azure ML workspace's managed network cannot use the scope: Microsoft's list of managed network
 * private endpoint targets has no Azure Monitor (see README, "Azure Monitor over private link").
 * Diagnostic settings are unaffected: they reach Log Analytics over a Microsoft channel.
 */
export class MonitorPrivateLinkScope extends pulumi.ComponentResource {
  /** The scope (`location: "global"`). */
  public readonly scope: monitor.PrivateLinkScope;
  /** The scoped resources, keyed like `scopedResourceIds`. */
  public readonly scopedResources: Record<string, monitor.PrivateLinkScopedResource>;
  /** The scope's private endpoint (group `azuremonitor`, `pe-<name>-pe`). */
  public readonly privateEndpoint: network.PrivateEndpoint;
  /** Ids of the zones this component created, keyed by zone name (empty without `privateDnsZones`). */
  public readonly zoneIds: Record<string, pulumi.Output<string>>;
  /** The scope's resource id. */
  public readonly id: pulumi.Output<string>;

  constructor(name: string, args: MonitorPrivateLinkScopeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-azureml:index:MonitorPrivateLinkScope", name, {}, opts);
    const problem = monitorPrivateLinkScopeArgsProblem(args);
    if (problem) throw new pulumi.ResourceError(`monitor private link scope ${name}: ${problem}`, this);

    this.scope = new monitor.PrivateLinkScope(
      name,
      {
        scopeName: args.scopeName,
        resourceGroupName: args.resourceGroupName,
        location: "global",
        tags: args.tags,
        // Both modes are required and Azure's own default is Open (azure-rest-api-specs, monitor
        // Microsoft.Insights/preview/2023-06-01-preview/privateLinkScopes_API.json, AccessModeSettings):
        // always sent, so a first deploy never lands on Open. The scope's location is global (same spec, PrivateLinkScopesCreate example).
        accessModeSettings: {
          ingestionAccessMode: args.ingestionAccessMode ?? MonitorAccessMode.PrivateOnly,
          queryAccessMode: args.queryAccessMode ?? MonitorAccessMode.PrivateOnly,
        },
      },
      { parent: this },
    );
    this.id = this.scope.id;

    this.scopedResources = Object.fromEntries(
      Object.entries(args.scopedResourceIds).map(([key, resourceId]) => [
        key,
        new monitor.PrivateLinkScopedResource(
          `${name}-${key}`,
          {
            name: key,
            scopeName: this.scope.name,
            resourceGroupName: args.resourceGroupName,
            linkedResourceId: resourceId,
          },
          { parent: this },
        ),
      ]),
    );

    this.zoneIds = Object.fromEntries(
      (args.privateDnsZones?.zoneNames ?? []).map((zoneName) => [
        zoneName,
        this.createLinkedZone(name, args, zoneName, args.privateDnsZones as MonitorPrivateDnsZonesArgs),
      ]),
    );
    const zoneIds = [...Object.values(this.zoneIds), ...(args.privateEndpoint.zoneIds ?? [])];

    const endpoint = new PrivateEndpoint(
      `${name}-pe`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        targetResourceId: this.scope.id,
        groupId: AZURE_MONITOR_GROUP_ID,
        subnetId: args.privateEndpoint.subnetId,
        zoneIds: zoneIds.length > 0 ? zoneIds : undefined,
      },
      { parent: this },
    );
    this.privateEndpoint = endpoint.endpoint;

    this.registerOutputs({ id: this.id });
  }

  /** One zone linked to the VNet (no auto-registration, no fallback to public DNS); returns its id. */
  private createLinkedZone(
    name: string,
    args: MonitorPrivateLinkScopeArgs,
    zoneName: string,
    dns: MonitorPrivateDnsZonesArgs,
  ): pulumi.Output<string> {
    const key = zoneName.replace(/\./g, "-");
    const zone = new privatedns.PrivateZone(
      `${name}-${key}`,
      { privateZoneName: zoneName, resourceGroupName: args.resourceGroupName, location: "global", tags: args.tags },
      { parent: this },
    );
    new privatedns.VirtualNetworkLink(
      `${name}-${key}-link`,
      {
        virtualNetworkLinkName: `vnetlink-${dns.namePrefix}`,
        privateZoneName: zone.name,
        resourceGroupName: args.resourceGroupName,
        location: "global",
        tags: args.tags,
        virtualNetwork: { id: dns.virtualNetworkId },
        registrationEnabled: false,
        resolutionPolicy: privatedns.ResolutionPolicy.Default,
      },
      { parent: this },
    );
    return zone.id;
  }
}
