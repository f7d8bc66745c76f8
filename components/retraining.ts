import type * as azureInputs from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";
import { isoDuration } from "./trainingCompute";
import { DeclaredAssets, resolveReference } from "./shared/assetReferences";

/**
 * The retraining trigger: an Azure ML schedule whose CreateJob action submits a command job on a
 * training cluster. The job runs with the cluster's user-assigned identity (`identity.identityType:
 * Managed` with its client id), so it reads and writes data through identity-based datastores with
 * that identity's roles, never with the schedule creator's token (a command job without an identity
 * defaults to AMLToken). Off by default: the schedule is created disabled until `enabled: true`.
 */

type JobInput =
  | azureInputs.machinelearningservices.UriFolderJobInputArgs
  | azureInputs.machinelearningservices.UriFileJobInputArgs
  | azureInputs.machinelearningservices.MLTableJobInputArgs
  | azureInputs.machinelearningservices.LiteralJobInputArgs;

/** `azureml:<name>:<version>` -> `<workspace id>/data/<name>/versions/<version>`; datastore URIs and ids pass through. */
export function resolveDataReference(path: string, workspaceId: pulumi.Input<string>): pulumi.Input<string> {
  const shorthand = /^azureml:([^:/@]+):([^:/@]+)$/.exec(path);
  return shorthand ? pulumi.interpolate`${workspaceId}/data/${shorthand[1]}/versions/${shorthand[2]}` : path;
}

/** One job input, validated (built from `JobInputArgs`). */
export type JobInputSettings =
  | { type: "literal"; value: string }
  | { type: "uri_folder" | "uri_file" | "mltable"; path: string; mode: "ReadOnlyMount" | "Download" | "Direct" };

/** The retraining trigger's settings, validated (built from `RetrainingScheduleArgs`). */
export interface RetrainingSettings {
  /** Required. Whether the schedule is enabled. */
  enabled: boolean;
  /** Required. When the job runs (cron, UTC). */
  cron: string;
  /** Required. The training cluster's key. */
  cluster: string;
  /** Required. Experiment the runs are grouped under. */
  experimentName: string;
  /** Required. The command job. */
  job: {
    command: string;
    environment: string;
    code?: string;
    inputs: Record<string, JobInputSettings>;
    timeoutMinutes: number;
  };
}

/** One job input as the REST API takes it. */
export function jobInput(input: JobInputSettings, workspaceId: pulumi.Input<string>): JobInput {
  switch (input.type) {
    case "literal":
      return { jobInputType: "literal", value: input.value };
    case "uri_folder":
      return { jobInputType: "uri_folder", uri: resolveDataReference(input.path, workspaceId), mode: input.mode };
    case "uri_file":
      return { jobInputType: "uri_file", uri: resolveDataReference(input.path, workspaceId), mode: input.mode };
    case "mltable":
      return { jobInputType: "mltable", uri: resolveDataReference(input.path, workspaceId), mode: input.mode };
  }
}

/** Where the retraining job runs and as whom. */
export interface RetrainingTarget {
  /** Required. Resource id of the workspace (to resolve asset references). */
  workspaceId: pulumi.Input<string>;
  /** Required. Resource id of the training cluster. */
  clusterId: pulumi.Input<string>;
  /** Required. Client id of the cluster's user-assigned identity, which the job runs as. */
  identityClientId: pulumi.Input<string>;
  /** Conditional. The stack's declared assets; required when `job.environment` is an `assets.environments` key (it becomes that environment version's id). Default: none. */
  assets?: DeclaredAssets;
}

/** `properties` of the retraining schedule. */
export function retrainingScheduleProperties(
  config: RetrainingSettings,
  target: RetrainingTarget,
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>,
): azureInputs.machinelearningservices.SchedulePropertiesArgs {
  const { job } = config;
  const command: azureInputs.machinelearningservices.CommandJobArgs = {
    jobType: "Command",
    displayName: "Scheduled retraining",
    experimentName: config.experimentName,
    command: job.command,
    environmentId: resolveReference(job.environment, "environments", target.workspaceId, target.assets),
    ...(job.code ? { codeId: resolveReference(job.code, "codes", target.workspaceId) } : {}),
    computeId: target.clusterId,
    identity: { identityType: "Managed", clientId: target.identityClientId },
    inputs: Object.fromEntries(
      Object.entries(job.inputs).map(([name, input]) => [name, jobInput(input, target.workspaceId)]),
    ),
    limits: { jobLimitsType: "Command", timeout: isoDuration(job.timeoutMinutes * 60) },
  };
  return {
    displayName: "Retraining",
    description: `Submits the retraining command job on cluster ${config.cluster}${config.enabled ? "" : " (disabled: set retraining.enabled to true)"}.`,
    isEnabled: config.enabled,
    tags,
    trigger: { triggerType: "Cron", expression: config.cron, timeZone: "UTC" },
    action: { actionType: "CreateJob", jobDefinition: command },
  };
}
