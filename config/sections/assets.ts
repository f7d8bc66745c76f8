import { z } from "zod";
import { CLOUDS, armIdNameProblems } from "secure-azureml-facts";
import { PROJECT_ROOT, condaFilePath, readCondaSpec } from "../shared/assetSpecs";
import { cloudOf, normaliseLocation } from "../shared/cloud";
import type { ConfigProblem, ConfigRule } from "../shared/errors";
import { armIdPattern } from "../shared/patterns";
import { checkedString, existingIdNameMessage, matching } from "../shared/primitives";
import { RawRecord, recordAt } from "../shared/raw";
import { objectEntries, parseWith } from "../shared/rawParse";

/**
 * Config shapes for the Azure ML registry (`mlRegistry`) and the versioned assets built from
 * code (`assets`). Cross-field rules (regions per cloud, spec files on disk, model references
 * against the registry and the deployments) follow the schema.
 */

/** Azure ML registry names: 3-32 letters, digits, `_` or `-`, starting with a letter or digit (part of every asset URI). */
export const REGISTRY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{2,31}$/;
const REGISTRY_NAME_MESSAGE =
  "must be 3-32 letters, digits, _ or -, starting with a letter or digit (it is part of every asset URI azureml://registries/<name>/...)";

/** Asset (environment, data, model) names: letters, digits, `_`, `-`, `.`, starting with a letter or digit. */
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const ASSET_NAME_MESSAGE = "must be 1-64 letters, digits, _, - or ., starting with a letter or digit";
const assetName = matching(ASSET_NAME, ASSET_NAME_MESSAGE);

/** Storage redundancy of the registry's system-created storage account in each region. */
export const REGISTRY_STORAGE_TYPES = [
  "Standard_LRS",
  "Standard_ZRS",
  "Standard_GRS",
  "Standard_GZRS",
  "Standard_RAGRS",
  "Standard_RAGZRS",
] as const;

export const registryIdMessage =
  "must be an Azure ML registry resource id: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.MachineLearningServices/registries/<name> (3-32 letters, digits, _ or -)";

/** An Azure ML registry resource id whose name segment is a valid registry name (and resource group name a valid one). */
const registryId = z
  .string(registryIdMessage)
  .refine(
    (id) =>
      armIdPattern("Microsoft.MachineLearningServices/registries").test(id) &&
      REGISTRY_NAME.test(id.split("/").pop() ?? ""),
    registryIdMessage,
  )
  .superRefine((id, ctx) => {
    for (const problem of armIdNameProblems(id).filter((p) => p.type === "resourceGroups"))
      ctx.addIssue({ code: "custom", input: id, message: existingIdNameMessage(problem) });
  });

export const mlRegistrySchema = z.strictObject({
  /** Create (or reference) an Azure ML registry. Off by default; the shipped prod stack turns it on. */
  enabled: z
    .boolean()
    .default(false)
    .describe("Create or use an Azure ML registry; any other mlRegistry key while this is false is an error."),
  /** `publish`: this stack's identities and ML engineers create assets in the registry; `consume`: only the endpoint identity reads them. */
  mode: z
    .enum(["publish", "consume"])
    .default("consume")
    .describe(
      "publish: the workspace and compute identities and mlEngineers get AzureML Registry User on the registry; consume: read access only.",
    ),
  /** Name of the registry this stack creates. Default `mlr-<namePrefix>`. One-way. */
  name: matching(REGISTRY_NAME, REGISTRY_NAME_MESSAGE)
    .optional()
    .describe("Registry name, default mlr-<namePrefix>: 3-32 letters, digits, _ or -, unique in the tenant. One-way."),
  /** Use this existing (shared) registry instead of creating one. */
  existingRegistryId: registryId
    .optional()
    .describe(
      "Resource id of an existing Azure ML registry; the stack then creates only its private endpoint and role assignments.",
    ),
  /** Regions the registry replicates to besides the primary location (which is always included). */
  replicationRegions: z
    .array(z.string("must be an Azure region name, e.g. northeurope"))
    .default([])
    .describe(
      "Extra regions of the stack's cloud the registry replicates to; regions can be added, the primary cannot change.",
    ),
  /** Redundancy of the registry's storage account in each region. One-way. */
  storageAccountType: z
    .enum(REGISTRY_STORAGE_TYPES)
    .default("Standard_ZRS")
    .describe("Redundancy of the registry's storage accounts. One-way."),
  /**
   * Let the registry read the workspace storage account (`az ml model share` / `environment share`):
   * public network access Enabled with a deny-all firewall whose only rule is a resource instance
   * rule for the registry. Off unless set to `true`, which needs `enabled` and `publish`
   * (`sharesFromWorkspace`); the program warns when it is on.
   */
  shareFromWorkspace: z
    .boolean()
    .optional()
    .describe(
      "Lets the registry read the workspace storage account (needed to share models and environments from the workspace); opens the account's public endpoint to the registry only.",
    ),
});

/** Curated base images and the project's own registries; a pinned tag (not latest) or a digest. */
export const IMAGE_REFERENCE =
  /^(?<host>[a-z0-9][a-z0-9.-]*[a-z0-9])\/(?<repository>[a-z0-9]+(?:[._/-][a-z0-9]+)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})|@sha256:[a-f0-9]{64})$/;
/** Registries an environment's base image may come from: Microsoft's curated images and Azure container registries. */
export const ALLOWED_IMAGE_HOSTS = /^(mcr\.microsoft\.com|[a-z0-9]{5,50}\.azurecr\.(io|us|cn))$/;
const IMAGE_MESSAGE =
  "must be a pinned image from mcr.microsoft.com or an Azure container registry (<name>.azurecr.io): <host>/<repository>:<tag> with a tag other than latest, or <host>/<repository>@sha256:<digest>, e.g. mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20250601.v1";

/** Undefined when `image` is an accepted base image reference; otherwise what is wrong. */
export function imageReferenceProblem(image: string): string | undefined {
  const match = IMAGE_REFERENCE.exec(image);
  if (!match?.groups) return IMAGE_MESSAGE;
  if (!ALLOWED_IMAGE_HOSTS.test(match.groups.host)) return `comes from registry ${match.groups.host}; ${IMAGE_MESSAGE}`;
  // Absent for a digest reference.
  const tag = match.groups.tag as string | undefined;
  if (tag?.toLowerCase() === "latest")
    return `uses the tag latest, which changes without a config change; ${IMAGE_MESSAGE}`;
  return undefined;
}

const image = checkedString(IMAGE_MESSAGE, imageReferenceProblem);

const SPEC_PATH_MESSAGE =
  "must be the path of a conda YAML file inside the repository, relative to the project root, e.g. assets/environments/<name>/conda.yaml";

export const environmentAssetSchema = z.strictObject({
  /** The curated base image the environment is built on. */
  image: image.describe(
    "A pinned base image (a tag other than latest, or a digest) from mcr.microsoft.com or the stack's registry.",
  ),
  /** The conda/pip spec kept in the repository (relative to the project root). Default `assets/environments/<name>/conda.yaml`. */
  condaFile: z
    .string(SPEC_PATH_MESSAGE)
    .min(1, SPEC_PATH_MESSAGE)
    .optional()
    .describe(
      "Path of the conda YAML file, relative to the project root; default assets/environments/<name>/conda.yaml.",
    ),
  description: z
    .string("must be a string of at most 512 characters")
    .max(512, "must be at most 512 characters")
    .optional()
    .describe("Description of the environment."),
});

/**
 * The workspace's identity-based blob datastores (`systemDatastoresAuthMode: Identity`), which the
 * compute identity (Storage Blob Data Contributor) and endpoint identity (Storage Blob Data Reader) can read.
 */
export const IDENTITY_DATASTORES = ["workspaceblobstore", "workspaceartifactstore"] as const;

const DATA_PATH_MESSAGE =
  "must be a path inside the datastore such as churn/training/2026-06/ (no leading /, no .. segments, no ? or #, no SAS tokens)";

/** Undefined when `path` is a plain datastore-relative path. */
export function dataPathProblem(path: string): string | undefined {
  if (path.trim() !== path || path.length === 0 || path.length > 1024) return DATA_PATH_MESSAGE;
  if (
    path.startsWith("/") ||
    /[?#\\]/.test(path) ||
    path.split("/").some((segment) => segment === ".." || segment === ".")
  )
    return DATA_PATH_MESSAGE;
  if (/^[a-z][a-z0-9+.-]*:/i.test(path))
    return `is a URL; ${DATA_PATH_MESSAGE}: the data asset URI is built as azureml://datastores/<datastore>/paths/<path>`;
  return undefined;
}

export const dataAssetSchema = z
  .strictObject({
    /** `uri_folder` (a folder of files) or `uri_file` (one file). */
    type: z.enum(["uri_folder", "uri_file"]).default("uri_folder").describe("Kind of data asset."),
    /** One of the workspace's identity-based datastores. */
    datastore: z
      .enum(IDENTITY_DATASTORES)
      .default("workspaceblobstore")
      .describe("The workspace's identity-based blob datastore holding the data."),
    /** Path inside the datastore. Use dated or otherwise immutable paths: an asset version points at a location, not at a copy. */
    path: checkedString(DATA_PATH_MESSAGE, dataPathProblem).describe(
      "Path inside the datastore (no leading /, no . or .. segments, no ? or #); use dated, immutable paths.",
    ),
    description: z
      .string("must be a string of at most 512 characters")
      .max(512, "must be at most 512 characters")
      .optional()
      .describe("Description of the data asset."),
  })
  .superRefine((asset, ctx) => {
    if (asset.type === "uri_file" && asset.path.endsWith("/"))
      ctx.addIssue({
        code: "custom",
        path: ["path"],
        message: "ends with / but type is uri_file: name one file, or use type uri_folder",
      });
  });

const VERSION_MESSAGE = 'must be a model version, 1-64 letters, digits, _, - or . (quote it in YAML: "3")';

export const modelReferenceSchema = z.strictObject({
  /** The pinned version (never a label such as latest). */
  version: matching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, VERSION_MESSAGE)
    .refine(
      (version) => version.toLowerCase() !== "latest",
      "must pin a version, not latest (a label changes what is deployed without a config change)",
    )
    .describe("A pinned model version (quote numbers in YAML), not latest."),
  /** `workspace`: a model registered in this stack's workspace; `registry`: a model in this stack's ML registry (mlRegistry). */
  from: z
    .enum(["workspace", "registry"])
    .default("workspace")
    .describe(
      "workspace: a model of this stack's workspace; registry: a model of the stack's ML registry (needs mlRegistry.enabled).",
    ),
});

export const assetsSchema = z.strictObject({
  environments: z.record(assetName, environmentAssetSchema).default({}),
  data: z.record(assetName, dataAssetSchema).default({}),
  models: z.record(assetName, modelReferenceSchema).default({}),
});

export type MlRegistryConfig = z.output<typeof mlRegistrySchema>;
export type AssetsConfig = z.output<typeof assetsSchema>;
export type EnvironmentAssetConfig = z.output<typeof environmentAssetSchema>;
export type DataAssetConfig = z.output<typeof dataAssetSchema>;
export type ModelReferenceConfig = z.output<typeof modelReferenceSchema>;

/*
 * Cross-field rules for `mlRegistry` and `assets`. Like the other rules, each reads the raw
 * config, parses only the fields it needs and skips a field that is itself invalid (the schema
 * reports that one), so every problem surfaces in one run. No rule throws.
 */

/** The registry name asset URIs use: the existing registry's, the configured one, or `mlr-<namePrefix>`. */
export function mlRegistryName(
  namePrefix: string,
  registry: Pick<MlRegistryConfig, "name" | "existingRegistryId">,
): string {
  if (registry.existingRegistryId) return registry.existingRegistryId.split("/").pop() as string;
  return registry.name ?? `mlr-${namePrefix}`;
}

/**
 * Whether the workspace storage account admits the registry (`mlRegistry.shareFromWorkspace`):
 * only when a stack that publishes to an enabled registry asks for it (it opens the account's
 * public endpoint); validation rejects `true` anywhere else.
 */
export function sharesFromWorkspace(
  registry: Pick<MlRegistryConfig, "enabled" | "mode" | "shareFromWorkspace">,
): boolean {
  return registry.enabled && registry.mode === "publish" && registry.shareFromWorkspace === true;
}

export { modelReferenceUri } from "secure-azureml-facts";

/** Keys of `mlRegistry` that only shape a registry this stack creates. */
const CREATE_ONLY_KEYS = ["name", "replicationRegions", "storageAccountType"] as const;

function registrySettingsRules(raw: RawRecord): ConfigProblem[] {
  const registry = recordAt(raw, "mlRegistry");
  if (!registry) return [];
  const problems: ConfigProblem[] = [];
  const enabled = parseWith(mlRegistrySchema.shape.enabled, registry.enabled);
  const others = Object.keys(registry).filter((key) => key !== "enabled" && key in mlRegistrySchema.shape);
  if (enabled === false && others.length > 0) {
    problems.push({
      path: ["mlRegistry", "enabled"],
      message: `is false (the default), so mlRegistry.${others.join(", mlRegistry.")} has no effect; set enabled: true or remove those keys`,
    });
  }
  if (parseWith(mlRegistrySchema.shape.existingRegistryId, registry.existingRegistryId) !== undefined) {
    for (const key of CREATE_ONLY_KEYS.filter((k) => registry[k] !== undefined)) {
      problems.push({
        path: ["mlRegistry", key],
        message:
          "applies only to a registry this stack creates, but existingRegistryId references an existing one; remove it (or remove existingRegistryId)",
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
    return [
      {
        path,
        message: `is true, but mlRegistry.enabled is false: there is no registry to share into, and the workspace storage account would be opened for nothing; ${accepted}`,
      },
    ];
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
  const cloud = cloudOf(raw);
  if (!Array.isArray(regions) || !cloud) return [];
  const accepted = CLOUDS[cloud].regions;
  const seen = new Set<string>();
  return regions.flatMap((region: unknown, index): ConfigProblem[] => {
    if (typeof region !== "string") return [];
    const normalised = normaliseLocation(region);
    const path = ["mlRegistry", "replicationRegions", index];
    if (seen.has(normalised)) return [{ path, message: "is listed twice; list each region once" }];
    seen.add(normalised);
    return accepted.includes(normalised)
      ? []
      : [{ path, message: `is not an Azure region of ${cloud}; accepted: ${accepted.join(", ")}` }];
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
    return [
      {
        path: ["assets", "models", name, "from"],
        message:
          "is registry, but mlRegistry.enabled is false: enable the registry (mlRegistry.enabled: true) or use from: workspace",
      },
    ];
  });
}

/** Every rule for `mlRegistry` and `assets` (run by `validate.ts`). */
export const ASSETS_RULES: readonly ConfigRule[] = [
  registrySettingsRules,
  workspaceSharingRules,
  replicationRegionRules,
  environmentSpecRules,
  modelSourceRules,
];
