/**
 * How Azure ML references versioned assets: datastore URIs, `azureml:<name>:<version>` and
 * registry asset URIs (Microsoft, "Work with data assets" / "Share models, components, and
 * environments across workspaces with registries"), and the shape of an asset name the project
 * accepts as a key of a declared asset.
 */

/** The kinds of declared assets a reference can name by key. */
export type DeclaredAssetKind = "models" | "environments";

/** The shape of an `assets.models` / `assets.environments` key (an Azure ML asset name). */
export const ASSET_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** True when `reference` is a key of a declared asset rather than a literal reference (`azureml:...`, `/subscriptions/...`). */
export function isAssetKey(reference: string): boolean {
  return ASSET_KEY.test(reference);
}

/** The URI of a path in a workspace datastore: `azureml://datastores/<datastore>/paths/<path>`. */
export function datastoreUri(datastore: string, path: string): string {
  return `azureml://datastores/${datastore}/paths/${path}`;
}

/** Where a pinned model is registered and its version. */
export interface PinnedModelReference {
  readonly from: "workspace" | "registry";
  readonly version: string;
}

/** The reference a deployment uses for a model: `azureml:<name>:<version>` or the registry asset URI. */
export function modelReferenceUri(model: string, reference: PinnedModelReference, registryName?: string): string {
  if (reference.from === "workspace") return `azureml:${model}:${reference.version}`;
  if (registryName === undefined)
    throw new Error(`assets.models.${model} comes from the registry, but no ML registry is enabled`);
  return `azureml://registries/${registryName}/models/${model}/versions/${reference.version}`;
}
