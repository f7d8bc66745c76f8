import { shortType } from "../planIndex";
import { urnName, violationRows } from "../report/renderPolicy";
import { TextFormat, code, heading, renderTable, usd } from "../report/tables";
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

function signed(amount: number): string {
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

/** The plan diff as a report (markdown for the PR comment, or console tables). */
export function renderPlanDiff(diff: PlanDiff, options: { format?: TextFormat } = {}): string {
  const format = options.format ?? "text";
  const title = `Plan diff: ${code(`${diff.base.project}/${diff.base.stack}`, format)} (base, ${diff.base.resources} resources) → ${code(`${diff.head.project}/${diff.head.stack}`, format)} (head, ${diff.head.resources} resources)`;
  const lines = [heading(title, format, 2), "", renderTable(["", ""], summaryRows(diff), format), ""];
  if (diff.protectedDeletions.length > 0) {
    const names = diff.protectedDeletions.map((r) => r.name).join(", ");
    lines.push(
      format === "markdown"
        ? `> [!CAUTION]\n> Protected resources would be deleted or replaced, which \`pulumi up\` refuses: ${names}.`
        : `CAUTION: protected resources would be deleted or replaced: ${names}.`,
      "",
    );
  }
  const section = (name: string, body: string) => lines.push(heading(name, format), "", body, "");
  if (diff.added.length > 0)
    section(
      "Added",
      renderTable(
        ["resource", "type"],
        diff.added.map((r) => [r.name, shortType(r.type)]),
        format,
      ),
    );
  if (diff.removed.length > 0)
    section(
      "Removed",
      renderTable(
        ["resource", "type"],
        diff.removed.map((r) => [r.name, shortType(r.type)]),
        format,
      ),
    );
  if (diff.changed.length > 0)
    section(
      "Changed",
      renderTable(["resource", "type", "input", "before → after", "effect"], changeRows(diff.changed, format), format),
    );
  if (diff.cost.byResource.length > 0) {
    section(
      "Cost delta (fixed, per month)",
      renderTable(
        ["resource", "type", "before", "after", "delta"],
        diff.cost.byResource.map((r) => [r.name, shortType(r.type), usd(r.before), usd(r.after), signed(r.delta)]),
        format,
      ),
    );
  }
  if (diff.policy) {
    const violations = (title: string, list: typeof diff.policy.introduced) =>
      section(
        title,
        list.length === 0
          ? "None."
          : renderTable(["level", "policy", "resource", "message"], violationRows(list), format),
      );
    violations("New policy violations", diff.policy.introduced);
    violations("Fixed policy violations", diff.policy.fixed);
  }
  if (diff.added.length + diff.removed.length + diff.changed.length === 0) lines.push("No resource changes.", "");
  return lines.join("\n");
}

/** The names of replaced resources, for one-line summaries. */
export function replacedNames(diff: PlanDiff): string[] {
  return diff.changed.filter((c) => c.replaced).map((c) => urnName(c.urn));
}
