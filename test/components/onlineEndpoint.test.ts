import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { endpointSchema } from "../../config";
import { endpointName, resolveAssetReference } from "../../components/managedOnlineEndpoint";
import { Plan, PlannedResource } from "../../plan/contract";
import { dependsOn, idOf, one, ofType, planWith } from "../support/plan";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const RG = "rg-mlops-test";
const WORKSPACE = "mlw-mlops-ab12";
const WORKSPACE_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/${WORKSPACE}`;
const ENDPOINT_IDENTITY = `${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-mlops-endpoints`;
const REGISTRY_MODEL = "azureml://registries/ml-shared/models/churn/versions/7";
const CODE_ID = `${WORKSPACE_ID}/codes/churn-score/versions/3`;
const ENDPOINT = "azure-native:machinelearningservices:OnlineEndpoint";
const DEPLOYMENT = "azure-native:machinelearningservices:OnlineDeployment";
/** EndpointTraffic is a dynamic resource: this type, with `resourceKind` secure-azureml:EndpointTraffic. */
const DYNAMIC = "pulumi-nodejs:dynamic:Resource";

const churn = endpointSchema.parse({
  description: "Churn scoring",
  deployments: {
    blue: {
      instanceType: "Standard_DS3_v2",
      instanceCount: 2,
      model: REGISTRY_MODEL,
      environment: "azureml:churn-env:4",
      code: { codeId: CODE_ID, scoringScript: "score.py" },
      livenessProbe: { initialDelaySeconds: 30, periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 5 },
      requestSettings: { requestTimeoutMs: 1500, maxConcurrentRequestsPerInstance: 4 },
    },
    green: {
      instanceType: "Standard_F4s_v2",
      model: "azureml:churn:8",
      environment: "azureml:churn-env:4",
      autoscale: { minInstances: 1, maxInstances: 4 },
    },
  },
  traffic: { blue: 90, green: 10 },
});
const shadow = endpointSchema.parse({
  authMode: "AMLToken",
  deployments: {
    live: { instanceType: "Standard_DS3_v2", model: "azureml:fraud:1", environment: "azureml:fraud-env:1" },
    shadow: { instanceType: "Standard_DS3_v2", model: "azureml:fraud:2", environment: "azureml:fraud-env:1" },
  },
  traffic: { live: 100 },
  mirrorTraffic: { shadow: 20 },
});

describe("ManagedOnlineEndpoint", () => {
  let plan: Plan;
  let endpoint: PlannedResource;
  let blue: PlannedResource;
  let green: PlannedResource;
  let grant: PlannedResource;
  let builder: PlannedResource;

  beforeAll(async () => {
    plan = await planWith(async () => {
      const authorization = await import("@pulumi/azure-native/authorization");
      const ml = await import("@pulumi/azure-native/machinelearningservices");
      const { ManagedOnlineEndpoint } = await import("../../components/managedOnlineEndpoint");
      const { onlineEndpointSettings } = await import("../../serving/environment");
      const grant = new authorization.RoleAssignment("ra-endpoints-acrpull", {
        roleAssignmentName: "3e2d1c0b-9a8f-5e7d-8c6b-5a4f3e2d1c0b",
        scope: `${SUB}/resourceGroups/${RG}/providers/Microsoft.ContainerRegistry/registries/crmlopsab12`,
        principalId: "1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a",
        principalType: "ServicePrincipal",
        roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d`,
      });
      const builder = new ml.Compute("image-builder", {
        computeName: "image-builder",
        workspaceName: WORKSPACE,
        resourceGroupName: RG,
        properties: {
          computeType: "AmlCompute",
          disableLocalAuth: true,
          properties: { vmSize: "Standard_DS3_v2", enableNodePublicIp: false },
        },
      });
      const placement = {
        resourceGroupName: RG,
        location: "westeurope",
        tags: { env: "test" },
        workspaceName: WORKSPACE,
        workspaceId: WORKSPACE_ID,
        identityId: ENDPOINT_IDENTITY,
        armEndpoint: "https://management.azure.com",
      };
      // The endpoint and every deployment wait for the component's dependencies (the identity's grants, the image builder).
      const main = new ManagedOnlineEndpoint(
        "churn",
        { ...placement, endpointName: "churn-ab12c", ...onlineEndpointSettings(churn) },
        { dependsOn: [grant, builder] },
      );
      new ManagedOnlineEndpoint("fraud", {
        ...placement,
        endpointName: "fraud-ab12c",
        ...onlineEndpointSettings(shadow),
      });
      return {
        scoringUri: main.scoringUri,
        deploymentIds: pulumi.all(Object.fromEntries(Object.entries(main.deployments).map(([k, d]) => [k, d.id]))),
      };
    });
    endpoint = one(plan, ENDPOINT, "churn");
    blue = one(plan, DEPLOYMENT, "churn-blue");
    green = one(plan, DEPLOYMENT, "churn-green");
    grant = one(plan, "azure-native:authorization:RoleAssignment");
    builder = one(plan, "azure-native:machinelearningservices:Compute");
  });

  it("creates a private, Entra-token endpoint running as the endpoints identity, with no traffic on it", () => {
    expect(endpoint.inputs).toEqual({
      endpointName: "churn-ab12c",
      workspaceName: WORKSPACE,
      resourceGroupName: RG,
      location: "westeurope",
      tags: { env: "test" },
      identity: { type: "UserAssigned", userAssignedIdentities: [ENDPOINT_IDENTITY] },
      // Traffic may name only existing deployments (deploy-audit B1): EndpointTraffic sets it after them.
      properties: { authMode: "AADToken", description: "Churn scoring", publicNetworkAccess: "Disabled" },
    });
    expect(endpoint.options.customTimeouts).toEqual({ create: "30m", update: "30m", delete: "30m" });
    expect(endpoint.options.ignoreChanges).toEqual(["properties.traffic", "properties.mirrorTraffic"]);
  });

  it("applies the 90/10 split as plain values through EndpointTraffic, after every deployment of the endpoint", () => {
    const traffic = one(plan, DYNAMIC, "churn-traffic");
    expect(traffic.inputs).toMatchObject({
      resourceKind: "secure-azureml:EndpointTraffic",
      endpointId: idOf(endpoint),
      endpointKind: "online",
      traffic: { blue: 90, green: 10 },
      mirrorTraffic: {},
      apiVersion: "2025-12-01",
      armEndpoint: "https://management.azure.com",
    });
    expect(traffic.inputs).not.toHaveProperty("defaultDeployment");
    expect(traffic.dependencies).toEqual(expect.arrayContaining([blue.urn, green.urn]));
    expect(dependsOn(plan, blue, traffic)).toBe(false);
  });

  it("has no dependency cycle: the endpoint depends on its role assignments, never on a deployment", () => {
    expect(endpoint.dependencies).toContain(grant.urn);
    const deploymentUrns = ofType(plan, DEPLOYMENT).map((d) => d.urn);
    for (const urn of deploymentUrns) {
      expect(endpoint.dependencies).not.toContain(urn);
      expect(Object.values(endpoint.propertyDependencies).flat()).not.toContain(urn);
    }
    expect(dependsOn(plan, endpoint, blue)).toBe(false);
    expect(dependsOn(plan, endpoint, green)).toBe(false);
  });

  it("creates deployments after the endpoint and the image builder, one after another", () => {
    for (const deployment of [blue, green]) {
      expect(deployment.dependencies).toEqual(expect.arrayContaining([endpoint.urn, builder.urn]));
      expect(deployment.propertyDependencies.endpointName).toEqual([endpoint.urn]);
      expect(deployment.inputs.endpointName).toBe("churn-ab12c");
    }
    expect(green.dependencies).toContain(blue.urn);
    expect(blue.dependencies).not.toContain(green.urn);
  });

  it("deploys a managed deployment of a registry model with the egress flag Disabled, App Insights off, ISO probes and request settings", () => {
    expect(blue.inputs).toEqual({
      deploymentName: "blue",
      endpointName: "churn-ab12c",
      workspaceName: WORKSPACE,
      resourceGroupName: RG,
      location: "westeurope",
      tags: { env: "test" },
      sku: { name: "Default", capacity: 2 },
      properties: {
        endpointComputeType: "Managed",
        instanceType: "Standard_DS3_v2",
        model: REGISTRY_MODEL,
        environmentId: `${WORKSPACE_ID}/environments/churn-env/versions/4`,
        codeConfiguration: { codeId: CODE_ID, scoringScript: "score.py" },
        // A registry model: Microsoft requires egress_public_network_access disabled for it (deploy-audit M4).
        egressPublicNetworkAccess: "Disabled",
        // Application Insights has local auth off; no Entra ingestion is documented for deployments (deploy-audit R4).
        appInsightsEnabled: false,
        livenessProbe: {
          initialDelay: "PT30S",
          period: "PT15S",
          timeout: "PT3S",
          failureThreshold: 5,
          successThreshold: 1,
        },
        readinessProbe: {
          initialDelay: "PT10S",
          period: "PT10S",
          timeout: "PT2S",
          failureThreshold: 30,
          successThreshold: 1,
        },
        requestSettings: { requestTimeout: "PT1.5S", maxConcurrentRequestsPerInstance: 4 },
        scaleSettings: { scaleType: "Default" },
      },
    });
    expect(blue.options.customTimeouts).toEqual({ create: "60m", update: "60m", delete: "30m" });
  });

  it("resolves azureml:<name>:<version> to the workspace asset id; sends no egress flag for a workspace model; ignores no capacity change", () => {
    const properties = green.inputs.properties as Record<string, unknown>;
    expect(properties.model).toBe(`${WORKSPACE_ID}/models/churn/versions/8`);
    expect(properties).not.toHaveProperty("codeConfiguration");
    // With a workspace managed network Microsoft says to avoid the flag (deploy-audit M4).
    expect(properties).not.toHaveProperty("egressPublicNetworkAccess");
    expect(properties.appInsightsEnabled).toBe(false);
    // Autoscaled, not deployed yet (no live count given): the configured count; no ignoreChanges, which would resend it on any update (deploy-audit M5).
    expect(green.inputs.sku).toEqual({ name: "Default", capacity: 1 });
    expect(green.options.ignoreChanges).toEqual([]);
    expect(blue.options.ignoreChanges).toEqual([]);
  });

  it("supports AML tokens and mirror traffic, still private", () => {
    const fraud = one(plan, ENDPOINT, "fraud").inputs.properties as Record<string, unknown>;
    expect(fraud).toEqual({ authMode: "AMLToken", publicNetworkAccess: "Disabled" });
    expect(one(plan, ENDPOINT, "fraud").dependencies.some((urn) => urn.includes("OnlineDeployment"))).toBe(false);
    const traffic = one(plan, DYNAMIC, "fraud-traffic");
    expect([traffic.inputs.endpointId, traffic.inputs.traffic, traffic.inputs.mirrorTraffic]).toEqual([
      idOf(one(plan, ENDPOINT, "fraud")),
      { live: 100 },
      { shadow: 20 },
    ]);
    expect(traffic.dependencies).toEqual(
      expect.arrayContaining([one(plan, DEPLOYMENT, "fraud-live").urn, one(plan, DEPLOYMENT, "fraud-shadow").urn]),
    );
  });

  it("exports the scoring URI and deployment ids", () => {
    expect(plan.outputs.scoringUri).toBe("https://churn-ab12c.westeurope.inference.ml.azure.com/score");
    expect(plan.outputs.deploymentIds).toEqual({ blue: idOf(blue), green: idOf(green) });
    expect(idOf(blue)).toBe(`${WORKSPACE_ID}/onlineEndpoints/churn-ab12c/deployments/blue`);
  });
});

describe("endpoint helpers", () => {
  const value = (input: pulumi.Input<string>) =>
    new Promise<string>((resolve) => pulumi.output(input).apply((v) => resolve(v)));

  it("keeps endpoint names within 32 characters, never ending the key part with a hyphen", async () => {
    expect(await value(endpointName("churn", "ab12c"))).toBe("churn-ab12c");
    const long = await value(endpointName("a-very-long-endpoint-name-abcd-ef", "ab12c"));
    expect(long.length).toBeLessThanOrEqual(32);
    expect(long).toBe("a-very-long-endpoint-name-ab12c");
  });

  it("passes registry URIs and resource ids through, expands workspace shorthand", async () => {
    expect(resolveAssetReference(REGISTRY_MODEL, "models", WORKSPACE_ID)).toBe(REGISTRY_MODEL);
    expect(resolveAssetReference(CODE_ID, "codes", WORKSPACE_ID)).toBe(CODE_ID);
    expect(await value(resolveAssetReference("azureml:churn:3", "models", WORKSPACE_ID))).toBe(
      `${WORKSPACE_ID}/models/churn/versions/3`,
    );
  });
});
