import { Plan, PlannedResource } from "../contract";
import { CostOptions, estimateCost } from "../cost/estimate";
import { CostEstimate } from "../cost/types";
import { PolicyViolation, violationKey } from "../policy/report";
import { ignoredByOptions, replaceReason } from "./replaceRules";

export interface ResourceRef {
  urn: string;
  type: string;
  name: string;
}

export interface InputChange {
  /** Dotted path with array indexes, e.g. `properties.properties.vmSize`, `privateLinkServiceConnections[0].groupIds[1]`. */
  path: string;
  /** undefined: the input was not set on that side. */
  before: unknown;
  after: unknown;
  /** Why this change replaces the resource; absent for an in-place update. */
  replaces?: string;
  /** The head's `ignoreChanges` hides this change: Pulumi will not apply it. */
  ignored: boolean;
}

export interface ChangedResource extends ResourceRef {
  changes: InputChange[];
  /** Changes to protect, ignoreChanges, replaceOnChanges, deleteBeforeReplace, customTimeouts. */
  optionChanges: { path: string; before: unknown; after: unknown }[];
  /** True when at least one applied change replaces the resource. */
  replaced: boolean;
}

export interface CostDelta {
  baseMonthly: number;
  headMonthly: number;
  deltaMonthly: number;
  /** Either side has fixed costs of unknown price: the totals are lower bounds. */
  incomplete: boolean;
  /** Resources whose fixed monthly cost changed (added and removed ones included). */
  byResource: { name: string; type: string; before: number; after: number; delta: number }[];
}

export interface PolicyDelta {
  /** In the head, not in the base. */
  introduced: PolicyViolation[];
  /** In the base, gone from the head. */
  fixed: PolicyViolation[];
  baseVerdict?: string;
  headVerdict?: string;
}

export interface PlanDiff {
  base: { project: string; stack: string; resources: number };
  head: { project: string; stack: string; resources: number };
  added: ResourceRef[];
  removed: ResourceRef[];
  changed: ChangedResource[];
  unchanged: number;
  /** Removed or replaced resources that are `protect`ed in the base: `pulumi up` refuses to delete them. */
  protectedDeletions: ResourceRef[];
  cost: CostDelta;
  /** Present when either plan carries a policy result (`plan.policy`). */
  policy?: PolicyDelta;
}

/** A plan that may carry a policy check's result (`plan.policy`, written by `npm start` when the policy pack ran). */
export type PlanWithPolicy = Plan;

const ref = (r: PlannedResource): ResourceRef => ({ urn: r.urn, type: r.type, name: r.name });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Leaf-level differences between two JSON values. */
export function valueChanges(
  before: unknown,
  after: unknown,
  path = "",
): { path: string; before: unknown; after: unknown }[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => valueChanges(before[key], after[key], path ? `${path}.${key}` : key));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    return Array.from({ length: Math.max(before.length, after.length) }, (_, i) =>
      valueChanges(before[i], after[i], `${path}[${i}]`),
    ).flat();
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: path || "(value)", before, after }];
}

function changedResource(base: PlannedResource, head: PlannedResource): ChangedResource | undefined {
  const changes: InputChange[] = valueChanges(base.inputs, head.inputs).map((change) => {
    const ignored = ignoredByOptions(head, change.path);
    const replaces = ignored ? undefined : replaceReason(head, change.path);
    return { ...change, ignored, ...(replaces ? { replaces } : {}) };
  });
  const optionChanges = valueChanges(base.options, head.options).map((c) => ({ ...c, path: `options.${c.path}` }));
  if (changes.length === 0 && optionChanges.length === 0) return undefined;
  return { ...ref(head), changes, optionChanges, replaced: changes.some((c) => c.replaces !== undefined) };
}

function policyDelta(base: PlanWithPolicy, head: PlanWithPolicy): PolicyDelta | undefined {
  if (!base.policy && !head.policy) return undefined;
  const before = base.policy?.violations ?? [];
  const after = head.policy?.violations ?? [];
  const beforeKeys = new Set(before.map(violationKey));
  const afterKeys = new Set(after.map(violationKey));
  return {
    introduced: after.filter((v) => !beforeKeys.has(violationKey(v))),
    fixed: before.filter((v) => !afterKeys.has(violationKey(v))),
    baseVerdict: base.policy?.verdict,
    headVerdict: head.policy?.verdict,
  };
}

function costDelta(base: CostEstimate, head: CostEstimate): CostDelta {
  const fixedByUrn = (estimate: CostEstimate) => new Map(estimate.resources.map((r) => [r.urn, r]));
  const before = fixedByUrn(base);
  const after = fixedByUrn(head);
  const byResource = [...new Set([...before.keys(), ...after.keys()])]
    .map((urn) => {
      const b = before.get(urn);
      const a = after.get(urn);
      const resource = (a ?? b) as NonNullable<typeof a>;
      return {
        name: resource.name,
        type: resource.type,
        before: b?.fixedMonthly ?? 0,
        after: a?.fixedMonthly ?? 0,
        delta: Math.round(((a?.fixedMonthly ?? 0) - (b?.fixedMonthly ?? 0)) * 100) / 100,
      };
    })
    .filter((r) => r.delta !== 0)
    .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.name.localeCompare(y.name));
  const incomplete = [base, head].some((e) => e.unpricedFixed.length > 0 || e.unknownTypes.length > 0);
  return {
    baseMonthly: base.totalFixedMonthly,
    headMonthly: head.totalFixedMonthly,
    deltaMonthly: Math.round((head.totalFixedMonthly - base.totalFixedMonthly) * 100) / 100,
    incomplete,
    byResource,
  };
}

/** Both plans' cost estimates, computed together. */
export async function estimatePlanCosts(base: Plan, head: Plan, options: CostOptions): Promise<PlanCosts> {
  const [baseCost, headCost] = await Promise.all([estimateCost(base, options), estimateCost(head, options)]);
  return { base: baseCost, head: headCost };
}

/** Both plans' cost estimates, when the caller already has them (live prices are fetched once). */
export interface PlanCosts {
  base: CostEstimate;
  head: CostEstimate;
}

/** What applying `head` over a stack deployed from `base` would do: resources added, removed, changed (and replaced), cost and policy deltas. */
export async function diffPlans(
  base: PlanWithPolicy,
  head: PlanWithPolicy,
  options: CostOptions = { prices: "bundled" },
  costs?: PlanCosts,
): Promise<PlanDiff> {
  const baseByUrn = new Map(base.resources.filter((r) => r.custom).map((r) => [r.urn, r]));
  const headByUrn = new Map(head.resources.filter((r) => r.custom).map((r) => [r.urn, r]));
  const added = [...headByUrn.values()].filter((r) => !baseByUrn.has(r.urn)).map(ref);
  const removed = [...baseByUrn.values()].filter((r) => !headByUrn.has(r.urn)).map(ref);
  const changed: ChangedResource[] = [];
  let unchanged = 0;
  for (const [urn, before] of baseByUrn) {
    const after = headByUrn.get(urn);
    if (!after) continue;
    const change = changedResource(before, after);
    if (change) changed.push(change);
    else unchanged += 1;
  }
  const deleted = new Set([...removed.map((r) => r.urn), ...changed.filter((c) => c.replaced).map((c) => c.urn)]);
  const { base: baseCost, head: headCost } = costs ?? (await estimatePlanCosts(base, head, options));
  const policy = policyDelta(base, head);
  return {
    base: { project: base.project, stack: base.stack, resources: baseByUrn.size },
    head: { project: head.project, stack: head.stack, resources: headByUrn.size },
    added,
    removed,
    changed,
    unchanged,
    protectedDeletions: [...baseByUrn.values()].filter((r) => r.options.protect && deleted.has(r.urn)).map(ref),
    cost: costDelta(baseCost, headCost),
    ...(policy ? { policy } : {}),
  };
}
