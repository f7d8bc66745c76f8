import { z } from "zod";
import { DNS_ZONE_KEYS, DnsZoneKey, dnsZoneNames } from "secure-azureml-facts";
import { Ipv4Range, canonicalIpv4Cidr, parseIpv4Cidr, rangeContains, rangesOverlap } from "../shared/cidr";
import { cloudOf } from "../shared/cloud";
import type { ConfigProblem, ConfigRule } from "../shared/errors";
import { armIdPattern } from "../shared/patterns";
import { cidr, subnetId, vnetId, withRemovedKeys, zoneId } from "../shared/primitives";
import { RawRecord, recordAt } from "../shared/raw";
import { parseWith } from "../shared/rawParse";
import { storageEndpointsToCheck } from "../shared/storageEndpoints";

/**
 * The `network` and `privateDns` sections and their cross-field rules (CIDR containment and
 * overlap, adopted subnets in the adopted VNet, zone ids per mode and cloud).
 */

/**
 * Why the compute subnet keys were removed (deploy-audit M6): with a managed virtual network,
 * "you can't deploy compute resources inside your custom virtual network. Compute resources can
 * only be created inside the managed virtual network" (Microsoft, "Workspace managed virtual
 * network isolation", Limitations). The subnet was created and exported but never used.
 */
const NO_COMPUTE_SUBNET =
  "is no longer accepted: compute runs in the workspace's managed virtual network, and Azure ML cannot place managed-network compute in a customer subnet, so the compute subnet was never used; remove this key";

export const networkCreateSchema = withRemovedKeys(
  z.strictObject({
    /** Create a VNet and its subnets. */
    mode: z
      .literal("create")
      .describe(
        "create: the stack creates the VNet, its subnets and NSGs; existing: it places private endpoints in a subnet you manage. Replaces the subnets and private endpoints.",
      ),
    addressSpace: cidr.describe(
      "Mode create: the VNet's IPv4 CIDR, a private range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10. Replaces.",
    ),
    privateEndpointSubnet: cidr.describe(
      "Mode create: the private-endpoint subnet's IPv4 CIDR, inside addressSpace, /8 to /29, not overlapping another subnet. Replaces.",
    ),
    jumpboxSubnet: cidr
      .optional()
      .describe(
        "Mode create: optional subnet (same rules) for an operator jump box that reaches the private endpoints; created only when set. Replaces.",
      ),
  }),
  { computeSubnet: `${NO_COMPUTE_SUBNET} (the network gets privateEndpointSubnet and the optional jumpboxSubnet)` },
);

export const networkExistingSchema = withRemovedKeys(
  z.strictObject({
    /** Adopt subnets that already exist (hub-and-spoke, landing zones). */
    mode: z.literal("existing"),
    virtualNetworkId: vnetId.describe(
      "Mode existing: resource id of the VNet (Microsoft.Network/virtualNetworks); the private DNS zones are linked to it. Replaces.",
    ),
    privateEndpointSubnetId: subnetId.describe(
      "Mode existing: resource id of a subnet of that VNet, where the private endpoints go. Replaces.",
    ),
  }),
  { computeSubnetId: `${NO_COMPUTE_SUBNET} (only privateEndpointSubnetId is used)` },
);

const zoneIds = z.strictObject(
  Object.fromEntries(
    DNS_ZONE_KEYS.map((k) => [
      k,
      zoneId
        .optional()
        .describe(
          `Mode existing: resource id of the existing ${k} private DNS zone of the cloud; needed for each zone the stack uses`,
        ),
    ]),
  ) as Record<(typeof DNS_ZONE_KEYS)[number], z.ZodOptional<typeof zoneId>>,
  `must map zone keys (${DNS_ZONE_KEYS.join(", ")}) to private DNS zone resource ids`,
);

export const privateDnsSchema = z.discriminatedUnion("mode", [
  z.strictObject({
    mode: z
      .literal("create")
      .describe(
        "create: zones created and linked to the VNet; existing: zones you manage, named in zoneIds; azurePolicy: Azure Policy adds the DNS records. Replaces every zone group.",
      ),
  }),
  z.strictObject({ mode: z.literal("existing"), zoneIds }),
  z.strictObject({ mode: z.literal("azurePolicy") }),
]);

/** The `network` section: a VNet this stack creates (the default) or subnets it adopts. */
export const networkSchema = z.discriminatedUnion("mode", [networkCreateSchema, networkExistingSchema]).default({
  mode: "create",
  addressSpace: "10.40.0.0/16",
  privateEndpointSubnet: "10.40.0.0/24",
});

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map(
  (c) => parseIpv4Cidr(c) as Ipv4Range,
);

const CREATE_NETWORK_FIELDS = ["addressSpace", "privateEndpointSubnet", "jumpboxSubnet"] as const;
type CreateNetworkField = (typeof CREATE_NETWORK_FIELDS)[number];

/** The network settings to check: the raw object, or the defaults when `network` is absent. */
function networkToCheck(raw: RawRecord): RawRecord | undefined {
  if (raw.network === undefined) return parseWith(networkSchema, raw.network);
  return recordAt(raw, "network");
}

function parseNetworkRanges(network: RawRecord): {
  ranges: Map<CreateNetworkField, Ipv4Range>;
  problems: ConfigProblem[];
} {
  const ranges = new Map<CreateNetworkField, Ipv4Range>();
  const problems: ConfigProblem[] = [];
  for (const field of CREATE_NETWORK_FIELDS) {
    const value = network[field];
    if (typeof value !== "string") continue;
    const range = parseIpv4Cidr(value);
    if (range) {
      ranges.set(field, range);
      continue;
    }
    const canonical = canonicalIpv4Cidr(value);
    const hint = canonical
      ? `host bits are set; did you mean ${canonical}?`
      : "expected an IPv4 CIDR such as 10.40.0.0/24 (four decimal octets without leading zeros, prefix 0-32)";
    problems.push({ path: ["network", field], message: `is not a valid IPv4 CIDR: ${hint}` });
  }
  return { ranges, problems };
}

function createNetworkRules(network: RawRecord): ConfigProblem[] {
  const { ranges, problems } = parseNetworkRanges(network);
  const space = ranges.get("addressSpace");
  if (space && !PRIVATE_RANGES.some((p) => rangeContains(p, space))) {
    problems.push({
      path: ["network", "addressSpace"],
      message: "must be a private range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10",
    });
  }
  const subnets = [...ranges.entries()].filter(([field]) => field !== "addressSpace");
  for (const [field, range] of subnets) {
    if (range.prefixLength < 8 || range.prefixLength > 29) {
      problems.push({
        path: ["network", field],
        message: "must have a prefix length between /8 and /29 (Azure's smallest subnet is /29)",
      });
    }
    if (space && !rangeContains(space, range)) {
      problems.push({
        path: ["network", field],
        message: `is outside network.addressSpace ${space.cidr}; every subnet must lie inside it`,
      });
    }
  }
  for (let i = 0; i < subnets.length; i++) {
    for (let j = i + 1; j < subnets.length; j++) {
      const [a, ra] = subnets[i];
      const [b, rb] = subnets[j];
      if (rangesOverlap(ra, rb)) {
        problems.push({ path: ["network", b], message: `overlaps network.${a} ${ra.cidr}; subnets must not overlap` });
      }
    }
  }
  return problems;
}

/** Adopted subnets must belong to the adopted VNet: its DNS zone links serve only that VNet. */
function existingNetworkRules(network: RawRecord): ConfigProblem[] {
  const vnetId = network.virtualNetworkId;
  if (typeof vnetId !== "string" || !armIdPattern("Microsoft.Network/virtualNetworks").test(vnetId)) return [];
  const id = network.privateEndpointSubnetId;
  if (typeof id !== "string" || !armIdPattern("Microsoft.Network/virtualNetworks/subnets").test(id)) return [];
  if (id.toLowerCase().startsWith(`${vnetId.toLowerCase()}/subnets/`)) return [];
  return [
    {
      path: ["network", "privateEndpointSubnetId"],
      message: `must be a subnet of network.virtualNetworkId (${vnetId}/subnets/<subnet>)`,
    },
  ];
}

function networkRules(raw: RawRecord): ConfigProblem[] {
  const network = networkToCheck(raw);
  if (network?.mode === "create") return createNetworkRules(network);
  if (network?.mode === "existing") return existingNetworkRules(network);
  return [];
}

/** Which optional client private endpoints the environment creates (each defaults to its secure, compatible choice). */
export interface ClientEndpointChoices {
  /** `keyVault.privateEndpoint`. Default: `true`. */
  readonly keyVault?: boolean;
  /** `registry.privateEndpoint`. Default: `true`. */
  readonly registry?: boolean;
  /** The stack creates an ML registry (`mlRegistry.enabled` without `existingRegistryId`): its endpoint to the registry's own container registry uses the registry zone. Default: `false`. */
  readonly createsMlRegistry?: boolean;
}

/**
 * Zone keys the environment uses: the workspace's two zones, one per storage private endpoint, and
 * the vault and registry zones only when an endpoint uses them (`keyVault.privateEndpoint`,
 * `registry.privateEndpoint`, or a created ML registry for the registry zone). No zone is created
 * that no endpoint registers in.
 */
export function requiredZoneKeys(
  storageEndpoints: readonly string[],
  clients: ClientEndpointChoices = {},
): DnsZoneKey[] {
  const vault = clients.keyVault ?? true;
  const registry = (clients.registry ?? true) || (clients.createsMlRegistry ?? false);
  return [
    "amlApi",
    "amlNotebooks",
    ...(storageEndpoints as DnsZoneKey[]),
    ...(vault ? (["vault"] as const) : []),
    ...(registry ? (["registry"] as const) : []),
  ];
}

/** The client endpoint choices of a raw config; an invalid section counts as the default (the schema reports it). */
export function clientEndpointsToCheck(raw: RawRecord): ClientEndpointChoices {
  const flag = (section: string, key: string): boolean | undefined => {
    const value = recordAt(raw, section)?.[key];
    return typeof value === "boolean" ? value : undefined;
  };
  return {
    keyVault: flag("keyVault", "privateEndpoint"),
    registry: flag("registry", "privateEndpoint"),
    createsMlRegistry:
      (flag("mlRegistry", "enabled") ?? false) && recordAt(raw, "mlRegistry")?.existingRegistryId === undefined,
  };
}

export { storageEndpointsToCheck };

function privateDnsRules(raw: RawRecord): ConfigProblem[] {
  const dns = recordAt(raw, "privateDns");
  const zoneIds = recordAt(raw, "privateDns", "zoneIds");
  const cloud = cloudOf(raw);
  if (dns?.mode !== "existing" || !zoneIds || !cloud) return [];
  const names = dnsZoneNames(cloud);
  const zonePattern = armIdPattern("Microsoft.Network/privateDnsZones");
  const problems: ConfigProblem[] = [];
  for (const key of requiredZoneKeys(storageEndpointsToCheck(raw), clientEndpointsToCheck(raw))) {
    const id = zoneIds[key];
    if (id === undefined) {
      problems.push({
        path: ["privateDns", "zoneIds", key],
        message: `is required in mode "existing": the resource id of private DNS zone ${names[key]}`,
      });
    } else if (typeof id === "string" && zonePattern.test(id) && id.split("/").pop()?.toLowerCase() !== names[key]) {
      problems.push({
        path: ["privateDns", "zoneIds", key],
        message: `must name zone ${names[key]} for ${cloud} (.../privateDnsZones/${names[key]})`,
      });
    }
  }
  return problems;
}

/** Every rule of the `network` and `privateDns` sections. */
export const NETWORK_RULES: readonly ConfigRule[] = [networkRules, privateDnsRules];
