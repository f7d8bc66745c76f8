import * as monitor from "@pulumi/azure-native/monitor";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";
import { findVmSize, isGpuSize } from "secure-azureml-facts";
import { AutoscaleArgs } from "./serving/deploymentArgs";
import { PlacementArgs } from "./shared/interfaces";
import { StaticCriterion, metricAlert } from "./shared/metricAlert";

/**
 * Azure Monitor for managed online endpoints: one action group whose receivers come from
 * config, metric alerts per endpoint (p95 latency, server errors) and per GPU deployment (GPU
 * utilisation), and an autoscale setting per deployment that asks for one.
 *
 * Metric names are those of Microsoft's supported metrics for
 * `Microsoft.MachineLearningServices/workspaces/onlineEndpoints` (RequestLatency_P95,
 * RequestsPerMinute with the `statusCodeClass` dimension) and `.../onlineEndpoints/deployments`
 * (CpuUtilizationPercentage, GpuUtilizationPercentage, RequestLatency_P95).
 */

export const ENDPOINT_METRIC_NAMESPACE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints";
export const DEPLOYMENT_METRIC_NAMESPACE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments";

/** Action group short names are at most 12 characters (they appear in SMS and e-mail). */
export const MAX_ACTION_GROUP_SHORT_NAME = 12;

/** GPU sizes per the VM size catalogue; sizes it does not know are GPU when in an N-series family. */
export function isGpuInstanceType(vmSize: string): boolean {
  const entry = findVmSize(vmSize);
  return entry ? isGpuSize(entry.spec) : /^standard_n/i.test(vmSize);
}

type ScaleRule = azureInputs.monitor.ScaleRuleArgs;
type Autoscale = AutoscaleArgs;

/** One scale rule on a deployment metric, averaged over 5 minutes of 1-minute grains. */
function scaleRule(
  deploymentId: pulumi.Input<string>,
  metricName: string,
  operator: "GreaterThan" | "LessThan",
  threshold: number,
  direction: "Increase" | "Decrease",
  cooldown: string,
): ScaleRule {
  return {
    metricTrigger: {
      metricName,
      metricNamespace: DEPLOYMENT_METRIC_NAMESPACE,
      metricResourceUri: deploymentId,
      timeGrain: "PT1M",
      statistic: monitor.MetricStatisticType.Average,
      timeWindow: "PT5M",
      timeAggregation: monitor.TimeAggregationType.Average,
      operator,
      threshold,
    },
    scaleAction: { direction, type: monitor.ScaleType.ChangeCount, value: "1", cooldown },
  };
}

/** Scale out on high CPU (and high p95 latency when configured), scale in on low CPU, one instance at a time. */
export function autoscaleRules(deploymentId: pulumi.Input<string>, autoscale: Autoscale): ScaleRule[] {
  return [
    scaleRule(
      deploymentId,
      "CpuUtilizationPercentage",
      "GreaterThan",
      autoscale.cpuScaleOutPercent,
      "Increase",
      "PT5M",
    ),
    scaleRule(deploymentId, "CpuUtilizationPercentage", "LessThan", autoscale.cpuScaleInPercent, "Decrease", "PT10M"),
    ...(autoscale.latencyScaleOutMs === undefined
      ? []
      : [
          scaleRule(deploymentId, "RequestLatency_P95", "GreaterThan", autoscale.latencyScaleOutMs, "Increase", "PT5M"),
        ]),
  ];
}

/** The instance count autoscale starts from: the configured count, kept within min and max. */
export function defaultCapacity(autoscale: Autoscale, instanceCount: number): number {
  return Math.min(autoscale.maxInstances, Math.max(autoscale.minInstances, instanceCount));
}

/** Alert thresholds of an online endpoint. */
export interface EndpointAlertThresholdsArgs {
  /** Required. p95 request latency in milliseconds above which (for 5 minutes) the latency alert fires. */
  latencyP95Ms: number;
  /** Required. Requests a minute answered with 5xx above which the server-error alert fires (0: any 5xx). */
  serverErrorsPerMinute: number;
  /** Required. GPU utilisation percentage above which (for 15 minutes) a GPU deployment's alert fires. */
  gpuUtilizationPercent: number;
}

/** An online deployment to watch. */
export interface WatchedDeploymentArgs {
  /** Required. Resource id of the online deployment (the scope of its alert and the target of its autoscale setting). */
  deploymentId: pulumi.Input<string>;
  /** Required. Its VM size: GPU sizes get a GPU utilisation alert. */
  instanceType: string;
  /** Required. Its configured instance count, the autoscale default (kept within min and max). */
  instanceCount: number;
  /** Optional. Autoscale rules and limits. Default: no autoscale setting. */
  autoscale?: AutoscaleArgs;
}

/** An online endpoint to watch, by ids. */
export interface WatchedEndpointArgs {
  /** Required. Resource id of the online endpoint (the scope of its latency and server-error alerts). */
  endpointId: pulumi.Input<string>;
  /** Required. Alert thresholds. */
  alerts: EndpointAlertThresholdsArgs;
  /** Required. Its deployments by key (the key is the deployment's Azure name). */
  deployments: Record<string, WatchedDeploymentArgs>;
}

export interface EndpointMonitoringArgs extends PlacementArgs {
  /** Required. Prefix of rule, action group and autoscale setting names (e.g. the stack's name prefix). */
  namePrefix: string;
  /** Required. Resource id of the action group every alert notifies (the platform's, see `createAlertActionGroup`). */
  actionGroupId: pulumi.Input<string>;
  /** Required. The endpoints to watch, by key (the key appears in rule and setting names). */
  endpoints: Record<string, WatchedEndpointArgs>;
}

/** The metric alerts and autoscale settings of a stack's online endpoints. */
export class EndpointMonitoring extends pulumi.ComponentResource {
  /** Metric alerts by `<endpoint>/<alert>` or `<endpoint>/<deployment>/<alert>`. */
  public readonly alerts: Record<string, monitor.MetricAlert>;
  /** Autoscale settings by `<endpoint>/<deployment>`. */
  public readonly autoscaleSettings: Record<string, monitor.AutoscaleSetting>;

  constructor(name: string, args: EndpointMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    // Type token of the component package; the alias keeps stacks created under the old token (an update, not a replacement).
    super(
      "secure-azureml:index:EndpointMonitoring",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:endpointMonitoring:EndpointMonitoring" }] }),
    );
    const endpoints = Object.entries(args.endpoints);
    const alerts: Record<string, monitor.MetricAlert> = {};
    const autoscaleSettings: Record<string, monitor.AutoscaleSetting> = {};

    for (const [key, watched] of endpoints) {
      Object.assign(alerts, this.endpointAlerts(name, key, watched, args, args.actionGroupId));
      Object.assign(autoscaleSettings, this.deploymentAutoscale(name, key, watched, args));
    }
    this.alerts = alerts;
    this.autoscaleSettings = autoscaleSettings;
    this.registerOutputs({});
  }

  private endpointAlerts(
    name: string,
    key: string,
    watched: WatchedEndpointArgs,
    args: EndpointMonitoringArgs,
    actionGroupId: pulumi.Input<string>,
  ): Record<string, monitor.MetricAlert> {
    const thresholds = watched.alerts;
    const endpointId = watched.endpointId;
    const alert = (
      suffix: string,
      scope: pulumi.Input<string>,
      description: string,
      severity: number,
      criterion: StaticCriterion,
      windowSize = "PT5M",
      evaluationFrequency = "PT1M",
    ) =>
      metricAlert(
        `${name}-${key}-${suffix}`,
        {
          ruleName: `alert-${args.namePrefix}-${key}-${suffix}`,
          resourceGroupName: args.resourceGroupName,
          tags: args.tags,
          description,
          severity,
          scope,
          criterion,
          actionGroupId,
          windowSize,
          evaluationFrequency,
        },
        { parent: this },
      );

    const result: Record<string, monitor.MetricAlert> = {
      [`${key}/latency-p95`]: alert(
        "latency-p95",
        endpointId,
        `p95 request latency of endpoint ${key} above ${thresholds.latencyP95Ms} ms for 5 minutes.`,
        2,
        {
          name: "latency-p95",
          metricName: "RequestLatency_P95",
          metricNamespace: ENDPOINT_METRIC_NAMESPACE,
          threshold: thresholds.latencyP95Ms,
        },
      ),
      // A metric alert compares one metric with a constant, so the threshold is 5xx answers per
      // minute (a percentage would need the endpoint's traffic logs and a log query alert).
      [`${key}/server-errors`]: alert(
        "server-errors",
        endpointId,
        `Endpoint ${key} answered more than ${thresholds.serverErrorsPerMinute} requests a minute with 5xx status codes in the last 5 minutes.`,
        1,
        {
          name: "server-errors",
          metricName: "RequestsPerMinute",
          metricNamespace: ENDPOINT_METRIC_NAMESPACE,
          threshold: thresholds.serverErrorsPerMinute,
          dimensions: [{ name: "statusCodeClass", operator: "Include", values: ["5xx"] }],
        },
      ),
    };
    for (const [deploymentKey, deployment] of Object.entries(watched.deployments)) {
      if (!isGpuInstanceType(deployment.instanceType)) continue;
      result[`${key}/${deploymentKey}/gpu-utilization`] = alert(
        `${deploymentKey}-gpu-utilization`,
        deployment.deploymentId,
        `GPU utilisation of deployment ${key}/${deploymentKey} above ${thresholds.gpuUtilizationPercent}% for 15 minutes: add instances or a larger GPU size.`,
        3,
        {
          name: "gpu-utilization",
          metricName: "GpuUtilizationPercentage",
          metricNamespace: DEPLOYMENT_METRIC_NAMESPACE,
          threshold: thresholds.gpuUtilizationPercent,
        },
        "PT15M",
        "PT5M",
      );
    }
    return result;
  }

  private deploymentAutoscale(
    name: string,
    key: string,
    watched: WatchedEndpointArgs,
    args: EndpointMonitoringArgs,
  ): Record<string, monitor.AutoscaleSetting> {
    const result: Record<string, monitor.AutoscaleSetting> = {};
    for (const [deploymentKey, deployment] of Object.entries(watched.deployments)) {
      const autoscale = deployment.autoscale;
      if (!autoscale) continue;
      const deploymentId = deployment.deploymentId;
      const settingName = `autoscale-${args.namePrefix}-${key}-${deploymentKey}`;
      result[`${key}/${deploymentKey}`] = new monitor.AutoscaleSetting(
        `${name}-${key}-${deploymentKey}-autoscale`,
        {
          autoscaleSettingName: settingName,
          name: settingName,
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          tags: args.tags,
          enabled: true,
          targetResourceUri: deploymentId,
          targetResourceLocation: args.location,
          profiles: [
            {
              name: "default",
              capacity: {
                minimum: String(autoscale.minInstances),
                maximum: String(autoscale.maxInstances),
                default: String(defaultCapacity(autoscale, deployment.instanceCount)),
              },
              rules: autoscaleRules(deploymentId, autoscale),
            },
          ],
        },
        { parent: this },
      );
    }
    return result;
  }
}
