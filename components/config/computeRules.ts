import { z } from "zod";
import { undeclaredAssetKeyProblems } from "./assetKeys";
import { VM_SIZES, VmSizeUse, findVmSize, isGpuSize, nearestVmSizes, vmSizesFor } from "secure-azureml-facts";
import { alertsSchema, autoscaleSchema, clusterSchema, deploymentSchema, endpointSchema, probeSchema } from "./computeSchema";
import type { ConfigProblem } from "./rules";
import { keyVaultWarnings } from "./keyVaultRules";
import { sharesFromWorkspace } from "./mlopsRegistryRules";
import { monitorEngine } from "./mlopsServingSchema";
import { StackConfig } from "./schema";
import { RawRecord, isRecord, recordAt } from "./raw";
import { retirementWarnings } from "./retirementRules";

/*
 * Cross-field rules for `compute`, `endpoints` and `alerts`. Like the rules in `rules.ts`, each
 * reads the raw config and parses only the fields it needs, skipping a field that is itself
 * invalid (the schema reports that one), so every problem surfaces in one run. No rule throws.
 */

type Path = readonly (string | number)[];

/** The reserved key of the image-build cluster: its logical name is `<component>-image-builder`, so no cluster may use this key (its compute name is `imageBuilderComputeName`). */
export const IMAGE_BUILDER_COMPUTE_NAME = "image-builder";

/** The entries of a raw map whose values are objects (others are left to the schema). */
function objectEntries(value: unknown): [string, RawRecord][] {
  return isRecord(value) ? Object.entries(value).filter((entry): entry is [string, RawRecord] => isRecord(entry[1])) : [];
}

/** Parse one value with a schema (defaults applied); undefined when invalid (the schema reports it). */
function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.output<T> | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

function list(names: readonly string[]): string {
  return names.join(", ");
}

// ---------------------------------------------------------------------------------------------
// VM sizes
// ---------------------------------------------------------------------------------------------

const USE_LABEL: Record<VmSizeUse, string> = {
  computeCluster: "Azure ML compute clusters and instances",
  managedOnlineEndpoint: "managed online endpoints",
};

const NOT_SUPPORTED_BECAUSE: Record<VmSizeUse, string> = {
  computeCluster: "not a VM series Azure ML supports for compute clusters and instances",
  managedOnlineEndpoint: "not in Microsoft's managed online endpoints SKU list",
};

const WHERE_LISTED = 'every accepted size is listed in docs/configuration.md, "VM sizes"';

/** Problems with one VM size for one use: unknown, retired, or not supported for the use. */
function vmSizeProblems(path: Path, value: unknown, use: VmSizeUse): ConfigProblem[] {
  if (typeof value !== "string" || value.trim() === "") return [];
  const nearest = list(nearestVmSizes(value, use));
  const entry = findVmSize(value);
  if (!entry) {
    return [{ path, message: `${value} is not a VM size this project knows; nearest valid choices for ${USE_LABEL[use]}: ${nearest} (${WHERE_LISTED})` }];
  }
  const { name, spec } = entry;
  if (spec.retired) {
    return [
      {
        path,
        message: `${name} was retired by Azure on ${spec.retired.on} and can no longer be deployed; use ${spec.retired.replacement} (Microsoft's replacement); nearest valid choices: ${nearest}`,
      },
    ];
  }
  if (!spec[use]) {
    return [{ path, message: `${name} is not supported for ${USE_LABEL[use]} (${NOT_SUPPORTED_BECAUSE[use]}); nearest valid choices: ${nearest}` }];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Compute: clusters, instances, image builder
// ---------------------------------------------------------------------------------------------

function infiniBandProblems(path: Path, vmSize: unknown, maxNodes: number | undefined): ConfigProblem[] {
  const entry = typeof vmSize === "string" ? findVmSize(vmSize) : undefined;
  if (!entry?.spec.infiniBand || maxNodes !== 1) return [];
  const singleNode = list(nearestVmSizes(entry.name, "computeCluster", 3, (spec) => isGpuSize(spec) && !spec.infiniBand));
  return [
    {
      path,
      message: `${entry.name} is an InfiniBand size for multi-node training, but maxNodes is 1, so the interconnect you pay for is never used: raise maxNodes to 2 or more, or pick a single-node GPU size: ${singleNode}`,
    },
  ];
}

function clusterProblems(key: string, cluster: RawRecord): ConfigProblem[] {
  const path = ["compute", "clusters", key];
  const shape = clusterSchema.shape;
  const minNodes = parseWith(shape.minNodes, cluster.minNodes);
  const maxNodes = parseWith(shape.maxNodes, cluster.maxNodes);
  const problems = [...vmSizeProblems([...path, "vmSize"], cluster.vmSize, "computeCluster"), ...infiniBandProblems([...path, "vmSize"], cluster.vmSize, maxNodes)];
  if (minNodes !== undefined && maxNodes !== undefined && minNodes > maxNodes) {
    problems.push({ path: [...path, "minNodes"], message: `is ${minNodes}, above maxNodes ${maxNodes}; minNodes must be at most maxNodes (0 lets the cluster scale to zero when idle)` });
  }
  return problems;
}

function instanceProblems(key: string, instance: RawRecord): ConfigProblem[] {
  return vmSizeProblems(["compute", "instances", key, "vmSize"], instance.vmSize, "computeCluster");
}

/** Image builds run `docker build` on CPU: a GPU size only costs more. */
function imageBuilderProblems(raw: RawRecord): ConfigProblem[] {
  const vmSize = recordAt(raw, "compute", "imageBuilder")?.vmSize;
  const path = ["compute", "imageBuilder", "vmSize"];
  const problems = vmSizeProblems(path, vmSize, "computeCluster");
  const entry = typeof vmSize === "string" ? findVmSize(vmSize) : undefined;
  if (problems.length === 0 && entry && isGpuSize(entry.spec)) {
    const cpuSizes = vmSizesFor("computeCluster").filter((name) => !isGpuSize(VM_SIZES[name]));
    problems.push({ path, message: `${entry.name} is a GPU size, but environment images are built on CPU; accepted: a CPU size: ${list(cpuSizes)}` });
  }
  return problems;
}

/** Clusters, instances and the image builder share the workspace's compute namespace. */
function computeNameProblems(raw: RawRecord): ConfigProblem[] {
  const clusters = recordAt(raw, "compute", "clusters") ?? {};
  const instances = recordAt(raw, "compute", "instances") ?? {};
  const problems: ConfigProblem[] = [];
  for (const [section, keys] of [
    ["clusters", Object.keys(clusters)],
    ["instances", Object.keys(instances)],
  ] as const) {
    for (const key of keys) {
      if (key === IMAGE_BUILDER_COMPUTE_NAME) {
        problems.push({ path: ["compute", section, key], message: `is reserved for the image-build cluster (configure it under compute.imageBuilder); pick another name` });
      } else if (section === "instances" && key in clusters) {
        problems.push({
          path: ["compute", section, key],
          message: `is also the name of a cluster (compute.clusters.${key}); clusters and instances share the workspace's compute names: every name must be unique`,
        });
      }
    }
  }
  return problems;
}

function computeRules(raw: RawRecord): ConfigProblem[] {
  const compute = recordAt(raw, "compute");
  return [
    ...objectEntries(compute?.clusters).flatMap(([key, cluster]) => clusterProblems(key, cluster)),
    ...objectEntries(compute?.instances).flatMap(([key, instance]) => instanceProblems(key, instance)),
    ...imageBuilderProblems(raw),
    ...computeNameProblems(raw),
  ];
}

// ---------------------------------------------------------------------------------------------
// Endpoints: auth, deployments, traffic
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
      problems.push({ path: [...path, "autoscale", "minInstances"], message: `is ${min}, above autoscale.maxInstances ${max}; minInstances must be at most maxInstances` });
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
  const accepted = deployments.length > 0 ? `accepted: ${list(deployments)}` : "this endpoint has no deployments yet (add one under deployments)";
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
    problems.push({ path: [...path, "traffic"], message: `sums to ${total}%; the live traffic shares must sum to 100, or to 0 while no deployment takes traffic yet` });
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
    problems.push({ path: mirrorPath, message: `mirrors to ${targets.length} deployments (${list(targets.map(([name]) => name))})${over}; accepted: one deployment, at most 50% of live traffic` });
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
    ...objectEntries(endpoint.deployments).flatMap(([deployment, spec]) => deploymentProblems(raw, path, deployment, spec)),
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
        problems.push({ path: ["alerts", list, index, "name"], message: `repeats the receiver name ${name}; every receiver of the action group (email and webhook) needs its own name` });
      seen.add(normalised);
    });
  }
  return problems;
}

/** Every rule for compute, endpoints and alerts; `rules.ts` runs them with the others. */
export const COMPUTE_RULES: readonly ((raw: RawRecord) => ConfigProblem[])[] = [computeRules, endpointRules, alertRules];

// ---------------------------------------------------------------------------------------------
// Warnings: accepted settings the program should point out
// ---------------------------------------------------------------------------------------------

/** A setting that is valid but weakens the defaults, to be logged when the program runs. */
export interface ConfigWarning {
  /** Fully qualified key, e.g. `secure-azureml:endpoints.scoring.authMode`. */
  readonly key: string;
  readonly message: string;
}

/** Warnings about a validated configuration (`project` is the config namespace; `now` the day retirements are judged on). */
export function configWarnings(config: StackConfig, project = "secure-azureml", now: Date = new Date()): ConfigWarning[] {
  const at = (path: string, message: string): ConfigWarning => ({ key: `${project}:${path}`, message });
  const warnings: ConfigWarning[] = retirementWarnings(config, now).map((warning) => at(warning.path.join("."), warning.message));
  warnings.push(...keyVaultWarnings(config).map((warning) => at(warning.path.join("."), warning.message)));
  for (const [name, endpoint] of Object.entries(config.endpoints)) {
    if (endpoint.authMode === "Key") {
      warnings.push(
        at(`endpoints.${name}.authMode`, "key auth is allowed (allowKeyAuth: true): endpoint keys are long-lived shared secrets that anyone holding them can use until regenerated; prefer AADToken"),
      );
    }
  }
  for (const [name, cluster] of Object.entries(config.compute.clusters)) {
    if (cluster.minNodes > 0) {
      warnings.push(at(`compute.clusters.${name}.minNodes`, `keeps ${cluster.minNodes} node(s) of ${cluster.vmSize} running and billed while idle; 0 lets the cluster scale to zero`));
    }
  }
  const receivers = config.alerts.emailReceivers.length + config.alerts.webhookReceivers.length;
  if (Object.keys(config.endpoints).length > 0 && receivers === 0) {
    warnings.push(at("alerts", "has no receivers: endpoint alerts (latency, 5xx rate, GPU utilisation) fire into an action group nobody receives; add emailReceivers or webhookReceivers"));
  }
  if (sharesFromWorkspace(config.mlRegistry)) {
    warnings.push(
      at(
        "mlRegistry.shareFromWorkspace",
        "is true: the workspace storage account's public endpoint is on (public network access Enabled, deny by default), admitting only the ML registry instance so that az ml model share works; turn it off when nothing is shared",
      ),
    );
  }
  for (const [name, monitor] of Object.entries(config.modelMonitoring)) {
    if (monitorEngine(monitor, config.workspace.outbound.mode) !== "builtin") continue;
    warnings.push(
      at(
        `modelMonitoring.${name}.engine`,
        "is builtin: its serverless Spark jobs need the managed network provisioned for Spark once after the first deploy (`az ml workspace provision-network --include-spark`), which no resource property does",
      ),
    );
  }
  return warnings;
}
