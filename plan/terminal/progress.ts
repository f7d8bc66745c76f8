import { truncateEnd } from "./text";

/**
 * A one-line status on a terminal's stderr while slow work runs (planning, loading the policy
 * pack, analysis): `const done = progress("Loading the policy pack"); ...; done();`. Nothing is
 * written until an output is set (`setProgressOutput`, which the CLI does only when stderr is a
 * terminal) and until a piece of work has run for a second, so quick steps, pipes and CI print
 * nothing. Several pieces of work may run at once: the line names each. The line is erased when
 * the last one is done, before the report is written.
 */

export interface ProgressOutput {
  write(text: string): unknown;
  /** Optional. The terminal's width; the line is cut to fit. */
  columns?: number;
}

/** Call when the work is finished (again is harmless). */
export type ProgressDone = () => void;

/** Work shorter than this shows no status. */
export const SHOW_AFTER_MS = 1000;
const TICK_MS = 250;
const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const ERASE_LINE = "\r\u001b[K";

interface Task {
  label: string;
  started: number;
}

let output: ProgressOutput | undefined;
const active = new Set<Task>();
let timer: ReturnType<typeof setInterval> | undefined;
let drawn = false;
let frame = 0;

function render(now: number): void {
  if (!output) return;
  const visible = [...active].filter((task) => now - task.started >= SHOW_AFTER_MS);
  if (visible.length === 0) {
    erase();
    return;
  }
  const seconds = Math.floor((now - Math.min(...visible.map((task) => task.started))) / 1000);
  const line = `${SPINNER[frame++ % SPINNER.length]} ${visible.map((task) => task.label).join(", ")}… ${seconds} s`;
  output.write(`${ERASE_LINE}${truncateEnd(line, Math.max(10, (output.columns ?? 80) - 1))}`);
  drawn = true;
}

function erase(): void {
  if (drawn && output) output.write(ERASE_LINE);
  drawn = false;
}

function stopTimer(): void {
  if (timer) clearInterval(timer);
  timer = undefined;
}

/** Where the status line goes; undefined (the default) writes nothing. Erases a line already drawn. */
export function setProgressOutput(next: ProgressOutput | undefined): void {
  erase();
  output = next;
  if (!output) stopTimer();
}

/** Starts a status for `label` (e.g. "Loading the policy pack"); returns the callback that ends it. */
export function progress(label: string): ProgressDone {
  const task: Task = { label, started: Date.now() };
  active.add(task);
  if (output && !timer) {
    timer = setInterval(() => render(Date.now()), TICK_MS);
    // A status line never keeps the process alive.
    timer.unref();
  }
  return () => {
    if (!active.delete(task)) return;
    if (active.size === 0) {
      stopTimer();
      erase();
    } else if (output) render(Date.now());
  };
}
