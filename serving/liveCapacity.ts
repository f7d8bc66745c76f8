import * as ml from "@pulumi/azure-native/machinelearningservices";
import * as pulumi from "@pulumi/pulumi";
import { endpointName } from "../components";
import type { StackConfig } from "../config";
import type { PlatformOutputs } from "../platform/outputs";
import { isNotFound } from "./assetChecks";

/** Reads one online deployment's instance count; rejects when Azure cannot answer. */
export type DeploymentCapacityReader = (at: {
  resourceGroupName: string;
  workspaceName: string;
  endpointName: string;
  deploymentName: string;
}) => Promise<number | undefined>;

const readWithAzureNative: DeploymentCapacityReader = async (at) => (await ml.getOnlineDeployment(at)).sku?.capacity;

/**
 * The instance counts autoscale chose for autoscaled deployments that exist, by `<endpoint>/<deployment>`, so that a
 * rollout sends them instead of the configured starting count (deploy-audit M5). A deployment that does not exist
 * yet (404) gets the configured count; any other failure (no access, throttling) stops the run with the deployment
 * named, instead of silently resetting what autoscale chose.
 */
export async function liveCapacity(
  config: Pick<StackConfig, "endpoints">,
  platform: Pick<PlatformOutputs, "resourceGroupName" | "workspace" | "nameSuffix">,
  read: DeploymentCapacityReader = readWithAzureNative,
): Promise<Record<string, number>> {
  const autoscaled = Object.entries(config.endpoints).flatMap(([endpoint, e]) =>
    Object.entries(e.deployments)
      .filter(([, d]) => d.autoscale !== undefined)
      .map(([deployment]) => ({ endpoint, deployment })),
  );
  const counts = await Promise.all(
    autoscaled.map(async ({ endpoint, deployment }) => {
      const name = endpointName(endpoint, platform.nameSuffix);
      try {
        const capacity = await read({
          resourceGroupName: platform.resourceGroupName,
          workspaceName: platform.workspace.name,
          endpointName: name,
          deploymentName: deployment,
        });
        return capacity === undefined ? undefined : ([`${endpoint}/${deployment}`, capacity] as const);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        const reason = error instanceof Error ? error.message : String(error);
        throw new pulumi.RunError(
          `could not read the instance count of deployment ${endpoint}/${deployment} (online endpoint ${name}), which autoscale owns: ${reason}`,
        );
      }
    }),
  );
  return Object.fromEntries(counts.filter((c) => c !== undefined));
}
