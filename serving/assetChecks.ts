import * as ml from "@pulumi/azure-native/machinelearningservices";
import * as pulumi from "@pulumi/pulumi";
import type { AssetLocation, AssetRequirement } from "./assetRequirements";

/** Reads one asset version; resolves when it exists, rejects otherwise (azure-native's get functions, called at run time). */
export type AssetReader = (location: AssetLocation) => Promise<unknown>;

/** The get function of azure-native for each kind of asset, in a workspace or an ML registry. */
export const readAssetWithAzureNative: AssetReader = (location) => {
  const { kind, name, version } = location;
  if (location.scope === "workspace") {
    const at = { resourceGroupName: location.resourceGroupName, workspaceName: location.workspaceName, name, version };
    if (kind === "models") return ml.getModelVersion(at);
    if (kind === "environments") return ml.getEnvironmentVersion(at);
    if (kind === "codes") return ml.getCodeVersion(at);
    return ml.getDataVersion(at);
  }
  const at = { resourceGroupName: location.registryResourceGroupName, registryName: location.registryName, version };
  if (kind === "models") return ml.getRegistryModelVersion({ ...at, modelName: name });
  if (kind === "environments") return ml.getRegistryEnvironmentVersion({ ...at, environmentName: name });
  if (kind === "codes") return ml.getRegistryCodeVersion({ ...at, codeName: name });
  return ml.getRegistryDataVersion({ ...at, name });
};

/** ARM answers a missing resource (asset version, deployment) with 404 / ResourceNotFound / UserError "not found". */
export function isNotFound(error: unknown): boolean {
  const text =
    error instanceof Error ? `${error.message} ${(error as { details?: string }).details ?? ""}` : String(error);
  return /\b404\b|not ?found|does not exist/i.test(text);
}

/** Thrown when assets the serving stack references are not registered; `pulumi up` prints the message without a stack trace. */
export class MissingAssetsError extends pulumi.RunError {
  constructor(readonly missing: readonly AssetRequirement[]) {
    super(
      [
        `The serving stack references ${missing.length} asset version${missing.length === 1 ? "" : "s"} that ${missing.length === 1 ? "does" : "do"} not exist yet; nothing was created:`,
        ...missing.map((m) => `  - ${m.key}: ${m.reference}`),
        'Register them first (from inside the workspace\'s network, e.g. by a training job: see README, "Register a model"), then run `pulumi up` again.',
      ].join("\n"),
    );
    this.name = "MissingAssetsError";
  }
}

/** What could not be checked (a registry the platform does not know): reported as warnings, not errors. */
export function uncheckedRequirements(requirements: readonly AssetRequirement[]): AssetRequirement[] {
  return requirements.filter((r) => r.location === undefined);
}

/**
 * Read every required asset version, all at once; throw one `MissingAssetsError` naming each missing
 * one by its config key. Any other failure (no access, throttling) is rethrown with the asset named.
 */
export async function assertAssetsExist(
  requirements: readonly AssetRequirement[],
  read: AssetReader = readAssetWithAzureNative,
): Promise<void> {
  const checked = requirements.flatMap((r) =>
    r.location === undefined ? [] : [{ requirement: r, location: r.location }],
  );
  const results = await Promise.all(
    checked.map(async ({ requirement, location }) => {
      try {
        await read(location);
        return undefined;
      } catch (error) {
        if (isNotFound(error)) return requirement;
        const reason = error instanceof Error ? error.message : String(error);
        throw new pulumi.RunError(
          `could not read ${requirement.reference} (${requirement.key}) to check that it exists: ${reason}`,
        );
      }
    }),
  );
  const missing = results.filter((r) => r !== undefined);
  if (missing.length > 0) throw new MissingAssetsError(missing);
}
