import * as pulumi from "@pulumi/pulumi";
import type { CloudName } from "secure-azureml-facts";
import { modelReferenceUri } from "./config/mlopsRegistryRules";
import { StackConfig } from "./config/schema";
import { EndpointMonitoring } from "./endpointMonitoring";
import { ModelDataCollection } from "./modelMonitoring";
import { ModelOperations, monitoredDeployments } from "./modelOperations";
import { ManagedOnlineEndpoint, endpointName } from "./onlineEndpoint";
import type { PlatformOutputs } from "./platformOutputs";
import { DeclaredAssets } from "./shared/assetReferences";

/** Azure Resource Manager of each cloud (Microsoft, "Azure Government developer guide" and "Azure China developer guide"). */
const ARM_ENDPOINTS: Readonly<Record<CloudName, string>> = {
  AzureCloud: "https://management.azure.com",
  AzureUSGovernment: "https://management.usgovcloudapi.net",
  AzureChinaCloud: "https://management.chinacloudapi.cn",
};

/** The Resource Manager URL of a cloud, which the traffic resources call. */
export function armEndpointOf(cloud: string): string {
  return Object.hasOwn(ARM_ENDPOINTS, cloud) ? ARM_ENDPOINTS[cloud as CloudName] : ARM_ENDPOINTS.AzureCloud;
}

export interface SecureMlServingArgs {
  /** Required. The validated serving config (its sections merged with the platform stack's config; see `validateServingConfig`). */
  config: StackConfig;
  /** Required. The platform stack's `serving` output (plain values, read before anything is created). */
  platform: PlatformOutputs;
  /** Optional. Live instance counts of existing autoscaled deployments by `<endpoint>/<deployment>` (see `ManagedOnlineEndpointArgs.liveCapacity`). Default: none. */
  liveCapacity?: Readonly<Record<string, number>>;
}

/**
 * The serving layer: online endpoints with their deployments, traffic, alerts and autoscale, the
 * data assets monitored deployments collect into, model monitors, batch endpoints and the
 * retraining schedule, all in the platform's workspace. It creates no role assignment and nothing on
 * the network: the identities it attaches and their roles belong to the platform.
 */
export class SecureMlServing extends pulumi.ComponentResource {
  /** Managed online endpoints by config key. */
  public readonly onlineEndpoints: Readonly<Record<string, ManagedOnlineEndpoint>>;
  public readonly endpointMonitoring: EndpointMonitoring;
  /** The data assets monitored deployments collect into. */
  public readonly dataCollection: ModelDataCollection;
  /** Model monitoring schedules, the retraining schedule and batch endpoints. */
  public readonly modelOperations: ModelOperations;

  constructor(name: string, args: SecureMlServingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-azureml:serving:SecureMlServing", name, {}, opts);
    const { config, platform } = args;
    const child = { parent: this };
    const tags = { ...config.tags, workload: "azure-ml", "managed-by": "pulumi", "pulumi-stack": pulumi.getStack() };
    const placement = { resourceGroupName: platform.resourceGroupName, location: platform.location, tags };
    const armEndpoint = armEndpointOf(platform.cloud);
    const workspace = platform.workspace;
    const nameOf = (key: string) => endpointName(key, platform.nameSuffix);
    const assets: DeclaredAssets = {
      models: Object.fromEntries(Object.entries(config.assets.models).map(([model, reference]) => [model, modelReferenceUri(model, reference, platform.mlRegistryName)])),
      environments: platform.environments,
    };

    this.dataCollection = new ModelDataCollection(
      `${name}-data-collection`,
      {
        resourceGroupName: platform.resourceGroupName,
        workspaceName: workspace.name,
        endpointIdentityClientId: platform.identities.endpoints.clientId,
        deployments: monitoredDeployments(config, nameOf),
      },
      child,
    );

    this.onlineEndpoints = Object.fromEntries(
      Object.entries(config.endpoints).map(([key, endpointConfig]) => [
        key,
        new ManagedOnlineEndpoint(
          `${name}-endpoint-${key}`,
          {
            ...placement,
            workspaceName: workspace.name,
            workspaceId: workspace.id,
            endpointName: nameOf(key),
            config: endpointConfig,
            identityId: platform.identities.endpoints.id,
            dataCollection: this.dataCollection.forEndpoint(key),
            assets,
            armEndpoint,
            liveCapacity: Object.fromEntries(
              Object.entries(args.liveCapacity ?? {})
                .filter(([target]) => target.startsWith(`${key}/`))
                .map(([target, count]) => [target.slice(key.length + 1), count]),
            ),
          },
          child,
        ),
      ]),
    );
    this.endpointMonitoring = new EndpointMonitoring(
      `${name}-endpoint-monitoring`,
      {
        ...placement,
        namePrefix: platform.namePrefix,
        actionGroupId: platform.actionGroupId,
        endpoints: Object.fromEntries(Object.entries(this.onlineEndpoints).map(([key, endpoint]) => [key, { endpoint, config: config.endpoints[key] }])),
      },
      child,
    );

    this.modelOperations = new ModelOperations(
      `${name}-model-operations`,
      {
        ...placement,
        workspaceName: workspace.name,
        workspaceId: workspace.id,
        config,
        onlineDeployments: Object.fromEntries(Object.entries(this.onlineEndpoints).map(([key, endpoint]) => [key, endpoint.deployments])),
        dataCollection: this.dataCollection,
        monitoringIdentityId: platform.identities.workspace.id,
        clusterIds: Object.fromEntries(Object.entries(platform.clusters).map(([key, cluster]) => [key, cluster.id])),
        computeIdentityClientId: platform.identities.compute.clientId,
        nameSuffix: platform.nameSuffix,
        assets,
        actionGroupId: platform.actionGroupId,
        namePrefix: platform.namePrefix,
        armEndpoint,
      },
      child,
    );
    this.registerOutputs({});
  }
}
