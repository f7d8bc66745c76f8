import { createColors } from "picocolors";
import type { CliIo, Writer } from "./streams";

/**
 * What the terminal allows, decided from the io object alone (tests pass plain buffers and get no
 * colour): the width tables fit, whether colour is on, and where progress goes.
 */

/** Width assumed when stdout does not report one (a pipe, a file, CI). */
export const DEFAULT_COLUMNS = 100;
/** Narrower terminals are treated as this wide: below it tables cannot stay readable. */
const MIN_COLUMNS = 40;

export type Colors = ReturnType<typeof createColors>;

export interface Terminal {
  /** The width every line of the report fits. */
  columns: number;
  /** Whether colour and emphasis are written. */
  color: boolean;
  /** picocolors bound to `color` (every function returns its input unchanged when colour is off). */
  colors: Colors;
  /** The stream progress goes to: stderr when it is a terminal, else none. */
  progress?: Writer;
}

/**
 * `NO_COLOR` set to anything but the empty string turns colour off (https://no-color.org/), as does
 * `TERM=dumb`; otherwise colour is on exactly when stdout is a terminal.
 */
export function colorEnabled(io: CliIo): boolean {
  const env = io.env ?? {};
  if ((env.NO_COLOR ?? "") !== "") return false;
  if (env.TERM === "dumb") return false;
  return io.stdout.isTTY === true;
}

/** The terminal the report is written to. */
export function terminalOf(io: CliIo): Terminal {
  const reported = io.stdout.columns;
  const columns = typeof reported === "number" && reported > 0 ? Math.max(MIN_COLUMNS, reported) : DEFAULT_COLUMNS;
  const color = colorEnabled(io);
  return {
    columns,
    color,
    colors: createColors(color),
    progress: io.stderr.isTTY === true ? io.stderr : undefined,
  };
}
