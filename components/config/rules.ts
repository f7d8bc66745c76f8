import { z } from "zod";
import { CLOUDS, CloudName, DnsZoneKey, dnsZoneNames } from "./catalogues/clouds";
import { OutboundPresetVersion, findOutboundPreset, outboundPresetNames } from "./catalogues/outboundPresets";
import { Ipv4Range, canonicalIpv4Cidr, parseIpv4Cidr, rangeContains, rangesOverlap } from "./cidr";
import { stackConfigSchema, workspaceSchema } from "./schema";

/** A config problem: the dotted key path inside the project namespace, and what is wrong. */
export interface ConfigProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

type Shape = typeof stackConfigSchema.shape;

/** Parse one top-level key on its own, so cross-field rules can run even when other keys are bad. */
function parseKey<K extends keyof Shape>(raw: Record<string, unknown>, key: K): z.output<Shape[K]> | undefined {
  const result = stackConfigSchema.shape[key].safeParse(raw[key]);
  return result.success ? (result.data as z.output<Shape[K]>) : undefined;
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map((c) => parseIpv4Cidr(c) as Ipv4Range);

function regionRule(raw: Record<string, unknown>): ConfigProblem[] {
  const cloud = parseKey(raw, "cloud");
  const location = parseKey(raw, "location");
  if (!cloud || location === undefined) return [];
  const regions = CLOUDS[cloud].regions;
  if (regions.includes(normaliseLocation(location))) return [];
  return [{ path: ["location"], message: `is not an Azure region of ${cloud}; accepted: ${regions.join(", ")}` }];
}

/** `West Europe` and `westeurope` name the same region. */
export function normaliseLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

function networkRules(raw: Record<string, unknown>): ConfigProblem[] {
  const network = parseKey(raw, "network");
  if (!network || network.mode !== "create") return [];
  const problems: ConfigProblem[] = [];
  const fields = ["addressSpace", "privateEndpointSubnet", "computeSubnet", "jumpboxSubnet"] as const;
  const ranges = new Map<(typeof fields)[number], Ipv4Range>();
  for (const field of fields) {
    const value = network[field];
    if (value === undefined) continue;
    const range = parseIpv4Cidr(value);
    if (!range) {
      const canonical = canonicalIpv4Cidr(value);
      const hint = canonical ? `host bits are set; did you mean ${canonical}?` : "expected an IPv4 CIDR such as 10.40.0.0/24";
      problems.push({ path: ["network", field], message: `is not a valid IPv4 CIDR: ${hint}` });
      continue;
    }
    ranges.set(field, range);
  }
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
      problems.push({ path: ["network", field], message: `is outside network.addressSpace ${space.cidr}` });
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

/** Zone keys the environment uses for a given set of storage private endpoints. */
export function requiredZoneKeys(storageEndpoints: readonly string[]): DnsZoneKey[] {
  return ["amlApi", "amlNotebooks", ...(storageEndpoints as DnsZoneKey[]), "vault", "registry"];
}

function privateDnsRules(raw: Record<string, unknown>): ConfigProblem[] {
  const dns = parseKey(raw, "privateDns");
  const cloud: CloudName = parseKey(raw, "cloud") ?? "AzureCloud";
  const storage = parseKey(raw, "storage");
  if (!dns || dns.mode !== "existing" || !storage) return [];
  const names = dnsZoneNames(cloud);
  const problems: ConfigProblem[] = [];
  for (const key of requiredZoneKeys(storage.privateEndpoints)) {
    const id = dns.zoneIds[key];
    if (id === undefined) {
      problems.push({ path: ["privateDns", "zoneIds", key], message: `is required in mode "existing": the resource id of private DNS zone ${names[key]}` });
    } else if (id.split("/").pop()?.toLowerCase() !== names[key]) {
      problems.push({ path: ["privateDns", "zoneIds", key], message: `must name zone ${names[key]} for ${cloud}` });
    }
  }
  return problems;
}

/** `workspace.outbound` parsed on its own, so a typo elsewhere in `workspace` hides nothing here. */
function parseOutbound(raw: Record<string, unknown>) {
  const workspace = raw.workspace as Record<string, unknown> | undefined;
  const result = workspaceSchema.shape.outbound.safeParse(workspace?.outbound);
  return result.success ? result.data : undefined;
}

function outboundRules(raw: Record<string, unknown>): ConfigProblem[] {
  const outbound = parseOutbound(raw);
  if (!outbound) return [];
  const version = outbound.presetVersion as OutboundPresetVersion;
  const problems: ConfigProblem[] = [];
  outbound.presets.forEach((name, index) => {
    if (!findOutboundPreset(version, name)) {
      problems.push({ path: ["workspace", "outbound", "presets", index], message: `is not an outbound preset in version ${version}; accepted: ${outboundPresetNames(version).join(", ")}` });
    }
  });
  if (outbound.mode === "AllowInternetOutbound" && (outbound.extraFqdns.length > 0 || outbound.extraServiceTags.length > 0)) {
    problems.push({ path: ["workspace", "outbound", "mode"], message: "is AllowInternetOutbound, where outbound rules do not apply; use AllowOnlyApprovedOutbound or remove extraFqdns/extraServiceTags" });
  }
  return problems;
}

function customerManagedKeyRules(raw: Record<string, unknown>): ConfigProblem[] {
  const workspace = raw.workspace as Record<string, unknown> | undefined;
  const cloud: CloudName = parseKey(raw, "cloud") ?? "AzureCloud";
  const parsed = workspaceSchema.shape.customerManagedKey.safeParse(workspace?.customerManagedKey);
  const cmk = parsed.success ? parsed.data : undefined;
  if (!cmk) return [];
  const suffix = CLOUDS[cloud].keyVaultDnsSuffix.replace(/\./g, "\\.");
  const match = new RegExp(`^https://([a-z0-9-]{3,24})\\.${suffix}/keys/[A-Za-z0-9-]{1,127}(/[0-9a-f]{32})?$`, "i").exec(cmk.keyUri);
  if (!match) {
    return [{ path: ["workspace", "customerManagedKey", "keyUri"], message: `must be a key URI https://<vault>.${CLOUDS[cloud].keyVaultDnsSuffix}/keys/<name>[/<version>]` }];
  }
  const vaultInId = cmk.keyVaultId.split("/").pop()?.toLowerCase();
  if (match[1].toLowerCase() !== vaultInId) {
    return [{ path: ["workspace", "customerManagedKey", "keyUri"], message: `names vault ${match[1]} but keyVaultId names ${vaultInId}` }];
  }
  return [];
}

function personaRules(raw: Record<string, unknown>): ConfigProblem[] {
  const personas = parseKey(raw, "personas");
  if (!personas) return [];
  const problems: ConfigProblem[] = [];
  for (const [persona, ids] of Object.entries(personas)) {
    const seen = new Set<string>();
    ids.forEach((id, index) => {
      if (seen.has(id.toLowerCase())) problems.push({ path: ["personas", persona, index], message: "is listed twice; each group once" });
      seen.add(id.toLowerCase());
    });
  }
  return problems;
}

function storageRules(raw: Record<string, unknown>): ConfigProblem[] {
  const storage = parseKey(raw, "storage");
  if (!storage) return [];
  const missing = (["blob", "file"] as const).filter((s) => !storage.privateEndpoints.includes(s));
  return missing.length === 0 ? [] : [{ path: ["storage", "privateEndpoints"], message: `must include ${missing.join(" and ")}: a private workspace reaches its storage over blob and file endpoints` }];
}

/** Every cross-field rule; each runs on the keys it needs that parsed, so all problems surface at once. */
export function crossFieldProblems(raw: Record<string, unknown>): ConfigProblem[] {
  return [regionRule, networkRules, privateDnsRules, outboundRules, customerManagedKeyRules, personaRules, storageRules].flatMap((rule) => rule(raw));
}
