import * as ml from "@pulumi/azure-native/machinelearningservices";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";
import { MONITOR_INSTANCE_TYPES, MONITOR_RUNTIME_VERSIONS } from "secure-azureml-facts";
import type { MonitorSettings } from "./shared/monitorSettings";

/**
 * Model monitoring of managed online deployments, in two parts that sit on either side of the
 * endpoints in the environment:
 *
 *  - `ModelDataCollection` (before the endpoints): for each monitored deployment, the two data
 *    assets its data collector registers into (`<endpoint>-<deployment>-model_inputs` and
 *    `-model_outputs`, version 1, uri_folder under workspaceblobstore/modelDataCollector, as the
 *    Azure ML CLI and SDK register them), and the endpoint identity's right to write there. The
 *    deployments get `dataCollector` settings pointing at those assets.
 *  - `monitorScheduleProperties` (used after the endpoints): an Azure ML monitoring schedule per
 *    monitored deployment with data drift, prediction drift and data quality signals over the
 *    collected inputs and outputs, run on serverless Spark as the workspace's identity.
 *
 * Facts relied on (Microsoft Learn): "Collect production data from models deployed for real-time
 * inferencing" (collection names model_inputs/model_outputs, default path
 * azureml://datastores/workspaceblobstore/paths/modelDataCollector/<endpoint>/<deployment>/<collection>,
 * a user-assigned endpoint identity needs Storage Blob Data Contributor on the destination
 * container), "Azure Machine Learning model monitoring" (credential-less access: a user-assigned
 * identity attached to the workspace with data access and systemDatastoresAuthMode identity;
 * limitation: AllowOnlyApprovedOutbound managed networks are not supported), "Monitor the
 * performance of models deployed to production" (serverless Spark sizes standard_e4s_v3 to
 * standard_e64s_v3; notifications are e-mails), the CLI (v2) monitor schedule YAML reference.
 */

/** The two collections model monitoring reads (names the monitoring service recognises). */
export const COLLECTIONS = ["model_inputs", "model_outputs"] as const;
export type CollectionName = (typeof COLLECTIONS)[number];

/** The default datastore folder the data collector writes a collection to. */
export function collectionDataUri(
  endpointName: pulumi.Input<string>,
  deployment: string,
  collection: CollectionName,
): pulumi.Output<string> {
  return pulumi.interpolate`azureml://datastores/workspaceblobstore/paths/modelDataCollector/${endpointName}/${deployment}/${collection}`;
}

/** The data asset a collection is registered as: `<endpoint>-<deployment>-<collection>`. */
export function collectionAssetName(
  endpointName: pulumi.Input<string>,
  deployment: string,
  collection: CollectionName,
): pulumi.Output<string> {
  return pulumi.interpolate`${endpointName}-${deployment}-${collection}`;
}

/**
 * The workspace's default blob container (`workspaceblobstore`). Without data isolation it is
 * `azureml-blobstore-<workspace guid>`; with `enableDataIsolation` Azure prefixes container names
 * with the workspace GUID instead, `<workspace guid>-azureml-blobstore` (Microsoft, "Set up
 * authentication between Azure Machine Learning and other services", Data isolation for shared
 * resources). The platform never turns data isolation on (its storage is dedicated), but the
 * name follows the setting so a grant can never target a container that does not exist.
 */
export function workspaceBlobContainerName(workspaceGuid: string, dataIsolation: boolean): string {
  return dataIsolation ? `${workspaceGuid}-azureml-blobstore` : `azureml-blobstore-${workspaceGuid}`;
}

/** The resource id of the workspace's default blob container (see `workspaceBlobContainerName`). */
export function workspaceBlobContainerId(
  storageAccountId: pulumi.Input<string>,
  workspaceGuid: pulumi.Input<string>,
  dataIsolation: boolean,
): pulumi.Output<string> {
  return pulumi.interpolate`${storageAccountId}/blobServices/default/containers/${pulumi.output(workspaceGuid).apply((guid) => workspaceBlobContainerName(guid, dataIsolation))}`;
}

/** What a monitored deployment's data collector needs (passed to `ManagedOnlineEndpoint`). */
export interface DeploymentDataCollectionArgs {
  /** Required. Resource id of the data asset version the collected inputs (`model_inputs`) are registered as. */
  modelInputsDataId: pulumi.Input<string>;
  /** Required. Resource id of the data asset version the collected outputs (`model_outputs`) are registered as. */
  modelOutputsDataId: pulumi.Input<string>;
  /** Required. Client id of the endpoint identity that writes the collected data. */
  clientId: pulumi.Input<string>;
  /** Required. Share of requests recorded, greater than 0 and at most 1. */
  samplingRate: number;
}

/** `properties.dataCollector` of an online deployment: both collections on, hourly folders. */
export function dataCollectorProperties(
  collection: DeploymentDataCollectionArgs,
): azureInputs.machinelearningservices.DataCollectorArgs {
  const dataIds: Record<CollectionName, pulumi.Input<string>> = {
    model_inputs: collection.modelInputsDataId,
    model_outputs: collection.modelOutputsDataId,
  };
  const entry = (name: CollectionName): azureInputs.machinelearningservices.CollectionArgs => ({
    dataCollectionMode: ml.DataCollectionMode.Enabled,
    dataId: dataIds[name],
    clientId: collection.clientId,
    samplingRate: collection.samplingRate,
  });
  return {
    collections: { model_inputs: entry("model_inputs"), model_outputs: entry("model_outputs") },
    rollingRate: ml.RollingRateType.Hour,
  };
}

/** One monitored deployment: where it lives and how much of its traffic is collected. */
export interface MonitoredDeploymentArgs {
  /** Required. The `endpoints` key. */
  endpoint: string;
  /** Required. The deployment key (its Azure name). */
  deployment: string;
  /** Required. The endpoint's Azure name (see `endpointName`). */
  endpointName: pulumi.Input<string>;
  /** Required. Share of requests recorded, greater than 0 and at most 1. */
  samplingRate: number;
}

export interface ModelDataCollectionArgs {
  /** Required. Resource group of the workspace the data assets are registered in. */
  resourceGroupName: pulumi.Input<string>;
  /** Required. Name of the workspace the data assets are registered in. */
  workspaceName: pulumi.Input<string>;
  /**
   * Required. Client id of the endpoint identity (user-assigned) that the deployments write collected
   * data as. Its Storage Blob Data Contributor on the workspace blob container is granted by the
   * platform (see `endpointIdentityGrants`), so a serving stack creates no role assignment.
   */
  endpointIdentityClientId: pulumi.Input<string>;
  /** Required. Monitored deployments by `<endpoint>/<deployment>`. Empty: nothing is created. */
  deployments: Record<string, MonitoredDeploymentArgs>;
}

/** The program's name for one monitored deployment (kept for its modules and tests). */
export type MonitoredDeployment = MonitoredDeploymentArgs;

/** The data asset versions of one monitored deployment, one per collection. */
export interface CollectedDataAssets {
  /** The data asset version the collected inputs are registered as. */
  model_inputs: ml.DataVersion;
  /** The data asset version the collected outputs are registered as. */
  model_outputs: ml.DataVersion;
}

/**
 * The arguments of each data collection, for `forEndpoint`. Kept outside the class: every class
 * property (even a private one) becomes an output in the component package schema.
 */
const collectionArgs = new WeakMap<ModelDataCollection, ModelDataCollectionArgs>();

/**
 * The data assets monitored deployments collect into, and the endpoint identity's write access to
 * the workspace blob container (granted once, only when something is monitored).
 */
export class ModelDataCollection extends pulumi.ComponentResource {
  /** Data asset versions by `<endpoint>/<deployment>` and collection. */
  public readonly dataAssets: Record<string, CollectedDataAssets>;

  constructor(name: string, args: ModelDataCollectionArgs, opts?: pulumi.ComponentResourceOptions) {
    // Type token of the component package; the alias keeps stacks created under the old token (an update, not a replacement).
    super(
      "secure-azureml:index:ModelDataCollection",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:modelMonitoring:ModelDataCollection" }] }),
    );
    collectionArgs.set(this, args);
    const monitored = Object.entries(args.deployments);
    this.dataAssets = Object.fromEntries(
      monitored.map(([target, d]) => [
        target,
        Object.fromEntries(
          COLLECTIONS.map((collection) => [
            collection,
            this.dataAsset(
              `${name}-${d.endpoint}-${d.deployment}-${collection.replace("_", "-")}`,
              args,
              d,
              collection,
            ),
          ]),
        ) as unknown as CollectedDataAssets,
      ]),
    );
    this.registerOutputs({});
  }

  /** The `dataCollection` settings of one endpoint's monitored deployments, by deployment key. */
  public forEndpoint(endpoint: string): Record<string, DeploymentDataCollectionArgs> {
    const args = collectionArgs.get(this) as ModelDataCollectionArgs;
    return Object.fromEntries(
      Object.entries(args.deployments)
        .filter(([, d]) => d.endpoint === endpoint)
        .map(([target, d]) => [
          d.deployment,
          {
            modelInputsDataId: this.dataAssets[target].model_inputs.id,
            modelOutputsDataId: this.dataAssets[target].model_outputs.id,
            clientId: args.endpointIdentityClientId,
            samplingRate: d.samplingRate,
          },
        ]),
    );
  }

  private dataAsset(
    logicalName: string,
    args: ModelDataCollectionArgs,
    d: MonitoredDeploymentArgs,
    collection: CollectionName,
  ): ml.DataVersion {
    return new ml.DataVersion(
      logicalName,
      {
        name: collectionAssetName(d.endpointName, d.deployment, collection),
        version: "1",
        workspaceName: args.workspaceName,
        resourceGroupName: args.resourceGroupName,
        properties: {
          dataType: "uri_folder",
          dataUri: collectionDataUri(d.endpointName, d.deployment, collection),
          description: `Production ${collection === "model_inputs" ? "inputs" : "outputs"} of deployment ${d.deployment}, written by its data collector; read by model monitoring.`,
          isArchived: false,
        },
      },
      { parent: this },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Monitoring schedule
// ---------------------------------------------------------------------------------------------

type MonitorInput =
  azureInputs.machinelearningservices.RollingInputDataArgs | azureInputs.machinelearningservices.FixedInputDataArgs;

/** ISO 8601 duration of whole days (`P7D`). */
export function days(count: number): string {
  return `P${count}D`;
}

/** A rolling window of collected data: `size` days ending `offset` days before the run. */
function rollingWindow(uri: pulumi.Input<string>, context: CollectionName, size: number, offset: number): MonitorInput {
  return {
    inputDataType: "Rolling",
    jobInputType: ml.JobInputType.Uri_folder,
    uri,
    dataContext: context,
    windowSize: days(size),
    windowOffset: days(offset),
  };
}

/** Everything a monitoring schedule is built from, resolved to ids. */
export interface MonitorTarget {
  /** Required. Resource id of the monitored online deployment. */
  deploymentId: pulumi.Input<string>;
  /** Required. Resource id (or registry URI) of the model the deployment serves. */
  modelId: pulumi.Input<string>;
  /** Required. Resource ids of the data asset versions holding the collected inputs and outputs. */
  dataIds: Readonly<Record<CollectionName, pulumi.Input<string>>>;
  /** Optional. Resource id of the training data asset (MLTable) used as the baseline for inputs. */
  trainingDataId?: pulumi.Input<string>;
  /** Required. Resource id of the user-assigned identity the Spark jobs run as (attached to the workspace, with data access). */
  identityId: pulumi.Input<string>;
  /** Required. E-mail addresses notified when a threshold is crossed; empty: no notification. */
  emails: readonly string[];
}

type Signals = Record<
  string,
  | azureInputs.machinelearningservices.DataDriftMonitoringSignalArgs
  | azureInputs.machinelearningservices.PredictionDriftMonitoringSignalArgs
  | azureInputs.machinelearningservices.DataQualityMonitoringSignalArgs
>;

function driftThresholds(signal: MonitorSettings["signals"]["dataDrift"]) {
  return [
    {
      dataType: "Numerical" as const,
      metric: signal.numerical.metric,
      threshold: { value: signal.numerical.threshold },
    },
    {
      dataType: "Categorical" as const,
      metric: signal.categorical.metric,
      threshold: { value: signal.categorical.threshold },
    },
  ];
}

type QualityThreshold =
  | azureInputs.machinelearningservices.NumericalDataQualityMetricThresholdArgs
  | azureInputs.machinelearningservices.CategoricalDataQualityMetricThresholdArgs;

/** The same three rates for numerical and for categorical features. */
function qualityThresholds(signal: MonitorSettings["signals"]["dataQuality"]): QualityThreshold[] {
  const metrics = [
    [ml.NumericalDataQualityMetric.NullValueRate, signal.nullValueRate],
    [ml.NumericalDataQualityMetric.DataTypeErrorRate, signal.dataTypeErrorRate],
    [ml.NumericalDataQualityMetric.OutOfBoundsRate, signal.outOfBoundsRate],
  ] as const;
  return [
    ...metrics.map(([metric, value]): QualityThreshold => ({ dataType: "Numerical", metric, threshold: { value } })),
    ...metrics.map(([metric, value]): QualityThreshold => ({ dataType: "Categorical", metric, threshold: { value } })),
  ];
}

/**
 * The three built-in signals. Production data: the last `lookbackDays` of collected inputs
 * (drift, quality) or outputs (prediction drift). Baseline: the training data when given, else the
 * collected data of the window just before (rolling, non-overlapping, as Microsoft advises).
 */
export function monitorSignals(
  monitor: MonitorSettings,
  target: Pick<MonitorTarget, "dataIds" | "trainingDataId" | "emails">,
): Signals {
  const window = monitor.lookbackDays;
  const production = (context: CollectionName) => rollingWindow(target.dataIds[context], context, window, 0);
  const previous = (context: CollectionName) => rollingWindow(target.dataIds[context], context, window, window);
  const inputsBaseline: MonitorInput =
    target.trainingDataId === undefined
      ? previous("model_inputs")
      : {
          inputDataType: "Fixed",
          jobInputType: ml.JobInputType.Mltable,
          uri: target.trainingDataId,
          dataContext: "training",
        };
  const notification =
    target.emails.length > 0 ? { notificationTypes: [ml.MonitoringNotificationType.AmlNotification] } : {};
  const allFeatures = { filterType: "AllFeatures" as const };
  return {
    "data-drift": {
      signalType: "DataDrift",
      productionData: production("model_inputs"),
      referenceData: inputsBaseline,
      features: allFeatures,
      metricThresholds: driftThresholds(monitor.signals.dataDrift),
      ...notification,
    },
    "prediction-drift": {
      signalType: "PredictionDrift",
      productionData: production("model_outputs"),
      referenceData: previous("model_outputs"),
      metricThresholds: driftThresholds(monitor.signals.predictionDrift),
      ...notification,
    },
    "data-quality": {
      signalType: "DataQuality",
      productionData: production("model_inputs"),
      referenceData: inputsBaseline,
      features: allFeatures,
      metricThresholds: qualityThresholds(monitor.signals.dataQuality),
      ...notification,
    },
  };
}

/** `properties` of a monitoring schedule: cron trigger in UTC, CreateMonitor action on serverless Spark. */
export function monitorScheduleProperties(
  key: string,
  monitor: MonitorSettings,
  target: MonitorTarget,
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>,
): azureInputs.machinelearningservices.SchedulePropertiesArgs {
  return {
    displayName: `Model monitor ${key} (${monitor.endpoint}/${monitor.deployment})`,
    description: `Data drift, prediction drift and data quality of online deployment ${monitor.endpoint}/${monitor.deployment}, over ${monitor.lookbackDays} day(s) of collected production data.`,
    isEnabled: true,
    tags,
    trigger: { triggerType: "Cron", expression: monitor.cron, timeZone: "UTC" },
    action: {
      actionType: "CreateMonitor",
      monitorDefinition: {
        computeConfiguration: {
          computeType: "ServerlessSpark",
          instanceType: monitor.compute.instanceType ?? MONITOR_INSTANCE_TYPES[0],
          runtimeVersion: monitor.compute.runtimeVersion ?? MONITOR_RUNTIME_VERSIONS[0],
          computeIdentity: {
            computeIdentityType: "ManagedIdentity",
            identity: { type: ml.ManagedServiceIdentityType.UserAssigned, userAssignedIdentities: [target.identityId] },
          },
        },
        monitoringTarget: { deploymentId: target.deploymentId, modelId: target.modelId, taskType: monitor.taskType },
        signals: monitorSignals(monitor, target),
        ...(target.emails.length > 0
          ? { alertNotificationSettings: { emailNotificationSettings: { emails: [...target.emails] } } }
          : {}),
      },
    },
  };
}
