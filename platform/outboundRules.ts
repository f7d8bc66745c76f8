import { createHash } from "node:crypto";
import * as ml from "@pulumi/azure-native/machinelearningservices";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import {
  OUTBOUND_PRESET_VERSIONS,
  OutboundPresetVersion,
  ServiceTagAllowance,
  enabledOutboundPresets,
  findOutboundPreset,
  outboundPresetNames,
} from "secure-azureml-facts";
import type { WorkspaceConfig } from "../config";

/**
 * Turns the validated `workspace.outbound` config into the workspace managed network's
 * user-defined outbound rules. Pure: no resources, no Outputs.
 *
 * Rule names are derived from the destination alone, so adding or removing one rule never
 * renames another (a renamed rule is a delete plus a create inside the managed network).
 * Azure accepts rule names matching `^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$` (3-33 characters;
 * `RuleName` parameter of the Microsoft.MachineLearningServices REST spec).
 */

export type FqdnOutboundRule = azureInputs.machinelearningservices.FqdnOutboundRuleArgs;
export type ServiceTagOutboundRule = azureInputs.machinelearningservices.ServiceTagOutboundRuleArgs;
export type UserDefinedOutboundRule = FqdnOutboundRule | ServiceTagOutboundRule;
export type OutboundConfig = WorkspaceConfig["outbound"];

/** Azure's limit on an outbound rule name. */
export const MAX_RULE_NAME_LENGTH = 33;
/** Azure's rule name pattern. */
export const RULE_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/;
const HASH_LENGTH = 6;

/** The default protocol and ports of a service tag rule; names omit them. */
const DEFAULT_PROTOCOL = "TCP";
const DEFAULT_PORTS = "443";

/**
 * Fit a readable slug into Azure's 33 characters. A slug that is too long keeps its start and
 * ends in a short hash of the whole destination, so two long destinations never share a name.
 */
function fitRuleName(slug: string, destinationKey: string): string {
  if (slug.length <= MAX_RULE_NAME_LENGTH) return slug;
  const hash = createHash("sha256").update(destinationKey).digest("hex").slice(0, HASH_LENGTH);
  const head = slug.slice(0, MAX_RULE_NAME_LENGTH - HASH_LENGTH - 1).replace(/[-_]+$/, "");
  return `${head}-${hash}`;
}

/** A destination host name in the form Azure compares: lower case, no trailing dot. */
function normaliseFqdn(fqdn: string): string {
  return fqdn.trim().toLowerCase().replace(/\.$/, "");
}

/**
 * The rule name for an FQDN destination: `fqdn-pypi_org`, and `fqdnany-data_mcr_microsoft_com`
 * for `*.data.mcr.microsoft.com`. Dots become `_` (host names cannot contain `_`), so distinct
 * host names never map to the same name.
 */
export function fqdnRuleName(fqdn: string): string {
  const host = normaliseFqdn(fqdn);
  const wildcard = host.startsWith("*.");
  const body = (wildcard ? host.slice(2) : host).replace(/\./g, "_").replace(/[^a-z0-9_-]/g, "-");
  return fitRuleName(`${wildcard ? "fqdnany" : "fqdn"}-${body}`, `fqdn:${host}`);
}

function protocolSlug(protocol: string): string {
  return protocol === "*" ? "any" : protocol.toLowerCase();
}

function portsSlug(ports: string): string {
  return ports === "*" ? "all" : ports.replace(/\s+/g, "").replace(/,/g, "_");
}

function serviceTagKey(allowance: ServiceTagAllowance): string {
  return `servicetag:${allowance.serviceTag.toLowerCase()}:${allowance.protocol}:${allowance.portRanges.replace(/\s+/g, "")}`;
}

/**
 * The rule name for a service tag destination: `tag-azureopendatasets` for TCP 443, otherwise
 * with protocol and ports, e.g. `tag-storage_westeurope-udp-445` or `tag-sql-tcp-1433_11000-11999`.
 */
export function serviceTagRuleName(allowance: ServiceTagAllowance): string {
  const tag = allowance.serviceTag
    .toLowerCase()
    .replace(/\./g, "_")
    .replace(/[^a-z0-9_]/g, "-");
  const ports = allowance.portRanges.replace(/\s+/g, "");
  const isDefault = allowance.protocol === DEFAULT_PROTOCOL && ports === DEFAULT_PORTS;
  const slug = isDefault ? `tag-${tag}` : `tag-${tag}-${protocolSlug(allowance.protocol)}-${portsSlug(ports)}`;
  return fitRuleName(slug, serviceTagKey(allowance));
}

function presetVersionOf(outbound: OutboundConfig): OutboundPresetVersion {
  const version = outbound.presetVersion as OutboundPresetVersion;
  if (!OUTBOUND_PRESET_VERSIONS.includes(version)) {
    throw new Error(
      `workspace.outbound.presetVersion = ${JSON.stringify(outbound.presetVersion)}: unknown preset version; accepted: ${OUTBOUND_PRESET_VERSIONS.join(", ")}`,
    );
  }
  return version;
}

/** FQDNs and service tags of every enabled preset plus the extras, in config order. */
function allowedDestinations(outbound: OutboundConfig): { fqdns: string[]; serviceTags: ServiceTagAllowance[] } {
  const version = presetVersionOf(outbound);
  const fqdns: string[] = [];
  const serviceTags: ServiceTagAllowance[] = [];
  for (const name of enabledOutboundPresets(outbound)) {
    const preset = findOutboundPreset(version, name);
    if (!preset) {
      throw new Error(
        `workspace.outbound.presets contains ${JSON.stringify(name)}, which is not a preset of version ${version}; accepted: ${outboundPresetNames(version).join(", ")}`,
      );
    }
    fqdns.push(...preset.fqdns);
    serviceTags.push(...preset.serviceTags);
  }
  fqdns.push(...outbound.extraFqdns);
  serviceTags.push(...outbound.extraServiceTags);
  return { fqdns, serviceTags };
}

function fqdnRule(fqdn: string): FqdnOutboundRule {
  return { type: "FQDN", category: ml.RuleCategory.UserDefined, destination: normaliseFqdn(fqdn) };
}

function serviceTagRule(allowance: ServiceTagAllowance): ServiceTagOutboundRule {
  return {
    type: "ServiceTag",
    category: ml.RuleCategory.UserDefined,
    destination: {
      serviceTag: allowance.serviceTag,
      protocol: allowance.protocol,
      portRanges: allowance.portRanges.replace(/\s+/g, ""),
    },
  };
}

/** Add a rule under its name unless the same destination is already there; two destinations sharing a name is a bug. */
function addUnique(
  rules: Map<string, { key: string; rule: UserDefinedOutboundRule }>,
  name: string,
  key: string,
  rule: UserDefinedOutboundRule,
): void {
  const existing = rules.get(name);
  if (existing && existing.key !== key) {
    throw new Error(`outbound rules ${existing.key} and ${key} would share the rule name ${name}`);
  }
  if (!existing) rules.set(name, { key, rule });
}

/**
 * The user-defined outbound rules for `AllowOnlyApprovedOutbound`: one FQDN rule per host of
 * each enabled preset (of the pinned preset version) and of `extraFqdns`, one ServiceTag rule
 * per service tag allowance, duplicates removed, keyed by a name derived from the destination
 * and sorted by name. Empty for `AllowInternetOutbound`, where FQDN and service tag rules do
 * not apply.
 */
export function buildOutboundRules(outbound: OutboundConfig): Record<string, UserDefinedOutboundRule> {
  if (outbound.mode !== ml.IsolationMode.AllowOnlyApprovedOutbound) return {};
  const { fqdns, serviceTags } = allowedDestinations(outbound);
  const rules = new Map<string, { key: string; rule: UserDefinedOutboundRule }>();
  for (const fqdn of fqdns) addUnique(rules, fqdnRuleName(fqdn), `fqdn:${normaliseFqdn(fqdn)}`, fqdnRule(fqdn));
  for (const allowance of serviceTags)
    addUnique(rules, serviceTagRuleName(allowance), serviceTagKey(allowance), serviceTagRule(allowance));
  const names = [...rules.keys()].sort();
  return Object.fromEntries(names.map((name) => [name, (rules.get(name) as { rule: UserDefinedOutboundRule }).rule]));
}

/**
 * True when the rules include an FQDN rule. FQDN rules make Azure provision a managed Azure
 * Firewall for the workspace (a fixed monthly cost), and only then does `firewallSku` apply.
 */
export function hasFqdnRules(rules: Record<string, UserDefinedOutboundRule>): boolean {
  return Object.values(rules).some((rule) => rule.type === "FQDN");
}
