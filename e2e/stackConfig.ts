/**
 * The test stacks' configuration: a shipped stack file (E2E_BASE_STACK) with the overlay in
 * `e2e/stacks/<layer>.yaml` when there is one (each overlay key replaces the base key of the same
 * name; the serving layer has none: it deploys the shipped serving stack as is) and the values
 * that come from the settings (region, name prefix, subscription, locks, platform stack reference).
 * Written to `Pulumi.<E2E_STACK>.yaml` in the project directory, keeping the encryption fields
 * `pulumi stack init` added on an earlier run, so a rerun can still decrypt the stack's secrets.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import type { E2eSettings } from "./settings";

export type ConfigMap = Record<string, unknown>;

export const REPO_ROOT = resolve(__dirname, "..");
export const LAYERS = {
  platform: { workDir: REPO_ROOT, namespace: "secure-azureml" },
  serving: { workDir: join(REPO_ROOT, "serving"), namespace: "secure-azureml-serving" },
} as const;
export type Layer = keyof typeof LAYERS;

/** Top-level keys of a stack file that belong to `pulumi stack init`, not to the configuration. */
const ENCRYPTION_KEYS = ["secretsprovider", "encryptedkey", "encryptionsalt"] as const;

function readYamlObject(path: string): Record<string, unknown> {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  const parsed: unknown = parse(readFileSync(path, "utf8"));
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error(`${path} is not a YAML mapping`);
  return parsed as Record<string, unknown>;
}

function configOf(path: string): ConfigMap {
  const config = readYamlObject(path).config;
  if (config === undefined) return {};
  if (config === null || typeof config !== "object" || Array.isArray(config))
    throw new Error(`${path}: "config" is not a mapping`);
  return config as ConfigMap;
}

export function overlayPath(layer: Layer): string {
  return join(REPO_ROOT, "e2e", "stacks", `${layer}.yaml`);
}

/** The configuration the test deploys for one layer. */
export function testStackConfig(layer: Layer, settings: E2eSettings): ConfigMap {
  const { workDir, namespace } = LAYERS[layer];
  const overlay = existsSync(overlayPath(layer)) ? configOf(overlayPath(layer)) : {};
  const config: ConfigMap = { ...configOf(join(workDir, `Pulumi.${settings.baseStack}.yaml`)), ...overlay };
  config["azure-native:location"] = settings.location;
  // Pinned: the test never deploys to a subscription other than the one named in E2E_SUBSCRIPTION_ID.
  config["azure-native:subscriptionId"] = settings.subscriptionId;
  if (layer === "platform") {
    config[`${namespace}:location`] = settings.location;
    config[`${namespace}:namePrefix`] = settings.namePrefix;
    // `protect` would make destroy fail by design; locks are what prod uses and what teardown must handle.
    config[`${namespace}:protection`] = { locks: settings.locks, protect: false };
    if (settings.alertEmail)
      config[`${namespace}:alerts`] = { emailReceivers: [{ name: "e2e", email: settings.alertEmail }] };
  } else {
    config[`${namespace}:platformStack`] = settings.platformStackRef;
  }
  return config;
}

/** Write `Pulumi.<stack>.yaml` for the layer; returns its path. */
export function writeTestStackFile(layer: Layer, settings: E2eSettings): string {
  const path = join(LAYERS[layer].workDir, `Pulumi.${settings.stack}.yaml`);
  const previous = existsSync(path) ? readYamlObject(path) : {};
  const kept = Object.fromEntries(
    ENCRYPTION_KEYS.filter((key) => previous[key] !== undefined).map((key) => [key, previous[key]]),
  );
  const header = `# Written by npm run e2e (e2e/stackConfig.ts) from Pulumi.${settings.baseStack}.yaml and its e2e overlay; removed with the stack.\n`;
  writeFileSync(path, header + stringify({ ...kept, config: testStackConfig(layer, settings) }));
  return path;
}
