/**
 * Reading azure-native v3 inputs in rules. Rules read the property bag exactly as the program
 * passed it (after SDK defaults); a property that is absent is `undefined`, which rules treat
 * as the service default (insecure where the service default is insecure).
 *
 * Unknown values (preview) need no handling here: @pulumi/policy wraps the properties in a
 * proxy that throws on an unknown, and the pack server turns that into an advisory
 * "cannot check during preview" note instead of a violation.
 */

/** The value at a dotted path (`properties.networkAcls.defaultAction`), or undefined. */
export function valueAt(props: unknown, path: string): unknown {
  let current: unknown = props;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Case-insensitive equality for enum-like strings (`Disabled` vs `disabled`). */
export function sameText(value: unknown, expected: string): boolean {
  return typeof value === "string" && value.toLowerCase() === expected.toLowerCase();
}

/** A value as it appears in a message: `"Enabled"`, `true`, or `not set`. */
export function shown(value: unknown): string {
  return value === undefined ? "not set" : JSON.stringify(value);
}

/** `true`, in any shape a program may pass it (`true` or `"true"`). */
export function isTrue(value: unknown): boolean {
  return value === true || sameText(value, "true");
}

/** `false`, in any shape a program may pass it (`false` or `"false"`). */
export function isFalse(value: unknown): boolean {
  return value === false || sameText(value, "false");
}

/**
 * What is wrong with a managed identity block (`{ type, userAssignedIdentities }`) found at `path`,
 * or undefined: no SystemAssigned/UserAssigned type (`missing` says what that costs and what to
 * set), or UserAssigned with no identity listed.
 */
export function managedIdentityProblem(identity: unknown, path: string, missing: string): string | undefined {
  const type = valueAt(identity, "type");
  const hasUser = typeof type === "string" && /userassigned/i.test(type);
  const hasSystem = typeof type === "string" && /systemassigned/i.test(type);
  if (!hasUser && !hasSystem) return `${path}.type is ${shown(type)}: ${missing}`;
  if (!hasUser) return undefined;
  const listed = valueAt(identity, "userAssignedIdentities");
  if (Array.isArray(listed) && listed.length > 0) return undefined;
  return `${path}.type is ${shown(type)} but ${path}.userAssignedIdentities is ${shown(listed)}: list the identity's resource id.`;
}
