import { readFileSync } from "node:fs";
import { z } from "zod";

/**
 * Policy pack configuration with the Pulumi CLI's semantics (`--policy-pack-config <file>`):
 * parsing as in pkg/resource/analyzer/config.go (`LoadPolicyPackConfigFromFile`), then
 * `ReconcilePolicyPackConfig`: every policy starts from its enforcement level and the `default`s
 * of its config schema, the pack's initial config is applied, then the file (an `"all"` entry sets
 * every policy's level first), and the result is validated against each policy's JSON schema.
 */

export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];

export function isEnforcementLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

/** One policy's config: an enforcement level (possibly unset) and its properties. */
export interface PolicyConfig {
  enforcementLevel?: EnforcementLevel;
  properties?: Record<string, unknown>;
}
export type PolicyPackConfig = Record<string, PolicyConfig>;

/** What reconciliation needs to know about each policy (from `GetAnalyzerInfo`). */
export interface PolicyDefaults {
  name: string;
  enforcementLevel: EnforcementLevel;
  configSchema?: { properties: Record<string, Record<string, unknown>>; required: string[] };
}

/** A configuration the CLI would refuse: unreadable file, bad JSON, bad level, schema violation. */
export class PolicyConfigError extends Error {}

function extractLevel(policy: string, props: Record<string, unknown>): EnforcementLevel | undefined {
  if (!("enforcementLevel" in props)) return undefined;
  const level = props.enforcementLevel;
  if (typeof level !== "string")
    throw new PolicyConfigError(
      `parsing enforcement level for "${policy}": ${JSON.stringify(level)} is not a valid enforcement level; must be a string`,
    );
  if (!isEnforcementLevel(level))
    throw new PolicyConfigError(
      `parsing enforcement level for "${policy}": "${level}" is not a valid enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`,
    );
  delete props.enforcementLevel;
  return level;
}

/** Parse the text of a `--policy-pack-config` file: `{ "<policy>": "<level>" | { "enforcementLevel"?: ..., ...properties } }`. */
export function parsePolicyPackConfig(text: string, source = "policy config"): PolicyPackConfig {
  if (text.trim() === "") return {};
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new PolicyConfigError(`${source}: not valid JSON: ${(error as Error).message}`);
  }
  if (!document || typeof document !== "object" || Array.isArray(document)) {
    throw new PolicyConfigError(
      `${source}: must be a JSON object mapping policy names to an enforcement level or an object`,
    );
  }
  const result: PolicyPackConfig = {};
  for (const [policy, value] of Object.entries(document)) {
    let config: PolicyConfig;
    if (typeof value === "string") {
      if (!isEnforcementLevel(value))
        throw new PolicyConfigError(
          `${source}: parsing enforcement level for "${policy}": "${value}" is not a valid enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`,
        );
      config = { enforcementLevel: value };
    } else if (value && typeof value === "object" && !Array.isArray(value)) {
      const props = { ...(value as Record<string, unknown>) };
      let level: EnforcementLevel | undefined;
      try {
        level = extractLevel(policy, props);
      } catch (error) {
        throw new PolicyConfigError(`${source}: ${(error as Error).message}`);
      }
      config = { enforcementLevel: level, properties: Object.keys(props).length > 0 ? props : undefined };
    } else {
      throw new PolicyConfigError(
        `${source}: parsing "${policy}": ${JSON.stringify(value)} is not a valid value; must be a string or object`,
      );
    }
    // Empty entries are dropped, as the CLI does.
    if (config.enforcementLevel === undefined && config.properties === undefined) continue;
    result[policy] = config;
  }
  return result;
}

/** Read and parse a policy config file; a missing or malformed file is a `PolicyConfigError`. */
export function readPolicyPackConfig(path: string): PolicyPackConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PolicyConfigError(
      code === "ENOENT"
        ? `policy config ${path} does not exist`
        : `cannot read policy config ${path}: ${(error as Error).message}`,
    );
  }
  return parsePolicyPackConfig(text, path);
}

/** An own entry of a record, or undefined (no prototype keys). */
function lookup<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function applyConfig(result: PolicyPackConfig, toApply: PolicyPackConfig): PolicyPackConfig {
  const next: PolicyPackConfig = { ...result };
  const all = lookup(toApply, "all");
  if (all?.enforcementLevel) {
    for (const [name, config] of Object.entries(next))
      next[name] = { enforcementLevel: all.enforcementLevel, properties: config.properties };
  }
  for (const [policy, given] of Object.entries(toApply)) {
    const current = lookup(next, policy);
    const properties =
      given.properties && Object.keys(given.properties).length > 0
        ? { ...(current?.properties ?? {}), ...given.properties }
        : current?.properties;
    next[policy] = { enforcementLevel: given.enforcementLevel ?? current?.enforcementLevel, properties };
  }
  return next;
}

function schemaFor(policy: PolicyDefaults): z.ZodType | undefined {
  if (!policy.configSchema) return undefined;
  const schema: Record<string, unknown> = { type: "object", properties: policy.configSchema.properties };
  if (policy.configSchema.required.length > 0) schema.required = policy.configSchema.required;
  return z.fromJSONSchema(schema);
}

export interface ReconciledConfig {
  /** The config sent with `Configure`: every policy of the pack, plus entries the file named. */
  config: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>;
  /** Not errors for the CLI, but probably mistakes (e.g. a policy name the pack does not have). */
  warnings: string[];
}

/**
 * The CLI's `ReconcilePolicyPackConfig` followed by the checks `Configure` makes. `label` names the
 * pack in error messages (e.g. `secure-azureml-baseline 0.1.0`).
 */
export function reconcilePolicyPackConfig(
  policies: PolicyDefaults[],
  initialConfig: PolicyPackConfig,
  fileConfig: PolicyPackConfig,
  label: string,
): ReconciledConfig {
  let result: PolicyPackConfig = {};
  for (const policy of policies) {
    let properties: Record<string, unknown> | undefined;
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
      if ("default" in schema) properties = { ...(properties ?? {}), [key]: schema.default };
    }
    result[policy.name] = { enforcementLevel: policy.enforcementLevel, properties };
  }
  result = applyConfig(result, initialConfig);
  result = applyConfig(result, fileConfig);

  const errors: string[] = [];
  for (const policy of policies) {
    let schema: z.ZodType | undefined;
    try {
      schema = schemaFor(policy);
    } catch (error) {
      errors.push(`${policy.name}: its config schema cannot be read: ${(error as Error).message}`);
      continue;
    }
    if (!schema) continue;
    const current = lookup(result, policy.name);
    const parsed = schema.safeParse(current?.properties ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        errors.push(`${policy.name}: ${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
    }
  }
  if (errors.length > 0)
    throw new PolicyConfigError(`validating policy config: ${label}\n${errors.map((e) => `  - ${e}`).join("\n")}`);

  const known = new Set(policies.map((p) => p.name));
  const warnings: string[] = [];
  const config: ReconciledConfig["config"] = {};
  for (const [name, value] of Object.entries(result)) {
    if (name === "all" && !known.has("all")) continue;
    if (!value.enforcementLevel) {
      throw new PolicyConfigError(
        `policy config names "${name}", which the pack ${label} does not have, without an enforcementLevel (the CLI fails with: invalid enforcement level "")`,
      );
    }
    if (!known.has(name))
      warnings.push(`policy config names "${name}", which the pack ${label} does not have; it has no effect`);
    config[name] = { enforcementLevel: value.enforcementLevel, properties: value.properties ?? {} };
  }
  return { config, warnings };
}
