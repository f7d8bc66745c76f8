export { renderMarkdownReport } from "./markdown";
export type { MarkdownReportInputs } from "./markdown";
export { renderPolicy, renderReport } from "./renderPolicy";
export type { TextFormat } from "./tables";
export { renderPullRequestReport } from "./pullRequest";
export type { PullRequestReportInputs } from "./pullRequest";
