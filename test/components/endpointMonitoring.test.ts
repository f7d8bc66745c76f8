import { beforeAll, describe, expect, it } from "vitest";
import { alertsSchema, endpointSchema } from "../../config";
import {
  DEPLOYMENT_METRIC_NAMESPACE,
  ENDPOINT_METRIC_NAMESPACE,
  defaultCapacity,
  isGpuInstanceType,
} from "../../components/endpointMonitoring";
import { Plan, PlannedResource } from "../../plan/contract";
import { idOf, one, ofType, planWith } from "../support/plan";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const RG = "rg-mlops-test";
const WORKSPACE = "mlw-mlops-ab12";
const WORKSPACE_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/${WORKSPACE}`;
const ENDPOINT_IDENTITY = `${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-mlops-endpoints`;
const ENDPOINT = "azure-native:machinelearningservices:OnlineEndpoint";
const DEPLOYMENT = "azure-native:machinelearningservices:OnlineDeployment";
const ALERT = "azure-native:monitor:MetricAlert";
const AUTOSCALE = "azure-native:monitor:AutoscaleSetting";
const ACTION_GROUP = "azure-native:monitor:ActionGroup";

const receivers = alertsSchema.parse({
  emailReceivers: [{ name: "ml-platform", email: "ml-platform@example.com" }],
  webhookReceivers: [{ name: "on-call", serviceUri: "https://oncall.example.com/hooks/azure-monitor" }],
});
const churn = endpointSchema.parse({
  deployments: {
    blue: {
      instanceType: "Standard_F4s_v2",
      instanceCount: 3,
      model: "azureml:churn:1",
      environment: "azureml:churn-env:1",
      autoscale: { minInstances: 3, maxInstances: 10, latencyScaleOutMs: 500 },
    },
    green: { instanceType: "Standard_F4s_v2", model: "azureml:churn:2", environment: "azureml:churn-env:1" },
  },
  traffic: { blue: 100 },
  alerts: { latencyP95Ms: 400, serverErrorsPerMinute: 5 },
});
const vision = endpointSchema.parse({
  deployments: {
    "gpu-t4": {
      instanceType: "standard_nc4as_t4_v3",
      model: "azureml:vision:5",
      environment: "azureml:vision-env:2",
      autoscale: { minInstances: 1, maxInstances: 2, cpuScaleOutPercent: 80, cpuScaleInPercent: 20 },
    },
  },
  traffic: { "gpu-t4": 100 },
  alerts: { gpuUtilizationPercent: 85 },
});

describe("EndpointMonitoring", () => {
  let plan: Plan;
  let actionGroup: PlannedResource;
  const deployment = (name: string) => one(plan, DEPLOYMENT, name);
  const endpoint = (name: string) => one(plan, ENDPOINT, name);

  beforeAll(async () => {
    plan = await planWith(async () => {
      const { ManagedOnlineEndpoint } = await import("../../components/managedOnlineEndpoint");
      const { EndpointMonitoring } = await import("../../components/endpointMonitoring");
      const { onlineEndpointSettings, watchedEndpoint } = await import("../../serving/environment");
      const { createAlertActionGroup } = await import("../../components/actionGroup");
      const placement = { resourceGroupName: RG, location: "westeurope", tags: { env: "test" } };
      const common = {
        ...placement,
        workspaceName: WORKSPACE,
        workspaceId: WORKSPACE_ID,
        identityId: ENDPOINT_IDENTITY,
        armEndpoint: "https://management.azure.com",
      };
      const group = createAlertActionGroup(
        "mlops-monitoring-action-group",
        { resourceGroupName: RG, tags: { env: "test" }, namePrefix: "mlops", receivers },
        {},
      );
      const churnEndpoint = new ManagedOnlineEndpoint("churn", {
        ...common,
        endpointName: "churn-ab12c",
        ...onlineEndpointSettings(churn),
      });
      const visionEndpoint = new ManagedOnlineEndpoint("vision", {
        ...common,
        endpointName: "vision-ab12c",
        ...onlineEndpointSettings(vision),
      });
      const monitoring = new EndpointMonitoring("mlops-monitoring", {
        ...placement,
        namePrefix: "mlops",
        actionGroupId: group.id,
        // By ids: the endpoint's, and each deployment's with its size and autoscale.
        endpoints: { churn: watchedEndpoint(churnEndpoint, churn), vision: watchedEndpoint(visionEndpoint, vision) },
      });
      new EndpointMonitoring("empty-monitoring", {
        ...placement,
        namePrefix: "empty",
        actionGroupId: group.id,
        endpoints: {},
      });
      return { actionGroupId: group.id, alerts: Object.keys(monitoring.alerts).length };
    });
    actionGroup = one(plan, ACTION_GROUP);
  });

  it("creates exactly one enabled, global action group with the configured e-mail and webhook receivers", () => {
    expect(actionGroup.inputs).toEqual({
      actionGroupName: "ag-mlops-ml-endpoints",
      groupShortName: "mlops-ml",
      resourceGroupName: RG,
      location: "global",
      tags: { env: "test" },
      enabled: true,
      emailReceivers: [{ name: "ml-platform", emailAddress: "ml-platform@example.com", useCommonAlertSchema: true }],
      webhookReceivers: [
        { name: "on-call", serviceUri: "https://oncall.example.com/hooks/azure-monitor", useCommonAlertSchema: true },
      ],
    });
    expect(plan.outputs.actionGroupId).toBe(idOf(actionGroup));
  });

  it("sends every alert to that one action group", () => {
    const alerts = ofType(plan, ALERT);
    expect(alerts).toHaveLength(5);
    for (const alert of alerts) {
      expect(alert.inputs.actions).toEqual([{ actionGroupId: idOf(actionGroup) }]);
      expect(alert.inputs).toMatchObject({ enabled: true, autoMitigate: true, location: "global" });
    }
  });

  it("alerts on each endpoint's p95 latency above its threshold", () => {
    const latency = one(plan, ALERT, "mlops-monitoring-churn-latency-p95");
    expect(latency.inputs).toMatchObject({
      ruleName: "alert-mlops-churn-latency-p95",
      scopes: [idOf(endpoint("churn"))],
      severity: 2,
      windowSize: "PT5M",
      evaluationFrequency: "PT1M",
    });
    expect(latency.inputs.criteria).toEqual({
      odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
      allOf: [
        {
          criterionType: "StaticThresholdCriterion",
          name: "latency-p95",
          metricName: "RequestLatency_P95",
          metricNamespace: ENDPOINT_METRIC_NAMESPACE,
          operator: "GreaterThan",
          threshold: 400,
          timeAggregation: "Average",
        },
      ],
    });
    expect((one(plan, ALERT, "mlops-monitoring-vision-latency-p95").inputs.scopes as string[])[0]).toBe(
      idOf(endpoint("vision")),
    );
  });

  it("alerts on more than serverErrorsPerMinute 5xx responses (statusCodeClass dimension of RequestsPerMinute)", () => {
    const errors = one(plan, ALERT, "mlops-monitoring-churn-server-errors");
    expect(errors.inputs.scopes).toEqual([idOf(endpoint("churn"))]);
    expect(errors.inputs.severity).toBe(1);
    expect(errors.inputs.criteria).toEqual({
      odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
      allOf: [
        {
          criterionType: "StaticThresholdCriterion",
          name: "server-errors",
          metricName: "RequestsPerMinute",
          metricNamespace: ENDPOINT_METRIC_NAMESPACE,
          operator: "GreaterThan",
          threshold: 5,
          timeAggregation: "Average",
          dimensions: [{ name: "statusCodeClass", operator: "Include", values: ["5xx"] }],
        },
      ],
    });
  });

  it("alerts on GPU utilisation only for GPU deployments, scoped to the deployment", () => {
    const gpu = one(plan, ALERT, "mlops-monitoring-vision-gpu-t4-gpu-utilization");
    expect(gpu.inputs).toMatchObject({
      scopes: [idOf(deployment("vision-gpu-t4"))],
      windowSize: "PT15M",
      evaluationFrequency: "PT5M",
      severity: 3,
    });
    expect((gpu.inputs.criteria as { allOf: unknown[] }).allOf).toEqual([
      {
        criterionType: "StaticThresholdCriterion",
        name: "gpu-utilization",
        metricName: "GpuUtilizationPercentage",
        metricNamespace: DEPLOYMENT_METRIC_NAMESPACE,
        operator: "GreaterThan",
        threshold: 85,
        timeAggregation: "Average",
      },
    ]);
    expect(ofType(plan, ALERT).filter((a) => a.name.includes("gpu"))).toHaveLength(1);
  });

  it("autoscales each deployment that asks for it, targeting the deployment's id", () => {
    const settings = ofType(plan, AUTOSCALE);
    expect(settings.map((s) => s.name).sort()).toEqual([
      "mlops-monitoring-churn-blue-autoscale",
      "mlops-monitoring-vision-gpu-t4-autoscale",
    ]);
    const blue = one(plan, AUTOSCALE, "mlops-monitoring-churn-blue-autoscale");
    const blueId = idOf(deployment("churn-blue"));
    expect(blue.inputs).toMatchObject({
      autoscaleSettingName: "autoscale-mlops-churn-blue",
      enabled: true,
      targetResourceUri: blueId,
      location: "westeurope",
      targetResourceLocation: "westeurope",
    });
    const trigger = (metricName: string, operator: string, threshold: number) => ({
      metricName,
      metricNamespace: DEPLOYMENT_METRIC_NAMESPACE,
      metricResourceUri: blueId,
      timeGrain: "PT1M",
      statistic: "Average",
      timeWindow: "PT5M",
      timeAggregation: "Average",
      operator,
      threshold,
    });
    expect(blue.inputs.profiles).toEqual([
      {
        name: "default",
        capacity: { minimum: "3", maximum: "10", default: "3" },
        rules: [
          {
            metricTrigger: trigger("CpuUtilizationPercentage", "GreaterThan", 70),
            scaleAction: { direction: "Increase", type: "ChangeCount", value: "1", cooldown: "PT5M" },
          },
          {
            metricTrigger: trigger("CpuUtilizationPercentage", "LessThan", 30),
            scaleAction: { direction: "Decrease", type: "ChangeCount", value: "1", cooldown: "PT10M" },
          },
          {
            metricTrigger: trigger("RequestLatency_P95", "GreaterThan", 500),
            scaleAction: { direction: "Increase", type: "ChangeCount", value: "1", cooldown: "PT5M" },
          },
        ],
      },
    ]);
  });

  it("uses the configured CPU thresholds and adds no latency rule when none is configured", () => {
    const t4 = one(plan, AUTOSCALE, "mlops-monitoring-vision-gpu-t4-autoscale");
    const t4Id = idOf(deployment("vision-gpu-t4"));
    expect(t4.inputs.targetResourceUri).toBe(t4Id);
    const [profile] = t4.inputs.profiles as {
      capacity: unknown;
      rules: { metricTrigger: { metricName: string; metricResourceUri: string; threshold: number } }[];
    }[];
    expect(profile.capacity).toEqual({ minimum: "1", maximum: "2", default: "1" });
    expect(profile.rules.map((r) => [r.metricTrigger.metricName, r.metricTrigger.threshold])).toEqual([
      ["CpuUtilizationPercentage", 80],
      ["CpuUtilizationPercentage", 20],
    ]);
    for (const rule of profile.rules) expect(rule.metricTrigger.metricResourceUri).toBe(t4Id);
  });

  it("creates nothing for a stack without endpoints", () => {
    expect(ofType(plan, ACTION_GROUP).map((g) => g.inputs.actionGroupName)).toEqual(["ag-mlops-ml-endpoints"]);
    expect(plan.resources.filter((r) => r.custom && r.parent?.includes("empty-monitoring"))).toEqual([]);
  });
});

describe("monitoring helpers", () => {
  it("knows GPU sizes from the catalogue, and N-series sizes it does not list", () => {
    expect(isGpuInstanceType("Standard_NC4as_T4_v3")).toBe(true);
    expect(isGpuInstanceType("standard_nc24ads_a100_v4")).toBe(true);
    expect(isGpuInstanceType("Standard_DS3_v2")).toBe(false);
    expect(isGpuInstanceType("Standard_F4s_v2")).toBe(false);
    expect(isGpuInstanceType("Standard_NV72ads_A10_v5")).toBe(true);
  });

  it("starts autoscale from the configured count, within min and max", () => {
    expect(
      defaultCapacity({ minInstances: 3, maxInstances: 10, cpuScaleOutPercent: 70, cpuScaleInPercent: 30 }, 1),
    ).toBe(3);
    expect(
      defaultCapacity({ minInstances: 1, maxInstances: 4, cpuScaleOutPercent: 70, cpuScaleInPercent: 30 }, 2),
    ).toBe(2);
    expect(
      defaultCapacity({ minInstances: 1, maxInstances: 4, cpuScaleOutPercent: 70, cpuScaleInPercent: 30 }, 9),
    ).toBe(4);
  });
});
