import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { ADVISORY, BaselineStackPolicy, MANDATORY } from "../support/baseline";
import { sameText } from "../support/props";
import {
  UNKNOWN,
  azureName,
  dependsVia,
  isDisabled,
  knownId,
  knownString,
  label,
  mustKnow,
  normalizeId,
  ofType,
  peek,
  peekArray,
  refersToId,
  refersToValue,
  sameGroupOrUnknown,
  shown,
  untraced,
} from "../support/stackGraph";
import { TYPES as T } from "secure-azureml-facts";

/**
 * Network across the stack: the subnets that hold private endpoints and ML compute are
 * filtered by an NSG, and private online endpoints do not let their deployments reach the internet.
 */

type Report = (message: string, urn?: string) => void;

/** A subnet as the stack defines it: a Subnet resource or an entry of a VirtualNetwork's `subnets`. */
interface SubnetView {
  owner: PolicyResource;
  /** Path prefix of the subnet's properties in the owner (`""` or `subnets.2.`). */
  prefix: string;
  display: string;
}

/** Subnets of the stack that `from.props[property]` (value `value`, a subnet id) designates; `ambiguous` when the id is unknown and only its VNet is known. */
function subnetsReferenced(
  resources: PolicyResource[],
  from: PolicyResource,
  property: string,
  value: unknown,
): { subnets: SubnetView[]; ambiguous: boolean } {
  const standalone = ofType(resources, T.subnet).filter((s) => refersToId(from, property, value, s));
  if (standalone.length > 0)
    return { subnets: standalone.map((s) => ({ owner: s, prefix: "", display: label(s) })), ambiguous: false };
  const subnets: SubnetView[] = [];
  let ambiguous = false;
  for (const vnet of ofType(resources, T.vnet)) {
    const inline = peekArray(vnet.props, "subnets");
    if (inline === UNKNOWN || inline.length === 0) continue;
    const views = inline.map((s, i) => ({
      owner: vnet,
      prefix: `subnets.${i}.`,
      display: `subnet '${String(peek(s, "name"))}' of ${label(vnet)}`,
      name: knownString(peek(s, "name")),
    }));
    const reference = knownString(value);
    if (reference !== undefined) {
      const id = normalizeId(reference);
      const vnetId = knownId(vnet);
      const vnetName = azureName(vnet);
      for (const view of views) {
        if (view.name === undefined) continue;
        const tail = `/subnets/${view.name.toLowerCase()}`;
        if (
          (vnetId !== undefined && id === `${vnetId}${tail}`) ||
          (vnetId === undefined &&
            vnetName !== undefined &&
            id.endsWith(`/virtualnetworks/${vnetName.toLowerCase()}${tail}`))
        )
          subnets.push(view);
      }
    } else if (value === UNKNOWN && dependsVia(from, property, vnet)) {
      subnets.push(...views);
      ambiguous = views.length > 1;
    }
  }
  return { subnets, ambiguous };
}

/** Whether a subnet has an NSG (`networkSecurityGroup.id` set or unknown). */
function hasNsg(view: SubnetView): boolean {
  const nsg = peek(view.owner.props, `${view.prefix}networkSecurityGroup`);
  if (nsg === UNKNOWN) return true;
  const id = peek(nsg, "id");
  return id === UNKNOWN || knownString(id) !== undefined;
}

/** The subnet users of the stack: private endpoints (`subnet.id`) and ML compute (`properties.properties.subnet.id`). */
function subnetUsers(
  resources: PolicyResource[],
): { user: PolicyResource; property: string; path: string; value: unknown }[] {
  return [
    ...ofType(resources, T.privateEndpoint).map((pe) => ({
      user: pe,
      property: "subnet",
      path: "subnet.id",
      value: peek(pe.props, "subnet.id"),
    })),
    ...ofType(resources, T.compute).map((c) => ({
      user: c,
      property: "properties",
      path: "properties.properties.subnet.id",
      value: peek(c.props, "properties.properties.subnet.id"),
    })),
  ].filter((u) => u.value !== undefined);
}

/** Rule: subnets with private endpoints or compute have an NSG. */
function validateSubnetNsg(args: StackValidationArgs, report: Report): void {
  const reported = new Set<string>();
  for (const { user, property, path, value } of subnetUsers(args.resources)) {
    if (untraced(user, property, value)) mustKnow(user, path);
    const { subnets, ambiguous } = subnetsReferenced(args.resources, user, property, value);
    const bare = subnets.filter((s) => !hasNsg(s));
    if (bare.length === 0) continue;
    if (ambiguous) mustKnow(user, path);
    for (const subnet of bare) {
      const key = `${subnet.owner.urn}|${subnet.prefix}`;
      if (reported.has(key)) continue;
      reported.add(key);
      report(
        `${subnet.display} holds ${label(user)} but has no networkSecurityGroup: nothing filters traffic to the private endpoints and compute nodes in it.`,
        subnet.owner.urn,
      );
    }
  }
}

/** Rule: subnets with private endpoints apply network policies (so the NSG filters them). */
function validatePrivateEndpointSubnetPolicies(args: StackValidationArgs, report: Report): void {
  const reported = new Set<string>();
  for (const { user, property, path, value } of subnetUsers(args.resources).filter(
    (u) => u.user.type === T.privateEndpoint,
  )) {
    if (untraced(user, property, value)) mustKnow(user, path);
    const { subnets, ambiguous } = subnetsReferenced(args.resources, user, property, value);
    const off = subnets.filter((s) => {
      const policies = peek(s.owner.props, `${s.prefix}privateEndpointNetworkPolicies`);
      if (policies === UNKNOWN) mustKnow(s.owner, `${s.prefix}privateEndpointNetworkPolicies`);
      return !sameText(policies, "Enabled") && !sameText(policies, "NetworkSecurityGroupEnabled");
    });
    if (off.length === 0) continue;
    if (ambiguous) mustKnow(user, path);
    for (const subnet of off) {
      const key = `${subnet.owner.urn}|${subnet.prefix}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const policies = peek(subnet.owner.props, `${subnet.prefix}privateEndpointNetworkPolicies`);
      report(
        `${subnet.display} holds ${label(user)} but privateEndpointNetworkPolicies is ${shown(policies)}${policies === undefined ? " (Azure default Disabled)" : ""}: NSG rules do not apply to private endpoint traffic.`,
        subnet.owner.urn,
      );
    }
  }
}

/** Equal (any case) when both are known strings; true when either is unknown. */
function sameWhenKnown(a: unknown, b: unknown): boolean {
  const x = knownString(a);
  const y = knownString(b);
  return x === undefined || y === undefined || x.toLowerCase() === y.toLowerCase();
}

/** The online endpoint (of the stack) a deployment belongs to (by endpointName, in the same workspace). */
function endpointOf(resources: PolicyResource[], deployment: PolicyResource): PolicyResource[] {
  return ofType(resources, T.onlineEndpoint).filter(
    (e) =>
      refersToValue(deployment, "endpointName", peek(deployment.props, "endpointName"), e, azureName(e)) &&
      sameWhenKnown(peek(deployment.props, "workspaceName"), peek(e.props, "workspaceName")) &&
      sameGroupOrUnknown(deployment, e),
  );
}

/** Rule: deployments under a private online endpoint have no public egress. */
function validateDeploymentEgress(args: StackValidationArgs, report: Report): void {
  for (const deployment of ofType(args.resources, T.onlineDeployment)) {
    // An endpoint name from outside the stack's knowledge could name a private endpoint of the stack.
    if (untraced(deployment, "endpointName", peek(deployment.props, "endpointName")))
      mustKnow(deployment, "endpointName");
    for (const endpoint of endpointOf(args.resources, deployment)) {
      if (!isDisabled(mustKnow(endpoint, "properties.publicNetworkAccess"))) continue;
      const egress = mustKnow(deployment, "properties.egressPublicNetworkAccess");
      // Unset is Microsoft's advice with a workspace managed network ("Avoid setting this flag"): outbound then follows the workspace's rules.
      if (egress === undefined || isDisabled(egress)) continue;
      report(
        `${label(deployment)} runs under ${label(endpoint)} (publicNetworkAccess Disabled) but properties.egressPublicNetworkAccess is ${shown(egress)}: the deployment can send data to the internet.`,
        deployment.urn,
      );
    }
  }
}

export const networkPolicies: BaselineStackPolicy[] = [
  {
    name: "stack-online-deployment-egress-disabled",
    description:
      'No ML online deployment under an online endpoint of the stack with properties.publicNetworkAccess Disabled opens public egress (properties.egressPublicNetworkAccess "Enabled"). Unset passes: the flag belongs to the legacy isolation method, and with a workspace managed network (required by aml-workspace-managed-network-approved-outbound) Microsoft says "Avoid setting this flag" (Network isolation with managed online endpoints).',
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Remove properties.egressPublicNetworkAccess from the azure-native:machinelearningservices:OnlineDeployment (workspace managed network), or set it to "Disabled" (a registry model, or the legacy isolation method).',
    validateStack: validateDeploymentEgress,
  },
  {
    name: "stack-network-subnet-nsg-in-use",
    description:
      "Every subnet of the stack that holds a private endpoint (subnet.id) or ML compute (properties.properties.subnet.id) has a network security group (subnets outside the stack are out of scope).",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      "Set networkSecurityGroup: { id: <azure-native:network:NetworkSecurityGroup>.id } on the azure-native:network:Subnet (or on the entry of the VirtualNetwork's subnets) that holds the private endpoints or compute.",
    validateStack: validateSubnetNsg,
  },
  {
    name: "stack-network-private-endpoint-subnet-policies",
    description:
      "Every subnet of the stack that holds a private endpoint has privateEndpointNetworkPolicies Enabled or NetworkSecurityGroupEnabled, so its NSG applies to private endpoint traffic (absent = Disabled, the Azure default). Advisory: the endpoints are reachable only from the VNet either way, and the NSG adds defence in depth; a stack's policy config can raise it.",
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps:
      'Set privateEndpointNetworkPolicies: "Enabled" (or "NetworkSecurityGroupEnabled") on the azure-native:network:Subnet that holds the private endpoints.',
    validateStack: validatePrivateEndpointSubnetPolicies,
  },
];
