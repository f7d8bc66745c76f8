import * as privatedns from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import { dnsZoneNames } from "secure-azureml-facts";

/** Where private endpoints' DNS zones come from. A named string enum, so the component package schema carries it as an enum. */
export const PrivateDnsMode = {
  /** Create one zone per needed key and link it to the VNet. */
  Create: "create",
  /** Use zones someone else manages (e.g. a hub subscription); create nothing. */
  Existing: "existing",
  /** Create nothing and leave private endpoint zone groups to Azure Policy (deployIfNotExists). */
  AzurePolicy: "azurePolicy",
} as const;
export type PrivateDnsMode = (typeof PrivateDnsMode)[keyof typeof PrivateDnsMode];

/** The Azure clouds whose private DNS zone names the project knows (names differ per cloud; the facts catalogue's `CloudName`s, which `dnsZoneNames` checks). */
export const AzureCloud = {
  AzureCloud: "AzureCloud",
  AzureUSGovernment: "AzureUSGovernment",
  AzureChinaCloud: "AzureChinaCloud",
} as const;
export type AzureCloud = (typeof AzureCloud)[keyof typeof AzureCloud];

/** The private DNS zones the environment's private endpoints can need, by key: the facts catalogue's `DnsZoneKey`s (`dnsZoneNames` gives each key's zone name per cloud). */
export const PrivateDnsZoneKey = {
  AmlApi: "amlApi",
  AmlNotebooks: "amlNotebooks",
  Blob: "blob",
  File: "file",
  Dfs: "dfs",
  Queue: "queue",
  Table: "table",
  Vault: "vault",
  Registry: "registry",
} as const;
export type PrivateDnsZoneKey = (typeof PrivateDnsZoneKey)[keyof typeof PrivateDnsZoneKey];

/** Arguments of {@link PrivateDns}. */
export interface PrivateDnsArgs {
  /** Required. Resource group the zones and their VNet links are created in (mode `create`). */
  resourceGroupName: pulumi.Input<string>;
  /** Optional. Tags on every zone and link created. Default: none. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Required. `create`: one zone per needed key, linked to the VNet. `existing`: use the zones in
   * `existingZoneIds` (e.g. a hub subscription's); creates nothing. `azurePolicy`: create nothing
   * and leave private endpoint zone groups to Azure Policy (deployIfNotExists).
   * Switching modes changes every private endpoint's zone group.
   */
  mode: PrivateDnsMode;
  /**
   * Conditional. Mode `existing` only, and then required: the resource id of the private DNS zone
   * for each key in `zoneKeys` (extra keys are ignored). Rejected in the other modes.
   */
  existingZoneIds?: Record<string, pulumi.Input<string>>;
  /** Required. The Azure cloud; private DNS zone names differ per cloud. */
  cloud: AzureCloud;
  /** Required. The zones the environment needs, e.g. `amlApi`, `amlNotebooks`, `blob`, `file`, `vault`, `registry`. Duplicates are ignored. */
  zoneKeys: PrivateDnsZoneKey[];
  /** Conditional. Mode `create` only, and then required: resource id of the VNet the created zones are linked to. Ignored in the other modes. */
  virtualNetworkId?: pulumi.Input<string>;
  /** Conditional. Mode `create` only, and then required: short prefix in physical names, each zone's VNet link is `vnetlink-<prefix>`. Ignored in the other modes. */
  namePrefix?: string;
}

/** The needed zone keys with no zone id in mode `existing`, in `zoneKeys` order (none in the other modes). */
export function missingZoneKeys(
  args: Pick<PrivateDnsArgs, "mode" | "existingZoneIds">,
  zoneKeys: readonly PrivateDnsZoneKey[],
): PrivateDnsZoneKey[] {
  if (args.mode !== PrivateDnsMode.Existing) return [];
  return zoneKeys.filter((key) => args.existingZoneIds?.[key] === undefined);
}

/** Why the mode-dependent arguments are invalid, naming the argument; undefined when valid. */
export function privateDnsArgsProblem(
  args: Omit<PrivateDnsArgs, "resourceGroupName" | "tags" | "cloud">,
): string | undefined {
  if (!Object.values(PrivateDnsMode).includes(args.mode))
    return `privateDns mode "${args.mode}" is not accepted; give one of ${Object.values(PrivateDnsMode).join(", ")}`;
  if (args.mode !== PrivateDnsMode.Existing && args.existingZoneIds !== undefined) {
    return `privateDns mode "${args.mode}": existingZoneIds is given but used only in mode "existing"; remove it or set mode "existing"`;
  }
  if (args.mode === PrivateDnsMode.Create) {
    const missing = (["virtualNetworkId", "namePrefix"] as const).filter((key) => args[key] === undefined);
    if (missing.length > 0)
      return `privateDns mode "create": ${missing.join(" and ")} missing; the created zones are linked to that VNet with link name vnetlink-<namePrefix>`;
  }
  const missing = missingZoneKeys(args, [...new Set(args.zoneKeys)]);
  if (missing.length > 0)
    return `privateDns mode "existing": existingZoneIds has no id for ${missing.join(", ")}; give the resource id of each zone the environment needs`;
  return undefined;
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
  /** Zone ids per zone key; unset in mode `azurePolicy` (zone groups are left to Azure Policy). */
  public readonly zoneIds?: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: PrivateDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "secure-azureml:index:PrivateDns",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:network:PrivateDns" }] }),
    );
    const problem = privateDnsArgsProblem(args);
    if (problem) throw new pulumi.ResourceError(problem, this);
    const keys = [...new Set(args.zoneKeys)];
    const { virtualNetworkId, namePrefix } = args;
    if (args.mode === PrivateDnsMode.Create && virtualNetworkId !== undefined && namePrefix !== undefined) {
      this.zoneIds = Object.fromEntries(
        keys.map((key) => [key, this.createLinkedZone(name, args, key, { virtualNetworkId, namePrefix })]),
      );
    } else if (args.mode === PrivateDnsMode.Existing) {
      const existing = args.existingZoneIds ?? {};
      this.zoneIds = Object.fromEntries(keys.map((key) => [key, pulumi.output(existing[key])]));
    }
    this.registerOutputs({ zoneIds: this.zoneIds });
  }

  /** The zone ids for a set of keys, in that order; undefined in mode `azurePolicy`. */
  public zoneIdsFor(keys: readonly PrivateDnsZoneKey[]): pulumi.Output<string>[] | undefined {
    const zoneIds = this.zoneIds;
    if (zoneIds === undefined) return undefined;
    return keys.map((key) => {
      if (!Object.hasOwn(zoneIds, key)) {
        throw new pulumi.ResourceError(
          `private DNS has no zone for "${key}"; add "${key}" to zoneKeys (zones available: ${Object.keys(zoneIds).join(", ") || "none"})`,
          this,
        );
      }
      return zoneIds[key];
    });
  }

  /** One zone with its name for this cloud, linked to the VNet; returns the zone id. */
  private createLinkedZone(
    name: string,
    args: PrivateDnsArgs,
    key: PrivateDnsZoneKey,
    link: { virtualNetworkId: pulumi.Input<string>; namePrefix: string },
  ): pulumi.Output<string> {
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
        virtualNetworkLinkName: `vnetlink-${link.namePrefix}`,
        privateZoneName: zone.name,
        resourceGroupName: args.resourceGroupName,
        location: "global",
        tags: args.tags,
        virtualNetwork: { id: link.virtualNetworkId },
        registrationEnabled: false,
        resolutionPolicy: privatedns.ResolutionPolicy.Default,
      },
      { parent: this },
    );
    return zone.id;
  }
}
