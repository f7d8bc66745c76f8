import { Plan, PlannedResource } from "../../plan/contract";

/**
 * Helpers to read a plan in tests. Each test file runs its program once (in `beforeAll`)
 * and asserts on the recorded plan; `await import()` keeps the Pulumi runtime from loading
 * before the mocks are in place.
 */

export async function planWith(
  program: () => unknown,
  config: Record<string, string> = {},
  stack = "test",
): Promise<Plan> {
  const { planProgram } = await import("../../plan/engine");
  return planProgram({ project: "secure-azureml", stack, config, program });
}

/** Resources of one type token, e.g. `azure-native:storage:StorageAccount`. */
export function ofType(plan: Plan, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/** The one resource with this type and logical name; fails loudly otherwise. */
export function one(plan: Plan, type: string, name?: string): PlannedResource {
  const found = ofType(plan, type).filter((r) => name === undefined || r.name === name);
  if (found.length !== 1) {
    throw new Error(
      `expected exactly one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
    );
  }
  return found[0];
}

/** The resource a URN names. */
export function byUrn(plan: Plan, urn: string): PlannedResource {
  const found = plan.resources.find((r) => r.urn === urn);
  if (!found) throw new Error(`no resource ${urn}`);
  return found;
}

/** The Azure id the engine assigned to a resource. */
export function idOf(resource: PlannedResource): string {
  return String(resource.outputs.id);
}

/** True when `resource` depends on `other`, directly or through a parent/children chain of dependencies. */
export function dependsOn(plan: Plan, resource: PlannedResource, other: PlannedResource): boolean {
  const seen = new Set<string>();
  const stack = [...resource.dependencies, ...Object.values(resource.propertyDependencies).flat()];
  while (stack.length > 0) {
    const urn = stack.pop() as string;
    if (urn === other.urn) return true;
    if (seen.has(urn)) continue;
    seen.add(urn);
    const next = plan.resources.find((r) => r.urn === urn);
    if (next) stack.push(...next.dependencies, ...Object.values(next.propertyDependencies).flat());
  }
  return false;
}
