import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { addDiagnosticSetting } from "./shared/diagnostics";
import { DiagnosticSettingsArgs, PlacementArgs } from "./shared/interfaces";

/**
 * The subnets the environment uses, by the key its outputs are published under. There is no
 * compute subnet: the workspace's managed virtual network hosts every compute, and Microsoft
 * documents that "When using Managed virtual network, you can't deploy compute resources inside
 * your custom virtual network" ("Workspace managed virtual network isolation", Limitations).
 */
export type SubnetKey = "privateEndpoints" | "jumpbox";

/** Mode `create` of {@link Network}: a new VNet with private subnets, each behind its own NSG. */
export interface NetworkCreateArgs {
  /** Required. The VNet's address space (IPv4 CIDR, e.g. `10.40.0.0/16`). */
  addressSpace: string;
  /**
   * Required. CIDR of the private endpoint subnet `snet-<prefix>-pe`, inside `addressSpace`.
   * Changing it replaces the subnet (default outbound access can only be set when a subnet is created).
   */
  privateEndpointSubnet: string;
  /** Optional. CIDR of a jumpbox subnet `snet-<prefix>-jumpbox`, inside `addressSpace`. Default: no jumpbox subnet. */
  jumpboxSubnet?: string;
}

/** Mode `existing` of {@link Network}: subnets someone else manages (hub-and-spoke, landing zones). */
export interface NetworkExistingArgs {
  /** Required. Resource id of the existing VNet (private DNS zones are linked to it). */
  virtualNetworkId: pulumi.Input<string>;
  /** Required. Resource id of the existing subnet private endpoints are placed in. */
  privateEndpointSubnetId: pulumi.Input<string>;
}

/** Arguments of {@link Network}: exactly one of `create` and `existing`. */
export interface NetworkArgs extends PlacementArgs {
  /**
   * Conditional. Give exactly one of `create` and `existing`. `create` builds a VNet, its subnets
   * and one NSG per subnet. One-way in practice: switching to `existing` replaces every private
   * endpoint that sits in the subnets. Subnets are created with default outbound access off, which
   * Azure cannot change on an existing subnet: changing a subnet's CIDR replaces the subnet.
   */
  create?: NetworkCreateArgs;
  /**
   * Conditional. Give exactly one of `create` and `existing`. `existing` adopts subnets someone
   * else manages and creates nothing. One-way in practice: switching to `create` replaces every
   * private endpoint that sits in the subnets.
   */
  existing?: NetworkExistingArgs;
  /**
   * Required. Short prefix in every physical name: `vnet-<prefix>`, `snet-<prefix>-pe`,
   * `snet-<prefix>-jumpbox`, `nsg-<prefix>-<pe|jumpbox>`.
   * Changing it replaces the network.
   */
  namePrefix: string;
  /**
   * Optional. Send each NSG's logs (rule counters and events; NSGs have no metrics) to Log
   * Analytics. Ignored with `existing`. Default: no diagnostic settings.
   */
  diagnostics?: DiagnosticSettingsArgs;
}

/** Why the network's mode arguments are invalid (both or neither of `create` and `existing`); undefined when valid. */
export function networkModeProblem(args: Pick<NetworkArgs, "create" | "existing">): string | undefined {
  if (args.create && args.existing)
    return "network: both create and existing are given; give create to build a VNet, or existing to adopt subnets, not both";
  if (!args.create && !args.existing)
    return "network: neither create nor existing is given; give create (addressSpace, privateEndpointSubnet) or existing (virtualNetworkId, privateEndpointSubnetId)";
  return undefined;
}

/** One subnet to create, described with plain values so the topology never depends on Outputs. */
interface SubnetPlan {
  /** Short name in physical and logical names: `pe`, `jumpbox`. */
  readonly shortName: string;
  readonly addressPrefix: string;
}

/** A created subnet and the NSG attached to it. */
interface PrivateSubnet {
  readonly subnet: network.Subnet;
  readonly securityGroup: network.NetworkSecurityGroup;
}

/** NSG rules common to every subnet. Azure's default rules still follow (65000-65500). */
const INBOUND_RULES: network.NetworkSecurityGroupArgs["securityRules"] = [
  {
    name: "deny-internet-inbound",
    description:
      "Nothing in this network is reachable from the internet; stated explicitly ahead of the default rules.",
    priority: 4096,
    direction: network.SecurityRuleDirection.Inbound,
    access: network.SecurityRuleAccess.Deny,
    protocol: network.SecurityRuleProtocol.Asterisk,
    sourceAddressPrefix: "Internet",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "*",
  },
];

/**
 * The environment's private network: either a new VNet with private subnets, each behind its
 * own NSG, or the ids of subnets that already exist.
 *
 * Subnets are separate `network:Subnet` resources and the VNet never sets `subnets`. This is
 * stable in azure-native v3: the provider marks `VirtualNetwork.subnets` as a sub-resource
 * list it maintains when unset (it reads the live subnets and sends them back on every VNet
 * update, and does not adopt them into the VNet's inputs on refresh), and the Network API it uses
 * (2024-05-01, >= 2023-09-01) itself keeps existing subnets when a VNet PUT omits them.
 * Mixing the two styles (any inline `subnets` on the VNet) would make the VNet delete the
 * standalone subnets, so inline subnets must never be added here. `ignoreChanges: ["subnets"]`
 * is deliberately not set: it would replay stale subnet lists from state into VNet updates.
 * Separate resources also give each subnet its own id output and its own replace semantics
 * (`defaultOutboundAccess` can only be set when a subnet is created).
 */
export class Network extends pulumi.ComponentResource {
  /** Resource id of the VNet (created, or the `existing` one). */
  public readonly virtualNetworkId: pulumi.Output<string>;
  /** Resource id of the subnet private endpoints are placed in. */
  public readonly privateEndpointSubnetId: pulumi.Output<string>;
  /** Set only when `create` configures a jumpbox subnet. */
  public readonly jumpboxSubnetId?: pulumi.Output<string>;
  /** NSG ids keyed by {@link SubnetKey} (`privateEndpoints`, `jumpbox` when configured); empty with `existing`. */
  public readonly networkSecurityGroupIds: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "secure-azureml:index:Network",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:network:Network" }] }),
    );
    const { create, existing } = args;
    if (existing && !create) {
      this.virtualNetworkId = pulumi.output(existing.virtualNetworkId);
      this.privateEndpointSubnetId = pulumi.output(existing.privateEndpointSubnetId);
      this.networkSecurityGroupIds = {};
    } else if (create && !existing) {
      const vnet = this.createVirtualNetwork(name, args, create.addressSpace);
      // Azure rejects concurrent writes to subnets of one VNet (AnotherOperationInProgress): each subnet waits for the previous one.
      const pe = this.createPrivateSubnet(name, args, vnet, {
        shortName: "pe",
        addressPrefix: create.privateEndpointSubnet,
      });
      const jumpbox =
        create.jumpboxSubnet === undefined
          ? undefined
          : this.createPrivateSubnet(
              name,
              args,
              vnet,
              { shortName: "jumpbox", addressPrefix: create.jumpboxSubnet },
              pe.subnet,
            );
      this.virtualNetworkId = vnet.id;
      this.privateEndpointSubnetId = pe.subnet.id;
      this.jumpboxSubnetId = jumpbox?.subnet.id;
      this.networkSecurityGroupIds = {
        privateEndpoints: pe.securityGroup.id,
        ...(jumpbox ? { jumpbox: jumpbox.securityGroup.id } : {}),
      };
    } else {
      throw new pulumi.ResourceError(
        networkModeProblem(args) ?? "network: give exactly one of create and existing",
        this,
      );
    }
    this.registerOutputs({
      virtualNetworkId: this.virtualNetworkId,
      privateEndpointSubnetId: this.privateEndpointSubnetId,
      jumpboxSubnetId: this.jumpboxSubnetId,
      networkSecurityGroupIds: this.networkSecurityGroupIds,
    });
  }

  /** The VNet, without inline subnets (see the class comment). */
  private createVirtualNetwork(name: string, args: NetworkArgs, addressSpace: string): network.VirtualNetwork {
    return new network.VirtualNetwork(
      `${name}-vnet`,
      {
        virtualNetworkName: `vnet-${args.namePrefix}`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        addressSpace: { addressPrefixes: [addressSpace] },
      },
      { parent: this },
    );
  }

  /** A subnet with its own NSG (and the NSG's diagnostic setting), created after `after`. */
  private createPrivateSubnet(
    name: string,
    args: NetworkArgs,
    vnet: network.VirtualNetwork,
    plan: SubnetPlan,
    after?: network.Subnet,
  ): PrivateSubnet {
    const securityGroup = this.createSecurityGroup(name, args, plan);
    const subnet = this.createSubnet(name, args, plan, vnet, securityGroup, after);
    return { subnet, securityGroup };
  }

  /** One NSG per subnet, rules inline (never mixed with standalone `SecurityRule` resources). */
  private createSecurityGroup(name: string, args: NetworkArgs, plan: SubnetPlan): network.NetworkSecurityGroup {
    const nsg = new network.NetworkSecurityGroup(
      `${name}-nsg-${plan.shortName}`,
      {
        networkSecurityGroupName: `nsg-${args.namePrefix}-${plan.shortName}`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        securityRules: INBOUND_RULES,
      },
      { parent: this },
    );
    if (args.diagnostics) {
      addDiagnosticSetting(
        `${name}-nsg-${plan.shortName}`,
        nsg.id,
        args.diagnostics.logAnalyticsWorkspaceId,
        { logs: "allLogs", metrics: false },
        this,
      );
    }
    return nsg;
  }

  /**
   * A private subnet: no default outbound internet access (set at creation only), its NSG
   * attached, and network policies on for private endpoints so the NSG (and any route table)
   * applies to endpoints placed in it, on every subnet rather than only the endpoint subnet.
   */
  private createSubnet(
    name: string,
    args: NetworkArgs,
    plan: SubnetPlan,
    vnet: network.VirtualNetwork,
    nsg: network.NetworkSecurityGroup,
    after: network.Subnet | undefined,
  ): network.Subnet {
    return new network.Subnet(
      `${name}-snet-${plan.shortName}`,
      {
        subnetName: `snet-${args.namePrefix}-${plan.shortName}`,
        virtualNetworkName: vnet.name,
        resourceGroupName: args.resourceGroupName,
        addressPrefix: plan.addressPrefix,
        networkSecurityGroup: { id: nsg.id },
        defaultOutboundAccess: false,
        privateEndpointNetworkPolicies: network.VirtualNetworkPrivateEndpointNetworkPolicies.Enabled,
        privateLinkServiceNetworkPolicies: network.VirtualNetworkPrivateLinkServiceNetworkPolicies.Enabled,
      },
      { parent: this, dependsOn: after ? [after] : [] },
    );
  }
}
