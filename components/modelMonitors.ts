import * as ml from "@pulumi/azure-native/machinelearningservices";
import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";
import {
  DRIFT_METRICS,
  DRIFT_THRESHOLD_RANGE,
  MONITOR_INSTANCE_TYPES,
  MONITOR_RUNTIME_VERSIONS,
} from "secure-azureml-facts";
import type { MonitorSettings } from "./shared/monitorSettings";
import {
  DRIFT_ENVIRONMENT_NAME,
  DRIFT_JOB_IMAGE,
  FAILED_RUNS_METRIC,
  driftEnvironmentVersion,
  driftExperimentName,
  driftJobScheduleProperties,
} from "./driftJob";
import { monitorScheduleProperties } from "./modelDataCollection";
import { resolveDataReference } from "./retraining";
import type { AssetReferencesArgs } from "./serving/deploymentArgs";
import { resolveReference } from "./shared/assetReferences";
import { metricAlert } from "./shared/metricAlert";

/**
 * The model monitors of a stack's online deployments: a schedule per monitored deployment, and for
 * drift jobs their environment and the alerts on their failed runs. Each schedule depends on the
 * deployment it watches, never the reverse.
 *
 * A monitor runs on one of two engines (`monitors.<key>.engine`, which the program resolves from
 * `modelMonitoring.<key>.engine`): `job`, a drift job on a cluster inside the managed network with a
 * metric alert on its failed runs (driftJob.ts), the
 * default in AllowOnlyApprovedOutbound workspaces, which built-in monitoring does not support; or
 * `builtin`, Azure ML model monitoring on serverless Spark (modelDataCollection.ts), the default in
 * AllowInternetOutbound workspaces, whose Spark needs `az ml workspace provision-network
 * --include-spark` once after the first deployment (the program warns).
 *
 * Until the package's first split (issue 11) these resources belonged to `ModelOperations` with the
 * retraining schedule and the batch endpoints; this component keeps its logical name and carries an
 * alias to its type, so their URNs are unchanged.
 */

/** Schedules are quick to create. */
export const SCHEDULE_TIMEOUTS: pulumi.CustomTimeouts = { create: "10m", update: "10m", delete: "10m" };

/** How a monitor runs (see the class comment). */
export const MonitorEngine = {
  /** A drift job on a training cluster inside the managed network, alerting through the action group. */
  Job: "job",
  /** Azure ML model monitoring on serverless Spark (not supported in AllowOnlyApprovedOutbound workspaces). */
  Builtin: "builtin",
} as const;
export type MonitorEngine = (typeof MonitorEngine)[keyof typeof MonitorEngine];

/** The monitored model's task (`monitoringTarget.taskType`). */
export const MonitorTaskType = { Classification: "Classification", Regression: "Regression" } as const;
export type MonitorTaskType = (typeof MonitorTaskType)[keyof typeof MonitorTaskType];

/** A drift metric (available for numerical and categorical features). */
export const DriftMetric = {
  JensenShannonDistance: "JensenShannonDistance",
  PopulationStabilityIndex: "PopulationStabilityIndex",
} as const;
export type DriftMetric = (typeof DriftMetric)[keyof typeof DriftMetric];

/** A drift metric and the value above which the signal fails. */
export interface DriftThresholdArgs {
  /** Required. The metric computed over the features of this data type. */
  metric: DriftMetric;
  /** Required. Alert threshold: greater than 0, at most 1 for Jensen-Shannon distance and at most 10 for population stability index. */
  threshold: number;
}

/** Drift thresholds for numerical and categorical features. */
export interface DriftSignalArgs {
  /** Required. Metric and threshold for numerical features. */
  numerical: DriftThresholdArgs;
  /** Required. Metric and threshold for categorical features. */
  categorical: DriftThresholdArgs;
}

/** Data quality thresholds: shares of rows between 0 and 1 (0.05 = 5%), applied to numerical and categorical features. */
export interface DataQualitySignalArgs {
  /** Required. Share of null values above which the signal fails. */
  nullValueRate: number;
  /** Required. Share of values of the wrong data type above which the signal fails. */
  dataTypeErrorRate: number;
  /** Required. Share of out-of-bounds values above which the signal fails. */
  outOfBoundsRate: number;
}

/** The three signals every monitor computes. */
export interface MonitorSignalsArgs {
  /** Required. Drift of the collected inputs against the baseline. */
  dataDrift: DriftSignalArgs;
  /** Required. Drift of the collected outputs against the previous window. */
  predictionDrift: DriftSignalArgs;
  /** Required. Data quality of the collected inputs. */
  dataQuality: DataQualitySignalArgs;
}

/** One monitored online deployment and how it is monitored. */
export interface ModelMonitorArgs {
  /** Required. Key of the monitored endpoint (in schedule descriptions and display names). */
  endpoint: string;
  /** Required. Name of the monitored deployment under that endpoint. */
  deployment: string;
  /** Required. Resource id of the monitored online deployment. */
  deploymentId: pulumi.Input<string>;
  /** Optional. The monitored deployment's resource: the schedule waits for it. Default: none (only the dependency `deploymentId` carries). */
  onlineDeployment?: ml.OnlineDeployment;
  /** Required. Resource id of the data asset version the deployment's collected inputs (`model_inputs`) are registered as. */
  modelInputsDataId: pulumi.Input<string>;
  /** Required. Resource id of the data asset version the deployment's collected outputs (`model_outputs`) are registered as. */
  modelOutputsDataId: pulumi.Input<string>;
  /** Required. `job` (drift job on `cluster`) or `builtin` (serverless Spark; AllowInternetOutbound workspaces only). */
  engine: MonitorEngine;
  /**
   * Conditional. The model the deployment serves: an `assets.models` key, `azureml:<name>:<version>`, a
   * registry model URI or a model version id; required with the `builtin` engine. Default: none.
   */
  model?: string;
  /** Required. The model's task. */
  taskType: MonitorTaskType;
  /** Required. When the monitor runs: a five-field cron expression in UTC. */
  cron: string;
  /** Required. Days of production data each run checks (1-90); the baseline is the window before unless `trainingData` is set. */
  lookbackDays: number;
  /** Optional. Training data (`azureml:<name>:<version>`, a data asset version id or a datastore URI) as the baseline for data drift and data quality. Default: the previous window. */
  trainingData?: string;
  /** Required. Thresholds of the three signals. */
  signals: MonitorSignalsArgs;
  /** Conditional. Key in `clusterIds` of the cluster the drift job runs on; required with the `job` engine. Default: none. */
  cluster?: string;
  /** Optional. Serverless Spark size (`builtin` engine): standard_e4s_v3 to standard_e64s_v3. Default: `standard_e4s_v3`. */
  instanceType?: string;
  /** Optional. Spark runtime version (`builtin` engine). Default: `3.4`. */
  runtimeVersion?: string;
  /** Required. Notify when a threshold is crossed: e-mail to `emailReceivers` (`builtin`) or a metric alert to the action group (`job`). */
  notify: boolean;
}

export interface ModelMonitorsArgs {
  /** Required. Resource group of the workspace (and of the drift alerts). */
  resourceGroupName: pulumi.Input<string>;
  /** Optional. Tags of the schedules, the drift environment and the alerts. Default: none. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Required. Name of the workspace the schedules belong to. */
  workspaceName: pulumi.Input<string>;
  /** Required. Resource id of the workspace, to resolve asset references. */
  workspaceId: pulumi.Input<string>;
  /** Required. Monitors by key (`monitor-<key>` or `drift-<key>` in the workspace). Empty: nothing is created. */
  monitors: Record<string, ModelMonitorArgs>;
  /** Optional. E-mail addresses `builtin` monitors with `notify` send to. Default: none. */
  emailReceivers?: string[];
  /**
   * Required. Resource id of the user-assigned identity monitoring jobs run as: the workspace's
   * identity, attached to the workspace and holding data access to its storage (Microsoft's
   * credential-less model monitoring setup).
   */
  monitoringIdentityId: pulumi.Input<string>;
  /** Required. Resource ids of the training clusters by key (drift jobs run on the one their `cluster` names). */
  clusterIds: Record<string, pulumi.Input<string>>;
  /** Required. Client id of the clusters' user-assigned identity, which drift jobs run as. */
  computeIdentityClientId: pulumi.Input<string>;
  /** Conditional. The stack's declared assets; required when a monitor's `model` is an `assets.models` key. Default: none (only literal references). */
  assets?: AssetReferencesArgs;
  /** Conditional. Resource id of the action group drift job alerts notify; required when a `job` engine monitor has `notify: true`. */
  actionGroupId?: pulumi.Input<string>;
  /** Required. The stack's name prefix, in alert rule names (`alert-<prefix>-monitor-<key>`). */
  namePrefix: string;
  /** Conditional. The drift job script's text (`assets/jobs/drift_monitor.py`, read by the caller: the component reads no files); required when a monitor uses the job engine. */
  driftScript?: string;
  /** Optional. The image builder cluster drift job environments wait for. Default: none. */
  imageBuilder?: ml.Compute;
}

/** The settings of a monitor, validated, in the shape the schedule builders take. */
function monitorSettings(key: string, monitorArgs: ModelMonitorArgs, component: pulumi.Resource): MonitorSettings {
  const problems: string[] = [];
  const oneOf = (field: string, value: string, accepted: readonly string[]) => {
    if (!accepted.includes(value)) problems.push(`${field} is "${value}", accepted: ${accepted.join(", ")}`);
  };
  oneOf("engine", monitorArgs.engine, Object.values(MonitorEngine));
  oneOf("taskType", monitorArgs.taskType, Object.values(MonitorTaskType));
  if (!Number.isInteger(monitorArgs.lookbackDays) || monitorArgs.lookbackDays < 1 || monitorArgs.lookbackDays > 90)
    problems.push(`lookbackDays is ${monitorArgs.lookbackDays}, accepted: a whole number of days from 1 to 90`);
  for (const signal of ["dataDrift", "predictionDrift"] as const) {
    for (const kind of ["numerical", "categorical"] as const) {
      const { metric, threshold } = monitorArgs.signals[signal][kind];
      oneOf(`signals.${signal}.${kind}.metric`, metric, DRIFT_METRICS);
      const range = (DRIFT_THRESHOLD_RANGE as Partial<typeof DRIFT_THRESHOLD_RANGE>)[metric];
      if (range && !(threshold > 0 && threshold <= range.max))
        problems.push(
          `signals.${signal}.${kind}.threshold is ${threshold}, accepted: greater than 0 and at most ${range.max} for ${metric} (${range.why})`,
        );
    }
  }
  for (const rate of ["nullValueRate", "dataTypeErrorRate", "outOfBoundsRate"] as const) {
    const value = monitorArgs.signals.dataQuality[rate];
    if (!(value >= 0 && value <= 1))
      problems.push(`signals.dataQuality.${rate} is ${value}, accepted: a share from 0 to 1 (0.05 = 5% of rows)`);
  }
  const instanceType = monitorArgs.instanceType?.toLowerCase();
  if (instanceType !== undefined) oneOf("instanceType", instanceType, MONITOR_INSTANCE_TYPES);
  if (monitorArgs.runtimeVersion !== undefined)
    oneOf("runtimeVersion", monitorArgs.runtimeVersion, MONITOR_RUNTIME_VERSIONS);
  if (monitorArgs.engine === MonitorEngine.Job && monitorArgs.cluster === undefined)
    problems.push("cluster is missing: the job engine runs the drift job on a cluster of clusterIds");
  if (monitorArgs.engine === MonitorEngine.Builtin && monitorArgs.model === undefined)
    problems.push("model is missing: the builtin engine names the deployment's model as its monitoring target");
  if (problems.length > 0) throw new pulumi.ResourceError(`monitor ${key}: ${problems.join("; ")}`, component);
  return {
    endpoint: monitorArgs.endpoint,
    deployment: monitorArgs.deployment,
    engine: monitorArgs.engine,
    taskType: monitorArgs.taskType,
    cron: monitorArgs.cron,
    lookbackDays: monitorArgs.lookbackDays,
    trainingData: monitorArgs.trainingData,
    signals: monitorArgs.signals,
    compute: {
      cluster: monitorArgs.cluster,
      instanceType: instanceType as MonitorSettings["compute"]["instanceType"],
      runtimeVersion: monitorArgs.runtimeVersion as MonitorSettings["compute"]["runtimeVersion"],
    },
    notify: monitorArgs.notify,
  };
}

export class ModelMonitors extends pulumi.ComponentResource {
  /** Monitoring schedules by monitor key (CreateMonitor for the builtin engine, CreateJob for the job engine). */
  public readonly monitors: Record<string, ml.Schedule>;
  /** The environment version drift jobs run in; undefined when no monitor uses the job engine. */
  public readonly driftEnvironment?: ml.EnvironmentVersion;
  /** Alerts on the failed runs of drift jobs, by monitor key (job engine with notify only). */
  public readonly driftAlerts: Record<string, monitor.MetricAlert>;

  /**
   * `name` is the prefix of every child's logical name (`<name>-monitor-<key>`, `<name>-drift-<key>`):
   * keep it when moving from `ModelOperations` (same name) so no URN changes.
   */
  constructor(name: string, args: ModelMonitorsArgs, opts?: pulumi.ComponentResourceOptions) {
    // The alias keeps the resources created under ModelOperations (an update, not a replacement).
    super(
      "secure-azureml:index:ModelMonitors",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:modelOperations:ModelOperations" }] }),
    );
    const settings = Object.entries(args.monitors).map(
      ([key, monitorArgs]) => [key, monitorArgs, monitorSettings(key, monitorArgs, this)] as const,
    );
    const emails = args.emailReceivers ?? [];
    const hasJobMonitors = settings.some(([, monitorArgs]) => monitorArgs.engine === MonitorEngine.Job);
    const script = hasJobMonitors ? this.requiredDriftScript(args) : "";
    const driftEnvironment = hasJobMonitors ? this.createDriftEnvironment(name, args) : undefined;
    this.driftEnvironment = driftEnvironment;
    const driftAlerts: Record<string, monitor.MetricAlert> = {};

    this.monitors = Object.fromEntries(
      settings.map(([key, monitorArgs, monitorConfig]) => {
        const dependsOn = monitorArgs.onlineDeployment ? [monitorArgs.onlineDeployment] : [];
        const dataIds = { model_inputs: monitorArgs.modelInputsDataId, model_outputs: monitorArgs.modelOutputsDataId };
        const referenceUri = monitorArgs.trainingData
          ? resolveDataReference(monitorArgs.trainingData, args.workspaceId)
          : undefined;
        if (monitorArgs.engine === MonitorEngine.Job) {
          const clusterId = this.clusterFor(key, monitorConfig, args.clusterIds);
          if (!driftEnvironment)
            throw new pulumi.ResourceError(`monitor ${key}: the drift job environment was not created`, this);
          const properties = driftJobScheduleProperties(
            key,
            monitorConfig,
            {
              clusterId,
              identityClientId: args.computeIdentityClientId,
              environmentId: driftEnvironment.id,
              dataIds,
              referenceUri,
              script,
            },
            args.tags,
          );
          const schedule = new ml.Schedule(
            `${name}-drift-${key}`,
            {
              name: `drift-${key}`,
              workspaceName: args.workspaceName,
              resourceGroupName: args.resourceGroupName,
              properties,
            },
            { parent: this, dependsOn, customTimeouts: SCHEDULE_TIMEOUTS },
          );
          if (monitorArgs.notify) driftAlerts[key] = this.driftAlert(name, key, monitorConfig, args);
          return [key, schedule];
        }
        const properties = monitorScheduleProperties(
          key,
          monitorConfig,
          {
            deploymentId: monitorArgs.deploymentId,
            modelId: resolveReference(monitorArgs.model ?? "", "models", args.workspaceId, args.assets),
            dataIds,
            ...(referenceUri ? { trainingDataId: referenceUri } : {}),
            identityId: args.monitoringIdentityId,
            emails: monitorArgs.notify ? emails : [],
          },
          args.tags,
        );
        const schedule = new ml.Schedule(
          `${name}-monitor-${key}`,
          {
            name: `monitor-${key}`,
            workspaceName: args.workspaceName,
            resourceGroupName: args.resourceGroupName,
            properties,
          },
          { parent: this, dependsOn, customTimeouts: SCHEDULE_TIMEOUTS },
        );
        return [key, schedule];
      }),
    );
    this.driftAlerts = driftAlerts;

    this.registerOutputs({});
  }

  private clusterFor(
    key: string,
    monitorConfig: MonitorSettings,
    clusterIds: Record<string, pulumi.Input<string>>,
  ): pulumi.Input<string> {
    const clusterKey = monitorConfig.compute.cluster;
    const clusterId =
      clusterKey === undefined ? undefined : (clusterIds[clusterKey] as pulumi.Input<string> | undefined);
    if (!clusterId)
      throw new pulumi.ResourceError(
        `monitor ${key}: cluster ${clusterKey ?? "(none)"} is not one of the clusters given`,
        this,
      );
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
          description:
            "Runtime of the model monitoring drift jobs (assets/jobs/drift_monitor.py): Python standard library only.",
          tags: args.tags,
        },
      },
      { parent: this, retainOnDelete: true, dependsOn: args.imageBuilder ? [args.imageBuilder] : [] },
    );
  }

  /** Fires when a run of the monitor's experiment fails: a crossed threshold, missing production data, or a broken job. */
  private driftAlert(
    name: string,
    key: string,
    monitorConfig: MonitorSettings,
    args: ModelMonitorsArgs,
  ): monitor.MetricAlert {
    if (args.actionGroupId === undefined)
      throw new pulumi.ResourceError(`monitor ${key}: notify is true but no action group id was given`, this);
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

  /** The drift script a job-engine monitor embeds; the caller reads it, so a missing one is a wiring error. */
  private requiredDriftScript(args: ModelMonitorsArgs): string {
    if (args.driftScript === undefined)
      throw new pulumi.ResourceError(
        "driftScript is missing: monitors with engine job embed the drift script; pass the text of assets/jobs/drift_monitor.py",
        this,
      );
    return args.driftScript;
  }
}
