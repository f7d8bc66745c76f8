import { PolicyResource } from "@pulumi/policy";
import {
  UNKNOWN,
  azureName,
  dependsVia,
  knownId,
  knownString,
  label,
  mustKnow,
  normalizeId,
  ofType,
  peek,
  refersToId,
  refersToValue,
  resourceGroupOf,
  sourcesOf,
  untraced,
} from "../../support/stackGraph";
import { TYPES as T } from "secure-azureml-facts";
import { roleGuid, scopeLevel } from "../../support/ml";

/**
 * Who holds which role where, for the required-roles rule: managed identities of resources,
 * what their role assignments' scopes cover, and references to resources that may live outside
 * the stack.
 */

/** A managed identity that can receive roles: a user-assigned identity or a resource's system-assigned identity. */
export interface Principal {
  resource: PolicyResource;
  principalId: unknown;
}

/** A resource roles are required on: in the stack (`resource`), or outside it, known by id. */
export interface Target {
  resource?: PolicyResource;
  /** Normalized ARM id, when known. */
  id?: string;
  display: string;
}

/** The identities a resource's `identity.userAssignedIdentities` (a list of ids or a map keyed by id) lists. */
export function userAssignedIdentities(
  resources: PolicyResource[],
  owner: PolicyResource,
): { inStack: PolicyResource[]; outside: string[] } {
  const identities = ofType(resources, T.identity);
  const type = peek(owner.props, "identity.type");
  if (type === UNKNOWN) mustKnow(owner, "identity.type");
  if (!/userassigned/i.test(knownString(type) ?? "")) return { inStack: [], outside: [] };
  const fromDependencies = () => sourcesOf(owner, "identity").filter((s) => s.type === T.identity);
  const listed = peek(owner.props, "identity.userAssignedIdentities");
  if (listed === UNKNOWN) {
    const found = fromDependencies();
    if (found.length === 0) mustKnow(owner, "identity.userAssignedIdentities");
    return { inStack: found, outside: [] };
  }
  const references: unknown[] = Array.isArray(listed)
    ? listed
    : listed !== null && typeof listed === "object"
      ? Object.keys(listed)
      : [];
  const inStack: PolicyResource[] = [];
  const outside: string[] = [];
  for (const reference of references) {
    const matched =
      knownString(reference) === undefined
        ? fromDependencies()
        : identities.filter((i) => refersToId(owner, "identity", reference, i));
    if (matched.length === 0 && knownString(reference) !== undefined) outside.push(knownString(reference) as string);
    if (matched.length === 0 && knownString(reference) === undefined)
      mustKnow(owner, "identity.userAssignedIdentities");
    for (const identity of matched) if (!inStack.some((i) => i.urn === identity.urn)) inStack.push(identity);
  }
  return { inStack, outside };
}

/** A user-assigned identity as a principal. */
export const identityPrincipal = (identity: PolicyResource): Principal => ({
  resource: identity,
  principalId: peek(identity.props, "principalId"),
});

/** A resource's system-assigned identity as a principal, when it has one. */
export function systemPrincipal(resource: PolicyResource): Principal | undefined {
  const type = peek(resource.props, "identity.type");
  if (type === UNKNOWN) mustKnow(resource, "identity.type");
  return /systemassigned/i.test(knownString(type) ?? "")
    ? { resource, principalId: peek(resource.props, "identity.principalId") }
    : undefined;
}

/**
 * The resource an id property (`storageAccount`, `containerRegistry`, a rule's `serviceResourceId`)
 * designates: a stack resource of `type`, or a target outside the stack known by its id; undefined
 * when absent. Reads the property (throws "unknown during preview") when it is unknown and came
 * from no resource of the stack.
 */
export function targetOf(
  resources: PolicyResource[],
  holder: PolicyResource,
  property: string,
  path: string,
  type: string,
): Target | undefined {
  const value = peek(holder.props, path);
  if (value === undefined || value === null) return undefined;
  const resource = ofType(resources, type).find((r) => refersToId(holder, property, value, r));
  if (resource) return { resource, id: knownId(resource), display: label(resource) };
  const known = knownString(value);
  if (known !== undefined) return { id: normalizeId(known), display: known };
  if (untraced(holder, property, value)) mustKnow(holder, path);
  const source = sourcesOf(holder, property).find((s) => s.type === type);
  return source ? { resource: source, id: knownId(source), display: label(source) } : undefined;
}

/** A stack resource as a target. */
export const resourceTarget = (resource: PolicyResource): Target => ({
  resource,
  id: knownId(resource),
  display: label(resource),
});

/** Whether a known scope string covers the target (equal, or a parent in the ARM hierarchy). */
function knownScopeCovers(
  assignment: PolicyResource,
  scope: string,
  target: Target,
  minimum: "resource" | "resourceGroup",
): boolean {
  const id = normalizeId(scope);
  const kind = scopeLevel(id);
  if (minimum === "resourceGroup" && kind === "resource") return false;
  if (target.id !== undefined)
    return id === "/" || kind === "managementGroup" || target.id === id || target.id.startsWith(`${id}/`);
  if (kind !== "resource" && kind !== "resourceGroup") return true;
  const group = target.resource && resourceGroupOf(target.resource);
  if (kind === "resourceGroup") return group !== undefined && id.endsWith(`/resourcegroups/${group.toLowerCase()}`);
  return target.resource !== undefined && refersToId(assignment, "scope", scope, target.resource);
}

/** Whether an unknown scope (computed from resources of the stack) covers the target. */
function unknownScopeCovers(
  assignment: PolicyResource,
  target: Target,
  minimum: "resource" | "resourceGroup",
): boolean {
  const sources = sourcesOf(assignment, "scope");
  const group = target.resource && resourceGroupOf(target.resource);
  const inGroup = (rg: PolicyResource) =>
    group !== undefined
      ? azureName(rg)?.toLowerCase() === group.toLowerCase()
      : target.resource !== undefined && dependsVia(target.resource, "resourceGroupName", rg);
  const coversGroup = sources.some((s) => s.type === T.resourceGroup && inGroup(s));
  if (coversGroup) return true;
  if (minimum === "resourceGroup") return false;
  const nonIdentity = sources.filter((s) => s.type !== T.identity && s.type.startsWith("azure-native:"));
  return target.resource !== undefined && nonIdentity.length === 1 && nonIdentity[0].urn === target.resource.urn;
}

/**
 * Whether one of the principals holds one of the roles on the target (or on a scope that covers
 * it; `minimum: "resourceGroup"` accepts only resource group or broader scopes). Reads the role or
 * scope of a matching assignment through the proxy when it is unknown and untraced.
 */
export function holdsRole(
  resources: PolicyResource[],
  principals: Principal[],
  roleIds: readonly string[],
  target: Target,
  minimum: "resource" | "resourceGroup" = "resource",
): boolean {
  const wanted = new Set(roleIds.map((r) => r.toLowerCase()));
  for (const assignment of ofType(resources, T.roleAssignment)) {
    const principalValue = peek(assignment.props, "principalId");
    if (!principals.some((p) => refersToValue(assignment, "principalId", principalValue, p.resource, p.principalId)))
      continue;
    const role = peek(assignment.props, "roleDefinitionId");
    if (role === UNKNOWN) mustKnow(assignment, "roleDefinitionId");
    if (!wanted.has(roleGuid(role))) continue;
    const scope = peek(assignment.props, "scope");
    const known = knownString(scope);
    if (known !== undefined && knownScopeCovers(assignment, known, target, minimum)) return true;
    if (scope === UNKNOWN) {
      if (untraced(assignment, "scope", scope)) mustKnow(assignment, "scope");
      if (unknownScopeCovers(assignment, target, minimum)) return true;
    }
  }
  return false;
}
