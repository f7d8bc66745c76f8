import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";

/**
 * Plans the shipped stacks once per test run, in a child process (a Pulumi program needs a
 * process of its own), and hands the JSON plans to every test file: a dozen files assert on the
 * same dev and prod plans, and planning each in every file cost about 2 s per file.
 */
declare module "vitest" {
  export interface ProvidedContext {
    shippedPlansDir: string;
  }
}

const SHIPPED_STACKS = ["dev", "prod"] as const;

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), "secure-azureml-plans-"));
  const { execFileSync } = await import("node:child_process");
  const root = resolve(__dirname, "../..");
  for (const stack of SHIPPED_STACKS) {
    const out = join(dir, `${stack}.json`);
    try {
      // What `npm start` runs: the planner bundle, rebuilt first when a source changed.
      execFileSync(process.execPath, ["scripts/planner.cjs", "--stack", stack, "--json", out, "--no-policy"], {
        cwd: root,
        stdio: ["ignore", "ignore", "pipe"],
      });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
      throw new Error(`planning the shipped stack ${stack} for the tests failed:\n${stderr}`);
    }
  }
  writeFileSync(join(dir, "READY"), "");
  project.provide("shippedPlansDir", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
