import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readCondaSpec } from "../../config";
import { environmentVersion } from "../../components/shared/assetVersions";
import { Plan, PlannedResource } from "../../plan/contract";
import { readStackFile } from "../../plan/stackFile";
import { resourcePolicies } from "../../policies/rules";
import { endpointsPolicies } from "../../policies/rules/endpoints";
import { mandatoryViolations } from "../policies/fixtures/data";
import { idOf, one, ofType } from "../support/plan";
import { PLATFORM_PROJECT, SERVING_PROJECT, layerOutputs, projectOf } from "../support/layers";
import { T, idOfType, planStackFile, planStackFileFresh } from "../support/stack";

/**
 * The shipped stacks' deployments name the versioned assets they declare by key (`model: churn`,
 * `environment: churn-inference`): the exact model reference and environment version id each
 * deployment gets, and what a changed environment spec does to them. Models are pinned by the serving
 * layer (`secure-azureml-serving:models`); environment versions are created by the platform layer,
 * which is deployed first, so a deployment refers to one by id without a dependency across layers.
 */

const ROOT = resolve(__dirname, "../..");
const IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20250601.v1";
const CHANGED_SPEC = "test/fixtures/environments/churn-inference-changed.conda.yaml";
const ENVIRONMENT = "azure-native:machinelearningservices:EnvironmentVersion";
const BATCH_DEPLOYMENT = "azure-native:machinelearningservices:BatchDeployment";
const SCHEDULE = "azure-native:machinelearningservices:Schedule";

function versionOf(path: string): string {
  const spec = readCondaSpec(ROOT, path);
  if (!spec.ok) throw new Error(spec.problem);
  return environmentVersion(IMAGE, spec.content);
}
const SHIPPED_VERSION = versionOf("assets/environments/churn-inference/conda.yaml");
const CHANGED_VERSION = versionOf(CHANGED_SPEC);

type DeploymentProperties = { model: string; environmentId: string };
const propertiesOf = (deployment: PlannedResource) => deployment.inputs.properties as DeploymentProperties;
/** The one environment version the `assets` config creates in a stack. */
const assetEnvironment = (plan: Plan) =>
  one(
    plan,
    ENVIRONMENT,
    `${plan.stack === "prod" ? "amlprod" : "amldev"}-mlops-registry-assets-env-churn-inference-${SHIPPED_VERSION}`,
  );
const policyConfig = (stack: string) =>
  JSON.parse(readFileSync(resolve(ROOT, `policy-config.${stack}.json`), "utf8")) as Record<
    string,
    Record<string, unknown>
  >;

describe("stack dev: deployments use the declared model and environment", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planStackFile("dev");
  });

  it("serves blue with models.churn (version 1, workspace) and lists it among the assets to register first", () => {
    const workspaceId = idOfType(plan, T.workspace);
    expect(ofType(plan, T.deployment).map((d) => d.name)).toEqual(["amldev-serving-endpoint-churn-blue"]);
    expect(propertiesOf(one(plan, T.deployment, "amldev-serving-endpoint-churn-blue")).model).toBe(
      `${workspaceId}/models/churn/versions/1`,
    );
    expect(layerOutputs(plan, PLATFORM_PROJECT).assets).not.toHaveProperty("models");
    expect(layerOutputs(plan, SERVING_PROJECT).requiredAssets).toEqual([
      {
        key: "secure-azureml-serving:endpoints.churn.deployments.blue.model",
        reference: `${workspaceId}/models/churn/versions/1`,
      },
      {
        key: "secure-azureml-serving:endpoints.churn.deployments.blue.code.codeId",
        reference: `${workspaceId}/codes/churn-scoring/versions/1`,
      },
    ]);
  });

  it("runs blue in the churn-inference environment version the platform layer creates (deployed before the serving layer)", () => {
    const environment = assetEnvironment(plan);
    expect(idOf(environment)).toBe(
      `${idOfType(plan, T.workspace)}/environments/churn-inference/versions/${SHIPPED_VERSION}`,
    );
    expect(projectOf(environment)).toBe(PLATFORM_PROJECT);
    expect(plan.layers?.map((l) => l.project)).toEqual([PLATFORM_PROJECT, SERVING_PROJECT]);
    for (const deployment of ofType(plan, T.deployment)) {
      expect(projectOf(deployment), deployment.name).toBe(SERVING_PROJECT);
      expect(propertiesOf(deployment).environmentId, deployment.name).toBe(idOf(environment));
    }
  });
});

describe("stack prod: the endpoint and batch scoring use the promoted registry model", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planStackFile("prod");
  });

  it("serves blue with models.churn (version 1 from mlr-amlprod), by its registry URI, and lists it among the assets to register first", () => {
    const blue = one(plan, T.deployment, "amlprod-serving-endpoint-churn-blue");
    const registryModel = "azureml://registries/mlr-amlprod/models/churn/versions/1";
    expect(propertiesOf(blue).model).toBe(registryModel);
    const required = layerOutputs(plan, SERVING_PROJECT).requiredAssets as { key: string; reference: string }[];
    expect(required.filter((r) => r.key.endsWith(".model"))).toEqual([
      { key: "secure-azureml-serving:endpoints.churn.deployments.blue.model", reference: registryModel },
      { key: "secure-azureml-serving:batchEndpoints.churn-batch.deployments.score.model", reference: registryModel },
    ]);
  });

  it("runs blue in the churn-inference environment version the prod platform creates (same spec, same version as dev)", () => {
    const blue = one(plan, T.deployment, "amlprod-serving-endpoint-churn-blue");
    const environment = assetEnvironment(plan);
    expect(propertiesOf(blue).environmentId).toBe(
      `${idOfType(plan, T.workspace)}/environments/churn-inference/versions/${SHIPPED_VERSION}`,
    );
    expect(propertiesOf(blue).environmentId).toBe(idOf(environment));
    expect([projectOf(environment), projectOf(blue)]).toEqual([PLATFORM_PROJECT, SERVING_PROJECT]);
  });

  it("scores in batch with the same registry model (an MLflow model: no environment), and retrains in its literal example environment", () => {
    const score = one(plan, BATCH_DEPLOYMENT);
    expect(score.inputs.properties).toMatchObject({
      model: { referenceType: "Id", assetId: "azureml://registries/mlr-amlprod/models/churn/versions/1" },
    });
    expect((score.inputs.properties as Record<string, unknown>).environmentId).toBeUndefined();
    const retraining = ofType(plan, SCHEDULE).find((s) => s.inputs.name === "retraining") as PlannedResource;
    const job = (retraining.inputs.properties as { action: { jobDefinition: { environmentId: string } } }).action
      .jobDefinition;
    expect(job.environmentId).toBe(`${idOfType(plan, T.workspace)}/environments/churn-train/versions/1`);
  });

  it("passes the model registry rule with the shipped config (mlr-amlprod approved), which judges the resolved registry URI", async () => {
    expect(await mandatoryViolations(plan, resourcePolicies, policyConfig("prod"))).toEqual([]);
    // Without the approval the rule fires on blue: it sees the registry the key resolved to.
    const unapproved = await mandatoryViolations(plan, endpointsPolicies, {
      "aml-online-deployment-model-allowed-registries": { enforcementLevel: "mandatory", allowedModelRegistries: [] },
    });
    expect(unapproved).toEqual([
      expect.stringMatching(
        /^aml-online-deployment-model-allowed-registries .*amlprod-serving-endpoint-churn-blue: .*comes from registry "?mlr-amlprod"?/,
      ),
    ]);
  });
});

describe("stack dev with a changed environment spec", () => {
  let shipped: Plan;
  let changed: Plan;
  beforeAll(async () => {
    shipped = await planStackFile("dev");
    const { config } = readStackFile(resolve(ROOT, "Pulumi.dev.yaml"));
    const assets = JSON.parse(config["secure-azureml:assets"]) as {
      environments: Record<string, Record<string, unknown>>;
    };
    assets.environments["churn-inference"].condaFile = CHANGED_SPEC;
    changed = await planStackFileFresh("dev", undefined, { "secure-azureml:assets": JSON.stringify(assets) });
  });

  it("creates a new environment version (a new resource) instead of rewriting the old one", () => {
    expect(CHANGED_VERSION).not.toBe(SHIPPED_VERSION);
    const versions = (plan: Plan) => ofType(plan, ENVIRONMENT).filter((e) => e.name.includes("-assets-env-"));
    expect(versions(changed).map((e) => e.inputs.version)).toEqual([CHANGED_VERSION]);
    expect(versions(changed)[0].urn).not.toBe(versions(shipped)[0].urn);
    expect(versions(changed)[0].options.retainOnDelete).toBe(true);
  });

  it("points the same deployments (same URNs) at the new version's id: an update of each deployment, not a new one", () => {
    const newId = idOf(
      one(changed, ENVIRONMENT, `amldev-mlops-registry-assets-env-churn-inference-${CHANGED_VERSION}`),
    );
    expect(newId).toMatch(new RegExp(`/environments/churn-inference/versions/${CHANGED_VERSION}$`));
    for (const name of ["amldev-serving-endpoint-churn-blue"]) {
      const before = one(shipped, T.deployment, name);
      const after = one(changed, T.deployment, name);
      expect(after.urn).toBe(before.urn);
      expect(after.inputs.deploymentName).toBe(before.inputs.deploymentName);
      expect(propertiesOf(before).environmentId).toBe(idOf(assetEnvironment(shipped)));
      expect(propertiesOf(after).environmentId).toBe(newId);
      expect(propertiesOf(after).model).toBe(propertiesOf(before).model);
    }
  });
});
