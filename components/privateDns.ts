import * as privatedns from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import { CloudName, DnsZoneKey, dnsZoneNames } from "secure-azureml-facts";
import { PrivateDnsConfig } from "./config/schema";

export interface PrivateDnsArgs {
  /** Required. Resource group the zones and their VNet links are created in (mode `create`). */
  resourceGroupName: pulumi.Input<string>;
  /** Optional. Tags on every zone and link created. Default: none. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Required. `create`: one zone per needed key, linked to the VNet. `existing`: use zones
   * someone else manages (e.g. a hub subscription); creates nothing. `azurePolicy`: create
   * nothing and leave private endpoint zone groups to Azure Policy (deployIfNotExists).
   * Switching modes changes every private endpoint's zone group.
   */
  config: PrivateDnsConfig;
  /** Required. The Azure cloud; private DNS zone names differ per cloud. */
  cloud: CloudName;
  /** Required. The zones the environment needs, e.g. `amlApi`, `amlNotebooks`, `blob`, `file`, `vault`, `registry`. Duplicates are ignored. */
  zoneKeys: readonly DnsZoneKey[];
  /** Required. Resource id of the VNet the created zones are linked to (mode `create`). */
  virtualNetworkId: pulumi.Input<string>;
  /** Required. Short prefix in physical names: each zone's VNet link is `vnetlink-<prefix>`. */
  namePrefix: string;
}

/** The needed zone keys with no zone id in an `existing` config, in `zoneKeys` order. */
export function missingZoneKeys(config: PrivateDnsConfig, zoneKeys: readonly DnsZoneKey[]): DnsZoneKey[] {
  if (config.mode !== "existing") return [];
  return zoneKeys.filter((key) => config.zoneIds[key] === undefined);
}

/**
 * The private DNS zones private endpoints register in: created and linked to the VNet, taken
 * from configuration, or left to Azure Policy.
 *
 * Zones and links are `location: "global"`. Links never auto-register VM records
 * (`registrationEnabled: false`) and keep resolution policy `Default`: a name missing from a
 * privatelink zone fails to resolve instead of falling back to public DNS
 * (`NxDomainRedirect`), so a missing record never silently sends traffic to a public endpoint.
 * Logical names are `<name>-<zoneKey>` and `<name>-<zoneKey>-link`: adding a zone renames nothing.
 */
export class PrivateDns extends pulumi.ComponentResource {
  /** Zone ids per key; undefined in mode `azurePolicy` (zone groups are left to Azure Policy). */
  public readonly zoneIds?: Readonly<Partial<Record<DnsZoneKey, pulumi.Output<string>>>>;

  constructor(name: string, args: PrivateDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-azureml:network:PrivateDns", name, {}, opts);
    const keys = [...new Set(args.zoneKeys)];
    const config = args.config;
    if (config.mode === "create") {
      this.zoneIds = Object.fromEntries(keys.map((key) => [key, this.createLinkedZone(name, args, key)]));
    } else if (config.mode === "existing") {
      const missing = missingZoneKeys(config, keys);
      if (missing.length > 0) {
        throw new pulumi.ResourceError(`privateDns mode "existing": privateDns.zoneIds has no id for ${missing.join(", ")}; give the resource id of each zone the environment needs`, this);
      }
      this.zoneIds = Object.fromEntries(keys.map((key) => [key, pulumi.output(config.zoneIds[key] as string)]));
    }
    this.registerOutputs({ zoneIds: this.zoneIds });
  }

  /** The zone ids for a set of keys, in that order; undefined in mode `azurePolicy`. */
  public zoneIdsFor(keys: readonly DnsZoneKey[]): pulumi.Output<string>[] | undefined {
    const zoneIds = this.zoneIds;
    if (zoneIds === undefined) return undefined;
    return keys.map((key) => {
      const id = zoneIds[key];
      if (id === undefined) {
        throw new pulumi.ResourceError(`private DNS has no zone for "${key}"; add "${key}" to zoneKeys (zones available: ${Object.keys(zoneIds).join(", ") || "none"})`, this);
      }
      return id;
    });
  }

  /** One zone with its name for this cloud, linked to the VNet; returns the zone id. */
  private createLinkedZone(name: string, args: PrivateDnsArgs, key: DnsZoneKey): pulumi.Output<string> {
    const zone = new privatedns.PrivateZone(
      `${name}-${key}`,
      {
        privateZoneName: dnsZoneNames(args.cloud)[key],
        resourceGroupName: args.resourceGroupName,
        location: "global",
        tags: args.tags,
      },
      { parent: this },
    );
    new privatedns.VirtualNetworkLink(
      `${name}-${key}-link`,
      {
        virtualNetworkLinkName: `vnetlink-${args.namePrefix}`,
        privateZoneName: zone.name,
        resourceGroupName: args.resourceGroupName,
        location: "global",
        tags: args.tags,
        virtualNetwork: { id: args.virtualNetworkId },
        registrationEnabled: false,
        resolutionPolicy: privatedns.ResolutionPolicy.Default,
      },
      { parent: this },
    );
    return zone.id;
  }
}
