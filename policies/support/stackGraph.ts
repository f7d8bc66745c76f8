import { PolicyResource } from "@pulumi/policy";
import { normalizeId } from "./ml";
import { sameText, shown as shownValue, valueAt } from "./props";
import { TYPES, armIdNamespaceType, armIdShape } from "secure-azureml-facts";

/**
 * Reading a whole stack in stack rules.
 *
 * A stack rule sees every resource's properties (inputs plus whatever outputs are known) and
 * its dependencies. During `pulumi preview` the ids (and most names) of resources created in
 * the same run are unknown, and the policy proxy throws on every unknown it is asked for: a
 * stack rule that throws is reported once as "can't run during preview" for the whole stack.
 * So relations between resources are established without touching unknowns:
 *
 *  1. by known values: an id reference equals the target's id, or (target id unknown) ends in
 *     the target's provider path and known name (`/providers/Microsoft.Storage/storageAccounts/st1`);
 *     a name reference equals the target's name;
 *  2. when the reference itself is unknown: by the engine's dependency record, the resources the
 *     referencing property was computed from (`propertyDependencies[property]`, or all
 *     `dependencies` when property dependencies were not reported).
 *
 * A value that decides a verdict and is still unknown is read through the proxy with
 * {@link mustKnow}, which throws the policy library's own "unknown during preview" error.
 */

export { normalizeId };

/** Marks a value that is unknown during preview. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Peeked = unknown;

// The policy proxy's markers and the engine's unknown sentinels (protocol constants).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as Record<string, string>;
const SENTINELS = new Set(
  [
    "unknownBooleanValue",
    "unknownNumberValue",
    "unknownStringValue",
    "unknownArrayValue",
    "unknownAssetValue",
    "unknownArchiveValue",
    "unknownObjectValue",
  ].map((k) => proxy[k]),
);

/** True for the engine's "unknown during preview" placeholder. */
export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && SENTINELS.has(value);
}

/** The plain object behind a policy proxy (reading it never throws). */
function unwrap(value: unknown): unknown {
  if (
    value !== null &&
    typeof value === "object" &&
    (value as Record<string, unknown>)[proxy.isSpecialProxy] === true
  ) {
    return (value as Record<string, unknown>)[proxy.getSpecialProxyTarget];
  }
  return value;
}

/**
 * The value at a dotted path (`properties.publicNetworkAccess`, `subnets.0.name`) without
 * throwing: {@link UNKNOWN} when it (or an object on the way) is unknown, undefined when absent.
 * Objects and arrays come back unwrapped: read inside them with `peek` again.
 */
export function peek(props: unknown, path: string): unknown {
  let current = unwrap(props);
  if (isUnknown(current)) return UNKNOWN;
  for (const key of path.split(".").filter((k) => k !== "")) {
    if (current === null || typeof current !== "object") return undefined;
    current = unwrap((current as Record<string, unknown>)[key]);
    if (isUnknown(current)) return UNKNOWN;
  }
  return current;
}

/** A known, non-empty string or undefined (unknown or absent). */
export function knownString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && !isUnknown(value) ? value : undefined;
}

/** Array items (unwrapped) when the value is a known array; [] when absent; UNKNOWN when unknown. */
export function peekArray(props: unknown, path: string): unknown[] | typeof UNKNOWN {
  const value = peek(props, path);
  if (value === UNKNOWN) return UNKNOWN;
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/**
 * Reads a value that decides the verdict through the policy proxy: throws the policy library's
 * unknown-value error (reported as "can't run during preview") when it is unknown.
 */
export function mustKnow(resource: PolicyResource, path: string): unknown {
  return valueAt(resource.props, path);
}

/** Resources of one type token. */
export function ofType(resources: PolicyResource[], type: string): PolicyResource[] {
  return resources.filter((r) => r.type === type);
}

/**
 * The resources a property's value was computed from: `propertyDependencies[property]` when the
 * engine reported property dependencies for this resource, otherwise all its dependencies.
 */
export function sourcesOf(resource: PolicyResource, property: string): PolicyResource[] {
  const byProperty = resource.propertyDependencies;
  if (Object.keys(byProperty).length > 0) return byProperty[property] ?? [];
  return resource.dependencies;
}

/** True when `property` of `from` was computed from `to` (see {@link sourcesOf}). */
export function dependsVia(from: PolicyResource, property: string, to: PolicyResource): boolean {
  return sourcesOf(from, property).some((s) => s.urn === to.urn);
}

/**
 * True when `value` (at `from.props[property]`) is unknown and came from no resource of the
 * stack: it may designate any resource, so a verdict that depends on it cannot be given.
 */
export function untraced(from: PolicyResource, property: string, value: unknown): boolean {
  return value === UNKNOWN && sourcesOf(from, property).length === 0;
}

/** How an azure-native type's Azure name and id are formed. */
interface ArmShape {
  /** Provider path of the id, e.g. `Microsoft.Storage/storageAccounts`. */
  provider: string;
  /** Input properties naming the parent resources between provider and name (e.g. the VNet of a subnet). */
  parents?: { key: string; segment: string }[];
}

/** The types whose ids stack rules rebuild from known names (their shapes come from secure-azureml-facts `ARM_ID_SHAPES`). */
const NAMED_ID_TYPES = [
  TYPES.storage,
  TYPES.vault,
  TYPES.registry,
  TYPES.mlWorkspace,
  TYPES.logAnalytics,
  TYPES.appInsights,
  TYPES.identity,
  TYPES.zone,
  TYPES.privateEndpoint,
  TYPES.vnet,
  TYPES.nsg,
  TYPES.subnet,
  TYPES.onlineEndpoint,
  TYPES.compute,
  TYPES.mlRegistry,
  TYPES.blobService,
  TYPES.fileService,
];

/** A top-level or one-level child shape in the form the rules read. */
function armShapeOf(type: string): ArmShape {
  const shape = armIdShape(type);
  const namespaceType = shape && armIdNamespaceType(shape);
  if (!shape?.provider || !namespaceType || (shape.parents?.length ?? 0) > 1)
    throw new Error(`no top-level or one-level child ARM id shape for ${type}`);
  const parent = shape.parents?.[0];
  return {
    provider: namespaceType,
    ...(parent ? { parents: [{ key: parent.input, segment: shape.provider }] } : {}),
  };
}

const ARM: Record<string, ArmShape | undefined> = Object.fromEntries(
  NAMED_ID_TYPES.map((type) => [type, armShapeOf(type)]),
);

/** The provider path of a type's ids (`Microsoft.Storage/storageAccounts`), when catalogued. */
export function providerOf(type: string): string | undefined {
  return ARM[type]?.provider;
}

/**
 * The resource's Azure name when known: its name input (secure-azureml-facts `ARM_ID_SHAPES`, for
 * every catalogued type: `resourceGroupName` of a resource group, `scopeName` of a monitor private
 * link scope, ...), else its `name` output (unknown in a first preview).
 */
export function azureName(resource: PolicyResource): string | undefined {
  const input = armIdShape(resource.type)?.nameInput;
  const fromInput = input === undefined ? undefined : knownString(peek(resource.props, input));
  return fromInput ?? knownString(peek(resource.props, "name"));
}

/** The resource's ARM id when known. */
export function knownId(resource: PolicyResource): string | undefined {
  const id = knownString(peek(resource.props, "id"));
  return id === undefined ? undefined : normalizeId(id);
}

/** The resource group name when known. */
export function resourceGroupOf(resource: PolicyResource): string | undefined {
  return knownString(peek(resource.props, "resourceGroupName"));
}

/**
 * The lower-case tail every id of this resource ends with, built from known names
 * (`/resourcegroups/rg/providers/microsoft.storage/storageaccounts/st1`, without the resource
 * group when that is unknown); undefined when the name is unknown or the type not catalogued.
 */
export function idTailOf(resource: PolicyResource): string | undefined {
  const shape = ARM[resource.type];
  const name = azureName(resource);
  if (!shape || name === undefined) return undefined;
  let path = `/providers/${shape.provider}`;
  if (shape.parents) {
    const [outer] = shape.parents;
    const parentName = knownString(peek(resource.props, outer.key));
    if (parentName === undefined) return undefined;
    path += `/${parentName}/${outer.segment}`;
  }
  path += `/${name}`;
  const group = resourceGroupOf(resource);
  return (group === undefined ? path : `/resourcegroups/${group}${path}`).toLowerCase();
}

/**
 * Whether `from.props[property]` (whose value, or the part of it that is an id, is `value`) refers
 * to the resource `to` by ARM id: by known ids, by known names, or by dependency when unknown.
 */
export function refersToId(from: PolicyResource, property: string, value: unknown, to: PolicyResource): boolean {
  const reference = knownString(value);
  if (reference !== undefined) {
    const id = knownId(to);
    if (id !== undefined) return normalizeId(reference) === id;
    const tail = idTailOf(to);
    if (tail !== undefined) return normalizeId(reference).endsWith(tail);
    return dependsVia(from, property, to);
  }
  if (value === UNKNOWN) return dependsVia(from, property, to);
  return false;
}

/**
 * Whether a reference by plain value (a name, a principal id) at `from.props[property]` equals
 * `target` (the matching value of `to`): compared when both are known, else by dependency.
 */
export function refersToValue(
  from: PolicyResource,
  property: string,
  value: unknown,
  to: PolicyResource,
  target: unknown,
): boolean {
  const reference = knownString(value);
  const expected = knownString(target);
  if (reference !== undefined && expected !== undefined) return reference.toLowerCase() === expected.toLowerCase();
  if (reference === undefined && value !== UNKNOWN) return false;
  return dependsVia(from, property, to);
}

/** Resource group names match, or one of them is unknown. */
export function sameGroupOrUnknown(a: PolicyResource, b: PolicyResource): boolean {
  const ga = resourceGroupOf(a);
  const gb = resourceGroupOf(b);
  return ga === undefined || gb === undefined || ga.toLowerCase() === gb.toLowerCase();
}

/** Short display of a resource in messages: `azure-native:storage:StorageAccount 'name'` -> `StorageAccount 'name'`. */
export function label(resource: PolicyResource): string {
  return `${resource.type.split(":").pop() ?? resource.type} '${resource.name}'`;
}

/** A value as shown in messages (see props.ts `shown`), `unknown` for {@link UNKNOWN}. */
export function shown(value: unknown): string {
  return value === UNKNOWN ? "unknown" : shownValue(value);
}

/** `Disabled` (any case). */
export function isDisabled(value: unknown): boolean {
  return sameText(value, "Disabled");
}

/** The stack name, read from a resource URN (`urn:pulumi:<stack>::<project>::...`). */
export function stackNameOf(resources: PolicyResource[]): string | undefined {
  const urn = resources[0]?.urn;
  const match = urn ? /^urn:pulumi:([^:]+)::/.exec(urn) : null;
  return match ? match[1] : undefined;
}
