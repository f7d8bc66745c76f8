import { Plan, PlannedResource } from "../contract";
import { PlanIndex, asString, inputSources } from "../planIndex";
import { typicalDuration } from "./durations";

/**
 * Wall time of a cold `pulumi up` from the plan's dependency graph: Pulumi creates a resource
 * as soon as everything it depends on exists, so the wall time is the longest path through the
 * graph weighted by each resource's typical create time (unlimited parallelism assumed).
 *
 * Edges: every URN in `dependencies` and `propertyDependencies` (a component URN stands for all
 * custom resources under it, as the SDK expands `dependsOn` on a component), plus a custom
 * parent (a child registers only once its parent exists).
 */

export interface DeployStep {
  urn: string;
  type: string;
  name: string;
  minutes: number;
  /** Minutes after the start of `pulumi up` when this resource can start. */
  startMinute: number;
  basis: string;
}

export interface NeedlessDependency {
  /** The resource that waits. */
  urn: string;
  name: string;
  type: string;
  /** What it waits for through explicit `dependsOn` although none of its inputs come from them, and which delay it. */
  dependsOn: { urn: string; name: string; type: string }[];
  /** How much shorter the whole `pulumi up` would be without these edges. */
  addsMinutes: number;
  /** What the ordering may be for, when the pattern is recognisable. */
  hints: string[];
}

export interface DeployTimeEstimate {
  totalMinutes: number;
  criticalPath: DeployStep[];
  needlessDependencies: NeedlessDependency[];
  resourceCount: number;
  /** Types with no typical duration: a default was used. */
  assumedTypes: string[];
  notes: string[];
}

interface Edge {
  from: string;
  to: string;
  explicit: boolean;
}

interface Graph {
  nodes: PlannedResource[];
  minutes: Map<string, number>;
  basis: Map<string, string>;
  edges: Edge[];
}

function buildGraph(index: PlanIndex): { graph: Graph; assumed: Set<string> } {
  const nodes = index.custom;
  const minutes = new Map<string, number>();
  const basis = new Map<string, string>();
  const assumed = new Set<string>();
  const edges: Edge[] = [];
  for (const resource of nodes) {
    const duration = typicalDuration(resource, index);
    minutes.set(resource.urn, duration.minutes);
    basis.set(resource.urn, duration.basis);
    if (duration.assumed) assumed.add(resource.type);

    const expand = (urns: string[]) =>
      new Set(urns.flatMap((u) => index.customResourcesOf(u).map((r) => r.urn)).filter((u) => u !== resource.urn));
    const data = expand(Object.values(resource.propertyDependencies).flat());
    const all = expand(resource.dependencies);
    const parent = resource.parent ? index.resource(resource.parent) : undefined;
    if (parent?.custom) data.add(parent.urn);
    for (const to of data) edges.push({ from: resource.urn, to, explicit: false });
    for (const to of all) if (!data.has(to)) edges.push({ from: resource.urn, to, explicit: true });
  }
  edges.push(...layerEdges(nodes, index.plan.layers?.map((layer) => layer.project) ?? []));
  return { graph: { nodes, minutes, basis, edges }, assumed };
}

/** The Pulumi project in a URN (`urn:pulumi:<stack>::<project>::...`). */
function projectOf(urn: string): string {
  return urn.split("::")[1] ?? "";
}

/**
 * Layers deploy one after another (the serving `pulumi up` runs once the platform's has finished):
 * every resource of a later layer waits for every resource of the earlier ones.
 */
function layerEdges(nodes: readonly PlannedResource[], order: readonly string[]): Edge[] {
  if (order.length < 2) return [];
  const rank = (urn: string) => order.indexOf(projectOf(urn));
  return nodes.flatMap((node) =>
    nodes
      .filter((earlier) => rank(earlier.urn) >= 0 && rank(earlier.urn) < rank(node.urn))
      .map((earlier) => ({ from: node.urn, to: earlier.urn, explicit: false })),
  );
}

interface Schedule {
  finish: Map<string, number>;
  start: Map<string, number>;
  predecessor: Map<string, string | undefined>;
  total: number;
  cyclic: boolean;
}

/** Longest-path schedule over the DAG (Kahn's order); `skip` leaves edges out. */
function schedule(graph: Graph, skip: Set<Edge> = new Set()): Schedule {
  const dependsOn = new Map<string, string[]>(graph.nodes.map((n) => [n.urn, []]));
  const dependents = new Map<string, string[]>(graph.nodes.map((n) => [n.urn, []]));
  for (const edge of graph.edges) {
    if (skip.has(edge) || !dependsOn.has(edge.to)) continue;
    dependsOn.get(edge.from)?.push(edge.to);
    dependents.get(edge.to)?.push(edge.from);
  }
  const waiting = new Map(graph.nodes.map((n) => [n.urn, dependsOn.get(n.urn)?.length ?? 0]));
  const ready = graph.nodes.filter((n) => waiting.get(n.urn) === 0).map((n) => n.urn);
  const start = new Map<string, number>();
  const finish = new Map<string, number>();
  const predecessor = new Map<string, string | undefined>();
  while (ready.length > 0) {
    const urn = ready.shift() as string;
    let begin = 0;
    let before: string | undefined;
    for (const dep of dependsOn.get(urn) ?? []) {
      const done = finish.get(dep) ?? 0;
      if (before === undefined || done > begin) {
        begin = done;
        before = dep;
      }
    }
    start.set(urn, begin);
    finish.set(urn, begin + (graph.minutes.get(urn) ?? 0));
    predecessor.set(urn, before);
    for (const next of dependents.get(urn) ?? []) {
      const left = (waiting.get(next) ?? 1) - 1;
      waiting.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  const cyclic = finish.size < graph.nodes.length;
  return { finish, start, predecessor, total: Math.max(0, ...finish.values()), cyclic };
}

function criticalPath(graph: Graph, result: Schedule): DeployStep[] {
  const byUrn = new Map(graph.nodes.map((n) => [n.urn, n]));
  let last: string | undefined;
  for (const node of graph.nodes)
    if (last === undefined || (result.finish.get(node.urn) ?? 0) > (result.finish.get(last) ?? 0)) last = node.urn;
  const steps: DeployStep[] = [];
  for (let urn = last; urn !== undefined; urn = result.predecessor.get(urn)) {
    const node = byUrn.get(urn) as PlannedResource;
    steps.unshift({
      urn,
      type: node.type,
      name: node.name,
      minutes: graph.minutes.get(urn) ?? 0,
      startMinute: result.start.get(urn) ?? 0,
      basis: graph.basis.get(urn) ?? "",
    });
  }
  return steps;
}

function hintFor(dependent: PlannedResource, dependency: PlannedResource, index: PlanIndex): string {
  if (dependency.type === "azure-native:authorization:RoleAssignment") {
    const principals = new Set(inputSources(dependency, "principalId"));
    const used = Object.values(dependent.propertyDependencies).flat();
    if (used.some((urn) => principals.has(urn))) {
      return "grants a role to the identity this resource uses: ordering (not data) so the role exists before the service first acts as that identity; keep it if the service checks access at create time";
    }
    return "waits for a role assignment to a principal this resource does not use";
  }
  if (
    dependent.type === "azure-native:network:Subnet" &&
    dependency.type === "azure-native:network:Subnet" &&
    asString(dependent.inputs.virtualNetworkName) === asString(dependency.inputs.virtualNetworkName)
  ) {
    return "serializes subnets of one virtual network (Azure rejects concurrent changes to one network): ordering by design";
  }
  if (
    dependent.type === "azure-native:machinelearningservices:OnlineDeployment" &&
    dependency.type === "azure-native:machinelearningservices:OnlineDeployment" &&
    asString(dependent.inputs.endpointName) === asString(dependency.inputs.endpointName)
  ) {
    return "serializes deployments of one endpoint: keep it if the endpoint rejects concurrent deployment operations, otherwise they could roll out in parallel";
  }
  const sameParent =
    dependent.parent !== null &&
    dependent.parent === dependency.parent &&
    index.resource(dependent.parent)?.custom === false;
  return sameParent
    ? "explicit dependsOn between siblings of one component with no data flowing between them"
    : "explicit dependsOn with no data flowing between the two";
}

const round = (minutes: number) => Math.round(minutes * 10) / 10;
const EPSILON = 0.001;

/**
 * Per resource: the explicit `dependsOn` edges (no input comes through them) that finish after
 * everything its inputs wait for, i.e. that alone delay it, when removing them shortens the
 * whole run. Edges are judged together per resource, as several can tie.
 */
function needlessDependencies(graph: Graph, base: Schedule, index: PlanIndex): NeedlessDependency[] {
  const found: NeedlessDependency[] = [];
  const edgesFrom = new Map<string, Edge[]>();
  for (const edge of graph.edges) edgesFrom.set(edge.from, [...(edgesFrom.get(edge.from) ?? []), edge]);
  for (const resource of graph.nodes) {
    const own = edgesFrom.get(resource.urn) ?? [];
    const dataReady = Math.max(0, ...own.filter((e) => !e.explicit).map((e) => base.finish.get(e.to) ?? 0));
    const delaying = own.filter((e) => e.explicit && (base.finish.get(e.to) ?? 0) > dataReady + EPSILON);
    if (delaying.length === 0) continue;
    const saved = base.total - schedule(graph, new Set(delaying)).total;
    if (saved <= EPSILON) continue;
    const dependencies = delaying.map((e) => index.resource(e.to) as PlannedResource);
    found.push({
      urn: resource.urn,
      name: resource.name,
      type: resource.type,
      dependsOn: dependencies.map((d) => ({ urn: d.urn, name: d.name, type: d.type })),
      addsMinutes: round(saved),
      hints: [...new Set(dependencies.map((d) => hintFor(resource, d, index)))],
    });
  }
  return found.sort((a, b) => b.addsMinutes - a.addsMinutes || a.name.localeCompare(b.name));
}

/** Estimated wall time of a cold `pulumi up`, its critical path, and explicit dependencies that lengthen it. */
export function estimateDeployTime(plan: Plan): DeployTimeEstimate {
  const index = new PlanIndex(plan);
  const { graph, assumed } = buildGraph(index);
  const base = schedule(graph);
  const needless = needlessDependencies(graph, base, index);
  const notes = [
    "Typical create times per type, unlimited parallelism; Azure's own queueing, retries and throttling are not modelled.",
  ];
  if ((plan.layers?.length ?? 0) > 1)
    notes.push(`Layers run one after another: ${(plan.layers ?? []).map((layer) => layer.project).join(", then ")}.`);
  if (base.cyclic) notes.push("The dependency graph has a cycle: resources on it were left out of the estimate.");
  return {
    totalMinutes: round(base.total),
    criticalPath: criticalPath(graph, base).map((s) => ({ ...s, startMinute: round(s.startMinute) })),
    needlessDependencies: needless,
    resourceCount: graph.nodes.length,
    assumedTypes: [...assumed].sort(),
    notes,
  };
}
