import { assetKeyForm, isAssetKey } from "./assetKeys";
import { armIdPattern } from "./patterns";
import { checkedString } from "./primitives";

/** Asset names and versions: letters, digits, `_`, `-`, `.`, starting with a letter or digit. */
const ASSET = "[A-Za-z0-9][A-Za-z0-9_.-]{0,254}";
const REGISTRY = "[A-Za-z0-9][A-Za-z0-9_-]{2,32}";

/** The versioned Azure ML assets a deployment references. */
export type AssetKind = "models" | "environments" | "codes";

/** Each kind's noun with its article, and an example reference. */
const ASSET_EXAMPLES: Record<AssetKind, [string, string]> = {
  models: ["a model", "azureml:churn:3"],
  environments: ["an environment", "azureml:sklearn-env:2"],
  codes: ["a code", "azureml:churn-score:1"],
};

/** What a model, environment or code reference may look like, for messages. */
function acceptedReferences(kind: AssetKind): string {
  const [noun, example] = ASSET_EXAMPLES[kind];
  return `azureml:<name>:<version> (e.g. ${example}), azureml://registries/<registry>/${kind}/<name>/versions/<version>, or ${noun} version resource id .../providers/Microsoft.MachineLearningServices/{workspaces|registries}/<name>/${kind}/<name>/versions/<version>`;
}

/** Undefined when `value` is a pinned asset reference of the kind; otherwise what is accepted. */
export function assetReferenceProblem(value: string, kind: AssetKind): string | undefined {
  const forms = [
    new RegExp(`^azureml:${ASSET}:${ASSET}$`),
    new RegExp(`^azureml://registries/${REGISTRY}/${kind}/${ASSET}/versions/${ASSET}$`),
    armIdPattern(`Microsoft.MachineLearningServices/workspaces/${kind}/versions`),
    armIdPattern(`Microsoft.MachineLearningServices/registries/${kind}/versions`),
  ];
  if (forms.some((form) => form.test(value))) return undefined;
  const label = /^azureml:[^:@]+@|\/labels\/[^/]+$/.test(value);
  const pin = label
    ? "pin a version instead of a label (a label such as @latest changes what is deployed without a config change); "
    : "";
  return `${pin}must be ${acceptedReferences(kind)}`;
}

/**
 * Undefined when `value` is what a deployment or job may reference: a pinned asset reference of
 * the kind or, for models and environments, the key of a declared asset (`assets.models`,
 * `assets.environments`; whether the key is declared is a cross-field rule, see `assetKeys.ts`).
 */
export function deploymentReferenceProblem(value: string, kind: AssetKind): string | undefined {
  if (kind === "codes") return assetReferenceProblem(value, kind);
  if (isAssetKey(value)) return undefined;
  const problem = assetReferenceProblem(value, kind);
  return problem && `${problem}, or ${assetKeyForm(kind)}`;
}

/** A deployment's or job's asset reference (`deploymentReferenceProblem`). */
export function assetReference(kind: AssetKind) {
  const message = `must be ${acceptedReferences(kind)}${kind === "codes" ? "" : `, or ${assetKeyForm(kind)}`}`;
  return checkedString(message, (value) => deploymentReferenceProblem(value, kind));
}
