import { TextFormat, heading, renderTable } from "../report/tables";
import { shortType } from "../planIndex";
import { DeployTimeEstimate } from "./estimate";

const minutes = (value: number) => (value >= 1 || value === 0 ? `${value} min` : `${Math.round(value * 60)} s`);

/** The deploy-time estimate: wall time, the critical path, and dependencies that lengthen it for no data reason. */
export function renderDeployTime(estimate: DeployTimeEstimate, options: { format?: TextFormat } = {}): string {
  const format = options.format ?? "text";
  const lines = [
    heading("Deploy-time estimate", format),
    "",
    `A cold \`pulumi up\` of these ${estimate.resourceCount} resources takes about ${Math.ceil(estimate.totalMinutes)} min: the critical path below (${estimate.criticalPath.length} resources).`,
    "",
    renderTable(
      ["starts at", "takes", "resource", "type", "why this long"],
      estimate.criticalPath.map((s) => [
        minutes(s.startMinute),
        minutes(s.minutes),
        s.name,
        shortType(s.type),
        s.basis,
      ]),
      format,
    ),
    "",
  ];
  if (estimate.needlessDependencies.length > 0) {
    lines.push(
      "Explicit dependsOn that lengthen the critical path without a data reason (no input flows through them):",
      "",
      renderTable(
        ["resource", "waits for", "removing them saves", "note"],
        estimate.needlessDependencies.map((d) => [
          d.name,
          d.dependsOn.map((x) => x.name).join(", "),
          minutes(d.addsMinutes),
          d.hints.join("; "),
        ]),
        format,
      ),
      "",
    );
  } else {
    lines.push("No explicit dependsOn lengthens the critical path.", "");
  }
  if (estimate.assumedTypes.length > 0)
    lines.push(`No typical duration for ${estimate.assumedTypes.join(", ")}: 1 min assumed each.`);
  lines.push(...estimate.notes);
  return lines.join("\n");
}
