import { PERSONA_ROLE_REQUIREMENTS } from "secure-azureml-facts";
import { beforeAll, describe, expect, it } from "vitest";
import { renderArchitecture, roleName } from "../../plan/diagram/mermaid";
import { roleRows } from "../../plan/diagram/roles";
import { Plan } from "../../plan/contract";
import { ROLE, RG, armId, environment, roleId } from "./costPlanFixtures";

/** The node id of the node whose label starts with `text`. */
function nodeId(diagram: string, text: string): string {
  const match = new RegExp(
    `^\\s*(n\\d+)(?:\\[\\(|\\(\\[|\\{\\{|\\[\\[|\\[/|\\[|\\()"${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:<br/>|")`,
    "m",
  ).exec(diagram);
  if (!match) throw new Error(`no node labelled ${text} in:\n${diagram}`);
  return match[1];
}

/** The labels of edges from one node to another (`""` for an unlabelled edge). */
function edges(diagram: string, from: string, to: string): string[] {
  const pattern = new RegExp(`^\\s*${from} (?:-->|-\\.->|---)(?:\\|"([^"]*)"\\|)? ${to}$`, "gm");
  return [...diagram.matchAll(pattern)].map((m) => m.at(1) ?? "");
}

/** The lines directly inside the subgraph whose label starts with `title` (nested subgraphs included). */
function subgraphBody(diagram: string, title: string): string {
  const lines = diagram.split("\n");
  const start = lines.findIndex((l) => l.trim().startsWith("subgraph ") && l.includes(`["${title}`));
  if (start < 0) throw new Error(`no subgraph ${title} in:\n${diagram}`);
  const indent = lines[start].search(/\S/);
  const end = lines.findIndex((l, i) => i > start && l.trim() === "end" && l.search(/\S/) === indent);
  return lines.slice(start + 1, end).join("\n");
}

const GROUP = "7d3e1a52-3c4b-4f0e-9a61-0b5c2d8e4f11";

function fixturePlan(): Plan {
  const { builder, r } = environment({ clusters: 2, deployments: 1 });
  // A second storage endpoint (file) with its own zone: drawn in the same "Storage PE" node.
  const fileZone = builder.add(
    "azure-native:privatedns:PrivateZone",
    "env-dns-file",
    { resourceGroupName: RG, location: "global", privateZoneName: "privatelink.file.core.windows.net" },
    { outputs: { id: armId("Microsoft.Network/privateDnsZones", "privatelink.file.core.windows.net") } },
  );
  const filePe = builder.add(
    "azure-native:network:PrivateEndpoint",
    "env-pe-file",
    {
      resourceGroupName: RG,
      privateEndpointName: "pe-file",
      subnet: { id: r.subnet.outputs.id },
      privateLinkServiceConnections: [{ groupIds: ["file"], privateLinkServiceId: r.storage.outputs.id }],
    },
    {
      inputsFrom: { subnet: [r.subnet] },
      outputs: { id: armId("Microsoft.Network/privateEndpoints", "pe-file") },
    },
  );
  builder.add(
    "azure-native:network:PrivateDnsZoneGroup",
    "env-pe-file-dns",
    {
      resourceGroupName: RG,
      privateEndpointName: "pe-file",
      privateDnsZoneGroupName: "default",
      privateDnsZoneConfigs: [{ name: "file", privateDnsZoneId: fileZone.outputs.id }],
    },
    { inputsFrom: { privateEndpointName: [filePe] } },
  );
  // An Entra group with a role on the workspace (no description: the why is derived), and a second role for the identity.
  builder.add(
    "azure-native:authorization:RoleAssignment",
    `ra-data-scientists-${GROUP}-azureml-data-scientist`,
    {
      principalId: GROUP,
      principalType: "Group",
      roleDefinitionId: roleId(ROLE.dataScientist),
      scope: r.workspace.outputs.id,
    },
    { inputsFrom: { scope: [r.workspace] } },
  );
  builder.add(
    "azure-native:authorization:RoleAssignment",
    "ra-workspace-blob-reader",
    {
      principalId: r.identity.outputs.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: roleId(ROLE.blobReader),
      scope: r.storage.outputs.id,
      description: "Reads blobs.",
    },
    { inputsFrom: { principalId: [r.identity], scope: [r.storage] } },
  );
  // A private endpoint to a resource outside the plan, and a name with a quote in it.
  builder.add(
    "azure-native:network:PrivateEndpoint",
    "pe-hub",
    {
      resourceGroupName: RG,
      privateEndpointName: 'pe-"hub"',
      subnet: { id: r.subnet.outputs.id },
      privateLinkServiceConnections: [
        { groupIds: ["sqlServer"], privateLinkServiceId: armId("Microsoft.Sql/servers", 'sql-"hub"', "rg-hub") },
      ],
    },
    { inputsFrom: { subnet: [r.subnet] } },
  );
  return builder.build();
}

describe("the architecture diagram", () => {
  let plan: Plan;
  let diagram: string;
  let nodeCount: number;

  beforeAll(() => {
    plan = fixturePlan();
    ({ text: diagram, nodeCount } = renderArchitecture(plan));
  });

  it("is a left-to-right flowchart in layers: VNet, managed network, data services, identities", () => {
    // Frontmatter widens label wrapping; then the chart.
    expect(diagram.startsWith("---\nconfig:\n  flowchart:\n    wrappingWidth: 300\n---\nflowchart LR\n")).toBe(true);
    // Subgraph titles are one short line each (Mermaid wraps longer ones over the nodes).
    const titles = [...diagram.matchAll(/^\s*subgraph \w+\["([^"]+)"\]/gm)].map((m) => m[1]);
    expect(titles).toEqual(["VNet vnet-test", "snet-pe", "Managed network", "Data services", "Identities"]);
  });

  it("draws the private endpoints of one service as one node inside their subnet, linked to the service", () => {
    const subnet = subgraphBody(diagram, "snet-pe");
    expect(subnet).toContain('{{"Storage PE x2<br/>blob, file<br/>2 DNS zones"}}');
    const storage = nodeId(diagram, "Storage");
    expect(edges(diagram, nodeId(diagram, "Storage PE x2"), storage)).toEqual(["private link"]);
    // No node per endpoint or per DNS zone.
    expect(diagram).not.toContain("pe-blob");
    expect(diagram).not.toContain("privatelink.blob.core.windows.net");
    // A target outside the plan is a group of its own, named by its ARM id, quotes escaped.
    expect(subnet).toContain('{{"sql-#quot;hub#quot; (outside this plan) PE<br/>sqlServer<br/>no DNS zone group"}}');
  });

  it("puts the workspace, compute grouped by kind and endpoints in the managed network", () => {
    const managed = subgraphBody(diagram, "Managed network");
    expect(managed).toContain('["Workspace mlw-test<br/>outbound: approved only<br/>Firewall Standard, 2 FQDN rules"]');
    expect(managed).toContain('[["2 compute clusters<br/>cpu-0: D4s_v3 x1-4<br/>cpu-1: D4s_v3 x1-4"]]');
    expect(managed).toContain('[["online endpoint score-0<br/>blue 100%: D4s_v3 x1"]]');
    const workspace = nodeId(diagram, "Workspace mlw-test");
    for (const service of ["Storage", "Key Vault", "Container registry", "Monitoring"])
      expect(edges(diagram, workspace, nodeId(diagram, service))).toEqual(["uses"]);
    expect(edges(diagram, nodeId(diagram, "2 compute clusters"), nodeId(diagram, "id-workspace"))).toEqual(["runs as"]);
  });

  it("draws the data services and identities as nodes, and no role as an edge", () => {
    const data = subgraphBody(diagram, "Data services");
    expect(data).toContain('[("Storage<br/>sttest")]');
    expect(data).toContain('[("Monitoring<br/>log-test (Log Analytics)<br/>appi-test (App Insights)")]');
    const identities = subgraphBody(diagram, "Identities");
    expect(identities).toContain('(["id-workspace<br/>managed identity"])');
    expect(identities).toContain('[/"data-scientists<br/>Entra group 7d3e1a52"/]');
    const labels = [...diagram.matchAll(/\|"([^"]+)"\|/g)].map((m) => m[1]);
    expect([...new Set(labels)].sort()).toEqual(["private link", "runs as", "uses"]);
  });

  it("declares every node once, uses only declared nodes in edges, and counts its nodes", () => {
    const declared = [...diagram.matchAll(/^\s*(n\d+)[[({]/gm)].map((m) => m[1]);
    expect(new Set(declared).size).toBe(declared.length);
    expect(nodeCount).toBe(declared.length);
    const used = [...diagram.matchAll(/^\s*(n\d+) (?:-->|-\.->|---)(?:\|"[^"]*"\|)? (n\d+)$/gm)].flatMap((m) => [
      m[1],
      m[2],
    ]);
    for (const id of used) expect(declared).toContain(id);
  });
});

describe("the role table", () => {
  it("lists every assignment: principal, role name, scope and why, managed identities first", () => {
    expect(roleRows(fixturePlan())).toEqual([
      {
        principal: "id-workspace (managed identity)",
        role: "AcrPull",
        scope: "crtest (container registry)",
        why: "AcrPull on crtest (container registry) (no documented requirement or description)",
      },
      {
        principal: "id-workspace (managed identity)",
        role: "Storage Blob Data Reader",
        scope: "sttest (storage account)",
        why: "Reads blobs.",
      },
      {
        principal: "data-scientists (Entra group 7d3e1a52)",
        role: "AzureML Data Scientist",
        scope: "mlw-test (workspace)",
        // The facts catalogue's documented requirement of the persona, matched by role and kind of scope.
        why: PERSONA_ROLE_REQUIREMENTS.dataScientists["azureml-data-scientist"].reason,
      },
    ]);
  });

  it("names built-in roles from a role definition id and falls back to the GUID for others", () => {
    expect(roleName(roleId(ROLE.acrPull))).toBe("AcrPull");
    expect(roleName("F6C7C914-8DB3-469D-8CA1-694A8F32E121")).toBe("AzureML Data Scientist");
    expect(roleName(roleId("12345678-aaaa-bbbb-cccc-123456789012"))).toBe("role 12345678");
  });
});

describe("the managed network without members", () => {
  it("still draws the managed network subgraph with the workspace in it", () => {
    const { text } = renderArchitecture(environment().builder.build());
    expect(subgraphBody(text, "Managed network")).toContain('["Workspace mlw-test<br/>outbound: approved only');
  });
});
