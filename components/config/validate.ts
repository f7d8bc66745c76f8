import { z } from "zod";
import { ConfigIssue } from "./errors";
import { ConfigProblem, crossFieldProblems, normaliseLocation } from "./rules";
import { CONFIG_KEYS, StackConfig, stackConfigSchema } from "./schema";

/** The project name: the namespace of every config key in `Pulumi.<stack>.yaml`. */
export const PROJECT_NAME = "secure-azureml";

export type ValidationResult = { ok: true; config: StackConfig } | { ok: false; issues: ConfigIssue[] };

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = raw;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

function keyName(path: readonly PropertyKey[]): string {
  const dotted = path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
  return `${PROJECT_NAME}:${dotted}`;
}

/** Turn a zod issue into one or more messages that say what is accepted. */
function fromZodIssue(issue: z.core.$ZodIssue, raw: unknown): ConfigIssue[] {
  const value = valueAt(raw, issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((k) => {
        const path = [...issue.path, k];
        const parent = valueAt(raw, issue.path);
        return { key: keyName(path), value: describeValue((parent as Record<string, unknown>)[k]), message: "is not a known key (check the spelling; the README lists every key)" };
      });
    case "invalid_type":
      if (value === undefined) return [{ key: keyName(issue.path), value: "(missing)", message: `is required: expected ${issue.expected}` }];
      return [{ key: keyName(issue.path), value: describeValue(value), message: `has the wrong type: expected ${issue.expected}, got ${Array.isArray(value) ? "array" : typeof value}` }];
    case "invalid_value":
      return [{ key: keyName(issue.path), value: describeValue(value), message: `is not accepted; expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` }];
    case "invalid_union": {
      const discriminator = (issue as { discriminator?: string }).discriminator ?? "mode";
      const path = issue.path.at(-1) === discriminator ? issue.path : [...issue.path, discriminator];
      return [{ key: keyName(path), value: describeValue(valueAt(raw, path)), message: `is not accepted; ${issue.message.replace(/^Invalid input: /, "")}` }];
    }
    default:
      return [{ key: keyName(issue.path), value: describeValue(value), message: issue.message }];
  }
}

function fromProblem(problem: ConfigProblem, raw: unknown): ConfigIssue {
  return { key: keyName(problem.path), value: describeValue(valueAt(raw, problem.path)), message: problem.message };
}

/**
 * Validate raw stack configuration (keys without the project namespace). Returns the typed
 * model with secure defaults applied, or every problem found, never just the first.
 */
export function validateStackConfig(raw: Record<string, unknown>): ValidationResult {
  const parsed = stackConfigSchema.safeParse(raw);
  const issues = parsed.success ? [] : parsed.error.issues.flatMap((i) => fromZodIssue(i, raw));
  issues.push(...crossFieldProblems(raw).map((p) => fromProblem(p, raw)));
  const unique = [...new Map(issues.map((i) => [`${i.key}|${i.message}`, i])).values()];
  if (unique.length > 0 || !parsed.success) return { ok: false, issues: unique };
  return { ok: true, config: { ...parsed.data, location: normaliseLocation(parsed.data.location) } };
}

/**
 * Turn Pulumi's flat config map (`<project>:<key>` -> string; structured values arrive as
 * JSON) into the raw object the schema validates. Keys of other namespaces are ignored.
 */
export function rawConfigFromPulumi(all: Record<string, string>, project = PROJECT_NAME): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [fullKey, value] of Object.entries(all)) {
    const [namespace, ...rest] = fullKey.split(":");
    if (namespace !== project || rest.length === 0) continue;
    raw[rest.join(":")] = parseConfigValue(value);
  }
  return raw;
}

/** Structured values are JSON; booleans and numbers are kept as their JSON types; names stay strings. */
function parseConfigValue(value: string): unknown {
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
