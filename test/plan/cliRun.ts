import { main } from "../../plan/cli";

/** One in-process run of the planner CLI (`plan/cli.ts` main), its output captured. */
export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** The terminal the run pretends to write to: by default not a terminal, width unknown, empty environment. */
export interface CliTerminal {
  /** Optional. stdout and stderr are terminals (colour unless NO_COLOR, progress on stderr). */
  isTTY?: boolean;
  /** Optional. The width stdout reports. */
  columns?: number;
  /** Optional. The environment the CLI reads (NO_COLOR). */
  env?: Record<string, string>;
}

/**
 * Runs `main(args)` in this process, as `tsx plan/cli.ts ARGS` would from the repository root (the
 * test's working directory). Runs that plan a stack must not overlap: the Pulumi runtime is global
 * to the process. Policy checks and diffs may overlap (the pack runs in a child process).
 */
export async function runCli(args: string[], terminal: CliTerminal = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const status = await main(args, {
    stdout: { write: (text: string) => (stdout += text), isTTY: terminal.isTTY, columns: terminal.columns },
    stderr: { write: (text: string) => (stderr += text), isTTY: terminal.isTTY, columns: terminal.columns },
    env: terminal.env ?? {},
  });
  return { status, stdout, stderr };
}
