import { shortType } from "../planIndex";
import { violationRows } from "../report/renderPolicy";
import { TextFormat, code, heading, renderTable, usd } from "../report/tables";
import { wrapText } from "../terminal/text";
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

/**
 * The Added, Removed, Changed and cost-delta sections (heading and table each); none for an empty
 * diff. `width`: text only, the widest a table may be.
 */
export function renderChangeSections(diff: PlanDiff, format: TextFormat, level = 3, width?: number): string[] {
  const sections: string[] = [];
  const section = (name: string, body: string) => sections.push([heading(name, format, level), "", body].join("\n"));
  const table = (head: string[], rows: string[][]) => renderTable(head, rows, format, width);
  const refs = (list: PlanDiff["added"]) =>
    table(
      ["resource", "type"],
      list.map((r) => [r.name, shortType(r.type)]),
    );
  if (diff.added.length > 0) section("Added", refs(diff.added));
  if (diff.removed.length > 0) section("Removed", refs(diff.removed));
  if (diff.changed.length > 0)
    section(
      "Changed",
      table(["resource", "type", "input", "before → after", "effect"], changeRows(diff.changed, format)),
    );
  if (diff.cost.byResource.length > 0)
    section(
      "Cost delta (fixed, per month)",
      table(
        ["resource", "type", "before", "after", "delta"],
        diff.cost.byResource.map((r) => [r.name, shortType(r.type), usd(r.before), usd(r.after), signed(r.delta)]),
      ),
    );
  return sections;
}

/** A table of policy violations, or "None."; `width`: text only, the widest the table may be. */
export function violationTable(list: PolicyViolation[], format: TextFormat, width?: number): string {
  return list.length === 0
    ? "None."
    : renderTable(["level", "policy", "resource", "message"], violationRows(list), format, width);
}

/** The protected-deletion warning, when `pulumi up` would refuse the change. */
export function protectedDeletionWarning(diff: PlanDiff, format: TextFormat): string | undefined {
  if (diff.protectedDeletions.length === 0) return undefined;
  const names = diff.protectedDeletions.map((r) => r.name).join(", ");
  return format === "markdown"
    ? `> [!CAUTION]\n> Protected resources would be deleted or replaced, which \`pulumi up\` refuses: ${names}.`
    : `CAUTION: protected resources would be deleted or replaced: ${names}.`;
}

/**
 * The plan diff as a report (markdown, or console tables for `npm run plan-diff`). `width`: text
 * only, the widest a table may be (the terminal's width); default the tables' natural width.
 */
export function renderPlanDiff(diff: PlanDiff, options: { format?: TextFormat; width?: number } = {}): string {
  const format = options.format ?? "text";
  const width = options.width;
  const title = `Plan diff: ${code(`${diff.base.project}/${diff.base.stack}`, format)} (base, ${diff.base.resources} resources) → ${code(`${diff.head.project}/${diff.head.stack}`, format)} (head, ${diff.head.resources} resources)`;
  const titleLines = format === "text" && width !== undefined ? wrapText(title, width, { indent: "  " }) : [title];
  const lines = [
    heading(titleLines.join("\n"), format, 2),
    "",
    renderTable(["", ""], summaryRows(diff), format, width),
    "",
  ];
  const warning = protectedDeletionWarning(diff, format);
  if (warning) lines.push(warning, "");
  for (const section of renderChangeSections(diff, format, 3, width)) lines.push(section, "");
  if (diff.policy) {
    lines.push(heading("New policy violations", format), "", violationTable(diff.policy.introduced, format, width), "");
    lines.push(heading("Fixed policy violations", format), "", violationTable(diff.policy.fixed, format, width), "");
  }
  if (diff.added.length + diff.removed.length + diff.changed.length === 0) lines.push("No resource changes.", "");
  return lines.join("\n");
}
