import { z } from "zod";
import type { ConfigProblem, ConfigRule } from "../shared/errors";
import { undeclaredAssetKeyProblems } from "../shared/assetKeys";
import { assetReference } from "../shared/assetReferences";
import { intRange, matching } from "../shared/primitives";
import { RawRecord, isRecord, recordAt } from "../shared/raw";
import { Path, objectEntries, parseWith } from "../shared/rawParse";
import { list, vmSize, vmSizeProblems } from "../shared/vmSizes";

/**
 * The `endpoints` (managed online endpoints, deployments, traffic) and `alerts` sections, and
 * their cross-field rules (VM sizes per use, scale limits, traffic, mirroring, key auth, receivers).
 */

/** Endpoint and deployment names: 3-32 letters, digits and hyphens, starting with a letter. */
const endpointKey = matching(
  /^[a-z][a-z0-9-]{2,31}$/,
  "must be 3-32 lowercase letters, digits or hyphens, starting with a letter",
);

export const probeSchema = z.strictObject({
  initialDelaySeconds: intRange(0, 3600).default(10).describe("Seconds before the first probe."),
  periodSeconds: intRange(1, 3600).default(10).describe("Seconds between probes."),
  timeoutSeconds: intRange(1, 3600).default(2).describe("Seconds a probe may take; below periodSeconds."),
  failureThreshold: intRange(1, 100)
    .default(30)
    .describe("Failed probes before the container is restarted or taken out of rotation."),
  successThreshold: intRange(1, 100).default(1).describe("Successful probes before the container counts as healthy."),
});

export const autoscaleSchema = z.strictObject({
  minInstances: intRange(1, 100).describe("Fewest instances; at most maxInstances."),
  maxInstances: intRange(1, 100).describe("Most instances."),
  cpuScaleOutPercent: intRange(1, 100).default(70).describe("Average CPU percentage above which an instance is added."),
  cpuScaleInPercent: intRange(1, 100)
    .default(30)
    .describe("Average CPU percentage below which an instance is removed; below cpuScaleOutPercent."),
  /** Scale out when p95 request latency exceeds this many milliseconds. Default: no latency rule. */
  latencyScaleOutMs: intRange(1, 180_000)
    .optional()
    .describe("Scale out when p95 request latency exceeds this many milliseconds; default no latency rule."),
});

export const deploymentSchema = z.strictObject({
  instanceType: vmSize.describe("VM size allowed for endpoints (see VM sizes); case-insensitive."),
  instanceCount: intRange(1, 100)
    .default(1)
    .describe(
      "Instances when autoscale is not set; within autoscale's range when it is. Microsoft recommends more than 3 in production.",
    ),
  /**
   * The key of an `assets.models` entry (resolved to its pinned workspace or registry reference),
   * or a literal `azureml:<name>:<version>`, `azureml://registries/<registry>/models/<name>/versions/<version>`
   * or model version resource id.
   */
  model: assetReference("models").describe("The key of a models entry, or a pinned literal model reference."),
  /**
   * The key of an `assets.environments` entry (resolved to the id of the environment version the
   * stack creates from its spec), or a literal `azureml:<name>:<version>`, registry environment URI
   * or environment version resource id.
   */
  environment: assetReference("environments").describe(
    "The key of an assets.environments entry, or a pinned literal environment reference.",
  ),
  /** The scoring code: a code asset version (same reference forms) and the script's path inside it. */
  code: z
    .strictObject({
      codeId: assetReference("codes").describe(
        "A pinned code asset version (azureml:<name>:<version>, a registry URI or a resource id).",
      ),
      scoringScript: z
        .string("must be the scoring script's path inside the code asset, e.g. score.py")
        .min(1, "must be the scoring script's path inside the code asset, e.g. score.py")
        .describe("The scoring script's path inside the code asset, e.g. score.py."),
    })
    .optional(),
  livenessProbe: probeSchema.prefault({}),
  readinessProbe: probeSchema.prefault({}),
  requestSettings: z
    .strictObject({
      requestTimeoutMs: intRange(1000, 180_000)
        .default(5000)
        .describe("Milliseconds before a scoring request times out."),
      maxConcurrentRequestsPerInstance: intRange(1, 1000)
        .default(1)
        .describe("Concurrent requests each instance accepts."),
    })
    .prefault({}),
  autoscale: autoscaleSchema.optional(),
});

const TRAFFIC_MESSAGE = "must be a whole percentage from 0 to 100 (the deployment's share of live traffic)";
const MIRROR_MESSAGE = "must be a whole percentage from 0 to 50 (Azure mirrors at most 50% of live traffic)";

export const endpointSchema = z.strictObject({
  description: z
    .string("must be a string of at most 1024 characters")
    .max(1024, "must be at most 1024 characters")
    .optional()
    .describe("Description of the endpoint."),
  authMode: z
    .enum(["AADToken", "AMLToken", "Key"])
    .default("AADToken")
    .describe(
      "How callers authenticate: a Microsoft Entra token (default), an Azure ML token, or a key (only with allowKeyAuth: true).",
    ),
  /** Key auth is rejected unless this is true (and then warned about). */
  allowKeyAuth: z.boolean().default(false).describe("Allows authMode: Key."),
  deployments: z.record(endpointKey, deploymentSchema).default({}),
  /** Percent of live traffic per deployment; sums to 100, or 0 while no deployment takes traffic. */
  traffic: z
    .record(
      z.string(),
      z.number(TRAFFIC_MESSAGE).int(TRAFFIC_MESSAGE).min(0, TRAFFIC_MESSAGE).max(100, TRAFFIC_MESSAGE),
    )
    .default({})
    .describe(
      "Deployment names of this endpoint to whole percentages; sums to 100, or 0 while no deployment takes traffic.",
    ),
  /** Percent of live traffic copied to a deployment that takes none (at most 50). */
  mirrorTraffic: z
    .record(z.string(), z.number(MIRROR_MESSAGE).int(MIRROR_MESSAGE).min(0, MIRROR_MESSAGE).max(50, MIRROR_MESSAGE))
    .default({})
    .describe("One deployment that takes no live traffic to a whole percentage, at most 50."),
  alerts: z
    .strictObject({
      latencyP95Ms: intRange(1, 180_000)
        .default(1000)
        .describe("Alert when p95 request latency exceeds this many milliseconds."),
      /** Alert when more than this many requests a minute get a 5xx answer (0: any 5xx). A metric alert cannot compute a percentage. */
      serverErrorsPerMinute: intRange(0, 100_000)
        .default(0)
        .describe("Alert when more requests a minute than this get a 5xx answer (0: any 5xx)."),
      gpuUtilizationPercent: intRange(1, 100)
        .default(90)
        .describe("Alert when GPU utilisation exceeds this percentage (GPU instance types only)."),
    })
    .prefault({}),
});

export const endpointsSchema = z.record(endpointKey, endpointSchema);

const RECEIVER_NAME_MESSAGE = "must be a receiver name of 1-128 characters, unique in the action group";
const receiverName = z.string(RECEIVER_NAME_MESSAGE).min(1, RECEIVER_NAME_MESSAGE).max(128, RECEIVER_NAME_MESSAGE);

export const alertsSchema = z.strictObject({
  emailReceivers: z
    .array(
      z.strictObject({
        name: receiverName.describe("Receiver name, 1-128 characters."),
        email: z.email("must be an e-mail address").describe("E-mail address alerts are sent to."),
      }),
    )
    .default([])
    .describe("E-mail receivers of the action group: name 1-128 characters, an e-mail address."),
  webhookReceivers: z
    .array(
      z.strictObject({
        name: receiverName.describe("Receiver name, 1-128 characters."),
        serviceUri: z
          .url({ protocol: /^https$/, error: "must be an https:// URL" })
          .describe("An https:// URL (plain http is rejected: alert payloads name your resources)."),
      }),
    )
    .default([])
    .describe("Webhook receivers of the action group: name 1-128 characters, an https:// URL."),
});

export type EndpointsConfig = z.output<typeof endpointsSchema>;
export type EndpointConfig = z.output<typeof endpointSchema>;
export type DeploymentConfig = z.output<typeof deploymentSchema>;
export type AlertsConfig = z.output<typeof alertsSchema>;

// ---------------------------------------------------------------------------------------------

function authProblems(path: Path, endpoint: RawRecord): ConfigProblem[] {
  const shape = endpointSchema.shape;
  const authMode = parseWith(shape.authMode, endpoint.authMode);
  const allowKeyAuth = parseWith(shape.allowKeyAuth, endpoint.allowKeyAuth);
  if (authMode !== "Key" || allowKeyAuth !== false) return [];
  return [
    {
      path: [...path, "authMode"],
      message: `Key is rejected: endpoint keys are long-lived shared secrets that do not expire; accepted: AADToken (default, Microsoft Entra tokens) or AMLToken, or set allowKeyAuth: true to accept key auth knowingly (it is then warned about)`,
    },
  ];
}

function probeProblems(path: Path, probe: unknown): ConfigProblem[] {
  const raw = probe === undefined ? {} : probe;
  if (!isRecord(raw)) return [];
  const timeout = parseWith(probeSchema.shape.timeoutSeconds, raw.timeoutSeconds);
  const period = parseWith(probeSchema.shape.periodSeconds, raw.periodSeconds);
  if (timeout === undefined || period === undefined || timeout < period) return [];
  return [
    {
      path: [...path, "timeoutSeconds"],
      message: `is ${timeout}s, not below periodSeconds ${period}s: a probe must time out before the next one starts; accepted: a timeout shorter than periodSeconds`,
    },
  ];
}

function autoscaleProblems(path: Path, deployment: RawRecord): ConfigProblem[] {
  const autoscale = deployment.autoscale;
  if (!isRecord(autoscale)) return [];
  const shape = autoscaleSchema.shape;
  const min = parseWith(shape.minInstances, autoscale.minInstances);
  const max = parseWith(shape.maxInstances, autoscale.maxInstances);
  const scaleIn = parseWith(shape.cpuScaleInPercent, autoscale.cpuScaleInPercent);
  const scaleOut = parseWith(shape.cpuScaleOutPercent, autoscale.cpuScaleOutPercent);
  const instanceCount = parseWith(deploymentSchema.shape.instanceCount, deployment.instanceCount);
  const problems: ConfigProblem[] = [];
  if (min !== undefined && max !== undefined) {
    if (min > max) {
      problems.push({
        path: [...path, "autoscale", "minInstances"],
        message: `is ${min}, above autoscale.maxInstances ${max}; minInstances must be at most maxInstances`,
      });
    } else if (instanceCount !== undefined && (instanceCount < min || instanceCount > max)) {
      const given = deployment.instanceCount === undefined ? ` (the default)` : "";
      problems.push({
        path: [...path, "instanceCount"],
        message: `is ${instanceCount}${given}, outside autoscale ${min}-${max}: autoscale starts from instanceCount, which must lie within autoscale.minInstances and autoscale.maxInstances`,
      });
    }
  }
  if (scaleIn !== undefined && scaleOut !== undefined && scaleIn >= scaleOut) {
    problems.push({
      path: [...path, "autoscale", "cpuScaleInPercent"],
      message: `is ${scaleIn}%, not below cpuScaleOutPercent ${scaleOut}%: the scale-in threshold must be below the scale-out threshold, or autoscale flaps between them`,
    });
  }
  return problems;
}

function deploymentProblems(raw: RawRecord, endpointPath: Path, name: string, deployment: RawRecord): ConfigProblem[] {
  const path = [...endpointPath, "deployments", name];
  return [
    ...vmSizeProblems([...path, "instanceType"], deployment.instanceType, "managedOnlineEndpoint"),
    ...undeclaredAssetKeyProblems(raw, [...path, "model"], deployment.model, "models"),
    ...undeclaredAssetKeyProblems(raw, [...path, "environment"], deployment.environment, "environments"),
    ...probeProblems([...path, "livenessProbe"], deployment.livenessProbe),
    ...probeProblems([...path, "readinessProbe"], deployment.readinessProbe),
    ...autoscaleProblems(path, deployment),
  ];
}

/** The valid percentages of a traffic map; undefined when any value is invalid (the schema reports it). */
function percentages(map: RawRecord, valueSchema: z.ZodType<number>): Map<string, number> | undefined {
  const result = new Map<string, number>();
  for (const [name, value] of Object.entries(map)) {
    const parsed = parseWith(valueSchema, value);
    if (parsed === undefined) return undefined;
    result.set(name, parsed);
  }
  return result;
}

function unknownDeploymentProblems(path: Path, map: RawRecord, deployments: readonly string[]): ConfigProblem[] {
  const accepted =
    deployments.length > 0
      ? `accepted: ${list(deployments)}`
      : "this endpoint has no deployments yet (add one under deployments)";
  return Object.keys(map)
    .filter((name) => !deployments.includes(name))
    .map((name) => ({ path: [...path, name], message: `names no deployment of this endpoint; ${accepted}` }));
}

function trafficProblems(path: Path, endpoint: RawRecord, deployments: readonly string[]): ConfigProblem[] {
  const traffic = isRecord(endpoint.traffic) ? endpoint.traffic : {};
  const problems = unknownDeploymentProblems([...path, "traffic"], traffic, deployments);
  const shares = percentages(traffic, endpointSchema.shape.traffic.unwrap().valueType);
  const total = shares ? [...shares.values()].reduce((sum, share) => sum + share, 0) : undefined;
  if (total !== undefined && total !== 0 && total !== 100) {
    problems.push({
      path: [...path, "traffic"],
      message: `sums to ${total}%; the live traffic shares must sum to 100, or to 0 while no deployment takes traffic yet`,
    });
  }
  return problems;
}

/**
 * Azure's mirroring limits (safe rollout docs): traffic is mirrored to only one deployment, at
 * most 50% of it, and a deployment receives either live or mirrored traffic, never both.
 */
function mirrorProblems(path: Path, endpoint: RawRecord, deployments: readonly string[]): ConfigProblem[] {
  const mirror = isRecord(endpoint.mirrorTraffic) ? endpoint.mirrorTraffic : {};
  const mirrorPath = [...path, "mirrorTraffic"];
  const problems = unknownDeploymentProblems(mirrorPath, mirror, deployments);
  const mirrored = percentages(mirror, endpointSchema.shape.mirrorTraffic.unwrap().valueType);
  if (!mirrored) return problems;
  const targets = [...mirrored.entries()].filter(([, share]) => share > 0);
  const total = targets.reduce((sum, [, share]) => sum + share, 0);
  if (targets.length > 1) {
    const over = total > 50 ? ` and ${total}% in total, above the 50% at most` : "";
    problems.push({
      path: mirrorPath,
      message: `mirrors to ${targets.length} deployments (${list(targets.map(([name]) => name))})${over}; accepted: one deployment, at most 50% of live traffic`,
    });
  }
  const traffic = isRecord(endpoint.traffic) ? endpoint.traffic : {};
  for (const [name] of targets) {
    const live = traffic[name];
    if (typeof live === "number" && live > 0) {
      problems.push({
        path: [...mirrorPath, name],
        message: `mirrors to ${name}, which takes ${live}% of live traffic; a deployment receives live or mirrored traffic, not both: mirror to a deployment whose traffic is 0`,
      });
    }
  }
  return problems;
}

function endpointProblems(raw: RawRecord, name: string, endpoint: RawRecord): ConfigProblem[] {
  const path = ["endpoints", name];
  const deployments = isRecord(endpoint.deployments) ? Object.keys(endpoint.deployments) : [];
  return [
    ...authProblems(path, endpoint),
    ...objectEntries(endpoint.deployments).flatMap(([deployment, spec]) =>
      deploymentProblems(raw, path, deployment, spec),
    ),
    ...trafficProblems(path, endpoint, deployments),
    ...mirrorProblems(path, endpoint, deployments),
  ];
}

function endpointRules(raw: RawRecord): ConfigProblem[] {
  return objectEntries(raw.endpoints).flatMap(([name, endpoint]) => endpointProblems(raw, name, endpoint));
}

// ---------------------------------------------------------------------------------------------
// Alerts
// ---------------------------------------------------------------------------------------------

/** Receiver names identify receivers within one action group: each must be unique across both lists. */
function alertRules(raw: RawRecord): ConfigProblem[] {
  const alerts = recordAt(raw, "alerts") ?? {};
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const list of Object.keys(alertsSchema.shape)) {
    const receivers = alerts[list];
    if (!Array.isArray(receivers)) continue;
    receivers.forEach((receiver: unknown, index) => {
      const name = isRecord(receiver) ? receiver.name : undefined;
      if (typeof name !== "string") return;
      const normalised = name.toLowerCase();
      if (seen.has(normalised))
        problems.push({
          path: ["alerts", list, index, "name"],
          message: `repeats the receiver name ${name}; every receiver of the action group (email and webhook) needs its own name`,
        });
      seen.add(normalised);
    });
  }
  return problems;
}

/** Every rule of the `endpoints` and `alerts` sections. */
export const ENDPOINT_RULES: readonly ConfigRule[] = [endpointRules, alertRules];
