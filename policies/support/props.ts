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
