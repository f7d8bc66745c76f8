import { EnforcementLevel } from "./config";

/**
 * The result of one offline policy check, in the terms `pulumi preview --policy-pack` reports: the
 * one violation and report shape every output reads (the text report, the markdown PR report, the
 * plan JSON's `policy` and plan-diff). Data and pure functions only; rendering is in plan/report/.
 */

export type Severity = "low" | "medium" | "high" | "critical" | "";

export interface PolicyViolation {
  policy: string;
  enforcementLevel: EnforcementLevel;
  /** The resource the violation is about; empty for a stack-level violation without a resource. */
  urn: string;
  /** Exactly what the pack reported (the policy SDK puts the policy description on the first line). */
  message: string;
  /** The policy's severity; absent in a plan file's summary (`PolicySummary`). */
  severity?: Severity;
  /** Whether `Analyze` (resource inputs) or `AnalyzeStack` (stack outputs) reported it; absent in a plan file's summary. */
  stage?: "resource" | "stack";
}

/** A `remediate`-level policy that changed a resource's inputs before analysis. */
export interface PolicyRemediation {
  policy: string;
  urn: string;
  /** Set when the remediation could not run (e.g. unknown values); otherwise the inputs changed. */
  diagnostic?: string;
}

export interface PolicyReport {
  pack: { name: string; version: string };
  policyCount: number;
  /** Resources sent to `Analyze` (and, all together, to `AnalyzeStack`). */
  resourceCount: number;
  /** The policy config file applied over the pack's defaults, or null for the defaults. */
  configSource: string | null;
  violations: PolicyViolation[];
  counts: Record<"mandatory" | "advisory", number>;
  remediations: PolicyRemediation[];
  /** Config entries that have no effect, and similar hints. */
  warnings: string[];
  /** What the pack process printed besides its port (its own logs). */
  packOutput: string[];
  /** Milliseconds: the pack's start (spawn to port), the analysis, and checking or rebuilding its prebuilt JavaScript. */
  timings: { startMs: number; analyzeMs: number; buildMs?: number };
  /** How the pack was loaded: prebuilt JavaScript or the CLI's run-policy-pack (absent in older reports). */
  packLoad?: { kind: "prebuilt" | "run-policy-pack"; note?: string; buildMs: number };
}

/** The policy part of a plan file (`npm start -- --json`), which the PR report and plan-diff read. */
export interface PolicySummary {
  /** One line: PASS or FAIL with the counts (`verdictLine`). */
  verdict: string;
  /** Each violation's policy, enforcement level, resource URN and message (severity and stage are not written). */
  violations: PolicyViolation[];
}

const LEVEL_ORDER: Record<string, number> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };

/** Violations in a stable order: mandatory first, then by policy, then by resource, then by message. */
export function sortViolations(violations: PolicyViolation[]): PolicyViolation[] {
  return [...violations].sort(
    (a, b) =>
      (LEVEL_ORDER[a.enforcementLevel] ?? 9) - (LEVEL_ORDER[b.enforcementLevel] ?? 9) ||
      a.policy.localeCompare(b.policy) ||
      a.urn.localeCompare(b.urn) ||
      a.message.localeCompare(b.message),
  );
}

export function countByLevel(violations: PolicyViolation[]): PolicyReport["counts"] {
  return {
    // The engine treats a remediate-level violation as mandatory.
    mandatory: violations.filter((v) => v.enforcementLevel === "mandatory" || v.enforcementLevel === "remediate")
      .length,
    advisory: violations.filter((v) => v.enforcementLevel === "advisory").length,
  };
}

/** True when no mandatory violation remains: the gate `npm run policy` applies. */
export function passes(report: PolicyReport): boolean {
  return report.counts.mandatory === 0;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** One line: PASS or FAIL, with the pack and the counts. */
export function verdictLine(report: PolicyReport): string {
  const context = `${plural(report.counts.advisory, "advisory violation")}; ${report.pack.name}@${report.pack.version}, ${plural(report.policyCount, "policy", "policies")}`;
  if (passes(report)) return `PASS: no mandatory violation (${context})`;
  return `FAIL: ${plural(report.counts.mandatory, "mandatory violation")} (${context})`;
}

/** What a plan file keeps of a report: the verdict and each violation's policy, level, resource and message. */
export function policySummary(report: PolicyReport): PolicySummary {
  return {
    verdict: verdictLine(report),
    violations: report.violations.map(({ policy, enforcementLevel, urn, message }) => ({
      policy,
      enforcementLevel,
      urn,
      message,
    })),
  };
}

/** The first line of a policy message (the SDK puts the policy description there, details after). */
/**
 * What a violation says about its resource: the message after the policy's description (its first
 * line), or the first line when there is nothing after it.
 */
export function findingText(message: string): string {
  const lines = message.split(/\r?\n/);
  const first = lines.findIndex((line) => line.trim() !== "");
  const rest = lines
    .slice(first + 1)
    .join("\n")
    .trim();
  return rest === "" ? firstLine(message) : rest;
}

export function firstLine(message: string): string {
  return (
    message
      .split(/\r?\n/)
      .find((line) => line.trim() !== "")
      ?.trim() ?? ""
  );
}

/** Two violations are the same finding when policy, resource and the message's first line agree (plan-diff's key). */
export function violationKey(violation: PolicyViolation): string {
  return `${violation.policy}|${violation.urn}|${firstLine(violation.message)}`;
}
