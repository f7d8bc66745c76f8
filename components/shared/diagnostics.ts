import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";

/** Which logs and metrics a resource type supports sending. */
export interface DiagnosticCategories {
  /** `allLogs` or `audit` category group, or no logs when the resource has none (e.g. a storage account itself). */
  logs?: "allLogs" | "audit";
  /**
   * `true` sends `AllMetrics`; `false` sends none (NSGs have no metrics); a list sends exactly
   * those metric categories, for resource types that do not offer `AllMetrics` (a storage
   * account and its blob/file services export the `Transaction` category).
   */
  metrics: boolean | readonly string[];
}

function metricSettings(metrics: DiagnosticCategories["metrics"]): { category: string; enabled: boolean }[] {
  if (metrics === true) return [{ category: "AllMetrics", enabled: true }];
  if (metrics === false) return [];
  return metrics.map((category) => ({ category, enabled: true }));
}

/** Send a resource's logs and metrics to Log Analytics, in resource-specific tables. */
export function addDiagnosticSetting(
  name: string,
  resourceUri: pulumi.Input<string>,
  logAnalyticsWorkspaceId: pulumi.Input<string>,
  categories: DiagnosticCategories,
  parent: pulumi.Resource,
): monitor.DiagnosticSetting {
  return new monitor.DiagnosticSetting(
    `${name}-diag`,
    {
      name: "to-log-analytics",
      resourceUri,
      workspaceId: logAnalyticsWorkspaceId,
      logAnalyticsDestinationType: "Dedicated",
      logs: categories.logs ? [{ categoryGroup: categories.logs, enabled: true }] : [],
      metrics: metricSettings(categories.metrics),
    },
    { parent },
  );
}
