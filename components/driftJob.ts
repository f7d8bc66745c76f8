import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import * as ml from "@pulumi/azure-native/machinelearningservices";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";
import { isoDuration } from "./trainingCompute";
import { VERSION_HASH_LENGTH } from "./shared/assetVersions";
import type { MonitorSettings } from "./shared/monitorSettings";
import type { CollectionName } from "./modelDataCollection";

/**
 * The `job` model monitoring engine: an Azure ML schedule whose CreateJob action runs
 * `assets/jobs/drift_monitor.py` as a command job on a cluster inside the workspace's managed
 * network, as the cluster's identity, over the data the deployment's collector wrote. It exists
 * because Microsoft documents that built-in model monitoring "doesn't support the
 * AllowOnlyApprovedOutbound managed virtual network isolation setting", and its baseline
 * architecture for private Azure ML recommends a custom scheduled job instead.
 *
 * The script travels inside the job's command (zlib + base64), so no code asset has to be
 * uploaded to the private storage account from the deploying machine; a changed script changes
 * the command and so the schedule. It fails its run when a threshold is crossed, and a metric
 * alert on the workspace's "Failed Runs" for the monitor's experiment notifies the action group.
 */

/** The script, relative to the project root. */
export const DRIFT_SCRIPT_PATH = "assets/jobs/drift_monitor.py";

/** The image the drift job runs in: a pinned Azure ML base image (Ubuntu 22.04 with Miniconda's Python; the script needs only the standard library). */
export const DRIFT_JOB_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20250601.v1";

/** Name of the environment asset the drift job runs in; its version is a hash of the image. */
export const DRIFT_ENVIRONMENT_NAME = "model-monitor";

/** A drift run is cancelled after this long (it reads at most two windows of collected data). */
export const DRIFT_JOB_TIMEOUT_SECONDS = 2 * 60 * 60;

/** The environment version of the drift job: a hash of its image. */
export function driftEnvironmentVersion(image = DRIFT_JOB_IMAGE): string {
  return createHash("sha256").update(image).digest("hex").slice(0, VERSION_HASH_LENGTH);
}

/** Experiment the runs of a monitor are grouped under; the alert filters "Failed Runs" on it. */
export function driftExperimentName(key: string): string {
  return `model-monitor-${key}`;
}

/** The shell command that writes the script from its embedded copy and runs it with the monitor's settings. */
export function driftJobCommand(monitor: MonitorSettings, script: string, withReference: boolean): string {
  const payload = deflateSync(Buffer.from(script, "utf8"), { level: 9 }).toString("base64");
  const unpack = `python3 -c "import base64,sys,zlib; open('drift_monitor.py','wb').write(zlib.decompress(base64.b64decode(sys.argv[1])))" ${payload}`;
  const { dataDrift, predictionDrift, dataQuality } = monitor.signals;
  const drift = (signal: string, settings: typeof dataDrift) =>
    (["numerical", "categorical"] as const).flatMap((kind) => [
      `--${signal}-${kind}-metric ${settings[kind].metric}`,
      `--${signal}-${kind}-threshold ${settings[kind].threshold}`,
    ]);
  const args = [
    "--inputs ${{inputs.model_inputs}}",
    "--outputs ${{inputs.model_outputs}}",
    ...(withReference ? ["--reference ${{inputs.reference}}"] : []),
    `--lookback-days ${monitor.lookbackDays}`,
    ...drift("data-drift", dataDrift),
    ...drift("prediction-drift", predictionDrift),
    `--null-value-rate ${dataQuality.nullValueRate}`,
    `--data-type-error-rate ${dataQuality.dataTypeErrorRate}`,
    `--out-of-bounds-rate ${dataQuality.outOfBoundsRate}`,
  ];
  return `${unpack} && python3 drift_monitor.py ${args.join(" ")}`;
}

/** Where a drift job runs, as whom, and what it reads. */
export interface DriftJobTarget {
  /** Required. Resource id of the cluster the job runs on (inside the managed network). */
  clusterId: pulumi.Input<string>;
  /** Required. Client id of the cluster's user-assigned identity, which reads the collected data. */
  identityClientId: pulumi.Input<string>;
  /** Required. Resource id of the environment version the job runs in. */
  environmentId: pulumi.Input<string>;
  /** Required. Resource ids of the data asset versions the deployment's collector writes to. */
  dataIds: Readonly<Record<CollectionName, pulumi.Input<string>>>;
  /** Optional. Resource id (or datastore URI) of the baseline folder for the inputs. Default: the window before. */
  referenceUri?: pulumi.Input<string>;
  /** Required. The script's text (the caller reads `DRIFT_SCRIPT_PATH`). */
  script: string;
}

/** `properties` of a drift job schedule: cron trigger in UTC, CreateJob action with a command job on the cluster. */
export function driftJobScheduleProperties(
  key: string,
  monitor: MonitorSettings,
  target: DriftJobTarget,
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>,
): azureInputs.machinelearningservices.SchedulePropertiesArgs {
  const folder = (uri: pulumi.Input<string>): azureInputs.machinelearningservices.UriFolderJobInputArgs => ({
    jobInputType: "uri_folder",
    uri,
    mode: ml.InputDeliveryMode.ReadOnlyMount,
  });
  const job: azureInputs.machinelearningservices.CommandJobArgs = {
    jobType: "Command",
    displayName: `Drift check ${monitor.endpoint}/${monitor.deployment}`,
    description: `Data drift, prediction drift and data quality of online deployment ${monitor.endpoint}/${monitor.deployment} (${monitor.taskType}); fails when a threshold is crossed. Report: outputs/drift_report.json.`,
    experimentName: driftExperimentName(key),
    command: driftJobCommand(monitor, target.script, target.referenceUri !== undefined),
    environmentId: target.environmentId,
    computeId: target.clusterId,
    identity: { identityType: "Managed", clientId: target.identityClientId },
    inputs: {
      model_inputs: folder(target.dataIds.model_inputs),
      model_outputs: folder(target.dataIds.model_outputs),
      ...(target.referenceUri === undefined ? {} : { reference: folder(target.referenceUri) }),
    },
    limits: { jobLimitsType: "Command", timeout: isoDuration(DRIFT_JOB_TIMEOUT_SECONDS) },
  };
  return {
    displayName: `Model monitor ${key} (${monitor.endpoint}/${monitor.deployment})`,
    description: `Drift job over ${monitor.lookbackDays} day(s) of collected production data of ${monitor.endpoint}/${monitor.deployment}, on a cluster inside the managed network.`,
    isEnabled: true,
    tags,
    trigger: { triggerType: "Cron", expression: monitor.cron, timeZone: "UTC" },
    action: { actionType: "CreateJob", jobDefinition: job },
  };
}

/** The "Failed Runs" metric of the workspace (Run category; dimension ExperimentName). */
export const FAILED_RUNS_METRIC = {
  metricName: "Failed Runs",
  metricNamespace: "Microsoft.MachineLearningServices/workspaces",
} as const;
