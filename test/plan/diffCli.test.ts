import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { environment } from "./costPlanFixtures";

/** `npm run plan-diff -- BASE.json HEAD.json [--markdown PATH]` is `tsx plan/diff/cli.ts`: run it as CI does. */
const ROOT = resolve(__dirname, "../..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

function runDiff(args: string[]) {
  const result = spawnSync(TSX, ["plan/diff/cli.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run plan-diff", () => {
  const dir = mkdtempSync(join(tmpdir(), "plan-diff-"));
  const basePath = join(dir, "base.json");
  const headPath = join(dir, "head.json");
  writeFileSync(basePath, JSON.stringify(environment({ clusters: 1 }).builder.build()));
  const head = environment({ clusters: 2 }).builder.build();
  const storage = head.resources.find((r) => r.name === "env-storage");
  if (storage) storage.inputs.accountName = "stother";
  writeFileSync(headPath, JSON.stringify(head));

  it("prints the diff and writes the markdown for the PR comment", () => {
    const markdownPath = join(dir, "diff.md");
    const run = runDiff([basePath, headPath, "--markdown", markdownPath]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Plan diff: secure-azureml/test (base,");
    expect(run.stdout).toMatch(/│ added\s+│ 1\s+│/);
    expect(run.stdout).toContain(`Markdown written to ${markdownPath}`);
    const markdown = readFileSync(markdownPath, "utf8");
    expect(markdown).toContain("### Added\n\n| resource | type |\n| --- | --- |\n| env-cluster-1 | machinelearningservices:Compute |");
    expect(markdown).toContain("| env-storage | storage:StorageAccount | `accountName` | sttest → stother | **replace**: accountName is create-only |");
    expect(markdown).toContain("| fixed monthly cost |");
  });

  it("exits 2 without writing anything when a file is not a plan", () => {
    const notAPlan = join(dir, "not-a-plan.json");
    writeFileSync(notAPlan, JSON.stringify({ hello: "world" }));
    const markdownPath = join(dir, "never.md");
    const run = runDiff([basePath, notAPlan, "--markdown", markdownPath]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${notAPlan} is not a version 1 plan (write one with \`npm start -- --json ${notAPlan}\`)`);
    expect(existsSync(markdownPath)).toBe(false);
    const missing = runDiff([basePath, join(dir, "missing.json")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read plan .*missing\.json: ENOENT/);
  });

  it("exits 2 on a usage error", () => {
    const run = runDiff([basePath]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("missing required argument 'head'");
  });
});
