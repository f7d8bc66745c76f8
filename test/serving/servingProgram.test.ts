import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PlannedResource } from "../../plan/contract";

/** The shipped platform stack planned offline: the outputs the serving program's StackReference reads. */
async function plannedPlatform(stack: "dev" | "prod") {
  const { readStackFile } = await import("../../plan/stackFile");
  const { planProgramWithOutputs } = await import("../../plan/engine");
  const { buildProgram } = await import("../../program");
  const platformFile = readStackFile(resolve(__dirname, `../../Pulumi.${stack}.yaml`));
  return planProgramWithOutputs({
    project: "secure-azureml",
    stack,
    config: platformFile.config,
    program: buildProgram,
  });
}

/**
 * The real serving program on the shipped prod platform plan, with assets missing: it reads the
 * platform through its StackReference, then stops with one error naming every missing asset by
 * its config key, before it creates anything.
 */
describe("serving program: assets that are not registered", () => {
  let error: unknown;
  let recorded: PlannedResource[];
  const reads: string[] = [];

  beforeAll(async () => {
    const { readStackFile } = await import("../../plan/stackFile");
    const { planProgramWithOutputs } = await import("../../plan/engine");
    const { buildServingProgram } = await import("../../serving/program");
    const platform = await plannedPlatform("prod");
    const servingFile = readStackFile(resolve(__dirname, "../../serving/Pulumi.prod.yaml"));
    recorded = [];
    error = await planProgramWithOutputs({
      project: "secure-azureml-serving",
      stack: "prod",
      config: servingFile.config,
      program: buildServingProgram,
      recorder: recorded,
      stackOutputs: { "organization/secure-azureml/prod": platform.rawOutputs },
      assetRegistered: (token, inputs) => {
        reads.push(
          `${token.split(":").at(-1) ?? token} ${String(inputs.name ?? inputs.modelName ?? inputs.codeName)}:${String(inputs.version)}`,
        );
        return !(token.endsWith("getRegistryModelVersion") || String(inputs.name) === "churn-train-src");
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
  });

  it("reads each asset version the shipped prod serving stack references, in the platform's workspace and registry", () => {
    expect([...new Set(reads)].sort()).toEqual([
      "getCodeVersion churn-scoring:1",
      "getCodeVersion churn-train-src:1",
      "getEnvironmentVersion churn-train:1",
      "getRegistryModelVersion churn:1",
    ]);
  });

  it("stops with one error naming each missing asset by its serving key", () => {
    expect((error as Error).name).toBe("MissingAssetsError");
    const message = (error as Error).message;
    expect(message).toContain(
      "secure-azureml-serving:endpoints.churn.deployments.blue.model: azureml://registries/mlr-amlprod/models/churn/versions/1",
    );
    expect(message).toContain(
      "secure-azureml-serving:batchEndpoints.churn-batch.deployments.score.model: azureml://registries/mlr-amlprod/models/churn/versions/1",
    );
    expect(message).toMatch(
      /secure-azureml-serving:retraining\.job\.code: \/subscriptions\/.*\/workspaces\/mlw-amlprod-\w+\/codes\/churn-train-src\/versions\/1/,
    );
    expect(message).not.toContain("churn-scoring");
  });

  it("creates nothing: no resource is registered (the StackReference is a read)", () => {
    expect(recorded.map((r) => r.type)).toEqual([]);
  });
});

describe("serving program: a key under a near miss of the serving namespace", () => {
  it("stops with the key named before reading any asset or creating anything", async () => {
    const { readStackFile } = await import("../../plan/stackFile");
    const { planProgramWithOutputs } = await import("../../plan/engine");
    const { buildServingProgram } = await import("../../serving/program");
    const platform = await plannedPlatform("dev");
    const servingFile = readStackFile(resolve(__dirname, "../../serving/Pulumi.dev.yaml"));
    const recorded: PlannedResource[] = [];
    const reads: string[] = [];
    const error = await planProgramWithOutputs({
      project: "secure-azureml-serving",
      stack: "dev",
      config: { ...servingFile.config, "secure-azureml-servng:retraining": "{}" },
      program: buildServingProgram,
      recorder: recorded,
      stackOutputs: { "organization/secure-azureml/dev": platform.rawOutputs },
      assetRegistered: (token) => {
        reads.push(token);
        return true;
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe(
      'Invalid stack configuration (1 problem):\n  - secure-azureml-servng:retraining = "{}": is never read: its namespace "secure-azureml-servng" is not the project\'s "secure-azureml-serving", so Pulumi passes it to no program and the setting would be silently ignored; write it as secure-azureml-serving:retraining',
    );
    expect(reads).toEqual([]);
    expect(recorded).toEqual([]);
  });
});
