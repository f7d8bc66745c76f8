import { TextFormat, heading, renderTable } from "../report/tables";
import { shortType } from "../planIndex";
import { truncateEnd, truncateMiddle, wrapLines } from "../terminal/text";
import { DURATION_SOURCES } from "./durations";
import { DeployStep, DeployTimeEstimate } from "./estimate";

export const minutes = (value: number) => (value >= 1 || value === 0 ? `${value} min` : `${Math.round(value * 60)} s`);

export interface DeployTimeRenderOptions {
  /** Optional. Default `text` (console tables, as in `npm start -- --details`). */
  format?: TextFormat;
  /** Optional. Text only: the widest a line may be (tables wrap their cells); default no limit. */
  width?: number;
}

/** The documents the critical path's numbers cite (by title), with their URLs. */
function sourcesCited(steps: DeployStep[]): string[] {
  return Object.values(DURATION_SOURCES)
    .filter((source) => steps.some((step) => step.basis.includes(source.title)))
    .map((source) => `- ${source.title}: ${source.url}`);
}

/** The deploy-time estimate: wall time, the critical path, and dependencies that lengthen it for no data reason. */
export function renderDeployTime(estimate: DeployTimeEstimate, options: DeployTimeRenderOptions = {}): string {
  const format = options.format ?? "text";
  const table = (head: string[], rows: string[][]) => renderTable(head, rows, format, options.width);
  const lines = [
    heading("Deploy-time estimate", format),
    "",
    `A cold \`pulumi up\` of these ${estimate.resourceCount} resources takes about ${Math.ceil(estimate.totalMinutes)} min: the critical path below (${estimate.criticalPath.length} resources).`,
    "",
    table(
      ["starts at", "takes", "resource", "type", "why this long"],
      estimate.criticalPath.map((s) => [
        minutes(s.startMinute),
        minutes(s.minutes),
        s.name,
        shortType(s.type),
        s.basis,
      ]),
    ),
    "",
  ];
  const sources = sourcesCited(estimate.criticalPath);
  if (sources.length > 0) lines.push("Sources:", ...sources, "");
  if (estimate.needlessDependencies.length > 0) {
    lines.push(
      "Explicit dependsOn that lengthen the critical path without a data reason (no input flows through them):",
      "",
      table(
        ["resource", "waits for", "removing them saves", "note"],
        estimate.needlessDependencies.map((d) => [
          d.name,
          d.dependsOn.map((x) => x.name).join(", "),
          minutes(d.addsMinutes),
          d.hints.join("; "),
        ]),
      ),
      "",
    );
  } else {
    lines.push("No explicit dependsOn lengthens the critical path.", "");
  }
  if (estimate.assumedTypes.length > 0)
    lines.push(`No typical duration for ${estimate.assumedTypes.join(", ")}: 1 min assumed each.`);
  lines.push(...estimate.notes);
  const text = lines.join("\n");
  return format === "text" && options.width !== undefined ? wrapLines(text, options.width) : text;
}

/** Steps at least this long are named in the one-line critical path. */
export const NAMED_STEP_MINUTES = 5;

/**
 * The critical path in one line of at most `width` columns: its steps of `NAMED_STEP_MINUTES` or
 * more (the longest one if none is) by name and duration, in order, e.g. `amldev-workspace 43 min →
 * amldev-serving-endpoint-churn-blue 12 min`. When that is too long the names' shared prefix is
 * left out, then the names are cut in the middle (to 8 characters at least), then the line's end.
 */
export function criticalPathLine(estimate: DeployTimeEstimate, width = Number.POSITIVE_INFINITY): string {
  const path = estimate.criticalPath;
  const long = path.filter((step) => step.minutes >= NAMED_STEP_MINUTES);
  const longest = [...path].sort((a, b) => b.minutes - a.minutes).slice(0, 1);
  const named = long.length > 0 ? long : longest;
  // Names share the stack's prefix (`amldev-`): left out when the line is too long with it.
  const prefix = sharedPrefix(named.map((step) => step.name));
  const line = (nameWidth: number, drop: number) =>
    named.map((step) => `${truncateMiddle(step.name.slice(drop), nameWidth)} ${minutes(step.minutes)}`).join(" → ");
  const full = line(Number.POSITIVE_INFINITY, 0);
  if (full.length <= width) return full;
  let nameWidth = Math.max(0, ...named.map((step) => step.name.length - prefix.length));
  while (nameWidth > 8 && line(nameWidth, prefix.length).length > width) nameWidth -= 1;
  // Names of 8 characters are the least worth showing: a narrower line is cut at the end.
  return truncateEnd(line(nameWidth, prefix.length), width);
}

/** The longest start, ending in `-`, that every name has (and that leaves something of each). */
function sharedPrefix(names: string[]): string {
  if (names.length < 2) return "";
  let prefix = names[0];
  for (const name of names) while (!name.startsWith(prefix) || name === prefix) prefix = prefix.slice(0, -1);
  return prefix.slice(0, prefix.lastIndexOf("-") + 1);
}
