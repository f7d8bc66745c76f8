export { diffPlans, valueChanges } from "./diff";
export type {
  ChangedResource,
  CostDelta,
  InputChange,
  PlanDiff,
  PlanWithPolicy,
  PolicyDelta,
  ResourceRef,
} from "./diff";
export { renderPlanDiff } from "./render";
export { replaceReason } from "./replaceRules";
