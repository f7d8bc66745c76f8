import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { estimateCost } from "../../plan/cost/estimate";
import { estimateDeployTime } from "../../plan/deployTime/estimate";
import { diffPlans } from "../../plan/diff/diff";
import { renderPullRequestReport } from "../../plan/report/pullRequest";
import { environment } from "./costPlanFixtures";

/** The pull-request report of one stack: the change first, the head's environment second and collapsed. */

async function report(base: Plan, head: Plan): Promise<string> {
  return renderPullRequestReport({
    base,
    head,
    diff: await diffPlans(base, head),
    headCost: await estimateCost(head, { prices: "bundled" }),
    deployTime: { base: estimateDeployTime(base), head: estimateDeployTime(head) },
  });
}

const ENVIRONMENT_DETAILS = "<details><summary>Full environment of the head: test,";

describe("the pull-request report", () => {
  let text: string;

  beforeAll(async () => {
    const base = environment({ clusters: 1 }).builder.build();
    const head = environment({ clusters: 2 }).builder.build();
    const storage = head.resources.find((r) => r.name === "env-storage");
    const newCluster = head.resources.find((r) => r.name === "env-cluster-1");
    if (!storage || !newCluster) throw new Error("fixture changed");
    storage.inputs.accountName = "stother";
    base.policy = {
      verdict: "FAILED: 1 mandatory violation",
      violations: [
        { policy: "storage-min-tls", enforcementLevel: "mandatory", urn: storage.urn, message: "TLS 1.2 required" },
      ],
    };
    head.policy = {
      verdict: "FAILED: 1 mandatory violation",
      violations: [
        {
          policy: "compute-idle-shutdown",
          enforcementLevel: "mandatory",
          urn: newCluster.urn,
          message: "Clusters scale to zero.\nminNodeCount is 1; set it to 0.",
        },
      ],
    };
    text = await report(base, head);
  });

  it("leads with the change: counts with the notable resources, cost, deploy-time and policy deltas", () => {
    expect(text.split("\n").slice(0, 10)).toEqual([
      "### Stack `test`: +1 ~1 -0, fixed cost +$175.20/month",
      "",
      "| this pull request |  |",
      "| --- | --- |",
      "| adds | 1: env-cluster-1 (compute) |",
      "| changes | 1 (1 replaced): sttest (storage account) |",
      "| removes | 0 |",
      "| fixed monthly cost | $1,146.20 → $1,321.40 (+$175.20); some items of unknown price |",
      "| cold deploy | about 48 → 48 min (no change) |",
      "| policy | 1 new violation (1 mandatory), 1 fixed, head: FAILED: 1 mandatory violation |",
    ]);
  });

  it("shows new violations in full and fixed ones collapsed, before the diagram", () => {
    expect(text).toContain(
      "#### New policy violations\n\n| level | policy | resource | message |\n| --- | --- | --- | --- |\n| mandatory | compute-idle-shutdown | env-cluster-1 | minNodeCount is 1; set it to 0. |",
    );
    expect(text).toContain(
      "<details><summary>Fixed policy violations (1)</summary>\n\n| level | policy | resource | message |\n| --- | --- | --- | --- |\n| mandatory | storage-min-tls | env-storage | TLS 1.2 required |",
    );
    expect(text.indexOf("#### New policy violations")).toBeLessThan(text.indexOf("#### What changes"));
  });

  it("collapses new advisory violations (they do not fail the check)", async () => {
    const base = environment({ clusters: 1 }).builder.build();
    const head = structuredClone(base);
    const storage = head.resources.find((r) => r.name === "env-storage");
    head.policy = {
      verdict: "PASS: no mandatory violation (1 advisory violation)",
      violations: [
        { policy: "storage-gzrs", enforcementLevel: "advisory", urn: storage?.urn ?? "", message: "Use GZRS." },
      ],
    };
    const advisory = await report(base, head);
    expect(advisory).not.toContain("#### New policy violations");
    expect(advisory).toContain(
      "<details><summary>New advisory violations (1)</summary>\n\n| level | policy | resource | message |\n| --- | --- | --- | --- |\n| advisory | storage-gzrs | env-storage | Use GZRS. |",
    );
    expect(advisory).toContain(
      "| policy | 1 new violation, 0 fixed, head: PASS: no mandatory violation (1 advisory violation) |",
    );
  });

  it("draws the change styled apart, then the input-level details collapsed", () => {
    const diagram = /#### What changes\n\n```mermaid\n([\s\S]*?)\n```/.exec(text)?.[1] ?? "";
    expect(diagram).toContain('["+ compute<br/>env-cluster-1"]');
    expect(diagram).toContain('["~ storage account<br/>sttest (replaced)"]');
    expect(diagram).toMatch(/class n\d+ added\n\s*class n\d+ changed$/);
    expect(text).toContain(
      "| env-storage | storage:StorageAccount | `accountName` | sttest → stother | **replace**: accountName is create-only |",
    );
    expect(text.indexOf("<details><summary>Change details")).toBeLessThan(text.indexOf(ENVIRONMENT_DETAILS));
  });

  it("puts the head's full environment report second, collapsed", () => {
    const details = text.slice(text.indexOf(ENVIRONMENT_DETAILS));
    expect(details.startsWith(`${ENVIRONMENT_DETAILS} `)).toBe(true);
    expect(details).toContain("## Offline plan of `secure-azureml` stack `test`");
    expect(details).toContain("### Architecture\n\n```mermaid\n---\nconfig:");
    expect(details).toContain("### Role assignments (1)");
    expect(details.trimEnd().endsWith("</details>")).toBe(true);
  });
});

describe("the pull-request report of a new or unchanged stack", () => {
  it("a stack new on the base (empty plan): no change diagram, the environment open", async () => {
    const head = environment({ clusters: 1 }).builder.build();
    const text = await report({ ...head, resources: [] }, head);
    expect(text).not.toContain("#### What changes");
    expect(text).toContain("The base has no resources for this stack: every resource is new");
    expect(text).toContain("<details open><summary>Full environment of the head: test,");
    expect(text).toMatch(/\| cold deploy \| about 0 → \d+ min \(\+\d+ min\) \|/);
  });

  it("no resource change: says so, draws nothing, keeps the environment collapsed", async () => {
    const plan = environment({ clusters: 1 }).builder.build();
    const text = await report(plan, structuredClone(plan));
    expect(text.startsWith("### Stack `test`: no resource changes, fixed cost ±$0.00/month\n")).toBe(true);
    expect(text).toContain("| policy | not run on either side |");
    expect(text).toContain("\nNo resource changes.\n");
    expect(text).not.toContain("#### What changes");
    expect(text).toContain(ENVIRONMENT_DETAILS);
  });
});
