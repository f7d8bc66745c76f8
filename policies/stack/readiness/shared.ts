import { PolicyResource } from "@pulumi/policy";
import {
  UNKNOWN,
  azureName,
  mustKnow,
  normalizeId,
  peek,
  refersToValue,
  sourcesOf,
  untraced,
} from "../../support/stackGraph";
import { TYPES as T } from "secure-azureml-facts";

/**
 * Helpers shared by the deploy-readiness rules: the Azure ML type tokens they read, the
 * transitive dependency walk that says whether one resource is created before another, and the
 * "not checked" outcome for what lives outside the stack.
 */

export type Report = (message: string, urn?: string) => void;

/** azure-native v3 type tokens of the Azure ML resources the readiness rules read. */
export const ML = {
  workspace: T.mlWorkspace,
  registry: T.mlRegistry,
  compute: T.compute,
  onlineEndpoint: T.onlineEndpoint,
  onlineDeployment: T.onlineDeployment,
  batchEndpoint: T.batchEndpoint,
  batchDeployment: T.batchDeployment,
  schedule: T.schedule,
  /** Pulumi dynamic resources (the project's endpoint traffic resource is one). */
  dynamic: "pulumi-nodejs:dynamic:Resource",
} as const;

/** The `resourceKind` input that marks the project's endpoint traffic dynamic resource. */
export const TRAFFIC_KIND = "secure-azureml:EndpointTraffic";

/**
 * True when `from` is created after `to`: `to` is among `from`'s dependencies, directly or
 * through other resources of the stack (the engine creates a resource only after all its
 * dependencies exist).
 */
export function createdAfter(from: PolicyResource, to: PolicyResource): boolean {
  const seen = new Set<string>([from.urn]);
  const queue = [...from.dependencies];
  while (queue.length > 0) {
    const next = queue.shift() as PolicyResource;
    if (next.urn === to.urn) return true;
    if (seen.has(next.urn)) continue;
    seen.add(next.urn);
    queue.push(...next.dependencies);
  }
  return false;
}

/**
 * True when both resources belong to the same Pulumi stack (`urn:pulumi:<stack>::<project>::...`).
 * A policy run sees one stack; a plan that joins several layers (platform, then serving) holds
 * several, and a layer deployed earlier has created its resources before a later one starts.
 */
export function sameStack(a: PolicyResource, b: PolicyResource): boolean {
  const stackOf = (urn: string) => urn.split("::").slice(0, 2).join("::");
  return stackOf(a.urn) === stackOf(b.urn);
}

/** The deployments (`deploymentType`) of the stack that belong to `endpoint` (by `endpointName`, or by dependency when unknown). */
export function deploymentsOf(
  resources: PolicyResource[],
  endpoint: PolicyResource,
  deploymentType: string,
): PolicyResource[] {
  return resources.filter(
    (d) =>
      d.type === deploymentType &&
      sameStack(d, endpoint) &&
      refersToValue(d, "endpointName", peek(d.props, "endpointName"), endpoint, azureName(endpoint)),
  );
}

/**
 * The stack's ML workspace a child resource (endpoint, deployment, compute, schedule) names in
 * `workspaceName`, undefined when that workspace is not in the stack; reads the name (throws
 * "unknown during preview") when it is unknown and came from no resource of the stack.
 */
export function workspaceOf(resources: PolicyResource[], child: PolicyResource): PolicyResource | undefined {
  const value = peek(child.props, "workspaceName");
  const found = resources
    .filter((r) => r.type === ML.workspace)
    .find((w) => refersToValue(child, "workspaceName", value, w, azureName(w)));
  if (!found && untraced(child, "workspaceName", value)) mustKnow(child, "workspaceName");
  return found;
}

/** The segment after `/<collection>/` in an ARM id (`onlineEndpoints` -> the endpoint name), lower case. */
export function segmentAfter(id: string, collection: string): string | undefined {
  const match = new RegExp(`/${collection}/([^/]+)`, "i").exec(normalizeId(id));
  return match ? match[1] : undefined;
}

/** True when the value is unknown or, as an object or array, holds an unknown anywhere. */
export function holdsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (value === null || typeof value !== "object") return false;
  return Object.keys(value).some((key) => holdsUnknown(peek(value, key)));
}

/** The resources a property of `resource` was computed from, of the given types. */
export function sourcesOfType(resource: PolicyResource, property: string, types: readonly string[]): PolicyResource[] {
  return sourcesOf(resource, property).filter((s) => types.includes(s.type));
}

// The policy library's "unknown during preview" error (not in its public typings).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as {
  UnknownValueError: new (sentinel: string, path: string[]) => Error;
  unknownStringValue: string;
};

/**
 * Ends the rule with the policy library's "cannot be known" outcome (an advisory note, never a
 * violation) saying what was not checked and why. Violations reported before stay reported.
 */
export function notChecked(reasons: string[]): never {
  const error = new proxy.UnknownValueError(proxy.unknownStringValue, []);
  error.message = `not checked: ${reasons.join("; ")}`;
  throw error;
}
