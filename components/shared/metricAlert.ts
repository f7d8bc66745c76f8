import * as monitor from "@pulumi/azure-native/monitor";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";

/** One static-threshold condition on a metric: fires when the aggregate is greater than `threshold`. */
export interface StaticCriterion {
  /** Required. Name of the condition inside the rule. */
  name: string;
  /** Required. The metric, as Azure Monitor names it (e.g. `RequestLatency_P95`, `Failed Runs`). */
  metricName: string;
  /** Required. The resource type the metric belongs to. */
  metricNamespace: string;
  /** Required. The value the aggregate must exceed. */
  threshold: number;
  /** Optional. How values in the window are combined. Default: `Average`. */
  timeAggregation?: monitor.AggregationTypeEnum;
  /** Optional. Dimension filters (e.g. a status code class or an experiment name). Default: none. */
  dimensions?: azureInputs.monitor.MetricDimensionArgs[];
}

/** What a single-resource metric alert needs. */
export interface MetricAlertSpec {
  /** Required. The rule's Azure name. */
  ruleName: string;
  /** Required. Resource group of the rule. */
  resourceGroupName: pulumi.Input<string>;
  /** Optional. Tags of the rule. Default: none. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Required. What firing means and what to do. */
  description: string;
  /** Required. 0 (critical) to 4 (verbose). */
  severity: number;
  /** Required. Resource id the metric is read from. */
  scope: pulumi.Input<string>;
  /** Required. The condition. */
  criterion: StaticCriterion;
  /** Required. Action group notified when the rule fires. */
  actionGroupId: pulumi.Input<string>;
  /** Optional. Period the aggregate covers. Default: `PT5M`. */
  windowSize?: string;
  /** Optional. How often the rule is evaluated. Default: `PT1M`. */
  evaluationFrequency?: string;
}

/** An enabled, auto-resolving metric alert on one resource with one static condition, notifying one action group. */
export function metricAlert(
  name: string,
  spec: MetricAlertSpec,
  opts: pulumi.CustomResourceOptions,
): monitor.MetricAlert {
  const { timeAggregation = monitor.AggregationTypeEnum.Average, ...criterion } = spec.criterion;
  return new monitor.MetricAlert(
    name,
    {
      ruleName: spec.ruleName,
      resourceGroupName: spec.resourceGroupName,
      location: "global",
      tags: spec.tags,
      description: spec.description,
      severity: spec.severity,
      enabled: true,
      autoMitigate: true,
      scopes: [spec.scope],
      evaluationFrequency: spec.evaluationFrequency ?? "PT1M",
      windowSize: spec.windowSize ?? "PT5M",
      criteria: {
        odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
        allOf: [
          {
            criterionType: "StaticThresholdCriterion",
            operator: monitor.Operator.GreaterThan,
            timeAggregation,
            ...criterion,
          },
        ],
      },
      actions: [{ actionGroupId: spec.actionGroupId }],
    },
    opts,
  );
}
