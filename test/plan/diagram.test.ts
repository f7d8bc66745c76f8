import { beforeAll, describe, expect, it } from "vitest";
import { renderMermaid, roleName } from "../../plan/diagram/mermaid";
import { ROLE, RG, armId, environment, roleId } from "./costPlanFixtures";

/** The node id Mermaid uses for the node whose label starts with `text`. */
function nodeId(diagram: string, text: string): string {
  const match = new RegExp(
    `^\\s*(\\w+)(?:\\[\\(|\\(\\[|\\{\\{|\\[\\[|\\[/|\\[)"${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:<br/>|")`,
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

describe("renderMermaid", () => {
  let diagram: string;

  beforeAll(() => {
    const { builder, r } = environment({ clusters: 1, deployments: 1 });
    // An Entra group with a role on the workspace, and an endpoint identity with two roles on the registry.
    builder.add(
      "azure-native:authorization:RoleAssignment",
      "ra-scientists",
      {
        principalId: "7d3e1a52-3c4b-4f0e-9a61-0b5c2d8e4f11",
        principalType: "Group",
        roleDefinitionId: roleId(ROLE.dataScientist),
        scope: r.workspace.outputs.id,
      },
      { inputsFrom: { scope: [r.workspace] } },
    );
    builder.add(
      "azure-native:authorization:RoleAssignment",
      "ra-workspace-reader",
      {
        principalId: r.identity.outputs.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: roleId(ROLE.blobReader),
        scope: r.registry.outputs.id,
      },
      { inputsFrom: { principalId: [r.identity], scope: [r.registry] } },
    );
    // A private endpoint to a resource outside the plan, and a label with a quote in it.
    builder.add(
      "azure-native:network:PrivateEndpoint",
      "pe-hub",
      {
        resourceGroupName: RG,
        privateEndpointName: 'pe-"hub"',
        subnet: { id: r.subnet.outputs.id },
        privateLinkServiceConnections: [
          { groupIds: ["sqlServer"], privateLinkServiceId: armId("Microsoft.Sql/servers", "sql-hub", "rg-hub") },
        ],
      },
      { inputsFrom: { subnet: [r.subnet] } },
    );
    diagram = renderMermaid(builder.build());
  });

  it("is a left-to-right flowchart with the virtual network as a subgraph holding its subnets", () => {
    expect(diagram.startsWith("flowchart LR\n")).toBe(true);
    const subgraph = /subgraph \w+\["VNet vnet-test<br\/>10\.0\.0\.0\/16"\]\n([\s\S]*?)\n\s*end/.exec(diagram);
    expect(subgraph?.[1]).toContain('["snet-pe<br/>10.0.0.0/24"]');
  });

  it("wires each private endpoint to its subnet, its target (labelled with the group id) and its DNS zone", () => {
    const pe = nodeId(diagram, "pe-blob");
    expect(edges(diagram, nodeId(diagram, "snet-pe"), pe)).toEqual([""]);
    expect(edges(diagram, pe, nodeId(diagram, "sttest"))).toEqual(["blob"]);
    expect(edges(diagram, pe, nodeId(diagram, "privatelink.blob.core.windows.net"))).toEqual(["dns"]);
    // A target outside the plan still appears, named by its ARM id.
    const hub = nodeId(diagram, "pe-#quot;hub#quot;");
    expect(edges(diagram, hub, nodeId(diagram, "sql-hub"))).toEqual(["sqlServer"]);
    expect(diagram).toContain('"sql-hub<br/>outside this plan"');
  });

  it("draws one edge per principal and scope, labelled with the role names from the role ids", () => {
    const identity = nodeId(diagram, "id-workspace");
    expect(diagram).toMatch(new RegExp(`${identity}\\(\\["id-workspace<br/>UserAssignedIdentity"\\]\\)`));
    expect(edges(diagram, identity, nodeId(diagram, "crtest"))).toEqual(["AcrPull, Storage Blob Data Reader"]);
    const group = nodeId(diagram, "Group 7d3e1a52");
    expect(edges(diagram, group, nodeId(diagram, "mlw-test"))).toEqual(["AzureML Data Scientist"]);
  });

  it("puts compute clusters and online endpoints in the workspace's managed network, with deployments and identities", () => {
    const managed =
      /subgraph \w+\["managed network of mlw-test<br\/>AllowOnlyApprovedOutbound<br\/>Azure Firewall Standard: 2 FQDN rules"\]\n([\s\S]*?)\n\s*end/.exec(
        diagram,
      );
    expect(managed?.[1]).toContain('[["cluster cpu-0<br/>Standard_D4s_v3 x1-4 Dedicated"]]');
    expect(managed?.[1]).toContain('[["endpoint score-0"]]');
    const workspace = nodeId(diagram, "mlw-test");
    const cluster = nodeId(diagram, "cluster cpu-0");
    expect(edges(diagram, workspace, cluster)).toEqual(["compute"]);
    expect(edges(diagram, cluster, nodeId(diagram, "id-workspace"))).toEqual(["runs as"]);
    const endpoint = nodeId(diagram, "endpoint score-0");
    expect(edges(diagram, endpoint, nodeId(diagram, "deployment blue"))).toEqual(["100% traffic"]);
    expect(diagram).toContain('[["deployment blue<br/>Standard_D4s_v3 x1"]]');
    expect(edges(diagram, workspace, nodeId(diagram, "kv-test"))).toEqual(["uses"]);
  });

  it("declares every node once and only uses declared nodes in edges", () => {
    const declared = [...diagram.matchAll(/^\s*(n\d+)[[({]/gm)].map((m) => m[1]);
    expect(new Set(declared).size).toBe(declared.length);
    const used = [...diagram.matchAll(/^\s*(n\d+) (?:-->|-\.->|---)(?:\|"[^"]*"\|)? (n\d+)$/gm)].flatMap((m) => [
      m[1],
      m[2],
    ]);
    for (const id of used) expect(declared).toContain(id);
    expect(diagram.match(/subgraph/g)?.length).toBe(diagram.match(/^\s*end$/gm)?.length);
  });

  it("names built-in roles from a role definition id and falls back to the GUID for others", () => {
    expect(roleName(roleId(ROLE.acrPull))).toBe("AcrPull");
    expect(roleName("F6C7C914-8DB3-469D-8CA1-694A8F32E121")).toBe("AzureML Data Scientist");
    expect(roleName(roleId("12345678-aaaa-bbbb-cccc-123456789012"))).toBe("role 12345678");
  });

  it("shows the managed network as a node when nothing runs in it yet", () => {
    const text = renderMermaid(environment().builder.build());
    expect(text).not.toMatch(/subgraph \w+\["managed network/);
    expect(text).toMatch(
      /\{\{"managed network of mlw-test<br\/>AllowOnlyApprovedOutbound<br\/>Azure Firewall Standard: 2 FQDN rules"\}\}/,
    );
  });
});
