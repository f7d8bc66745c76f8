import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * One spawned run per subcommand, through its npm script as a user and CI run it: the scripts are
 * aliases of `node scripts/planner.cjs <subcommand>` (the planner bundle), and the exit code must
 * reach the shell. Everything else about the CLI is tested in process (cli, policyCli, diffCli and costLive tests call `main`).
 * Offline-safe: the plan run stops at a missing stack file (the shipped stacks are planned by a
 * spawned planner in the global setup), and prices reads a port nobody listens on.
 */
const ROOT = resolve(__dirname, "../..");
const PACK = join(ROOT, "test/fixtures/policy-pack");
const VIOLATING = join(PACK, "plans/violating.json");
const COMPLIANT = join(PACK, "plans/compliant.json");

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function npmRun(script: string, args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn("npm", ["run", "--silent", script, "--", ...args], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", fail);
    child.on("close", (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}

/** A local port with nothing listening: connection refused, as offline as it gets. */
function closedPort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address() as { port: number };
      server.close(() => done(address.port));
    });
  });
}

describe("the planner CLI, spawned through its npm scripts", () => {
  const dir = mkdtempSync(join(tmpdir(), "cli-smoke-"));
  const runs: Record<string, Run> = {};
  let port = 0;

  beforeAll(async () => {
    port = await closedPort();
    const [plan, policy, diff, prices] = await Promise.all([
      npmRun("start", ["--stack", "nosuchstack"]),
      npmRun("policy", [VIOLATING, "--pack", PACK]),
      npmRun("plan-diff", [COMPLIANT, VIOLATING, "--markdown", join(dir, "diff.md")]),
      npmRun("prices", ["--dry-run", "--endpoint", `http://127.0.0.1:${port}/api/retail/prices`]),
    ]);
    Object.assign(runs, { plan, policy, diff, prices });
  }, 120_000);

  it("npm start (plan, the default subcommand) exits 2 on a missing stack file and names it", () => {
    expect(runs.plan.status).toBe(2);
    expect(runs.plan.stdout).toBe("");
    expect(runs.plan.stderr).toContain(`cannot read stack config ${join(ROOT, "Pulumi.nosuchstack.yaml")}: ENOENT`);
  });

  it("npm run policy (policy) exits 1 on mandatory violations, with the report on stdout", () => {
    expect(runs.policy.stderr).toBe("");
    expect(runs.policy.status).toBe(1);
    expect(runs.policy.stdout).toMatch(
      /\nFAIL: 2 mandatory violations \(1 advisory violation; offline-check-fixture@1\.2\.3, 3 policies\)\n$/,
    );
  });

  it("npm run plan-diff (diff) exits 0 and writes the markdown", () => {
    expect(runs.diff.stderr).toBe("");
    expect(runs.diff.status).toBe(0);
    expect(runs.diff.stdout).toContain("Plan diff: demo/test (base,");
    expect(runs.diff.stdout).toContain(`Markdown written to ${join(dir, "diff.md")}`);
    // The pull-request report: the change first, the head's environment collapsed.
    expect(readFileSync(join(dir, "diff.md"), "utf8")).toMatch(/^### Stack `test`: /);
  });

  it("npm run prices (prices) exits 1 when the Retail Prices API cannot be reached, changing nothing", () => {
    expect(runs.prices.status).toBe(1);
    expect(runs.prices.stderr).toContain(
      `Cannot reach the Azure Retail Prices API (http://127.0.0.1:${port}/api/retail/prices)`,
    );
    expect(runs.prices.stderr).toContain("was not changed");
  });
});
