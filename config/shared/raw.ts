/** Reading the raw (not yet validated) config in cross-field rules, without trusting its shape. */

export type RawRecord = Record<string, unknown>;

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is RawRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A nested object of the raw config, or undefined when it is absent or not an object. */
export function recordAt(raw: RawRecord, ...path: string[]): RawRecord | undefined {
  let current: unknown = raw;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return isRecord(current) ? current : undefined;
}
