import type { z } from "zod";
import type { ConfigProblem } from "./errors";
import { RawRecord, isRecord } from "./raw";

/*
 * Helpers for the cross-field rules. Every rule reads the raw config and checks each field it
 * needs on its own, skipping only the fields that are themselves invalid (the schema reports
 * those). So a typo or a bad value in one field never hides a problem in another: every problem
 * surfaces in one run. No rule throws.
 */

/** A key path inside the project namespace. */
export type Path = readonly (string | number)[];

/** Parse one value with a schema (defaults applied); undefined when invalid (the schema reports it). */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.output<T> | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/** The entries of a raw map whose values are objects (others are left to the schema). */
export function objectEntries(value: unknown): [string, RawRecord][] {
  return isRecord(value)
    ? Object.entries(value).filter((entry): entry is [string, RawRecord] => isRecord(entry[1]))
    : [];
}

/** The raw strings of a list, with their indexes; non-strings are left to the schema. */
export function stringEntries(value: unknown): [string, number][] {
  return Array.isArray(value)
    ? value.flatMap((item, index): [string, number][] => (typeof item === "string" ? [[item, index]] : []))
    : [];
}

/** One problem per repeated entry of a list (compared case-insensitively). */
export function duplicates(path: Path, entries: [string, number][], what: string): ConfigProblem[] {
  const seen = new Set<string>();
  return entries.flatMap(([value, index]) => {
    const normalised = value.toLowerCase();
    const repeated = seen.has(normalised);
    seen.add(normalised);
    return repeated ? [{ path: [...path, index], message: `is listed twice; list each ${what} once` }] : [];
  });
}
