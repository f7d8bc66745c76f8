import { shortType } from "../planIndex";
import { urnName, violationRows } from "../report/renderPolicy";
import { TextFormat, code, heading, renderTable, usd } from "../report/tables";
import { PolicyViolation } from "../policy/report";
import { ChangedResource, InputChange, PlanDiff } from "./diff";

const MAX_VALUE = 80;

/** A value for a table cell: ARM ids by their last segment, long JSON cut short. */
export function displayValue(value: unknown): string {
  if (value === undefined) return "(unset)";
  if (typeof value === "string") {
    const text = value.startsWith("/subscriptions/") ? `.../${value.split("/").pop() ?? ""}` : value;
    return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
  }
  const json = JSON.stringify(value);
  return json.length > MAX_VALUE ? `${json.slice(0, MAX_VALUE - 1)}…` : json;
}

/** A signed dollar amount: `+$12.00`, `-$3.50`, `±$0.00`. */
export function signed(amount: number): string {
  return amount === 0 ? "±$0.00" : `${amount > 0 ? "+" : "-"}${usd(Math.abs(amount))}`;
}

function effect(change: InputChange): string {
  if (change.ignored) return "ignored (ignoreChanges)";
  return change.replaces ? `**replace**: ${change.replaces}` : "update";
}

function changeRows(changed: ChangedResource[], format: TextFormat): string[][] {
  return changed.flatMap((resource) => [
    ...resource.changes.map((c) => [
      resource.name,
      shortType(resource.type),
      code(c.path, format),
      `${displayValue(c.before)} → ${displayValue(c.after)}`,
      format === "markdown" ? effect(c) : effect(c).replace(/\*\*/g, ""),
    ]),
    ...resource.optionChanges.map((c) => [
      resource.name,
      shortType(resource.type),
      code(c.path, format),
      `${displayValue(c.before)} → ${displayValue(c.after)}`,
      "resource option",
    ]),
  ]);
}

function summaryRows(diff: PlanDiff): string[][] {
  const replaced = diff.changed.filter((c) => c.replaced).length;
  const cost = diff.cost;
  const rows = [
    ["added", String(diff.added.length)],
    ["removed", String(diff.removed.length)],
    ["changed", `${diff.changed.length}${replaced > 0 ? ` (${replaced} replaced)` : ""}`],
    ["unchanged", String(diff.unchanged)],
    [
      "fixed monthly cost",
      `${usd(cost.baseMonthly)} → ${usd(cost.headMonthly)} (${signed(cost.deltaMonthly)})${cost.incomplete ? ", some items of unknown price on either side" : ""}`,
    ],
  ];
  if (diff.policy)
    rows.push([
      "policy",
      `${diff.policy.introduced.length} new violations, ${diff.policy.fixed.length} fixed${diff.policy.headVerdict ? `; head: ${diff.policy.headVerdict}` : ""}`,
    ]);
  return rows;
}

/** The Added, Removed, Changed and cost-delta sections (heading and table each); none for an empty diff. */
export function renderChangeSections(diff: PlanDiff, format: TextFormat, level = 3): string[] {
  const sections: string[] = [];
  const section = (name: string, body: string) => sections.push([heading(name, format, level), "", body].join("\n"));
  const refs = (list: PlanDiff["added"]) =>
    renderTable(
      ["resource", "type"],
      list.map((r) => [r.name, shortType(r.type)]),
      format,
    );
  if (diff.added.length > 0) section("Added", refs(diff.added));
  if (diff.removed.length > 0) section("Removed", refs(diff.removed));
  if (diff.changed.length > 0)
    section(
      "Changed",
      renderTable(["resource", "type", "input", "before → after", "effect"], changeRows(diff.changed, format), format),
    );
  if (diff.cost.byResource.length > 0)
    section(
      "Cost delta (fixed, per month)",
      renderTable(
        ["resource", "type", "before", "after", "delta"],
        diff.cost.byResource.map((r) => [r.name, shortType(r.type), usd(r.before), usd(r.after), signed(r.delta)]),
        format,
      ),
    );
  return sections;
}

/** A table of policy violations, or "None.". */
export function violationTable(list: PolicyViolation[], format: TextFormat): string {
  return list.length === 0
    ? "None."
    : renderTable(["level", "policy", "resource", "message"], violationRows(list), format);
}

/** The protected-deletion warning, when `pulumi up` would refuse the change. */
export function protectedDeletionWarning(diff: PlanDiff, format: TextFormat): string | undefined {
  if (diff.protectedDeletions.length === 0) return undefined;
  const names = diff.protectedDeletions.map((r) => r.name).join(", ");
  return format === "markdown"
    ? `> [!CAUTION]\n> Protected resources would be deleted or replaced, which \`pulumi up\` refuses: ${names}.`
    : `CAUTION: protected resources would be deleted or replaced: ${names}.`;
}

/** The plan diff as a report (markdown, or console tables for `npm run plan-diff`). */
export function renderPlanDiff(diff: PlanDiff, options: { format?: TextFormat } = {}): string {
  const format = options.format ?? "text";
  const title = `Plan diff: ${code(`${diff.base.project}/${diff.base.stack}`, format)} (base, ${diff.base.resources} resources) → ${code(`${diff.head.project}/${diff.head.stack}`, format)} (head, ${diff.head.resources} resources)`;
  const lines = [heading(title, format, 2), "", renderTable(["", ""], summaryRows(diff), format), ""];
  const warning = protectedDeletionWarning(diff, format);
  if (warning) lines.push(warning, "");
  for (const section of renderChangeSections(diff, format)) lines.push(section, "");
  if (diff.policy) {
    lines.push(heading("New policy violations", format), "", violationTable(diff.policy.introduced, format), "");
    lines.push(heading("Fixed policy violations", format), "", violationTable(diff.policy.fixed, format), "");
  }
  if (diff.added.length + diff.removed.length + diff.changed.length === 0) lines.push("No resource changes.", "");
  return lines.join("\n");
}

/** The names of replaced resources, for one-line summaries. */
export function replacedNames(diff: PlanDiff): string[] {
  return diff.changed.filter((c) => c.replaced).map((c) => urnName(c.urn));
}
