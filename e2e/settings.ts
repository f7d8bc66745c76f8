/**
 * The real deploy test's settings, all from environment variables (docs/ci-cd.md, "Real deploy
 * test", lists them). Read and checked before anything is deployed; an error names the variable, the
 * bad value and what is accepted.
 */
import { createHash } from "node:crypto";
import type { Env } from "./preflight";

export interface E2eSettings {
  /** Required. E2E_SUBSCRIPTION_ID: the dedicated subscription; pinned in both stacks' `azure-native:subscriptionId`. */
  subscriptionId: string;
  /** Optional. E2E_STACK: the stack name used for both projects. Default `e2e`. */
  stack: string;
  /** Optional. E2E_LOCATION: Azure region. Default `westeurope`. */
  location: string;
  /** Optional. E2E_NAME_PREFIX: the platform's namePrefix. Default `e2e` + 4 hex digits derived from the stack name (stable across reruns). */
  namePrefix: string;
  /** Optional. E2E_BASE_STACK: the shipped stack whose files the test starts from (`Pulumi.<base>.yaml`, `serving/Pulumi.<base>.yaml`). Default `dev`. */
  baseStack: string;
  /** Optional. E2E_LOCKS: `true` deploys prod-style CanNotDelete locks (and so tests their removal). Default `true`. */
  locks: boolean;
  /** Optional. E2E_PLATFORM_STACK_REF: the serving stack's platformStack. Default `organization/secure-azureml/<stack>` (self-managed backends). */
  platformStackRef: string;
  /** Optional. E2E_ALERT_EMAIL: replaces the base stack's alert receivers with this address. */
  alertEmail?: string;
  /** Optional. E2E_SERVING_CLIENT_ID: client id the serving layer deploys with (the serving deployer's roles); default the same identity as the platform. */
  servingClientId?: string;
  /** Optional. E2E_SECRETS_PROVIDER: secrets provider for new stacks, e.g. `azurekeyvault://<vault>.vault.azure.net/keys/pulumi-secrets`. Default the backend's (passphrase: set PULUMI_CONFIG_PASSPHRASE). */
  secretsProvider?: string;
  /** Optional. E2E_CLUSTER: the platform compute cluster key the test jobs run on. Default `cpu`. */
  clusterKey: string;
  /** Optional. E2E_ENVIRONMENT: the platform environment asset the test jobs run in. Default `churn-inference`. */
  environmentKey: string;
  /** Optional. E2E_ENDPOINT: the serving online endpoint key to score. Default `churn`. */
  endpointKey: string;
  /** Optional. E2E_KEEP: `true` leaves everything deployed (for debugging; destroy by hand). Default `false`. */
  keep: boolean;
}

export class E2eSettingsError extends Error {}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function choose(env: Env, name: string, fallback: string, pattern: RegExp, accepted: string): string {
  const value = env[name] ?? fallback;
  if (!pattern.test(value)) throw new E2eSettingsError(`${name}=${JSON.stringify(value)} is not valid: ${accepted}.`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  if (value === "true" || value === "false") return value === "true";
  throw new E2eSettingsError(`${name}=${JSON.stringify(value)} is not valid: use true or false.`);
}

function optional(env: Env, name: string, pattern: RegExp, accepted: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === "") return undefined;
  return choose(env, name, value, pattern, accepted);
}

/** The default name prefix: stable for a stack name, so a rerun after a failed destroy adopts the same names. */
export function defaultNamePrefix(stack: string): string {
  return `e2e${createHash("sha256").update(stack).digest("hex").slice(0, 4)}`;
}

export function readE2eSettings(env: Env): E2eSettings {
  const stack = choose(
    env,
    "E2E_STACK",
    "e2e",
    /^[A-Za-z0-9_.-]{1,64}$/,
    "1-64 letters, digits, '-', '_' or '.' (a Pulumi stack name)",
  );
  return {
    subscriptionId: choose(env, "E2E_SUBSCRIPTION_ID", "", GUID, "a subscription id (GUID)"),
    stack,
    location: choose(
      env,
      "E2E_LOCATION",
      "westeurope",
      /^[a-z0-9]+$/,
      "an Azure region name such as westeurope (az account list-locations)",
    ),
    namePrefix: choose(
      env,
      "E2E_NAME_PREFIX",
      defaultNamePrefix(stack),
      /^[a-z][a-z0-9]{1,7}$/,
      "2-8 lowercase letters or digits, starting with a letter",
    ),
    baseStack: choose(env, "E2E_BASE_STACK", "dev", /^[A-Za-z0-9_.-]{1,64}$/, "the name of a shipped stack, e.g. dev"),
    locks: flag(env, "E2E_LOCKS", true),
    platformStackRef: choose(
      env,
      "E2E_PLATFORM_STACK_REF",
      `organization/secure-azureml/${stack}`,
      /^[\w.-]+\/[\w.-]+\/[\w.-]+$/,
      "<organization>/<project>/<stack>",
    ),
    alertEmail: optional(env, "E2E_ALERT_EMAIL", /^[^@\s]+@[^@\s]+\.[^@\s]+$/, "an e-mail address"),
    servingClientId: optional(env, "E2E_SERVING_CLIENT_ID", GUID, "a client id (GUID)"),
    secretsProvider: optional(
      env,
      "E2E_SECRETS_PROVIDER",
      /^\S+$/,
      "a Pulumi secrets provider URL, e.g. azurekeyvault://<vault>.vault.azure.net/keys/<key>",
    ),
    clusterKey: choose(env, "E2E_CLUSTER", "cpu", /^[\w-]+$/, "a key of the platform's compute.clusters"),
    environmentKey: choose(
      env,
      "E2E_ENVIRONMENT",
      "churn-inference",
      /^[\w.-]+$/,
      "a key of the platform's assets.environments",
    ),
    endpointKey: choose(env, "E2E_ENDPOINT", "churn", /^[\w-]+$/, "a key of the serving stack's online endpoints"),
    keep: flag(env, "E2E_KEEP", false),
  };
}
