import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";

/** Which logs and metrics a resource type supports sending. */
export interface DiagnosticCategories {
  /** `allLogs` or `audit` category group, or no logs when the resource has none (e.g. a storage account itself). */
  logs?: "allLogs" | "audit";
  /** Send `AllMetrics`. Some resources (NSGs) have no metrics. */
  metrics: boolean;
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
      metrics: categories.metrics ? [{ category: "AllMetrics", enabled: true }] : [],
    },
    { parent },
  );
}
