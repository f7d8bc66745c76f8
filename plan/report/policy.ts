import { TextFormat, heading, renderTable } from "./tables";

/** A policy violation, in the fields `pulumi preview --policy-pack` reports. */
export interface PolicyViolationLike {
  policy: string;
  enforcementLevel: string;
  /** The resource the violation is about; empty for a stack-level violation. */
  urn: string;
  message: string;
}

/** A policy check's result as the report and the diff read it (e.g. from plan/policy's report). */
export interface PolicyReportLike {
  /** One line, e.g. "passed: no mandatory violations". */
  verdict: string;
  violations: PolicyViolationLike[];
}

/** The resource name at the end of a URN (`...::amldev-storage` -> `amldev-storage`). */
export function urnName(urn: string): string {
  return urn ? (urn.split("::").pop() ?? urn) : "(stack)";
}

/** The first line of a policy message (the SDK puts the policy description there, details after). */
export function firstLine(message: string): string {
  return (
    message
      .split(/\r?\n/)
      .find((line) => line.trim() !== "")
      ?.trim() ?? ""
  );
}

const LEVEL_ORDER: Record<string, number> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };

/** Violations in a stable order: mandatory first, then policy, then resource. */
export function sortedViolations(violations: PolicyViolationLike[]): PolicyViolationLike[] {
  return [...violations].sort((a, b) => (LEVEL_ORDER[a.enforcementLevel] ?? 9) - (LEVEL_ORDER[b.enforcementLevel] ?? 9) || a.policy.localeCompare(b.policy) || a.urn.localeCompare(b.urn));
}

export function violationRows(violations: PolicyViolationLike[]): string[][] {
  return sortedViolations(violations).map((v) => [v.enforcementLevel, v.policy, urnName(v.urn), firstLine(v.message)]);
}

/** The policy verdict and its violations. */
export function renderPolicy(policy: PolicyReportLike | undefined, format: TextFormat): string {
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
