export { estimateDeployTime } from "./estimate";
export type { DeployStep, DeployTimeEstimate, NeedlessDependency } from "./estimate";
export { renderDeployTime } from "./render";
export { typicalDuration } from "./durations";
