import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { environment } from "./costPlanFixtures";
import { runCli } from "./cliRun";

/** `npm run plan-diff -- BASE.json HEAD.json [--markdown PATH]` is `plan/cli.ts diff`: its `main`, in process (the spawned run is in cliSmoke.test.ts). */
const runDiff = (args: string[]) => runCli(["diff", ...args]);

describe("npm run plan-diff", () => {
  const dir = mkdtempSync(join(tmpdir(), "plan-diff-"));
  const basePath = join(dir, "base.json");
  const headPath = join(dir, "head.json");
  writeFileSync(basePath, JSON.stringify(environment({ clusters: 1 }).builder.build()));
  const head = environment({ clusters: 2 }).builder.build();
  const storage = head.resources.find((r) => r.name === "env-storage");
  if (storage) storage.inputs.accountName = "stother";
  writeFileSync(headPath, JSON.stringify(head));

  it("prints the diff and writes the pull-request report: the change first, the head's environment collapsed", async () => {
    const markdownPath = join(dir, "diff.md");
    const run = await runDiff([basePath, headPath, "--markdown", markdownPath]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Plan diff: secure-azureml/test (base,");
    expect(run.stdout).toMatch(/│ added\s+│ 1\s+│/);
    expect(run.stdout).toContain(`Markdown written to ${markdownPath}`);
    const markdown = readFileSync(markdownPath, "utf8");
    expect(markdown.startsWith("### Stack `test`: +1 ~1 -0, fixed cost +$175.20/month\n")).toBe(true);
    expect(markdown).toContain("| adds | 1: env-cluster-1 (compute) |");
    expect(markdown).toContain("| fixed monthly cost | $1,146.20 → $1,321.40 (+$175.20)");
    expect(markdown).toMatch(/\| cold deploy \| about \d+ → \d+ min/);
    expect(markdown).toContain("#### What changes\n\n```mermaid\n---\nconfig:");
    expect(markdown).toContain(
      "#### Added\n\n| resource | type |\n| --- | --- |\n| env-cluster-1 | machinelearningservices:Compute |",
    );
    expect(markdown).toContain(
      "| env-storage | storage:StorageAccount | `accountName` | sttest → stother | **replace**: accountName is create-only |",
    );
    const environment = markdown.indexOf("<details><summary>Full environment of the head: test, ");
    expect(environment).toBeGreaterThan(markdown.indexOf("#### What changes"));
    expect(markdown.slice(environment)).toContain("### Architecture");
  });

  it("exits 2 without writing anything when a file is not a plan", async () => {
    const notAPlan = join(dir, "not-a-plan.json");
    writeFileSync(notAPlan, JSON.stringify({ hello: "world" }));
    const markdownPath = join(dir, "never.md");
    const run = await runDiff([basePath, notAPlan, "--markdown", markdownPath]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      `${notAPlan} is not a version 1 plan (write one with \`npm start -- --json ${notAPlan}\`)`,
    );
    expect(existsSync(markdownPath)).toBe(false);
    const missing = await runDiff([basePath, join(dir, "missing.json")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read plan .*missing\.json: ENOENT/);
  });

  it("with live prices, asks the Retail Prices API for each plan once, also when it writes the report", async () => {
    const requested: string[] = [];
    // An empty answer for every request: each price falls back to the bundled table.
    const fakeFetch = vi.spyOn(globalThis, "fetch").mockImplementation((input) => {
      requested.push(input instanceof Request ? input.url : String(input));
      return Promise.resolve(new Response(JSON.stringify({ Items: [], NextPageLink: null }), { status: 200 }));
    });
    try {
      const withoutReport = await runDiff([basePath, headPath, "--prices", "live"]);
      expect(withoutReport.status).toBe(0);
      const perDiff = requested.length;
      expect(perDiff).toBeGreaterThan(0);
      requested.length = 0;
      const withReport = await runDiff([basePath, headPath, "--prices", "live", "--markdown", join(dir, "live.md")]);
      expect(withReport.status).toBe(0);
      expect(requested).toHaveLength(perDiff);
    } finally {
      fakeFetch.mockRestore();
    }
  });

  it("exits 2 on a usage error", async () => {
    const run = await runDiff([basePath]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("missing required argument 'head'");
  });
});
