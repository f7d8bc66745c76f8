import { describe, expect, it } from "vitest";
import { Ipv4Range, canonicalIpv4Cidr, parseIpv4Cidr, rangeContains, rangesOverlap } from "../../config";

/** Parse a CIDR the test knows to be valid. */
function range(cidr: string): Ipv4Range {
  const parsed = parseIpv4Cidr(cidr);
  if (!parsed) throw new Error(`${cidr} should parse`);
  return parsed;
}

const ip = (a: number, b: number, c: number, d: number) => a * 2 ** 24 + b * 2 ** 16 + c * 2 ** 8 + d;

describe("parseIpv4Cidr", () => {
  it.each([
    ["10.40.0.0/16", 16, ip(10, 40, 0, 0), ip(10, 40, 255, 255)],
    ["10.40.4.0/22", 22, ip(10, 40, 4, 0), ip(10, 40, 7, 255)],
    ["192.168.1.8/29", 29, ip(192, 168, 1, 8), ip(192, 168, 1, 15)],
    ["172.16.0.0/12", 12, ip(172, 16, 0, 0), ip(172, 31, 255, 255)],
    ["0.0.0.0/0", 0, 0, 2 ** 32 - 1],
    ["255.255.255.255/32", 32, 2 ** 32 - 1, 2 ** 32 - 1],
    ["200.1.2.3/32", 32, ip(200, 1, 2, 3), ip(200, 1, 2, 3)],
  ])("%s -> /%i, inclusive numeric bounds", (cidr, prefixLength, first, last) => {
    expect(parseIpv4Cidr(cidr)).toEqual({ cidr, prefixLength, first, last });
  });

  it("keeps high addresses unsigned (no 32-bit sign overflow)", () => {
    const high = range("240.0.0.0/4");
    expect(high.first).toBe(ip(240, 0, 0, 0));
    expect(high.first).toBeGreaterThan(0);
    expect(high.last).toBe(2 ** 32 - 1);
  });

  it.each([
    ["10.40.0.1/24", "host bits set"],
    ["10.40.5.0/22", "host bits set"],
    ["010.40.0.0/16", "leading zero: ipaddr.js would read 010 as octal 8"],
    ["10.040.0.0/16", "leading zero in a middle octet"],
    ["10.40.0.0/016", "leading zero in the prefix"],
    ["256.0.0.0/8", "octet above 255"],
    ["10.40.0.0/33", "prefix above 32"],
    ["10.40.0/16", "three octets"],
    ["10.40.0.0", "no prefix"],
    ["10.40.0.0/", "empty prefix"],
    [" 10.40.0.0/16", "leading space"],
    ["10.40.0.0/16 ", "trailing space"],
    ["0x0a.0.0.0/8", "hexadecimal octet"],
    ["fd00::/8", "IPv6"],
    ["", "empty"],
  ])("rejects %j (%s)", (cidr) => {
    expect(parseIpv4Cidr(cidr)).toBeUndefined();
  });
});

describe("canonicalIpv4Cidr", () => {
  it.each([
    ["10.40.0.1/24", "10.40.0.0/24"],
    ["10.40.5.0/22", "10.40.4.0/22"],
    ["192.168.1.77/29", "192.168.1.72/29"],
    ["10.255.255.255/8", "10.0.0.0/8"],
  ])("suggests %s -> %s for host bits set", (value, canonical) => {
    expect(canonicalIpv4Cidr(value)).toBe(canonical);
    expect(parseIpv4Cidr(canonical)).toBeDefined();
  });

  it("returns an already canonical CIDR unchanged", () => {
    expect(canonicalIpv4Cidr("10.40.0.0/16")).toBe("10.40.0.0/16");
  });

  it.each(["10.40.0/16", "010.40.0.0/16", "300.1.1.1/24", "10.40.0.0/40", "fd00::/8", "not a cidr"])(
    "offers no suggestion for malformed %j",
    (value) => {
      expect(canonicalIpv4Cidr(value)).toBeUndefined();
    },
  );
});

describe("rangeContains", () => {
  it("contains a subnet inside the range, including one that fills it exactly", () => {
    expect(rangeContains(range("10.40.0.0/16"), range("10.40.4.0/22"))).toBe(true);
    expect(rangeContains(range("10.40.0.0/16"), range("10.40.0.0/16"))).toBe(true);
    expect(rangeContains(range("10.40.0.0/16"), range("10.40.255.248/29"))).toBe(true);
  });

  it("does not contain a range that is larger, adjacent or only partly inside", () => {
    expect(rangeContains(range("10.40.4.0/22"), range("10.40.0.0/16"))).toBe(false);
    expect(rangeContains(range("10.40.0.0/16"), range("10.41.0.0/24"))).toBe(false);
    expect(rangeContains(range("10.40.0.0/24"), range("10.40.0.0/23"))).toBe(false);
  });
});

describe("rangesOverlap", () => {
  it("detects nested and identical ranges, in either order", () => {
    expect(rangesOverlap(range("10.40.0.0/22"), range("10.40.1.0/24"))).toBe(true);
    expect(rangesOverlap(range("10.40.1.0/24"), range("10.40.0.0/22"))).toBe(true);
    expect(rangesOverlap(range("10.40.0.0/24"), range("10.40.0.0/24"))).toBe(true);
  });

  it("treats adjacent ranges as disjoint (the last address of one is not the first of the next)", () => {
    expect(rangesOverlap(range("10.40.0.0/24"), range("10.40.1.0/24"))).toBe(false);
    expect(rangesOverlap(range("10.40.1.0/24"), range("10.40.0.0/24"))).toBe(false);
    expect(rangesOverlap(range("10.40.0.0/32"), range("10.40.0.1/32"))).toBe(false);
  });

  it("detects a shared single address at the boundary", () => {
    expect(rangesOverlap(range("10.40.0.0/24"), range("10.40.0.255/32"))).toBe(true);
  });
});
