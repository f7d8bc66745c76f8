import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { batchEndpointSchema } from "../../config";
import { Plan, PlannedResource } from "../../plan/contract";
import { RG, WORKSPACE, WORKSPACE_ID, testCluster } from "../support/mlops";
import { idOf, one, ofType, planWith } from "../support/plan";

/** Batch endpoints: private by the workspace, Entra-token only, no identity, deployments on the configured clusters. */

const T = {
  endpoint: "azure-native:machinelearningservices:BatchEndpoint",
  deployment: "azure-native:machinelearningservices:BatchDeployment",
  compute: "azure-native:machinelearningservices:Compute",
  /** EndpointTraffic is a dynamic resource: this type, with `resourceKind` secure-azureml:EndpointTraffic. */
  dynamic: "pulumi-nodejs:dynamic:Resource",
};

const mlflow = batchEndpointSchema.parse({
  description: "Churn scoring of the customer base",
  defaultDeployment: "score",
  deployments: {
    score: {
      cluster: "cpu",
      model: "azureml:churn:1",
      instanceCount: 2,
      maxConcurrencyPerInstance: 2,
      miniBatchSize: 20,
      retry: { maxRetries: 3, timeoutSeconds: 300 },
      output: {
        action: "AppendRow",
        fileName: "churn-scores.csv",
        path: "azureml://datastores/workspaceblobstore/paths/batch/churn-scores/",
      },
    },
  },
});
const custom = batchEndpointSchema.parse({
  deployments: {
    images: {
      cluster: "gpu",
      model: "azureml://registries/ml-shared/models/vision/versions/5",
      environment: "azureml:vision-batch:3",
      code: { codeId: `${WORKSPACE_ID}/codes/vision-batch/versions/2`, scoringScript: "batch_driver.py" },
      errorThreshold: 10,
      loggingLevel: "Debug",
      output: { action: "SummaryOnly" },
    },
    "images-next": {
      cluster: "gpu",
      model: "azureml:vision:6",
      environment: "azureml:vision-batch:3",
      code: { codeId: "azureml:vision-batch:3", scoringScript: "batch_driver.py" },
    },
  },
});

describe("BatchScoringEndpoint", () => {
  let plan: Plan;
  let endpoint: PlannedResource;
  let score: PlannedResource;
  let cpu: PlannedResource;
  let gpu: PlannedResource;
  let builder: PlannedResource;

  beforeAll(async () => {
    plan = await planWith(async () => {
      const { BatchScoringEndpoint } = await import("../../components/batchScoringEndpoint");
      const { batchEndpointSettings } = await import("../../serving/environment");
      const clusters = {
        cpu: await testCluster("cpu", "Standard_DS3_v2"),
        gpu: await testCluster("gpu", "Standard_NC4as_T4_v3"),
        builder: await testCluster("image-builder", "Standard_DS3_v2"),
      };
      const clusterIds = { cpu: clusters.cpu.id, gpu: clusters.gpu.id };
      const placement = {
        resourceGroupName: RG,
        location: "westeurope",
        tags: { env: "test" },
        workspaceName: WORKSPACE,
        workspaceId: WORKSPACE_ID,
        clusterIds,
        armEndpoint: "https://management.azure.com",
      };
      // Every deployment waits for the component's dependencies (the image builder).
      const churn = new BatchScoringEndpoint(
        "churn-batch",
        { ...placement, endpointName: "churn-batch-ab12c", ...batchEndpointSettings(mlflow) },
        { dependsOn: [clusters.builder] },
      );
      new BatchScoringEndpoint("vision-batch", {
        ...placement,
        endpointName: "vision-batch-ab12c",
        ...batchEndpointSettings(custom),
      });
      return {
        scoringUri: churn.scoringUri,
        deployments: pulumi.all(Object.fromEntries(Object.entries(churn.deployments).map(([k, d]) => [k, d.id]))),
      };
    });
    endpoint = one(plan, T.endpoint, "churn-batch");
    score = one(plan, T.deployment, "churn-batch-score");
    cpu = one(plan, T.compute, "cpu");
    gpu = one(plan, T.compute, "gpu");
    builder = one(plan, T.compute, "image-builder");
  });

  it("creates the endpoint with Entra-token auth, no identity, no default deployment at creation, and nothing else (no role, no network resource)", () => {
    expect(endpoint.inputs).toEqual({
      endpointName: "churn-batch-ab12c",
      workspaceName: WORKSPACE,
      resourceGroupName: RG,
      location: "westeurope",
      tags: { env: "test" },
      // The default deployment may name only an existing deployment (deploy-audit B6): EndpointTraffic sets it after it.
      properties: { authMode: "AADToken", description: "Churn scoring of the customer base" },
    });
    expect(endpoint.inputs.identity).toBeUndefined();
    expect(endpoint.options.customTimeouts).toEqual({ create: "30m", update: "30m", delete: "30m" });
    expect(endpoint.options.ignoreChanges).toEqual(["properties.defaults"]);
    expect(
      plan.resources
        .filter((r) => r.custom)
        .map((r) => r.type)
        .sort(),
    ).toEqual(
      [
        T.endpoint,
        T.endpoint,
        T.deployment,
        T.deployment,
        T.deployment,
        T.compute,
        T.compute,
        T.compute,
        T.dynamic,
      ].sort(),
    );
    expect(plan.outputs.scoringUri).toBe("https://churn-batch-ab12c.westeurope.inference.ml.azure.com/jobs");
  });

  it("sets the default deployment score through EndpointTraffic once the deployment exists; an endpoint without one gets none", () => {
    const defaults = one(plan, T.dynamic, "churn-batch-default-deployment");
    expect(defaults.inputs).toMatchObject({
      resourceKind: "secure-azureml:EndpointTraffic",
      endpointId: idOf(endpoint),
      endpointKind: "batch",
      defaultDeployment: "score",
      apiVersion: "2025-12-01",
      armEndpoint: "https://management.azure.com",
    });
    expect(defaults.inputs).not.toHaveProperty("traffic");
    expect(defaults.inputs).not.toHaveProperty("mirrorTraffic");
    expect(defaults.dependencies).toContain(score.urn);
    expect(
      ofType(plan, T.dynamic).filter((r) => r.inputs.endpointId === idOf(one(plan, T.endpoint, "vision-batch"))),
    ).toEqual([]);
  });

  it("runs an MLflow model deployment on the configured cluster with exactly the configured scoring settings", () => {
    expect(score.inputs).toEqual({
      deploymentName: "score",
      endpointName: "churn-batch-ab12c",
      workspaceName: WORKSPACE,
      resourceGroupName: RG,
      location: "westeurope",
      tags: { env: "test" },
      properties: {
        description: "Batch scoring on cluster cpu.",
        compute: idOf(cpu),
        model: { referenceType: "Id", assetId: `${WORKSPACE_ID}/models/churn/versions/1` },
        resources: { instanceCount: 2 },
        maxConcurrencyPerInstance: 2,
        miniBatchSize: 20,
        errorThreshold: -1,
        loggingLevel: "Info",
        retrySettings: { maxRetries: 3, timeout: "PT5M" },
        outputAction: "AppendRow",
        outputFileName: "churn-scores.csv",
      },
    });
    expect(score.dependencies).toEqual(expect.arrayContaining([endpoint.urn, builder.urn, cpu.urn]));
    expect(score.dependencies).not.toContain(gpu.urn);
    expect(plan.outputs.deployments).toEqual({ score: idOf(score) });
  });

  it("gives a custom model its environment and batch driver, writes no merged file for SummaryOnly, and defaults the file name for AppendRow", () => {
    const images = one(plan, T.deployment, "vision-batch-images");
    expect(images.inputs.properties).toEqual({
      description: "Batch scoring on cluster gpu.",
      compute: idOf(gpu),
      model: { referenceType: "Id", assetId: "azureml://registries/ml-shared/models/vision/versions/5" },
      environmentId: `${WORKSPACE_ID}/environments/vision-batch/versions/3`,
      codeConfiguration: { codeId: `${WORKSPACE_ID}/codes/vision-batch/versions/2`, scoringScript: "batch_driver.py" },
      resources: { instanceCount: 1 },
      maxConcurrencyPerInstance: 1,
      miniBatchSize: 10,
      errorThreshold: 10,
      loggingLevel: "Debug",
      retrySettings: { maxRetries: 3, timeout: "PT30S" },
      outputAction: "SummaryOnly",
      // The SDK fills in its default file name; SummaryOnly writes no merged file, so Azure does not use it.
      outputFileName: "predictions.csv",
    });
    const next = one(plan, T.deployment, "vision-batch-images-next");
    expect(next.inputs.properties).toMatchObject({
      outputAction: "AppendRow",
      outputFileName: "predictions.csv",
      codeConfiguration: { codeId: `${WORKSPACE_ID}/codes/vision-batch/versions/3` },
    });
    // Deployments of one endpoint are created one after another; no default deployment is set unless configured.
    expect(next.dependencies).toContain(images.urn);
    expect(
      (one(plan, T.endpoint, "vision-batch").inputs.properties as Record<string, unknown>).defaults,
    ).toBeUndefined();
  });

  it("never sets a public network flag or an identity on batch resources", () => {
    for (const r of [...ofType(plan, T.endpoint), ...ofType(plan, T.deployment)]) {
      expect(JSON.stringify(r.inputs)).not.toMatch(/publicNetworkAccess|identity/i);
    }
  });
});
