import {
  PolicyReport,
  PolicySummary,
  PolicyViolation,
  findingText,
  firstLine,
  sortViolations,
  verdictLine,
} from "../policy/report";
import { TextFormat, heading, renderTable } from "./tables";

/** Rendering of a policy check (plan/policy/report.ts): the full console report, and the verdict section of the PR report. */

/** The resource name at the end of a URN (`...::amldev-storage` -> `amldev-storage`). */
export function urnName(urn: string): string {
  return urn ? (urn.split("::").pop() ?? urn) : "(stack)";
}

/**
 * One table row per violation, in the stable order: level, policy, resource name, and what the
 * violation says about that resource (`findingText`: the policy's description, the same on every
 * row of a policy, is left out when the message has more).
 */
export function violationRows(violations: PolicyViolation[]): string[][] {
  return sortViolations(violations).map((v) => [v.enforcementLevel, v.policy, urnName(v.urn), findingText(v.message)]);
}

/** The policy verdict and its violations, as a section of the PR report (markdown) or a console table. */
export function renderPolicy(policy: PolicySummary | undefined, format: TextFormat): string {
  const lines = [heading("Policy verdict", format), ""];
  if (!policy) {
    lines.push("No policy check was run for this report.");
    return lines.join("\n");
  }
  lines.push(format === "markdown" ? `**${policy.verdict}**` : policy.verdict, "");
  if (policy.violations.length === 0) {
    lines.push("No violations.");
  } else {
    lines.push(renderTable(["level", "policy", "resource", "message"], violationRows(policy.violations), format));
  }
  return lines.join("\n");
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n");
}

/** The console report of `npm run policy`: header, counts, each violation (policy, level, resource URN, full message), verdict. */
export function renderReport(report: PolicyReport): string {
  const lines = [
    `Policy pack ${report.pack.name}@${report.pack.version}: ${plural(report.policyCount, "policy", "policies")} on ${plural(report.resourceCount, "resource")}, config: ${report.configSource ?? "pack defaults"}`,
  ];
  lines.push(
    renderTable(
      ["enforcement level", "violations"],
      [
        ["mandatory", String(report.counts.mandatory)],
        ["advisory", String(report.counts.advisory)],
      ],
      "text",
    ),
  );
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  if (report.violations.length > 0) lines.push("", "Violations");
  let previous: PolicyViolation | undefined;
  for (const v of sortViolations(report.violations)) {
    // Another finding of the same policy on the same resource: its detail only, not the description again.
    const repeat =
      previous !== undefined &&
      previous.policy === v.policy &&
      previous.urn === v.urn &&
      firstLine(previous.message) === firstLine(v.message);
    if (repeat) lines.push(indent(findingText(v.message), "  "));
    else
      lines.push(
        `[${v.enforcementLevel}${v.severity ? `, ${v.severity}` : ""}] ${v.policy}`,
        `  resource: ${v.urn || "(stack)"}`,
        indent(v.message, "  "),
      );
    previous = v;
  }
  if (report.remediations.length > 0) {
    lines.push("", "Remediations (inputs changed by remediate-level policies before analysis)");
    for (const r of report.remediations)
      lines.push(`  ${r.policy}: ${r.urn}${r.diagnostic ? ` (${r.diagnostic})` : ""}`);
  }
  if (report.packOutput.length > 0) lines.push("", "Policy pack output", ...report.packOutput.map((l) => `  ${l}`));
  lines.push(
    "",
    `Pack loaded in ${(report.timings.startMs / 1000).toFixed(1)} s; analysis took ${(report.timings.analyzeMs / 1000).toFixed(2)} s.`,
  );
  lines.push(verdictLine(report));
  return lines.join("\n");
}
