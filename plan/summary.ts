import { Plan } from "./contract";
import { CostEstimate } from "./cost";
import { biggestFixedItems, fixedTotalText } from "./cost/render";
import { DeployTimeEstimate } from "./deployTime";
import { criticalPathLine } from "./deployTime/render";
import { PolicyReport, sortViolations } from "./policy/report";
import { usd } from "./report/tables";
import { urnName } from "./report/renderPolicy";
import { shortenArmId } from "./terminal/armIds";
import { plannedLines } from "./terminal/planned";
import { Colors, DEFAULT_COLUMNS } from "./terminal/style";
import { listWithin, truncateEnd, truncateWords, wrapText } from "./terminal/text";

/**
 * The summary `npm start` prints by default: one screen (about 50 lines for the shipped stacks),
 * every line within the terminal's width. What is planned, the policy verdict, the fixed monthly
 * cost, the cold deploy time, and what to do next. `--details` adds the full tables
 * (plan/terminal/details.ts).
 */

/** How the policy check went. */
export type PolicyOutcome =
  { kind: "checked"; report: PolicyReport } | { kind: "skipped"; reason: string } | { kind: "failed"; reason: string };

export interface SummaryInputs {
  /** Required. The stack file(s) planned, as the user named them. */
  source: string;
  /** Required. The policy check's result, or why there is none. */
  policy: PolicyOutcome;
  /** Optional. The cost estimate; its section is left out without it. */
  cost?: CostEstimate;
  /** Optional. The deploy-time estimate; its section is left out without it. */
  deployTime?: DeployTimeEstimate;
  /** Optional. The config warnings the programs logged (`key: message`). */
  configWarnings?: readonly string[];
  /** Optional. The width every line fits; default 100. */
  columns?: number;
  /** Optional. Colour functions (picocolors `createColors`); default none. */
  colors?: Colors;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A section's first line: its label in bold, the plain rest cut to the width. */
function headed(label: string, rest: string, width: number, c: Colors | undefined): string {
  return `${c?.bold(label) ?? label} ${truncateEnd(rest, width - label.length - 1)}`;
}

/** Advisories shown on at most this many lines; the rest is counted. */
const ADVISORY_LINES = 2;

function policyLines(outcome: PolicyOutcome, width: number, c: Colors | undefined): string[] {
  if (outcome.kind === "skipped") return [headed("Policy:", `not checked (${outcome.reason}).`, width, c)];
  if (outcome.kind === "failed")
    return [headed("Policy:", `could not run (${outcome.reason}; details on stderr).`, width, c)];
  const report = outcome.report;
  const pack = `${report.pack.name}@${report.pack.version}, ${plural(report.policyCount, "policy", "policies")}`;
  const passed = report.counts.mandatory === 0;
  const verdict = passed ? "PASS" : `FAIL, ${plural(report.counts.mandatory, "mandatory violation")}`;
  const violations = sortViolations(report.violations);
  const advisories = violations.filter((v) => v.enforcementLevel === "advisory");
  const rules = [...new Set(advisories.map((v) => v.policy))];
  const advisoryCount =
    advisories.length === 0
      ? "no advisory violation."
      : `${plural(advisories.length, "advisory", "advisories")} from ${plural(rules.length, "rule")}:`;
  // On a pass the advisories are counted on the verdict's line (when it fits), their rules below.
  const together = `${verdict} (${pack}); ${advisoryCount}`;
  const first = headed("Policy:", passed && together.length + 8 <= width ? together : `${verdict} (${pack})`, width, c);
  const lines = [c ? first.replace(verdict, passed ? c.green(verdict) : c.red(verdict)) : first];
  // Mandatory (and remediate, which the engine enforces as mandatory) violations in full.
  for (const v of violations.filter((v) => v.enforcementLevel !== "advisory")) {
    lines.push(
      ...wrapText(`✗ ${v.policy} on ${urnName(v.urn)}`, width, { firstIndent: "  ", indent: "    " }).map(
        (line) => c?.red(line) ?? line,
      ),
    );
    lines.push(...wrapText(v.message, width, { firstIndent: "    ", indent: "    " }));
  }
  if (!first.includes(advisoryCount)) lines.push(`  ${advisoryCount}`);
  if (rules.length > 0)
    lines.push(...listWithin("", rules, width, ADVISORY_LINES, "  ").map((line) => c?.yellow(line) ?? line));
  return lines;
}

const COST_LABEL = "Cost (fixed, before usage):";
const BIGGEST = "Biggest items:";

function costLines(cost: CostEstimate, width: number, c: Colors | undefined): string[] {
  const lines = wrapText(`${COST_LABEL} ${fixedTotalText(cost)}.`, width, { indent: "  " });
  // "Biggest items:" ends the last line when it fits there, else it starts a line of its own.
  const last = lines.length - 1;
  if (lines[last].length + 1 + BIGGEST.length <= width) lines[last] = `${lines[last]} ${BIGGEST}`;
  else lines.push(`  ${BIGGEST}`);
  if (c) lines[0] = lines[0].replace(COST_LABEL, c.bold(COST_LABEL));
  const items = biggestFixedItems(cost, 3);
  const amountWidth = Math.max(...items.map((item) => usd(item.monthly).length));
  for (const item of items)
    lines.push(truncateWords(`  ${usd(item.monthly).padStart(amountWidth)}  ${item.resource}: ${item.label}`, width));
  return lines;
}

function deployTimeLines(estimate: DeployTimeEstimate, width: number, c: Colors | undefined): string[] {
  return [
    headed(
      "Deploy time:",
      `about ${Math.ceil(estimate.totalMinutes)} min for a cold \`pulumi up\`; the long steps of its critical path:`,
      width,
      c,
    ),
    `  ${criticalPathLine(estimate, width - 2)}`,
  ];
}

/** `/subscriptions/.../workspaces/<ws>/models/churn/versions/1` -> `models/churn/versions/1 in workspace <ws>`. */
function assetLabel(reference: string): string {
  const inWorkspace = /\/workspaces\/([^/]+)\/(.+)$/.exec(reference);
  return inWorkspace ? `${inWorkspace[2]} in workspace ${inWorkspace[1]}` : shortenArmId(reference);
}

/** The asset versions the serving layer checks before its `pulumi up` (its `requiredAssets` output). */
function requiredAssets(plan: Plan): { key: string; reference: string }[] {
  return (plan.layers ?? [])
    .slice(1)
    .flatMap((layer) =>
      Array.isArray(layer.outputs.requiredAssets)
        ? (layer.outputs.requiredAssets as { key: string; reference: string }[])
        : [],
    );
}

function nextLines(plan: Plan, inputs: SummaryInputs, width: number, c: Colors | undefined): string[] {
  const steps: string[][] = [];
  const assets = [...new Map(requiredAssets(plan).map((asset) => [asset.reference, asset])).values()];
  if (assets.length > 0)
    steps.push([
      "Register these before the serving `pulumi up` (it creates nothing while one is missing):",
      ...assets.map((asset) => truncateEnd(`     - ${assetLabel(asset.reference)}`, width)),
    ]);
  const warnings = inputs.configWarnings ?? [];
  if (warnings.length > 0)
    steps.push([
      `Review ${plural(warnings.length, "config warning")} (in full: npm start -- --details warnings):`,
      ...warnings.map((warning) => truncateWords(`     - ${warning}`, width)),
    ]);
  if (inputs.policy.kind === "checked" && inputs.policy.report.counts.mandatory > 0)
    steps.push(["Fix the mandatory policy violations above: `npm run policy` fails until they are gone."]);
  const lines = [(c?.bold ?? String)("Next:")];
  steps.forEach((step, i) => {
    lines.push(...wrapText(step[0], width, { firstIndent: `  ${i + 1}. `, indent: "     " }), ...step.slice(1));
  });
  if (steps.length === 0) lines.push("  Nothing to do before `pulumi up`.");
  lines.push(
    ...wrapText("Full tables: npm start -- --details, or --details <sections> (see npm start -- --help).", width, {
      firstIndent: "  ",
      indent: "  ",
    }).map((line) => c?.dim(line) ?? line),
  );
  return lines;
}

/** Warnings about the plan itself: secret placeholders and late registrations. */
function planWarnings(plan: Plan, width: number): string[] {
  const lines: string[] = [];
  if (plan.secretPlaceholders.length > 0)
    lines.push(
      ...wrapText(
        `Secrets are not decrypted offline; placeholders were used for: ${plan.secretPlaceholders.join(", ")}`,
        width,
      ),
    );
  if (plan.lateRegistrations.length > 0)
    lines.push(
      ...wrapText(
        `Warning: ${plan.lateRegistrations.length} resources were created inside .apply() or after an await (npm start -- --json lists them).`,
        width,
      ),
    );
  return lines;
}

/** The default summary of `npm start`, every line at most `inputs.columns` wide. */
export function renderSummary(plan: Plan, inputs: SummaryInputs): string {
  const width = inputs.columns ?? DEFAULT_COLUMNS;
  const c = inputs.colors;
  const custom = plan.resources.filter((r) => r.custom);
  const protectedCount = custom.filter((r) => r.options.protect).length;
  const layers = Math.max(1, plan.layers?.length ?? 1);
  const sections: string[][] = [
    [
      ...wrapText(`Offline plan of stack "${plan.stack}" (project ${plan.project}) from ${inputs.source}`, width).map(
        (line) => c?.bold(line) ?? line,
      ),
      ...wrapText("Ids are invented offline; names and settings are exactly what the program sends.", width).map(
        (line) => c?.dim(line) ?? line,
      ),
    ],
    [
      headed(
        "Planned:",
        `${custom.length} resources${protectedCount > 0 ? ` (${protectedCount} protected)` : ""}${layers > 1 ? `, ${layers} layers, one \`pulumi up\` each, in this order:` : ":"}`,
        width,
        c,
      ),
      ...plannedLines(plan, width),
    ],
  ];
  const warnings = planWarnings(plan, width);
  if (warnings.length > 0) sections.push(warnings.map((line) => c?.yellow(line) ?? line));
  sections.push(policyLines(inputs.policy, width, c));
  if (inputs.cost) sections.push(costLines(inputs.cost, width, c));
  if (inputs.deployTime) sections.push(deployTimeLines(inputs.deployTime, width, c));
  sections.push(nextLines(plan, inputs, width, c));
  return sections.map((lines) => lines.join("\n")).join("\n\n");
}
