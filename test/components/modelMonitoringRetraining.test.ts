import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { StackConfig, validateStackConfig } from "../../config";
import { Plan, PlannedResource } from "../../plan/contract";
import { RG, WORKSPACE, WORKSPACE_ID, testCluster } from "../support/mlops";
import { dependsOn, idOf, one, ofType, planWith } from "../support/plan";

/** The retraining trigger: a CreateJob schedule running a command job on a training cluster as the cluster's identity. */

const COMPUTE_CLIENT = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const SCHEDULE = "azure-native:machinelearningservices:Schedule";
const COMPUTE = "azure-native:machinelearningservices:Compute";

function configWith(retraining: Record<string, unknown>): StackConfig {
  const result = validateStackConfig({
    location: "westeurope",
    namePrefix: "mlops",
    compute: {
      clusters: {
        cpu: { vmSize: "Standard_DS3_v2", maxNodes: 4 },
        gpu: { vmSize: "Standard_NC4as_T4_v3", maxNodes: 2 },
      },
    },
    retraining,
  });
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.key}: ${i.message}`).join("\n"));
  return result.config;
}

const WEEKLY = {
  enabled: true,
  cron: "0 2 * * 0",
  cluster: "cpu",
  experimentName: "churn-retraining",
  job: {
    command: "python train.py --data ${{inputs.training_data}} --features ${{inputs.features}} --lr ${{inputs.lr}}",
    environment: "azureml:churn-train:4",
    code: "azureml:churn-train-src:2",
    inputs: {
      training_data: { type: "uri_folder", path: "azureml://datastores/workspaceblobstore/paths/churn/training/" },
      features: { type: "mltable", path: "azureml:churn-features:7", mode: "Direct" },
      lr: { type: "literal", value: "0.05" },
    },
    timeoutMinutes: 180,
  },
};

describe("retraining schedule", () => {
  let plan: Plan;
  let schedule: PlannedResource;
  let cpu: PlannedResource;

  beforeAll(async () => {
    plan = await planWith(async () => {
      const { RetrainingSchedule } = await import("../../components/retrainingSchedule");
      const { retrainingScheduleSettings } = await import("../../serving/environment");
      const config = configWith(WEEKLY);
      if (!config.retraining) throw new Error("retraining missing");
      const retraining = new RetrainingSchedule("mlops-operations-retraining", {
        resourceGroupName: RG,
        tags: { env: "test" },
        workspaceName: WORKSPACE,
        workspaceId: WORKSPACE_ID,
        ...retrainingScheduleSettings(config.retraining),
        clusterIds: {
          cpu: (await testCluster("cpu", "Standard_DS3_v2")).id,
          gpu: (await testCluster("gpu", "Standard_NC4as_T4_v3")).id,
        },
        computeIdentityClientId: COMPUTE_CLIENT,
      });
      return { retraining: pulumi.output(retraining.schedule.name) };
    });
    schedule = one(plan, SCHEDULE);
    cpu = one(plan, COMPUTE, "cpu");
  });

  it("creates nothing else: no data assets, no grant, no monitor, no batch endpoint", () => {
    expect(
      plan.resources
        .filter((r) => r.custom)
        .map((r) => r.type)
        .sort(),
    ).toEqual([COMPUTE, COMPUTE, SCHEDULE]);
    expect(plan.outputs.retraining).toBe("retraining");
  });

  it("runs a command job on the configured cluster, as the cluster's identity, with the pinned environment and code and resolved inputs", () => {
    expect(schedule.inputs).toEqual({
      name: "retraining",
      workspaceName: WORKSPACE,
      resourceGroupName: RG,
      properties: {
        displayName: "Retraining",
        description: "Submits the retraining command job on cluster cpu.",
        isEnabled: true,
        tags: { env: "test" },
        trigger: { triggerType: "Cron", expression: "0 2 * * 0", timeZone: "UTC" },
        action: {
          actionType: "CreateJob",
          jobDefinition: {
            jobType: "Command",
            displayName: "Scheduled retraining",
            experimentName: "churn-retraining",
            command: WEEKLY.job.command,
            environmentId: `${WORKSPACE_ID}/environments/churn-train/versions/4`,
            codeId: `${WORKSPACE_ID}/codes/churn-train-src/versions/2`,
            computeId: idOf(cpu),
            identity: { identityType: "Managed", clientId: COMPUTE_CLIENT },
            inputs: {
              training_data: {
                jobInputType: "uri_folder",
                uri: "azureml://datastores/workspaceblobstore/paths/churn/training/",
                mode: "ReadOnlyMount",
              },
              features: {
                jobInputType: "mltable",
                uri: `${WORKSPACE_ID}/data/churn-features/versions/7`,
                mode: "Direct",
              },
              lr: { jobInputType: "literal", value: "0.05" },
            },
            limits: { jobLimitsType: "Command", timeout: "PT3H" },
          },
        },
      },
    });
  });

  it("waits for its cluster and only that cluster", () => {
    expect(dependsOn(plan, schedule, cpu)).toBe(true);
    expect(dependsOn(plan, schedule, one(plan, COMPUTE, "gpu"))).toBe(false);
    expect(ofType(plan, SCHEDULE)).toHaveLength(1);
  });
});

describe("retraining schedule when not enabled (the default)", () => {
  it("exists but does not fire, and says how to turn it on", async () => {
    const { retrainingScheduleProperties } = await import("../../components/retraining");
    // A resource id passes through as is (the azureml: shorthand becomes an Output, checked in the plan above).
    const config = configWith({
      cron: "0 2 * * 0",
      cluster: "gpu",
      job: { command: "python train.py", environment: `${WORKSPACE_ID}/environments/churn-train/versions/4` },
    });
    const retraining = config.retraining;
    if (!retraining) throw new Error("retraining missing");
    const properties = retrainingScheduleProperties(retraining, {
      workspaceId: WORKSPACE_ID,
      clusterId: `${WORKSPACE_ID}/computes/gpu-1b2c3d`,
      identityClientId: COMPUTE_CLIENT,
    });
    expect(properties.isEnabled).toBe(false);
    expect(properties.description).toBe(
      "Submits the retraining command job on cluster gpu (disabled: set retraining.enabled to true).",
    );
    expect(properties.action).toEqual({
      actionType: "CreateJob",
      jobDefinition: {
        jobType: "Command",
        displayName: "Scheduled retraining",
        experimentName: "retraining",
        command: "python train.py",
        environmentId: `${WORKSPACE_ID}/environments/churn-train/versions/4`,
        computeId: `${WORKSPACE_ID}/computes/gpu-1b2c3d`,
        identity: { identityType: "Managed", clientId: COMPUTE_CLIENT },
        inputs: {},
        limits: { jobLimitsType: "Command", timeout: "PT24H" },
      },
    });
  });
});
