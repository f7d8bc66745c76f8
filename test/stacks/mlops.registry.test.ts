import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readCondaSpec } from "../../config";
import { environmentVersion } from "../../components/shared/assetVersions";
import { BUILT_IN_ROLES } from "secure-azureml-facts";
import { FAKE_TENANT_ID } from "../../plan/azureIds";
import { Plan } from "../../plan/contract";
import { resourcePolicies } from "../../policies/rules";
import { mandatoryViolations } from "../policies/fixtures/data";
import { planAsDeployed, stackVerdict } from "../policies/fixtures/stackPlan";
import { dependsOn, idOf, one, ofType } from "../support/plan";
import { PLATFORM_PROJECT, SERVING_PROJECT, layerOutputs, projectOf } from "../support/layers";
import { T, planStackFile, principalOf, privateEndpointWiring, roleRows, zoneIdsByName } from "../support/stack";

/** The registry and versioned assets in the shipped stacks, and dev publishing to prod's registry. */
const REGISTRY = "azure-native:machinelearningservices:Registry";
const ENVIRONMENT = "azure-native:machinelearningservices:EnvironmentVersion";
const DATA = "azure-native:machinelearningservices:DataVersion";
const DEPLOYMENT = "azure-native:machinelearningservices:OnlineDeployment";
const COMPUTE = "azure-native:machinelearningservices:Compute";
const ML_ENGINEERS = "2b9f6c14-8e2d-4a7b-b3c5-6d1e0f9a8b22";
const PROD_REGISTRY_ID =
  "/subscriptions/5d1c3b2a-9e8f-4a7b-8c6d-1e2f3a4b5c6d/resourceGroups/rg-amlprod/providers/Microsoft.MachineLearningServices/registries/mlr-amlprod";
const IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20250601.v1";
const SPEC = readCondaSpec(resolve(__dirname, "../.."), "assets/environments/churn-inference/conda.yaml");
const SPEC_CONTENT = SPEC.ok ? SPEC.content : "";
const ENV_VERSION = environmentVersion(IMAGE, SPEC_CONTENT);

/** Asset versions created from the `assets` config (other components create data versions too, e.g. for data collection). */
const assetVersions = (plan: Plan, type: string) =>
  ofType(plan, type).filter((r) => r.name.includes("-mlops-registry-assets-"));
const roleGuid = (name: keyof typeof BUILT_IN_ROLES) => BUILT_IN_ROLES[name];
/** The workspace storage account's network settings. */
const storageNetwork = (plan: Plan) => {
  const account = one(plan, T.storage);
  return { publicNetworkAccess: account.inputs.publicNetworkAccess, networkRuleSet: account.inputs.networkRuleSet };
};
const PRIVATE_STORAGE = {
  publicNetworkAccess: "Disabled",
  networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
};
/** Public endpoint on, closed to every network, one resource instance rule for the registry (Microsoft's setup for az ml model share). */
const sharedWith = (registryId: string) => ({
  publicNetworkAccess: "Enabled",
  networkRuleSet: {
    defaultAction: "Deny",
    bypass: "AzureServices",
    ipRules: [],
    virtualNetworkRules: [],
    resourceAccessRules: [{ tenantId: FAKE_TENANT_ID, resourceId: registryId }],
  },
});
const policyConfig = (stack: string) =>
  JSON.parse(readFileSync(resolve(__dirname, `../../policy-config.${stack}.json`), "utf8")) as Record<
    string,
    Record<string, unknown>
  >;

describe("stack prod: the registry of the promotion path", () => {
  let plan: Plan;
  let registryId: string;
  beforeAll(async () => {
    plan = await planStackFile("prod");
    registryId = idOf(one(plan, REGISTRY));
  });

  it("creates mlr-amlprod, private, replicated to northeurope, protected and locked", () => {
    const registry = one(plan, REGISTRY);
    expect(registry.inputs).toMatchObject({
      registryName: "mlr-amlprod",
      location: "westeurope",
      publicNetworkAccess: "Disabled",
      identity: { type: "SystemAssigned" },
    });
    expect((registry.inputs.regionDetails as { location: string }[]).map((r) => r.location)).toEqual([
      "westeurope",
      "northeurope",
    ]);
    expect(registry.options.protect).toBe(true);
    expect(
      ofType(plan, T.lock)
        .filter((l) => l.inputs.scope === registryId)
        .map((l) => l.inputs.level),
    ).toEqual(["CanNotDelete"]);
  });

  it("puts the registry, its storage and its container registry behind private endpoints in the stack's zones", () => {
    const zones = zoneIdsByName(plan);
    const wiring = privateEndpointWiring(plan);
    const subnetId = wiring["pe-amlprod-workspace-amlworkspace"].subnetId;
    expect(wiring["pe-amlprod-mlops-registry-registry-amlregistry"]).toEqual({
      target: registryId,
      groupIds: ["amlregistry"],
      zoneIds: [zones["privatelink.api.azureml.ms"]],
      subnetId,
      zoneGroups: 1,
    });
    expect(wiring["pe-amlprod-mlops-registry-registry-managed-blob"]).toMatchObject({
      groupIds: ["blob"],
      zoneIds: [zones["privatelink.blob.core.windows.net"]],
      subnetId,
      zoneGroups: 1,
    });
    expect(wiring["pe-amlprod-mlops-registry-registry-managed-registry"]).toMatchObject({
      groupIds: ["registry"],
      zoneIds: [zones["privatelink.azurecr.io"]],
      subnetId,
      zoneGroups: 1,
    });
    expect(wiring["pe-amlprod-mlops-registry-registry-managed-blob"].target).toMatch(
      /\/resourceGroups\/azureml-rg-mlr-amlprod_[^/]+\/providers\/Microsoft.Storage\/storageAccounts\//,
    );
    expect(Object.keys(plan.outputs.privateEndpointIds as object)).toEqual(
      expect.arrayContaining(["mlRegistry-amlregistry", "mlRegistry-blob", "mlRegistry-registry"]),
    );
  });

  it("grants on the registry Reader to the endpoint identity and (batch scoring uses the registry model) the compute identity, Contributor to the workspace identity only, all in the platform layer deployed before the deployments", () => {
    const endpoints = principalOf(plan, "id-amlprod-endpoints");
    const compute = principalOf(plan, "id-amlprod-compute");
    expect(
      roleRows(plan)
        .filter((row) => row[2] === registryId)
        .sort(),
    ).toEqual(
      [
        [endpoints, roleGuid("Reader"), registryId, "ServicePrincipal"],
        [compute, roleGuid("Reader"), registryId, "ServicePrincipal"],
        // Approves the managed network's private endpoint to the registry: the connection approver role has no registry actions (deploy-audit R1).
        [principalOf(plan, "id-amlprod-workspace"), roleGuid("Contributor"), registryId, "ServicePrincipal"],
      ].sort(),
    );
    // The grants are the platform's; the deployments are the serving layer's, planned (and deployed) after it.
    const grants = ofType(plan, T.roleAssignment).filter((ra) => ra.inputs.scope === registryId);
    expect(grants.map(projectOf)).toEqual([PLATFORM_PROJECT, PLATFORM_PROJECT, PLATFORM_PROJECT]);
    const deployments = [
      ...ofType(plan, DEPLOYMENT),
      ...ofType(plan, "azure-native:machinelearningservices:BatchDeployment"),
    ];
    expect(deployments.map(projectOf)).toEqual([SERVING_PROJECT, SERVING_PROJECT]);
    expect(plan.layers?.map((l) => l.project)).toEqual([PLATFORM_PROJECT, SERVING_PROJECT]);
  });

  it("creates the environment and data versions from code, and resolves the churn model to the registry", () => {
    const env = one(plan, ENVIRONMENT, `amlprod-mlops-registry-assets-env-churn-inference-${ENV_VERSION}`);
    expect(env.name).toBe(`amlprod-mlops-registry-assets-env-churn-inference-${ENV_VERSION}`);
    expect(env.inputs).toMatchObject({
      name: "churn-inference",
      version: ENV_VERSION,
      properties: { image: IMAGE, condaFile: SPEC_CONTENT, autoRebuild: "Disabled" },
    });
    expect(dependsOn(plan, env, one(plan, COMPUTE, "amlprod-compute-image-builder"))).toBe(true);
    expect((assetVersions(plan, DATA)[0].inputs.properties as { dataUri: string }).dataUri).toBe(
      "azureml://datastores/workspaceblobstore/paths/churn/training/2026-06/",
    );
    expect(assetVersions(plan, DATA)).toHaveLength(1);
    expect(plan.outputs.mlRegistry).toEqual({ name: "mlr-amlprod", id: registryId });
    // The model is pinned by the serving layer and resolved to the platform's registry.
    expect(
      (layerOutputs(plan, SERVING_PROJECT).requiredAssets as { key: string; reference: string }[]).find(
        (r) => r.key === "secure-azureml-serving:endpoints.churn.deployments.blue.model",
      ),
    ).toEqual({
      key: "secure-azureml-serving:endpoints.churn.deployments.blue.model",
      reference: "azureml://registries/mlr-amlprod/models/churn/versions/1",
    });
    expect((plan.outputs.assets as { environments: unknown }).environments).toEqual({
      "churn-inference": `azureml:churn-inference:${ENV_VERSION}`,
    });
    expect(plan.outputs.assets).not.toHaveProperty("models");
  });

  it("keeps the workspace storage account private in consume mode: public network access Disabled, no resource instance rules", () => {
    expect(storageNetwork(plan)).toEqual(PRIVATE_STORAGE);
  });

  it("has zero mandatory violations with the shipped policy config (resource and stack rules)", async () => {
    expect(await mandatoryViolations(plan, resourcePolicies, policyConfig("prod"))).toEqual([]);
    expect((await stackVerdict(planAsDeployed(plan), { environment: "prod" })).mandatory).toEqual({});
  });
});

describe("stack dev: versioned assets, no registry", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planStackFile("dev");
  });

  it("keeps the workspace storage account private (no registry to share into)", () => {
    expect(storageNetwork(plan)).toEqual(PRIVATE_STORAGE);
  });

  it("creates the same environment version as prod (same image, same spec) and a data version, without a registry", () => {
    expect(ofType(plan, REGISTRY)).toEqual([]);
    expect(
      one(plan, ENVIRONMENT, `amldev-mlops-registry-assets-env-churn-inference-${ENV_VERSION}`).inputs.version,
    ).toBe(ENV_VERSION);
    expect(assetVersions(plan, DATA).map((d) => d.inputs.name)).toEqual(["churn-training"]);
    expect(plan.outputs.mlRegistry).toBeUndefined();
    // The serving layer pins churn version 1 in the workspace.
    expect(
      (layerOutputs(plan, SERVING_PROJECT).requiredAssets as { key: string; reference: string }[]).find(
        (r) => r.key === "secure-azureml-serving:endpoints.churn.deployments.blue.model",
      )?.reference,
    ).toBe(`${idOf(one(plan, T.workspace))}/models/churn/versions/1`);
  });
});

describe("stack dev publishing to prod's shared registry", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planStackFile("dev", undefined, {
      "secure-azureml:mlRegistry": JSON.stringify({
        enabled: true,
        mode: "publish",
        existingRegistryId: PROD_REGISTRY_ID,
        shareFromWorkspace: true,
      }),
    });
  });

  it("creates no registry and no lock, only its own amlregistry private endpoint to the shared registry", () => {
    expect(ofType(plan, REGISTRY)).toEqual([]);
    expect(ofType(plan, T.lock)).toEqual([]);
    const zones = zoneIdsByName(plan);
    expect(privateEndpointWiring(plan)["pe-amldev-mlops-registry-registry-amlregistry"]).toMatchObject({
      target: PROD_REGISTRY_ID,
      groupIds: ["amlregistry"],
      zoneIds: [zones["privatelink.api.azureml.ms"]],
      zoneGroups: 1,
    });
    expect(Object.keys(privateEndpointWiring(plan)).filter((name) => name.includes("mlops"))).toEqual([
      "pe-amldev-mlops-registry-registry-amlregistry",
    ]);
  });

  it("lets the dev workspace and compute identities and the ML engineers publish, and the endpoint identity only read", () => {
    const publisher = roleGuid("AzureML Registry User");
    expect(roleRows(plan).filter((row) => row[2] === PROD_REGISTRY_ID)).toEqual(
      [
        [principalOf(plan, "id-amldev-workspace"), publisher, PROD_REGISTRY_ID, "ServicePrincipal"],
        [principalOf(plan, "id-amldev-compute"), publisher, PROD_REGISTRY_ID, "ServicePrincipal"],
        [ML_ENGINEERS, publisher, PROD_REGISTRY_ID, "Group"],
        [principalOf(plan, "id-amldev-endpoints"), roleGuid("Reader"), PROD_REGISTRY_ID, "ServicePrincipal"],
      ].sort((a, b) => a.join("|").localeCompare(b.join("|"))),
    );
  });

  it("lets the shared registry read the dev workspace storage (az ml model share): public endpoint closed to every network but that registry instance, in the stack's tenant", () => {
    expect(storageNetwork(plan)).toEqual(sharedWith(PROD_REGISTRY_ID));
    // The tenant is the one the rest of the stack uses (getClientConfig), e.g. the Key Vault's.
    expect((one(plan, T.vault).inputs.properties as { tenantId: string }).tenantId).toBe(FAKE_TENANT_ID);
    // The storage account keeps its private endpoints.
    const account = one(plan, T.storage);
    expect(
      Object.values(privateEndpointWiring(plan))
        .filter((pe) => pe.target === idOf(account))
        .flatMap((pe) => pe.groupIds),
    ).toEqual(["blob", "file"]);
  });

  it("has zero mandatory violations with the shipped dev policy config", async () => {
    expect(await mandatoryViolations(plan, resourcePolicies, policyConfig("dev"))).toEqual([]);
    expect(
      (
        await stackVerdict(planAsDeployed(plan), {
          environment: "dev",
          managedNetworkOnly: policyConfig("dev")["stack-paas-private-endpoint"].managedNetworkOnly,
        })
      ).mandatory,
    ).toEqual({});
  });
});

describe("stack dev publishing to a registry it creates itself", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planStackFile("dev", undefined, {
      "secure-azureml:mlRegistry": JSON.stringify({ enabled: true, mode: "publish", shareFromWorkspace: true }),
    });
  });

  it("admits the created registry by its id, and the storage account waits for the registry", () => {
    const registry = one(plan, REGISTRY);
    expect(registry.inputs.registryName).toBe("mlr-amldev");
    expect(storageNetwork(plan)).toEqual(sharedWith(idOf(registry)));
    expect(dependsOn(plan, one(plan, T.storage), registry)).toBe(true);
  });

  it("has zero mandatory violations with the shipped dev policy config", async () => {
    expect(await mandatoryViolations(plan, resourcePolicies, policyConfig("dev"))).toEqual([]);
    expect(
      (
        await stackVerdict(planAsDeployed(plan), {
          environment: "dev",
          managedNetworkOnly: policyConfig("dev")["stack-paas-private-endpoint"].managedNetworkOnly,
        })
      ).mandatory,
    ).toEqual({});
  });
});

describe("stack dev publishing without shareFromWorkspace (the default) or with false", () => {
  it.each([undefined, false])(
    "keeps the workspace storage account private (shareFromWorkspace %s)",
    async (shareFromWorkspace) => {
      const plan = await planStackFile("dev", undefined, {
        "secure-azureml:mlRegistry": JSON.stringify({
          enabled: true,
          mode: "publish",
          existingRegistryId: PROD_REGISTRY_ID,
          shareFromWorkspace,
        }),
      });
      expect(storageNetwork(plan)).toEqual(PRIVATE_STORAGE);
    },
  );
});
