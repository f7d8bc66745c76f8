import { TYPES } from "secure-azureml-facts";
import { Plan, PlannedResource } from "../contract";
import { PlanDiff } from "../diff/diff";
import { kindName } from "../kindNames";
import { PlanIndex, asString } from "../planIndex";
import { Flowchart, label } from "./flowchart";
import { describeScope, roleName } from "./roles";
import { LAYERS, Layer, endpointService, layerOf, physicalName, principalOf, zoneGroupEndpoint } from "./groups";

/**
 * The change diagram: what a pull request adds, changes and removes, grouped as the architecture
 * diagram groups (private endpoints per service, role assignments per principal, the rest per
 * kind) inside the same layers, styled apart (classDef `added`, `changed`, `removed`) and marked
 * `+`, `~`, `-` so the diagram reads without colour too. At most `MAX_CHANGE_NODES` nodes; the
 * rest is one "+N more" node.
 */

export const MAX_CHANGE_NODES = 12;

export type ChangeStatus = "added" | "changed" | "removed";
const STATUS_ORDER: ChangeStatus[] = ["added", "changed", "removed"];
const MARK: Record<ChangeStatus, string> = { added: "+", changed: "~", removed: "-" };

/** GitHub's own diff colours (Primer): green, amber, red; removed resources dashed. */
const CLASS_STYLES: Record<ChangeStatus | "more", string> = {
  added: "fill:#dafbe1,stroke:#1a7f37,color:#0f5323",
  changed: "fill:#fff8c5,stroke:#9a6700,color:#4d2d00",
  removed: "fill:#ffebe9,stroke:#cf222e,color:#82071e,stroke-dasharray: 5 5",
  more: "fill:#f6f8fa,stroke:#8c959f,color:#424a53",
};

interface ChangeGroup {
  key: string;
  status: ChangeStatus;
  layer: Layer;
  title: (count: number) => string;
  names: string[];
  replaced: number;
}

const MAX_NAMES = 3;

function listNames(names: string[]): string[] {
  return names.length <= MAX_NAMES
    ? names
    : [...names.slice(0, MAX_NAMES - 1), `+${names.length - MAX_NAMES + 1} more`];
}

/** The group a changed resource joins, read from the plan it is in (the head, or the base for removals). */
function groupOf(
  index: PlanIndex,
  resource: PlannedResource,
  status: ChangeStatus,
): Omit<ChangeGroup, "names" | "replaced"> {
  const endpoint =
    resource.type === TYPES.privateEndpoint
      ? resource
      : resource.type === TYPES.zoneGroup
        ? zoneGroupEndpoint(index, resource)
        : undefined;
  if (endpoint) {
    const service = endpointService(index, endpoint);
    return { key: `${status}:pe:${service.key}`, status, layer: "network", title: () => `${service.name} PE` };
  }
  if (resource.type === TYPES.roleAssignment) {
    const principal = principalOf(index, resource);
    return {
      key: `${status}:roles:${principal.key}`,
      status,
      layer: "identity",
      title: (count) => `${count > 1 ? `${count} ` : ""}${kindName(resource.type, count)} of ${principal.name}`,
    };
  }
  return {
    key: `${status}:${resource.type}`,
    status,
    layer: layerOf(resource.type),
    title: (count) => (count === 1 ? kindName(resource.type) : `${count} ${kindName(resource.type, count)}`),
  };
}

/** A resource's name in a change box; a role assignment (named by a GUID) by its role and scope. */
function displayName(index: PlanIndex, resource: PlannedResource): string {
  if (resource.type === TYPES.zoneGroup) {
    const endpoint = zoneGroupEndpoint(index, resource);
    return `DNS zones of ${endpoint ? physicalName(endpoint) : physicalName(resource)}`;
  }
  if (resource.type !== TYPES.roleAssignment) return physicalName(resource);
  const scope = describeScope(index, asString(resource.inputs.scope) ?? "(no scope)");
  return `${roleName(resource.inputs.roleDefinitionId)} on ${scope}`;
}

/** The groups of a diff, in layer order, then added, changed, removed. */
function changeGroups(diff: PlanDiff, base: Plan, head: Plan): ChangeGroup[] {
  const baseIndex = new PlanIndex(base);
  const headIndex = new PlanIndex(head);
  const groups = new Map<string, ChangeGroup>();
  const urnsByStatus: Record<ChangeStatus, ReadonlySet<string>> = {
    added: new Set(diff.added.map((r) => r.urn)),
    changed: new Set(diff.changed.map((r) => r.urn)),
    removed: new Set(diff.removed.map((r) => r.urn)),
  };
  const add = (index: PlanIndex, urn: string, status: ChangeStatus, replaced: boolean) => {
    const resource = index.resource(urn);
    if (!resource) return;
    // A DNS zone group (always named "default") is shown through its endpoint when both change alike.
    const endpoint = resource.type === TYPES.zoneGroup ? zoneGroupEndpoint(index, resource) : undefined;
    if (endpoint && urnsByStatus[status].has(endpoint.urn)) return;
    const group = groupOf(index, resource, status);
    const entry = groups.get(group.key) ?? { ...group, names: [], replaced: 0 };
    entry.names.push(`${displayName(index, resource)}${replaced ? " (replaced)" : ""}`);
    entry.replaced += replaced ? 1 : 0;
    groups.set(group.key, entry);
  };
  for (const r of diff.added) add(headIndex, r.urn, "added", false);
  for (const r of diff.changed) add(headIndex, r.urn, "changed", r.replaced);
  for (const r of diff.removed) add(baseIndex, r.urn, "removed", false);
  const layerOrder = Object.keys(LAYERS) as Layer[];
  return [...groups.values()].sort(
    (a, b) =>
      layerOrder.indexOf(a.layer) - layerOrder.indexOf(b.layer) ||
      STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status),
  );
}

/** The change diagram of a diff and the number of nodes it draws. */
export function renderChangeDiagram(diff: PlanDiff, base: Plan, head: Plan): { text: string; nodeCount: number } {
  const chart = new Flowchart("TB");
  const groups = changeGroups(diff, base, head);
  if (groups.length === 0) {
    chart.node("#none", label("No resource changes"));
    return { text: chart.toString(), nodeCount: chart.nodeCount };
  }
  const shown = groups.length <= MAX_CHANGE_NODES ? groups : groups.slice(0, MAX_CHANGE_NODES - 1);
  const used = new Set<ChangeStatus | "more">();
  // Mermaid's layout (dagre) places unconnected subgraphs right to left in declaration order:
  // declaring the layers last-first shows them left to right, network first.
  const layers = [...new Set(shown.map((g) => g.layer))].reverse();
  for (const layer of layers) chart.subgraph(`#layer:${layer}`, label(LAYERS[layer]));
  for (const group of shown) {
    const layer = chart.subgraph(`#layer:${group.layer}`, label(LAYERS[group.layer]));
    const id = chart.node(
      group.key,
      label(`${MARK[group.status]} ${group.title(group.names.length)}`, ...listNames(group.names)),
      group.status === "removed" ? "rounded" : "box",
      layer,
    );
    chart.addClass(id, group.status);
    used.add(group.status);
  }
  const hidden = groups.slice(shown.length);
  if (hidden.length > 0) {
    const count = hidden.reduce((n, g) => n + g.names.length, 0);
    const byStatus = STATUS_ORDER.map((status) => [status, hidden.filter((g) => g.status === status)] as const)
      .filter(([, list]) => list.length > 0)
      .map(([status, list]) => `${MARK[status]}${list.reduce((n, g) => n + g.names.length, 0)}`);
    chart.addClass(chart.node("#more", label(`${count} more changes`, byStatus.join(" "))), "more");
    used.add("more");
  }
  for (const name of [...STATUS_ORDER, "more" as const]) if (used.has(name)) chart.classDef(name, CLASS_STYLES[name]);
  return { text: chart.toString(), nodeCount: chart.nodeCount };
}
