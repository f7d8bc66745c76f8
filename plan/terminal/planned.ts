import { physicalName } from "../azureIds";
import { Plan, PlannedResource } from "../contract";
import { kindName } from "../kindNames";
import { listWithin, wrapText } from "./text";

/**
 * "What is planned", per layer, in a few lines: the resources a newcomer looks for by their Azure
 * names (workspace, registry, storage, Key Vault, computes, endpoints...), then the rest counted.
 */

/** Notable types in display order, with the word shown before their names. */
const NOTABLE: readonly (readonly [type: string, label: string])[] = [
  ["azure-native:machinelearningservices:Workspace", "workspace"],
  ["azure-native:machinelearningservices:Registry", "ML registry"],
  ["azure-native:containerregistry:Registry", "container registry"],
  ["azure-native:storage:StorageAccount", "storage"],
  ["azure-native:keyvault:Vault", "Key Vault"],
  ["azure-native:network:VirtualNetwork", "VNet"],
  ["azure-native:operationalinsights:Workspace", "Log Analytics"],
  ["azure-native:applicationinsights:Component", "App Insights"],
  ["azure-native:machinelearningservices:Compute", "compute"],
  ["azure-native:machinelearningservices:OnlineEndpoint", "online endpoint"],
  ["azure-native:machinelearningservices:OnlineDeployment", "deployment"],
  ["azure-native:machinelearningservices:BatchEndpoint", "batch endpoint"],
  ["azure-native:machinelearningservices:BatchDeployment", "batch deployment"],
  ["azure-native:machinelearningservices:Schedule", "schedule"],
];
const NOTABLE_TYPES = new Set(NOTABLE.map(([type]) => type));

/** The other resources' counts take at most this many lines per layer. */
const COUNTED_LINES = 2;

/** The URN's Pulumi project (`urn:pulumi:<stack>::<project>::...`). */
export function projectOf(urn: string): string {
  return urn.split("::")[1] ?? "";
}

function azureName(resource: PlannedResource): string {
  try {
    return physicalName(resource.type, resource.name, resource.inputs);
  } catch {
    return resource.name;
  }
}

/** The layer's resources as phrases: notable ones named, then the others counted, most numerous first. */
export function plannedPhrases(resources: readonly PlannedResource[]): { named: string[]; counted: string[] } {
  const custom = resources.filter((r) => r.custom);
  const named = NOTABLE.flatMap(([type, label]) => {
    const names = custom.filter((r) => r.type === type).map(azureName);
    return names.length > 0 ? [`${label} ${names.join(", ")}`] : [];
  });
  const counts = new Map<string, number>();
  for (const r of custom.filter((r) => !NOTABLE_TYPES.has(r.type))) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const counted = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([type, count]) => `${count} ${kindName(type, count)}`);
  return { named, counted };
}

/**
 * Phrases joined by `separator` and wrapped to `width`, every line starting with `indent`; a line
 * breaks between phrases (a phrase longer than a line breaks inside).
 */
export function phraseLines(phrases: readonly string[], width: number, indent: string, separator = " · "): string[] {
  if (phrases.length === 0) return [];
  const glued = phrases.map((phrase) => phrase.replace(/ /g, NO_BREAK)).join(separator);
  return wrapText(glued, width, { firstIndent: indent, indent }).map((line) => line.replaceAll(NO_BREAK, " "));
}

const NO_BREAK = "\u00a0";

/** One numbered entry per layer in deploy order, with its notable resources and the rest counted. */
export function plannedLines(plan: Plan, width: number): string[] {
  const layers = plan.layers && plan.layers.length > 0 ? plan.layers : [{ project: plan.project, outputs: {} }];
  return layers.flatMap((layer, i) => {
    const resources = plan.resources.filter((r) => layers.length === 1 || projectOf(r.urn) === layer.project);
    const count = resources.filter((r) => r.custom).length;
    const where = i === 0 ? "repository root" : "serving/";
    const { named, counted } = plannedPhrases(resources);
    return [
      `  ${i + 1}. ${layer.project} (${where}): ${count} resources`,
      ...phraseLines(named, width, "     "),
      ...(counted.length > 0 ? listWithin("also", counted, width, COUNTED_LINES, "     ") : []),
    ];
  });
}
