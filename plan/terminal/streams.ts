/** The streams and environment a subcommand writes to: the process's own, or buffers in tests. */

/** Where a subcommand writes: `process.stdout`/`process.stderr` when run from a shell, buffers in tests. */
export interface Writer {
  write(text: string): unknown;
  /** Optional. True when the stream is a terminal (colour, progress); absent means not a terminal. */
  isTTY?: boolean;
  /** Optional. The terminal's width in columns; absent when not known (100 is assumed). */
  columns?: number;
}

export interface CliIo {
  /** Required. The report (summary, policy report, diff, price changes). */
  stdout: Writer;
  /** Required. Errors, one clear line each; usage errors from the argument parser; progress on a terminal. */
  stderr: Writer;
  /** Optional. The environment read for `NO_COLOR`; absent means an empty environment. */
  env?: Readonly<Record<string, string | undefined>>;
}
