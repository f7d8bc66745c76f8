import { main } from "../../plan/cli";

/** One in-process run of the planner CLI (`plan/cli.ts` main), its output captured. */
export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `main(args)` in this process, as `tsx plan/cli.ts ARGS` would from the repository root (the
 * test's working directory). Runs that plan a stack must not overlap: the Pulumi runtime is global
 * to the process. Policy checks and diffs may overlap (the pack runs in a child process).
 */
export async function runCli(args: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const status = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { status, stdout, stderr };
}
