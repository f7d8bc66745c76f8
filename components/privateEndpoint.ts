import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { PlacementArgs, PrivateEndpointPlacementArgs, ZoneIds } from "./shared/interfaces";

/** Arguments of {@link PrivateEndpoint}. */
export interface PrivateEndpointArgs extends PlacementArgs {
  /** Required. Resource id of the service the endpoint connects to. */
  targetResourceId: pulumi.Input<string>;
  /** Required. The private link sub-resource (group id), e.g. `blob`, `vault`, `registry`, `amlworkspace`. */
  groupId: string;
  /** Required. Resource id of the subnet the endpoint's network interface goes in. */
  subnetId: pulumi.Input<string>;
  /**
   * Optional. Private DNS zone ids for the endpoint's single zone group. Omit to leave the
   * zone group to Azure Policy (deployIfNotExists); an empty list is rejected. Default: none.
   */
  zoneIds?: pulumi.Input<string>[];
}

/** A zone config is named after its zone: `privatelink.blob.core.windows.net` -> `privatelink-blob-core-windows-net`. */
function zoneConfigName(zoneId: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(zoneId).apply((id) => (id.split("/").pop() ?? id).replace(/\./g, "-"));
}

/**
 * A private endpoint with an automatic (approved) connection and exactly one DNS zone group
 * holding every zone the group id needs. A second zone group per endpoint is rejected by
 * Azure, so all zones go in one.
 */
export class PrivateEndpoint extends pulumi.ComponentResource {
  /** The Azure private endpoint (`pe-<name>`, network interface `nic-pe-<name>`). */
  public readonly endpoint: network.PrivateEndpoint;
  /** The endpoint's DNS zone group `default`; unset when `zoneIds` is omitted (zone groups left to Azure Policy). */
  public readonly zoneGroup?: network.PrivateDnsZoneGroup;
  /** The private endpoint's resource id. */
  public readonly id: pulumi.Output<string>;

  constructor(name: string, args: PrivateEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "secure-azureml:index:PrivateEndpoint",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:network:PrivateEndpoint" }] }),
    );
    if (args.zoneIds !== undefined && args.zoneIds.length === 0) {
      throw new pulumi.ResourceError(
        `private endpoint ${name}: zoneIds is empty; give the zones of group ${args.groupId} or omit zoneIds to leave zone groups to Azure Policy`,
        this,
      );
    }
    const endpointName = `pe-${name}`;
    this.endpoint = new network.PrivateEndpoint(
      name,
      {
        privateEndpointName: endpointName,
        customNetworkInterfaceName: `nic-${endpointName}`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        subnet: { id: args.subnetId },
        privateLinkServiceConnections: [
          { name: endpointName, privateLinkServiceId: args.targetResourceId, groupIds: [args.groupId] },
        ],
      },
      { parent: this },
    );
    if (args.zoneIds) {
      this.zoneGroup = new network.PrivateDnsZoneGroup(
        `${name}-dns`,
        {
          privateDnsZoneGroupName: "default",
          privateEndpointName: this.endpoint.name,
          resourceGroupName: args.resourceGroupName,
          privateDnsZoneConfigs: args.zoneIds.map((zoneId) => ({
            name: zoneConfigName(zoneId),
            privateDnsZoneId: zoneId,
          })),
        },
        { parent: this },
      );
    }
    this.id = this.endpoint.id;
    this.registerOutputs({ id: this.id });
  }
}

/** Zones per endpoint group; a group maps to `undefined` when zone groups are left to Azure Policy. */
export type EndpointZones = ReadonlyMap<string, ZoneIds | undefined>;

/**
 * Resolve the zones of each endpoint group of a service before anything is created, so a
 * wiring mistake (zones given, but not for one of the groups) creates nothing.
 */
export function resolveEndpointZones(
  owner: string,
  placement: PrivateEndpointPlacementArgs,
  groupIds: readonly string[],
  resource: pulumi.Resource,
): EndpointZones {
  return new Map(
    groupIds.map((groupId) => {
      if (placement.zoneIdsByGroup === undefined) return [groupId, undefined];
      const zoneIds = placement.zoneIdsByGroup[groupId];
      if (zoneIds === undefined)
        throw new pulumi.ResourceError(
          `${owner}: privateEndpoints.zoneIdsByGroup has no private DNS zones for group ${groupId}`,
          resource,
        );
      return [groupId, zoneIds];
    }),
  );
}

/** One private endpoint per group id to a service, named `<name>-<groupId>`, children of `parent`. */
export function createServiceEndpoints(
  name: string,
  service: PlacementArgs & { targetResourceId: pulumi.Input<string>; subnetId: pulumi.Input<string> },
  zones: EndpointZones,
  parent: pulumi.Resource,
): Record<string, PrivateEndpoint> {
  const endpoints: Record<string, PrivateEndpoint> = {};
  for (const [groupId, zoneIds] of zones) {
    endpoints[groupId] = new PrivateEndpoint(`${name}-${groupId}`, { ...service, groupId, zoneIds }, { parent });
  }
  return endpoints;
}

/** The Azure private endpoints inside `PrivateEndpoint` components, keyed the same way (what a component exposes as an output). */
export function azurePrivateEndpoints(
  endpoints: Record<string, PrivateEndpoint>,
): Record<string, network.PrivateEndpoint> {
  return Object.fromEntries(Object.entries(endpoints).map(([groupId, endpoint]) => [groupId, endpoint.endpoint]));
}
