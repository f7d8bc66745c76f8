import { beforeAll, describe, expect, it } from "vitest";
import { loadEnvironmentSpecs } from "../../config";
import { environmentVersion } from "../../components/shared/assetVersions";
import { Plan, PlannedResource } from "../../plan/contract";
import { dependsOn, idOf, one, ofType, planWith } from "../support/plan";
import { projectWithCondaSpec } from "../support/projectRoot";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const WORKSPACE = `${SUB}/resourceGroups/rg-aml/providers/Microsoft.MachineLearningServices/workspaces/mlw-aml`;
const IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20250601.v1";
const SPEC_V1 = "channels: [conda-forge]\ndependencies:\n  - python=3.11\n  - pip:\n      - scikit-learn==1.5.2\n";
const SPEC_V2 = SPEC_V1.replace("1.5.2", "1.6.0");
const TAGS = { "managed-by": "pulumi", environment: "test" };

const ENVIRONMENT = "azure-native:machinelearningservices:EnvironmentVersion";
const DATA = "azure-native:machinelearningservices:DataVersion";
const COMPUTE = "azure-native:machinelearningservices:Compute";

describe("VersionedAssets (specs read from the repository by the program, at start)", () => {
  let plan: Plan;
  const v1 = environmentVersion(IMAGE, SPEC_V1);
  const v2 = environmentVersion(IMAGE, SPEC_V2);

  beforeAll(async () => {
    plan = await planWith(async () => {
      const ml = await import("@pulumi/azure-native/machinelearningservices");
      const { VersionedAssets } = await import("../../components/versionedAssets");
      const builder = new ml.Compute("image-builder", {
        computeName: "image-builder",
        resourceGroupName: "rg-aml",
        workspaceName: "mlw-aml",
        properties: { computeType: "AmlCompute" },
      });
      const common = { resourceGroupName: "rg-aml", tags: TAGS, workspaceName: "mlw-aml", imageBuilder: builder };
      // The program (platform/environment.ts) reads the conda specs and passes their contents: the component reads no files.
      const before = new VersionedAssets("before-assets", {
        ...common,
        environments: loadEnvironmentSpecs(
          { "churn-inference": { image: IMAGE, description: "Churn scoring runtime" } },
          projectWithCondaSpec(SPEC_V1),
        ),
        data: {
          "churn-training": {
            type: "uri_folder",
            datastore: "workspaceblobstore",
            path: "churn/training/2026-06/",
            description: "June snapshot",
          },
          "churn-labels": { type: "uri_file", datastore: "workspaceartifactstore", path: "churn/labels.csv" },
        },
        models: { churn: { version: "2", from: "workspace" } },
      });
      // The caller may give the spec's contents directly; the version is then derived from image and contents.
      const after = new VersionedAssets("after-assets", {
        ...common,
        environments: { "churn-inference": { image: IMAGE, condaFile: SPEC_V2 } },
        data: {
          "churn-training": { type: "uri_folder", datastore: "workspaceblobstore", path: "churn/training/2026-07/" },
        },
        models: { churn: { version: "3", from: "registry" } },
        registryName: "mlr-amltest",
      });
      const rejected: string[] = [];
      try {
        new VersionedAssets("ghost-assets", {
          ...common,
          environments: loadEnvironmentSpecs({ ghost: { image: IMAGE } }, projectWithCondaSpec(SPEC_V1)),
        });
      } catch (error) {
        rejected.push((error as Error).message);
      }
      try {
        new VersionedAssets("orphan-assets", { ...common, models: { churn: { version: "3", from: "registry" } } });
      } catch (error) {
        rejected.push((error as Error).message);
      }
      return {
        rejected,
        beforeEnvironments: before.environments,
        beforeData: before.data,
        beforeModels: before.modelReferences,
        afterModels: after.modelReferences,
      };
    });
  });

  const environmentOf = (component: string): PlannedResource =>
    one(plan, ENVIRONMENT, `${component}-assets-env-churn-inference-${component === "before" ? v1 : v2}`);

  it("creates every asset synchronously, and nothing for an environment whose spec is missing", () => {
    expect(plan.lateRegistrations).toEqual([]);
    expect(plan.outputs.rejected).toEqual([
      "assets.environments.ghost.condaFile names assets/environments/ghost/conda.yaml, which does not exist in the repository (paths are relative to the project root)",
      "model reference churn comes from the registry, but no registryName was given",
    ]);
    expect(
      ofType(plan, ENVIRONMENT)
        .map((e) => e.name)
        .sort(),
    ).toEqual([`after-assets-env-churn-inference-${v2}`, `before-assets-env-churn-inference-${v1}`]);
  });

  it("creates an environment version from the curated image and the spec's content, Linux, never rebuilt behind its back", () => {
    const env = environmentOf("before");
    expect(env.inputs).toEqual({
      resourceGroupName: "rg-aml",
      workspaceName: "mlw-aml",
      name: "churn-inference",
      version: v1,
      properties: {
        image: IMAGE,
        condaFile: SPEC_V1,
        osType: "Linux",
        autoRebuild: "Disabled",
        description: "Churn scoring runtime",
        tags: TAGS,
        isAnonymous: false,
        isArchived: false,
      },
    });
    expect(idOf(env)).toBe(`${WORKSPACE}/environments/churn-inference/versions/${v1}`);
    expect(plan.outputs.beforeEnvironments).toEqual({
      "churn-inference": {
        name: "churn-inference",
        version: v1,
        reference: `azureml:churn-inference:${v1}`,
        id: idOf(env),
      },
    });
  });

  it("waits for the image-build cluster the private workspace builds environment images on", () => {
    const builder = one(plan, COMPUTE, "image-builder");
    expect(dependsOn(plan, environmentOf("before"), builder)).toBe(true);
    expect(environmentOf("before").dependencies).toContain(builder.urn);
  });

  it("turns a changed spec into a new version with a new logical name (the old version is not updated in place)", () => {
    expect(v1).not.toBe(v2);
    expect(environmentOf("after").inputs).toMatchObject({
      name: "churn-inference",
      version: v2,
      properties: { condaFile: SPEC_V2 },
    });
  });

  it("keeps every asset version in Azure when it leaves the program (retainOnDelete)", () => {
    const assets = [...ofType(plan, ENVIRONMENT), ...ofType(plan, DATA)];
    expect(assets.length).toBe(5);
    for (const asset of assets) expect(asset.options.retainOnDelete, asset.name).toBe(true);
    expect(plan.resources.find((r) => r.name === "image-builder")?.options.retainOnDelete).toBe(false);
  });

  it("creates data versions on identity-based datastores, versioned by type and URI", () => {
    const data = ofType(plan, DATA).filter((d) => d.parent?.endsWith("::before-assets"));
    const byName = Object.fromEntries(data.map((d) => [String(d.inputs.name), d]));
    expect(byName["churn-training"].inputs.properties).toEqual({
      dataType: "uri_folder",
      dataUri: "azureml://datastores/workspaceblobstore/paths/churn/training/2026-06/",
      description: "June snapshot",
      tags: TAGS,
    });
    expect(byName["churn-labels"].inputs.properties).toEqual({
      dataType: "uri_file",
      dataUri: "azureml://datastores/workspaceartifactstore/paths/churn/labels.csv",
      tags: TAGS,
    });
    const version = String(byName["churn-training"].inputs.version);
    expect(byName["churn-training"].name).toBe(`before-assets-data-churn-training-${version}`);
    expect(idOf(byName["churn-training"])).toBe(`${WORKSPACE}/data/churn-training/versions/${version}`);
    const moved = ofType(plan, DATA).find((d) => d.parent?.endsWith("::after-assets"));
    expect(moved?.inputs.version).not.toBe(version);
    expect(
      (plan.outputs.beforeData as Record<string, { uri: string; reference: string }>)["churn-training"],
    ).toMatchObject({
      uri: "azureml://datastores/workspaceblobstore/paths/churn/training/2026-06/",
      reference: `azureml:churn-training:${version}`,
    });
  });

  it("resolves model references against the workspace or the stack's registry", () => {
    expect(plan.outputs.beforeModels).toEqual({ churn: "azureml:churn:2" });
    expect(plan.outputs.afterModels).toEqual({ churn: "azureml://registries/mlr-amltest/models/churn/versions/3" });
  });
});
