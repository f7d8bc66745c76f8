export { diffPlans, estimatePlanCosts, valueChanges } from "./diff";
export type {
  ChangedResource,
  CostDelta,
  InputChange,
  PlanCosts,
  PlanDiff,
  PlanWithPolicy,
  PolicyDelta,
  ResourceRef,
} from "./diff";
export { renderPlanDiff } from "./render";
export { replaceReason } from "./replaceRules";
