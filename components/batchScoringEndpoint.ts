import * as ml from "@pulumi/azure-native/machinelearningservices";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";
import { endpointRevision } from "./managedOnlineEndpoint";
import { EndpointTraffic } from "./serving/endpointTraffic";
import { isoDuration } from "./trainingCompute";
import { AssetReferencesArgs, CodeConfigurationArgs, dependencyList } from "./serving/deploymentArgs";
import { DeclaredAssets, resolveReference, undeclaredAssetKey } from "./shared/assetReferences";
import { PlacementArgs } from "./shared/interfaces";

/**
 * A batch endpoint and its deployments on training clusters, private and token-only.
 *
 * Private: batch endpoints have no public network setting of their own (the API has no
 * `publicNetworkAccess` on them); Microsoft ("Network isolation in batch endpoints"): "Batch
 * endpoints inherit the networking configuration from the workspace where they're deployed. All
 * the batch endpoints created inside of private link-enabled workspace are deployed as private
 * batch endpoints", and "It isn't possible to deploy public batch endpoints on private
 * link-enabled workspaces". This workspace has public network access disabled and a private
 * endpoint, and the scoring jobs run on its clusters inside the managed network.
 *
 * Token auth: `authMode: AADToken`, the only mode batch endpoints support (CLI batch endpoint
 * YAML: "Currently only Microsoft Entra token-based authentication is supported").
 *
 * No endpoint identity: a scoring job runs as the invoker (its Microsoft Entra token) and mounts
 * data with the cluster's managed identity (Microsoft, "Authorization on batch endpoints",
 * credential-less datastores: "Identity of the job + Managed identity of the compute cluster"), so
 * the endpoint needs no identity and no role: none is declared and none is granted.
 *
 * Output: the deployment fixes the output action and file name; the datastore folder is chosen per
 * job at invocation (`--output-path azureml://datastores/<datastore>/paths/<path>`; Microsoft:
 * "Batch endpoints only support writing outputs in Blob Storage data stores"). The configured
 * `output.path` is exported for that command.
 */

/** Batch endpoints are created quickly; deployments may build an image first. */
export const BATCH_ENDPOINT_TIMEOUTS: pulumi.CustomTimeouts = { create: "30m", update: "30m", delete: "30m" };
export const BATCH_DEPLOYMENT_TIMEOUTS: pulumi.CustomTimeouts = { create: "45m", update: "45m", delete: "30m" };

/** Azure's default merged output file for `AppendRow`. */
export const DEFAULT_OUTPUT_FILE = "predictions.csv";

type BatchDeploymentProperties = azureInputs.machinelearningservices.BatchDeploymentPropertiesArgs;

/** How much a batch deployment logs (`properties.loggingLevel`). */
export const BatchLoggingLevel = { Warning: "Warning", Info: "Info", Debug: "Debug" } as const;
export type BatchLoggingLevel = (typeof BatchLoggingLevel)[keyof typeof BatchLoggingLevel];

/** What a batch deployment does with the scoring results (`properties.outputAction`). */
export const BatchOutputAction = {
  /** All results appended to one file (`output.fileName`). */
  AppendRow: "AppendRow",
  /** No merged file: the scoring script writes its own outputs. */
  SummaryOnly: "SummaryOnly",
} as const;
export type BatchOutputAction = (typeof BatchOutputAction)[keyof typeof BatchOutputAction];

/** Retries of a failed mini-batch. */
export interface BatchRetryArgs {
  /** Required. Retries of a failed mini-batch before it counts as failed. */
  maxRetries: number;
  /** Required. Seconds one run() call of a mini-batch may take (sent as an ISO 8601 duration). */
  timeoutSeconds: number;
}

/** The output of a batch deployment. */
export interface BatchOutputArgs {
  /** Required. `AppendRow` (one merged results file) or `SummaryOnly`. */
  action: BatchOutputAction;
  /** Optional. The merged results file (`AppendRow` only). Default: `predictions.csv`. */
  fileName?: string;
  /**
   * Optional. The datastore folder scoring jobs write to, exported for the invocation's
   * `--output-path` (the deployment itself does not take it). Default: a per-job folder in workspaceblobstore.
   */
  path?: string;
}

/** One batch deployment on a training cluster; its key in `deployments` is its Azure name. */
export interface BatchDeploymentArgs {
  /** Required. Key of the cluster in `clusterIds` that scoring jobs run on. */
  cluster: string;
  /** Required. The model: a key of `assets.models`, or `azureml:<name>:<version>`, a registry model URI or a model version resource id. */
  model: string;
  /** Conditional. The scoring environment (an `assets.environments` key or a pinned reference); required with `code`. Default: none (MLflow models). */
  environment?: string;
  /** Conditional. The scoring code and its batch driver script; required for models other than MLflow. Default: none. */
  code?: CodeConfigurationArgs;
  /** Required. Nodes of the cluster each scoring job uses. */
  instanceCount: number;
  /** Required. Scoring processes per node. */
  maxConcurrencyPerInstance: number;
  /** Required. Files per mini-batch given to one run() call. */
  miniBatchSize: number;
  /** Required. Failed files (or records) tolerated before the job is aborted; -1 ignores every failure. */
  errorThreshold: number;
  /** Required. `Warning`, `Info` or `Debug`. */
  loggingLevel: BatchLoggingLevel;
  /** Required. Retries of failed mini-batches. */
  retry: BatchRetryArgs;
  /** Required. What is done with the results. */
  output: BatchOutputArgs;
}

/**
 * The deployment's properties: model by id, cluster by id, scoring settings from config. A `model`
 * or `environment` that is a key resolves through `assets` (see `resolveReference`).
 */
export function batchDeploymentProperties(
  deployment: BatchDeploymentArgs,
  clusterId: pulumi.Input<string>,
  workspaceId: pulumi.Input<string>,
  assets?: DeclaredAssets,
): BatchDeploymentProperties {
  return {
    compute: clusterId,
    model: { referenceType: "Id", assetId: resolveReference(deployment.model, "models", workspaceId, assets) },
    ...(deployment.environment
      ? { environmentId: resolveReference(deployment.environment, "environments", workspaceId, assets) }
      : {}),
    ...(deployment.code
      ? {
          codeConfiguration: {
            codeId: resolveReference(deployment.code.codeId, "codes", workspaceId),
            scoringScript: deployment.code.scoringScript,
          },
        }
      : {}),
    resources: { instanceCount: deployment.instanceCount },
    maxConcurrencyPerInstance: deployment.maxConcurrencyPerInstance,
    miniBatchSize: deployment.miniBatchSize,
    errorThreshold: deployment.errorThreshold,
    loggingLevel: deployment.loggingLevel,
    retrySettings: { maxRetries: deployment.retry.maxRetries, timeout: isoDuration(deployment.retry.timeoutSeconds) },
    outputAction: deployment.output.action,
    ...(deployment.output.action === "AppendRow"
      ? { outputFileName: deployment.output.fileName ?? DEFAULT_OUTPUT_FILE }
      : {}),
  };
}

export interface BatchScoringEndpointArgs extends PlacementArgs {
  /** Required. Name of the workspace (private, with a managed network) the endpoint belongs to. */
  workspaceName: pulumi.Input<string>;
  /** Required. Resource id of the workspace, to resolve `azureml:<name>:<version>` references. */
  workspaceId: pulumi.Input<string>;
  /** Required. Endpoint name, unique in the Azure region (3-32 characters). One-way: a new name is a new endpoint. */
  endpointName: pulumi.Input<string>;
  /** Optional. Description of the endpoint (at most 1024 characters). Default: none. */
  description?: string;
  /**
   * Optional. The deployment that serves invocations that name none; it can name only a deployment
   * that exists (leave it out on the first `pulumi up` of a new deployment). Default: none.
   */
  defaultDeployment?: string;
  /** Required. Deployments by key (the key is the deployment's Azure name), created one after another in key order. */
  deployments: Record<string, BatchDeploymentArgs>;
  /** Required. Resource ids of the training clusters by key; each deployment runs on the one its `cluster` names. */
  clusterIds: Record<string, pulumi.Input<string>>;
  /**
   * Conditional. The stack's declared assets; required when a deployment's `model` or `environment`
   * is an `assets.models` / `assets.environments` key (resolved as for online deployments, see
   * `ManagedOnlineEndpointArgs.assets`). Default: none (only literal references).
   */
  assets?: AssetReferencesArgs;
  /** Required. ARM endpoint the default-deployment resource calls (see `armEndpointOf`). */
  armEndpoint: string;
}

/** One batch endpoint with its deployments, deployments created one after another in key order. */
export class BatchScoringEndpoint extends pulumi.ComponentResource {
  public readonly endpoint: ml.BatchEndpoint;
  /** Deployments by key (the key is the deployment name). */
  public readonly deployments: Record<string, ml.BatchDeployment>;
  public readonly id: pulumi.Output<string>;
  public readonly name: pulumi.Output<string>;
  /** The private invocation URI. */
  public readonly scoringUri: pulumi.Output<string | undefined>;

  constructor(name: string, args: BatchScoringEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    // Type token of the component package; the alias keeps stacks created under the old token (an update, not a replacement).
    super(
      "secure-azureml:index:BatchScoringEndpoint",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:batchEndpoint:BatchScoringEndpoint" }] }),
    );
    // Checked before anything is created, so a wiring mistake creates nothing.
    for (const [key, deployment] of Object.entries(args.deployments)) {
      const problem =
        undeclaredAssetKey(deployment.model, "models", args.assets) ??
        (deployment.environment && undeclaredAssetKey(deployment.environment, "environments", args.assets));
      if (problem) throw new pulumi.ResourceError(`batch deployment ${key}: ${problem}`, this);
    }
    this.endpoint = new ml.BatchEndpoint(
      name,
      {
        endpointName: args.endpointName,
        workspaceName: args.workspaceName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        properties: {
          authMode: ml.EndpointAuthMode.AADToken,
          description: args.description,
          // No default deployment here: it may name only a deployment that exists (deploy-audit B6),
          // so EndpointTraffic sets it after the deployments.
        },
      },
      // The default deployment belongs to EndpointTraffic: a refresh that reads it must not plan it away here.
      { parent: this, customTimeouts: BATCH_ENDPOINT_TIMEOUTS, ignoreChanges: ["properties.defaults"] },
    );
    this.id = this.endpoint.id;
    this.name = this.endpoint.name;
    this.scoringUri = this.endpoint.properties.apply((p) => p.scoringUri);

    const deployments: Record<string, ml.BatchDeployment> = {};
    let previous: ml.BatchDeployment | undefined;
    // The component's own dependencies (the image-build cluster, the clusters' role assignments): every deployment waits for them.
    const dependencies = dependencyList(opts?.dependsOn);
    for (const [key, deployment] of Object.entries(args.deployments)) {
      const clusterId = args.clusterIds[deployment.cluster] as pulumi.Input<string> | undefined;
      if (clusterId === undefined)
        throw new pulumi.ResourceError(
          `batch deployment ${key}: cluster ${deployment.cluster} is not one of the clusters given (${Object.keys(args.clusterIds).join(", ")})`,
          this,
        );
      previous = new ml.BatchDeployment(
        `${name}-${key}`,
        {
          deploymentName: key,
          endpointName: this.endpoint.name,
          workspaceName: args.workspaceName,
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          tags: args.tags,
          properties: {
            description: `Batch scoring on cluster ${deployment.cluster}.`,
            ...batchDeploymentProperties(deployment, clusterId, args.workspaceId, args.assets),
          },
        },
        {
          parent: this,
          dependsOn: [this.endpoint, ...dependencies, ...(previous ? [previous] : [])],
          customTimeouts: BATCH_DEPLOYMENT_TIMEOUTS,
        },
      );
      deployments[key] = previous;
    }
    this.deployments = deployments;
    if (args.defaultDeployment) {
      // The default deployment, applied after the deployments exist.
      new EndpointTraffic(
        `${name}-default-deployment`,
        {
          endpointId: this.endpoint.id,
          endpointKind: "batch",
          defaultDeployment: args.defaultDeployment,
          armEndpoint: args.armEndpoint,
          revision: endpointRevision({ description: args.description }),
        },
        { parent: this, dependsOn: Object.values(deployments) },
      );
    }
    this.registerOutputs({ id: this.id, name: this.name, scoringUri: this.scoringUri });
  }
}
