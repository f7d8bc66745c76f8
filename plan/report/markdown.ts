import { Plan } from "../contract";
import { renderCostTable } from "../cost/render";
import { CostEstimate } from "../cost/types";
import { renderMermaid } from "../diagram/mermaid";
import { roleRows } from "../diagram/roles";
import { DeployTimeEstimate } from "../deployTime/estimate";
import { PolicySummary } from "../policy/report";
import { renderDeployTime } from "../deployTime/render";
import { PlanIndex } from "../planIndex";
import { renderPolicy } from "./renderPolicy";
import { renderTable, usd } from "./tables";

export interface MarkdownReportInputs {
  cost: CostEstimate;
  deployTime: DeployTimeEstimate;
  /** Optional. The policy check's verdict and violations; the report says none was run when absent. */
  policy?: PolicySummary;
  /** Optional. Where the config came from (e.g. `Pulumi.dev.yaml`), shown in the title line. */
  source?: string;
}

function fixedCostSummary(cost: CostEstimate): string {
  const unknown = cost.unpricedFixed.length + cost.unknownTypes.reduce((n, t) => n + t.count, 0);
  return unknown > 0
    ? `at least ${usd(cost.totalFixedMonthly)} per month (+${unknown} of unknown price)`
    : `${usd(cost.totalFixedMonthly)} per month`;
}

function summary(plan: Plan, inputs: MarkdownReportInputs): string {
  const index = new PlanIndex(plan);
  const custom = index.custom;
  const rows = [
    [
      "resources `pulumi up` would create",
      `${custom.length} (${custom.filter((r) => r.options.protect).length} protected) in ${plan.resources.length - custom.length} components`,
    ],
    ["region", index.mainRegion],
    ["policy", inputs.policy ? inputs.policy.verdict : "not run"],
    ["fixed cost (idle)", fixedCostSummary(inputs.cost)],
    ["cold deploy", `about ${Math.ceil(inputs.deployTime.totalMinutes)} min`],
  ];
  return renderTable(["", ""], rows, "markdown");
}

function resourcesByType(plan: Plan): string {
  const counts = new Map<string, number>();
  for (const resource of plan.resources.filter((r) => r.custom))
    counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
  const rows = [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, count]) => [`\`${type}\``, String(count)]);
  return renderTable(["resource type", "count"], rows, "markdown");
}

/** A collapsible block; GitHub renders the markdown inside it. */
export function details(summaryText: string, body: string, open = false): string {
  return [`<details${open ? " open" : ""}><summary>${summaryText}</summary>`, "", body, "", "</details>"].join("\n");
}

function warnings(plan: Plan): string[] {
  const lines: string[] = [];
  if (plan.lateRegistrations.length > 0)
    lines.push(
      `> [!WARNING]\n> ${plan.lateRegistrations.length} resources were created inside \`.apply()\` or after an await.`,
    );
  if (plan.secretPlaceholders.length > 0)
    lines.push(
      `> [!NOTE]\n> Secret config values were not decrypted offline; placeholders stand in for: ${plan.secretPlaceholders.join(", ")}.`,
    );
  return lines;
}

/** The architecture diagram and, beside it, the role assignments it does not draw. */
export function architectureSection(plan: Plan): string {
  const roles = roleRows(plan);
  return [
    "### Architecture",
    "",
    ["```mermaid", renderMermaid(plan), "```"].join("\n"),
    "",
    "<sub>Private endpoints are grouped per service (with their DNS zones); roles are listed below, not drawn.</sub>",
    "",
    `### Role assignments (${roles.length})`,
    "",
    roles.length === 0
      ? "None."
      : renderTable(
          ["principal", "role", "scope", "why"],
          roles.map((r) => [r.principal, r.role, r.scope, r.why]),
          "markdown",
        ),
  ].join("\n");
}

/** The PR-ready markdown report of one plan: summary, policy verdict, cost, deploy time, architecture and roles. */
export function renderMarkdownReport(plan: Plan, inputs: MarkdownReportInputs): string {
  const title = `## Offline plan of \`${plan.project}\` stack \`${plan.stack}\`${inputs.source ? ` (${inputs.source})` : ""}`;
  return [
    title,
    "",
    summary(plan, inputs),
    "",
    ...warnings(plan).flatMap((w) => [w, ""]),
    details("Resources by type", resourcesByType(plan)),
    "",
    renderPolicy(inputs.policy, "markdown"),
    "",
    renderCostTable(inputs.cost, { format: "markdown" }),
    "",
    renderDeployTime(inputs.deployTime, { format: "markdown" }),
    "",
    architectureSection(plan),
    "",
    "<sub>Ids are invented by the offline engine; names, settings and wiring are exactly what the program sends. Costs are list-price estimates.</sub>",
    "",
  ].join("\n");
}
