import { ReportViolation } from "@pulumi/policy";
import { ADVISORY, BaselineResourcePolicy, MANDATORY } from "../support/baseline";
import { TYPES, forType, isNonEmptyString, isTrue, shown } from "../support/ml";
import { sameText, valueAt } from "../support/props";

/**
 * Application Insights (`azure-native:applicationinsights:Component`) and Log Analytics
 * (`azure-native:operationalinsights:Workspace`) rules. Both are flattened: `disableLocalAuth`,
 * `workspaceResourceId`, `retentionInDays` sit at the top; Log Analytics keeps local auth under
 * `features.disableLocalAuth`.
 */

interface RetentionConfig {
  minimumRetentionDays: number;
}

const retentionSchema = {
  properties: {
    minimumRetentionDays: {
      type: "integer" as const,
      minimum: 1,
      maximum: 4383,
      default: 30,
      description:
        "Fewest days logs must be kept (Log Analytics accepts 30 to 730 on PerGB2018; 30 is the service default).",
    },
  },
};

/** Log Analytics retention when none is set: 7 days on the legacy Free tier, 30 days otherwise. */
function defaultLogAnalyticsRetention(sku: unknown): number {
  return sameText(sku, "Free") ? 7 : 30;
}

/**
 * Why blocking public ingestion and query is advisory by default, and when it is raised. Disabled
 * public access needs an Azure Monitor Private Link Scope whose private endpoint serves every
 * sender and reader (Microsoft, "Use Azure Private Link to connect networks to Azure Monitor").
 * An Azure ML managed network cannot reach one: Microsoft's list of private endpoint targets of
 * managed network outbound rules has no Azure Monitor ("Workspace managed virtual network
 * isolation", Private endpoints), so telemetry sent over the network from jobs or deployments is
 * refused. Diagnostic settings are not affected ("Design Azure Monitor Private Link
 * configuration", Control network access to AMPLS resources). A stack that sends only diagnostic
 * settings and metrics, and has a scope, raises these rules to mandatory in its policy config
 * (policy-config.prod.json does; the program's `monitoring.privateLinkScope`).
 */
const PRIVATE_LINK_REASON =
  'Advisory by default: it needs an Azure Monitor Private Link Scope, which an Azure ML managed network cannot reach (Microsoft, "Workspace managed virtual network isolation": no Azure Monitor among its private endpoint targets), so only stacks whose telemetry arrives by diagnostic settings and metrics can close it; in a stack with a scope, the mandatory stack rule stack-monitor-private-link-only requires it by itself, and policy-config.prod.json also raises this rule. Local auth off already requires Entra ID.';

/** Reports each public network access property that is not Disabled (absent means Enabled). */
function requirePrivateAccess(props: Record<string, unknown>, report: ReportViolation, what: string): void {
  for (const [property, purpose] of [
    ["publicNetworkAccessForIngestion", "ingestion"],
    ["publicNetworkAccessForQuery", "query"],
  ] as const) {
    const value = props[property];
    if (sameText(value, "Disabled")) continue;
    report(
      `${property} is ${value === undefined ? "not set (Azure defaults to Enabled)" : shown(value)}: ${what} ${purpose} is open to public networks; set it to "Disabled" once an Azure Monitor Private Link Scope serves it.`,
    );
  }
}

export const monitoringPolicies: BaselineResourcePolicy[] = [
  {
    name: "monitoring-appinsights-local-auth-disabled",
    description:
      "Application Insights components must refuse instrumentation-key-only ingestion (disableLocalAuth true); an absent value is treated as false, the service default.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Set `disableLocalAuth: true` on the azure-native:applicationinsights:Component and give senders Monitoring Metrics Publisher.",
    validateResource: forType(TYPES.appInsights, (args, report) => {
      const value: unknown = args.props.disableLocalAuth;
      if (isTrue(value)) return;
      report(
        `disableLocalAuth is ${value === undefined ? "not set (Azure defaults to false)" : shown(value)}: anyone holding the connection string can send telemetry; set it to true so ingestion needs Microsoft Entra ID.`,
      );
    }),
  },
  {
    name: "monitoring-appinsights-workspace-based",
    description:
      "Application Insights components must be workspace-based (workspaceResourceId set and ingestionMode LogAnalytics); an absent ingestionMode is compliant because the SDK and the API default it to LogAnalytics, an absent workspaceResourceId is a violation.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Set `workspaceResourceId: <Log Analytics workspace id>` and `ingestionMode: "LogAnalytics"` on the azure-native:applicationinsights:Component.',
    validateResource: forType(TYPES.appInsights, (args, report) => {
      const workspace: unknown = args.props.workspaceResourceId;
      if (!isNonEmptyString(workspace)) {
        report(
          `workspaceResourceId is ${shown(workspace)}: the component is classic (its data is outside Log Analytics retention, access control and diagnostics); set it to a Log Analytics workspace id.`,
        );
      }
      const mode: unknown = args.props.ingestionMode;
      if (mode === undefined || sameText(mode, "LogAnalytics")) return;
      report(
        `ingestionMode is ${shown(mode)}: telemetry is not stored in the Log Analytics workspace; set it to "LogAnalytics".`,
      );
    }),
  },
  {
    name: "monitoring-appinsights-retention-minimum",
    description:
      "Application Insights components that set retentionInDays must keep at least config minimumRetentionDays (default 30); an absent value is compliant (90 days by default, and workspace-based data follows the Log Analytics retention).",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      "Set `retentionInDays` on the azure-native:applicationinsights:Component to at least the minimum, or remove it.",
    configSchema: retentionSchema,
    validateResource: forType(TYPES.appInsights, (args, report) => {
      const value: unknown = args.props.retentionInDays;
      if (value === undefined) return;
      const { minimumRetentionDays } = args.getConfig<RetentionConfig>();
      if (Number(value) >= minimumRetentionDays) return;
      report(
        `retentionInDays is ${shown(value)}, below the minimum of ${minimumRetentionDays} days: telemetry needed to investigate an incident is deleted too early; raise it.`,
      );
    }),
  },
  {
    name: "monitoring-appinsights-public-network-disabled",
    description:
      'Application Insights components should block ingestion and query from public networks (publicNetworkAccessForIngestion and publicNetworkAccessForQuery Disabled; Azure built-in policy "Application Insights components should block log ingestion and querying from public networks"); absent means Enabled, the service and SDK default. ' +
      PRIVATE_LINK_REASON,
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps:
      'Link the azure-native:applicationinsights:Component to an Azure Monitor Private Link Scope with a private endpoint, then set `publicNetworkAccessForIngestion: "Disabled"` and `publicNetworkAccessForQuery: "Disabled"`.',
    validateResource: forType(TYPES.appInsights, (args, report) =>
      requirePrivateAccess(args.props, report, "Application Insights"),
    ),
  },
  {
    name: "monitoring-appinsights-ip-masking",
    description:
      "Application Insights components should keep client IP masking on (disableIpMasking not true); absent means masking on, the service default. Advisory: a privacy setting for end users' IP addresses in telemetry, not an access control; a stack's policy config can raise it.",
    enforcementLevel: ADVISORY,
    severity: "low",
    remediationSteps:
      "Remove `disableIpMasking` or set it to `false` on the azure-native:applicationinsights:Component.",
    validateResource: forType(TYPES.appInsights, (args, report) => {
      const value: unknown = args.props.disableIpMasking;
      if (!isTrue(value)) return;
      report(
        `disableIpMasking is ${shown(value)}: callers' full IP addresses (personal data) are stored with the telemetry; set it to false.`,
      );
    }),
  },
  {
    name: "monitoring-log-analytics-local-auth-disabled",
    description:
      "Log Analytics workspaces must refuse shared-key access (features.disableLocalAuth true); an absent value is treated as false, the service default.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Set `features: { disableLocalAuth: true }` on the azure-native:operationalinsights:Workspace (agents and APIs then authenticate with Microsoft Entra ID).",
    validateResource: forType(TYPES.logAnalytics, (args, report) => {
      const features: unknown = args.props.features;
      const value = features === undefined ? undefined : valueAt(features, "disableLocalAuth");
      if (isTrue(value)) return;
      report(
        `features.disableLocalAuth is ${value === undefined ? "not set (Azure defaults to false)" : shown(value)}: the workspace keys can ingest and read logs without Microsoft Entra ID; set it to true.`,
      );
    }),
  },
  {
    name: "monitoring-log-analytics-retention-minimum",
    description:
      "Log Analytics workspaces must keep logs at least config minimumRetentionDays (default 30); an absent retentionInDays is checked as the service default, 30 days (7 on the legacy Free tier).",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      "Set `retentionInDays` on the azure-native:operationalinsights:Workspace to at least the minimum (PerGB2018 accepts 30 to 730).",
    configSchema: retentionSchema,
    validateResource: forType(TYPES.logAnalytics, (args, report) => {
      const { minimumRetentionDays } = args.getConfig<RetentionConfig>();
      const value: unknown = args.props.retentionInDays;
      if (value !== undefined) {
        if (Number(value) >= minimumRetentionDays) return;
        report(
          `retentionInDays is ${shown(value)}, below the minimum of ${minimumRetentionDays} days: audit and diagnostic logs are deleted too early; raise it.`,
        );
        return;
      }
      const sku: unknown = args.props.sku;
      const days = defaultLogAnalyticsRetention(sku === undefined ? undefined : valueAt(sku, "name"));
      if (days >= minimumRetentionDays) return;
      report(
        `retentionInDays is not set (Azure keeps ${days} days for this SKU), below the minimum of ${minimumRetentionDays} days; set retentionInDays to at least ${minimumRetentionDays}.`,
      );
    }),
  },
  {
    name: "monitoring-log-analytics-public-network-disabled",
    description:
      'Log Analytics workspaces should block ingestion and query from public networks (publicNetworkAccessForIngestion and publicNetworkAccessForQuery Disabled; Azure built-in policy "Log Analytics workspaces should block log ingestion and querying from public networks"); absent means Enabled, the service default. ' +
      PRIVATE_LINK_REASON,
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps:
      'Link the azure-native:operationalinsights:Workspace to an Azure Monitor Private Link Scope with a private endpoint, then set `publicNetworkAccessForIngestion: "Disabled"` and `publicNetworkAccessForQuery: "Disabled"`.',
    validateResource: forType(TYPES.logAnalytics, (args, report) =>
      requirePrivateAccess(args.props, report, "Log Analytics"),
    ),
  },
];
