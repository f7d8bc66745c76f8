import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Table from "cli-table3";
import { Command } from "commander";
import { usd } from "../plan/report/tables";
import { CommandSpec, Measurement, measureRuns, memorySource, summarize } from "./measure";
import { START_TARGETS, loadersSeen, measurePrepare, measureStart, startTable } from "./startup";
import { scaledStack, sourceShape } from "./syntheticStack";

/**
 * `npm run bench`: the project's performance targets, measured side by side in one run.
 * - whole-project type-check with the native compiler (tsgo) and with tsc 5.9;
 * - `npm start -- --stack dev`, today's way and the new way side by side, cold and warm: wall time,
 *   peak memory, and the plan, the pack load and the analysis separately (bench/startup.ts);
 * - the offline plan of synthetic stacks with 0x, 1x and 10x the dev stack's clusters and
 *   endpoints: plan time, resources and fixed monthly cost, which must grow linearly;
 * - optionally (`--tests`) the test suite.
 * Targets (2 cores): type-check < 1.5 s, `npm start` for dev <= 3 s cold and <= 2 s warm (median),
 * tests < 60 s.
 */

const ROOT = resolve(__dirname, "..");
const TARGETS = { typecheckMs: 1500, testsMs: 60_000 } as const;

interface BenchOptions {
  runs: string;
  startRuns: string;
  coldRuns: string;
  factor: string;
  tests: boolean;
}

interface Row {
  label: string;
  command: string;
  runs: Measurement[];
  targetMs?: number;
}

interface ScaleResult {
  factor: number;
  clusters: number;
  endpoints: number;
  resources: number | null;
  wall: Measurement;
  fixedMonthly: { value: number; source: string } | null;
}

/** Plain tables: no ANSI colours in CI logs, one line per row. */
const TABLE_STYLE = { head: [], border: [], compact: true };

const bin = (name: string): string => join(ROOT, "node_modules", ".bin", name);

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function mib(value: number | null): string {
  return value === null ? "n/a" : `${value.toFixed(0)} MiB`;
}

function status(runs: Measurement[]): string {
  const failed = runs.filter((r) => r.exitCode !== 0);
  return failed.length === 0 ? "ok" : `exit ${String(failed[0].exitCode)}`;
}

function verdict(wallMs: number, targetMs: number | undefined): string {
  if (targetMs === undefined) return "reference";
  return wallMs < targetMs ? `met (< ${seconds(targetMs)})` : `MISSED (< ${seconds(targetMs)})`;
}

function spec(command: string, args: string[], display: string): CommandSpec {
  return { command, args, cwd: ROOT, display };
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** The fixed monthly cost of a plan: from the plan itself when the planner embeds an estimate, else from the estimator. */
async function fixedMonthlyCost(plan: unknown): Promise<{ value: number; source: string } | null> {
  if (typeof plan === "object" && plan !== null) {
    for (const [key, value] of Object.entries(plan)) {
      const total =
        typeof value === "object" && value !== null
          ? (value as { totalFixedMonthly?: unknown }).totalFixedMonthly
          : undefined;
      if (typeof total === "number") return { value: total, source: `plan.${key}` };
    }
  }
  try {
    const { estimateCost } = await import("../plan/cost");
    const estimate = await estimateCost(plan as Parameters<typeof estimateCost>[0]);
    return { value: estimate.totalFixedMonthly, source: "plan/cost estimateCost (bundled prices)" };
  } catch (error) {
    log(`cost: not available (${error instanceof Error ? error.message : String(error)})`);
    return null;
  }
}

async function planScaled(
  stackYaml: string,
  servingYaml: string,
  factor: number,
  scratch: string,
): Promise<ScaleResult> {
  const scaled = scaledStack(stackYaml, servingYaml, factor);
  const stackFile = join(scratch, `Pulumi.bench-${String(factor)}x.yaml`);
  const servingFile = join(scratch, `serving-bench-${String(factor)}x.yaml`);
  const planFile = join(scratch, `plan-${String(factor)}x.json`);
  writeFileSync(stackFile, scaled.yaml);
  writeFileSync(servingFile, scaled.servingYaml);
  log(`planning ${String(factor)}x (${String(scaled.clusters)} clusters, ${String(scaled.endpoints)} endpoints) ...`);
  const [wall] = measureRuns(
    spec(
      "npm",
      [
        "start",
        "--",
        "--stack",
        "dev",
        "--config-file",
        stackFile,
        "--serving-config-file",
        servingFile,
        "--json",
        planFile,
      ],
      `npm start -- --stack dev --config-file <${String(factor)}x file> --serving-config-file <${String(factor)}x file> --json <file>`,
    ),
    1,
    { allowFailure: true },
  );
  // The planner writes the plan before its policy check: a failing check (exit 1) still leaves a plan to measure.
  if (!existsSync(planFile))
    return {
      factor,
      clusters: scaled.clusters,
      endpoints: scaled.endpoints,
      resources: null,
      wall,
      fixedMonthly: null,
    };
  const plan = JSON.parse(readFileSync(planFile, "utf8")) as { resources?: unknown[] };
  return {
    factor,
    clusters: scaled.clusters,
    endpoints: scaled.endpoints,
    resources: plan.resources?.length ?? null,
    wall,
    fixedMonthly: await fixedMonthlyCost(plan),
  };
}

function timingTable(rows: Row[]): string {
  const table = new Table({
    head: ["measurement", "runs", "wall (median)", "peak memory", "status", "target"],
    style: TABLE_STYLE,
  });
  for (const row of rows) {
    const { wallMs, peakMiB } = summarize(row.runs);
    table.push([
      row.label,
      String(row.runs.length),
      seconds(wallMs),
      mib(peakMiB),
      status(row.runs),
      verdict(wallMs, row.targetMs),
    ]);
  }
  return table.toString();
}

function scalingTable(results: ScaleResult[]): string {
  const table = new Table({
    head: [
      "synthetic stack",
      "clusters",
      "endpoints",
      "resources",
      "plan wall",
      "peak memory",
      "status",
      "fixed monthly cost",
    ],
    style: TABLE_STYLE,
  });
  for (const r of results) {
    const cost = r.fixedMonthly ? usd(r.fixedMonthly.value) : "n/a";
    table.push([
      `${String(r.factor)}x`,
      String(r.clusters),
      String(r.endpoints),
      r.resources === null ? "no plan" : String(r.resources),
      seconds(r.wall.wallMs),
      mib(r.wall.peakMiB),
      status([r.wall]),
      cost,
    ]);
  }
  return table.toString();
}

/**
 * How a quantity grows with the number of copies: the first copy's increment (0x -> 1x, which may
 * include shared resources such as one alert action group) and the average increment of each
 * further copy (1x -> Nx). Linear growth: the further copies cost what the first one did.
 */
function growth(
  results: ScaleResult[],
  pick: (r: ScaleResult) => number | null,
  format: (n: number) => string,
): string {
  const [zero, one, many] = results;
  const [base, first, scaled] = [pick(zero), pick(one), pick(many)];
  if (base === null || first === null || scaled === null) return "n/a";
  const firstStep = first - base;
  const furtherStep = (scaled - first) / (many.factor - 1);
  const ratio = firstStep === 0 ? "n/a" : (furtherStep / firstStep).toFixed(2);
  return `first copy ${format(firstStep)}, each further copy ${format(furtherStep)} (ratio ${ratio}; 1.00 = linear)`;
}

async function main(): Promise<void> {
  const options = new Command()
    .name("npm run bench --")
    .option("--runs <n>", "runs of the type-check (median reported)", "3")
    .option("--start-runs <n>", "warm runs of npm start, each way (median reported)", "5")
    .option("--cold-runs <n>", "cold runs of npm start, each way (median reported)", "3")
    .option("--factor <n>", "scale of the large synthetic stack", "10")
    .option("--tests", "also time the test suite (npx vitest run)", false)
    .parse(process.argv.slice(2), { from: "user" })
    .opts<BenchOptions>();
  const runs = Math.max(1, Number(options.runs));
  const factor = Math.max(2, Number(options.factor));

  const rows: Row[] = [];
  const typecheckArgs = ["--noEmit", "-p", "tsconfig.json"];
  log("type-check with tsgo ...");
  rows.push({
    label: "type-check, tsgo (native compiler)",
    command: "npx tsgo --noEmit -p tsconfig.json",
    runs: measureRuns(spec(bin("tsgo"), typecheckArgs, "npx tsgo --noEmit -p tsconfig.json"), runs, {
      native: true,
      allowFailure: true,
    }),
    targetMs: TARGETS.typecheckMs,
  });
  log("type-check with tsc 5.9 ...");
  rows.push({
    label: "type-check, tsc 5.9",
    command: "npx tsc --noEmit -p tsconfig.json",
    runs: measureRuns(spec(bin("tsc"), typecheckArgs, "npx tsc --noEmit -p tsconfig.json"), 1, { allowFailure: true }),
  });
  const start = measureStart(Math.max(1, Number(options.coldRuns)), Math.max(1, Number(options.startRuns)), log);
  log("npm run prepare from scratch (what the build adds to npm ci) ...");
  const prepared = measurePrepare();
  if (options.tests) {
    log("test suite ...");
    rows.push({
      label: "test suite (npx vitest run)",
      command: "npx vitest run",
      runs: measureRuns(spec(bin("vitest"), ["run"], "npx vitest run"), 1, { allowFailure: true }),
      targetMs: TARGETS.testsMs,
    });
  }

  const devYaml = readFileSync(join(ROOT, "Pulumi.dev.yaml"), "utf8");
  const devServingYaml = readFileSync(join(ROOT, "serving", "Pulumi.dev.yaml"), "utf8");
  const shape = sourceShape(devYaml, devServingYaml);
  const scratch = mkdtempSync(join(tmpdir(), "secure-azureml-bench-"));
  const scaling: ScaleResult[] = [];
  try {
    for (const f of [0, 1, factor]) scaling.push(await planScaled(devYaml, devServingYaml, f, scratch));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const [tsgo, tsc] = [summarize(rows[0].runs), summarize(rows[1].runs)];
  const out: string[] = [];
  out.push(
    `Benchmark on ${String(availableParallelism())} CPU(s) (${cpus()[0]?.model ?? "unknown CPU"}), Node.js ${process.version}. Peak memory: ${memorySource()}.`,
  );
  out.push(
    `Targets (2 cores): whole-project type-check < 1.5 s; npm start for dev <= ${seconds(START_TARGETS.coldMs)} cold and <= ${seconds(START_TARGETS.warmMs)} warm (median); test suite < 60 s.`,
  );
  out.push("", "npm start -- --stack dev (policy check included), today's way and the new way:");
  out.push(startTable(start));
  out.push(
    "Cold: an empty TMPDIR (no tsx or ts-node cache), with the planner bundle and the prebuilt pack that npm ci's prepare builds. Rebuild: the first run after a source change (both rebuilt first).",
    "Phases (medians, from the planner): startup = process start to planning; the pack loads beside the plan; waits for pack = time the finished plan waited; today's startup excludes npm and the tsx CLI process.",
    `Pack loaded by: ${loadersSeen(start)}.`,
    `npm run prepare from scratch (npm ci's extra step: type-check and bundle the pack, bundle the planner): ${seconds(prepared.wallMs)}, peak ${mib(prepared.peakMiB)}${prepared.exitCode === 0 ? "" : `, exit ${String(prepared.exitCode)}`}.`,
  );
  out.push("", timingTable(rows));
  out.push(`tsgo is ${(tsc.wallMs / tsgo.wallMs).toFixed(1)}x faster than tsc 5.9 on this project.`);
  if (!options.tests) out.push("Test suite: not measured (add --tests; target < 60 s).");
  out.push(
    "",
    `Offline plan of the dev stack with 0x, 1x and ${String(factor)}x its training clusters and online endpoints (everything else unchanged):`,
  );
  out.push(scalingTable(scaling));
  if (shape.seeded.length > 0)
    out.push(`Pulumi.dev.yaml has no ${shape.seeded.join(" and no ")}: a one-entry seed stands in for it.`);
  out.push(
    `Growth per copy of the clusters and endpoints: resources: ${growth(
      scaling,
      (r) => r.resources,
      (n) => `+${n.toFixed(1)}`,
    )}.`,
  );
  out.push(
    `Fixed monthly cost: ${growth(
      scaling,
      (r) => r.fixedMonthly?.value ?? null,
      (n) => `+${usd(n)}`,
    )}.`,
  );
  const costSource = scaling.find((r) => r.fixedMonthly)?.fixedMonthly?.source;
  out.push(
    costSource
      ? `Cost source: ${costSource}. Usage-priced items (node-hours, GB ingested) are rates, not in the fixed total.`
      : "Cost: not available yet (no estimate in the plan and no estimator).",
  );
  process.stdout.write(`${out.join("\n")}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
