import { PolicyResource, ReportViolation } from "@pulumi/policy";
import { BaselineResourcePolicy, BaselineStackPolicy } from "../../../policies/support/baseline";

/**
 * Run one rule the way the policy server does, without starting it: properties wrapped in
 * the unknown-checking proxy, config defaults from the rule's JSON schema merged with the
 * given config, and an unknown value turning into "could not check" rather than a violation.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sentinels = require("@pulumi/policy/proxy") as {
  unknownStringValue: string;
  unknownBooleanValue: string;
  unknownObjectValue: string;
  UnknownValueError: new (...args: unknown[]) => Error;
  unknownCheckingProxy: <T extends object>(props: T) => T;
};
const { unknownCheckingProxy } = sentinels;

/** Values that stand for "unknown during preview" in a property bag. */
export const UNKNOWN = {
  string: sentinels.unknownStringValue,
  boolean: sentinels.unknownBooleanValue,
  object: sentinels.unknownObjectValue,
};

/** What a rule concluded. */
export type Outcome = { kind: "violations"; messages: string[] } | { kind: "unknown" } | { kind: "notApplicable" };

export interface FakeResource {
  type: string;
  props: Record<string, unknown>;
  name?: string;
  urn?: string;
  protect?: boolean;
  parent?: string;
  dependencies?: string[];
}

function configDefaults(
  schema: { properties?: Record<string, { default?: unknown }> } | undefined,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(schema?.properties ?? {})
      .filter(([, p]) => p.default !== undefined)
      .map(([k, p]) => [k, p.default]),
  );
}

function urnOf(r: FakeResource): string {
  return r.urn ?? `urn:pulumi:test::secure-azureml::${r.type}::${r.name ?? "res"}`;
}

class NotApplicable extends Error {}

async function outcomeOf(run: (report: ReportViolation) => void | Promise<void>): Promise<Outcome> {
  const messages: string[] = [];
  try {
    await run((message) => messages.push(message));
  } catch (error) {
    if (error instanceof sentinels.UnknownValueError) return { kind: "unknown" };
    if (error instanceof NotApplicable) return { kind: "notApplicable" };
    throw error;
  }
  return { kind: "violations", messages };
}

const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

/** Run a resource rule on one resource. */
export async function runResourcePolicy(
  policy: BaselineResourcePolicy,
  resource: FakeResource,
  config: Record<string, unknown> = {},
): Promise<Outcome> {
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  const args = {
    type: resource.type,
    props: unknownCheckingProxy(resource.props),
    urn: urnOf(resource),
    name: resource.name ?? "res",
    opts: {
      protect: resource.protect ?? false,
      ignoreChanges: [],
      aliases: [],
      additionalSecretOutputs: [],
      parent: resource.parent,
    },
    stackTags: new Map<string, string>(),
    isType: () => false,
    asType: () => undefined,
    getConfig: () => ({ ...configDefaults(policy.configSchema), ...config }),
    notApplicable,
  };
  return outcomeOf(async (report) => {
    for (const validate of validations) {
      if (typeof validate === "function") await validate(args as never, report);
    }
  });
}

/** Run a stack rule on a set of resources (dependencies by URN). */
export async function runStackPolicy(
  policy: BaselineStackPolicy,
  resources: FakeResource[],
  config: Record<string, unknown> = {},
): Promise<Outcome> {
  const byUrn = new Map<string, PolicyResource>();
  const policyResources = resources.map((r) => {
    const resource = {
      type: r.type,
      props: unknownCheckingProxy(r.props),
      urn: urnOf(r),
      name: r.name ?? "res",
      opts: { protect: r.protect ?? false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [] },
      dependencies: [] as PolicyResource[],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    } as unknown as PolicyResource;
    byUrn.set(resource.urn, resource);
    return resource;
  });
  resources.forEach((r, i) => {
    (policyResources[i] as { dependencies: PolicyResource[] }).dependencies = (r.dependencies ?? [])
      .map((urn) => byUrn.get(urn))
      .filter((d): d is PolicyResource => d !== undefined);
    if (r.parent) (policyResources[i] as { parent?: PolicyResource }).parent = byUrn.get(r.parent);
  });
  const args = {
    resources: policyResources,
    stackTags: new Map<string, string>(),
    getConfig: () => ({ ...configDefaults(policy.configSchema), ...config }),
    notApplicable,
  };
  const validate = policy.validateStack;
  return outcomeOf(async (report) => {
    if (typeof validate === "function") await validate(args as never, report);
  });
}
