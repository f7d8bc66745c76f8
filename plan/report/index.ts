export { renderMarkdownReport } from "./markdown";
export type { MarkdownReportInputs } from "./markdown";
export { renderPolicy } from "./policy";
export type { PolicyReportLike, PolicyViolationLike } from "./policy";
export type { TextFormat } from "./tables";
