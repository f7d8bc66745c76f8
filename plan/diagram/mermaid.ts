import { TYPES } from "secure-azureml-facts";
import { Plan, PlannedResource } from "../contract";
import { PlanIndex, asNumber, asRecord, asString, inputSources, valueAt } from "../planIndex";
import { Flowchart, label } from "./flowchart";
import {
  DATA_SERVICE_TYPES,
  EndpointService,
  LAYERS,
  belongsToWorkspace,
  endpointService,
  endpointZones,
  physicalName,
  principalOf,
  serviceName,
  userAssignedIdentityIds,
} from "./groups";

export { roleName } from "./roles";

/**
 * The architecture diagram: a Mermaid flowchart in four layers a reviewer reads in 30 seconds.
 *
 * - The client VNet, its subnets, and the private endpoints in each subnet grouped per service
 *   (one "Storage PE" node for the blob, file, ... endpoints and their DNS zone groups).
 * - Each workspace with its managed network: compute grouped by kind ("3 compute clusters"),
 *   online and batch endpoints with their deployments in the label.
 * - The data services (storage, Key Vault, container registry, ML registry, monitoring).
 * - The identities: the plan's managed identities and the Entra principals that hold roles.
 *
 * Role assignments are not drawn: `roleRows` (roles.ts) lists them in a table beside the diagram.
 */

/** Lines a grouped node lists before "+N more". */
const MAX_LISTED = 4;
/** Endpoints of one kind drawn one node each; more are grouped into one node. */
const MAX_ENDPOINT_NODES = 3;

const MONITORING_KEY = "#monitoring";

/** The managed network's isolation mode in a few words. */
const OUTBOUND: Record<string, string | undefined> = {
  AllowOnlyApprovedOutbound: "outbound: approved only",
  AllowInternetOutbound: "outbound: internet",
  Disabled: undefined,
};

function listed(lines: string[]): string[] {
  return lines.length <= MAX_LISTED
    ? lines
    : [...lines.slice(0, MAX_LISTED - 1), `+${lines.length - MAX_LISTED + 1} more`];
}

const shortVmSize = (size: string | undefined) => (size ?? "?").replace(/^Standard_/, "");

function computeLine(compute: PlannedResource): string {
  const props = asRecord(valueAt(compute.inputs, "properties.properties")) ?? {};
  const name = asString(compute.inputs.computeName) ?? compute.name;
  const size = shortVmSize(asString(props.vmSize));
  if (asString(valueAt(compute.inputs, "properties.computeType")) !== "AmlCompute") return `${name}: ${size}`;
  const min = asNumber(valueAt(props, "scaleSettings.minNodeCount")) ?? 0;
  const max = asNumber(valueAt(props, "scaleSettings.maxNodeCount")) ?? 0;
  const priority = asString(props.vmPriority) === "LowPriority" ? ", low priority" : "";
  return `${name}: ${size} x${min}-${max}${priority}`;
}

const COMPUTE_KINDS: Partial<Record<string, [string, string]>> = {
  AmlCompute: ["compute cluster", "compute clusters"],
  ComputeInstance: ["compute instance", "compute instances"],
};

function computeKind(compute: PlannedResource): string {
  return asString(valueAt(compute.inputs, "properties.computeType")) ?? "compute";
}

function computeTitle(kind: string, count: number): string {
  const [one, many] = COMPUTE_KINDS[kind] ?? [kind, `${kind} computes`];
  return count === 1 ? one : `${count} ${many}`;
}

class Architecture {
  readonly chart = new Flowchart("LR");
  private readonly index: PlanIndex;
  private dataGroup?: string;
  private identityGroup?: string;

  constructor(plan: Plan) {
    this.index = new PlanIndex(plan);
  }

  private dataLayer(): string {
    this.dataGroup ??= this.chart.subgraph("#layer:data", label(LAYERS.data));
    return this.dataGroup;
  }

  private identityLayer(): string {
    this.identityGroup ??= this.chart.subgraph("#layer:identity", label(LAYERS.identity));
    return this.identityGroup;
  }

  /** The node of a data service; Log Analytics and Application Insights share one monitoring node. */
  dataNode(resource: PlannedResource): string {
    // An Azure Monitor Private Link Scope is how the VNet reaches Log Analytics and App Insights: one node with them.
    const monitoring = [TYPES.logAnalytics, TYPES.appInsights, TYPES.monitorPrivateLinkScope] as string[];
    if (monitoring.includes(resource.type)) {
      const lines = monitoring
        .flatMap((type) => this.index.ofType(type))
        .map(
          (r) =>
            `${physicalName(r)} (${r.type === TYPES.monitorPrivateLinkScope ? "private link scope" : serviceName(r.type)})`,
        );
      return this.chart.node(MONITORING_KEY, label("Monitoring", ...listed(lines)), "cylinder", this.dataLayer());
    }
    return this.chart.node(
      resource.urn,
      label(serviceName(resource.type), physicalName(resource)),
      "cylinder",
      this.dataLayer(),
    );
  }

  identityNode(identity: PlannedResource): string {
    return this.chart.node(
      identity.urn,
      label(physicalName(identity), "managed identity"),
      "stadium",
      this.identityLayer(),
    );
  }

  /** `runs as` edges from a node to the managed identities a resource carries. */
  private runsAs(node: string, resources: PlannedResource[]): void {
    for (const id of resources.flatMap(userAssignedIdentityIds)) {
      const identity = this.index.byAzureId(id);
      if (identity) this.chart.edge(node, this.identityNode(identity), "-.->", "runs as");
    }
  }

  /** Endpoint groups and VNet-injected computes waiting for their subnet subgraph (placed once every layer exists). */
  private readonly pending: (() => void)[] = [];

  /** The VNets with their subnets; private endpoints grouped per service inside their subnet. */
  networks(): void {
    type Group = { service: EndpointService; endpoints: PlannedResource[] };
    const endpointsBySubnet = new Map<string, Map<string, Group>>();
    for (const endpoint of this.index.ofType(TYPES.privateEndpoint)) {
      const subnet = this.index.byAzureId(valueAt(endpoint.inputs, "subnet.id"))?.urn ?? "#outside";
      const service = endpointService(this.index, endpoint);
      const groups = endpointsBySubnet.get(subnet) ?? new Map<string, Group>();
      const group = groups.get(service.key) ?? { service, endpoints: [] };
      group.endpoints.push(endpoint);
      groups.set(service.key, group);
      endpointsBySubnet.set(subnet, groups);
    }
    const injected = this.injectedComputes();
    for (const vnet of this.index.ofType(TYPES.vnet)) {
      const vnetName = asString(vnet.inputs.virtualNetworkName) ?? vnet.name;
      // One short line per subgraph title: Mermaid wraps longer titles over the nodes below them.
      const vnetGroup = this.chart.subgraph(vnet.urn, label(`VNet ${vnetName}`));
      for (const subnet of this.index
        .ofType(TYPES.subnet)
        .filter(
          (s) =>
            asString(s.inputs.virtualNetworkName) === vnetName ||
            inputSources(s, "virtualNetworkName").includes(vnet.urn),
        )) {
        const name = asString(subnet.inputs.subnetName) ?? subnet.name;
        const prefix = asString(subnet.inputs.addressPrefix);
        const groups = [...(endpointsBySubnet.get(subnet.urn)?.values() ?? [])];
        const computes = injected.get(subnet.urn) ?? [];
        endpointsBySubnet.delete(subnet.urn);
        if (groups.length === 0 && computes.length === 0) {
          this.chart.node(subnet.urn, label(name, prefix), "box", vnetGroup);
          continue;
        }
        const subnetGroup = this.chart.subgraph(subnet.urn, label(name), vnetGroup);
        this.pending.push(() => {
          for (const group of groups) this.endpointGroup(group.service, group.endpoints, subnetGroup);
          this.computeGroups(computes, subnetGroup);
        });
      }
    }
    // Endpoints in subnets outside the plan (a hub VNet) or of no VNet drawn above.
    const rest = [...endpointsBySubnet.values()].flatMap((groups) => [...groups.values()]);
    if (rest.length > 0) {
      const outside = this.chart.subgraph("#outside", label("Private endpoints in subnets outside this plan"));
      this.pending.push(() => {
        for (const group of rest) this.endpointGroup(group.service, group.endpoints, outside);
      });
    }
  }

  /** The layers in reading order (VNet, workspace, data, identities), then what waits for them. */
  layers(): void {
    for (const workspace of this.index.ofType(TYPES.mlWorkspace)) this.workspaceGroup(workspace);
    if (this.index.custom.some((r) => DATA_SERVICE_TYPES.has(r.type))) this.dataLayer();
    if (this.index.ofType(TYPES.identity).length + this.index.ofType(TYPES.roleAssignment).length > 0)
      this.identityLayer();
    for (const place of this.pending.splice(0)) place();
  }

  private endpointGroup(service: EndpointService, endpoints: PlannedResource[], parent: string): void {
    const groupIds = [...new Set(endpoints.flatMap((e) => endpointService(this.index, e).groupIds))];
    const zones = new Set(endpoints.flatMap((e) => endpointZones(this.index, e).map((z) => z.toLowerCase())));
    const node = this.chart.node(
      `pe:${service.key}`,
      label(
        `${service.name} PE${endpoints.length > 1 ? ` x${endpoints.length}` : ""}`,
        groupIds.join(", ") || undefined,
        zones.size > 0 ? `${zones.size} DNS zone${zones.size === 1 ? "" : "s"}` : "no DNS zone group",
      ),
      "hexagon",
      parent,
    );
    const target = service.service
      ? service.service.type === TYPES.mlWorkspace
        ? this.workspaceNode(service.service)
        : this.dataNode(service.service)
      : this.chart.node(service.key, label(service.name), "box", this.dataLayer());
    this.chart.edge(node, target, "-.->", "private link");
  }

  /** Computes with a subnet of their own (VNet injection), by subnet URN. */
  private injectedComputes(): Map<string, PlannedResource[]> {
    const bySubnet = new Map<string, PlannedResource[]>();
    for (const compute of this.index.ofType(TYPES.compute)) {
      const subnet = this.index.byAzureId(valueAt(compute.inputs, "properties.properties.subnet.id"));
      if (subnet) bySubnet.set(subnet.urn, [...(bySubnet.get(subnet.urn) ?? []), compute]);
    }
    return bySubnet;
  }

  /** One node per compute kind ("3 compute clusters"), listing each with its size and scale. */
  private computeGroups(computes: PlannedResource[], parent: string): void {
    const byKind = new Map<string, PlannedResource[]>();
    for (const compute of computes)
      byKind.set(computeKind(compute), [...(byKind.get(computeKind(compute)) ?? []), compute]);
    for (const [kind, members] of byKind) {
      const node = this.chart.node(
        `compute:${parent}:${kind}`,
        label(computeTitle(kind, members.length), ...listed(members.map(computeLine))),
        "subroutine",
        parent,
      );
      for (const member of members) this.computeNodes.set(member.urn, node);
      this.runsAs(node, members);
    }
  }

  private readonly computeNodes = new Map<string, string>();

  workspaceNode(workspace: PlannedResource): string {
    const isolation = asString(valueAt(workspace.inputs, "managedNetwork.isolationMode")) ?? "Disabled";
    const fqdnRules = Object.values(asRecord(valueAt(workspace.inputs, "managedNetwork.outboundRules")) ?? {}).filter(
      (rule) => asRecord(rule)?.type === "FQDN",
    ).length;
    const firewall =
      isolation === "AllowOnlyApprovedOutbound" && fqdnRules > 0
        ? `Firewall ${asString(valueAt(workspace.inputs, "managedNetwork.firewallSku")) ?? "Standard"}, ${fqdnRules} FQDN rules`
        : undefined;
    return this.chart.node(
      workspace.urn,
      label(
        `Workspace ${physicalName(workspace)}`,
        asString(workspace.inputs.publicNetworkAccess) === "Disabled" ? "public access off" : undefined,
        OUTBOUND[isolation] ?? `outbound: ${isolation}`,
        firewall,
      ),
      "box",
      this.workspaceGroup(workspace),
    );
  }

  private workspaceGroup(workspace: PlannedResource): string {
    const isolation = asString(valueAt(workspace.inputs, "managedNetwork.isolationMode")) ?? "Disabled";
    return this.chart.subgraph(
      `${workspace.urn}#managed`,
      label(isolation === "Disabled" ? "Workspace (no managed network)" : "Managed network"),
    );
  }

  /** Each workspace: its managed network with compute and endpoints, what it uses, what it runs as. */
  workspaces(): void {
    const injected = new Set([...this.injectedComputes().values()].flat().map((c) => c.urn));
    for (const workspace of this.index.ofType(TYPES.mlWorkspace)) {
      const group = this.workspaceGroup(workspace);
      const node = this.workspaceNode(workspace);
      this.runsAs(node, [workspace]);
      const mine = (type: string) => this.index.ofType(type).filter((r) => belongsToWorkspace(r, workspace));
      this.computeGroups(
        mine(TYPES.compute).filter((c) => !injected.has(c.urn)),
        group,
      );
      this.endpoints(mine(TYPES.onlineEndpoint), TYPES.onlineDeployment, "online endpoint", group);
      this.endpoints(mine(TYPES.batchEndpoint), TYPES.batchDeployment, "batch endpoint", group);
      for (const key of ["storageAccount", "keyVault", "containerRegistry", "applicationInsights"]) {
        const used = this.index.byAzureId(workspace.inputs[key]);
        if (used) this.chart.edge(node, this.dataNode(used), "-->", "uses");
      }
    }
  }

  private deploymentLine(deployment: PlannedResource, traffic: Record<string, unknown>): string {
    const name = asString(deployment.inputs.deploymentName) ?? deployment.name;
    const share = asNumber(traffic[name]);
    const instanceType = asString(valueAt(deployment.inputs, "properties.instanceType"));
    if (instanceType) {
      const count = asNumber(valueAt(deployment.inputs, "sku.capacity")) ?? 1;
      return `${name}${share !== undefined ? ` ${share}%` : ""}: ${shortVmSize(instanceType)} x${count}`;
    }
    const compute = asString(valueAt(deployment.inputs, "properties.compute"));
    return compute ? `${name} on ${compute.split("/").pop() ?? compute}` : name;
  }

  private endpoints(endpoints: PlannedResource[], deploymentType: string, kind: string, parent: string): void {
    const deploymentsOf = (endpoint: PlannedResource) => {
      const name = asString(endpoint.inputs.endpointName);
      return this.index
        .ofType(deploymentType)
        .filter(
          (d) =>
            inputSources(d, "endpointName").includes(endpoint.urn) ||
            (name !== undefined && asString(d.inputs.endpointName) === name),
        );
    };
    const endpointName = (e: PlannedResource) => asString(e.inputs.endpointName) ?? e.name;
    if (endpoints.length > MAX_ENDPOINT_NODES) {
      const node = this.chart.node(
        `${parent}:${kind}`,
        label(`${endpoints.length} ${kind}s`, ...listed(endpoints.map(endpointName))),
        "subroutine",
        parent,
      );
      this.runsAs(node, endpoints);
      return;
    }
    for (const endpoint of endpoints) {
      const traffic = asRecord(valueAt(endpoint.inputs, "properties.traffic")) ?? {};
      const deployments = deploymentsOf(endpoint);
      const node = this.chart.node(
        endpoint.urn,
        label(`${kind} ${endpointName(endpoint)}`, ...listed(deployments.map((d) => this.deploymentLine(d, traffic)))),
        "subroutine",
        parent,
      );
      // No edge to the cluster a batch deployment runs on: its line names it ("score on cpu"), and an edge
      // inside the managed network makes Mermaid's layout push the VNet under it, across every private link.
      this.runsAs(node, [endpoint]);
    }
  }

  /** Data services nobody linked to yet, and every identity and Entra principal that holds a role. */
  remaining(): void {
    for (const resource of this.index.custom.filter((r) => DATA_SERVICE_TYPES.has(r.type))) this.dataNode(resource);
    for (const identity of this.index.ofType(TYPES.identity)) this.identityNode(identity);
    for (const assignment of this.index.ofType(TYPES.roleAssignment)) {
      const principal = principalOf(this.index, assignment);
      if (principal.identity) continue;
      this.chart.node(principal.key, label(principal.name, principal.kind), "parallelogram", this.identityLayer());
    }
  }
}

/** The architecture diagram and the number of nodes it draws. */
export function renderArchitecture(plan: Plan): { text: string; nodeCount: number } {
  const architecture = new Architecture(plan);
  architecture.networks();
  architecture.layers();
  architecture.workspaces();
  architecture.remaining();
  return { text: architecture.chart.toString(), nodeCount: architecture.chart.nodeCount };
}

/** The environment as a Mermaid `flowchart` (without the surrounding code fence). */
export function renderMermaid(plan: Plan): string {
  return renderArchitecture(plan).text;
}
