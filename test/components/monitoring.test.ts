import { beforeAll, describe, expect, it } from "vitest";
import { validateMonitoringArgs } from "../../components/monitoring";
import { Plan } from "../../plan/contract";
import { idOf, one, ofType, planWith } from "../support/plan";

const LOG = "azure-native:operationalinsights:Workspace";
const APPI = "azure-native:applicationinsights:Component";
const LOCK = "azure-native:authorization:ManagementLockByScope";
const RG = "rg-mlops-test";

describe("Monitoring", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planWith(async () => {
      const { Monitoring } = await import("../../components/monitoring");
      const placement = { resourceGroupName: RG, location: "westeurope", tags: { env: "test" } };
      const defaults = new Monitoring("mon", {
        ...placement,
        logAnalyticsName: "log-mlops-ab12",
        applicationInsightsName: "appi-mlops-ab12",
        retentionDays: 90,
      });
      new Monitoring("private", {
        ...placement,
        logAnalyticsName: "log-priv-ab12",
        applicationInsightsName: "appi-priv-ab12",
        retentionDays: 365,
        dailyQuotaGb: 5,
        publicNetworkAccess: "Disabled",
        lock: true,
        protect: true,
      });
      new Monitoring("public", {
        ...placement,
        logAnalyticsName: "log-pub-ab12",
        applicationInsightsName: "appi-pub-ab12",
        retentionDays: 30,
        publicNetworkAccess: "Enabled",
      });
      return {
        logAnalyticsWorkspaceId: defaults.logAnalyticsWorkspaceId,
        applicationInsightsId: defaults.applicationInsightsId,
        applicationInsightsConnectionString: defaults.applicationInsightsConnectionString,
      };
    });
  });

  it("creates a PerGB2018 Log Analytics workspace with local auth off, resource-only log access and, by default, no public ingestion or query", () => {
    const log = one(plan, LOG, "mon-log");
    expect(log.inputs).toEqual({
      workspaceName: "log-mlops-ab12",
      resourceGroupName: RG,
      location: "westeurope",
      tags: { env: "test" },
      sku: { name: "PerGB2018" },
      retentionInDays: 90,
      features: { disableLocalAuth: true, enableLogAccessUsingOnlyResourcePermissions: true },
      publicNetworkAccessForIngestion: "Disabled",
      publicNetworkAccessForQuery: "Disabled",
    });
    expect(log.options.protect).toBe(false);
  });

  it("creates a workspace-based Application Insights on that Log Analytics workspace, local auth off, IPs masked", () => {
    const log = one(plan, LOG, "mon-log");
    const appi = one(plan, APPI, "mon-appi");
    expect(appi.inputs).toEqual({
      resourceName: "appi-mlops-ab12",
      resourceGroupName: RG,
      location: "westeurope",
      tags: { env: "test" },
      kind: "web",
      applicationType: "web",
      workspaceResourceId: idOf(log),
      ingestionMode: "LogAnalytics",
      disableLocalAuth: true,
      disableIpMasking: false,
      publicNetworkAccessForIngestion: "Disabled",
      publicNetworkAccessForQuery: "Disabled",
      // SDK defaults for components created through the REST API.
      flowType: "Bluefield",
      requestSource: "rest",
    });
    expect(idOf(log)).toBe(
      `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/log-mlops-ab12`,
    );
    expect(appi.propertyDependencies.workspaceResourceId).toEqual([log.urn]);
  });

  it("turns public ingestion and query on for both resources only when asked (no private link scope)", () => {
    for (const resource of [one(plan, LOG, "public-log"), one(plan, APPI, "public-appi")]) {
      expect(resource.inputs.publicNetworkAccessForIngestion).toBe("Enabled");
      expect(resource.inputs.publicNetworkAccessForQuery).toBe("Enabled");
    }
  });

  it("applies the daily cap and turns public ingestion and query off on both resources when asked", () => {
    const log = one(plan, LOG, "private-log");
    const appi = one(plan, APPI, "private-appi");
    expect(log.inputs.workspaceCapping).toEqual({ dailyQuotaGb: 5 });
    expect(log.inputs.retentionInDays).toBe(365);
    for (const resource of [log, appi]) {
      expect(resource.inputs.publicNetworkAccessForIngestion).toBe("Disabled");
      expect(resource.inputs.publicNetworkAccessForQuery).toBe("Disabled");
    }
    expect(appi.inputs.workspaceResourceId).toBe(idOf(log));
  });

  it("locks and protects only the data-bearing Log Analytics workspace, and only when asked", () => {
    const log = one(plan, LOG, "private-log");
    const locks = ofType(plan, LOCK);
    expect(locks).toHaveLength(1);
    expect(locks[0].inputs.scope).toBe(idOf(log));
    expect(locks[0].inputs.level).toBe("CanNotDelete");
    expect(log.options.protect).toBe(true);
    expect(one(plan, APPI, "private-appi").options.protect).toBe(false);
  });

  it("parents every child to its component", () => {
    const component = one(plan, "secure-azureml:index:Monitoring", "private");
    for (const child of [one(plan, LOG, "private-log"), one(plan, APPI, "private-appi"), ofType(plan, LOCK)[0]])
      expect(child.parent).toBe(component.urn);
  });

  it("exports the ids and the connection string", () => {
    expect(plan.outputs.logAnalyticsWorkspaceId).toBe(idOf(one(plan, LOG, "mon-log")));
    expect(plan.outputs.applicationInsightsId).toBe(idOf(one(plan, APPI, "mon-appi")));
    expect(plan.outputs.applicationInsightsConnectionString).toBe(one(plan, APPI, "mon-appi").outputs.connectionString);
    expect(plan.outputs.applicationInsightsConnectionString).toMatch(/^InstrumentationKey=/);
  });
});

describe("validateMonitoringArgs", () => {
  it("accepts the documented ranges", () => {
    expect(validateMonitoringArgs({ retentionDays: 30 })).toEqual([]);
    expect(validateMonitoringArgs({ retentionDays: 730, dailyQuotaGb: 0.5 })).toEqual([]);
  });

  it("names the bad value and the accepted range", () => {
    expect(validateMonitoringArgs({ retentionDays: 7 })).toEqual([
      "retentionDays = 7: must be a whole number from 30 to 730",
    ]);
    expect(validateMonitoringArgs({ retentionDays: 731 })).toHaveLength(1);
    expect(validateMonitoringArgs({ retentionDays: 90, dailyQuotaGb: 0 })).toEqual([
      "dailyQuotaGb = 0: must be a positive number of GB, or omitted for no cap",
    ]);
  });
});
