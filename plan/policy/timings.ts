import { writeFileSync } from "node:fs";

/**
 * Phase timings of one planner run, for `npm run bench`: when PLAN_TIMINGS_FILE names a file, the
 * process writes `{ phases: { <name>: { startMs, endMs } }, notes }` there when it exits (times in
 * milliseconds since the process started). Nothing is recorded or written otherwise.
 */

export interface PhaseTiming {
  /** Milliseconds since the process started. */
  startMs: number;
  endMs: number;
}

const TIMINGS_FILE = process.env.PLAN_TIMINGS_FILE;
const phases: Record<string, PhaseTiming> = {};
const notes: Record<string, string> = {};

if (TIMINGS_FILE) {
  process.on("exit", () => {
    try {
      writeFileSync(TIMINGS_FILE, `${JSON.stringify({ phases, notes }, null, 2)}\n`);
    } catch {
      // A benchmark aid: never fail the run over it.
    }
  });
}

/** Record a phase that started at `startMs` (a `performance.now()` value) and ends now. */
export function recordPhase(name: string, startMs: number): void {
  if (TIMINGS_FILE) phases[name] = { startMs, endMs: performance.now() };
}

/** Record a fact about the run (e.g. how the policy pack was loaded). */
export function recordNote(name: string, value: string): void {
  if (TIMINGS_FILE) notes[name] = value;
}
