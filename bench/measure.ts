import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One timed run of a command. */
export interface Measurement {
  /** Wall-clock time of the whole command, in milliseconds. */
  wallMs: number;
  /** Peak resident memory of the largest process in the command's tree, in MiB; null when it cannot be measured. */
  peakMiB: number | null;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CommandSpec {
  /** Executable (resolved on PATH) and its arguments. */
  command: string;
  args: string[];
  cwd: string;
  /** The command as a user would type it, for the report. */
  display: string;
  env?: NodeJS.ProcessEnv;
}

const GNU_TIME = "/usr/bin/time";

/**
 * Peak memory without GNU time: every Node.js process of the command (npm, tsx, the planner, tsc)
 * loads this file through NODE_OPTIONS and appends its own `maxRSS` (KiB) when it exits. Native
 * programs (the tsgo compiler) are not seen, so their peak is reported as unknown.
 */
const NODE_PEAK_RECORDER = `const { appendFileSync } = require("node:fs");
process.on("exit", () => { try { appendFileSync(process.env.BENCH_PEAK_FILE, process.resourceUsage().maxRSS + "\\n"); } catch {} });
`;

function kibToMiB(kib: number): number {
  return Math.round((kib / 1024) * 10) / 10;
}

function runWithGnuTime(spec: CommandSpec, scratch: string): Measurement {
  const report = join(scratch, "time.txt");
  const started = performance.now();
  const result = spawnSync(GNU_TIME, ["-v", "-o", report, spec.command, ...spec.args], {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  const maxRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(
    existsSync(report) ? readFileSync(report, "utf8") : "",
  );
  return {
    wallMs,
    peakMiB: maxRss ? kibToMiB(Number(maxRss[1])) : null,
    exitCode: result.status ?? 1,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

function runWithNodeRecorder(spec: CommandSpec, scratch: string, nativeOnly: boolean): Measurement {
  const recorder = join(scratch, "peak-recorder.cjs");
  const peaks = join(scratch, "peaks.txt");
  writeFileSync(recorder, NODE_PEAK_RECORDER);
  const baseEnv = spec.env ?? process.env;
  const env = {
    ...baseEnv,
    BENCH_PEAK_FILE: peaks,
    NODE_OPTIONS: `${baseEnv.NODE_OPTIONS ?? ""} --require ${recorder}`.trim(),
  };
  const started = performance.now();
  const result = spawnSync(spec.command, spec.args, {
    cwd: spec.cwd,
    env,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  const recorded = existsSync(peaks) ? readFileSync(peaks, "utf8").split("\n").filter(Boolean).map(Number) : [];
  const peakMiB = nativeOnly || recorded.length === 0 ? null : kibToMiB(Math.max(...recorded));
  return { wallMs, peakMiB, exitCode: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Whether peak memory comes from GNU time (`/usr/bin/time -v`) or from the Node.js processes themselves. */
export function memorySource(): string {
  return existsSync(GNU_TIME)
    ? "/usr/bin/time -v (max RSS of the largest process)"
    : "process.resourceUsage().maxRSS of each Node.js process (native tools unmeasured)";
}

/**
 * Runs a command once and measures it. `native`: the work happens in a non-Node executable (only
 * matters without GNU time, where such a peak cannot be observed).
 */
export function measure(spec: CommandSpec, options: { native?: boolean } = {}): Measurement {
  const scratch = mkdtempSync(join(tmpdir(), "bench-measure-"));
  try {
    return existsSync(GNU_TIME)
      ? runWithGnuTime(spec, scratch)
      : runWithNodeRecorder(spec, scratch, options.native ?? false);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs a command `runs` times and returns every run. A failing run throws unless `allowFailure`
 * (a type-check with errors still does the whole job: its time is meaningful, its status is shown).
 */
export function measureRuns(
  spec: CommandSpec,
  runs: number,
  options: { native?: boolean; allowFailure?: boolean } = {},
): Measurement[] {
  const results: Measurement[] = [];
  for (let run = 0; run < runs; run += 1) {
    const result = measure(spec, options);
    if (result.exitCode !== 0 && !options.allowFailure)
      throw new Error(`\`${spec.display}\` exited with ${String(result.exitCode)}:\n${result.stderr || result.stdout}`);
    results.push(result);
  }
  return results;
}

/** The median of the runs' wall times and the highest peak. */
export function summarize(runs: Measurement[]): { wallMs: number; peakMiB: number | null } {
  const walls = runs.map((r) => r.wallMs).sort((a, b) => a - b);
  const middle = Math.floor(walls.length / 2);
  const wallMs = walls.length % 2 === 1 ? walls[middle] : (walls[middle - 1] + walls[middle]) / 2;
  const peaks = runs.map((r) => r.peakMiB).filter((p): p is number => p !== null);
  return { wallMs, peakMiB: peaks.length > 0 ? Math.max(...peaks) : null };
}
