import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { StackConfig, validateStackConfig } from "../../config";
import { Plan, PlannedResource } from "../../plan/contract";
import { dependsOn, idOf, one, ofType, planWith } from "../support/plan";

/**
 * Model monitoring, wired as the environment wires it: data assets and the endpoint identity's
 * write access first, then the endpoint whose monitored deployment collects into them, then the
 * monitoring schedules targeting the deployments.
 */

const SUB_ID = "00000000-0000-0000-0000-000000000000";
const SUB = `/subscriptions/${SUB_ID}`;
const RG = "rg-mlops-test";
const WORKSPACE = "mlw-mlops-ab12c";
const WORKSPACE_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/${WORKSPACE}`;
const IDENTITIES = `${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities`;
const ENDPOINT_IDENTITY = `${IDENTITIES}/id-mlops-endpoints`;
const WORKSPACE_IDENTITY = `${IDENTITIES}/id-mlops-workspace`;
const ENDPOINT_CLIENT = "6e5d4c3b-2a19-4f8e-9d7c-6b5a4f3e2d1c";
const TRAINING = `${WORKSPACE_ID}/data/churn-training/versions/3`;
const T = {
  data: "azure-native:machinelearningservices:DataVersion",
  deployment: "azure-native:machinelearningservices:OnlineDeployment",
  schedule: "azure-native:machinelearningservices:Schedule",
  roleAssignment: "azure-native:authorization:RoleAssignment",
};

function servingConfig(): StackConfig {
  const result = validateStackConfig({
    location: "westeurope",
    namePrefix: "mlops",
    // Built-in monitoring (serverless Spark) is the default only where the workspace allows internet outbound.
    workspace: { outbound: { mode: "AllowInternetOutbound" } },
    endpoints: {
      churn: {
        deployments: {
          blue: { instanceType: "Standard_DS3_v2", model: "azureml:churn:1", environment: "azureml:churn-env:1" },
          green: {
            instanceType: "Standard_DS3_v2",
            model: "azureml://registries/ml-shared/models/churn/versions/2",
            environment: "azureml:churn-env:1",
          },
        },
      },
    },
    alerts: {
      emailReceivers: [
        { name: "ml-platform", email: "ml-platform@example.com" },
        { name: "data-science", email: "ds-team@example.com" },
      ],
    },
    modelMonitoring: {
      "churn-blue": {
        endpoint: "churn",
        deployment: "blue",
        taskType: "Classification",
        cron: "0 6 * * 1",
        samplingRate: 0.5,
      },
      "churn-green": {
        endpoint: "churn",
        deployment: "green",
        taskType: "Regression",
        cron: "0 4 * * *",
        lookbackDays: 1,
        trainingData: "azureml:churn-training:3",
        notify: false,
        signals: {
          dataDrift: { numerical: { metric: "PopulationStabilityIndex", threshold: 0.25 } },
          dataQuality: { nullValueRate: 0.01 },
        },
        compute: { instanceType: "Standard_E8s_v3" },
      },
    },
  });
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.key}: ${i.message}`).join("\n"));
  return result.config;
}

describe("model monitoring: data collection and monitoring schedules", () => {
  let plan: Plan;
  let blue: PlannedResource;
  let green: PlannedResource;
  let data: Record<string, PlannedResource>;

  beforeAll(async () => {
    plan = await planWith(async () => {
      const { ModelDataCollection } = await import("../../components/modelDataCollection");
      const { ModelMonitors } = await import("../../components/modelMonitors");
      const { modelMonitorsSettings, monitoredDeployments, onlineEndpointSettings } =
        await import("../../serving/environment");
      const { ManagedOnlineEndpoint, endpointName } = await import("../../components/managedOnlineEndpoint");
      const config = servingConfig();
      const placement = { resourceGroupName: RG, location: "westeurope", tags: { env: "test" } };
      const collection = new ModelDataCollection("mlops-data-collection", {
        resourceGroupName: RG,
        workspaceName: WORKSPACE,
        endpointIdentityClientId: ENDPOINT_CLIENT,
        deployments: monitoredDeployments(config, (key) => endpointName(key, "ab12c")),
      });
      const endpoint = new ManagedOnlineEndpoint("mlops-endpoint-churn", {
        ...placement,
        workspaceName: WORKSPACE,
        workspaceId: WORKSPACE_ID,
        endpointName: endpointName("churn", "ab12c"),
        ...onlineEndpointSettings(config.endpoints.churn),
        identityId: ENDPOINT_IDENTITY,
        dataCollection: collection.forEndpoint("churn"),
        armEndpoint: "https://management.azure.com",
      });
      const operations = new ModelMonitors("mlops-operations", {
        ...placement,
        workspaceName: WORKSPACE,
        workspaceId: WORKSPACE_ID,
        ...modelMonitorsSettings(config, { churn: endpoint.deployments }, collection),
        monitoringIdentityId: WORKSPACE_IDENTITY,
        clusterIds: {},
        computeIdentityClientId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        namePrefix: "amltest",
      });
      return {
        monitors: pulumi.all(Object.fromEntries(Object.entries(operations.monitors).map(([k, s]) => [k, s.name]))),
      };
    });
    blue = one(plan, T.deployment, "mlops-endpoint-churn-blue");
    green = one(plan, T.deployment, "mlops-endpoint-churn-green");
    data = Object.fromEntries(ofType(plan, T.data).map((d) => [String(d.inputs.name), d]));
  });

  it("registers each monitored deployment's collected inputs and outputs as uri_folder data assets, version 1, where the collector writes", () => {
    expect(Object.keys(data).sort()).toEqual([
      "churn-ab12c-blue-model_inputs",
      "churn-ab12c-blue-model_outputs",
      "churn-ab12c-green-model_inputs",
      "churn-ab12c-green-model_outputs",
    ]);
    expect(data["churn-ab12c-blue-model_inputs"].inputs).toEqual({
      name: "churn-ab12c-blue-model_inputs",
      version: "1",
      workspaceName: WORKSPACE,
      resourceGroupName: RG,
      properties: {
        dataType: "uri_folder",
        dataUri: "azureml://datastores/workspaceblobstore/paths/modelDataCollector/churn-ab12c/blue/model_inputs",
        description: "Production inputs of deployment blue, written by its data collector; read by model monitoring.",
        isArchived: false,
      },
    });
    expect((data["churn-ab12c-green-model_outputs"].inputs.properties as { dataUri: string }).dataUri).toBe(
      "azureml://datastores/workspaceblobstore/paths/modelDataCollector/churn-ab12c/green/model_outputs",
    );
  });

  it("creates no role assignment: the endpoint identity's write access is the platform's (serving stacks grant nothing)", () => {
    expect(ofType(plan, T.roleAssignment)).toHaveLength(0);
  });

  it("turns on both collections of a monitored deployment, into its data assets, as the endpoint identity", () => {
    const collector = (blue.inputs.properties as { dataCollector: unknown }).dataCollector;
    const entry = (asset: string) => ({
      dataCollectionMode: "Enabled",
      dataId: idOf(data[asset]),
      clientId: ENDPOINT_CLIENT,
      samplingRate: 0.5,
    });
    expect(collector).toEqual({
      collections: {
        model_inputs: entry("churn-ab12c-blue-model_inputs"),
        model_outputs: entry("churn-ab12c-blue-model_outputs"),
      },
      rollingRate: "Hour",
    });
    expect(
      (green.inputs.properties as { dataCollector: { collections: { model_inputs: { samplingRate: number } } } })
        .dataCollector.collections.model_inputs.samplingRate,
    ).toBe(1);
    // The rest of the deployment is untouched.
    expect(blue.inputs.properties).toMatchObject({ endpointComputeType: "Managed", appInsightsEnabled: false });
  });

  it("creates one monitoring schedule per monitor, targeting its deployment and serving model", () => {
    const schedule = one(plan, T.schedule, "mlops-operations-monitor-churn-blue");
    expect(schedule.inputs.name).toBe("monitor-churn-blue");
    expect(schedule.inputs.workspaceName).toBe(WORKSPACE);
    expect(schedule.inputs.resourceGroupName).toBe(RG);
    expect(plan.outputs.monitors).toEqual({ "churn-blue": "monitor-churn-blue", "churn-green": "monitor-churn-green" });
    const definition = (schedule.inputs.properties as { action: { monitorDefinition: Record<string, unknown> } }).action
      .monitorDefinition;
    expect(definition.monitoringTarget).toEqual({
      deploymentId: idOf(blue),
      modelId: `${WORKSPACE_ID}/models/churn/versions/1`,
      taskType: "Classification",
    });
    expect(dependsOn(plan, schedule, blue)).toBe(true);
    const greenDefinition = (
      one(plan, T.schedule, "mlops-operations-monitor-churn-green").inputs.properties as {
        action: { monitorDefinition: { monitoringTarget: unknown } };
      }
    ).action.monitorDefinition;
    expect(greenDefinition.monitoringTarget).toEqual({
      deploymentId: idOf(green),
      modelId: "azureml://registries/ml-shared/models/churn/versions/2",
      taskType: "Regression",
    });
  });

  it("sets the exact schedule: cron in UTC, serverless Spark as the workspace identity, three signals over the collected data, e-mails", () => {
    const schedule = one(plan, T.schedule, "mlops-operations-monitor-churn-blue");
    const inputs = idOf(data["churn-ab12c-blue-model_inputs"]);
    const outputs = idOf(data["churn-ab12c-blue-model_outputs"]);
    const window = (uri: string, context: string, offset: string) => ({
      inputDataType: "Rolling",
      jobInputType: "uri_folder",
      uri,
      dataContext: context,
      windowSize: "P7D",
      windowOffset: offset,
    });
    const drift = [
      { dataType: "Numerical", metric: "JensenShannonDistance", threshold: { value: 0.1 } },
      { dataType: "Categorical", metric: "PopulationStabilityIndex", threshold: { value: 0.2 } },
    ];
    const quality = ["Numerical", "Categorical"].flatMap((dataType) =>
      ["NullValueRate", "DataTypeErrorRate", "OutOfBoundsRate"].map((metric) => ({
        dataType,
        metric,
        threshold: { value: 0.05 },
      })),
    );
    const notify = { notificationTypes: ["AmlNotification"] };
    expect(schedule.inputs.properties).toEqual({
      displayName: "Model monitor churn-blue (churn/blue)",
      description:
        "Data drift, prediction drift and data quality of online deployment churn/blue, over 7 day(s) of collected production data.",
      isEnabled: true,
      tags: { env: "test" },
      trigger: { triggerType: "Cron", expression: "0 6 * * 1", timeZone: "UTC" },
      action: {
        actionType: "CreateMonitor",
        monitorDefinition: {
          computeConfiguration: {
            computeType: "ServerlessSpark",
            instanceType: "standard_e4s_v3",
            runtimeVersion: "3.4",
            computeIdentity: {
              computeIdentityType: "ManagedIdentity",
              identity: { type: "UserAssigned", userAssignedIdentities: [WORKSPACE_IDENTITY] },
            },
          },
          monitoringTarget: {
            deploymentId: idOf(blue),
            modelId: `${WORKSPACE_ID}/models/churn/versions/1`,
            taskType: "Classification",
          },
          signals: {
            "data-drift": {
              signalType: "DataDrift",
              productionData: window(inputs, "model_inputs", "P0D"),
              referenceData: window(inputs, "model_inputs", "P7D"),
              features: { filterType: "AllFeatures" },
              metricThresholds: drift,
              ...notify,
            },
            "prediction-drift": {
              signalType: "PredictionDrift",
              productionData: window(outputs, "model_outputs", "P0D"),
              referenceData: window(outputs, "model_outputs", "P7D"),
              metricThresholds: drift,
              ...notify,
            },
            "data-quality": {
              signalType: "DataQuality",
              productionData: window(inputs, "model_inputs", "P0D"),
              referenceData: window(inputs, "model_inputs", "P7D"),
              features: { filterType: "AllFeatures" },
              metricThresholds: quality,
              ...notify,
            },
          },
          alertNotificationSettings: {
            emailNotificationSettings: { emails: ["ml-platform@example.com", "ds-team@example.com"] },
          },
        },
      },
    });
  });

  it("compares inputs with the training data when given, uses the configured thresholds and size, and notifies nobody when notify is off", () => {
    const definition = (
      one(plan, T.schedule, "mlops-operations-monitor-churn-green").inputs.properties as {
        action: { monitorDefinition: Record<string, unknown> };
      }
    ).action.monitorDefinition;
    const signals = definition.signals as Record<string, Record<string, unknown>>;
    const training = { inputDataType: "Fixed", jobInputType: "mltable", uri: TRAINING, dataContext: "training" };
    expect(signals["data-drift"].referenceData).toEqual(training);
    expect(signals["data-quality"].referenceData).toEqual(training);
    expect(signals["prediction-drift"].referenceData).toMatchObject({
      inputDataType: "Rolling",
      windowSize: "P1D",
      windowOffset: "P1D",
      dataContext: "model_outputs",
    });
    expect(signals["data-drift"].productionData).toMatchObject({ windowSize: "P1D", windowOffset: "P0D" });
    expect(signals["data-drift"].metricThresholds).toEqual([
      { dataType: "Numerical", metric: "PopulationStabilityIndex", threshold: { value: 0.25 } },
      { dataType: "Categorical", metric: "PopulationStabilityIndex", threshold: { value: 0.2 } },
    ]);
    expect(
      (signals["data-quality"].metricThresholds as { metric: string; threshold: { value: number } }[])
        .filter((t) => t.metric === "NullValueRate")
        .map((t) => t.threshold.value),
    ).toEqual([0.01, 0.01]);
    for (const signal of Object.values(signals)) expect(signal.notificationTypes).toBeUndefined();
    expect(definition.alertNotificationSettings).toBeUndefined();
    expect((definition.computeConfiguration as { instanceType: string }).instanceType).toBe("standard_e8s_v3");
  });
});
