import { z } from "zod";
import { intRange, matching, objectId, subnetId } from "./primitives";

/**
 * Config shapes for training compute and managed online endpoints. Sizes are plain strings
 * here; the VM size catalogue and the cross-field rules (`computeRules.ts`) check them
 * against what each use supports, case-insensitively.
 */

/** Compute names: Azure allows 3-24 letters, digits and hyphens, starting with a letter. */
const computeKey = matching(/^[a-z][a-z0-9-]{1,15}$/, "must be 2-16 lowercase letters, digits or hyphens, starting with a letter (a suffix is added to form the compute name)");
/** Endpoint and deployment names: 3-32 letters, digits and hyphens, starting with a letter. */
const endpointKey = matching(/^[a-z][a-z0-9-]{2,31}$/, "must be 3-32 lowercase letters, digits or hyphens, starting with a letter");
const vmSize = z.string("must be an Azure VM size name, e.g. Standard_DS3_v2").min(1, "must be an Azure VM size name, e.g. Standard_DS3_v2");

export const clusterSchema = z.strictObject({
  vmSize,
  tier: z.enum(["Dedicated", "LowPriority"]).default("Dedicated"),
  minNodes: intRange(0, 1000).default(0),
  maxNodes: intRange(1, 1000),
  idleSecondsBeforeScaleDown: intRange(60, 86_400).default(900),
  /** Bring-your-own-network: the subnet the nodes join. Default: the workspace's managed network. */
  subnetId: subnetId.optional(),
});

export const instanceSchema = z.strictObject({
  vmSize,
  /** The one user the instance belongs to (personal compute instance). */
  assignedUserObjectId: objectId,
  idleShutdownMinutes: intRange(15, 10_080).default(30),
  subnetId: subnetId.optional(),
});

export const imageBuilderSchema = z.strictObject({
  vmSize: vmSize.default("Standard_DS3_v2"),
  maxNodes: intRange(1, 10).default(2),
});

export const computeSchema = z.strictObject({
  clusters: z.record(computeKey, clusterSchema).default({}),
  instances: z.record(computeKey, instanceSchema).default({}),
  /** The CPU cluster the private workspace builds environment images on (named by the workspace's imageBuildCompute). */
  imageBuilder: imageBuilderSchema.prefault({}),
});

const probeSchema = z.strictObject({
  initialDelaySeconds: intRange(0, 3600).default(10),
  periodSeconds: intRange(1, 3600).default(10),
  timeoutSeconds: intRange(1, 3600).default(2),
  failureThreshold: intRange(1, 100).default(30),
  successThreshold: intRange(1, 100).default(1),
});

const autoscaleSchema = z.strictObject({
  minInstances: intRange(1, 100),
  maxInstances: intRange(1, 100),
  cpuScaleOutPercent: intRange(1, 100).default(70),
  cpuScaleInPercent: intRange(1, 100).default(30),
  /** Scale out when p95 request latency exceeds this many milliseconds. Default: no latency rule. */
  latencyScaleOutMs: intRange(1, 180_000).optional(),
});

export const deploymentSchema = z.strictObject({
  instanceType: vmSize,
  instanceCount: intRange(1, 100).default(1),
  /** `azureml:<name>:<version>`, `azureml://registries/<registry>/models/<name>/versions/<version>`, or a model version resource id. */
  model: z.string("must be a model reference, e.g. azureml:churn:3 or azureml://registries/<registry>/models/<name>/versions/<version>"),
  /** `azureml:<name>:<version>`, a registry environment URI, or an environment version resource id. */
  environment: z.string("must be an environment reference, e.g. azureml:sklearn-env:2"),
  code: z.strictObject({ codeId: z.string(), scoringScript: z.string() }).optional(),
  livenessProbe: probeSchema.prefault({}),
  readinessProbe: probeSchema.prefault({}),
  requestSettings: z
    .strictObject({
      requestTimeoutMs: intRange(1000, 180_000).default(5000),
      maxConcurrentRequestsPerInstance: intRange(1, 1000).default(1),
    })
    .prefault({}),
  autoscale: autoscaleSchema.optional(),
});

export const endpointSchema = z.strictObject({
  description: z.string().max(1024).optional(),
  authMode: z.enum(["AADToken", "AMLToken", "Key"]).default("AADToken"),
  /** Key auth is rejected unless this is true (and then warned about). */
  allowKeyAuth: z.boolean().default(false),
  deployments: z.record(endpointKey, deploymentSchema).default({}),
  /** Percent of live traffic per deployment; sums to 100, or 0 while no deployment takes traffic. */
  traffic: z.record(z.string(), intRange(0, 100)).default({}),
  /** Percent of live traffic copied to a deployment that takes none (at most 50). */
  mirrorTraffic: z.record(z.string(), intRange(0, 50)).default({}),
  alerts: z
    .strictObject({
      latencyP95Ms: intRange(1, 180_000).default(1000),
      errorRatePercent: intRange(1, 100).default(5),
      gpuUtilizationPercent: intRange(1, 100).default(90),
    })
    .prefault({}),
});

export const endpointsSchema = z.record(endpointKey, endpointSchema);

export const alertsSchema = z.strictObject({
  emailReceivers: z.array(z.strictObject({ name: z.string().min(1).max(128), email: z.email("must be an e-mail address") })).default([]),
  webhookReceivers: z.array(z.strictObject({ name: z.string().min(1).max(128), serviceUri: z.url({ protocol: /^https$/, error: "must be an https:// URL" }) })).default([]),
});

export type ComputeConfig = z.output<typeof computeSchema>;
export type ClusterConfig = z.output<typeof clusterSchema>;
export type InstanceConfig = z.output<typeof instanceSchema>;
export type EndpointsConfig = z.output<typeof endpointsSchema>;
export type EndpointConfig = z.output<typeof endpointSchema>;
export type DeploymentConfig = z.output<typeof deploymentSchema>;
export type AlertsConfig = z.output<typeof alertsSchema>;
