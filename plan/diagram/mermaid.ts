import { BUILT_IN_ROLES, TYPES } from "secure-azureml-facts";
import { Plan, PlannedResource } from "../contract";
import { PlanIndex, asNumber, asRecord, asString, inputSources, valueAt } from "../planIndex";

/**
 * A Mermaid flowchart of the environment: virtual networks with their subnets, private
 * endpoints wired to their subnet and target (labelled with the group id) and to their DNS
 * zones, the workspace and what it uses, its managed network with compute clusters, compute
 * instances and online endpoints with their deployments, and every identity (managed or Entra
 * group/user) with its role assignments as edges labelled with the role names.
 */

const T = {
  vnet: TYPES.vnet,
  subnet: TYPES.subnet,
  privateEndpoint: TYPES.privateEndpoint,
  zoneGroup: TYPES.zoneGroup,
  zone: TYPES.zone,
  identity: TYPES.identity,
  roleAssignment: TYPES.roleAssignment,
  workspace: TYPES.mlWorkspace,
  compute: TYPES.compute,
  endpoint: TYPES.onlineEndpoint,
  deployment: TYPES.onlineDeployment,
  appInsights: TYPES.appInsights,
  resourceGroup: TYPES.resourceGroup,
} as const;

const ROLE_NAMES = new Map<string, string>(Object.entries(BUILT_IN_ROLES).map(([name, id]) => [id, name]));

/** The built-in role's name from a role definition id (full ARM id or bare GUID); the GUID's start when unknown. */
export function roleName(roleDefinitionId: unknown): string {
  const guid = (asString(roleDefinitionId) ?? "").split("/").pop() ?? "";
  return ROLE_NAMES.get(guid.toLowerCase()) ?? `role ${guid.slice(0, 8)}`;
}

/** Mermaid-safe label text inside double quotes. */
function label(...lines: (string | undefined)[]): string {
  return `"${lines
    .filter((l): l is string => !!l)
    .map((l) => l.replace(/"/g, "#quot;").replace(/[<>]/g, ""))
    .join("<br/>")}"`;
}

/** The ARM name at the end of an id. */
const lastSegment = (id: string) => id.split("/").filter(Boolean).pop() ?? id;

class Diagram {
  private readonly ids = new Map<string, string>();
  private readonly declared = new Set<string>();
  private readonly lines: string[] = [];
  private readonly edges = new Set<string>();

  /** A stable node id for a key (URN, principal id, external ARM id). */
  id(key: string, prefix = "n"): string {
    let id = this.ids.get(key);
    if (!id) {
      id = `${prefix}${this.ids.size + 1}`;
      this.ids.set(key, id);
    }
    return id;
  }

  isDeclared(key: string): boolean {
    return this.declared.has(key);
  }

  node(key: string, shape: (text: string) => string, text: string, indent = "  "): string {
    const id = this.id(key);
    if (!this.declared.has(key)) {
      this.declared.add(key);
      this.lines.push(`${indent}${id}${shape(text)}`);
    }
    return id;
  }

  raw(line: string): void {
    this.lines.push(line);
  }

  edge(from: string, to: string, arrow: "-->" | "-.->" | "---", text?: string): void {
    const line = `  ${from} ${arrow}${text ? `|${label(text)}|` : ""} ${to}`;
    if (!this.edges.has(line)) this.edges.add(line);
  }

  toString(): string {
    return ["flowchart LR", ...this.lines, ...this.edges].join("\n");
  }
}

const box = (t: string) => `[${t}]`;
const hexagon = (t: string) => `{{${t}}}`;
const stadium = (t: string) => `([${t}])`;
const subroutine = (t: string) => `[[${t}]]`;
const parallelogram = (t: string) => `[/${t}/]`;
const cylinder = (t: string) => `[(${t})]`;

const DATA_TYPES = new Set<string>([TYPES.storage, TYPES.vault, TYPES.registry, TYPES.logAnalytics]);

function resourceText(resource: PlannedResource): string {
  const physical = asString(resource.outputs.name) ?? resource.name;
  return label(physical, resource.type.split(":").pop());
}

/** Declares a plan resource as a node (any type), with a shape by kind. */
function resourceNode(diagram: Diagram, resource: PlannedResource): string {
  const shape = resource.type === T.identity ? stadium : DATA_TYPES.has(resource.type) ? cylinder : box;
  return diagram.node(resource.urn, shape, resourceText(resource));
}

function networks(diagram: Diagram, index: PlanIndex): void {
  for (const vnet of index.ofType(T.vnet)) {
    const vnetName = asString(vnet.inputs.virtualNetworkName);
    const space = ((valueAt(vnet.inputs, "addressSpace.addressPrefixes") as string[] | undefined) ?? []).join(", ");
    diagram.raw(`  subgraph ${diagram.id(`${vnet.urn}#group`, "g")}[${label(`VNet ${vnetName ?? vnet.name}`, space)}]`);
    for (const subnet of index
      .ofType(T.subnet)
      .filter(
        (s) =>
          asString(s.inputs.virtualNetworkName) === vnetName ||
          inputSources(s, "virtualNetworkName").includes(vnet.urn),
      )) {
      diagram.node(
        subnet.urn,
        box,
        label(asString(subnet.inputs.subnetName) ?? subnet.name, asString(subnet.inputs.addressPrefix)),
        "    ",
      );
    }
    diagram.raw("  end");
  }
}

function target(diagram: Diagram, index: PlanIndex, armId: string): string {
  const resource = index.byAzureId(armId);
  if (resource) return resourceNode(diagram, resource);
  return diagram.node(`external:${armId.toLowerCase()}`, box, label(lastSegment(armId), "outside this plan"));
}

function privateEndpoints(diagram: Diagram, index: PlanIndex): void {
  for (const endpoint of index.ofType(T.privateEndpoint)) {
    const node = diagram.node(
      endpoint.urn,
      hexagon,
      label(asString(endpoint.inputs.privateEndpointName) ?? endpoint.name, "private endpoint"),
    );
    const subnet = index.byAzureId(valueAt(endpoint.inputs, "subnet.id"));
    if (subnet) diagram.edge(resourceNode(diagram, subnet), node, "---");
    for (const connection of (endpoint.inputs.privateLinkServiceConnections as unknown[] | undefined) ?? []) {
      const targetId = asString(asRecord(connection)?.privateLinkServiceId);
      const groups = ((asRecord(connection)?.groupIds as string[] | undefined) ?? []).join(", ");
      if (targetId) diagram.edge(node, target(diagram, index, targetId), "-->", groups || undefined);
    }
    const endpointName = asString(endpoint.inputs.privateEndpointName);
    for (const group of index
      .ofType(T.zoneGroup)
      .filter((g) => asString(g.inputs.privateEndpointName) === endpointName)) {
      for (const config of (group.inputs.privateDnsZoneConfigs as unknown[] | undefined) ?? []) {
        const zoneId = asString(asRecord(config)?.privateDnsZoneId);
        if (zoneId) diagram.edge(node, target(diagram, index, zoneId), "-.->", "dns");
      }
    }
  }
}

function dnsZones(diagram: Diagram, index: PlanIndex): void {
  const zones = index.ofType(T.zone);
  if (zones.length === 0) return;
  diagram.raw(`  subgraph ${diagram.id("#dns", "g")}[${label("Private DNS zones")}]`);
  for (const zone of zones)
    diagram.node(zone.urn, box, label(asString(zone.inputs.privateZoneName) ?? zone.name), "    ");
  diagram.raw("  end");
}

function computeText(compute: PlannedResource): string {
  const props = asRecord(valueAt(compute.inputs, "properties.properties")) ?? {};
  const kind = asString(valueAt(compute.inputs, "properties.computeType")) ?? "compute";
  const name = asString(compute.inputs.computeName) ?? compute.name;
  if (kind === "AmlCompute") {
    const min = asNumber(valueAt(props, "scaleSettings.minNodeCount")) ?? 0;
    const max = asNumber(valueAt(props, "scaleSettings.maxNodeCount")) ?? 0;
    return label(
      `cluster ${name}`,
      `${asString(props.vmSize) ?? "?"} x${min}-${max} ${asString(props.vmPriority) ?? "Dedicated"}`,
    );
  }
  if (kind === "ComputeInstance") return label(`instance ${name}`, asString(props.vmSize));
  return label(name, kind);
}

function workspaceNetwork(diagram: Diagram, index: PlanIndex, workspace: PlannedResource): void {
  const workspaceName = asString(workspace.inputs.workspaceName);
  const belongs = (r: PlannedResource) =>
    asString(r.inputs.workspaceName) === workspaceName || inputSources(r, "workspaceName").includes(workspace.urn);
  const computes = index.ofType(T.compute).filter(belongs);
  const endpoints = index.ofType(T.endpoint).filter(belongs);
  const isolation = asString(valueAt(workspace.inputs, "managedNetwork.isolationMode")) ?? "Disabled";
  const fqdnRules = Object.values(asRecord(valueAt(workspace.inputs, "managedNetwork.outboundRules")) ?? {}).filter(
    (r) => asRecord(r)?.type === "FQDN",
  ).length;
  const firewall =
    isolation === "AllowOnlyApprovedOutbound" && fqdnRules > 0
      ? `Azure Firewall ${asString(valueAt(workspace.inputs, "managedNetwork.firewallSku")) ?? "Standard"}: ${fqdnRules} FQDN rules`
      : undefined;
  const managedText = label(
    `managed network of ${asString(workspace.inputs.workspaceName) ?? workspace.name}`,
    isolation,
    firewall,
  );
  const inManagedNetwork =
    isolation === "Disabled" ? [] : computes.filter((c) => !valueAt(c.inputs, "properties.properties.subnet.id"));
  const members = [...inManagedNetwork, ...(isolation === "Disabled" ? [] : endpoints)];
  if (members.length > 0) {
    // Computes without a subnet of their own and online endpoints run in the workspace's managed network.
    diagram.raw(`  subgraph ${diagram.id(`${workspace.urn}#managed`, "g")}[${managedText}]`);
    for (const compute of inManagedNetwork) diagram.node(compute.urn, subroutine, computeText(compute), "    ");
    for (const endpoint of endpoints)
      diagram.node(
        endpoint.urn,
        subroutine,
        label(`endpoint ${asString(endpoint.inputs.endpointName) ?? endpoint.name}`),
        "    ",
      );
    diagram.raw("  end");
  }
  const workspaceNode = resourceNode(diagram, workspace);
  if (isolation !== "Disabled" && members.length === 0)
    diagram.edge(workspaceNode, diagram.node(`${workspace.urn}#managed`, hexagon, managedText), "---");
  for (const key of ["storageAccount", "keyVault", "containerRegistry", "applicationInsights"]) {
    const used = index.byAzureId(workspace.inputs[key]);
    if (used) diagram.edge(workspaceNode, resourceNode(diagram, used), "-.->", "uses");
  }
  for (const compute of computes) {
    const node = diagram.node(compute.urn, subroutine, computeText(compute));
    diagram.edge(workspaceNode, node, "-->", "compute");
    const subnet = index.byAzureId(valueAt(compute.inputs, "properties.properties.subnet.id"));
    if (subnet) diagram.edge(resourceNode(diagram, subnet), node, "---");
    runsAs(diagram, index, compute, node);
  }
  for (const endpoint of endpoints) onlineEndpoint(diagram, index, endpoint, workspaceNode);
}

/** `runs as` edges to the user-assigned identities a resource carries. */
function runsAs(diagram: Diagram, index: PlanIndex, resource: PlannedResource, node: string): void {
  const identities = valueAt(resource.inputs, "identity.userAssignedIdentities");
  const ids = Array.isArray(identities) ? identities : Object.keys(asRecord(identities) ?? {});
  for (const id of ids) {
    const identity = index.byAzureId(id);
    if (identity) diagram.edge(node, resourceNode(diagram, identity), "-.->", "runs as");
  }
}

function onlineEndpoint(diagram: Diagram, index: PlanIndex, endpoint: PlannedResource, workspaceNode: string): void {
  const node = diagram.node(
    endpoint.urn,
    subroutine,
    label(`endpoint ${asString(endpoint.inputs.endpointName) ?? endpoint.name}`),
  );
  diagram.edge(workspaceNode, node, "-->", "endpoint");
  runsAs(diagram, index, endpoint, node);
  const endpointName = asString(endpoint.inputs.endpointName);
  const traffic = asRecord(valueAt(endpoint.inputs, "properties.traffic")) ?? {};
  for (const deployment of index
    .ofType(T.deployment)
    .filter(
      (d) => asString(d.inputs.endpointName) === endpointName || inputSources(d, "endpointName").includes(endpoint.urn),
    )) {
    const deploymentName = asString(deployment.inputs.deploymentName) ?? deployment.name;
    const count = asNumber(valueAt(deployment.inputs, "sku.capacity")) ?? 1;
    const deploymentNode = diagram.node(
      deployment.urn,
      subroutine,
      label(
        `deployment ${deploymentName}`,
        `${asString(valueAt(deployment.inputs, "properties.instanceType")) ?? "?"} x${count}`,
      ),
    );
    const share = asNumber(traffic[deploymentName]);
    diagram.edge(node, deploymentNode, "-->", share !== undefined ? `${share}% traffic` : undefined);
  }
}

function principalNode(diagram: Diagram, index: PlanIndex, assignment: PlannedResource): string {
  const identityUrn = inputSources(assignment, "principalId").find((urn) => index.resource(urn)?.type === T.identity);
  const principalId = asString(assignment.inputs.principalId) ?? "unknown";
  const identity = identityUrn
    ? index.resource(identityUrn)
    : index.ofType(T.identity).find((i) => i.outputs.principalId === principalId);
  if (identity) return resourceNode(diagram, identity);
  const kind = asString(assignment.inputs.principalType) ?? "principal";
  return diagram.node(
    `principal:${principalId}`,
    parallelogram,
    label(`${kind} ${principalId.slice(0, 8)}`, "Entra ID"),
  );
}

function scopeNode(diagram: Diagram, index: PlanIndex, scope: string): string {
  const resource = index.byAzureId(scope);
  if (resource) return resourceNode(diagram, resource);
  const group = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)$/i.exec(scope)?.[1];
  const rg = group
    ? index
        .ofType(T.resourceGroup)
        .find((r) => asString(r.inputs.resourceGroupName)?.toLowerCase() === group.toLowerCase())
    : undefined;
  if (rg) return resourceNode(diagram, rg);
  return target(diagram, index, scope);
}

/** One edge per principal and scope, labelled with every role the principal holds there. */
function roleEdges(diagram: Diagram, index: PlanIndex): void {
  const grouped = new Map<string, { from: string; to: string; roles: string[] }>();
  for (const assignment of index.ofType(T.roleAssignment)) {
    const from = principalNode(diagram, index, assignment);
    const to = scopeNode(diagram, index, asString(assignment.inputs.scope) ?? "unknown scope");
    const key = `${from}->${to}`;
    const entry = grouped.get(key) ?? { from, to, roles: [] };
    entry.roles.push(roleName(assignment.inputs.roleDefinitionId));
    grouped.set(key, entry);
  }
  for (const { from, to, roles } of grouped.values())
    diagram.edge(from, to, "-->", [...new Set(roles)].sort().join(", "));
}

/** The environment as a Mermaid `flowchart` (without the surrounding code fence). */
export function renderMermaid(plan: Plan): string {
  const index = new PlanIndex(plan);
  const diagram = new Diagram();
  networks(diagram, index);
  dnsZones(diagram, index);
  for (const workspace of index.ofType(T.workspace)) workspaceNetwork(diagram, index, workspace);
  privateEndpoints(diagram, index);
  for (const identity of index.ofType(T.identity)) resourceNode(diagram, identity);
  roleEdges(diagram, index);
  for (const appInsights of index.ofType(T.appInsights)) {
    const logs = index.byAzureId(appInsights.inputs.workspaceResourceId);
    if (logs) diagram.edge(resourceNode(diagram, appInsights), resourceNode(diagram, logs), "-.->", "logs to");
  }
  return diagram.toString();
}
