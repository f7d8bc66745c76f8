import * as ml from "@pulumi/azure-native/machinelearningservices";
import * as pulumi from "@pulumi/pulumi";
import type { JobInputSettings, RetrainingSettings } from "./retraining";
import { SCHEDULE_TIMEOUTS } from "./modelMonitors";
import { retrainingScheduleProperties } from "./retraining";
import type { AssetReferencesArgs } from "./serving/deploymentArgs";

/** The kind of a job input (`jobInputType`). */
export const JobInputType = {
  /** A folder: a data asset version or a datastore path. */
  UriFolder: "uri_folder",
  /** A single file: a data asset version or a datastore path. */
  UriFile: "uri_file",
  /** An MLTable data asset version or folder. */
  Mltable: "mltable",
  /** A string passed as is (`value`). */
  Literal: "literal",
} as const;
export type JobInputType = (typeof JobInputType)[keyof typeof JobInputType];

/** How the job sees a data input. */
export const JobInputMode = { ReadOnlyMount: "ReadOnlyMount", Download: "Download", Direct: "Direct" } as const;
export type JobInputMode = (typeof JobInputMode)[keyof typeof JobInputMode];

/** One named input of the retraining job: data (`path`, `mode`) or a literal (`value`), by `type`. */
export interface JobInputArgs {
  /** Required. `uri_folder`, `uri_file`, `mltable` or `literal`. */
  type: JobInputType;
  /**
   * Conditional. The data: `azureml:<name>:<version>`, a data asset version id or a datastore URI
   * `azureml://datastores/<datastore>/paths/<path>`; required for data inputs, not allowed for `literal`.
   */
  path?: string;
  /** Optional. Data inputs only: how the job sees the data. Default: `ReadOnlyMount`. */
  mode?: JobInputMode;
  /** Conditional. The string passed to the job; required for `literal`, not allowed for data inputs. */
  value?: string;
}

/** The command job the schedule submits. */
export interface RetrainingJobArgs {
  /** Required. The command the job runs; inputs appear as `${{inputs.<name>}}`. */
  command: string;
  /** Required. The environment: an `assets.environments` key, `azureml:<name>:<version>` or an environment version id. */
  environment: string;
  /** Optional. The code asset version (the job's working directory): `azureml:<name>:<version>` or its id. Default: none. */
  code?: string;
  /** Optional. Named inputs (letters, digits and `_`). Default: none. */
  inputs?: Record<string, JobInputArgs>;
  /** Required. Minutes after which the job is cancelled. */
  timeoutMinutes: number;
}

export interface RetrainingScheduleArgs {
  /** Required. Resource group of the workspace. */
  resourceGroupName: pulumi.Input<string>;
  /** Optional. Tags of the schedule. Default: none. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Required. Name of the workspace the schedule belongs to. */
  workspaceName: pulumi.Input<string>;
  /** Required. Resource id of the workspace, to resolve asset and data references. */
  workspaceId: pulumi.Input<string>;
  /** Required. Whether the schedule fires; `false` creates it disabled. */
  enabled: boolean;
  /** Required. When the job is submitted: a five-field cron expression in UTC. */
  cron: string;
  /** Required. Key in `clusterIds` of the cluster the job runs on (as the cluster's identity). */
  cluster: string;
  /** Required. Experiment the scheduled jobs are grouped under. */
  experimentName: string;
  /** Required. The command job. */
  job: RetrainingJobArgs;
  /** Required. Resource ids of the training clusters by key. */
  clusterIds: Record<string, pulumi.Input<string>>;
  /** Required. Client id of the clusters' user-assigned identity, which the job runs as. */
  computeIdentityClientId: pulumi.Input<string>;
  /** Conditional. The stack's declared assets; required when the job's `environment` is an `assets.environments` key. Default: none. */
  assets?: AssetReferencesArgs;
}

/** One job input, validated, in the shape the schedule builder takes, or a message naming the input, the problem and what is accepted. */
function jobInputSettings(name: string, input: JobInputArgs): JobInputSettings | string {
  const types = Object.values(JobInputType) as string[];
  if (!types.includes(input.type)) return `input ${name}: type is "${input.type}", accepted: ${types.join(", ")}`;
  if (input.type === JobInputType.Literal) {
    if (input.value === undefined) return `input ${name}: a literal input needs value`;
    if (input.path !== undefined || input.mode !== undefined)
      return `input ${name}: a literal input takes only value, not path or mode`;
    return { type: "literal", value: input.value };
  }
  if (input.path === undefined)
    return `input ${name}: a ${input.type} input needs path (azureml:<name>:<version>, a data asset version id or azureml://datastores/<datastore>/paths/<path>)`;
  if (input.value !== undefined) return `input ${name}: a ${input.type} input takes path and mode, not value`;
  const modes = Object.values(JobInputMode) as string[];
  const mode = input.mode ?? JobInputMode.ReadOnlyMount;
  if (!modes.includes(mode)) return `input ${name}: mode is "${mode}", accepted: ${modes.join(", ")}`;
  return { type: input.type, path: input.path, mode };
}

/**
 * The retraining trigger: one Azure ML schedule (named `retraining` in the workspace) whose
 * CreateJob action submits the command job on a training cluster as the cluster's identity
 * (see `retrainingScheduleProperties`). Created disabled unless `enabled`.
 */
export class RetrainingSchedule extends pulumi.ComponentResource {
  /** The Azure ML schedule. */
  public readonly schedule: ml.Schedule;

  /** `name` is also the schedule's logical name. */
  constructor(name: string, args: RetrainingScheduleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-azureml:index:RetrainingSchedule", name, {}, opts);
    const clusterId = args.clusterIds[args.cluster] as pulumi.Input<string> | undefined;
    if (!clusterId)
      throw new pulumi.ResourceError(
        `retraining: cluster ${args.cluster} is not one of the clusters given (${Object.keys(args.clusterIds).join(", ")})`,
        this,
      );
    const inputs = Object.entries(args.job.inputs ?? {}).map(
      ([inputName, input]) => [inputName, jobInputSettings(inputName, input)] as const,
    );
    const problems = inputs.flatMap(([, input]) => (typeof input === "string" ? [input] : []));
    if (problems.length > 0) throw new pulumi.ResourceError(`retraining: ${problems.join("; ")}`, this);
    const config: RetrainingSettings = {
      enabled: args.enabled,
      cron: args.cron,
      cluster: args.cluster,
      experimentName: args.experimentName,
      job: {
        command: args.job.command,
        environment: args.job.environment,
        code: args.job.code,
        inputs: Object.fromEntries(inputs) as Record<string, JobInputSettings>,
        timeoutMinutes: args.job.timeoutMinutes,
      },
    };
    this.schedule = new ml.Schedule(
      name,
      {
        name: "retraining",
        workspaceName: args.workspaceName,
        resourceGroupName: args.resourceGroupName,
        properties: retrainingScheduleProperties(
          config,
          {
            workspaceId: args.workspaceId,
            clusterId,
            identityClientId: args.computeIdentityClientId,
            assets: args.assets,
          },
          args.tags,
        ),
      },
      { parent: this, customTimeouts: SCHEDULE_TIMEOUTS },
    );
    this.registerOutputs({});
  }
}
