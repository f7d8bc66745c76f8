import { ConfigIssue, ConfigProblem, ConfigValidationError, shownValue } from "./shared/errors";
import { didYouMean } from "./shared/keySuggestion";
import { SERVING_PROJECT_NAME } from "./shared/projects";
import { RawRecord, isRecord } from "./shared/raw";
import { StackConfig } from "./stack";
import { PROJECT_NAME, ValidationResult, dottedPath, rawConfigFromPulumi, validateStackConfig } from "./validate";

/**
 * The two layers of an environment, as two Pulumi projects with their own stack files:
 * - the platform (root `Pulumi.yaml`, namespace `secure-azureml`): network, DNS, identities and
 *   every role assignment, data services, monitoring, workspace, training compute, ML registry,
 *   versioned environments and data assets. It needs no ML asset to exist.
 * - the serving layer (`serving/Pulumi.yaml`, namespace `secure-azureml-serving`): online and
 *   batch endpoints, deployments, traffic, alerts, data collection, model monitors, retraining,
 *   and the model versions they pin. Deployed once those models exist.
 *
 * One schema covers both: the serving layer validates its sections together with the platform
 * stack's config (exported by the platform as a secret output), so every cross-section rule
 * (a monitor's cluster, a deployment's environment key) still runs, and each problem is named
 * with the key of the file the user must edit.
 */

export { SERVING_PROJECT_NAME };

/** Top-level sections of the serving stack file (besides `platformStack` and `models`). */
export const SERVING_SECTIONS = ["endpoints", "batchEndpoints", "modelMonitoring", "retraining"] as const;

/** Serving key holding the model versions deployments pin; validated as the schema's `assets.models`. */
export const SERVING_MODELS_KEY = "models";

/** Serving key naming the platform stack (`<org>/secure-azureml/<stack>`); see `platformStackName`. */
export const PLATFORM_STACK_KEY = "platformStack";

const SERVING_KEYS: readonly string[] = [...SERVING_SECTIONS, SERVING_MODELS_KEY, PLATFORM_STACK_KEY];

function isServingPath(path: readonly PropertyKey[]): boolean {
  return (
    (SERVING_SECTIONS as readonly PropertyKey[]).includes(path[0]) || (path[0] === "assets" && path[1] === "models")
  );
}

/** The key a user writes for a path of the merged serving config: serving sections in the serving namespace, `assets.models` as `models`. */
export function servingKeyName(path: readonly PropertyKey[]): string {
  if (!isServingPath(path)) return `${PROJECT_NAME}:${dottedPath(path)} (platform stack)`;
  const servingPath = path[0] === "assets" ? [SERVING_MODELS_KEY, ...path.slice(2)] : path;
  return `${SERVING_PROJECT_NAME}:${dottedPath(servingPath)}`;
}

/** Sections of a platform stack file that belong to the serving stack file. */
function misplacedServingSections(raw: RawRecord): ConfigProblem[] {
  const problems: ConfigProblem[] = SERVING_SECTIONS.filter((section) => raw[section] !== undefined).map((section) => ({
    path: [section],
    message: `belongs to the serving layer now: move it to serving/Pulumi.<stack>.yaml as ${SERVING_PROJECT_NAME}:${section} (see README, "Two layers")`,
  }));
  if (isRecord(raw.assets) && raw.assets.models !== undefined) {
    problems.push({
      path: ["assets", "models"],
      message: `belongs to the serving layer now: move it to serving/Pulumi.<stack>.yaml as ${SERVING_PROJECT_NAME}:${SERVING_MODELS_KEY}`,
    });
  }
  return problems;
}

/** Validate a platform stack's raw config: the schema without the serving sections, which are rejected with where they belong. */
export function validatePlatformConfig(
  raw: RawRecord,
  options: {
    /** Problems the caller found beside the schema (e.g. example persona ids). */
    extraProblems?: readonly ConfigProblem[];
    /** Keys no program reads, from `readPulumiConfig`. */
    unreadKeys?: readonly ConfigIssue[];
  } = {},
): ValidationResult {
  const extraProblems = [...misplacedServingSections(raw), ...(options.extraProblems ?? [])];
  const withoutServing = Object.fromEntries(
    Object.entries(raw).filter(([key]) => !(SERVING_SECTIONS as readonly string[]).includes(key)),
  );
  if (isRecord(withoutServing.assets))
    withoutServing.assets = Object.fromEntries(
      Object.entries(withoutServing.assets).filter(([key]) => key !== "models"),
    );
  return validateStackConfig(withoutServing, { extraProblems, extraIssues: options.unreadKeys });
}

/** The serving stack's own raw config (keys without namespace). */
export function rawServingConfig(all: Record<string, string>): RawRecord {
  return rawConfigFromPulumi(all, SERVING_PROJECT_NAME);
}

/** Keys of the serving stack file the schema does not know. */
function unknownServingKeys(serving: RawRecord): ConfigIssue[] {
  const unknown = Object.keys(serving)
    .filter((key) => !SERVING_KEYS.includes(key))
    .map((key) => ({
      key: `${SERVING_PROJECT_NAME}:${key}`,
      value: shownValue(serving[key]),
      message: `is not a serving key; ${didYouMean(key, SERVING_KEYS)}accepted keys: ${SERVING_KEYS.join(", ")} (platform keys go in the root Pulumi.<stack>.yaml)`,
    }));
  // The other serving keys are validated with the schema; platformStack is read on its own.
  const platformStack = serving[PLATFORM_STACK_KEY];
  if (platformStack !== undefined && (typeof platformStack !== "string" || platformStack.trim() === ""))
    unknown.push({
      key: `${SERVING_PROJECT_NAME}:${PLATFORM_STACK_KEY}`,
      value: shownValue(platformStack),
      message: `${platformStack === null ? "is empty (YAML null, ~ or no value after the colon)" : "must be a string"}: give the platform stack as <org>/${PROJECT_NAME}/<stack>, or remove the key to use organization/${PROJECT_NAME}/<this stack's name>`,
    });
  return unknown;
}

/**
 * Validate a serving stack: its sections merged into the platform stack's raw config, so every
 * cross-section rule runs; problems in serving sections are named with serving keys.
 */
export function validateServingConfig(
  platformRaw: RawRecord,
  serving: RawRecord,
  options: {
    /** Keys no program reads, from `readPulumiConfig` of the serving project. */
    unreadKeys?: readonly ConfigIssue[];
  } = {},
): ValidationResult {
  const platformAssets = isRecord(platformRaw.assets) ? platformRaw.assets : {};
  const merged: RawRecord = {
    ...Object.fromEntries(
      Object.entries(platformRaw).filter(([key]) => !(SERVING_SECTIONS as readonly string[]).includes(key)),
    ),
    ...Object.fromEntries(
      SERVING_SECTIONS.filter((section) => serving[section] !== undefined).map((section) => [
        section,
        serving[section],
      ]),
    ),
    assets: {
      ...platformAssets,
      ...(serving[SERVING_MODELS_KEY] !== undefined ? { models: serving[SERVING_MODELS_KEY] } : { models: undefined }),
    },
  };
  const unknown = [...(options.unreadKeys ?? []), ...unknownServingKeys(serving)];
  const extraProblems: ConfigProblem[] = [];
  const batchScoring = isRecord(platformRaw.workspace) && platformRaw.workspace.batchScoring === true;
  if (isRecord(serving.batchEndpoints) && Object.keys(serving.batchEndpoints).length > 0 && !batchScoring) {
    extraProblems.push({
      path: ["batchEndpoints"],
      message: `need the platform's ${PROJECT_NAME}:workspace.batchScoring: true (queue and table private endpoint rules and the cluster identity's queue/table data roles, which the serving layer cannot grant); set it in the platform stack and run its pulumi up first`,
    });
  }
  const result = validateStackConfig(merged, { keyName: servingKeyName, extraProblems });
  if (unknown.length === 0) return result;
  return { ok: false, issues: [...unknown, ...(result.ok ? [] : result.issues)] };
}

/** Throw the usual configuration error (key, value, what is accepted) unless the result is valid. */
export function configOrThrow(result: ValidationResult): StackConfig {
  if (!result.ok) throw new ConfigValidationError(result.issues);
  return result.config;
}

/** The platform stack a serving stack reads: the configured `platformStack`, else `organization/secure-azureml/<serving stack name>`. */
export function platformStackName(serving: RawRecord, servingStack: string): string {
  const configured = serving[PLATFORM_STACK_KEY];
  return typeof configured === "string" && configured.trim() !== ""
    ? configured.trim()
    : `organization/${PROJECT_NAME}/${servingStack}`;
}
