import { TYPES } from "secure-azureml-facts";
import { Plan } from "../contract";
import { CostEstimate } from "../cost/types";
import { DeployTimeEstimate } from "../deployTime/estimate";
import { MAX_CHANGE_NODES, renderChangeDiagram } from "../diagram/changes";
import { kindName } from "../kindNames";
import { PlanDiff, ResourceRef } from "../diff/diff";
import { protectedDeletionWarning, renderChangeSections, signed, violationTable } from "../diff/render";
import { PlanIndex, asString } from "../planIndex";
import { details, renderMarkdownReport } from "./markdown";
import { renderTable, usd } from "./tables";

/**
 * The pull-request report of one stack: the change first (what the pull request adds, changes and
 * removes, with the notable resources, the cost, deploy-time and policy deltas, and a diagram of
 * the change), then the head's full environment report, collapsed.
 */

export interface PullRequestReportInputs {
  /** Required. The plan of the base commit (an empty plan when the stack is new there). */
  base: Plan;
  /** Required. The plan of the head commit. */
  head: Plan;
  /** Required. `diffPlans(base, head)`. */
  diff: PlanDiff;
  /** Required. The head's cost estimate, for its environment report. */
  headCost: CostEstimate;
  /** Required. Cold-deploy estimates of both sides, for the deploy-time delta. */
  deployTime: { base: DeployTimeEstimate; head: DeployTimeEstimate };
  /** Optional. Where the head's config came from (e.g. `Pulumi.dev.yaml`), shown in the environment title. */
  source?: string;
}

/** Resource types too small to name among a change's notable resources (they are counted, and listed in the details). */
const MINOR_TYPES: ReadonlySet<string> = new Set([
  TYPES.roleAssignment,
  TYPES.diagnostic,
  TYPES.zoneGroup,
  TYPES.zoneLink,
  TYPES.securityRule,
  TYPES.blobService,
  TYPES.fileService,
  TYPES.lockByScope,
  TYPES.lockAtResource,
  TYPES.lockAtResourceGroup,
  TYPES.lockAtSubscription,
  TYPES.metricAlert,
  TYPES.dataVersion,
  TYPES.environmentVersion,
  TYPES.codeVersion,
  TYPES.modelVersion,
]);
const MAX_NOTABLE = 5;

function notable(refs: ResourceRef[], plan: Plan): string {
  if (refs.length === 0) return "";
  const index = new PlanIndex(plan);
  const isNotable = (r: ResourceRef) => r.type.startsWith("azure-native:") && !MINOR_TYPES.has(r.type);
  const shown = refs.filter(isNotable).slice(0, MAX_NOTABLE);
  const names = shown.map((r) => {
    const resource = index.resource(r.urn);
    return `${(resource && asString(resource.outputs.name)) ?? r.name} (${kindName(r.type)})`;
  });
  const rest = refs.filter((r) => !shown.includes(r));
  if (names.length === 0) return `: ${countByKind(rest)}`;
  return `: ${names.join(", ")}${rest.length > 0 ? `; also ${countByKind(rest)}` : ""}`;
}

function countByKind(refs: ResourceRef[]): string {
  const counts = new Map<string, number>();
  for (const r of refs) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts.entries()].map(([type, n]) => `${n} ${kindName(type, n)}`).join(", ");
}

function minutes(estimate: DeployTimeEstimate): number {
  return Math.ceil(estimate.totalMinutes);
}

function deployTimeDelta(base: DeployTimeEstimate, head: DeployTimeEstimate): string {
  const delta = minutes(head) - minutes(base);
  const change = delta === 0 ? "no change" : `${delta > 0 ? "+" : ""}${delta} min`;
  return `about ${minutes(base)} → ${minutes(head)} min (${change})`;
}

function policyDelta(diff: PlanDiff): string {
  if (!diff.policy) return "not run on either side";
  const { introduced, fixed, headVerdict } = diff.policy;
  const mandatory = introduced.filter((v) => v.enforcementLevel === "mandatory").length;
  return [
    `${introduced.length} new violation${introduced.length === 1 ? "" : "s"}${mandatory > 0 ? ` (${mandatory} mandatory)` : ""}`,
    `${fixed.length} fixed`,
    headVerdict ? `head: ${headVerdict}` : "head: not run",
  ].join(", ");
}

function changeSummary(inputs: PullRequestReportInputs): string {
  const { diff, base, head } = inputs;
  const replaced = diff.changed.filter((c) => c.replaced);
  const cost = diff.cost;
  const rows = [
    ["adds", `${diff.added.length}${notable(diff.added, head)}`],
    [
      "changes",
      `${diff.changed.length}${replaced.length > 0 ? ` (${replaced.length} replaced)` : ""}${notable(diff.changed, head)}`,
    ],
    ["removes", `${diff.removed.length}${notable(diff.removed, base)}`],
    [
      "fixed monthly cost",
      `${usd(cost.baseMonthly)} → ${usd(cost.headMonthly)} (${signed(cost.deltaMonthly)})${cost.incomplete ? "; some items of unknown price" : ""}`,
    ],
    ["cold deploy", deployTimeDelta(inputs.deployTime.base, inputs.deployTime.head)],
    ["policy", policyDelta(diff)],
  ];
  return renderTable(["this pull request", ""], rows, "markdown");
}

function changeCount(diff: PlanDiff): string {
  const total = diff.added.length + diff.changed.length + diff.removed.length;
  if (total === 0) return "no resource changes";
  return `+${diff.added.length} ~${diff.changed.length} -${diff.removed.length}`;
}

/** The pull-request report of one stack (markdown): the change first, the head's environment collapsed. */
export function renderPullRequestReport(inputs: PullRequestReportInputs): string {
  const { diff, base, head } = inputs;
  const changes = diff.added.length + diff.changed.length + diff.removed.length;
  const newStack = diff.base.resources === 0;
  const lines = [
    `### Stack \`${head.stack}\`: ${changeCount(diff)}, fixed cost ${signed(diff.cost.deltaMonthly)}/month`,
    "",
    changeSummary(inputs),
    "",
  ];
  const warning = protectedDeletionWarning(diff, "markdown");
  if (warning) lines.push(warning, "");
  // New mandatory violations in full (they fail the check); new advisories and fixed ones collapsed.
  const introduced = diff.policy?.introduced ?? [];
  const mandatory = introduced.filter((v) => v.enforcementLevel === "mandatory");
  const advisory = introduced.filter((v) => v.enforcementLevel !== "mandatory");
  if (mandatory.length > 0) lines.push("#### New policy violations", "", violationTable(mandatory, "markdown"), "");
  if (advisory.length > 0)
    lines.push(details(`New advisory violations (${advisory.length})`, violationTable(advisory, "markdown")), "");
  if (diff.policy && diff.policy.fixed.length > 0)
    lines.push(
      details(`Fixed policy violations (${diff.policy.fixed.length})`, violationTable(diff.policy.fixed, "markdown")),
      "",
    );
  if (newStack) {
    lines.push("The base has no resources for this stack: every resource is new, as the environment below shows.", "");
  } else if (changes > 0) {
    const { text } = renderChangeDiagram(diff, base, head);
    lines.push(
      "#### What changes",
      "",
      ["```mermaid", text, "```"].join("\n"),
      "",
      `<sub>Green: added, amber: changed, red (dashed): removed; grouped as in the architecture diagram, at most ${MAX_CHANGE_NODES} boxes.</sub>`,
      "",
      details(
        "Change details: inputs, replacements, cost by resource",
        renderChangeSections(diff, "markdown", 4).join("\n\n"),
      ),
      "",
    );
  } else {
    lines.push("No resource changes.", "");
  }
  lines.push(
    details(
      `Full environment of the head: ${head.stack}, ${diff.head.resources} resources`,
      renderMarkdownReport(head, {
        cost: inputs.headCost,
        deployTime: inputs.deployTime.head,
        policy: head.policy,
        source: inputs.source,
      }),
      newStack,
    ),
    "",
  );
  return lines.join("\n");
}
