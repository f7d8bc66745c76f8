import { describe, expect, it } from "vitest";
import { AssetLocation, assetLocation, servingAssetRequirements } from "../../serving/assetRequirements";
import { MissingAssetsError, assertAssetsExist } from "../../serving/assetChecks";
import { validateServingConfig } from "../../config";

const SUB = "00000000-0000-0000-0000-000000000000";
const CONTEXT = {
  subscriptionId: SUB,
  resourceGroupName: "rg-amlprod",
  workspaceName: "mlw-amlprod-ab12c",
  registryName: "mlr-amlprod",
  registryResourceGroupName: "rg-amlprod",
};
const WS = `/subscriptions/${SUB}/resourceGroups/rg-amlprod/providers/Microsoft.MachineLearningServices/workspaces/mlw-amlprod-ab12c`;

const platform = {
  location: "westeurope",
  namePrefix: "amlprod",
  workspace: { batchScoring: true },
  storage: { privateEndpoints: ["blob", "file", "queue", "table"] },
  compute: { clusters: { cpu: { vmSize: "Standard_D4s_v3", maxNodes: 2 } } },
  mlRegistry: { enabled: true, mode: "consume" },
  assets: {
    environments: { "churn-inference": { image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20250601.v1" } },
  },
};
const serving = {
  models: { churn: { version: "1", from: "registry" }, fraud: { version: "4" } },
  endpoints: {
    churn: {
      deployments: {
        blue: {
          instanceType: "Standard_E4s_v3",
          model: "churn",
          environment: "churn-inference",
          code: { codeId: "azureml:churn-scoring:1", scoringScript: "score.py" },
        },
        green: {
          instanceType: "Standard_E4s_v3",
          model: "fraud",
          environment: "azureml:custom-env:7",
          code: { codeId: "azureml:churn-scoring:2", scoringScript: "score.py" },
        },
      },
      traffic: { blue: 100 },
    },
  },
  retraining: {
    cron: "0 2 * * 0",
    cluster: "cpu",
    job: { command: "python train.py", environment: "azureml:churn-train:1", code: "azureml:churn-train-src:1" },
  },
};

function config() {
  const result = validateServingConfig(platform, serving);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

describe("servingAssetRequirements", () => {
  it("lists every model, code and literal environment the serving sections use, by serving key, and not the environments the platform builds", () => {
    expect(servingAssetRequirements(config(), CONTEXT).map(({ key, reference }) => [key, reference])).toEqual([
      [
        "secure-azureml-serving:endpoints.churn.deployments.blue.model",
        "azureml://registries/mlr-amlprod/models/churn/versions/1",
      ],
      ["secure-azureml-serving:endpoints.churn.deployments.blue.code.codeId", `${WS}/codes/churn-scoring/versions/1`],
      ["secure-azureml-serving:endpoints.churn.deployments.green.model", `${WS}/models/fraud/versions/4`],
      [
        "secure-azureml-serving:endpoints.churn.deployments.green.environment",
        `${WS}/environments/custom-env/versions/7`,
      ],
      ["secure-azureml-serving:endpoints.churn.deployments.green.code.codeId", `${WS}/codes/churn-scoring/versions/2`],
      ["secure-azureml-serving:retraining.job.environment", `${WS}/environments/churn-train/versions/1`],
      ["secure-azureml-serving:retraining.job.code", `${WS}/codes/churn-train-src/versions/1`],
    ]);
  });

  it("locates registry assets of the platform's registry, and leaves other registries unchecked", () => {
    expect(assetLocation("azureml://registries/mlr-amlprod/models/churn/versions/1", "models", CONTEXT)).toEqual({
      scope: "registry",
      registryName: "mlr-amlprod",
      registryResourceGroupName: "rg-amlprod",
      kind: "models",
      name: "churn",
      version: "1",
    });
    expect(
      assetLocation("azureml://registries/someone-else/models/churn/versions/1", "models", CONTEXT),
    ).toBeUndefined();
    expect(assetLocation(`${WS}/models/fraud/versions/4`, "models", CONTEXT)).toEqual({
      scope: "workspace",
      resourceGroupName: "rg-amlprod",
      workspaceName: "mlw-amlprod-ab12c",
      kind: "models",
      name: "fraud",
      version: "4",
    });
  });
});

describe("assertAssetsExist", () => {
  const requirements = () => servingAssetRequirements(config(), CONTEXT);

  it("reads every located asset once and passes when all exist", async () => {
    const read: AssetLocation[] = [];
    await assertAssetsExist(requirements(), (location) => {
      read.push(location);
      return Promise.resolve({});
    });
    expect(read.map((l) => `${l.scope}:${l.kind}/${l.name}:${l.version}`)).toEqual([
      "registry:models/churn:1",
      "workspace:codes/churn-scoring:1",
      "workspace:models/fraud:4",
      "workspace:environments/custom-env:7",
      "workspace:codes/churn-scoring:2",
      "workspace:environments/churn-train:1",
      "workspace:codes/churn-train-src:1",
    ]);
  });

  it("names every missing asset with its config key in one error, before anything is created", async () => {
    const missing = new Set(["fraud", "churn-train-src"]);
    const error = await assertAssetsExist(requirements(), (location) =>
      missing.has(location.name)
        ? Promise.reject(new Error(`ResourceNotFound: ${location.name} (404)`))
        : Promise.resolve({}),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MissingAssetsError);
    expect((error as MissingAssetsError).missing.map((m) => m.key)).toEqual([
      "secure-azureml-serving:endpoints.churn.deployments.green.model",
      "secure-azureml-serving:retraining.job.code",
    ]);
    expect((error as Error).message).toContain(
      `secure-azureml-serving:endpoints.churn.deployments.green.model: ${WS}/models/fraud/versions/4`,
    );
    expect((error as Error).message).toMatch(/Register them first/);
  });

  it("reports a failure other than not-found (e.g. no access) with the asset named, not as missing", async () => {
    await expect(
      assertAssetsExist(requirements(), () =>
        Promise.reject(new Error("AuthorizationFailed: the client does not have authorization (403)")),
      ),
    ).rejects.toThrow(
      /could not read azureml:\/\/registries\/mlr-amlprod\/models\/churn\/versions\/1 \(secure-azureml-serving:endpoints\.churn\.deployments\.blue\.model\) to check that it exists: AuthorizationFailed/,
    );
  });
});

describe("validateServingConfig", () => {
  it("names problems in serving sections by serving key, and refuses unknown serving keys", () => {
    const result = validateServingConfig(platform, {
      ...serving,
      endpoint: {},
      retraining: { ...serving.retraining, cluster: "gpu" },
    });
    expect(result.ok).toBe(false);
    const keys = result.ok ? [] : result.issues.map((i) => i.key);
    expect(keys).toContain("secure-azureml-serving:endpoint");
    expect(keys).toContain("secure-azureml-serving:retraining.cluster");
  });

  it("refuses batch endpoints when the platform has no batch scoring prerequisites", () => {
    const batchEndpoints = {
      score: {
        deployments: {
          score: {
            cluster: "cpu",
            model: "churn",
            output: { action: "AppendRow", path: "azureml://datastores/workspaceblobstore/paths/out/" },
          },
        },
      },
    };
    const result = validateServingConfig({ ...platform, workspace: {} }, { ...serving, batchEndpoints });
    expect(result.ok).toBe(false);
    expect(
      result.ok
        ? []
        : result.issues.filter((i) => i.key === "secure-azureml-serving:batchEndpoints").map((i) => i.message),
    ).toEqual([expect.stringMatching(/^need the platform's secure-azureml:workspace\.batchScoring: true/)]);
    expect(validateServingConfig(platform, { ...serving, batchEndpoints }).ok).toBe(true);
  });
});
