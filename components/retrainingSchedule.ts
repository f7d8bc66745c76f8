import * as ml from "@pulumi/azure-native/machinelearningservices";
import * as pulumi from "@pulumi/pulumi";
import type { RetrainingConfig } from "./config/mlopsServingSchema";
import { SCHEDULE_TIMEOUTS } from "./modelMonitors";
import { retrainingScheduleProperties } from "./retraining";
import { DeclaredAssets } from "./shared/assetReferences";

export interface RetrainingScheduleArgs {
  /** Required. Resource group of the workspace. */
  resourceGroupName: pulumi.Input<string>;
  /** Optional. Tags of the schedule. Default: none. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Required. Name of the workspace the schedule belongs to. */
  workspaceName: pulumi.Input<string>;
  /** Required. Resource id of the workspace, to resolve asset and data references. */
  workspaceId: pulumi.Input<string>;
  /** Required. The validated `retraining` config: cron, cluster key, experiment, the command job and whether the schedule is enabled. */
  config: RetrainingConfig;
  /** Required. Resource ids of the training clusters by `compute.clusters` key; the job runs on the one `config.cluster` names. */
  clusterIds: Readonly<Record<string, pulumi.Input<string>>>;
  /** Required. Client id of the clusters' user-assigned identity, which the job runs as. */
  computeIdentityClientId: pulumi.Input<string>;
  /** Conditional. The stack's declared assets; required when the job's `environment` is an `assets.environments` key. Default: none. */
  assets?: DeclaredAssets;
}

/**
 * The retraining trigger: one Azure ML schedule (named `retraining` in the workspace) whose
 * CreateJob action submits the command job on a training cluster as the cluster's identity
 * (see `retrainingScheduleProperties`). Created disabled unless `config.enabled`.
 */
export class RetrainingSchedule extends pulumi.ComponentResource {
  /** The Azure ML schedule. */
  public readonly schedule: ml.Schedule;

  /** `name` is also the schedule's logical name. */
  constructor(name: string, args: RetrainingScheduleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-azureml:index:RetrainingSchedule", name, {}, opts);
    const { config } = args;
    const clusterId = args.clusterIds[config.cluster] as pulumi.Input<string> | undefined;
    if (!clusterId) throw new pulumi.ResourceError(`retraining: cluster ${config.cluster} is not one of the clusters given`, this);
    this.schedule = new ml.Schedule(
      name,
      {
        name: "retraining",
        workspaceName: args.workspaceName,
        resourceGroupName: args.resourceGroupName,
        properties: retrainingScheduleProperties(config, { workspaceId: args.workspaceId, clusterId, identityClientId: args.computeIdentityClientId, assets: args.assets }, args.tags),
      },
      { parent: this, customTimeouts: SCHEDULE_TIMEOUTS },
    );
    this.registerOutputs({});
  }
}
