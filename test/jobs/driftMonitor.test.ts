import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The drift job script (assets/jobs/drift_monitor.py) run for real on collector-shaped folders:
 * window selection, the distances, data quality rates, the report and the exit code that fails the
 * run (and so fires the "Failed Runs" alert). Needs a python3 (3.8+) on PATH; the suite is skipped
 * where there is none, and the lead's machine runs it.
 */

const SCRIPT = resolve(__dirname, "../../assets/jobs/drift_monitor.py");
const PYTHON = spawnSync("python3", ["--version"]).status === 0;
const NOW = "2026-11-26T00:00:00Z";
const root = mkdtempSync(join(tmpdir(), "drift-monitor-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Row = Record<string, unknown>;

/** Collector events (five rows each) under <folder>/2026/11/<day>/03/events.jsonl. */
function collect(folder: string, day: number, rows: Row[]): void {
  const dir = join(folder, "2026", "11", String(day).padStart(2, "0"), "03");
  mkdirSync(dir, { recursive: true });
  const lines = [];
  for (let i = 0; i < rows.length; i += 5)
    lines.push(
      JSON.stringify({ specversion: "1.0", type: "azureml.inference.model_inputs", data: rows.slice(i, i + 5) }),
    );
  writeFileSync(join(dir, "events.jsonl"), `${lines.join("\n")}\n`, { flag: "a" });
}

const THRESHOLDS = [
  ["--data-drift-numerical-metric", "JensenShannonDistance", "--data-drift-numerical-threshold", "0.1"],
  ["--data-drift-categorical-metric", "PopulationStabilityIndex", "--data-drift-categorical-threshold", "0.2"],
  ["--prediction-drift-numerical-metric", "JensenShannonDistance", "--prediction-drift-numerical-threshold", "0.1"],
  [
    "--prediction-drift-categorical-metric",
    "PopulationStabilityIndex",
    "--prediction-drift-categorical-threshold",
    "0.1",
  ],
  ["--null-value-rate", "0.02", "--data-type-error-rate", "0.05", "--out-of-bounds-rate", "0.05"],
].flat();

interface Report {
  baseline: string | string[];
  rows: Record<string, number>;
  breaches: string[];
  notes: string[];
  signals: Record<string, { features: Record<string, Record<string, unknown>> }>;
}

/** Runs the script on `<case>/inputs` and `<case>/outputs` with a 7-day window ending NOW. */
function run(name: string, extra: string[] = []): { status: number | null; report: Report } {
  const dir = join(root, name);
  const reportPath = join(dir, "report.json");
  const result = spawnSync(
    "python3",
    [
      SCRIPT,
      "--inputs",
      join(dir, "inputs"),
      "--outputs",
      join(dir, "outputs"),
      "--lookback-days",
      "7",
      "--now",
      NOW,
      ...THRESHOLDS,
      "--report",
      reportPath,
      ...extra,
    ],
    {
      encoding: "utf8",
    },
  );
  if (result.status !== 0 && result.status !== 1) throw new Error(`drift_monitor.py failed: ${result.stderr}`);
  return { status: result.status, report: JSON.parse(readFileSync(reportPath, "utf8")) as Report };
}

const plans = (a: number, b: number): Row[] => [
  ...Array.from({ length: a }, () => ({ plan: "A" })),
  ...Array.from({ length: b }, () => ({ plan: "B" })),
];
const outputs = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({ churn: i % 4 === 0 }));

describe.skipIf(!PYTHON)("drift_monitor.py", () => {
  it("passes (exit 0) when production matches the window before, with every distance 0", () => {
    const dir = join(root, "stable");
    collect(join(dir, "inputs"), 15, plans(50, 50)); // baseline window: Nov 12-19
    collect(join(dir, "inputs"), 22, plans(50, 50)); // production window: Nov 19-26
    collect(join(dir, "outputs"), 15, outputs(100));
    collect(join(dir, "outputs"), 22, outputs(100));
    const { status, report } = run("stable");
    expect(status).toBe(0);
    expect(report.breaches).toEqual([]);
    expect(report.rows).toEqual({
      productionInputs: 100,
      productionOutputs: 100,
      baselineInputs: 100,
      baselineOutputs: 100,
    });
    expect(report.signals.dataDrift.features.plan).toEqual({
      type: "categorical",
      metric: "PopulationStabilityIndex",
      value: 0,
      threshold: 0.2,
    });
    expect(report.signals.predictionDrift.features.churn.value).toBe(0);
  });

  it("fails (exit 1) on categorical drift, with the population stability index of the shift", () => {
    const dir = join(root, "drifted");
    collect(join(dir, "inputs"), 15, plans(50, 50));
    collect(join(dir, "inputs"), 22, plans(90, 10));
    collect(join(dir, "outputs"), 15, outputs(100));
    collect(join(dir, "outputs"), 22, outputs(100));
    collect(join(dir, "inputs"), 5, plans(0, 100)); // outside both windows: ignored
    const { status, report } = run("drifted");
    // PSI = sum (p - q) ln(p / q) over A: 0.5 -> 0.9 and B: 0.5 -> 0.1.
    const psi = 0.4 * Math.log(0.9 / 0.5) + -0.4 * Math.log(0.1 / 0.5);
    expect(status).toBe(1);
    expect(report.signals.dataDrift.features.plan.value).toBeCloseTo(psi, 10);
    expect(report.breaches).toEqual([`data drift: plan PopulationStabilityIndex ${psi.toFixed(4)} > 0.2`]);
  });

  it("measures numerical drift as Jensen-Shannon distance over the baseline's deciles", () => {
    const dir = join(root, "numerical");
    collect(
      join(dir, "inputs"),
      15,
      Array.from({ length: 100 }, (_, i) => ({ age: i })),
    );
    collect(
      join(dir, "inputs"),
      22,
      Array.from({ length: 100 }, () => ({ age: 5 })),
    );
    const { status, report } = run("numerical");
    // Baseline: ten bins of 10%; production: everything in the first bin (empty bins count as 1e-6).
    const p = Array.from({ length: 10 }, () => 0.1);
    const q = [1, ...Array.from({ length: 9 }, () => 1e-6)];
    const m = p.map((v, i) => (v + q[i]) / 2);
    const js = Math.sqrt(
      p.reduce((s, v, i) => s + (v * Math.log2(v / m[i])) / 2, 0) +
        q.reduce((s, v, i) => s + (v * Math.log2(v / m[i])) / 2, 0),
    );
    expect(report.signals.dataDrift.features.age).toMatchObject({
      type: "numerical",
      metric: "JensenShannonDistance",
      threshold: 0.1,
    });
    expect(report.signals.dataDrift.features.age.value).toBeCloseTo(js, 10);
    expect(status).toBe(1);
    expect(report.notes).toEqual(["no outputs in one of the windows: prediction drift not computed"]);
  });

  it("fails on data quality: null values, wrong types and values outside the baseline", () => {
    const dir = join(root, "quality");
    collect(join(dir, "inputs"), 15, [...Array.from({ length: 20 }, (_, i) => ({ age: 20 + i, plan: "A" }))]);
    collect(join(dir, "inputs"), 22, [
      ...Array.from({ length: 16 }, (_, i) => ({ age: 20 + i, plan: "A" })),
      { age: null, plan: "A" },
      { age: "unknown", plan: "A" },
      { age: 99, plan: "Z" },
      { age: 25, plan: null },
    ]);
    const { report } = run("quality");
    const quality = report.signals.dataQuality.features;
    expect(quality.age).toMatchObject({
      nullValueRate: { value: 1 / 20 },
      dataTypeErrorRate: { value: 1 / 19 },
      outOfBoundsRate: { value: 1 / 19 },
    });
    expect(quality.plan).toMatchObject({ nullValueRate: { value: 1 / 20 }, outOfBoundsRate: { value: 1 / 19 } });
    expect(report.breaches).toEqual(
      expect.arrayContaining([
        "data quality: age nullValueRate 0.0500 > 0.02",
        "data quality: age dataTypeErrorRate 0.0526 > 0.05",
        "data quality: age outOfBoundsRate 0.0526 > 0.05",
        "data quality: plan nullValueRate 0.0500 > 0.02",
        "data quality: plan outOfBoundsRate 0.0526 > 0.05",
      ]),
    );
  });

  it("fails when nothing was collected in the window, and compares with --reference rows when given", () => {
    const empty = join(root, "empty");
    mkdirSync(join(empty, "inputs"), { recursive: true });
    mkdirSync(join(empty, "outputs"), { recursive: true });
    const none = run("empty");
    expect(none.status).toBe(1);
    expect(none.report.breaches).toEqual([
      "no production inputs were collected in the window: check the deployment's traffic and its data collector",
    ]);

    const dir = join(root, "reference");
    collect(join(dir, "inputs"), 22, plans(50, 50));
    mkdirSync(join(dir, "training"), { recursive: true });
    writeFileSync(join(dir, "training", "part-0.csv"), `plan\n${"A\n".repeat(50)}${"B\n".repeat(50)}`);
    const { status, report } = run("reference", ["--reference", join(dir, "training")]);
    expect(report.baseline).toBe("reference");
    expect(report.rows.baselineInputs).toBe(100);
    expect(report.signals.dataDrift.features.plan.value).toBe(0);
    expect(status).toBe(0);
  });
});
