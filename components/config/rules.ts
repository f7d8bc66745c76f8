import { z } from "zod";
import { CLOUDS, CLOUD_NAMES, DnsZoneKey, OutboundPresetVersion, STORAGE_SUB_RESOURCES, StorageSubResource, dnsZoneNames, findOutboundPreset, outboundPresetNames } from "secure-azureml-facts";
import { COMPUTE_RULES } from "./computeRules";
import { MLOPS_REGISTRY_RULES } from "./mlopsRegistryRules";
import { MLOPS_SERVING_RULES } from "./mlopsServingRules";
import { Ipv4Range, canonicalIpv4Cidr, parseIpv4Cidr, rangeContains, rangesOverlap } from "./cidr";
import { GUID, armIdPattern } from "./patterns";
import { outboundSchema, stackConfigSchema } from "./schema";
import { RawRecord, recordAt } from "./raw";

/** A config problem: the dotted key path inside the project namespace, and what is wrong. */
export interface ConfigProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/*
 * Every rule reads the raw config and checks each field it needs on its own, skipping only the
 * fields that are themselves invalid (the schema reports those). So a typo or a bad value in one
 * field never hides a problem in another: every problem surfaces in one run.
 */

type Shape = typeof stackConfigSchema.shape;

/** Parse one value with a schema; undefined when invalid (the schema reports it). */
function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.output<T> | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/** Parse one top-level key on its own (defaults applied when it is absent). */
function parseKey<K extends keyof Shape>(raw: RawRecord, key: K): z.output<Shape[K]> | undefined {
  return parseWith(stackConfigSchema.shape[key], raw[key]) as z.output<Shape[K]> | undefined;
}

/** The raw strings of a list, with their indexes; non-strings are left to the schema. */
function stringEntries(value: unknown): [string, number][] {
  return Array.isArray(value) ? value.flatMap((item, index): [string, number][] => (typeof item === "string" ? [[item, index]] : [])) : [];
}

/** One problem per repeated entry of a list (compared case-insensitively). */
function duplicates(path: readonly (string | number)[], entries: [string, number][], what: string): ConfigProblem[] {
  const seen = new Set<string>();
  return entries.flatMap(([value, index]) => {
    const normalised = value.toLowerCase();
    const repeated = seen.has(normalised);
    seen.add(normalised);
    return repeated ? [{ path: [...path, index], message: `is listed twice; list each ${what} once` }] : [];
  });
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map((c) => parseIpv4Cidr(c) as Ipv4Range);

/** `West Europe` and `westeurope` name the same region. */
export function normaliseLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

function regionRule(raw: RawRecord): ConfigProblem[] {
  const cloud = parseKey(raw, "cloud");
  const location = parseKey(raw, "location");
  if (!cloud || location === undefined) return [];
  const region = normaliseLocation(location);
  const regions = CLOUDS[cloud].regions;
  if (regions.includes(region)) return [];
  const otherCloud = CLOUD_NAMES.find((name) => CLOUDS[name].regions.includes(region));
  const why = otherCloud ? `is a region of ${otherCloud}, not of ${cloud} (set cloud: ${otherCloud}, or pick a region of ${cloud})` : `is not an Azure region of ${cloud}`;
  return [{ path: ["location"], message: `${why}; accepted: ${regions.join(", ")}` }];
}

const CREATE_NETWORK_FIELDS = ["addressSpace", "privateEndpointSubnet", "jumpboxSubnet"] as const;
type CreateNetworkField = (typeof CREATE_NETWORK_FIELDS)[number];

/** The network settings to check: the raw object, or the defaults when `network` is absent. */
function networkToCheck(raw: RawRecord): RawRecord | undefined {
  if (raw.network === undefined) return parseKey(raw, "network");
  return recordAt(raw, "network");
}

function parseNetworkRanges(network: RawRecord): { ranges: Map<CreateNetworkField, Ipv4Range>; problems: ConfigProblem[] } {
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
    const hint = canonical ? `host bits are set; did you mean ${canonical}?` : "expected an IPv4 CIDR such as 10.40.0.0/24 (four decimal octets without leading zeros, prefix 0-32)";
    problems.push({ path: ["network", field], message: `is not a valid IPv4 CIDR: ${hint}` });
  }
  return { ranges, problems };
}

function createNetworkRules(network: RawRecord): ConfigProblem[] {
  const { ranges, problems } = parseNetworkRanges(network);
  const space = ranges.get("addressSpace");
  if (space && !PRIVATE_RANGES.some((p) => rangeContains(p, space))) {
    problems.push({ path: ["network", "addressSpace"], message: "must be a private range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10" });
  }
  const subnets = [...ranges.entries()].filter(([field]) => field !== "addressSpace");
  for (const [field, range] of subnets) {
    if (range.prefixLength < 8 || range.prefixLength > 29) {
      problems.push({ path: ["network", field], message: "must have a prefix length between /8 and /29 (Azure's smallest subnet is /29)" });
    }
    if (space && !rangeContains(space, range)) {
      problems.push({ path: ["network", field], message: `is outside network.addressSpace ${space.cidr}; every subnet must lie inside it` });
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
  const subnetPattern = armIdPattern("Microsoft.Network/virtualNetworks/subnets");
  return (["privateEndpointSubnetId"] as const).flatMap((field): ConfigProblem[] => {
    const id = network[field];
    if (typeof id !== "string" || !subnetPattern.test(id)) return [];
    const inVnet = id.toLowerCase().startsWith(`${vnetId.toLowerCase()}/subnets/`);
    return inVnet ? [] : [{ path: ["network", field], message: `must be a subnet of network.virtualNetworkId (${vnetId}/subnets/<subnet>)` }];
  });
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
export function requiredZoneKeys(storageEndpoints: readonly string[], clients: ClientEndpointChoices = {}): DnsZoneKey[] {
  const vault = clients.keyVault ?? true;
  const registry = (clients.registry ?? true) || (clients.createsMlRegistry ?? false);
  return ["amlApi", "amlNotebooks", ...(storageEndpoints as DnsZoneKey[]), ...(vault ? (["vault"] as const) : []), ...(registry ? (["registry"] as const) : [])];
}

/** The client endpoint choices of a raw config; an invalid section counts as the default (the schema reports it). */
function clientEndpointsToCheck(raw: RawRecord): ClientEndpointChoices {
  const mlRegistry = parseKey(raw, "mlRegistry");
  return {
    keyVault: parseKey(raw, "keyVault")?.privateEndpoint,
    registry: parseKey(raw, "registry")?.privateEndpoint,
    createsMlRegistry: mlRegistry === undefined || (mlRegistry.enabled && mlRegistry.existingRegistryId === undefined),
  };
}

/** The valid storage sub-resources the config asks endpoints for (the default when absent). */
function storageEndpointsToCheck(raw: RawRecord): StorageSubResource[] {
  const value = recordAt(raw, "storage")?.privateEndpoints;
  if (value === undefined) return ["blob", "file"];
  const valid = new Set(stringEntries(value).map(([s]) => s));
  return STORAGE_SUB_RESOURCES.filter((s) => valid.has(s));
}

function privateDnsRules(raw: RawRecord): ConfigProblem[] {
  const dns = recordAt(raw, "privateDns");
  const zoneIds = recordAt(raw, "privateDns", "zoneIds");
  const cloud = parseKey(raw, "cloud");
  if (dns?.mode !== "existing" || !zoneIds || !cloud) return [];
  const names = dnsZoneNames(cloud);
  const zonePattern = armIdPattern("Microsoft.Network/privateDnsZones");
  const problems: ConfigProblem[] = [];
  for (const key of requiredZoneKeys(storageEndpointsToCheck(raw), clientEndpointsToCheck(raw))) {
    const id = zoneIds[key];
    if (id === undefined) {
      problems.push({ path: ["privateDns", "zoneIds", key], message: `is required in mode "existing": the resource id of private DNS zone ${names[key]}` });
    } else if (typeof id === "string" && zonePattern.test(id) && id.split("/").pop()?.toLowerCase() !== names[key]) {
      problems.push({ path: ["privateDns", "zoneIds", key], message: `must name zone ${names[key]} for ${cloud} (.../privateDnsZones/${names[key]})` });
    }
  }
  return problems;
}

function outboundRules(raw: RawRecord): ConfigProblem[] {
  const outbound = recordAt(raw, "workspace", "outbound") ?? {};
  const shape = outboundSchema.shape;
  const mode = parseWith(shape.mode, outbound.mode);
  const version = parseWith(shape.presetVersion, outbound.presetVersion) as OutboundPresetVersion | undefined;
  const path = ["workspace", "outbound"];
  const presets = stringEntries(outbound.presets);
  const problems: ConfigProblem[] = [];
  if (version) {
    for (const [name, index] of presets) {
      if (!findOutboundPreset(version, name)) {
        problems.push({ path: [...path, "presets", index], message: `is not an outbound preset in version ${version}; accepted: ${outboundPresetNames(version).join(", ")}` });
      }
    }
  }
  problems.push(...duplicates([...path, "presets"], presets, "preset"), ...duplicates([...path, "extraFqdns"], stringEntries(outbound.extraFqdns), "host name"));
  const hasExtras = [outbound.extraFqdns, outbound.extraServiceTags].some((list) => Array.isArray(list) && list.length > 0);
  if (mode === "AllowInternetOutbound" && hasExtras) {
    problems.push({ path: [...path, "mode"], message: "is AllowInternetOutbound, where outbound rules do not apply; use AllowOnlyApprovedOutbound or remove extraFqdns/extraServiceTags" });
  }
  return problems;
}

function customerManagedKeyRules(raw: RawRecord): ConfigProblem[] {
  const cmk = recordAt(raw, "workspace", "customerManagedKey");
  const cloud = parseKey(raw, "cloud");
  if (!cmk || !cloud || typeof cmk.keyUri !== "string") return [];
  const path = ["workspace", "customerManagedKey", "keyUri"];
  const dnsSuffix = CLOUDS[cloud].keyVaultDnsSuffix;
  const match = new RegExp(`^https://([a-z0-9-]{3,24})\\.${dnsSuffix.replace(/\./g, "\\.")}/keys/[A-Za-z0-9-]{1,127}(/[0-9a-f]{32})?$`, "i").exec(cmk.keyUri);
  if (!match) {
    return [{ path, message: `must be a key URI https://<vault>.${dnsSuffix}/keys/<name>[/<32-hex-digit version>] (the Key Vault DNS suffix of ${cloud})` }];
  }
  const keyVaultId = cmk.keyVaultId;
  if (typeof keyVaultId !== "string" || !armIdPattern("Microsoft.KeyVault/vaults").test(keyVaultId)) return [];
  const vaultInId = keyVaultId.split("/").pop()?.toLowerCase();
  if (match[1].toLowerCase() !== vaultInId) {
    return [{ path, message: `names vault ${match[1]} but keyVaultId names ${vaultInId ?? "no vault"}; the key must live in the vault keyVaultId names` }];
  }
  return [];
}

function personaRules(raw: RawRecord): ConfigProblem[] {
  const personas = recordAt(raw, "personas") ?? {};
  return Object.entries(personas).flatMap(([persona, ids]) =>
    duplicates(
      ["personas", persona],
      stringEntries(ids).filter(([id]) => GUID.test(id)),
      "group",
    ),
  );
}

function storageRules(raw: RawRecord): ConfigProblem[] {
  const endpoints = recordAt(raw, "storage")?.privateEndpoints;
  if (!Array.isArray(endpoints)) return [];
  const entries = stringEntries(endpoints);
  const listed = new Set(entries.map(([s]) => s));
  const missing = (["blob", "file"] as const).filter((s) => !listed.has(s));
  const problems = duplicates(["storage", "privateEndpoints"], entries, "sub-resource");
  if (missing.length > 0) {
    problems.push({ path: ["storage", "privateEndpoints"], message: `must include ${missing.join(" and ")}: a private workspace reaches its storage over blob and file endpoints` });
  }
  return problems;
}

/** Every cross-field rule; each checks the fields it needs independently, so all problems surface at once. */
export function crossFieldProblems(raw: Record<string, unknown>): ConfigProblem[] {
  return [regionRule, networkRules, privateDnsRules, outboundRules, customerManagedKeyRules, personaRules, storageRules, ...COMPUTE_RULES, ...MLOPS_REGISTRY_RULES, ...MLOPS_SERVING_RULES].flatMap(
    (rule) => rule(raw),
  );
}
