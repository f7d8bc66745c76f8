import * as ml from "@pulumi/azure-native/machinelearningservices";
import * as pulumi from "@pulumi/pulumi";
import { BatchScoringEndpoint } from "./batchEndpoint";
import type { StackConfig } from "./config/schema";
import { ModelDataCollection, MonitoredDeployment, monitorScheduleProperties } from "./modelMonitoring";
import { endpointName, resolveAssetReference } from "./onlineEndpoint";
import { resolveDataReference, retrainingScheduleProperties } from "./retraining";
import { PlacementArgs } from "./shared/interfaces";

/**
 * The MLOps serving loop after the online endpoints exist: a monitoring schedule per monitored
 * deployment, the retraining schedule, and the batch endpoints. Each schedule depends on what it
 * targets (the deployment, the cluster), never the reverse.
 *
 * Two limits of model monitoring that Microsoft documents and no resource property can lift are
 * documented in docs/configuration.md (modelMonitoring) rather than logged (shipped stacks plan
 * without warnings): monitoring "doesn't support the AllowOnlyApprovedOutbound managed virtual
 * network isolation setting", and serverless Spark needs the managed network provisioned for Spark
 * (`az ml workspace provision-network --include-spark`) once after the first deployment.
 */

export type ServingConfig = Pick<StackConfig, "modelMonitoring" | "retraining" | "batchEndpoints" | "endpoints" | "alerts">;

/** Schedules are quick to create. */
export const SCHEDULE_TIMEOUTS: pulumi.CustomTimeouts = { create: "10m", update: "10m", delete: "10m" };

/**
 * The deployments `modelMonitoring` names, by `<endpoint>/<deployment>`, with their endpoints'
 * Azure names: the input of `ModelDataCollection`.
 */
export function monitoredDeployments(config: Pick<StackConfig, "modelMonitoring">, endpointNameOf: (endpoint: string) => pulumi.Input<string>): Record<string, MonitoredDeployment> {
  return Object.fromEntries(
    Object.values(config.modelMonitoring).map((m) => [
      `${m.endpoint}/${m.deployment}`,
      { endpoint: m.endpoint, deployment: m.deployment, endpointName: endpointNameOf(m.endpoint), samplingRate: m.samplingRate },
    ]),
  );
}

export interface ModelOperationsArgs extends PlacementArgs {
  /** Required. Name of the workspace the schedules and batch endpoints belong to. */
  workspaceName: pulumi.Input<string>;
  /** Required. Resource id of the workspace, to resolve asset references. */
  workspaceId: pulumi.Input<string>;
  /** Required. The validated config: monitors, retraining, batch endpoints, and the endpoints and receivers they refer to. */
  config: ServingConfig;
  /** Required. The online deployments by endpoint key and deployment key (the monitors' targets). */
  onlineDeployments: Readonly<Record<string, Readonly<Record<string, ml.OnlineDeployment>>>>;
  /** Required. The data assets the monitored deployments collect into (created before the endpoints). */
  dataCollection: ModelDataCollection;
  /**
   * Required. Resource id of the user-assigned identity monitoring jobs run as: the workspace's
   * identity, attached to the workspace and holding data access to its storage (Microsoft's
   * credential-less model monitoring setup).
   */
  monitoringIdentityId: pulumi.Input<string>;
  /** Required. Training clusters by `compute.clusters` key (retraining and batch scoring run on them). */
  clusters: Readonly<Record<string, ml.Compute>>;
  /** Required. Client id of the clusters' user-assigned identity, which retraining jobs run as. */
  computeIdentityClientId: pulumi.Input<string>;
  /** Required. The stack's name suffix: batch endpoint names are `<key>-<suffix>` like online endpoints. */
  nameSuffix: pulumi.Input<string>;
  /** Optional. Resources batch deployments wait for (the image-build cluster). Default: none. */
  batchDeploymentDependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class ModelOperations extends pulumi.ComponentResource {
  /** Monitoring schedules by `modelMonitoring` key. */
  public readonly monitors: Readonly<Record<string, ml.Schedule>>;
  /** The retraining schedule, when `retraining` is configured (disabled unless `retraining.enabled`). */
  public readonly retraining?: ml.Schedule;
  /** Batch endpoints by `batchEndpoints` key. */
  public readonly batchEndpoints: Readonly<Record<string, BatchScoringEndpoint>>;

  constructor(name: string, args: ModelOperationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-azureml:modelOperations:ModelOperations", name, {}, opts);
    const { config } = args;
    const emails = config.alerts.emailReceivers.map((r) => r.email);

    this.monitors = Object.fromEntries(
      Object.entries(config.modelMonitoring).map(([key, monitor]) => {
        const endpointDeployments = args.onlineDeployments[monitor.endpoint] as Readonly<Record<string, ml.OnlineDeployment>> | undefined;
        const deployment = endpointDeployments?.[monitor.deployment];
        const assets = args.dataCollection.dataAssets[`${monitor.endpoint}/${monitor.deployment}`] as (typeof args.dataCollection.dataAssets)[string] | undefined;
        if (!deployment || !assets) throw new pulumi.ResourceError(`monitor ${key}: deployment ${monitor.endpoint}/${monitor.deployment} or its data assets were not given`, this);
        const properties = monitorScheduleProperties(
          key,
          monitor,
          {
            deploymentId: deployment.id,
            modelId: resolveAssetReference(config.endpoints[monitor.endpoint].deployments[monitor.deployment].model, "models", args.workspaceId),
            dataIds: { model_inputs: assets.model_inputs.id, model_outputs: assets.model_outputs.id },
            ...(monitor.trainingData ? { trainingDataId: resolveDataReference(monitor.trainingData, args.workspaceId) } : {}),
            identityId: args.monitoringIdentityId,
            emails: monitor.notify ? emails : [],
          },
          args.tags,
        );
        const schedule = new ml.Schedule(
          `${name}-monitor-${key}`,
          { name: `monitor-${key}`, workspaceName: args.workspaceName, resourceGroupName: args.resourceGroupName, properties },
          { parent: this, dependsOn: [deployment], customTimeouts: SCHEDULE_TIMEOUTS },
        );
        return [key, schedule];
      }),
    );

    if (config.retraining) {
      const cluster = args.clusters[config.retraining.cluster] as ml.Compute | undefined;
      if (!cluster) throw new pulumi.ResourceError(`retraining: cluster ${config.retraining.cluster} is not one of the clusters given`, this);
      this.retraining = new ml.Schedule(
        `${name}-retraining`,
        {
          name: "retraining",
          workspaceName: args.workspaceName,
          resourceGroupName: args.resourceGroupName,
          properties: retrainingScheduleProperties(config.retraining, { workspaceId: args.workspaceId, clusterId: cluster.id, identityClientId: args.computeIdentityClientId }, args.tags),
        },
        { parent: this, dependsOn: [cluster], customTimeouts: SCHEDULE_TIMEOUTS },
      );
    }

    const clusterIds = Object.fromEntries(Object.entries(args.clusters).map(([key, cluster]) => [key, cluster.id]));
    this.batchEndpoints = Object.fromEntries(
      Object.entries(config.batchEndpoints).map(([key, endpointConfig]) => [
        key,
        new BatchScoringEndpoint(
          `${name}-batch-${key}`,
          {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            tags: args.tags,
            workspaceName: args.workspaceName,
            workspaceId: args.workspaceId,
            endpointName: endpointName(key, args.nameSuffix),
            config: endpointConfig,
            clusterIds,
            deploymentDependsOn: args.batchDeploymentDependsOn,
          },
          { parent: this },
        ),
      ]),
    );

    this.registerOutputs({});
  }
}
