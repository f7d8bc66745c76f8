import { ResourceValidationArgs } from "@pulumi/policy";
import { sameText, valueAt } from "./props";
import { TYPES } from "secure-azureml-facts";

/**
 * Reading NSG security rules, subnets and NICs in azure-native v3 inputs (Network API 2024-05-01).
 * Works on the unknown-checking proxy: only the fields a decision needs are read.
 */

export const NSG = TYPES.nsg;
export const SECURITY_RULE = TYPES.securityRule;
export const SUBNET = TYPES.subnet;
export const VNET = TYPES.vnet;

/** Source prefixes that mean "anyone on the internet". */
const INTERNET_SOURCES = ["*", "internet", "any", "0.0.0.0/0", "0.0.0.0", "::/0", "::", "0::/0"];

/** Protocols with ports (Icmp, Esp and Ah have none). */
const PORT_PROTOCOLS = ["tcp", "udp", "*"];

export const MAX_PORT = 65535;

/** One destination port range of a rule, as written and parsed. */
export interface PortRange {
  text: string;
  from: number;
  to: number;
}

/** A security rule with the label messages use (`securityRules[0] ("allow-ssh")`). */
export interface LabelledRule {
  label: string;
  rule: unknown;
}

/** An Allow/Inbound rule from the internet: which sources and destination ports it opens. */
export interface InternetExposure {
  label: string;
  protocol: string;
  sources: string[];
  ranges: PortRange[];
}

/** A name as it reads in a message: strings as they are, anything else as JSON. */
export function nameText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The elements of a list property, or none when it is not a list. */
function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** True when a source prefix stands for the whole internet (`*`, `Internet`, `Any`, `0.0.0.0/0`, ...). */
export function isInternetSource(prefix: unknown): boolean {
  return typeof prefix === "string" && INTERNET_SOURCES.includes(prefix.trim().toLowerCase());
}

/** Parses `*`, `22`, `20-25` (and comma-separated lists of them); unparseable entries are skipped. */
export function parsePortRanges(text: unknown): PortRange[] {
  if (typeof text !== "string" && typeof text !== "number") return [];
  const ranges: PortRange[] = [];
  for (const part of String(text).split(",")) {
    const entry = part.trim();
    if (entry === "*") {
      ranges.push({ text: entry, from: 0, to: MAX_PORT });
      continue;
    }
    const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(entry);
    if (!match) continue;
    const [, first, second] = match as unknown as [string, string, string | undefined];
    const from = Number(first);
    const to = second === undefined ? from : Number(second);
    ranges.push({ text: entry, from: Math.min(from, to), to: Math.max(from, to) });
  }
  return ranges;
}

/** True when a range covers every usable port (1-65535, `*`, `0-65535`). */
export function coversAllPorts(range: PortRange): boolean {
  return range.from <= 1 && range.to >= MAX_PORT;
}

/** The rules of an NSG (inline `securityRules`) or a standalone SecurityRule; empty for other types. */
export function securityRulesOf(args: ResourceValidationArgs): LabelledRule[] {
  if (args.type === SECURITY_RULE) {
    const name = valueAt(args.props, "securityRuleName") ?? valueAt(args.props, "name") ?? args.name;
    return [{ label: `security rule "${nameText(name)}"`, rule: args.props }];
  }
  if (args.type !== NSG) return [];
  return listOf(valueAt(args.props, "securityRules")).map((rule, index) => {
    const name = valueAt(rule, "name");
    return {
      label: name === undefined ? `securityRules[${index}]` : `securityRules[${index}] ("${nameText(name)}")`,
      rule,
    };
  });
}

/** Where an Allow/Inbound rule lets the internet in; undefined when it does not. */
export function internetExposure({ label, rule }: LabelledRule): InternetExposure | undefined {
  if (!sameText(valueAt(rule, "access"), "Allow") || !sameText(valueAt(rule, "direction"), "Inbound")) return undefined;
  const protocol = valueAt(rule, "protocol") ?? "*";
  if (typeof protocol !== "string" || !PORT_PROTOCOLS.includes(protocol.toLowerCase())) return undefined;
  const prefix = valueAt(rule, "sourceAddressPrefix");
  const prefixes = valueAt(rule, "sourceAddressPrefixes");
  const sources = [prefix, ...listOf(prefixes)].filter(isInternetSource) as string[];
  if (sources.length === 0) return undefined;
  const range = valueAt(rule, "destinationPortRange");
  const ranges = valueAt(rule, "destinationPortRanges");
  const parsed = [range, ...listOf(ranges)].flatMap(parsePortRanges);
  return { label, protocol, sources, ranges: parsed };
}

/** Every internet exposure of the resource's security rules. */
export function internetExposures(args: ResourceValidationArgs): InternetExposure[] {
  return securityRulesOf(args)
    .map(internetExposure)
    .filter((e): e is InternetExposure => e !== undefined);
}

/** The ranges of an exposure that cover `port` without covering every port (those are the any-port rule's). */
export function rangesOpening(exposure: InternetExposure, port: number): PortRange[] {
  return exposure.ranges.filter((r) => !coversAllPorts(r) && r.from <= port && port <= r.to);
}

/** How an exposure reads in a message: `securityRules[0] ("x") allows Tcp from "Internet" to "20-25"`. */
export function describeExposure(exposure: InternetExposure, ranges: PortRange[]): string {
  const sources = exposure.sources.map((s) => JSON.stringify(s)).join(", ");
  const ports = ranges.map((r) => JSON.stringify(r.text)).join(", ");
  return `${exposure.label} allows inbound ${exposure.protocol} from source ${sources} to destination port ${ports}`;
}

/** A subnet to check: standalone Subnet or an inline `subnets[i]` of a VirtualNetwork. */
export interface LabelledSubnet {
  /** `subnet "snet-a"` or `subnets[0] ("snet-a")`. */
  label: string;
  /** The Azure subnet name, when the program sets it. */
  name: string | undefined;
  subnet: unknown;
}

/** The subnets a Subnet or VirtualNetwork resource defines; empty for other types. */
export function subnetsOf(args: ResourceValidationArgs): LabelledSubnet[] {
  if (args.type === SUBNET) {
    const name = valueAt(args.props, "subnetName") ?? valueAt(args.props, "name");
    return [
      {
        label: name === undefined ? `subnet ${args.name}` : `subnet "${nameText(name)}"`,
        name: typeof name === "string" ? name : undefined,
        subnet: args.props,
      },
    ];
  }
  if (args.type !== VNET) return [];
  return listOf(valueAt(args.props, "subnets")).map((subnet, index) => {
    const name = valueAt(subnet, "name");
    return {
      label: name === undefined ? `subnets[${index}]` : `subnets[${index}] ("${nameText(name)}")`,
      name: typeof name === "string" ? name : undefined,
      subnet,
    };
  });
}

/** True when the subnet's name is in the exemption list (case-insensitive). */
export function isExempt(subnet: LabelledSubnet, exemptNames: readonly string[]): boolean {
  return subnet.name !== undefined && exemptNames.some((n) => sameText(subnet.name, n));
}
