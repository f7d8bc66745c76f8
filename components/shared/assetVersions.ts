import { createHash } from "node:crypto";
import { datastoreUri } from "secure-azureml-facts";

/**
 * Content-hash versions of versioned assets: a changed spec or location is a new version, never
 * a rewrite of an existing one. The one place these versions are derived.
 */

/** Length of the content-hash versions (hex digits of SHA-256). */
export const VERSION_HASH_LENGTH = 10;

function contentHash(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\n\u0000")).digest("hex").slice(0, VERSION_HASH_LENGTH);
}

/** The version of an environment: a hash of its base image and its conda spec. */
export function environmentVersion(image: string, condaContent: string): string {
  return contentHash("environment", image, condaContent);
}

/** What a data asset version is derived from: its type and the datastore path it points at. */
export interface DataAssetLocation {
  readonly type: "uri_folder" | "uri_file";
  readonly datastore: string;
  readonly path: string;
}

/** The version of a data asset: a hash of its type and the URI it points at. */
export function dataVersion(asset: DataAssetLocation): string {
  return contentHash("data", asset.type, datastoreUri(asset.datastore, asset.path));
}
