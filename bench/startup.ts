import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Table from "cli-table3";
import { CommandSpec, Measurement, measure, summarize } from "./measure";

/**
 * `npm start -- --stack dev` today and now, side by side, cold and warm, with its phases.
 * - today: `tsx plan/cli.ts` (PLANNER_BUNDLE=0), the pack loaded from its TypeScript sources by
 *   run-policy-pack's ts-node with type checking (PLAN_POLICY_PACK_LOADER=run-policy-pack,
 *   POLICY_PACK_FROM_SOURCE=1), the Pulumi runtime unabridged (PLAN_EXACT_RUNTIME=1: dynamic providers serialized, stack traces captured);
 * - new: the defaults (the planner bundle, the prebuilt pack served by servePack.cjs).
 * Cold: a fresh TMPDIR, so tsx's transform cache and ts-node's compile cache start empty (what the
 * first run after `npm ci` has; the bundle and the prebuilt pack exist then, as `prepare` builds
 * them). "rebuild": the first run after a source change, which rebuilds both first.
 * The phases come from the planner itself (PLAN_TIMINGS_FILE, plan/policy/timings.ts).
 */

export const START_TARGETS = { coldMs: 3000, warmMs: 2000 } as const;

export type Variant = "today" | "new";

const VARIANT_ENV: Record<Variant, NodeJS.ProcessEnv> = {
  today: {
    PLANNER_BUNDLE: "0",
    PLAN_POLICY_PACK_LOADER: "run-policy-pack",
    POLICY_PACK_FROM_SOURCE: "1",
    PLAN_EXACT_RUNTIME: "1",
  },
  new: {},
};

const VARIANT_LABEL: Record<Variant, string> = {
  today: "today (tsx, pack via ts-node type-check)",
  new: "new (bundle, prebuilt pack)",
};

interface PhaseFile {
  phases: Record<string, { startMs: number; endMs: number } | undefined>;
  notes: Partial<Record<string, string>>;
}

/** Milliseconds of each phase of one run; null when the planner did not record it. */
export interface Phases {
  /** Planner process start to the first program: module loading, CLI parsing, stack files. */
  startup: number | null;
  /** Both Pulumi programs under the mock engine. */
  plan: number | null;
  /** Checking (or rebuilding) the prebuilt pack, starting the pack process until it answers. Beside the plan. */
  packLoad: number | null;
  /** How long the finished plan waited for the pack. */
  packWait: number | null;
  /** Configure, Analyze per resource and AnalyzeStack. */
  analysis: number | null;
  packLoader: string;
}

interface Run {
  measurement: Measurement;
  phases: Phases;
}

export interface StartRow {
  variant: Variant;
  kind: "cold" | "warm" | "rebuild";
  runs: Run[];
}

const ROOT = join(__dirname, "..");

function duration(file: PhaseFile, name: string): number | null {
  const phase = file.phases[name];
  return phase ? phase.endMs - phase.startMs : null;
}

function readPhases(path: string): Phases {
  const empty: Phases = { startup: null, plan: null, packLoad: null, packWait: null, analysis: null, packLoader: "?" };
  if (!existsSync(path)) return empty;
  const file = JSON.parse(readFileSync(path, "utf8")) as PhaseFile;
  const plan = file.phases.plan;
  const ready = file.phases.packReady;
  return {
    startup: plan ? plan.startMs : null,
    plan: duration(file, "plan"),
    packLoad: duration(file, "packReady"),
    packWait: plan && ready ? Math.max(0, ready.endMs - plan.endMs) : null,
    analysis: duration(file, "analysis"),
    packLoader: file.notes.packLoader ?? "?",
  };
}

/** One `npm start -- --stack dev` of a variant; cold runs get an empty TMPDIR of their own. */
export function runStart(variant: Variant, cold: boolean): Run {
  const scratch = mkdtempSync(join(tmpdir(), "bench-start-"));
  const timings = join(scratch, "timings.json");
  const env: NodeJS.ProcessEnv = { ...process.env, ...VARIANT_ENV[variant], PLAN_TIMINGS_FILE: timings };
  if (cold) env.TMPDIR = mkdtempSync(join(scratch, "tmp-"));
  const spec: CommandSpec = {
    command: "npm",
    args: ["start", "--", "--stack", "dev"],
    cwd: ROOT,
    display: "npm start -- --stack dev",
    env,
  };
  try {
    const measurement = measure(spec);
    return { measurement, phases: readPhases(timings) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What `npm ci` leaves: the planner bundle and the prebuilt pack (the `prepare` script). */
export function prepare(): Measurement {
  return measure({ command: "npm", args: ["run", "prepare"], cwd: ROOT, display: "npm run prepare" });
}

/** Delete the planner bundle and the prebuilt pack, as a source change makes them stale. */
export function removeBuilds(): void {
  rmSync(join(ROOT, "node_modules", ".cache", "secure-azureml", "planner"), { recursive: true, force: true });
  rmSync(join(ROOT, "policies", "bin"), { recursive: true, force: true });
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function medianPhase(runs: Run[], pick: (p: Phases) => number | null): number | null {
  return median(runs.map((r) => pick(r.phases)).filter((v): v is number => v !== null));
}

function seconds(ms: number | null): string {
  return ms === null ? "n/a" : `${(ms / 1000).toFixed(2)} s`;
}

function targetOf(row: StartRow): number | undefined {
  if (row.kind === "cold") return START_TARGETS.coldMs;
  if (row.kind === "warm") return START_TARGETS.warmMs;
  return undefined;
}

function verdict(row: StartRow, wallMs: number): string {
  const target = targetOf(row);
  if (target === undefined) return "(no target)";
  const result = wallMs <= target ? "met" : "MISSED";
  return `${result} (<= ${seconds(target)}${row.variant === "new" ? "" : "; reference"})`;
}

/** The side-by-side table: wall, peak memory, phases, loader, verdict. */
export function startTable(rows: StartRow[]): string {
  const table = new Table({
    head: [
      "npm start -- --stack dev",
      "runs",
      "wall (median)",
      "peak memory",
      "startup",
      "plan",
      "pack load (beside plan)",
      "waits for pack",
      "analysis",
      "status",
      "target",
    ],
    style: { head: [], border: [], compact: true },
  });
  for (const row of rows) {
    const { wallMs, peakMiB } = summarize(row.runs.map((r) => r.measurement));
    const failed = row.runs.filter((r) => r.measurement.exitCode !== 0);
    table.push([
      `${VARIANT_LABEL[row.variant]}, ${row.kind}`,
      String(row.runs.length),
      seconds(wallMs),
      peakMiB === null ? "n/a" : `${peakMiB.toFixed(0)} MiB`,
      seconds(medianPhase(row.runs, (p) => p.startup)),
      seconds(medianPhase(row.runs, (p) => p.plan)),
      seconds(medianPhase(row.runs, (p) => p.packLoad)),
      seconds(medianPhase(row.runs, (p) => p.packWait)),
      seconds(medianPhase(row.runs, (p) => p.analysis)),
      failed.length === 0 ? "ok" : `exit ${String(failed[0].measurement.exitCode)}`,
      verdict(row, wallMs),
    ]);
  }
  return table.toString();
}

/** The pack loaders the runs reported (e.g. "prebuilt", "run-policy-pack (chosen)"). */
export function loadersSeen(rows: StartRow[]): string {
  return rows
    .map((row) => `${row.variant} ${row.kind}: ${[...new Set(row.runs.map((r) => r.phases.packLoader))].join(", ")}`)
    .join("; ");
}

/**
 * Measure both variants: `coldRuns` cold runs and `warmRuns` warm runs each, interleaved so both
 * see the same machine load, then one rebuild run of the new variant.
 */
export function measureStart(coldRuns: number, warmRuns: number, log: (m: string) => void): StartRow[] {
  const rows: StartRow[] = [];
  const row = (variant: Variant, kind: StartRow["kind"]): StartRow => {
    let found = rows.find((r) => r.variant === variant && r.kind === kind);
    if (!found) rows.push((found = { variant, kind, runs: [] }));
    return found;
  };
  log("npm run prepare (what npm ci runs) ...");
  prepare();
  // One warm-up of each, unmeasured, so "warm" means what a second run sees.
  runStart("today", false);
  runStart("new", false);
  for (let i = 0; i < coldRuns; i += 1) {
    log(`npm start -- --stack dev, cold ${String(i + 1)}/${String(coldRuns)} ...`);
    row("today", "cold").runs.push(runStart("today", true));
    row("new", "cold").runs.push(runStart("new", true));
  }
  for (let i = 0; i < warmRuns; i += 1) {
    log(`npm start -- --stack dev, warm ${String(i + 1)}/${String(warmRuns)} ...`);
    row("today", "warm").runs.push(runStart("today", false));
    row("new", "warm").runs.push(runStart("new", false));
  }
  log("npm start -- --stack dev after a source change (rebuilds the bundle and the pack) ...");
  removeBuilds();
  row("new", "rebuild").runs.push(runStart("new", true));
  return rows;
}

/** `npm run prepare` from nothing: what the build adds to `npm ci`. Leaves both builds in place. */
export function measurePrepare(): Measurement {
  removeBuilds();
  return prepare();
}
