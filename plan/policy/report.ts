import Table from "cli-table3";
import { EnforcementLevel } from "./config";

/** The result of one offline policy check, in the terms `pulumi preview --policy-pack` reports. */

export type Severity = "low" | "medium" | "high" | "critical" | "";

export interface PolicyViolation {
  policy: string;
  enforcementLevel: EnforcementLevel;
  severity: Severity;
  /** The resource the violation is about; empty for a stack-level violation without a resource. */
  urn: string;
  /** Exactly what the pack reported (the policy SDK puts the policy description on the first line). */
  message: string;
  /** Whether `Analyze` (resource inputs) or `AnalyzeStack` (stack outputs) reported it. */
  stage: "resource" | "stack";
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
  timings: { startMs: number; analyzeMs: number };
}

const LEVEL_ORDER: Record<string, number> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };

/** Violations in a stable order: mandatory first, then by policy, then by resource. */
export function sortViolations(violations: PolicyViolation[]): PolicyViolation[] {
  return [...violations].sort(
    (a, b) => (LEVEL_ORDER[a.enforcementLevel] ?? 9) - (LEVEL_ORDER[b.enforcementLevel] ?? 9) || a.policy.localeCompare(b.policy) || a.urn.localeCompare(b.urn) || a.message.localeCompare(b.message),
  );
}

export function countByLevel(violations: PolicyViolation[]): PolicyReport["counts"] {
  return {
    // The engine treats a remediate-level violation as mandatory.
    mandatory: violations.filter((v) => v.enforcementLevel === "mandatory" || v.enforcementLevel === "remediate").length,
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

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n");
}

const TABLE_STYLE = { head: [], border: [], compact: true };

/** The readable report: header, counts, each violation (policy, level, resource URN, message), verdict. */
export function renderReport(report: PolicyReport): string {
  const lines = [
    `Policy pack ${report.pack.name}@${report.pack.version}: ${plural(report.policyCount, "policy", "policies")} on ${plural(report.resourceCount, "resource")}, config: ${report.configSource ?? "pack defaults"}`,
  ];
  const counts = new Table({ head: ["enforcement level", "violations"], style: TABLE_STYLE });
  counts.push(["mandatory", report.counts.mandatory], ["advisory", report.counts.advisory]);
  lines.push(counts.toString());
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  if (report.violations.length > 0) lines.push("", "Violations");
  for (const v of sortViolations(report.violations)) {
    lines.push(`[${v.enforcementLevel}${v.severity ? `, ${v.severity}` : ""}] ${v.policy}`, `  resource: ${v.urn || "(stack)"}`, indent(v.message, "  "));
  }
  if (report.remediations.length > 0) {
    lines.push("", "Remediations (inputs changed by remediate-level policies before analysis)");
    for (const r of report.remediations) lines.push(`  ${r.policy}: ${r.urn}${r.diagnostic ? ` (${r.diagnostic})` : ""}`);
  }
  if (report.packOutput.length > 0) lines.push("", "Policy pack output", ...report.packOutput.map((l) => `  ${l}`));
  lines.push("", `Pack loaded in ${(report.timings.startMs / 1000).toFixed(1)} s; analysis took ${(report.timings.analyzeMs / 1000).toFixed(2)} s.`);
  lines.push(verdictLine(report));
  return lines.join("\n");
}
