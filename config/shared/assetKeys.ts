import { RawRecord, recordAt } from "./raw";
import type { ConfigProblem } from "./errors";
import { type DeclaredAssetKind, isAssetKey } from "secure-azureml-facts";

/**
 * Deployments and jobs name the versioned assets the stack declares by key: a `model` may be the
 * key of an `assets.models` entry and an `environment` the key of an `assets.environments` entry.
 * A key is a bare asset name, so it cannot be mistaken for a literal reference: those start with
 * `azureml:` (`azureml:<name>:<version>`, `azureml://registries/...`) or `/subscriptions/` (a
 * resource id), and a key has neither a `:` nor a leading `/`.
 */

export { ASSET_KEY, isAssetKey } from "secure-azureml-facts";
export type { DeclaredAssetKind } from "secure-azureml-facts";

const NOUN: Record<DeclaredAssetKind, [string, string]> = {
  models: ["model", "azureml:churn:3"],
  environments: ["environment", "azureml:sklearn-env:2"],
};

/** The sentence a message uses for the key form of a reference of this kind. */
export function assetKeyForm(kind: DeclaredAssetKind): string {
  return `the key of an assets.${kind} entry (e.g. ${kind === "models" ? "churn" : "churn-inference"})`;
}

/**
 * The problem with a reference at `path` that is a key no `assets.<kind>` entry declares (none
 * for a literal reference, a declared key, or a value the schema rejects).
 */
export function undeclaredAssetKeyProblems(
  raw: RawRecord,
  path: readonly (string | number)[],
  reference: unknown,
  kind: DeclaredAssetKind,
): ConfigProblem[] {
  if (typeof reference !== "string" || !isAssetKey(reference)) return [];
  const declared = recordAt(raw, "assets", kind);
  // Every declared key counts, valid or not: the schema reports an invalid entry at its own key.
  const keys = declared ? Object.keys(declared) : [];
  if (keys.includes(reference)) return [];
  const [noun, example] = NOUN[kind];
  const accepted = keys.length > 0 ? `declared: ${keys.join(", ")}` : `assets.${kind} declares none`;
  return [
    {
      path,
      message: `is ${reference}, which is not a key of assets.${kind} (${accepted}); name a declared ${noun}, or give a pinned reference such as ${example} (a literal reference starts with azureml: or /subscriptions/)`,
    },
  ];
}
