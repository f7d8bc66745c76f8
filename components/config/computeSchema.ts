import { z } from "zod";
import { assetKeyForm, isAssetKey } from "./assetKeys";
import { canonicalVmSizeName } from "secure-azureml-facts";
import { armIdPattern } from "./patterns";
import { intRange, matching, objectId, withRemovedKeys } from "./primitives";

/**
 * Config shapes for training compute and managed online endpoints. Sizes are strings here,
 * normalised to the catalogue's canonical name when the catalogue knows them; the cross-field
 * rules (`computeRules.ts`) check them against what each use supports (clusters, endpoints).
 */

/** Compute names: Azure allows 3-24 letters, digits and hyphens, starting with a letter. */
const computeKey = matching(/^[a-z][a-z0-9-]{1,15}$/, "must be 2-16 lowercase letters, digits or hyphens, starting with a letter (a suffix is added to form the compute name)");
/** Endpoint and deployment names: 3-32 letters, digits and hyphens, starting with a letter. */
const endpointKey = matching(/^[a-z][a-z0-9-]{2,31}$/, "must be 3-32 lowercase letters, digits or hyphens, starting with a letter");
/** Case-insensitive on input; a size the catalogue knows is normalised to its canonical name (`standard_ds3_v2` -> `Standard_DS3_v2`). */
const vmSize = z
  .string("must be an Azure VM size name, e.g. Standard_DS3_v2")
  .min(1, "must be an Azure VM size name, e.g. Standard_DS3_v2")
  .overwrite((size) => canonicalVmSizeName(size) ?? size);

/** Asset names and versions: letters, digits, `_`, `-`, `.`, starting with a letter or digit. */
const ASSET = "[A-Za-z0-9][A-Za-z0-9_.-]{0,254}";
const REGISTRY = "[A-Za-z0-9][A-Za-z0-9_-]{2,32}";

/** The versioned Azure ML assets a deployment references. */
export type AssetKind = "models" | "environments" | "codes";

const ASSET_EXAMPLES: Record<AssetKind, [string, string]> = {
  models: ["model", "azureml:churn:3"],
  environments: ["environment", "azureml:sklearn-env:2"],
  codes: ["code", "azureml:churn-score:1"],
};

/** What a model, environment or code reference may look like, for messages. */
function acceptedReferences(kind: AssetKind): string {
  const [noun, example] = ASSET_EXAMPLES[kind];
  return `azureml:<name>:<version> (e.g. ${example}), azureml://registries/<registry>/${kind}/<name>/versions/<version>, or a ${noun} version resource id .../providers/Microsoft.MachineLearningServices/{workspaces|registries}/<name>/${kind}/<name>/versions/<version>`;
}

/** Undefined when `value` is a pinned asset reference of the kind; otherwise what is accepted. */
export function assetReferenceProblem(value: string, kind: AssetKind): string | undefined {
  const forms = [
    new RegExp(`^azureml:${ASSET}:${ASSET}$`),
    new RegExp(`^azureml://registries/${REGISTRY}/${kind}/${ASSET}/versions/${ASSET}$`),
    armIdPattern(`Microsoft.MachineLearningServices/workspaces/${kind}/versions`),
    armIdPattern(`Microsoft.MachineLearningServices/registries/${kind}/versions`),
  ];
  if (forms.some((form) => form.test(value))) return undefined;
  const label = /^azureml:[^:@]+@|\/labels\/[^/]+$/.test(value);
  const pin = label ? "pin a version instead of a label (a label such as @latest changes what is deployed without a config change); " : "";
  return `${pin}must be ${acceptedReferences(kind)}`;
}

/**
 * Undefined when `value` is what a deployment or job may reference: a pinned asset reference of
 * the kind or, for models and environments, the key of a declared asset (`assets.models`,
 * `assets.environments`; whether the key is declared is a cross-field rule, see `assetKeys.ts`).
 */
export function deploymentReferenceProblem(value: string, kind: AssetKind): string | undefined {
  if (kind === "codes") return assetReferenceProblem(value, kind);
  if (isAssetKey(value)) return undefined;
  const problem = assetReferenceProblem(value, kind);
  return problem && `${problem}, or ${assetKeyForm(kind)}`;
}

/** A deployment's or job's asset reference (`deploymentReferenceProblem`). */
export function assetReference(kind: AssetKind) {
  const message = `must be ${acceptedReferences(kind)}${kind === "codes" ? "" : `, or ${assetKeyForm(kind)}`}`;
  return z.string(message).superRefine((value, ctx) => {
    const problem = deploymentReferenceProblem(value, kind);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/**
 * Why clusters and instances take no `subnetId`: the workspace always isolates its network with a
 * managed virtual network (both `workspace.outbound.mode` values are managed modes), and Azure ML's
 * managed network docs ("Limitations"): "When using Managed virtual network, you can't deploy
 * compute resources inside your custom virtual network. Compute resources can only be created
 * inside the managed virtual network." The key was removed; a config that still sets it is told so.
 */
const NO_CUSTOMER_SUBNET = {
  subnetId:
    "is not accepted: compute in this workspace runs in Microsoft's managed virtual network (workspace.outbound.mode is always a managed mode), and Azure ML does not support customer subnets for managed network compute; remove subnetId (nodes reach the workspace's storage, Key Vault and registry over the managed network's private endpoints)",
};

export const clusterSchema = withRemovedKeys(
  z.strictObject({
    vmSize,
    tier: z.enum(["Dedicated", "LowPriority"]).default("Dedicated"),
    minNodes: intRange(0, 1000).default(0),
    maxNodes: intRange(1, 1000),
    idleSecondsBeforeScaleDown: intRange(60, 86_400).default(900),
  }),
  NO_CUSTOMER_SUBNET,
);

export const instanceSchema = withRemovedKeys(
  z.strictObject({
    vmSize,
    /** The one user the instance belongs to (personal compute instance). */
    assignedUserObjectId: objectId,
    /** Azure accepts 15 minutes to 3 days (`idleTimeBeforeShutdown`). */
    idleShutdownMinutes: intRange(15, 4320).default(30),
  }),
  NO_CUSTOMER_SUBNET,
);

export const imageBuilderSchema = z.strictObject({
  /** Default: a Dsv3 size (Azure ML supports DSv3 for clusters); DSv2 retires on 2028-05-01 (`facts/retirements.ts`). */
  vmSize: vmSize.default("Standard_D4s_v3"),
  maxNodes: intRange(1, 10).default(2),
});

export const computeSchema = z.strictObject({
  clusters: z.record(computeKey, clusterSchema).default({}),
  instances: z.record(computeKey, instanceSchema).default({}),
  /** The CPU cluster the private workspace builds environment images on (named by the workspace's imageBuildCompute). */
  imageBuilder: imageBuilderSchema.prefault({}),
});

export const probeSchema = z.strictObject({
  initialDelaySeconds: intRange(0, 3600).default(10),
  periodSeconds: intRange(1, 3600).default(10),
  timeoutSeconds: intRange(1, 3600).default(2),
  failureThreshold: intRange(1, 100).default(30),
  successThreshold: intRange(1, 100).default(1),
});

export const autoscaleSchema = z.strictObject({
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
  /**
   * The key of an `assets.models` entry (resolved to its pinned workspace or registry reference),
   * or a literal `azureml:<name>:<version>`, `azureml://registries/<registry>/models/<name>/versions/<version>`
   * or model version resource id.
   */
  model: assetReference("models"),
  /**
   * The key of an `assets.environments` entry (resolved to the id of the environment version the
   * stack creates from its spec), or a literal `azureml:<name>:<version>`, registry environment URI
   * or environment version resource id.
   */
  environment: assetReference("environments"),
  /** The scoring code: a code asset version (same reference forms) and the script's path inside it. */
  code: z
    .strictObject({
      codeId: assetReference("codes"),
      scoringScript: z.string("must be the scoring script's path inside the code asset, e.g. score.py").min(1, "must be the scoring script's path inside the code asset, e.g. score.py"),
    })
    .optional(),
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

const TRAFFIC_MESSAGE = "must be a whole percentage from 0 to 100 (the deployment's share of live traffic)";
const MIRROR_MESSAGE = "must be a whole percentage from 0 to 50 (Azure mirrors at most 50% of live traffic)";

export const endpointSchema = z.strictObject({
  description: z.string("must be a string of at most 1024 characters").max(1024, "must be at most 1024 characters").optional(),
  authMode: z.enum(["AADToken", "AMLToken", "Key"]).default("AADToken"),
  /** Key auth is rejected unless this is true (and then warned about). */
  allowKeyAuth: z.boolean().default(false),
  deployments: z.record(endpointKey, deploymentSchema).default({}),
  /** Percent of live traffic per deployment; sums to 100, or 0 while no deployment takes traffic. */
  traffic: z.record(z.string(), z.number(TRAFFIC_MESSAGE).int(TRAFFIC_MESSAGE).min(0, TRAFFIC_MESSAGE).max(100, TRAFFIC_MESSAGE)).default({}),
  /** Percent of live traffic copied to a deployment that takes none (at most 50). */
  mirrorTraffic: z.record(z.string(), z.number(MIRROR_MESSAGE).int(MIRROR_MESSAGE).min(0, MIRROR_MESSAGE).max(50, MIRROR_MESSAGE)).default({}),
  alerts: z
    .strictObject({
      latencyP95Ms: intRange(1, 180_000).default(1000),
      /** Alert when more than this many requests a minute get a 5xx answer (0: any 5xx). A metric alert cannot compute a percentage. */
      serverErrorsPerMinute: intRange(0, 100_000).default(0),
      gpuUtilizationPercent: intRange(1, 100).default(90),
    })
    .prefault({}),
});

export const endpointsSchema = z.record(endpointKey, endpointSchema);

const RECEIVER_NAME_MESSAGE = "must be a receiver name of 1-128 characters, unique in the action group";
const receiverName = z.string(RECEIVER_NAME_MESSAGE).min(1, RECEIVER_NAME_MESSAGE).max(128, RECEIVER_NAME_MESSAGE);

export const alertsSchema = z.strictObject({
  emailReceivers: z.array(z.strictObject({ name: receiverName, email: z.email("must be an e-mail address") })).default([]),
  webhookReceivers: z.array(z.strictObject({ name: receiverName, serviceUri: z.url({ protocol: /^https$/, error: "must be an https:// URL" }) })).default([]),
});

export type ComputeConfig = z.output<typeof computeSchema>;
export type ClusterConfig = z.output<typeof clusterSchema>;
export type InstanceConfig = z.output<typeof instanceSchema>;
export type EndpointsConfig = z.output<typeof endpointsSchema>;
export type EndpointConfig = z.output<typeof endpointSchema>;
export type DeploymentConfig = z.output<typeof deploymentSchema>;
export type AlertsConfig = z.output<typeof alertsSchema>;
