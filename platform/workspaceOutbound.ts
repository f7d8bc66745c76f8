import type {
  FqdnRuleArgs,
  PrivateEndpointRuleArgs,
  ServiceTagProtocol,
  ServiceTagRuleArgs,
  WorkspaceOutboundArgs,
} from "../components";
import { OutboundConfig, buildOutboundRules } from "./outboundRules";

/**
 * The program's bridge from the validated `workspace.outbound` config to the workspace
 * component's plain outbound settings: the presets (of the pinned preset version) and the extras
 * expanded into named FQDN and service tag rules (`buildOutboundRules`), plus the private
 * endpoint rules the program adds. Pure: no resources, no Outputs.
 */
export function workspaceOutboundArgs(
  outbound: OutboundConfig,
  privateEndpointRules: PrivateEndpointRuleArgs[] = [],
): WorkspaceOutboundArgs {
  const fqdnRules: FqdnRuleArgs[] = [];
  const serviceTagRules: ServiceTagRuleArgs[] = [];
  for (const [name, rule] of Object.entries(buildOutboundRules(outbound))) {
    // buildOutboundRules builds plain values (no Outputs): destinations are strings and objects.
    if (rule.type === "FQDN") fqdnRules.push({ name, destination: rule.destination as string });
    else {
      const destination = rule.destination as { serviceTag: string; protocol: ServiceTagProtocol; portRanges: string };
      serviceTagRules.push({
        name,
        serviceTag: destination.serviceTag,
        protocol: destination.protocol,
        portRanges: destination.portRanges,
      });
    }
  }
  return { mode: outbound.mode, firewallSku: outbound.firewallSku, fqdnRules, serviceTagRules, privateEndpointRules };
}
