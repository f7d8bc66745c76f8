import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { loadEnvironmentSpecs } from "../../config";
import { environmentVersion } from "../../components/shared/assetVersions";
import { endpointSchema } from "../../config";
import { batchEndpointSchema, retrainingSchema } from "../../config";
import { DeclaredAssets, resolveReference, undeclaredAssetKey } from "../../components/shared/assetReferences";
import { Plan, PlannedResource } from "../../plan/contract";
import { dependsOn, idOf, one, planWith } from "../support/plan";
import { projectWithCondaSpec } from "../support/projectRoot";

/**
 * Deployments and jobs that name the stack's declared assets by key: the exact model reference and
 * environment version id each gets, with a workspace and a registry model, and what a changed
 * environment spec does to the deployments that use it.
 */

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const RG = "rg-aml";
const WORKSPACE = "mlw-aml";
const WORKSPACE_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/${WORKSPACE}`;
const IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20250601.v1";
const SPEC_V1 = "channels: [conda-forge]\ndependencies:\n  - python=3.11\n  - pip:\n      - scikit-learn==1.5.2\n";
const SPEC_V2 = SPEC_V1.replace("1.5.2", "1.6.0");
const V1 = environmentVersion(IMAGE, SPEC_V1);
const V2 = environmentVersion(IMAGE, SPEC_V2);

const T = {
  environment: "azure-native:machinelearningservices:EnvironmentVersion",
  deployment: "azure-native:machinelearningservices:OnlineDeployment",
  batchDeployment: "azure-native:machinelearningservices:BatchDeployment",
} as const;

/** One online endpoint whose deployment names the declared model and environment by key. */
const ONLINE = endpointSchema.parse({
  deployments: {
    blue: { instanceType: "Standard_DS3_v2", model: "churn", environment: "churn-inference" },
    pinned: {
      instanceType: "Standard_DS3_v2",
      model: "azureml:churn:1",
      environment: "azureml:churn-inference:0123456789",
    },
  },
});
const BATCH = batchEndpointSchema.parse({
  deployments: {
    score: {
      cluster: "cpu",
      model: "churn",
      environment: "churn-inference",
      code: { codeId: "azureml:churn-score:1", scoringScript: "batch_driver.py" },
    },
  },
});
const RETRAINING = retrainingSchema.parse({
  cron: "0 2 * * 0",
  cluster: "cpu",
  job: { command: "python train.py", environment: "churn-inference" },
});

describe("deployments and jobs that name declared assets by key", () => {
  let plan: Plan;
  const environmentOf = (stage: "v1" | "v2"): PlannedResource =>
    one(plan, T.environment, `${stage}-assets-env-churn-inference-${stage === "v1" ? V1 : V2}`);

  beforeAll(async () => {
    plan = await planWith(async () => {
      const ml = await import("@pulumi/azure-native/machinelearningservices");
      const { VersionedAssets } = await import("../../components/versionedAssets");
      const { ManagedOnlineEndpoint } = await import("../../components/managedOnlineEndpoint");
      const { BatchScoringEndpoint } = await import("../../components/batchScoringEndpoint");
      const { batchEndpointSettings, onlineEndpointSettings } = await import("../../serving/environment");
      const { retrainingScheduleProperties } = await import("../../components/retraining");
      const { declaredAssets } = await import("../../components/shared/assetReferences");
      const cpu = new ml.Compute("cpu", {
        computeName: "cpu",
        resourceGroupName: RG,
        workspaceName: WORKSPACE,
        properties: { computeType: "AmlCompute" },
      });
      const common = { resourceGroupName: RG, workspaceName: WORKSPACE };
      const environments = { "churn-inference": { image: IMAGE } };
      // v1: a workspace model and the first spec; v2: the spec changed, and the model promoted to the stack's registry.
      const v1 = {
        assets: new VersionedAssets("v1-assets", {
          ...common,
          environments: loadEnvironmentSpecs(environments, projectWithCondaSpec(SPEC_V1)),
          models: { churn: { version: "2", from: "workspace" } },
        }),
      };
      const v2 = {
        assets: new VersionedAssets("v2-assets", {
          ...common,
          environments: loadEnvironmentSpecs(environments, projectWithCondaSpec(SPEC_V2)),
          models: { churn: { version: "3", from: "registry" } },
          registryName: "mlr-amltest",
        }),
      };
      const placement = {
        resourceGroupName: RG,
        location: "westeurope",
        workspaceName: WORKSPACE,
        workspaceId: WORKSPACE_ID,
        armEndpoint: "https://management.azure.com",
      };
      const online = {
        ...placement,
        ...onlineEndpointSettings(ONLINE),
        identityId: `${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-endpoints`,
      };
      new ManagedOnlineEndpoint("v1-online", {
        ...online,
        endpointName: "churn-v1",
        assets: declaredAssets(v1.assets),
      });
      new ManagedOnlineEndpoint("v2-online", {
        ...online,
        endpointName: "churn-v2",
        assets: declaredAssets(v2.assets),
      });
      const batch = { ...placement, ...batchEndpointSettings(BATCH), clusterIds: { cpu: cpu.id } };
      new BatchScoringEndpoint("v1-batch", {
        ...batch,
        endpointName: "churn-batch-v1",
        assets: declaredAssets(v1.assets),
      });
      new BatchScoringEndpoint("v2-batch", {
        ...batch,
        endpointName: "churn-batch-v2",
        assets: declaredAssets(v2.assets),
      });

      const rejected: string[] = [];
      for (const model of ["fraud", "azureml:fraud:1"]) {
        try {
          const config = endpointSchema.parse({
            deployments: { red: { instanceType: "Standard_DS3_v2", model, environment: "churn-env" } },
          });
          new ManagedOnlineEndpoint(`ghost-${rejected.length}`, {
            ...online,
            ...onlineEndpointSettings(config),
            endpointName: "ghost",
            assets: declaredAssets(v1.assets),
          });
        } catch (error) {
          rejected.push((error as Error).message);
        }
      }
      const job = retrainingScheduleProperties(RETRAINING, {
        workspaceId: WORKSPACE_ID,
        clusterId: cpu.id,
        identityClientId: "client-id",
        assets: declaredAssets(v2.assets),
      });
      return {
        rejected,
        retrainingEnvironmentId: pulumi
          .output(job.action)
          .apply((a) => (a as { jobDefinition: { environmentId: string } }).jobDefinition.environmentId),
      };
    });
  });

  it("gives a model key its exact reference: the workspace model id, or the registry URI unchanged", () => {
    expect(plan.lateRegistrations).toEqual([]);
    const model = (name: string) => (one(plan, T.deployment, name).inputs.properties as { model: string }).model;
    expect(model("v1-online-blue")).toBe(`${WORKSPACE_ID}/models/churn/versions/2`);
    expect(model("v2-online-blue")).toBe("azureml://registries/mlr-amltest/models/churn/versions/3");
    const assetId = (name: string) =>
      (one(plan, T.batchDeployment, name).inputs.properties as { model: { assetId: string } }).model.assetId;
    expect(assetId("v1-batch-score")).toBe(`${WORKSPACE_ID}/models/churn/versions/2`);
    expect(assetId("v2-batch-score")).toBe("azureml://registries/mlr-amltest/models/churn/versions/3");
  });

  it("gives an environment key the id of the environment version the stack creates, and the deployment depends on that version", () => {
    for (const [stage, deployment] of [
      ["v1", one(plan, T.deployment, "v1-online-blue")],
      ["v2", one(plan, T.deployment, "v2-online-blue")],
      ["v1", one(plan, T.batchDeployment, "v1-batch-score")],
      ["v2", one(plan, T.batchDeployment, "v2-batch-score")],
    ] as const) {
      const environment = environmentOf(stage);
      expect(idOf(environment)).toBe(
        `${WORKSPACE_ID}/environments/churn-inference/versions/${stage === "v1" ? V1 : V2}`,
      );
      expect((deployment.inputs.properties as { environmentId: string }).environmentId).toBe(idOf(environment));
      expect(deployment.propertyDependencies.properties).toContain(environment.urn);
      expect(dependsOn(plan, deployment, environment)).toBe(true);
    }
    expect(plan.outputs.retrainingEnvironmentId).toBe(idOf(environmentOf("v2")));
  });

  it("moves a deployment to a new environment version when the spec changes: same deployment, new environment id", () => {
    expect(V1).not.toBe(V2);
    const v1 = one(plan, T.deployment, "v1-online-blue");
    const v2 = one(plan, T.deployment, "v2-online-blue");
    // Same deployment name: an update of the deployment, not a new one.
    expect(v2.inputs.deploymentName).toBe(v1.inputs.deploymentName);
    expect((v2.inputs.properties as { environmentId: string }).environmentId).not.toBe(
      (v1.inputs.properties as { environmentId: string }).environmentId,
    );
    expect(environmentOf("v2").name).not.toBe(environmentOf("v1").name);
  });

  it("passes literal references through as before, next to keys", () => {
    expect(one(plan, T.deployment, "v1-online-pinned").inputs.properties).toMatchObject({
      model: `${WORKSPACE_ID}/models/churn/versions/1`,
      environmentId: `${WORKSPACE_ID}/environments/churn-inference/versions/0123456789`,
    });
  });

  it("rejects a key the stack does not declare before creating anything, naming the deployment, the key and the declared keys", () => {
    expect(plan.outputs.rejected).toEqual([
      "deployment red: fraud is not a key of assets.models (declared: churn)",
      "deployment red: churn-env is not a key of assets.environments (declared: churn-inference)",
    ]);
    // Only the component itself is registered: no endpoint, no deployment.
    expect(
      plan.resources.filter((r) => r.custom && (r.name.startsWith("ghost") || r.inputs.endpointName === "ghost")),
    ).toEqual([]);
  });
});

describe("resolveReference", () => {
  const declared: DeclaredAssets = {
    models: { churn: "azureml:churn:4" },
    environments: { "churn-inference": `${WORKSPACE_ID}/environments/churn-inference/versions/${V1}` },
  };

  it("leaves code references and literal references to the literal conversion", () => {
    expect(
      resolveReference("azureml://registries/shared/models/churn/versions/2", "models", WORKSPACE_ID, declared),
    ).toBe("azureml://registries/shared/models/churn/versions/2");
    expect(resolveReference(`${WORKSPACE_ID}/codes/score/versions/1`, "codes", WORKSPACE_ID)).toBe(
      `${WORKSPACE_ID}/codes/score/versions/1`,
    );
  });

  it("resolves a declared environment key to its version id, and says which keys exist for an undeclared one", () => {
    expect(resolveReference("churn-inference", "environments", WORKSPACE_ID, declared)).toBe(
      declared.environments["churn-inference"],
    );
    expect(undeclaredAssetKey("churn", "models", declared)).toBeUndefined();
    expect(undeclaredAssetKey("azureml:fraud:1", "models", undefined)).toBeUndefined();
    expect(undeclaredAssetKey("fraud", "models", undefined)).toBe(
      "fraud is not a key of assets.models (none declared)",
    );
    expect(() => resolveReference("sklearn-env", "environments", WORKSPACE_ID, declared)).toThrow(
      "sklearn-env is not a key of assets.environments (declared: churn-inference)",
    );
  });
});
