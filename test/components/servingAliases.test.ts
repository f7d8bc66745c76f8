import { beforeAll, describe, expect, it } from "vitest";
import { validateStackConfig } from "../../config";
import type { PlatformOutputs } from "../../platform/outputs";
import { Plan } from "../../plan/contract";
import { one, planWith } from "../support/plan";

/**
 * Issue 11 dissolved `ModelOperations` (monitors, retraining schedule and batch endpoints under one
 * component) into `ModelMonitors`, `RetrainingSchedule` and batch endpoints created by the serving
 * composition. Every resource keeps its logical name, and an alias names the URN it had under
 * `ModelOperations`, so a deployed serving stack updates in place instead of replacing them.
 */
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const RG = "rg-aml";
const WORKSPACE_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/mlw-aml-x1y2`;
const IDENTITIES = `${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities`;
const SERVING = "urn:pulumi:test::secure-azureml::secure-azureml:serving:SecureMlServing";
const OPERATIONS = `${SERVING}$secure-azureml:modelOperations:ModelOperations`;

const platform: PlatformOutputs = {
  config: {},
  resourceGroupName: RG,
  location: "westeurope",
  cloud: "AzureCloud",
  namePrefix: "aml",
  nameSuffix: "x1y2",
  workspace: { name: "mlw-aml-x1y2", id: WORKSPACE_ID, guid: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0" },
  identities: {
    workspace: { id: `${IDENTITIES}/id-aml-workspace`, clientId: "c-workspace" },
    compute: { id: `${IDENTITIES}/id-aml-compute`, clientId: "c-compute" },
    endpoints: { id: `${IDENTITIES}/id-aml-endpoints`, clientId: "c-endpoints" },
  },
  clusters: { cpu: { name: "cpu-x1y2", id: `${WORKSPACE_ID}/computes/cpu-x1y2` } },
  environments: {},
  actionGroupId: `${SUB}/resourceGroups/${RG}/providers/Microsoft.Insights/actionGroups/ag-aml`,
};

function servingConfig() {
  const result = validateStackConfig({
    location: "westeurope",
    namePrefix: "aml",
    workspace: { outbound: { mode: "AllowInternetOutbound" } },
    compute: { clusters: { cpu: { vmSize: "Standard_DS3_v2", maxNodes: 4 } } },
    storage: { privateEndpoints: ["blob", "file", "queue", "table"] },
    endpoints: {
      churn: {
        deployments: {
          blue: { instanceType: "Standard_DS3_v2", model: "azureml:churn:1", environment: "azureml:churn-env:1" },
        },
        traffic: { blue: 100 },
      },
    },
    modelMonitoring: {
      "churn-blue": {
        endpoint: "churn",
        deployment: "blue",
        taskType: "Classification",
        cron: "0 6 * * 1",
        notify: false,
      },
    },
    retraining: {
      cron: "0 2 * * 0",
      cluster: "cpu",
      job: { command: "python train.py", environment: "azureml:churn-train:4" },
    },
    batchEndpoints: { score: { deployments: { nightly: { cluster: "cpu", model: "azureml:churn:1" } } } },
  });
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.key}: ${i.message}`).join("\n"));
  return result.config;
}

/** The alias URNs Pulumi computed from a resource's `opts.aliases` (internal field, resolved to strings by the mock engine). */
const aliasesOf = (resource: unknown) => (resource as { __aliases: unknown[] }).__aliases;

describe("serving composition after ModelOperations was dissolved", () => {
  let plan: Plan;

  beforeAll(async () => {
    plan = await planWith(async () => {
      const { SecureMlServing } = await import("../../serving/environment");
      const serving = new SecureMlServing("aml-serving", { config: servingConfig(), platform });
      const retraining = serving.retraining;
      if (!retraining) throw new Error("retraining missing");
      return {
        monitors: aliasesOf(serving.modelMonitors),
        retrainingSchedule: aliasesOf(retraining.schedule),
        batch: aliasesOf(serving.batchEndpoints.score),
      };
    });
  });

  it("keeps every logical name the resources had under ModelOperations", () => {
    expect(one(plan, "secure-azureml:index:ModelMonitors", "aml-serving-model-operations").custom).toBe(false);
    expect(
      one(plan, "azure-native:machinelearningservices:Schedule", "aml-serving-model-operations-monitor-churn-blue")
        .inputs.name,
    ).toBe("monitor-churn-blue");
    expect(
      one(plan, "azure-native:machinelearningservices:Schedule", "aml-serving-model-operations-retraining").inputs.name,
    ).toBe("retraining");
    expect(
      one(plan, "secure-azureml:index:BatchScoringEndpoint", "aml-serving-model-operations-batch-score").custom,
    ).toBe(false);
    expect(
      one(plan, "azure-native:machinelearningservices:BatchEndpoint", "aml-serving-model-operations-batch-score").inputs
        .endpointName,
    ).toBe("score-x1y2");
  });

  it("aliases ModelMonitors to the ModelOperations URN, so its children keep theirs", () => {
    expect(plan.outputs.monitors).toEqual([`${OPERATIONS}::aml-serving-model-operations`]);
  });

  it("aliases the retraining schedule to its URN under ModelOperations", () => {
    // Besides azure-native's own aliases (one per API version of the resource type).
    expect(plan.outputs.retrainingSchedule).toEqual(
      expect.arrayContaining([
        `${OPERATIONS}$azure-native:machinelearningservices:Schedule::aml-serving-model-operations-retraining`,
      ]),
    );
  });

  it("aliases each batch endpoint to its old type under ModelOperations (and to its old type alone)", () => {
    expect(plan.outputs.batch).toEqual(
      expect.arrayContaining([
        `${OPERATIONS}$secure-azureml:batchEndpoint:BatchScoringEndpoint::aml-serving-model-operations-batch-score`,
      ]),
    );
  });
});
