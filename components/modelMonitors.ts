import * as ml from "@pulumi/azure-native/machinelearningservices";
import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";
import { MonitorConfig, monitorEngine } from "./config/mlopsServingSchema";
import type { StackConfig } from "./config/schema";
import { DRIFT_ENVIRONMENT_NAME, DRIFT_JOB_IMAGE, FAILED_RUNS_METRIC, driftEnvironmentVersion, driftExperimentName, driftJobScheduleProperties, readDriftScript } from "./driftJob";
import { ModelDataCollection, MonitoredDeployment, monitorScheduleProperties } from "./modelMonitoring";
import { resolveDataReference } from "./retraining";
import { DeclaredAssets, resolveReference } from "./shared/assetReferences";
import { PlacementArgs } from "./shared/interfaces";
import { metricAlert } from "./shared/metricAlert";

/**
 * The model monitors of a stack's online deployments: a schedule per monitored deployment, and for
 * drift jobs their environment and the alerts on their failed runs. Each schedule depends on the
 * deployment it watches, never the reverse.
 *
 * A monitor runs on one of two engines (`modelMonitoring.<key>.engine`): `job`, a drift job on a
 * cluster inside the managed network with a metric alert on its failed runs (driftJob.ts), the
 * default in AllowOnlyApprovedOutbound workspaces, which built-in monitoring does not support; or
 * `builtin`, Azure ML model monitoring on serverless Spark (modelMonitoring.ts), the default in
 * AllowInternetOutbound workspaces, whose Spark needs `az ml workspace provision-network
 * --include-spark` once after the first deployment (the program warns).
 *
 * Until the package's first split (issue 11) these resources belonged to `ModelOperations` with the
 * retraining schedule and the batch endpoints; this component keeps its logical name and carries an
 * alias to its type, so their URNs are unchanged.
 */

export type MonitorsConfig = Pick<StackConfig, "modelMonitoring" | "endpoints" | "alerts" | "workspace">;

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

export interface ModelMonitorsArgs extends PlacementArgs {
  /** Required. Name of the workspace the schedules belong to. */
  workspaceName: pulumi.Input<string>;
  /** Required. Resource id of the workspace, to resolve asset references. */
  workspaceId: pulumi.Input<string>;
  /** Required. The validated config: monitors, and the endpoints, receivers and outbound mode they depend on. */
  config: MonitorsConfig;
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
  /** Required. Resource ids of the platform's training clusters by `compute.clusters` key (drift jobs run on them). */
  clusterIds: Readonly<Record<string, pulumi.Input<string>>>;
  /** Required. Client id of the clusters' user-assigned identity, which drift jobs run as. */
  computeIdentityClientId: pulumi.Input<string>;
  /**
   * Conditional. The stack's declared assets; required when a monitored deployment's `model` is an
   * `assets.models` key. Default: none (only literal references).
   */
  assets?: DeclaredAssets;
  /** Conditional. Resource id of the action group drift job alerts notify; required when a `job` engine monitor has `notify: true`. */
  actionGroupId?: pulumi.Input<string>;
  /** Required. The stack's name prefix, in alert rule names (`alert-<prefix>-monitor-<key>`). */
  namePrefix: string;
  /** Optional. The drift job script's text. Default: `assets/jobs/drift_monitor.py` read from the repository. */
  driftScript?: string;
  /** Optional. The cluster drift job environments wait for (their image is prepared by the workspace's image builder). Default: none. */
  imageBuilder?: pulumi.Resource;
}

export class ModelMonitors extends pulumi.ComponentResource {
  /** Monitoring schedules by `modelMonitoring` key (CreateMonitor for the builtin engine, CreateJob for the job engine). */
  public readonly monitors: Readonly<Record<string, ml.Schedule>>;
  /** The environment version drift jobs run in; undefined when no monitor uses the job engine. */
  public readonly driftEnvironment?: ml.EnvironmentVersion;
  /** Alerts on the failed runs of drift jobs, by `modelMonitoring` key (job engine with notify only). */
  public readonly driftAlerts: Readonly<Record<string, monitor.MetricAlert>>;

  /**
   * `name` is the prefix of every child's logical name (`<name>-monitor-<key>`, `<name>-drift-<key>`):
   * keep it when moving from `ModelOperations` (same name) so no URN changes.
   */
  constructor(name: string, args: ModelMonitorsArgs, opts?: pulumi.ComponentResourceOptions) {
    // The alias keeps the resources created under ModelOperations (an update, not a replacement).
    super("secure-azureml:index:ModelMonitors", name, {}, pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:modelOperations:ModelOperations" }] }));
    const { config } = args;
    const emails = config.alerts.emailReceivers.map((r) => r.email);

    const engineOf = (m: MonitorConfig) => monitorEngine(m, config.workspace.outbound.mode);
    const jobMonitors = Object.entries(config.modelMonitoring).filter(([, m]) => engineOf(m) === "job");
    const script = jobMonitors.length > 0 ? (args.driftScript ?? readDriftScript()) : "";
    const driftEnvironment = jobMonitors.length > 0 ? this.createDriftEnvironment(name, args) : undefined;
    this.driftEnvironment = driftEnvironment;
    const driftAlerts: Record<string, monitor.MetricAlert> = {};

    this.monitors = Object.fromEntries(
      Object.entries(config.modelMonitoring).map(([key, monitorConfig]) => {
        const endpointDeployments = args.onlineDeployments[monitorConfig.endpoint] as Readonly<Record<string, ml.OnlineDeployment>> | undefined;
        const deployment = endpointDeployments?.[monitorConfig.deployment];
        const assets = args.dataCollection.dataAssets[`${monitorConfig.endpoint}/${monitorConfig.deployment}`] as (typeof args.dataCollection.dataAssets)[string] | undefined;
        if (!deployment || !assets) throw new pulumi.ResourceError(`monitor ${key}: deployment ${monitorConfig.endpoint}/${monitorConfig.deployment} or its data assets were not given`, this);
        const dataIds = { model_inputs: assets.model_inputs.id, model_outputs: assets.model_outputs.id };
        const referenceUri = monitorConfig.trainingData ? resolveDataReference(monitorConfig.trainingData, args.workspaceId) : undefined;
        if (engineOf(monitorConfig) === "job") {
          const clusterId = this.clusterFor(key, monitorConfig, args.clusterIds);
          if (!driftEnvironment) throw new pulumi.ResourceError(`monitor ${key}: the drift job environment was not created`, this);
          const properties = driftJobScheduleProperties(
            key,
            monitorConfig,
            { clusterId, identityClientId: args.computeIdentityClientId, environmentId: driftEnvironment.id, dataIds, referenceUri, script },
            args.tags,
          );
          const schedule = new ml.Schedule(
            `${name}-drift-${key}`,
            { name: `drift-${key}`, workspaceName: args.workspaceName, resourceGroupName: args.resourceGroupName, properties },
            { parent: this, dependsOn: [deployment], customTimeouts: SCHEDULE_TIMEOUTS },
          );
          if (monitorConfig.notify) driftAlerts[key] = this.driftAlert(name, key, monitorConfig, args);
          return [key, schedule];
        }
        const properties = monitorScheduleProperties(
          key,
          monitorConfig,
          {
            deploymentId: deployment.id,
            modelId: resolveReference(config.endpoints[monitorConfig.endpoint].deployments[monitorConfig.deployment].model, "models", args.workspaceId, args.assets),
            dataIds,
            ...(referenceUri ? { trainingDataId: referenceUri } : {}),
            identityId: args.monitoringIdentityId,
            emails: monitorConfig.notify ? emails : [],
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
    this.driftAlerts = driftAlerts;

    this.registerOutputs({});
  }

  private clusterFor(key: string, monitorConfig: MonitorConfig, clusterIds: Readonly<Record<string, pulumi.Input<string>>>): pulumi.Input<string> {
    const clusterKey = monitorConfig.compute.cluster;
    const clusterId = clusterKey === undefined ? undefined : (clusterIds[clusterKey] as pulumi.Input<string> | undefined);
    if (!clusterId) throw new pulumi.ResourceError(`monitor ${key}: cluster ${clusterKey ?? "(none)"} is not one of the clusters given`, this);
    return clusterId;
  }

  /** The drift job's environment: the pinned base image, no conda layer (the script needs only Python's standard library). Kept when it leaves the program, like every asset version. */
  private createDriftEnvironment(name: string, args: ModelMonitorsArgs): ml.EnvironmentVersion {
    const version = driftEnvironmentVersion();
    return new ml.EnvironmentVersion(
      `${name}-drift-env-${version}`,
      {
        resourceGroupName: args.resourceGroupName,
        workspaceName: args.workspaceName,
        name: DRIFT_ENVIRONMENT_NAME,
        version,
        properties: {
          image: DRIFT_JOB_IMAGE,
          osType: ml.OperatingSystemType.Linux,
          autoRebuild: ml.AutoRebuildSetting.Disabled,
          description: "Runtime of the model monitoring drift jobs (assets/jobs/drift_monitor.py): Python standard library only.",
          tags: args.tags,
        },
      },
      { parent: this, retainOnDelete: true, dependsOn: args.imageBuilder ? [args.imageBuilder] : [] },
    );
  }

  /** Fires when a run of the monitor's experiment fails: a crossed threshold, missing production data, or a broken job. */
  private driftAlert(name: string, key: string, monitorConfig: MonitorConfig, args: ModelMonitorsArgs): monitor.MetricAlert {
    if (args.actionGroupId === undefined) throw new pulumi.ResourceError(`monitor ${key}: notify is true but no action group id was given`, this);
    const experiment = driftExperimentName(key);
    return metricAlert(
      `${name}-drift-${key}-alert`,
      {
        ruleName: `alert-${args.namePrefix}-monitor-${key}`,
        resourceGroupName: args.resourceGroupName,
        tags: args.tags,
        description: `Model monitor ${key} (${monitorConfig.endpoint}/${monitorConfig.deployment}): a drift job run failed, because a drift or data quality threshold was crossed, no production data was collected, or the job itself broke. Read outputs/drift_report.json of the failed run in experiment ${experiment}.`,
        severity: 2,
        scope: args.workspaceId,
        evaluationFrequency: "PT15M",
        windowSize: "PT1H",
        criterion: {
          name: "failed-drift-runs",
          ...FAILED_RUNS_METRIC,
          timeAggregation: monitor.AggregationTypeEnum.Total,
          threshold: 0,
          dimensions: [{ name: "ExperimentName", operator: "Include", values: [experiment] }],
        },
        actionGroupId: args.actionGroupId,
      },
      { parent: this },
    );
  }
}
