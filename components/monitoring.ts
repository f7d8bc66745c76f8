import * as insights from "@pulumi/azure-native/applicationinsights";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as pulumi from "@pulumi/pulumi";
import { addDeleteLock } from "./shared/lock";
import { PlacementArgs, ProtectionArgs, PublicNetworkAccess } from "./shared/interfaces";

/** Log Analytics retention limits for the PerGB2018 tier, in days. */
export const MIN_RETENTION_DAYS = 30;
export const MAX_RETENTION_DAYS = 730;

export interface MonitoringArgs extends PlacementArgs, ProtectionArgs {
  /**
   * Required. Log Analytics workspace name. Log Analytics workspaces soft-delete and hold
   * their name, so the caller adds a random suffix.
   */
  logAnalyticsName: pulumi.Input<string>;
  /** Required. Application Insights component name, with the caller's random suffix. */
  applicationInsightsName: pulumi.Input<string>;
  /** Required. Log Analytics retention in days, 30 to 730. */
  retentionDays: number;
  /** Optional. Daily ingestion cap in GB; ingestion stops for the day once reached. Default: no cap. */
  dailyQuotaGb?: number;
  /**
   * Optional. Public network access for ingestion and query (`publicNetworkAccessForIngestion`
   * and `publicNetworkAccessForQuery`), on both Log Analytics and Application Insights. Default:
   * `"Disabled"`: only clients that come through an Azure Monitor Private Link Scope (AMPLS) private
   * endpoint ingest or query, so put both resources in a `MonitorPrivateLinkScope` with a private
   * endpoint in the VNet. Diagnostic settings keep delivering either way: they reach Log Analytics
   * over a Microsoft channel that these settings do not control (Microsoft, "Design Azure Monitor
   * Private Link configuration", Control network access to AMPLS resources). `"Enabled"` is the
   * choice without an AMPLS, when people query from the portal or telemetry is sent over the
   * network from an Azure ML managed network (job code, deployments with `appInsightsEnabled`),
   * which cannot reach an AMPLS. Local (key-based) authentication is disabled either way, so
   * public access still needs Entra ID.
   */
  publicNetworkAccess?: PublicNetworkAccess;
}

/** Check the numeric args; the config schema enforces the same ranges earlier. */
export function validateMonitoringArgs(args: Pick<MonitoringArgs, "retentionDays" | "dailyQuotaGb">): string[] {
  const problems: string[] = [];
  if (
    !Number.isInteger(args.retentionDays) ||
    args.retentionDays < MIN_RETENTION_DAYS ||
    args.retentionDays > MAX_RETENTION_DAYS
  ) {
    problems.push(
      `retentionDays = ${args.retentionDays}: must be a whole number from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS}`,
    );
  }
  if (args.dailyQuotaGb !== undefined && !(args.dailyQuotaGb > 0)) {
    problems.push(`dailyQuotaGb = ${args.dailyQuotaGb}: must be a positive number of GB, or omitted for no cap`);
  }
  return problems;
}

/**
 * Log Analytics plus a workspace-based Application Insights component, both with local
 * (key-based) authentication disabled. Log Analytics holds the data, so it carries the lock
 * and `protect`; Application Insights stores nothing of its own.
 */
export class Monitoring extends pulumi.ComponentResource {
  public readonly logAnalytics: operationalinsights.Workspace;
  public readonly applicationInsights: insights.Component;
  public readonly logAnalyticsWorkspaceId: pulumi.Output<string>;
  public readonly applicationInsightsId: pulumi.Output<string>;
  public readonly applicationInsightsConnectionString: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    // Type token of the component package; the alias keeps stacks created under the old token (an update, not a replacement).
    super(
      "secure-azureml:index:Monitoring",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:monitoring:Monitoring" }] }),
    );
    const problems = validateMonitoringArgs(args);
    if (problems.length > 0) throw new pulumi.ResourceError(`monitoring ${name}: ${problems.join("; ")}`, this);
    const publicNetworkAccess = args.publicNetworkAccess ?? "Disabled";

    this.logAnalytics = new operationalinsights.Workspace(
      `${name}-log`,
      {
        workspaceName: args.logAnalyticsName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        sku: { name: operationalinsights.WorkspaceSkuNameEnum.PerGB2018 },
        retentionInDays: args.retentionDays,
        features: { disableLocalAuth: true, enableLogAccessUsingOnlyResourcePermissions: true },
        workspaceCapping: args.dailyQuotaGb === undefined ? undefined : { dailyQuotaGb: args.dailyQuotaGb },
        publicNetworkAccessForIngestion: publicNetworkAccess,
        publicNetworkAccessForQuery: publicNetworkAccess,
      },
      { parent: this, protect: args.protect === true },
    );
    if (args.lock) addDeleteLock(`${name}-log`, this.logAnalytics.id, this);

    this.applicationInsights = new insights.Component(
      `${name}-appi`,
      {
        resourceName: args.applicationInsightsName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        kind: "web",
        applicationType: insights.ApplicationType.Web,
        workspaceResourceId: this.logAnalytics.id,
        ingestionMode: insights.IngestionMode.LogAnalytics,
        disableLocalAuth: true,
        disableIpMasking: false,
        publicNetworkAccessForIngestion: publicNetworkAccess,
        publicNetworkAccessForQuery: publicNetworkAccess,
      },
      { parent: this },
    );

    this.logAnalyticsWorkspaceId = this.logAnalytics.id;
    this.applicationInsightsId = this.applicationInsights.id;
    this.applicationInsightsConnectionString = this.applicationInsights.connectionString;
    this.registerOutputs({
      logAnalyticsWorkspaceId: this.logAnalyticsWorkspaceId,
      applicationInsightsId: this.applicationInsightsId,
      applicationInsightsConnectionString: this.applicationInsightsConnectionString,
    });
  }
}
