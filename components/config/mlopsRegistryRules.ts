import { z } from "zod";
import { CLOUDS, CLOUD_NAMES } from "secure-azureml-facts";
import { PROJECT_ROOT, condaFilePath, readCondaSpec } from "./assetSpecs";
import { MlRegistryConfig, ModelReferenceConfig, environmentAssetSchema, mlRegistrySchema, modelReferenceSchema } from "./mlopsRegistrySchema";
import { RawRecord, isRecord, recordAt } from "./raw";
import type { ConfigProblem } from "./rules";

/*
 * Cross-field rules for `mlRegistry` and `assets`. Like the other rules, each reads the raw
 * config, parses only the fields it needs and skips a field that is itself invalid (the schema
 * reports that one), so every problem surfaces in one run. No rule throws.
 */

function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.output<T> | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/** The entries of a raw map whose values are objects (others are left to the schema). */
function objectEntries(value: unknown): [string, RawRecord][] {
  return isRecord(value) ? Object.entries(value).filter((entry): entry is [string, RawRecord] => isRecord(entry[1])) : [];
}

/** The registry name asset URIs use: the existing registry's, the configured one, or `mlr-<namePrefix>`. */
export function mlRegistryName(namePrefix: string, registry: Pick<MlRegistryConfig, "name" | "existingRegistryId">): string {
  if (registry.existingRegistryId) return registry.existingRegistryId.split("/").pop() as string;
  return registry.name ?? `mlr-${namePrefix}`;
}

/**
 * Whether the workspace storage account admits the registry (`mlRegistry.shareFromWorkspace`):
 * only when a stack that publishes to an enabled registry asks for it (it opens the account's
 * public endpoint); validation rejects `true` anywhere else.
 */
export function sharesFromWorkspace(registry: Pick<MlRegistryConfig, "enabled" | "mode" | "shareFromWorkspace">): boolean {
  return registry.enabled && registry.mode === "publish" && registry.shareFromWorkspace === true;
}

/** The reference a deployment uses for a model: `azureml:<name>:<version>` or the registry asset URI. */
export function modelReferenceUri(model: string, reference: ModelReferenceConfig, registryName?: string): string {
  if (reference.from === "workspace") return `azureml:${model}:${reference.version}`;
  if (registryName === undefined) throw new Error(`assets.models.${model} comes from the registry, but no ML registry is enabled`);
  return `azureml://registries/${registryName}/models/${model}/versions/${reference.version}`;
}

/** Keys of `mlRegistry` that only shape a registry this stack creates. */
const CREATE_ONLY_KEYS = ["name", "replicationRegions", "storageAccountType"] as const;

function registrySettingsRules(raw: RawRecord): ConfigProblem[] {
  const registry = recordAt(raw, "mlRegistry");
  if (!registry) return [];
  const problems: ConfigProblem[] = [];
  const enabled = parseWith(mlRegistrySchema.shape.enabled, registry.enabled);
  const others = Object.keys(registry).filter((key) => key !== "enabled" && key in mlRegistrySchema.shape);
  if (enabled === false && others.length > 0) {
    problems.push({ path: ["mlRegistry", "enabled"], message: `is false (the default), so mlRegistry.${others.join(", mlRegistry.")} has no effect; set enabled: true or remove those keys` });
  }
  if (parseWith(mlRegistrySchema.shape.existingRegistryId, registry.existingRegistryId) !== undefined) {
    for (const key of CREATE_ONLY_KEYS.filter((k) => registry[k] !== undefined)) {
      problems.push({
        path: ["mlRegistry", key],
        message: "applies only to a registry this stack creates, but existingRegistryId references an existing one; remove it (or remove existingRegistryId)",
      });
    }
  }
  return problems;
}

/** `shareFromWorkspace: true` opens the workspace storage account to the registry: only a publishing stack with a registry may ask for it. */
function workspaceSharingRules(raw: RawRecord): ConfigProblem[] {
  const registry = recordAt(raw, "mlRegistry");
  if (parseWith(mlRegistrySchema.shape.shareFromWorkspace, registry?.shareFromWorkspace) !== true) return [];
  const path = ["mlRegistry", "shareFromWorkspace"];
  const accepted = "accepted: true only with enabled: true and mode: publish; false or unset (the default: off)";
  const enabled = parseWith(mlRegistrySchema.shape.enabled, registry?.enabled);
  if (enabled === false) {
    return [{ path, message: `is true, but mlRegistry.enabled is false: there is no registry to share into, and the workspace storage account would be opened for nothing; ${accepted}` }];
  }
  const mode = parseWith(mlRegistrySchema.shape.mode, registry?.mode);
  if (enabled === true && mode === "consume") {
    return [
      {
        path,
        message: `is true, but mlRegistry.mode is consume${registry?.mode === undefined ? " (the default)" : ""}: only a publishing stack shares assets into the registry, and a consuming one would open its workspace storage account for nothing; set mode: publish or remove shareFromWorkspace (${accepted})`,
      },
    ];
  }
  return [];
}

function replicationRegionRules(raw: RawRecord): ConfigProblem[] {
  const regions = recordAt(raw, "mlRegistry")?.replicationRegions;
  const cloud = parseWith(z.enum(CLOUD_NAMES).default("AzureCloud"), raw.cloud);
  if (!Array.isArray(regions) || !cloud) return [];
  const accepted = CLOUDS[cloud].regions;
  const seen = new Set<string>();
  return regions.flatMap((region: unknown, index): ConfigProblem[] => {
    if (typeof region !== "string") return [];
    const normalised = region.replace(/\s+/g, "").toLowerCase();
    const path = ["mlRegistry", "replicationRegions", index];
    if (seen.has(normalised)) return [{ path, message: "is listed twice; list each region once" }];
    seen.add(normalised);
    return accepted.includes(normalised) ? [] : [{ path, message: `is not an Azure region of ${cloud}; accepted: ${accepted.join(", ")}` }];
  });
}

function environmentSpecRules(raw: RawRecord): ConfigProblem[] {
  return objectEntries(recordAt(raw, "assets")?.environments).flatMap(([name, value]): ConfigProblem[] => {
    const environment = parseWith(environmentAssetSchema, value);
    if (!environment) return [];
    const spec = readCondaSpec(PROJECT_ROOT, condaFilePath(name, environment));
    return spec.ok ? [] : [{ path: ["assets", "environments", name, "condaFile"], message: spec.problem }];
  });
}

function modelSourceRules(raw: RawRecord): ConfigProblem[] {
  const enabled = parseWith(mlRegistrySchema.shape.enabled, recordAt(raw, "mlRegistry")?.enabled);
  if (enabled === true) return [];
  return objectEntries(recordAt(raw, "assets")?.models).flatMap(([name, value]): ConfigProblem[] => {
    const reference = parseWith(modelReferenceSchema, value);
    if (reference?.from !== "registry") return [];
    return [{ path: ["assets", "models", name, "from"], message: "is registry, but mlRegistry.enabled is false: enable the registry (mlRegistry.enabled: true) or use from: workspace" }];
  });
}

/** Every rule for `mlRegistry` and `assets`; `rules.ts` runs them with the others. */
export const MLOPS_REGISTRY_RULES: readonly ((raw: RawRecord) => ConfigProblem[])[] = [registrySettingsRules, workspaceSharingRules, replicationRegionRules, environmentSpecRules, modelSourceRules];
