import * as pulumi from "@pulumi/pulumi";
import { PROJECT_NAME, SERVING_PROJECT_NAME, StackConfig, configWarnings, readPulumiConfig } from "../config";
import { SERVING_SECTIONS, configOrThrow, platformStackName, servingKeyName, validateServingConfig } from "../config";
import type { PlatformOutputs } from "../platform/outputs";
import { assertAssetsExist, uncheckedRequirements } from "./assetChecks";
import { liveCapacity } from "./liveCapacity";
import { AssetRequirement, servingAssetRequirements } from "./assetRequirements";
import { SecureMlServing } from "./environment";

/** The platform stack's `serving` output, read through a StackReference; a clear error when the platform is not deployed. */
async function readPlatform(stackName: string): Promise<PlatformOutputs> {
  const reference = new pulumi.StackReference("platform", { name: stackName });
  const details = await reference.getOutputDetails("serving");
  const platform = (details.value ?? details.secretValue) as PlatformOutputs | undefined;
  if (!platform || typeof platform !== "object" || !("workspace" in platform)) {
    throw new pulumi.RunError(
      `The platform stack ${stackName} has no "serving" output. Deploy the platform first (\`pulumi up\` in the repository root), or point secure-azureml-serving:platformStack at it (<org>/secure-azureml/<stack>).`,
    );
  }
  return platform;
}

/** Warnings about serving keys only (the platform's were printed by its own run), named in the serving namespace. */
function servingWarnings(config: StackConfig): { key: string; message: string }[] {
  const prefix = `${PROJECT_NAME}:`;
  return configWarnings(config, PROJECT_NAME)
    .map((warning) => ({ path: warning.key.slice(prefix.length), message: warning.message }))
    .filter(({ path }) => (SERVING_SECTIONS as readonly string[]).includes(path.split(/[.[]/)[0]))
    .map(({ path, message }) => ({ key: servingKeyName(path.split(".")), message }));
}

/** The ids a StackReference would not give: the subscription, from the platform's workspace id. */
function subscriptionOf(resourceId: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(resourceId)?.[1] ?? "";
}

function resourceGroupOf(resourceId: string | undefined): string | undefined {
  return resourceId === undefined ? undefined : /\/resourceGroups\/([^/]+)/i.exec(resourceId)?.[1];
}

/**
 * The serving program: read the platform stack, validate this stack's sections against the
 * platform's config, check that every asset version it references exists, then build the serving
 * layer. Nothing is created before all three pass.
 */
export async function buildServingProgram() {
  const { raw: servingRaw, unreadKeys } = readPulumiConfig(pulumi.runtime.allConfig(), SERVING_PROJECT_NAME);
  const platformStack = platformStackName(servingRaw, pulumi.getStack());
  const platform = await readPlatform(platformStack);
  const config = configOrThrow(validateServingConfig(platform.config, servingRaw, { unreadKeys }));
  for (const warning of servingWarnings(config)) void pulumi.log.warn(`${warning.key}: ${warning.message}`);

  const requirements: AssetRequirement[] = servingAssetRequirements(config, {
    subscriptionId: subscriptionOf(platform.workspace.id),
    resourceGroupName: platform.resourceGroupName,
    workspaceName: platform.workspace.name,
    registryName: platform.mlRegistryName,
    registryResourceGroupName: resourceGroupOf(platform.mlRegistryId),
  });
  for (const unchecked of uncheckedRequirements(requirements)) {
    void pulumi.log.warn(
      `${unchecked.key}: ${unchecked.reference} is not in this platform's workspace or ML registry, so its existence was not checked`,
    );
  }
  await assertAssetsExist(requirements);

  const serving = new SecureMlServing(`${platform.namePrefix}-serving`, {
    config,
    platform,
    liveCapacity: await liveCapacity(config, platform),
  });
  return {
    platformStack,
    onlineEndpoints: Object.fromEntries(
      Object.entries(serving.onlineEndpoints).map(([key, endpoint]) => [
        key,
        { name: endpoint.name, id: endpoint.id, scoringUri: endpoint.scoringUri },
      ]),
    ),
    modelMonitors: Object.fromEntries(
      Object.entries(serving.modelMonitors.monitors).map(([key, schedule]) => [key, schedule.name]),
    ),
    retrainingSchedule: serving.retraining
      ? { name: serving.retraining.schedule.name, enabled: config.retraining?.enabled }
      : undefined,
    batchEndpoints: Object.fromEntries(
      Object.entries(serving.batchEndpoints).map(([key, endpoint]) => [
        key,
        {
          name: endpoint.name,
          id: endpoint.id,
          scoringUri: endpoint.scoringUri,
          outputPaths: Object.fromEntries(
            Object.entries(config.batchEndpoints[key].deployments).map(([deployment, d]) => [
              deployment,
              d.output.path,
            ]),
          ),
        },
      ]),
    ),
    /** The asset versions this stack needs registered before its `pulumi up` (checked at run time). */
    requiredAssets: requirements.map(({ key, reference }) => ({ key, reference })),
  };
}
