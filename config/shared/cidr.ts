import ipaddr from "ipaddr.js";

/** An IPv4 range as inclusive numeric bounds. */
export interface Ipv4Range {
  readonly cidr: string;
  readonly prefixLength: number;
  readonly first: number;
  readonly last: number;
}

/**
 * Strict dotted-decimal `a.b.c.d/n`: no leading zeros (ipaddr.js reads `010` as octal 8, and
 * Azure rejects such prefixes), octets 0-255, prefix 0-32.
 */
const STRICT_IPV4_CIDR =
  /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/;

/** Numeric value of a strictly formatted IPv4 address. */
function ipv4ToNumber(address: string): number {
  const octets = ipaddr.IPv4.parse(address).octets;
  return ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
}

/** Parse `a.b.c.d/n`; undefined when it is not a canonical IPv4 CIDR. */
export function parseIpv4Cidr(value: string): Ipv4Range | undefined {
  if (!STRICT_IPV4_CIDR.test(value)) return undefined;
  const [address, prefix] = value.split("/");
  const prefixLength = Number(prefix);
  const base = ipv4ToNumber(address);
  const size = 2 ** (32 - prefixLength);
  if (base % size !== 0) return undefined; // host bits set: Azure rejects non-canonical prefixes
  return { cidr: value, prefixLength, first: base, last: base + size - 1 };
}

/**
 * The canonical network address of a well-formed CIDR with host bits set (for error hints),
 * e.g. `10.40.0.1/24` -> `10.40.0.0/24`; undefined when the value is not a well-formed IPv4 CIDR.
 */
export function canonicalIpv4Cidr(value: string): string | undefined {
  if (!STRICT_IPV4_CIDR.test(value)) return undefined;
  return `${ipaddr.IPv4.networkAddressFromCIDR(value).toString()}/${value.split("/")[1]}`;
}

/** True when `inner` lies entirely inside `outer`. */
export function rangeContains(outer: Ipv4Range, inner: Ipv4Range): boolean {
  return inner.first >= outer.first && inner.last <= outer.last;
}

/** True when the two ranges share at least one address. */
export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}
