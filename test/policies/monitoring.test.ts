import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { monitoringPolicies } from "../../policies/rules/monitoring";
import { UNKNOWN } from "./support/harness";
import { appInsights, logAnalytics, mlWorkspace, withProp, withProps } from "./fixtures/ml";
import { MlRuleCases, describeMlRules, describeShippedStacks } from "./fixtures/mlCases";

const appi = appInsights();
const log = logAnalytics();

const table: MlRuleCases[] = [
  {
    policy: "monitoring-appinsights-local-auth-disabled",
    compliant: [
      { title: "true", resource: appi },
      { title: "an ML workspace is not checked", resource: withProp(mlWorkspace(), "disableLocalAuth", false) },
    ],
    violations: [
      {
        title: "false",
        resource: withProp(appi, "disableLocalAuth", false),
        messages: [/^disableLocalAuth is false: anyone holding the connection string can send telemetry/],
      },
      {
        title: "absent (Azure: false)",
        resource: withProp(appi, "disableLocalAuth", undefined),
        messages: [/^disableLocalAuth is not set \(Azure defaults to false\)/],
      },
    ],
    unknown: [{ title: "value unknown", resource: withProp(appi, "disableLocalAuth", UNKNOWN.boolean) }],
  },
  {
    policy: "monitoring-appinsights-workspace-based",
    compliant: [
      { title: "workspace id and LogAnalytics", resource: appi },
      {
        title: "ingestionMode absent (SDK and API: LogAnalytics)",
        resource: withProp(appi, "ingestionMode", undefined),
      },
    ],
    violations: [
      {
        title: "no workspace (classic)",
        resource: withProp(appi, "workspaceResourceId", undefined),
        messages: [/^workspaceResourceId is not set: the component is classic/],
      },
      {
        title: "empty workspace id",
        resource: withProp(appi, "workspaceResourceId", ""),
        messages: [/^workspaceResourceId is "": /],
      },
      {
        title: "ApplicationInsights ingestion",
        resource: withProp(appi, "ingestionMode", "ApplicationInsights"),
        messages: [/^ingestionMode is "ApplicationInsights": .*set it to "LogAnalytics"/],
      },
      {
        title: "classic in both ways",
        resource: withProps(appi, {
          workspaceResourceId: undefined,
          ingestionMode: "ApplicationInsightsWithDiagnosticSettings",
        }),
        messages: [/^workspaceResourceId is not set/, /^ingestionMode is "ApplicationInsightsWithDiagnosticSettings"/],
      },
    ],
    unknown: [
      {
        title: "workspace id unknown (new workspace in preview)",
        resource: withProp(appi, "workspaceResourceId", UNKNOWN.string),
      },
    ],
  },
  {
    policy: "monitoring-appinsights-retention-minimum",
    compliant: [
      { title: "absent (90 days, and workspace-based data follows Log Analytics)", resource: appi },
      { title: "90 days", resource: withProp(appi, "retentionInDays", 90) },
      { title: "exactly the minimum", resource: withProp(appi, "retentionInDays", 30) },
    ],
    violations: [
      {
        title: "below the default minimum",
        resource: withProp(appi, "retentionInDays", 7),
        messages: [/^retentionInDays is 7, below the minimum of 30 days/],
      },
      {
        title: "below a stricter minimum",
        resource: withProp(appi, "retentionInDays", 90),
        config: { minimumRetentionDays: 365 },
        messages: [/^retentionInDays is 90, below the minimum of 365 days/],
      },
    ],
    unknown: [{ title: "value unknown", resource: withProp(appi, "retentionInDays", UNKNOWN.string) }],
  },
  {
    policy: "monitoring-appinsights-public-network-disabled",
    compliant: [
      { title: "both Disabled", resource: appi },
      {
        title: "Log Analytics is checked by its own rule",
        resource: withProp(log, "publicNetworkAccessForQuery", "Enabled"),
      },
    ],
    violations: [
      {
        title: "ingestion Enabled",
        resource: withProp(appi, "publicNetworkAccessForIngestion", "Enabled"),
        messages: [
          /^publicNetworkAccessForIngestion is "Enabled": Application Insights ingestion is open to public networks/,
        ],
      },
      {
        title: "both absent (Azure: Enabled)",
        resource: withProps(appi, {
          publicNetworkAccessForIngestion: undefined,
          publicNetworkAccessForQuery: undefined,
        }),
        messages: [
          /^publicNetworkAccessForIngestion is not set \(Azure defaults to Enabled\)/,
          /^publicNetworkAccessForQuery is not set \(Azure defaults to Enabled\): Application Insights query/,
        ],
      },
    ],
    unknown: [{ title: "value unknown", resource: withProp(appi, "publicNetworkAccessForQuery", UNKNOWN.string) }],
  },
  {
    policy: "monitoring-appinsights-ip-masking",
    compliant: [
      { title: "false", resource: appi },
      { title: "absent (masking on)", resource: withProp(appi, "disableIpMasking", undefined) },
    ],
    violations: [
      {
        title: "true",
        resource: withProp(appi, "disableIpMasking", true),
        messages: [/^disableIpMasking is true: callers' full IP addresses/],
      },
    ],
    unknown: [{ title: "value unknown", resource: withProp(appi, "disableIpMasking", UNKNOWN.boolean) }],
  },
  {
    policy: "monitoring-log-analytics-local-auth-disabled",
    compliant: [
      { title: "true", resource: log },
      {
        title: "App Insights is checked by its own rule",
        resource: withProp(appi, "features", { disableLocalAuth: false }),
      },
    ],
    violations: [
      {
        title: "false",
        resource: withProp(log, "features.disableLocalAuth", false),
        messages: [/^features.disableLocalAuth is false: the workspace keys can ingest and read logs/],
      },
      {
        title: "absent (Azure: false)",
        resource: withProp(log, "features.disableLocalAuth", undefined),
        messages: [/^features.disableLocalAuth is not set \(Azure defaults to false\)/],
      },
      {
        title: "features absent",
        resource: withProp(log, "features", undefined),
        messages: [/^features.disableLocalAuth is not set/],
      },
    ],
    unknown: [
      { title: "value unknown", resource: withProp(log, "features.disableLocalAuth", UNKNOWN.boolean) },
      { title: "features unknown", resource: withProp(log, "features", UNKNOWN.object) },
    ],
  },
  {
    policy: "monitoring-log-analytics-retention-minimum",
    compliant: [
      { title: "90 days", resource: log },
      { title: "absent on PerGB2018 (Azure: 30 days)", resource: withProp(log, "retentionInDays", undefined) },
      {
        title: "365 days against a one-year minimum",
        resource: withProp(log, "retentionInDays", 365),
        config: { minimumRetentionDays: 365 },
      },
    ],
    violations: [
      {
        title: "below the minimum",
        resource: withProp(log, "retentionInDays", 7),
        messages: [
          /^retentionInDays is 7, below the minimum of 30 days: audit and diagnostic logs are deleted too early/,
        ],
      },
      {
        title: "below a stricter minimum",
        resource: log,
        config: { minimumRetentionDays: 365 },
        messages: [/^retentionInDays is 90, below the minimum of 365 days/],
      },
      {
        title: "absent on the Free tier (7 days)",
        resource: withProps(log, { retentionInDays: undefined, "sku.name": "Free" }),
        messages: [/^retentionInDays is not set \(Azure keeps 7 days for this SKU\), below the minimum of 30 days/],
      },
      {
        title: "absent against a stricter minimum",
        resource: withProp(log, "retentionInDays", undefined),
        config: { minimumRetentionDays: 90 },
        messages: [/^retentionInDays is not set \(Azure keeps 30 days for this SKU\), below the minimum of 90 days/],
      },
    ],
    unknown: [
      { title: "value unknown", resource: withProp(log, "retentionInDays", UNKNOWN.string) },
      {
        title: "SKU unknown when retention is absent",
        resource: withProps(log, { retentionInDays: undefined, sku: UNKNOWN.object }),
      },
    ],
  },
  {
    policy: "monitoring-log-analytics-public-network-disabled",
    compliant: [{ title: "both Disabled", resource: log }],
    violations: [
      {
        title: "query Enabled",
        resource: withProp(log, "publicNetworkAccessForQuery", "Enabled"),
        messages: [/^publicNetworkAccessForQuery is "Enabled": Log Analytics query is open to public networks/],
      },
      {
        title: "ingestion absent (Azure: Enabled)",
        resource: withProp(log, "publicNetworkAccessForIngestion", undefined),
        messages: [
          /^publicNetworkAccessForIngestion is not set \(Azure defaults to Enabled\): Log Analytics ingestion/,
        ],
      },
    ],
    unknown: [{ title: "value unknown", resource: withProp(log, "publicNetworkAccessForIngestion", UNKNOWN.string) }],
  },
];

describeMlRules("monitoring", /^monitoring-/, monitoringPolicies, table);

// Dev keeps ingestion and query public (no Azure Monitor Private Link Scope; local auth is off).
// Prod has the scope (monitoring.privateLinkScope) and its policy config makes both rules mandatory.
describeShippedStacks(
  "monitoring",
  monitoringPolicies,
  {
    dev: ["monitoring-appinsights-public-network-disabled", "monitoring-log-analytics-public-network-disabled"],
    prod: [],
  },
  { shippedConfig: true },
);

describe("public network rules: advisory by default, mandatory where a stack has a private link scope", () => {
  const PUBLIC_NETWORK_RULES = [
    "monitoring-appinsights-public-network-disabled",
    "monitoring-log-analytics-public-network-disabled",
  ];
  const prodConfig = JSON.parse(readFileSync(resolve(__dirname, "../../policy-config.prod.json"), "utf8")) as Record<
    string,
    { enforcementLevel?: string }
  >;
  const devConfig = JSON.parse(readFileSync(resolve(__dirname, "../../policy-config.dev.json"), "utf8")) as Record<
    string,
    { enforcementLevel?: string }
  >;

  it.each(PUBLIC_NETWORK_RULES)("%s is advisory in the pack and says why, citing Microsoft", (name) => {
    const policy = monitoringPolicies.find((p) => p.name === name);
    expect(policy?.enforcementLevel).toBe("advisory");
    expect(policy?.description).toContain("Advisory by default");
    expect(policy?.description).toContain('"Workspace managed virtual network isolation"');
    expect(policy?.description).toContain("should block log ingestion and querying from public networks");
  });

  it.each(PUBLIC_NETWORK_RULES)("%s is mandatory in prod (scope on) and not raised in dev (scope off)", (name) => {
    expect(prodConfig[name]).toEqual({ enforcementLevel: "mandatory" });
    expect(devConfig[name]).toBeUndefined();
  });

  it("prod has the scope on and dev has it off, matching the policy configs", () => {
    expect(readFileSync(resolve(__dirname, "../../Pulumi.prod.yaml"), "utf8")).toMatch(
      /secure-azureml:monitoring:\n(?: {4}.*\n)*? {4}privateLinkScope: true\n/,
    );
    expect(readFileSync(resolve(__dirname, "../../Pulumi.dev.yaml"), "utf8")).not.toContain("privateLinkScope: true");
  });
});
