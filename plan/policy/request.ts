import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PlannedResource } from "../contract";

/**
 * Builds the Analyzer requests the Pulumi engine sends to a policy pack, from a plan resource.
 * Mirrors the engine (pkg/resource/deploy/step_generator.go and sdk/go/common/resource/plugin/
 * analyzer_plugin.go): `Remediate`/`Analyze` get the resource's inputs, `AnalyzeStack` gets every
 * resource's outputs with parent, dependencies and property dependencies, and every request carries
 * `AnalyzerResourceOptions` (the policy SDK refuses a request without them).
 */

/** Go's `time.ParseDuration` units, in seconds. */
const DURATION_UNITS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/**
 * Seconds in a Go duration string ("60m", "1h30m", "1.5h"), as the engine parses the SDK's
 * `customTimeouts` before handing them to analyzers. An empty or absent value is 0.
 */
export function durationSeconds(text: string | undefined): number {
  if (!text) return 0;
  const whole = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
  if (text === "0") return 0;
  if (!whole.test(text)) throw new Error(`invalid duration "${text}" (expected e.g. "30m", "1h30m")`);
  const sign = text.startsWith("-") ? -1 : 1;
  let total = 0;
  for (const [, value, unit] of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g))
    total += Number(value) * DURATION_UNITS[unit];
  return sign * total;
}

/**
 * The engine marshals properties with `SkipInternalKeys`: keys starting with "__" (engine
 * bookkeeping such as `__defaults`) never reach a policy. Applied at every object level.
 */
export function withoutInternalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutInternalKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !key.startsWith("__"))
        .map(([key, v]) => [key, withoutInternalKeys(v)]),
    );
  }
  return value;
}

/** A property bag as the `google.protobuf.Struct` the Analyzer service carries. */
export function toStruct(properties: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(withoutInternalKeys(properties) as Parameters<typeof Struct.fromJavaScript>[0]);
}

/** `AnalyzerResourceOptions` from the plan's recorded options. */
export function resourceOptions(resource: PlannedResource): analyzerpb.AnalyzerResourceOptions {
  const options = new analyzerpb.AnalyzerResourceOptions();
  options.setProtect(resource.options.protect);
  options.setIgnorechangesList(resource.options.ignoreChanges);
  // The plan keeps the flag's value, not whether the program set it: `true` is known to be set.
  options.setDeletebeforereplace(resource.options.deleteBeforeReplace);
  options.setDeletebeforereplacedefined(resource.options.deleteBeforeReplace);
  options.setAdditionalsecretoutputsList([]);
  options.setAliasesList([]);
  const timeouts = new analyzerpb.AnalyzerResourceOptions.CustomTimeouts();
  try {
    timeouts.setCreate(durationSeconds(resource.options.customTimeouts?.create));
    timeouts.setUpdate(durationSeconds(resource.options.customTimeouts?.update));
    timeouts.setDelete(durationSeconds(resource.options.customTimeouts?.delete));
  } catch (error) {
    throw new Error(`${resource.urn}: customTimeouts: ${(error as Error).message}`);
  }
  options.setCustomtimeouts(timeouts);
  if (resource.parent) options.setParent(resource.parent);
  return options;
}

/** The last segment of a URN: the resource's logical name, which the engine sends as `name`. */
export function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** `Remediate`/`Analyze` request for one resource: its inputs, as the engine sends them before an operation. */
export function analyzeRequest(
  resource: PlannedResource,
  inputs: Record<string, unknown> = resource.inputs,
): analyzerpb.AnalyzeRequest {
  const request = new analyzerpb.AnalyzeRequest();
  request.setUrn(resource.urn);
  request.setType(resource.type);
  request.setName(urnName(resource.urn));
  request.setProperties(toStruct(inputs));
  request.setOptions(resourceOptions(resource));
  return request;
}

/** One `AnalyzeStack` entry: the resource's outputs (its final state), parent and dependencies. */
export function stackResource(resource: PlannedResource): analyzerpb.AnalyzerResource {
  const entry = new analyzerpb.AnalyzerResource();
  entry.setUrn(resource.urn);
  entry.setType(resource.type);
  entry.setName(urnName(resource.urn));
  entry.setProperties(toStruct(resource.outputs));
  entry.setOptions(resourceOptions(resource));
  if (resource.parent) entry.setParent(resource.parent);
  entry.setDependenciesList(resource.dependencies);
  const propertyDependencies = entry.getPropertydependenciesMap();
  for (const [key, urns] of Object.entries(resource.propertyDependencies)) {
    // The engine leaves out properties without dependencies.
    if (urns.length === 0) continue;
    propertyDependencies.set(key, new analyzerpb.AnalyzerPropertyDependencies().setUrnsList(urns));
  }
  return entry;
}

/** The `AnalyzeStack` request: every resource of the plan. */
export function analyzeStackRequest(resources: PlannedResource[]): analyzerpb.AnalyzeStackRequest {
  return new analyzerpb.AnalyzeStackRequest().setResourcesList(resources.map(stackResource));
}
