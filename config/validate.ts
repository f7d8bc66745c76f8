import { z } from "zod";
import { ASSETS_RULES } from "./sections/assets";
import { COMPUTE_RULES } from "./sections/compute";
import { DATA_SERVICES_RULES } from "./sections/dataServices";
import { ENDPOINT_RULES } from "./sections/endpoints";
import { GENERAL_RULES } from "./sections/general";
import { MODEL_OPERATIONS_RULES } from "./sections/modelOperations";
import { NETWORK_RULES } from "./sections/network";
import { PRIVATE_ENDPOINT_SUBNET_RULES } from "./crossSection/privateEndpointSubnet";
import { WORKSPACE_RULES } from "./sections/workspace";
import { ZONE_REDUNDANCY_RULES } from "./crossSection/zoneRedundancy";
import { normaliseLocation } from "./shared/cloud";
import { ConfigIssue, ConfigProblem, ConfigRule, shownValue } from "./shared/errors";
import { didYouMean } from "./shared/keySuggestion";
import { unreadKeyIssues } from "./shared/namespaces";
import { PROJECT_NAME } from "./shared/projects";
import { removedKeyReason } from "./shared/primitives";
import { retirementProblems } from "./shared/retirements";
import { CONFIG_KEYS, StackConfig, stackConfigSchema } from "./stack";

/** Every section's cross-field rules; each checks the fields it needs independently, so all problems surface at once. */
const CROSS_FIELD_RULES: readonly ConfigRule[] = [
  ...GENERAL_RULES,
  ...NETWORK_RULES,
  ...PRIVATE_ENDPOINT_SUBNET_RULES,
  ...WORKSPACE_RULES,
  ...DATA_SERVICES_RULES,
  ...COMPUTE_RULES,
  ...ENDPOINT_RULES,
  ...ASSETS_RULES,
  ...MODEL_OPERATIONS_RULES,
  ...ZONE_REDUNDANCY_RULES,
];

/** Every cross-field problem of a raw config. */
export function crossFieldProblems(raw: Record<string, unknown>): ConfigProblem[] {
  return CROSS_FIELD_RULES.flatMap((rule) => rule(raw));
}

export { PROJECT_NAME } from "./shared/projects";

export type ValidationResult = { ok: true; config: StackConfig } | { ok: false; issues: ConfigIssue[] };

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = raw;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** Turns a path in the validated object into the fully qualified config key a user writes. */
type KeyNamer = (path: readonly PropertyKey[]) => string;

/** `a.b[0].c`, the `pulumi config --path` syntax; names with other characters (tag names) as `["a/b"]`. */
export function dottedPath(path: readonly PropertyKey[]): string {
  const segment = (p: PropertyKey) =>
    typeof p === "number"
      ? `[${p}]`
      : /^[A-Za-z0-9_-]+$/.test(String(p))
        ? `.${String(p)}`
        : `[${JSON.stringify(String(p))}]`;
  return path.map(segment).join("").replace(/^\./, "");
}

const platformKeyName: KeyNamer = (path) => `${PROJECT_NAME}:${dottedPath(path)}`;

/** Unwrap defaults and optionals; pick a discriminated union's option by the raw discriminator. */
function resolveSchema(schema: z.ZodType, rawValue: unknown): z.ZodType | undefined {
  let current: z.ZodType = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional)
    current = current.unwrap() as z.ZodType;
  if (current instanceof z.ZodDiscriminatedUnion) {
    const discriminator = current._zod.def.discriminator;
    const chosen = (current.options as z.ZodType[]).find(
      (option) =>
        option instanceof z.ZodObject &&
        (option.shape as Record<string, z.ZodType>)[discriminator].safeParse(
          (rawValue as Record<string, unknown> | undefined)?.[discriminator],
        ).success,
    );
    return chosen;
  }
  return current;
}

/** The schema of the value at `path` (through objects and the values of records); undefined when unknown. */
function schemaAt(path: readonly PropertyKey[], raw: unknown): z.ZodType | undefined {
  let schema: z.ZodType | undefined = resolveSchema(stackConfigSchema, raw);
  for (let i = 0; i < path.length && schema; i++) {
    const segment = path[i];
    let next: z.ZodType | undefined;
    if (schema instanceof z.ZodObject && typeof segment === "string")
      next = (schema.shape as Record<string, z.ZodType>)[segment];
    else if (schema instanceof z.ZodRecord) next = schema.valueType as z.ZodType;
    schema = next === undefined ? undefined : resolveSchema(next, valueAt(raw, path.slice(0, i + 1)));
  }
  return schema;
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const accepted = known.length > 0 ? `accepted keys here: ${known.join(", ")}` : "see docs/configuration.md";
  return `is not a known key; ${didYouMean(key, known)}${accepted}`;
}

/** A message the schema set itself (zod's generic ones start with "Invalid input"). */
function schemaMessage(issue: z.core.$ZodIssue): string | undefined {
  return /^Invalid (input|key|element)/.test(issue.message) ? undefined : issue.message;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

const EXPECTED_TYPE: Partial<Record<string, string>> = {
  boolean: "boolean (true or false, unquoted)",
  number: "number (unquoted)",
  int: "whole number (unquoted)",
  object: "object (a map of keys)",
  record: "object (a map of names to values)",
  array: "list",
};

/**
 * A key given as YAML `null`, `~` or nothing after the colon. The Pulumi CLI passes such a
 * top-level value to the program as an empty string ("In YAML these are equivalent to null ... in
 * Pulumi's config system they get treated as empty strings", pulumi/pulumi#19483), which
 * `rawConfigFromPulumi` reads as null; inside a structured value it stays a JSON null.
 */
function emptyValueMessage(expected: string, custom: string | undefined): string {
  return `is empty (YAML null, ~ or no value after the colon): ${custom ?? `expected ${expected}`}; give a value, or remove the key to use its default where it has one`;
}

function invalidTypeMessage(issue: z.core.$ZodIssueInvalidType, value: unknown): string {
  const custom = schemaMessage(issue);
  if (value === null) return emptyValueMessage(EXPECTED_TYPE[issue.expected] ?? issue.expected, custom);
  if (value === undefined)
    return `is required: ${custom ?? `expected ${EXPECTED_TYPE[issue.expected] ?? issue.expected}`}`;
  if (issue.expected === "int" && typeof value === "number") return custom ?? "must be a whole number";
  const wrongType = `has the wrong type: expected ${EXPECTED_TYPE[issue.expected] ?? issue.expected}, got ${typeName(value)}`;
  return custom ? `${wrongType}; ${custom}` : wrongType;
}

function invalidValueMessage(values: readonly unknown[], value: unknown): string {
  const accepted = `is not accepted; expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
  const quoteHint =
    typeof value !== "string" && values.includes(String(value))
      ? ` (write it as a quoted string: "${String(value)}")`
      : "";
  return accepted + quoteHint;
}

function discriminatorMessage(issue: z.core.$ZodIssueInvalidUnion, value: unknown): string {
  const options = "options" in issue && issue.options ? issue.options : [];
  if (options.length === 0) return `is not accepted; ${issue.message.replace(/^Invalid input: /, "")}`;
  const accepted = options.map((o) => JSON.stringify(o)).join(", ");
  return value === undefined ? `is required: one of ${accepted}` : `is not accepted; expected one of ${accepted}`;
}

/** Turn a zod issue into one or more messages that say what is accepted. */
function fromZodIssue(issue: z.core.$ZodIssue, raw: unknown, keyName: KeyNamer): ConfigIssue[] {
  const value = valueAt(raw, issue.path);
  const at = (message: string, path: readonly PropertyKey[] = issue.path, shown: unknown = value): ConfigIssue[] => [
    { key: keyName(path), value: shownValue(shown), message },
  ];
  switch (issue.code) {
    case "unrecognized_keys": {
      const schema = schemaAt(issue.path, raw);
      const known = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
      const parent = valueAt(raw, issue.path) as Record<string, unknown>;
      return issue.keys.flatMap((k) =>
        at((schema && removedKeyReason(schema, k)) ?? unknownKeyMessage(k, known), [...issue.path, k], parent[k]),
      );
    }
    case "invalid_type":
      return at(invalidTypeMessage(issue, value));
    case "invalid_value":
      return at(invalidValueMessage(issue.values, value));
    case "invalid_key":
      // A record key (a tag name) is the bad value: show the key, with the key schema's own messages.
      return at(issue.issues.map((i) => i.message).join("; "), issue.path, issue.path.at(-1));
    case "invalid_union": {
      const discriminator = issue.discriminator ?? "mode";
      const path = issue.path.at(-1) === discriminator ? issue.path : [...issue.path, discriminator];
      const shown = valueAt(raw, path);
      return at(discriminatorMessage(issue, shown), path, shown);
    }
    default:
      return at(issue.message);
  }
}

function fromProblem(problem: ConfigProblem, raw: unknown, keyName: KeyNamer): ConfigIssue {
  return { key: keyName(problem.path), value: shownValue(valueAt(raw, problem.path)), message: problem.message };
}

export interface ValidateOptions {
  /** Optional. Names each problem's key (default: `secure-azureml:<path>`); the serving layer names its own keys in its namespace. */
  keyName?: KeyNamer;
  /** Optional. Problems found before schema validation (e.g. a section in the wrong layer's stack file), reported with the rest. */
  extraProblems?: readonly ConfigProblem[];
  /** Optional. The day retirements are judged on (`shared/retirements.ts`); default: today. */
  now?: Date;
  /** Optional. Issues already named with their full key (stack file keys no program reads), reported first. */
  extraIssues?: readonly ConfigIssue[];
}

/**
 * Validate raw stack configuration (keys without the project namespace). Returns the typed
 * model with secure defaults applied, or every problem found, never just the first.
 */
export function validateStackConfig(raw: Record<string, unknown>, options: ValidateOptions = {}): ValidationResult {
  const keyName = options.keyName ?? platformKeyName;
  const parsed = stackConfigSchema.safeParse(raw);
  const issues = [
    ...(options.extraIssues ?? []),
    ...(parsed.success ? [] : parsed.error.issues.flatMap((i) => fromZodIssue(i, raw, keyName))),
  ];
  issues.push(
    ...[...(options.extraProblems ?? []), ...crossFieldProblems(raw)].map((p) => fromProblem(p, raw, keyName)),
  );
  issues.push(
    ...retirementProblems(parsed.success ? parsed.data : raw, options.now ?? new Date(), raw).map((p) =>
      fromProblem(p, raw, keyName),
    ),
  );
  const unique = [...new Map(issues.map((i) => [`${i.key}|${i.message}`, i])).values()];
  if (unique.length > 0 || !parsed.success) return { ok: false, issues: unique };
  return { ok: true, config: { ...parsed.data, location: normaliseLocation(parsed.data.location) } };
}

/**
 * Turn Pulumi's flat config map (`<project>:<key>` -> string; structured values arrive as
 * JSON) into the raw object the schema validates. Keys of other tools' namespaces are ignored; a
 * program also checks the keys no project reads with `readPulumiConfig`.
 */
export function rawConfigFromPulumi(all: Record<string, string>, project = PROJECT_NAME): Record<string, unknown> {
  return readPulumiConfig(all, project).raw;
}

/** A project's config as Pulumi hands it to the program: its own keys, and the keys no program reads. */
export interface PulumiConfigRead {
  /** The project's keys without their namespace, values parsed (see `rawConfigFromPulumi`). */
  raw: Record<string, unknown>;
  /** Keys under a near miss of this project's namespace, or under the other layer's (`shared/namespaces.ts`). */
  unreadKeys: readonly ConfigIssue[];
}

/** Reads `pulumi.runtime.allConfig()` for `project`: pass `unreadKeys` to the layer's validator. */
export function readPulumiConfig(all: Record<string, string>, project = PROJECT_NAME): PulumiConfigRead {
  const raw: Record<string, unknown> = {};
  for (const [fullKey, value] of Object.entries(all)) {
    const [namespace, ...rest] = fullKey.split(":");
    if (namespace !== project || rest.length === 0) continue;
    raw[rest.join(":")] = parseConfigValue(value);
  }
  return { raw, unreadKeys: unreadKeyIssues(all, project) };
}

/**
 * A top-level value that stands for YAML null: the empty string the Pulumi CLI passes for
 * `key: null`, `key: ~` and `key:` (pulumi/pulumi#19483), and the word null itself (what an
 * older offline planner passed, or `pulumi config set key null`). No key of this project accepts
 * an empty string or the word null, so each is read as null and reported as empty.
 */
function isNullValue(value: string): boolean {
  return /^\s*(null|Null|NULL|~)?\s*$/.test(value);
}

/** Structured values are JSON; booleans and numbers are kept as their JSON types; names stay strings. */
function parseConfigValue(value: string): unknown {
  if (isNullValue(value)) return null;
  const trimmed = value.trim();
  if (/^[{[]/.test(trimmed) || trimmed === "true" || trimmed === "false") {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value;
}

export { CONFIG_KEYS };
