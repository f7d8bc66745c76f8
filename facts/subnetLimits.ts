/**
 * Addresses Azure keeps in every subnet: the network address, the default gateway, two for Azure
 * DNS and the broadcast address. A subnet of prefix /n holds 2^(32-n) - 5 addresses for resources.
 *
 * Source: Microsoft Learn, "Azure Virtual Network frequently asked questions (FAQ)", "Are there any
 * restrictions on using IP addresses within these subnets?" ("Azure reserves the first four
 * addresses and the last address, for a total of five IP addresses within each subnet";
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq), checked on 2026-12-04.
 */
export const SUBNET_RESERVED_ADDRESSES = 5;

/** Addresses a subnet of this prefix length leaves for resources (private endpoints, VMs). */
export function usableSubnetAddresses(prefixLength: number): number {
  return Math.max(0, 2 ** (32 - prefixLength) - SUBNET_RESERVED_ADDRESSES);
}
