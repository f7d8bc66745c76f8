import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { networkPolicies } from "../../policies/rules/network";
import { coversAllPorts, isInternetSource, parsePortRanges } from "../../policies/support/netRules";
import { planStackFile } from "../support/stack";
import { FakeResource, UNKNOWN } from "./support/harness";
import {
  allowVnetHttps,
  denyInternet,
  mandatoryViolations,
  nic,
  nsg,
  planViolations,
  privateEndpoint,
  securityRule,
  subnet,
  vnet,
  withProp,
} from "./fixtures/data";
import { MlRuleCases, describeMlRules } from "./fixtures/mlCases";

const group = nsg();
const rule = securityRule();
const snet = subnet();
const network = vnet();
const nicRes = nic();
const pe = privateEndpoint();

/** An Allow/Inbound TCP rule from the internet to `port`, with overrides. */
function fromInternet(port: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "open",
    priority: 100,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "Internet",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: port,
    ...overrides,
  };
}

/** The compliant NSG with one more inline rule (placed first, so it is `securityRules[0]`). */
function nsgWith(extra: Record<string, unknown>): FakeResource {
  return withProp(group, "securityRules", [extra, allowVnetHttps(), denyInternet()]);
}

/** The compliant standalone SecurityRule with its fields replaced. */
function standalone(fields: Record<string, unknown>): FakeResource {
  const { name: _ignored, ...rest } = fields;
  return { ...rule, props: { ...rule.props, ...rest } };
}

const table: MlRuleCases[] = [
  {
    policy: "network-nsg-no-internet-ssh",
    compliant: [
      { title: "the compliant NSG (HTTPS from the VNet, deny Internet)", resource: group },
      { title: "the compliant standalone rule", resource: rule },
      { title: "SSH from the VNet", resource: nsgWith(fromInternet("22", { sourceAddressPrefix: "VirtualNetwork" })) },
      {
        title: "SSH from a private range",
        resource: nsgWith(fromInternet("22", { sourceAddressPrefix: "10.0.0.0/8" })),
      },
      { title: "SSH from the internet denied", resource: nsgWith(fromInternet("22", { access: "Deny" })) },
      { title: "SSH outbound", resource: nsgWith(fromInternet("22", { direction: "Outbound" })) },
      { title: "ICMP (no ports)", resource: nsgWith(fromInternet("*", { protocol: "Icmp" })) },
      { title: "HTTPS from the internet", resource: nsgWith(fromInternet("443")) },
      { title: "every port (reported by the any-port rule)", resource: nsgWith(fromInternet("*")) },
      { title: "no rules", resource: withProp(group, "securityRules", undefined) },
    ],
    violations: [
      {
        title: "22 from Internet",
        resource: nsgWith(fromInternet("22")),
        messages: [
          /^securityRules\[0\] \("open"\) allows inbound Tcp from source "Internet" to destination port "22": SSH \(22\) is open to the internet\.$/,
        ],
      },
      {
        title: "22 from *",
        resource: nsgWith(fromInternet("22", { sourceAddressPrefix: "*" })),
        messages: [/from source "\*" to destination port "22": SSH/],
      },
      {
        title: "22 from 0.0.0.0/0",
        resource: nsgWith(fromInternet("22", { sourceAddressPrefix: "0.0.0.0/0" })),
        messages: [/from source "0.0.0.0\/0"/],
      },
      {
        title: "22 from Any",
        resource: nsgWith(fromInternet("22", { sourceAddressPrefix: "Any" })),
        messages: [/from source "Any"/],
      },
      {
        title: "22 from ::/0",
        resource: nsgWith(fromInternet("22", { sourceAddressPrefix: "::/0" })),
        messages: [/from source "::\/0"/],
      },
      {
        title: "22 from Internet in sourceAddressPrefixes",
        resource: nsgWith(
          fromInternet("22", { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["10.0.0.0/8", "internet"] }),
        ),
        messages: [/from source "internet" to destination port "22"/],
      },
      {
        title: "a range 20-25 that includes 22",
        resource: nsgWith(fromInternet("20-25")),
        messages: [/to destination port "20-25": SSH \(22\)/],
      },
      {
        title: "22 in destinationPortRanges",
        resource: nsgWith(
          fromInternet("22", { destinationPortRange: undefined, destinationPortRanges: ["443", "22"] }),
        ),
        messages: [/to destination port "22": SSH/],
      },
      {
        title: "protocol * (TCP and UDP)",
        resource: nsgWith(fromInternet("22", { protocol: "*" })),
        messages: [/allows inbound \* from source "Internet"/],
      },
      {
        title: "enum values in another case",
        resource: nsgWith(fromInternet("22", { access: "allow", direction: "inbound", protocol: "tcp" })),
        messages: [/SSH \(22\) is open/],
      },
      {
        title: "a standalone SecurityRule",
        resource: standalone(fromInternet("22")),
        messages: [
          /^security rule "allow-vnet-https" allows inbound Tcp from source "Internet" to destination port "22": SSH/,
        ],
      },
      {
        title: "two inline rules",
        resource: withProp(group, "securityRules", [
          fromInternet("22"),
          fromInternet("22", { name: "open-too", sourceAddressPrefix: "*" }),
        ]),
        messages: [/^securityRules\[0\] \("open"\)/, /^securityRules\[1\] \("open-too"\)/],
      },
    ],
    unknown: [
      { title: "securityRules unknown", resource: withProp(group, "securityRules", UNKNOWN.object) },
      {
        title: "source of an Allow/Inbound rule unknown",
        resource: nsgWith(fromInternet("22", { sourceAddressPrefix: UNKNOWN.string })),
      },
      { title: "standalone access unknown", resource: withProp(rule, "access", UNKNOWN.string) },
    ],
  },
  {
    policy: "network-nsg-no-internet-rdp",
    compliant: [
      { title: "the compliant NSG", resource: group },
      {
        title: "RDP from a private range",
        resource: nsgWith(fromInternet("3389", { sourceAddressPrefix: "172.16.0.0/12" })),
      },
      { title: "every port (reported by the any-port rule)", resource: nsgWith(fromInternet("0-65535")) },
    ],
    violations: [
      {
        title: "3389 from Internet",
        resource: nsgWith(fromInternet("3389")),
        messages: [
          /^securityRules\[0\] \("open"\) allows inbound Tcp from source "Internet" to destination port "3389": RDP \(3389\) is open to the internet\.$/,
        ],
      },
      {
        title: "a range 3380-3390",
        resource: nsgWith(fromInternet("3380-3390", { protocol: "Udp" })),
        messages: [/allows inbound Udp .* "3380-3390": RDP/],
      },
      {
        title: "a standalone SecurityRule from *",
        resource: standalone(fromInternet("3389", { sourceAddressPrefix: "*" })),
        messages: [/^security rule "allow-vnet-https" .*RDP \(3389\)/],
      },
    ],
    unknown: [
      {
        title: "destinationPortRanges unknown",
        resource: nsgWith(fromInternet("443", { destinationPortRanges: UNKNOWN.object })),
      },
    ],
  },
  {
    policy: "network-nsg-no-internet-any-port",
    compliant: [
      { title: "the compliant NSG (its deny-all rule is a Deny)", resource: group },
      {
        title: "every port from the VNet",
        resource: nsgWith(fromInternet("*", { sourceAddressPrefix: "VirtualNetwork" })),
      },
      { title: "HTTPS only", resource: nsgWith(fromInternet("443")) },
    ],
    violations: [
      {
        title: "* from Internet",
        resource: nsgWith(fromInternet("*")),
        messages: [
          /^securityRules\[0\] \("open"\) allows inbound Tcp from source "Internet" to destination port "\*": every port is open to the internet\.$/,
        ],
      },
      {
        title: "0-65535 from *",
        resource: nsgWith(fromInternet("0-65535", { sourceAddressPrefix: "*", protocol: "*" })),
        messages: [/to destination port "0-65535": every port/],
      },
      {
        title: "1-65535 in destinationPortRanges",
        resource: nsgWith(fromInternet("443", { destinationPortRange: undefined, destinationPortRanges: ["1-65535"] })),
        messages: [/"1-65535": every port/],
      },
      {
        title: "a standalone SecurityRule",
        resource: standalone(fromInternet("*")),
        messages: [/^security rule "allow-vnet-https" .*every port/],
      },
    ],
    unknown: [{ title: "direction unknown", resource: nsgWith(fromInternet("*", { direction: UNKNOWN.string })) }],
  },
  {
    policy: "network-nsg-no-internet-management-ports",
    compliant: [
      { title: "the compliant NSG", resource: group },
      { title: "HTTPS from the internet", resource: nsgWith(fromInternet("443")) },
      { title: "SSH (its own rule) is not a default management port", resource: nsgWith(fromInternet("22")) },
      {
        title: "SQL from a private range",
        resource: nsgWith(fromInternet("1433", { sourceAddressPrefix: "10.1.0.0/16" })),
      },
      {
        title: "a port left out of a configured list",
        resource: nsgWith(fromInternet("1433")),
        config: { managementPorts: [8080] },
      },
    ],
    violations: [
      {
        title: "WinRM 5985",
        resource: nsgWith(fromInternet("5985")),
        messages: [
          /^securityRules\[0\] \("open"\) allows inbound Tcp from source "Internet" to destination port "5985": management port 5985 is open to the internet\.$/,
        ],
      },
      {
        title: "SMB in a range 440-450",
        resource: nsgWith(fromInternet("440-450")),
        messages: [/"440-450": management port 445 is open/],
      },
      {
        title: "Postgres, WinRM and Redis in one range, in port order",
        resource: nsgWith(fromInternet("5432-6379")),
        messages: [/"5432-6379": management ports 5432, 5985, 5986, 6379 are open/],
      },
      {
        title: "SQL in destinationPortRanges, reported with only the offending range",
        resource: nsgWith(
          fromInternet("443", { destinationPortRange: undefined, destinationPortRanges: ["443", "1433"] }),
        ),
        messages: [/to destination port "1433": management port 1433 is open/],
      },
      {
        title: "a standalone SecurityRule to MongoDB",
        resource: standalone(fromInternet("27017", { sourceAddressPrefix: "0.0.0.0/0" })),
        messages: [/^security rule "allow-vnet-https" .*management port 27017/],
      },
      {
        title: "a configured port",
        resource: nsgWith(fromInternet("8080")),
        config: { managementPorts: [8080] },
        messages: [/management port 8080 is open/],
      },
    ],
    unknown: [{ title: "protocol unknown", resource: nsgWith(fromInternet("5985", { protocol: UNKNOWN.string })) }],
  },
  {
    policy: "network-subnet-nsg-attached",
    compliant: [
      { title: "a subnet with an NSG", resource: snet },
      { title: "a VNet whose only NSG-less subnet is AzureBastionSubnet", resource: network },
      {
        title: "GatewaySubnet without an NSG",
        resource: withProp(withProp(snet, "subnetName", "GatewaySubnet"), "networkSecurityGroup", undefined),
      },
      {
        title: "exemption ignores case",
        resource: withProp(withProp(snet, "subnetName", "azurefirewallsubnet"), "networkSecurityGroup", undefined),
      },
      { title: "a VNet without inline subnets", resource: withProp(network, "subnets", undefined) },
      {
        title: "an NSG id unknown during preview still counts as attached",
        resource: withProp(snet, "networkSecurityGroup.id", UNKNOWN.string),
      },
    ],
    violations: [
      {
        title: "a subnet without an NSG",
        resource: withProp(snet, "networkSecurityGroup", undefined),
        messages: [/^subnet "snet-data" has no networkSecurityGroup: .*attach an NSG/],
      },
      {
        title: "an inline VNet subnet without an NSG",
        resource: withProp(network, "subnets.0.networkSecurityGroup", undefined),
        messages: [/^subnets\[0\] \("snet-data"\) has no networkSecurityGroup/],
      },
      {
        title: "networkSecurityGroup null",
        resource: withProp(snet, "networkSecurityGroup", null),
        messages: [/^subnet "snet-data" has no networkSecurityGroup/],
      },
      {
        title: "no subnetName (auto-named)",
        resource: withProp(withProp(snet, "subnetName", undefined), "networkSecurityGroup", undefined),
        messages: [/^subnet subnet has no networkSecurityGroup/],
      },
      {
        title: "an exempt name when the exemption list is emptied",
        resource: withProp(withProp(snet, "subnetName", "GatewaySubnet"), "networkSecurityGroup", undefined),
        config: { exemptSubnetNames: [] },
        messages: [/^subnet "GatewaySubnet" has no/],
      },
    ],
    unknown: [
      { title: "networkSecurityGroup unknown", resource: withProp(snet, "networkSecurityGroup", UNKNOWN.object) },
      { title: "VNet subnets unknown", resource: withProp(network, "subnets", UNKNOWN.object) },
    ],
  },
  {
    policy: "network-subnet-default-outbound-disabled",
    compliant: [
      { title: "defaultOutboundAccess false", resource: snet },
      { title: "a VNet with a private subnet and AzureBastionSubnet", resource: network },
      {
        title: "an exempt service subnet",
        resource: withProp(withProp(snet, "subnetName", "RouteServerSubnet"), "defaultOutboundAccess", undefined),
      },
    ],
    violations: [
      {
        title: "true",
        resource: withProp(snet, "defaultOutboundAccess", true),
        messages: [
          /^subnet "snet-data" has defaultOutboundAccess true: machines get implicit internet egress; set it to false\.$/,
        ],
      },
      {
        title: "absent (API 2024-05-01: true)",
        resource: withProp(snet, "defaultOutboundAccess", undefined),
        messages: [/^subnet "snet-data" has defaultOutboundAccess not set \(the API defaults to true\)/],
      },
      {
        title: "an inline VNet subnet without it",
        resource: withProp(network, "subnets.0.defaultOutboundAccess", undefined),
        messages: [/^subnets\[0\] \("snet-data"\) has defaultOutboundAccess not set/],
      },
      {
        title: "an inline VNet subnet with it true",
        resource: withProp(network, "subnets.0.defaultOutboundAccess", true),
        messages: [
          /^subnets\[0\] \("snet-data"\) has defaultOutboundAccess true: machines get implicit internet egress/,
        ],
      },
      {
        title: 'string "true"',
        resource: withProp(snet, "defaultOutboundAccess", "true"),
        messages: [/^subnet "snet-data" has defaultOutboundAccess "true"/],
      },
    ],
    unknown: [
      { title: "defaultOutboundAccess unknown", resource: withProp(snet, "defaultOutboundAccess", UNKNOWN.boolean) },
      {
        title: "an inline subnet's defaultOutboundAccess unknown",
        resource: withProp(network, "subnets.0.defaultOutboundAccess", UNKNOWN.boolean),
      },
    ],
  },
  {
    policy: "network-nic-no-public-ip",
    compliant: [
      { title: "private IP only", resource: nicRes },
      { title: "publicIPAddress null", resource: withProp(nicRes, "ipConfigurations.0.publicIPAddress", null) },
      { title: "no ipConfigurations", resource: withProp(nicRes, "ipConfigurations", undefined) },
    ],
    violations: [
      {
        title: "a public IP on the first configuration",
        resource: withProp(nicRes, "ipConfigurations.0.publicIPAddress", {
          id: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip",
        }),
        messages: [
          /^ipConfigurations\[0\] \("ipconfig1"\)\.publicIPAddress is set: the network interface is directly reachable from the internet; remove it\.$/,
        ],
      },
      {
        title: "a public IP on a second configuration",
        resource: withProp(nicRes, "ipConfigurations", [
          { name: "ipconfig1" },
          { name: "ipconfig2", publicIPAddress: { id: "pip" } },
        ]),
        messages: [/^ipConfigurations\[1\] \("ipconfig2"\)\.publicIPAddress is set/],
      },
    ],
    unknown: [
      { title: "ipConfigurations unknown", resource: withProp(nicRes, "ipConfigurations", UNKNOWN.object) },
      {
        title: "publicIPAddress unknown",
        resource: withProp(nicRes, "ipConfigurations.0.publicIPAddress", UNKNOWN.object),
      },
    ],
  },
  {
    policy: "network-private-endpoint-auto-approved",
    compliant: [
      { title: "an auto-approved connection", resource: pe },
      { title: "an empty manual list", resource: withProp(pe, "manualPrivateLinkServiceConnections", []) },
    ],
    violations: [
      {
        title: "a manual connection",
        resource: withProp(pe, "manualPrivateLinkServiceConnections", [
          {
            name: "partner-blob",
            privateLinkServiceId: "/subscriptions/1/x",
            groupIds: ["blob"],
            requestMessage: "please",
          },
        ]),
        messages: [
          /^manualPrivateLinkServiceConnections has 1 connection \("partner-blob"\): each needs out-of-band approval/,
        ],
      },
      {
        title: "two manual connections, one unnamed",
        resource: withProp(pe, "manualPrivateLinkServiceConnections", [{ name: "a" }, { groupIds: ["file"] }]),
        messages: [/has 2 connections \("a", \[1\]\)/],
      },
    ],
    unknown: [
      {
        title: "manual connections unknown",
        resource: withProp(pe, "manualPrivateLinkServiceConnections", UNKNOWN.object),
      },
    ],
  },
];

describeMlRules("network", /^network-/, networkPolicies, table);

describe("network rules the baseline needs blocking", () => {
  it("network-subnet-default-outbound-disabled is mandatory", () => {
    expect(networkPolicies.find((p) => p.name === "network-subnet-default-outbound-disabled")?.enforcementLevel).toBe(
      "mandatory",
    );
  });
});

describe("network helpers", () => {
  it("parse port ranges as Azure writes them", () => {
    expect(parsePortRanges("*")).toEqual([{ text: "*", from: 0, to: 65535 }]);
    expect(parsePortRanges("22")).toEqual([{ text: "22", from: 22, to: 22 }]);
    expect(parsePortRanges("25-20")).toEqual([{ text: "25-20", from: 20, to: 25 }]);
    expect(parsePortRanges("22, 80-81")).toEqual([
      { text: "22", from: 22, to: 22 },
      { text: "80-81", from: 80, to: 81 },
    ]);
    expect(parsePortRanges("http")).toEqual([]);
    expect(parsePortRanges(undefined)).toEqual([]);
    expect(coversAllPorts({ text: "1-65535", from: 1, to: 65535 })).toBe(true);
    expect(coversAllPorts({ text: "2-65535", from: 2, to: 65535 })).toBe(false);
  });

  it("know which sources mean the internet", () => {
    for (const s of ["*", "Internet", "INTERNET", "Any", "0.0.0.0/0", "0.0.0.0", "::/0", " * "])
      expect(isInternetSource(s)).toBe(true);
    for (const s of ["VirtualNetwork", "10.0.0.0/8", "AzureLoadBalancer", "1.2.3.4/32", undefined])
      expect(isInternetSource(s)).toBe(false);
  });
});

describe("network rules on the shipped stacks", () => {
  let plans: Plan[];
  beforeAll(async () => {
    plans = [await planStackFile("dev"), await planStackFile("prod")];
  });

  it("find no mandatory violation in dev or prod", async () => {
    for (const plan of plans) expect(await mandatoryViolations(plan, networkPolicies)).toEqual([]);
  });

  it("see every created subnet private (defaultOutboundAccess false)", () => {
    for (const plan of plans) {
      const subnets = plan.resources.filter((r) => r.type === "azure-native:network:Subnet");
      expect(subnets.length).toBeGreaterThan(0);
      for (const subnet of subnets) expect(subnet.inputs.defaultOutboundAccess).toBe(false);
    }
  });

  it("find nothing at all, and see the NSGs, subnets and private endpoints", async () => {
    for (const plan of plans) {
      for (const type of [
        "azure-native:network:NetworkSecurityGroup",
        "azure-native:network:Subnet",
        "azure-native:network:PrivateEndpoint",
      ]) {
        expect(plan.resources.some((r) => r.type === type)).toBe(true);
      }
      expect(await planViolations(plan, networkPolicies)).toEqual([]);
    }
  });
});
