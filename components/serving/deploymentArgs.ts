import * as pulumi from "@pulumi/pulumi";

/**
 * The plain, documented settings of online deployments that the public serving components take
 * (`ManagedOnlineEndpoint`, `EndpointMonitoring`), shaped so the program's validated config
 * (`endpoints.<key>.deployments.<key>`) can be passed as is. Every field is something the
 * component package schema can describe: numbers, strings, named sub-objects and string maps.
 */

/** Health probe timings of an online deployment, in seconds (sent as ISO 8601 durations). */
export interface ProbeSettingsArgs {
  /** Required. Seconds after the container starts before the first probe. */
  initialDelaySeconds: number;
  /** Required. Seconds between probes. */
  periodSeconds: number;
  /** Required. Seconds a probe waits for an answer. */
  timeoutSeconds: number;
  /** Required. Failed probes in a row before the container is unhealthy. */
  failureThreshold: number;
  /** Required. Successful probes in a row before the container is healthy again. */
  successThreshold: number;
}

/** Request limits of an online deployment. */
export interface RequestSettingsArgs {
  /** Required. Scoring request timeout in milliseconds (sent as an ISO 8601 duration). */
  requestTimeoutMs: number;
  /** Required. Requests one instance handles at once. */
  maxConcurrentRequestsPerInstance: number;
}

/** Autoscale of an online deployment on its CPU (and optionally p95 latency) metrics. */
export interface AutoscaleArgs {
  /** Required. Fewest instances autoscale keeps. */
  minInstances: number;
  /** Required. Most instances autoscale adds. */
  maxInstances: number;
  /** Required. Average CPU percentage over 5 minutes above which one instance is added. */
  cpuScaleOutPercent: number;
  /** Required. Average CPU percentage over 5 minutes below which one instance is removed. */
  cpuScaleInPercent: number;
  /** Optional. p95 request latency in milliseconds above which one instance is added. Default: no latency rule. */
  latencyScaleOutMs?: number;
}

/** The scoring code of a deployment: a code asset version and the script inside it. */
export interface CodeConfigurationArgs {
  /** Required. Code asset version: `azureml:<name>:<version>` or its resource id. */
  codeId: string;
  /** Required. Path of the scoring script inside the code asset (e.g. `score.py`). */
  scoringScript: string;
}

/** One managed online deployment; its key in `deployments` is its Azure name. */
export interface OnlineDeploymentArgs {
  /** Required. VM size of the instances (e.g. `Standard_DS3_v2`). */
  instanceType: string;
  /** Required. Instances to run (the starting count when `autoscale` is set). */
  instanceCount: number;
  /**
   * Required. The model: a key of `assets.models`, or `azureml:<name>:<version>`, a registry model
   * URI (`azureml://registries/...`) or a model version resource id.
   */
  model: string;
  /** Required. The environment: a key of `assets.environments`, or `azureml:<name>:<version>`, a registry environment URI or an environment version resource id. */
  environment: string;
  /** Optional. The scoring code. Default: none (an MLflow model, scored by Azure ML). */
  code?: CodeConfigurationArgs;
  /** Required. Liveness probe timings. */
  livenessProbe: ProbeSettingsArgs;
  /** Required. Readiness probe timings. */
  readinessProbe: ProbeSettingsArgs;
  /** Required. Request timeout and concurrency. */
  requestSettings: RequestSettingsArgs;
  /** Optional. Autoscale (applied by `EndpointMonitoring`). Default: a fixed `instanceCount`. */
  autoscale?: AutoscaleArgs;
}

/**
 * The stack's declared assets, which asset keys in deployments resolve through (the plain form of
 * `DeclaredAssets`).
 */
export interface AssetReferencesArgs {
  /** Required. Model references by `assets.models` key: `azureml:<name>:<version>` or a registry model URI. */
  models: Record<string, string>;
  /** Required. Ids of the environment versions the stack creates, by `assets.environments` key. */
  environments: Record<string, pulumi.Input<string>>;
}

/**
 * The explicit dependencies of a component's options as a list, so its children can wait for them
 * too (Pulumi does not pass a component's `dependsOn` on to its children).
 */
export function dependencyList(dependsOn: pulumi.ResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
  if (dependsOn === undefined) return [];
  return Array.isArray(dependsOn) ? dependsOn : [dependsOn as pulumi.Input<pulumi.Resource>];
}
