import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type * as ml from "@pulumi/azure-native/machinelearningservices";
import * as pulumi from "@pulumi/pulumi";
import type { CloudName } from "secure-azureml-facts";
import type { BatchEndpointConfig, EndpointConfig, MonitorConfig, RetrainingConfig, StackConfig } from "../config";
import { PROJECT_ROOT, modelReferenceUri, monitorEngine, programTags } from "../config";
import {
  BatchScoringEndpoint,
  DeclaredAssets,
  EndpointMonitoring,
  JobInputArgs,
  ManagedOnlineEndpoint,
  ManagedOnlineEndpointArgs,
  ModelDataCollection,
  ModelMonitorArgs,
  ModelMonitors,
  ModelMonitorsArgs,
  MonitoredDeploymentArgs,
  RetrainingSchedule,
  RetrainingScheduleArgs,
  WatchedEndpointArgs,
  endpointName,
} from "../components";
import type { PlatformOutputs } from "../platform/outputs";

/**
 * The deployments `modelMonitoring` names, by `<endpoint>/<deployment>`, with their endpoints'
 * Azure names: the input of `ModelDataCollection`.
 */
export function monitoredDeployments(
  config: Pick<StackConfig, "modelMonitoring">,
  endpointNameOf: (endpoint: string) => pulumi.Input<string>,
): Record<string, MonitoredDeploymentArgs> {
  return Object.fromEntries(
    Object.values(config.modelMonitoring).map((m) => [
      `${m.endpoint}/${m.deployment}`,
      {
        endpoint: m.endpoint,
        deployment: m.deployment,
        endpointName: endpointNameOf(m.endpoint),
        samplingRate: m.samplingRate,
      },
    ]),
  );
}

/** Azure Resource Manager of each cloud (Microsoft, "Azure Government developer guide" and "Azure China developer guide"). */
const ARM_ENDPOINTS: Readonly<Record<CloudName, string>> = {
  AzureCloud: "https://management.azure.com",
  AzureUSGovernment: "https://management.usgovcloudapi.net",
  AzureChinaCloud: "https://management.chinacloudapi.cn",
};

/** The endpoint settings of a validated `endpoints.<key>` entry, as `ManagedOnlineEndpoint` takes them. */
export function onlineEndpointSettings(
  config: EndpointConfig,
): Pick<ManagedOnlineEndpointArgs, "authMode" | "description" | "deployments" | "traffic" | "mirrorTraffic"> {
  return {
    authMode: config.authMode,
    description: config.description,
    deployments: config.deployments,
    traffic: config.traffic,
    mirrorTraffic: config.mirrorTraffic,
  };
}

/** What `EndpointMonitoring` watches of one endpoint: its ids, alert thresholds and deployments' sizes and autoscale. */
export function watchedEndpoint(endpoint: ManagedOnlineEndpoint, config: EndpointConfig): WatchedEndpointArgs {
  return {
    endpointId: endpoint.id,
    alerts: config.alerts,
    deployments: Object.fromEntries(
      Object.entries(config.deployments).map(([key, d]) => [
        key,
        {
          deploymentId: endpoint.deployments[key].id,
          instanceType: d.instanceType,
          instanceCount: d.instanceCount,
          ...(d.autoscale ? { autoscale: d.autoscale } : {}),
        },
      ]),
    ),
  };
}

/** The endpoint settings of a validated `batchEndpoints.<key>` entry, as `BatchScoringEndpoint` takes them. */
export function batchEndpointSettings(config: BatchEndpointConfig): {
  description?: string;
  defaultDeployment?: string;
  deployments: BatchEndpointConfig["deployments"];
} {
  return {
    description: config.description,
    defaultDeployment: config.defaultDeployment,
    deployments: config.deployments,
  };
}

/** The drift job script (`assets/jobs/drift_monitor.py`), line endings normalised so a Windows checkout gives the same command. */
export function readDriftScript(root = PROJECT_ROOT): string {
  return readFileSync(resolve(root, "assets/jobs/drift_monitor.py"), "utf8").replace(/\r\n/g, "\n");
}

/** The monitors of a validated `modelMonitoring` section, as `ModelMonitors` takes them: engine resolved from the outbound mode, targets by id. */
export function modelMonitorsSettings(
  config: Pick<StackConfig, "modelMonitoring" | "endpoints" | "alerts" | "workspace">,
  onlineDeployments: Readonly<Record<string, Readonly<Record<string, ml.OnlineDeployment>>>>,
  dataCollection: ModelDataCollection,
): Pick<ModelMonitorsArgs, "monitors" | "emailReceivers"> {
  const monitorArgs = (key: string, m: MonitorConfig): ModelMonitorArgs => {
    const deployment = (onlineDeployments[m.endpoint] as Readonly<Record<string, ml.OnlineDeployment>> | undefined)?.[
      m.deployment
    ];
    const assets = dataCollection.dataAssets[`${m.endpoint}/${m.deployment}`] as
      (typeof dataCollection.dataAssets)[string] | undefined;
    if (!deployment || !assets)
      throw new Error(
        `modelMonitoring.${key}: deployment ${m.endpoint}/${m.deployment} or its data assets were not created`,
      );
    return {
      endpoint: m.endpoint,
      deployment: m.deployment,
      deploymentId: deployment.id,
      onlineDeployment: deployment,
      modelInputsDataId: assets.model_inputs.id,
      modelOutputsDataId: assets.model_outputs.id,
      engine: monitorEngine(m, config.workspace.outbound.mode),
      model: config.endpoints[m.endpoint].deployments[m.deployment].model,
      taskType: m.taskType,
      cron: m.cron,
      lookbackDays: m.lookbackDays,
      ...(m.trainingData ? { trainingData: m.trainingData } : {}),
      signals: m.signals,
      ...(m.compute.cluster === undefined ? {} : { cluster: m.compute.cluster }),
      ...(m.compute.instanceType === undefined ? {} : { instanceType: m.compute.instanceType }),
      ...(m.compute.runtimeVersion === undefined ? {} : { runtimeVersion: m.compute.runtimeVersion }),
      notify: m.notify,
    };
  };
  return {
    emailReceivers: config.alerts.emailReceivers.map((r) => r.email),
    monitors: Object.fromEntries(Object.entries(config.modelMonitoring).map(([key, m]) => [key, monitorArgs(key, m)])),
  };
}

/** A validated `retraining` section, as `RetrainingSchedule` takes it. */
export function retrainingScheduleSettings(
  config: RetrainingConfig,
): Pick<RetrainingScheduleArgs, "enabled" | "cron" | "cluster" | "experimentName" | "job"> {
  const { job } = config;
  return {
    enabled: config.enabled,
    cron: config.cron,
    cluster: config.cluster,
    experimentName: config.experimentName,
    job: {
      command: job.command,
      environment: job.environment,
      ...(job.code ? { code: job.code } : {}),
      inputs: Object.fromEntries(
        Object.entries(job.inputs).map(([name, input]): [string, JobInputArgs] => [
          name,
          input.type === "literal"
            ? { type: input.type, value: input.value }
            : { type: input.type, path: input.path, mode: input.mode },
        ]),
      ),
      timeoutMinutes: job.timeoutMinutes,
    },
  };
}

/** Type of the component that held the model monitors, the retraining schedule and the batch endpoints before issue 11. */
const MODEL_OPERATIONS_TYPE = "secure-azureml:modelOperations:ModelOperations";
const OLD_BATCH_ENDPOINT_TYPE = "secure-azureml:batchEndpoint:BatchScoringEndpoint";

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
  /** Model monitoring schedules, drift job environment and drift alerts. */
  public readonly modelMonitors: ModelMonitors;
  /** The retraining schedule, when `retraining` is configured (disabled unless `retraining.enabled`). */
  public readonly retraining?: RetrainingSchedule;
  /** Batch endpoints by `batchEndpoints` key. */
  public readonly batchEndpoints: Readonly<Record<string, BatchScoringEndpoint>>;

  constructor(name: string, args: SecureMlServingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-azureml:serving:SecureMlServing", name, {}, opts);
    const { config, platform } = args;
    const child = { parent: this };
    const tags = { ...config.tags, ...programTags(pulumi.getStack()) };
    const placement = { resourceGroupName: platform.resourceGroupName, location: platform.location, tags };
    const armEndpoint = armEndpointOf(platform.cloud);
    const workspace = platform.workspace;
    const nameOf = (key: string) => endpointName(key, platform.nameSuffix);
    const assets: DeclaredAssets = {
      models: Object.fromEntries(
        Object.entries(config.assets.models).map(([model, reference]) => [
          model,
          modelReferenceUri(model, reference, platform.mlRegistryName),
        ]),
      ),
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
    const clusterIds = Object.fromEntries(Object.entries(platform.clusters).map(([key, cluster]) => [key, cluster.id]));

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
            ...onlineEndpointSettings(endpointConfig),
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
        endpoints: Object.fromEntries(
          Object.entries(this.onlineEndpoints).map(([key, endpoint]) => [
            key,
            watchedEndpoint(endpoint, config.endpoints[key]),
          ]),
        ),
      },
      child,
    );

    // Until issue 11 one ModelOperations component held the monitors, the retraining schedule and the
    // batch endpoints. ModelMonitors keeps its logical name (and aliases its type); the retraining
    // schedule and the batch endpoints keep their logical names with an alias to their old parent.
    const operationsName = `${name}-model-operations`;
    const previousParent = pulumi.createUrn(operationsName, MODEL_OPERATIONS_TYPE, this);
    this.modelMonitors = new ModelMonitors(
      operationsName,
      {
        ...placement,
        workspaceName: workspace.name,
        workspaceId: workspace.id,
        ...modelMonitorsSettings(
          config,
          Object.fromEntries(
            Object.entries(this.onlineEndpoints).map(([key, endpoint]) => [key, endpoint.deployments]),
          ),
          this.dataCollection,
        ),
        monitoringIdentityId: platform.identities.workspace.id,
        driftScript: readDriftScript(),
        clusterIds,
        computeIdentityClientId: platform.identities.compute.clientId,
        assets,
        actionGroupId: platform.actionGroupId,
        namePrefix: platform.namePrefix,
      },
      child,
    );
    if (config.retraining) {
      this.retraining = new RetrainingSchedule(
        `${operationsName}-retraining`,
        {
          resourceGroupName: platform.resourceGroupName,
          tags,
          workspaceName: workspace.name,
          workspaceId: workspace.id,
          ...retrainingScheduleSettings(config.retraining),
          clusterIds,
          computeIdentityClientId: platform.identities.compute.clientId,
          assets,
        },
        {
          parent: this,
          // The schedule itself (not the new component around it) was ModelOperations' child.
          transformations: [
            (resource) =>
              resource.type === "azure-native:machinelearningservices:Schedule"
                ? {
                    props: resource.props,
                    opts: pulumi.mergeOptions(resource.opts, { aliases: [{ parent: previousParent }] }),
                  }
                : undefined,
          ],
        },
      );
    }
    this.batchEndpoints = Object.fromEntries(
      Object.entries(config.batchEndpoints).map(([key, endpointConfig]) => [
        key,
        new BatchScoringEndpoint(
          `${operationsName}-batch-${key}`,
          {
            ...placement,
            workspaceName: workspace.name,
            workspaceId: workspace.id,
            endpointName: nameOf(key),
            ...batchEndpointSettings(endpointConfig),
            clusterIds,
            assets,
            armEndpoint,
          },
          { parent: this, aliases: [{ type: OLD_BATCH_ENDPOINT_TYPE, parent: previousParent }] },
        ),
      ]),
    );
    this.registerOutputs({});
  }
}
