import * as pulumi from "@pulumi/pulumi";
import type { VersionedAssets } from "../versionedAssets";
import { type DeclaredAssetKind, isAssetKey } from "secure-azureml-facts";

/**
 * How deployments, batch deployments and jobs turn their `model`, `environment` and `code`
 * references into what the REST API takes. A reference is either literal (`azureml:<name>:<version>`,
 * a registry URI or a resource id) or, for models and environments, the key of an asset the stack
 * declares (`assets.models`, `assets.environments`; see `config/assetKeys.ts`).
 */

/** The kinds of versioned assets a deployment references. */
export type AssetKind = DeclaredAssetKind | "codes";

/** The stack's declared assets, as deployments and jobs consume them by key. */
export interface DeclaredAssets {
  /** Model references by `assets.models` key: `azureml:<name>:<version>` or `azureml://registries/<registry>/models/<name>/versions/<version>`. */
  readonly models: Readonly<Record<string, string>>;
  /** Ids of the environment versions the stack creates, by `assets.environments` key (a deployment using one depends on it). */
  readonly environments: Readonly<Record<string, pulumi.Input<string>>>;
}

/** The declared assets of a `VersionedAssets` component. */
export function declaredAssets(assets: Pick<VersionedAssets, "modelReferences" | "environments">): DeclaredAssets {
  return {
    models: assets.modelReferences,
    environments: Object.fromEntries(Object.entries(assets.environments).map(([key, version]) => [key, version.id])),
  };
}

/**
 * The ARM id or registry URI the REST API takes for a literal asset reference. `azureml:<name>:<version>`
 * is CLI/SDK shorthand for a workspace asset, so it becomes `<workspace id>/<kind>/<name>/versions/<version>`;
 * registry URIs and resource ids pass through unchanged.
 */
export function resolveAssetReference(
  reference: string,
  kind: AssetKind,
  workspaceId: pulumi.Input<string>,
): pulumi.Input<string> {
  const shorthand = /^azureml:([^:/@]+):([^:/@]+)$/.exec(reference);
  if (!shorthand) return reference;
  const [, assetName, version] = shorthand;
  return pulumi.interpolate`${workspaceId}/${kind}/${assetName}/versions/${version}`;
}

/** Why a model or environment reference cannot be resolved (a key `declared` lacks), or undefined. */
export function undeclaredAssetKey(
  reference: string,
  kind: DeclaredAssetKind,
  declared: DeclaredAssets | undefined,
): string | undefined {
  if (!isAssetKey(reference) || (declared && Object.hasOwn(declared[kind], reference))) return undefined;
  const keys = Object.keys(declared?.[kind] ?? {});
  return `${reference} is not a key of assets.${kind} (${keys.length > 0 ? `declared: ${keys.join(", ")}` : "none declared"})`;
}

/**
 * What the REST API takes for a deployment's or job's reference: a model key becomes the model's
 * pinned reference, converted like a literal one (a workspace model id or the registry URI); an
 * environment key becomes the id of the environment version the stack creates; a literal reference
 * is converted by `resolveAssetReference`. Throws on a key `declared` lacks (config validation
 * rejects those first; components check before creating anything).
 */
export function resolveReference(
  reference: string,
  kind: AssetKind,
  workspaceId: pulumi.Input<string>,
  declared?: DeclaredAssets,
): pulumi.Input<string> {
  if (kind === "codes" || !isAssetKey(reference)) return resolveAssetReference(reference, kind, workspaceId);
  const problem = undeclaredAssetKey(reference, kind, declared);
  if (problem || !declared) throw new Error(problem);
  return kind === "models"
    ? resolveAssetReference(declared.models[reference], kind, workspaceId)
    : declared.environments[reference];
}
