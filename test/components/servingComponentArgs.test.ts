import { describe, expect, it } from "vitest";
import { planWith } from "../support/plan";

/**
 * The public Args of ModelMonitors and RetrainingSchedule are plain (no zod behind them), so the
 * components check what the config schema used to: a clear error naming the monitor or input, the
 * bad value and what is accepted.
 */
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const WORKSPACE_ID = `${SUB}/resourceGroups/rg-aml/providers/Microsoft.MachineLearningServices/workspaces/mlw-aml-x1y2`;
const COMMON = {
  resourceGroupName: "rg-aml",
  workspaceName: "mlw-aml-x1y2",
  workspaceId: WORKSPACE_ID,
  computeIdentityClientId: "client-id",
};

async function retraining(inputs: Record<string, Record<string, string>>): Promise<unknown> {
  return planWith(async () => {
    const { RetrainingSchedule } = await import("../../components/retrainingSchedule");
    new RetrainingSchedule("rt", {
      ...COMMON,
      enabled: false,
      cron: "0 3 * * 1",
      cluster: "cpu",
      experimentName: "retraining",
      job: {
        command: "python train.py",
        environment: "azureml:train-env:1",
        inputs: inputs as never,
        timeoutMinutes: 60,
      },
      clusterIds: { cpu: `${WORKSPACE_ID}/computes/cpu-3fa91c` },
    });
  });
}

const SIGNALS = {
  dataDrift: {
    numerical: { metric: "JensenShannonDistance", threshold: 0.1 },
    categorical: { metric: "PopulationStabilityIndex", threshold: 0.2 },
  },
  predictionDrift: {
    numerical: { metric: "JensenShannonDistance", threshold: 0.1 },
    categorical: { metric: "PopulationStabilityIndex", threshold: 0.2 },
  },
  dataQuality: { nullValueRate: 0.05, dataTypeErrorRate: 0.05, outOfBoundsRate: 0.05 },
} as const;

async function monitors(monitor: Record<string, unknown>): Promise<unknown> {
  return planWith(async () => {
    const { ModelMonitors } = await import("../../components/modelMonitors");
    new ModelMonitors("mm", {
      ...COMMON,
      monitoringIdentityId: `${SUB}/resourceGroups/rg-aml/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-aml-workspace`,
      clusterIds: {},
      namePrefix: "aml",
      monitors: {
        "churn-blue": {
          endpoint: "churn",
          deployment: "blue",
          deploymentId: `${WORKSPACE_ID}/onlineEndpoints/churn-x1y2/deployments/blue`,
          modelInputsDataId: `${WORKSPACE_ID}/data/churn-x1y2-blue-model_inputs/versions/1`,
          modelOutputsDataId: `${WORKSPACE_ID}/data/churn-x1y2-blue-model_outputs/versions/1`,
          engine: "builtin",
          model: "azureml:churn:1",
          taskType: "Classification",
          cron: "0 3 * * *",
          lookbackDays: 7,
          signals: SIGNALS,
          notify: false,
          ...monitor,
        } as never,
      },
    });
  });
}

describe("RetrainingSchedule job inputs", () => {
  it("refuses a literal input without a value", async () => {
    await expect(retraining({ rate: { type: "literal" } })).rejects.toThrow(
      "retraining: input rate: a literal input needs value",
    );
  });

  it("refuses a data input without a path, and a path or mode on a literal", async () => {
    await expect(retraining({ data: { type: "uri_folder" } })).rejects.toThrow(
      /input data: a uri_folder input needs path \(azureml:<name>:<version>/,
    );
    await expect(retraining({ rate: { type: "literal", value: "0.1", mode: "Download" } })).rejects.toThrow(
      "input rate: a literal input takes only value, not path or mode",
    );
  });

  it("names the accepted input types and modes", async () => {
    await expect(retraining({ data: { type: "folder", path: "azureml:d:1" } })).rejects.toThrow(
      'input data: type is "folder", accepted: uri_folder, uri_file, mltable, literal',
    );
    await expect(retraining({ data: { type: "uri_file", path: "azureml:d:1", mode: "Mount" } })).rejects.toThrow(
      'input data: mode is "Mount", accepted: ReadOnlyMount, Download, Direct',
    );
  });
});

describe("ModelMonitors monitor settings", () => {
  it("refuses a builtin monitor without a model and a job monitor without a cluster", async () => {
    await expect(monitors({ model: undefined })).rejects.toThrow(
      "monitor churn-blue: model is missing: the builtin engine names the deployment's model as its monitoring target",
    );
    await expect(monitors({ engine: "job" })).rejects.toThrow(
      "monitor churn-blue: cluster is missing: the job engine runs the drift job on a cluster of clusterIds",
    );
  });

  it("names the bad value and what is accepted", async () => {
    await expect(monitors({ taskType: "Ranking" })).rejects.toThrow(
      'taskType is "Ranking", accepted: Classification, Regression',
    );
    await expect(monitors({ lookbackDays: 0 })).rejects.toThrow(
      "lookbackDays is 0, accepted: a whole number of days from 1 to 90",
    );
    await expect(monitors({ instanceType: "Standard_D4s_v3" })).rejects.toThrow(
      'instanceType is "standard_d4s_v3", accepted: standard_e4s_v3, standard_e8s_v3',
    );
    await expect(
      monitors({
        signals: {
          ...SIGNALS,
          dataDrift: { ...SIGNALS.dataDrift, numerical: { metric: "JensenShannonDistance", threshold: 1.5 } },
        },
      }),
    ).rejects.toThrow(
      "signals.dataDrift.numerical.threshold is 1.5, accepted: greater than 0 and at most 1 for JensenShannonDistance",
    );
    await expect(
      monitors({ signals: { ...SIGNALS, dataQuality: { ...SIGNALS.dataQuality, nullValueRate: 2 } } }),
    ).rejects.toThrow("signals.dataQuality.nullValueRate is 2, accepted: a share from 0 to 1");
  });

  it("accepts a valid builtin monitor (Spark size in any case)", async () => {
    await expect(monitors({ instanceType: "Standard_E8s_v3" })).resolves.toBeDefined();
  });
});
