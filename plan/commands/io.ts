import { ExitCode } from "../exitCodes";
import type { CliIo } from "../terminal/streams";

export type { CliIo, Writer } from "../terminal/streams";

/** The process's own streams and environment. */
export const PROCESS_IO: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/** A stack trace when there is one: an unexpected failure is a bug to report. */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * Runs a subcommand's body. An error the body did not turn into an exit code is unexpected: it is
 * written as `<label> failed: <stack>` and exits with the subcommand's failure code.
 */
export async function guarded(
  io: CliIo,
  label: string,
  failureCode: ExitCode,
  body: () => Promise<ExitCode>,
): Promise<ExitCode> {
  try {
    return await body();
  } catch (error) {
    io.stderr.write(`${label} failed: ${describeError(error)}\n`);
    return failureCode;
  }
}
