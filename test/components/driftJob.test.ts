import { inflateSync } from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { StackConfig, validateStackConfig } from "../../config";
import { DRIFT_JOB_IMAGE, driftEnvironmentVersion } from "../../components/driftJob";
import { readDriftScript } from "../../serving/environment";
import { Plan, PlannedResource } from "../../plan/contract";
import { RG, SUB, WORKSPACE, WORKSPACE_ID, testCluster, testDataCollection } from "../support/mlops";
import { dependsOn, idOf, one, ofType, planWith } from "../support/plan";

/**
 * The `job` monitoring engine (the default in AllowOnlyApprovedOutbound workspaces): a CreateJob
 * schedule running the drift script on a cluster as the cluster's identity over the deployment's
 * collected data, its environment, and the metric alert on the job's failed runs.
 */

const ACTION_GROUP = `${SUB}/resourceGroups/${RG}/providers/Microsoft.Insights/actionGroups/ag-mlops-ml-endpoints`;
const COMPUTE_CLIENT = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const T = {
  data: "azure-native:machinelearningservices:DataVersion",
  deployment: "azure-native:machinelearningservices:OnlineDeployment",
  schedule: "azure-native:machinelearningservices:Schedule",
  environment: "azure-native:machinelearningservices:EnvironmentVersion",
  compute: "azure-native:machinelearningservices:Compute",
  alert: "azure-native:monitor:MetricAlert",
};

function jobConfig(): StackConfig {
  const result = validateStackConfig({
    location: "westeurope",
    namePrefix: "mlops",
    compute: {
      clusters: {
        cpu: { vmSize: "Standard_DS3_v2", maxNodes: 2 },
        gpu: { vmSize: "Standard_NC4as_T4_v3", maxNodes: 2 },
      },
    },
    endpoints: {
      churn: {
        deployments: {
          blue: { instanceType: "Standard_DS3_v2", model: "azureml:churn:1", environment: "azureml:churn-env:1" },
          green: { instanceType: "Standard_DS3_v2", model: "azureml:churn:2", environment: "azureml:churn-env:1" },
        },
      },
    },
    alerts: { webhookReceivers: [{ name: "on-call", serviceUri: "https://oncall.example.com/hooks/azure-monitor" }] },
    modelMonitoring: {
      "churn-blue": {
        endpoint: "churn",
        deployment: "blue",
        taskType: "Classification",
        cron: "0 4 * * *",
        lookbackDays: 1,
        signals: {
          dataDrift: { numerical: { metric: "PopulationStabilityIndex", threshold: 0.25 } },
          dataQuality: { nullValueRate: 0.01 },
        },
        compute: { cluster: "cpu" },
      },
      "churn-green": {
        endpoint: "churn",
        deployment: "green",
        taskType: "Regression",
        cron: "0 6 * * 1",
        trainingData: "azureml:churn-training:3",
        notify: false,
        compute: { cluster: "cpu" },
      },
    },
  });
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.key}: ${i.message}`).join("\n"));
  return result.config;
}

/** The script a job command carries: the base64 argument of its unpack step, inflated. */
function embeddedScript(command: string): string {
  const payload = /open\('drift_monitor\.py','wb'\).*?" ([A-Za-z0-9+/=]+) && /.exec(command);
  if (!payload) throw new Error(`no embedded script in: ${command.slice(0, 200)}`);
  return inflateSync(Buffer.from(payload[1], "base64")).toString("utf8");
}

describe("model monitoring, job engine: drift job schedules, environment and alerts", () => {
  let plan: Plan;
  let schedules: Record<string, PlannedResource>;
  let data: Record<string, PlannedResource>;
  let cpu: PlannedResource;
  let environment: PlannedResource;

  beforeAll(async () => {
    plan = await planWith(async () => {
      const { ModelMonitors } = await import("../../components/modelMonitors");
      const { modelMonitorsSettings, monitoredDeployments, onlineEndpointSettings } =
        await import("../../serving/environment");
      const { ManagedOnlineEndpoint, endpointName } = await import("../../components/managedOnlineEndpoint");
      const config = jobConfig();
      const placement = { resourceGroupName: RG, location: "westeurope", tags: { env: "test" } };
      const collection = await testDataCollection(monitoredDeployments(config, (key) => endpointName(key, "ab12c")));
      const endpoint = new ManagedOnlineEndpoint("mlops-endpoint-churn", {
        ...placement,
        workspaceName: WORKSPACE,
        workspaceId: WORKSPACE_ID,
        endpointName: endpointName("churn", "ab12c"),
        ...onlineEndpointSettings(config.endpoints.churn),
        identityId: `${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-mlops-endpoints`,
        dataCollection: collection.forEndpoint("churn"),
        armEndpoint: "https://management.azure.com",
      });
      const operations = new ModelMonitors("mlops-operations", {
        ...placement,
        workspaceName: WORKSPACE,
        workspaceId: WORKSPACE_ID,
        driftScript: readDriftScript(),
        ...modelMonitorsSettings(config, { churn: endpoint.deployments }, collection),
        monitoringIdentityId: `${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-mlops-workspace`,
        clusterIds: {
          cpu: (await testCluster("cpu", "Standard_DS3_v2")).id,
          gpu: (await testCluster("gpu", "Standard_NC4as_T4_v3")).id,
        },
        computeIdentityClientId: COMPUTE_CLIENT,
        namePrefix: "mlops",
        actionGroupId: ACTION_GROUP,
      });
      return {
        monitors: pulumi.all(Object.fromEntries(Object.entries(operations.monitors).map(([k, s]) => [k, s.name]))),
      };
    });
    schedules = Object.fromEntries(ofType(plan, T.schedule).map((s) => [String(s.inputs.name), s]));
    data = Object.fromEntries(ofType(plan, T.data).map((d) => [String(d.inputs.name), d]));
    cpu = one(plan, T.compute, "cpu");
    environment = one(plan, T.environment);
  });

  it("creates a CreateJob schedule per monitor, named drift-<key>, and no built-in monitor", () => {
    expect(plan.outputs.monitors).toEqual({ "churn-blue": "drift-churn-blue", "churn-green": "drift-churn-green" });
    expect(
      Object.values(schedules).map(
        (s) => (s.inputs.properties as { action: { actionType: string } }).action.actionType,
      ),
    ).toEqual(["CreateJob", "CreateJob"]);
  });

  it("runs on the configured cluster, as the cluster's identity, in the drift environment, over the deployment's collected data", () => {
    const properties = schedules["drift-churn-blue"].inputs.properties as Record<string, unknown>;
    expect(properties.trigger).toEqual({ triggerType: "Cron", expression: "0 4 * * *", timeZone: "UTC" });
    expect(properties.isEnabled).toBe(true);
    const job = (properties.action as { jobDefinition: Record<string, unknown> }).jobDefinition;
    expect(job.jobType).toBe("Command");
    expect(job.experimentName).toBe("model-monitor-churn-blue");
    expect(job.computeId).toBe(idOf(cpu));
    expect(job.identity).toEqual({ identityType: "Managed", clientId: COMPUTE_CLIENT });
    expect(job.environmentId).toBe(idOf(environment));
    expect(job.inputs).toEqual({
      model_inputs: {
        jobInputType: "uri_folder",
        uri: idOf(data["churn-ab12c-blue-model_inputs"]),
        mode: "ReadOnlyMount",
      },
      model_outputs: {
        jobInputType: "uri_folder",
        uri: idOf(data["churn-ab12c-blue-model_outputs"]),
        mode: "ReadOnlyMount",
      },
    });
    expect(job.limits).toEqual({ jobLimitsType: "Command", timeout: "PT2H" });
    expect(dependsOn(plan, schedules["drift-churn-blue"], cpu)).toBe(true);
    expect(dependsOn(plan, schedules["drift-churn-blue"], one(plan, T.deployment, "mlops-endpoint-churn-blue"))).toBe(
      true,
    );
    expect(dependsOn(plan, schedules["drift-churn-blue"], one(plan, T.compute, "gpu"))).toBe(false);
  });

  it("passes the configured thresholds and window to the script, and the training data as the baseline when set", () => {
    const command = (
      schedules["drift-churn-blue"].inputs.properties as { action: { jobDefinition: { command: string } } }
    ).action.jobDefinition.command;
    const args = command.slice(command.indexOf("&& python3 drift_monitor.py ") + "&& python3 drift_monitor.py ".length);
    expect(args).toBe(
      [
        "--inputs ${{inputs.model_inputs}} --outputs ${{inputs.model_outputs}} --lookback-days 1",
        "--data-drift-numerical-metric PopulationStabilityIndex --data-drift-numerical-threshold 0.25",
        "--data-drift-categorical-metric PopulationStabilityIndex --data-drift-categorical-threshold 0.2",
        "--prediction-drift-numerical-metric JensenShannonDistance --prediction-drift-numerical-threshold 0.1",
        "--prediction-drift-categorical-metric PopulationStabilityIndex --prediction-drift-categorical-threshold 0.2",
        "--null-value-rate 0.01 --data-type-error-rate 0.05 --out-of-bounds-rate 0.05",
      ].join(" "),
    );
    const green = (
      schedules["drift-churn-green"].inputs.properties as {
        action: { jobDefinition: { command: string; inputs: Record<string, unknown> } };
      }
    ).action.jobDefinition;
    expect(green.command).toContain("--reference ${{inputs.reference}} --lookback-days 7 ");
    expect(green.inputs.reference).toEqual({
      jobInputType: "uri_folder",
      uri: `${WORKSPACE_ID}/data/churn-training/versions/3`,
      mode: "ReadOnlyMount",
    });
  });

  it("carries the repository's script byte for byte, so a changed script changes the schedule", () => {
    const command = (
      schedules["drift-churn-blue"].inputs.properties as { action: { jobDefinition: { command: string } } }
    ).action.jobDefinition.command;
    expect(embeddedScript(command)).toBe(readDriftScript());
  });

  it("runs in one retained environment version: the pinned base image, version derived from it, no conda layer", () => {
    expect(ofType(plan, T.environment)).toHaveLength(1);
    expect(environment.inputs).toEqual({
      resourceGroupName: RG,
      workspaceName: WORKSPACE,
      name: "model-monitor",
      version: driftEnvironmentVersion(),
      properties: {
        image: DRIFT_JOB_IMAGE,
        osType: "Linux",
        autoRebuild: "Disabled",
        description:
          "Runtime of the model monitoring drift jobs (assets/jobs/drift_monitor.py): Python standard library only.",
        tags: { env: "test" },
        isAnonymous: false,
        isArchived: false,
      },
    });
    expect(environment.options.retainOnDelete).toBe(true);
    expect(driftEnvironmentVersion()).not.toBe(
      driftEnvironmentVersion("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20250701.v1"),
    );
  });

  it("alerts the action group when a run of the monitor's experiment fails, only for monitors with notify", () => {
    const alerts = ofType(plan, T.alert);
    expect(alerts.map((a) => a.inputs.ruleName)).toEqual(["alert-mlops-monitor-churn-blue"]);
    const alert = alerts[0].inputs;
    expect(alert.scopes).toEqual([WORKSPACE_ID]);
    expect(alert.actions).toEqual([{ actionGroupId: ACTION_GROUP }]);
    expect(alert).toMatchObject({
      severity: 2,
      enabled: true,
      autoMitigate: true,
      evaluationFrequency: "PT15M",
      windowSize: "PT1H",
      location: "global",
    });
    expect(alert.criteria).toEqual({
      odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
      allOf: [
        {
          criterionType: "StaticThresholdCriterion",
          name: "failed-drift-runs",
          metricName: "Failed Runs",
          metricNamespace: "Microsoft.MachineLearningServices/workspaces",
          operator: "GreaterThan",
          timeAggregation: "Total",
          threshold: 0,
          dimensions: [{ name: "ExperimentName", operator: "Include", values: ["model-monitor-churn-blue"] }],
        },
      ],
    });
  });
});
