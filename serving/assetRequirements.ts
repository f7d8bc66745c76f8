import type { AssetKind } from "../components";
import { SERVING_PROJECT_NAME, isAssetKey, modelReferenceUri } from "../config";
import type { StackConfig } from "../config";

/**
 * The asset versions a serving stack uses but does not create: models, and environments, code and
 * data that are not built by the platform. They must be registered before the serving `pulumi up`
 * (a model in a private workspace is registered from inside its network, typically by a training
 * job), so the serving program reads each one first and stops with one clear error listing every
 * missing asset, instead of a deployment failing after 15 minutes.
 */

/** Where a required asset version lives, parsed from its reference. */
export type AssetLocation =
  | {
      scope: "workspace";
      resourceGroupName: string;
      workspaceName: string;
      kind: AssetKind | "data";
      name: string;
      version: string;
    }
  | {
      scope: "registry";
      registryName: string;
      registryResourceGroupName: string;
      kind: AssetKind | "data";
      name: string;
      version: string;
    };

/** One asset version the serving stack needs, with the config key that names it. */
export interface AssetRequirement {
  /** The serving config key that references the asset, e.g. `secure-azureml-serving:endpoints.churn.deployments.blue.model`. */
  key: string;
  /** The reference as the REST API takes it (a workspace asset id or an `azureml://registries/...` URI). */
  reference: string;
  /** Where it lives, or undefined when the reference cannot be checked (a registry in another resource group the platform does not know). */
  location?: AssetLocation;
}

/** What the requirements are resolved against: the platform's workspace and registry. */
export interface AssetContext {
  subscriptionId: string;
  resourceGroupName: string;
  workspaceName: string;
  /** The platform's ML registry name, when it has one (`azureml://registries/<name>` URIs of it are checked). */
  registryName?: string;
  /** The resource group of that registry (from its resource id). */
  registryResourceGroupName?: string;
}

const KIND_SEGMENT: Readonly<Record<string, AssetKind | "data">> = {
  models: "models",
  environments: "environments",
  codes: "codes",
  data: "data",
};

/** Parse a reference into its location: `azureml:<name>:<version>` (this workspace), a workspace asset id, or a registry URI. */
export function assetLocation(
  reference: string,
  kind: AssetKind | "data",
  context: AssetContext,
): AssetLocation | undefined {
  const shorthand = /^azureml:([^:/@]+):([^:/@]+)$/.exec(reference);
  if (shorthand)
    return {
      scope: "workspace",
      resourceGroupName: context.resourceGroupName,
      workspaceName: context.workspaceName,
      kind,
      name: shorthand[1],
      version: shorthand[2],
    };
  const armId =
    /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)\/(models|environments|codes|data)\/([^/]+)\/versions\/([^/]+)$/i.exec(
      reference,
    );
  if (armId)
    return {
      scope: "workspace",
      resourceGroupName: armId[1],
      workspaceName: armId[2],
      kind: KIND_SEGMENT[armId[3].toLowerCase()],
      name: armId[4],
      version: armId[5],
    };
  const registry =
    /^azureml:\/\/registries\/([^/]+)\/(models|environments|codes|data)\/([^/]+)\/versions\/([^/]+)$/.exec(reference);
  if (registry && registry[1] === context.registryName && context.registryResourceGroupName) {
    return {
      scope: "registry",
      registryName: registry[1],
      registryResourceGroupName: context.registryResourceGroupName,
      kind: KIND_SEGMENT[registry[2]],
      name: registry[3],
      version: registry[4],
    };
  }
  return undefined;
}

/** The asset versions the serving sections of `config` reference and the platform does not create. */
export function servingAssetRequirements(config: StackConfig, context: AssetContext): AssetRequirement[] {
  const requirements: AssetRequirement[] = [];
  const key = (path: string) => `${SERVING_PROJECT_NAME}:${path}`;
  const model = (path: string, reference: string) => {
    const declared = isAssetKey(reference) ? config.assets.models[reference] : undefined;
    const literal = declared ? modelReferenceUri(reference, declared, context.registryName) : reference;
    add(path, literal, "models");
  };
  // Environment keys name versions the platform creates; only literal references are required here.
  const literal = (path: string, reference: string | undefined, kind: AssetKind | "data") => {
    if (reference !== undefined && !isAssetKey(reference)) add(path, reference, kind);
  };
  const add = (path: string, reference: string, kind: AssetKind | "data") => {
    const location = assetLocation(reference, kind, context);
    const asId = location?.scope === "workspace" ? workspaceAssetId(context.subscriptionId, location) : reference;
    requirements.push({ key: key(path), reference: asId, location });
  };

  for (const [endpointKey, endpoint] of Object.entries(config.endpoints)) {
    for (const [deploymentKey, deployment] of Object.entries(endpoint.deployments)) {
      const path = `endpoints.${endpointKey}.deployments.${deploymentKey}`;
      model(`${path}.model`, deployment.model);
      literal(`${path}.environment`, deployment.environment, "environments");
      if (deployment.code) add(`${path}.code.codeId`, deployment.code.codeId, "codes");
    }
  }
  for (const [endpointKey, endpoint] of Object.entries(config.batchEndpoints)) {
    for (const [deploymentKey, deployment] of Object.entries(endpoint.deployments)) {
      const path = `batchEndpoints.${endpointKey}.deployments.${deploymentKey}`;
      model(`${path}.model`, deployment.model);
      literal(`${path}.environment`, deployment.environment, "environments");
      if (deployment.code) add(`${path}.code.codeId`, deployment.code.codeId, "codes");
    }
  }
  for (const [monitorKey, monitor] of Object.entries(config.modelMonitoring)) {
    if (monitor.trainingData) literal(`modelMonitoring.${monitorKey}.trainingData`, monitor.trainingData, "data");
  }
  if (config.retraining) {
    literal("retraining.job.environment", config.retraining.job.environment, "environments");
    if (config.retraining.job.code) add("retraining.job.code", config.retraining.job.code, "codes");
  }
  return requirements;
}

/** The ARM id of a workspace asset version (what deployments and jobs send). */
function workspaceAssetId(subscriptionId: string, location: Extract<AssetLocation, { scope: "workspace" }>): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${location.resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/${location.workspaceName}/${location.kind}/${location.name}/versions/${location.version}`;
}
