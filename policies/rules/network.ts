import { ADVISORY, BaselineResourcePolicy, MANDATORY } from "../support/baseline";
import { valueAt } from "../support/props";
import {
  coversAllPorts,
  describeExposure,
  internetExposures,
  isExempt,
  nameText,
  rangesOpening,
  subnetsOf,
} from "../support/netRules";
import { TYPES } from "secure-azureml-facts";

/**
 * Network rules (azure-native v3, Network API 2024-05-01). NSG rules are read both inline
 * (`azure-native:network:NetworkSecurityGroup` `securityRules`) and standalone
 * (`azure-native:network:SecurityRule`); subnets both standalone (`azure-native:network:Subnet`)
 * and inline (`azure-native:network:VirtualNetwork` `subnets`).
 *
 * The four NSG rules do not overlap: a rule opening every port is reported only by
 * network-nsg-no-internet-any-port, port 22 only by the SSH rule, 3389 only by the RDP rule, and
 * the configured management ports (22 and 3389 left out by default) by the management-port rule.
 * Rules are judged one by one: an Allow is reported even if a Deny with a higher priority hides it.
 */

const NIC = TYPES.networkInterface;
const PRIVATE_ENDPOINT = TYPES.privateEndpoint;

/** Subnets Azure services manage themselves, which must not (or need not) carry an NSG. */
const SERVICE_SUBNETS = [
  "GatewaySubnet",
  "AzureFirewallSubnet",
  "AzureFirewallManagementSubnet",
  "AzureBastionSubnet",
  "RouteServerSubnet",
];

/** Database, remote-management and cache ports that must never face the internet (SSH and RDP have their own rules). */
const MANAGEMENT_PORTS = [5985, 5986, 445, 1433, 3306, 5432, 6379, 27017, 9200];

const exemptSubnetsSchema = {
  properties: {
    exemptSubnetNames: {
      type: "array" as const,
      items: { type: "string" as const },
      default: SERVICE_SUBNETS,
      description: "Subnet names (case-insensitive) the rule skips.",
    },
  },
};

/** Reports each internet-facing Allow rule that opens `port` (but not every port). */
function portRule(name: string, port: number, service: string): BaselineResourcePolicy {
  return {
    name,
    description: `NSG rules must not allow inbound ${service} (port ${port}) from the internet (source *, Internet, Any, 0.0.0.0/0 or ::/0), in inline securityRules or standalone SecurityRule resources.`,
    enforcementLevel: MANDATORY,
    severity: "critical",
    remediationSteps: `Remove the Allow/Inbound rule, or set its \`sourceAddressPrefix\`/\`sourceAddressPrefixes\` to specific private ranges, or narrow \`destinationPortRange\`/\`destinationPortRanges\` to exclude ${port}; reach machines through Azure Bastion or a private network instead.`,
    validateResource: (args, report) => {
      for (const exposure of internetExposures(args)) {
        const ranges = rangesOpening(exposure, port);
        if (ranges.length > 0)
          report(`${describeExposure(exposure, ranges)}: ${service} (${port}) is open to the internet.`);
      }
    },
  };
}

export const networkPolicies: BaselineResourcePolicy[] = [
  portRule("network-nsg-no-internet-ssh", 22, "SSH"),
  portRule("network-nsg-no-internet-rdp", 3389, "RDP"),
  {
    name: "network-nsg-no-internet-any-port",
    description:
      "NSG rules must not allow inbound traffic on every port (`*`, 0-65535 or 1-65535) from the internet, in inline securityRules or standalone SecurityRule resources.",
    enforcementLevel: MANDATORY,
    severity: "critical",
    remediationSteps:
      "Remove the Allow/Inbound rule, or set `destinationPortRange`/`destinationPortRanges` to the few ports the service needs and `sourceAddressPrefix`/`sourceAddressPrefixes` to specific ranges.",
    validateResource: (args, report) => {
      for (const exposure of internetExposures(args)) {
        const ranges = exposure.ranges.filter(coversAllPorts);
        if (ranges.length > 0) report(`${describeExposure(exposure, ranges)}: every port is open to the internet.`);
      }
    },
  },
  {
    name: "network-nsg-no-internet-management-ports",
    description:
      "NSG rules must not allow inbound traffic from the internet to remote-management, file-sharing or database ports (config managementPorts; SSH, RDP and all-port rules have their own policies).",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Remove the Allow/Inbound rule, or set its `sourceAddressPrefix`/`sourceAddressPrefixes` to specific private ranges, or narrow `destinationPortRange`/`destinationPortRanges` to exclude the management port; reach the service through a private endpoint.",
    configSchema: {
      properties: {
        managementPorts: {
          type: "array",
          items: { type: "integer", minimum: 0, maximum: 65535 },
          default: MANAGEMENT_PORTS,
          description:
            "Ports that must not face the internet (22 and 3389 are covered by network-nsg-no-internet-ssh and -rdp).",
        },
      },
    },
    validateResource: (args, report) => {
      const { managementPorts } = args.getConfig<{ managementPorts: number[] }>();
      for (const exposure of internetExposures(args)) {
        const open = [...new Set(managementPorts)]
          .filter((port) => rangesOpening(exposure, port).length > 0)
          .sort((a, b) => a - b);
        if (open.length === 0) continue;
        const ranges = exposure.ranges.filter((r) => open.some((port) => rangesOpening(exposure, port).includes(r)));
        report(
          `${describeExposure(exposure, ranges)}: management port${open.length > 1 ? "s" : ""} ${open.join(", ")} ${open.length > 1 ? "are" : "is"} open to the internet.`,
        );
      }
    },
  },
  {
    name: "network-subnet-nsg-attached",
    description:
      "Subnets (standalone Subnet resources and inline VirtualNetwork subnets) must have a network security group, except Azure service subnets listed in exemptSubnetNames; absent networkSecurityGroup means none.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Set `networkSecurityGroup: { id: <NSG id> }` on the azure-native:network:Subnet (or on the entry of the VirtualNetwork's `subnets`).",
    configSchema: exemptSubnetsSchema,
    validateResource: (args, report) => {
      const { exemptSubnetNames } = args.getConfig<{ exemptSubnetNames: string[] }>();
      for (const subnet of subnetsOf(args)) {
        if (isExempt(subnet, exemptSubnetNames)) continue;
        const nsg = valueAt(subnet.subnet, "networkSecurityGroup");
        if (nsg !== undefined && nsg !== null) continue;
        report(
          `${subnet.label} has no networkSecurityGroup: traffic to and from it is filtered only by Azure's defaults; attach an NSG.`,
        );
      }
    },
  },
  // Source: Microsoft Learn, "Default outbound access in Azure"
  // (https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access) and the
  // Azure Networking blog "Private subnets by default in Azure virtual networks": from API version
  // 2025-07-01, subnets of new virtual networks get defaultOutboundAccess false; older API versions
  // (azure-native 3.28.0's Subnet uses 2024-05-01) still default it to true.
  {
    name: "network-subnet-default-outbound-disabled",
    description:
      'Subnets (standalone Subnet resources and inline VirtualNetwork subnets) must be private (defaultOutboundAccess false) so machines reach the internet only through an explicit egress path, except Azure service subnets listed in exemptSubnetNames; absent means true in the Network API azure-native v3 uses (2024-05-01). Microsoft ends default outbound access: subnets of new virtual networks are private by default from API 2025-07-01 (Microsoft Learn, "Default outbound access in Azure").',
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      "Set `defaultOutboundAccess: false` on the azure-native:network:Subnet (or the VirtualNetwork's `subnets` entry); it can only be set when the subnet is created, so changing it replaces the subnet.",
    configSchema: exemptSubnetsSchema,
    validateResource: (args, report) => {
      const { exemptSubnetNames } = args.getConfig<{ exemptSubnetNames: string[] }>();
      for (const subnet of subnetsOf(args)) {
        if (isExempt(subnet, exemptSubnetNames)) continue;
        const value = valueAt(subnet.subnet, "defaultOutboundAccess");
        if (value === false || (typeof value === "string" && value.toLowerCase() === "false")) continue;
        report(
          `${subnet.label} has defaultOutboundAccess ${value === undefined ? "not set (the API defaults to true)" : JSON.stringify(value)}: machines get implicit internet egress; set it to false.`,
        );
      }
    },
  },
  {
    name: "network-nic-no-public-ip",
    description: "Network interfaces must not attach a public IP address in any ipConfigurations entry.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Remove `publicIPAddress` from every `ipConfigurations` entry of the azure-native:network:NetworkInterface; reach the machine through Azure Bastion or a private network, and give it egress through a NAT gateway or firewall.",
    validateResource: (args, report) => {
      if (args.type !== NIC) return;
      const configurations = valueAt(args.props, "ipConfigurations");
      if (!Array.isArray(configurations)) return;
      (configurations as unknown[]).forEach((configuration, index) => {
        const publicIp = valueAt(configuration, "publicIPAddress");
        if (publicIp === undefined || publicIp === null) return;
        const name = valueAt(configuration, "name");
        report(
          `ipConfigurations[${index}]${name === undefined ? "" : ` ("${nameText(name)}")`}.publicIPAddress is set: the network interface is directly reachable from the internet; remove it.`,
        );
      });
    },
  },
  {
    name: "network-private-endpoint-auto-approved",
    description:
      "Private endpoints should use automatically approved connections (privateLinkServiceConnections), not manualPrivateLinkServiceConnections. Advisory: a manual connection exposes nothing, but it stays Pending until the target's owner approves it, and it is how endpoints reach resources outside your control (other tenants).",
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps:
      "Move the entries of `manualPrivateLinkServiceConnections` to `privateLinkServiceConnections` on the azure-native:network:PrivateEndpoint (the deploying identity needs the target's privateEndpointConnectionsApproval/action permission).",
    validateResource: (args, report) => {
      if (args.type !== PRIVATE_ENDPOINT) return;
      const manual = valueAt(args.props, "manualPrivateLinkServiceConnections");
      if (!Array.isArray(manual) || manual.length === 0) return;
      const names = (manual as unknown[]).map((connection, index) => {
        const name = valueAt(connection, "name");
        return name === undefined ? `[${index}]` : JSON.stringify(name);
      });
      report(
        `manualPrivateLinkServiceConnections has ${manual.length} connection${manual.length > 1 ? "s" : ""} (${names.join(", ")}): each needs out-of-band approval by the target's owner; use privateLinkServiceConnections for resources you control.`,
      );
    },
  },
];
