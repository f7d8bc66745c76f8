import ipaddr from "ipaddr.js";

/** An IPv4 range as inclusive numeric bounds. */
export interface Ipv4Range {
  readonly cidr: string;
  readonly prefixLength: number;
  readonly first: number;
  readonly last: number;
}

/** Parse `a.b.c.d/n`; undefined when it is not a canonical IPv4 CIDR. */
export function parseIpv4Cidr(value: string): Ipv4Range | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(value)) return undefined;
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(value);
  } catch {
    return undefined;
  }
  const [address, prefixLength] = parsed;
  if (address.kind() !== "ipv4" || prefixLength > 32) return undefined;
  const octets = (address as ipaddr.IPv4).octets;
  const base = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const size = 2 ** (32 - prefixLength);
  if (base % size !== 0) return undefined; // host bits set: Azure rejects non-canonical prefixes
  return { cidr: value, prefixLength, first: base, last: base + size - 1 };
}

/** The canonical network address of a CIDR with host bits set, for error hints. */
export function canonicalIpv4Cidr(value: string): string | undefined {
  try {
    const [address, prefixLength] = ipaddr.parseCIDR(value);
    if (address.kind() !== "ipv4") return undefined;
    return `${ipaddr.IPv4.networkAddressFromCIDR(value).toString()}/${prefixLength}`;
  } catch {
    return undefined;
  }
}

export function rangeContains(outer: Ipv4Range, inner: Ipv4Range): boolean {
  return inner.first >= outer.first && inner.last <= outer.last;
}

export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}
