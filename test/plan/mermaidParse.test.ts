import { TYPES } from "secure-azureml-facts";
import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { estimateCost } from "../../plan/cost/estimate";
import { estimateDeployTime } from "../../plan/deployTime/estimate";
import { MAX_CHANGE_NODES, renderChangeDiagram } from "../../plan/diagram/changes";
import { renderArchitecture } from "../../plan/diagram/mermaid";
import { diffPlans } from "../../plan/diff/diff";
import { renderPullRequestReport } from "../../plan/report/pullRequest";
import { parseFlowchart, parseMermaid } from "../support/mermaid";
import { planStackFile } from "../support/stack";

/**
 * Every diagram the reports draw goes through the `mermaid` package's own parser, so a syntax
 * error fails here rather than in a pull-request comment; node counts are read back from
 * mermaid's flowchart database, not from our own text.
 */

/** The architecture diagram's node budget for the shipped stacks (issue 12: "at most about 25"). */
const NODE_BUDGET = 25;

/** A base for `head`: some resources removed (so the head adds them) and one input changed. */
function baseOf(head: Plan, dropped: (name: string, type: string) => boolean): Plan {
  const base = structuredClone(head);
  base.resources = base.resources.filter((r) => !dropped(r.name, r.type));
  const storage = base.resources.find((r) => r.type === TYPES.storage);
  if (storage) storage.inputs.minimumTlsVersion = "TLS1_0";
  return base;
}

const mermaidBlocks = (markdown: string) => [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]);

describe("the diagrams parse with mermaid's own parser", () => {
  let dev: Plan;
  let prod: Plan;

  beforeAll(async () => {
    [dev, prod] = await Promise.all([planStackFile("dev"), planStackFile("prod")]);
  });

  it("rejects a syntax error (the parser is really checking)", async () => {
    await expect(parseMermaid('flowchart LR\n  n1["a"] -->')).rejects.toThrow(/Parse error/);
    // A subgraph left open, and a label bracket closed twice.
    await expect(parseMermaid('flowchart LR\n  subgraph g1["layer"]\n    n1["a"]')).rejects.toThrow();
    await expect(parseMermaid('flowchart LR\n  n1["a"]]')).rejects.toThrow();
    await expect(parseMermaid('flowchart LR\n  n1["ok"]')).resolves.toBeUndefined();
  });

  it.each(["dev", "prod"])("the %s architecture diagram parses and stays within the node budget", async (stack) => {
    const plan = stack === "dev" ? dev : prod;
    const { text, nodeCount } = renderArchitecture(plan);
    const parsed = await parseFlowchart(text);
    expect(parsed.type).toBe("flowchart-v2");
    expect(parsed.nodeIds).toHaveLength(nodeCount);
    expect(parsed.nodeIds.length).toBeLessThanOrEqual(NODE_BUDGET);
    // Four layers plus the subnet holding the private endpoints.
    expect(parsed.subgraphCount).toBeGreaterThanOrEqual(5);
    // No role edges: only private links, uses and runs as (at most one per node pair); no edge inside the
    // managed network, which would push the VNet under it in Mermaid's layout.
    expect(parsed.edgeCount).toBeLessThan(parsed.nodeIds.length);
    expect(text).not.toContain("runs on");
  });

  it("the change diagram of a base/head pair parses, styled added/changed/removed", async () => {
    const base = baseOf(dev, (name) => /compute-gpu-t4$|^ra-endpoints-|storage-file$/.test(name));
    base.resources.push({
      ...structuredClone(dev.resources.find((r) => r.type === TYPES.identity)!),
      urn: "urn:pulumi:dev::secure-azureml::azure-native:managedidentity:UserAssignedIdentity::old-id",
      name: "old-id",
    });
    const diff = await diffPlans(base, dev);
    const { text, nodeCount } = renderChangeDiagram(diff, base, dev);
    const parsed = await parseFlowchart(text);
    expect(parsed.nodeIds).toHaveLength(nodeCount);
    expect(nodeCount).toBeLessThanOrEqual(MAX_CHANGE_NODES);
    expect([...parsed.classes.keys()].sort()).toEqual(["added", "changed", "removed"]);
    expect(parsed.classes.get("removed")).toHaveLength(1);
    expect(text).toMatch(/"\+ Storage PE<br\/>pe-amldev-storage-file"/);
    expect(text).toMatch(
      /"\+ 4 role assignments of id-amldev-endpoints<br\/>AcrPull on cramldev\w+ \(container registry\)<br\/>/,
    );
    expect(text).toMatch(/"~ storage account<br\/>stamldev\w+"/);
    expect(text).toContain('"- managed identity<br/>');
  });

  it("an added private endpoint is listed by its name, its DNS zone group (named default) folded into it", async () => {
    const base = baseOf(dev, (_, type) => type === TYPES.privateEndpoint || type === TYPES.zoneGroup);
    const diff = await diffPlans(base, dev);
    const { text } = renderChangeDiagram(diff, base, dev);
    await parseFlowchart(text);
    expect(text).toMatch(/"\+ Storage PE<br\/>pe-amldev-storage-blob<br\/>pe-amldev-storage-file"/);
    expect(text).not.toContain("<br/>default");
  });

  it("a large change is capped at the box budget with an 'N more changes' box, and still parses", async () => {
    // Everything but the network and the resource group is new.
    const base = baseOf(dev, (_, type) => !type.startsWith("azure-native:network:") && type !== TYPES.resourceGroup);
    const diff = await diffPlans(base, dev);
    const { text, nodeCount } = renderChangeDiagram(diff, base, dev);
    const parsed = await parseFlowchart(text);
    expect(nodeCount).toBe(MAX_CHANGE_NODES);
    expect(parsed.nodeIds).toHaveLength(MAX_CHANGE_NODES);
    expect(parsed.classes.get("more")).toHaveLength(1);
    expect(text).toMatch(/"\d+ more changes<br\/>\+\d+/);
  });

  it("an empty change parses (one 'No resource changes' node)", async () => {
    const diff = await diffPlans(dev, dev);
    const { text } = renderChangeDiagram(diff, dev, dev);
    const parsed = await parseFlowchart(text);
    expect(parsed.nodeIds).toHaveLength(1);
    expect(text).toContain('"No resource changes"');
  });

  it("every diagram in the pull-request report parses", async () => {
    const base = baseOf(prod, (name) => /batch/.test(name));
    const diff = await diffPlans(base, prod);
    const report = renderPullRequestReport({
      base,
      head: prod,
      diff,
      headCost: await estimateCost(prod, { prices: "bundled" }),
      deployTime: { base: estimateDeployTime(base), head: estimateDeployTime(prod) },
    });
    const blocks = mermaidBlocks(report);
    expect(blocks).toHaveLength(2);
    for (const block of blocks) await parseMermaid(block);
  });
});
