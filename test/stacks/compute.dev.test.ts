import { beforeAll, describe, expect, it } from "vitest";
import { imageBuilderComputeName } from "../../components/trainingCompute";
import { BUILT_IN_ROLES } from "secure-azureml-facts";
import { Plan, PlannedResource } from "../../plan/contract";
import { dependsOn, idOf, one, ofType } from "../support/plan";
import { PLATFORM_PROJECT, SERVING_PROJECT, layerOutputs, projectOf, trafficOfEndpoint } from "../support/layers";
import { T, idOfType, planStackFile, principalOf, roleRows } from "../support/stack";

/**
 * The shipped dev stack's training compute (platform layer) and online endpoint (serving layer):
 * one CPU and one T4 cluster, both dedicated, the image builder, one endpoint with all traffic on
 * blue, alerts to the platform's action group.
 */
const C = T;

const clusterByKey = (plan: Plan, key: string): PlannedResource => one(plan, C.compute, `amldev-compute-${key}`);
const innerProperties = (r: PlannedResource) =>
  (r.inputs.properties as { properties: Record<string, unknown> }).properties;

describe("stack dev: compute and online endpoints", () => {
  let plan: Plan;
  let resized: Plan;
  let rebuilt: Plan;
  let computeIdentity: string;
  let endpointsIdentity: string;

  beforeAll(async () => {
    plan = await planStackFile("dev");
    // Only the cpu cluster's size differs from the shipped dev stack.
    resized = await planStackFile("dev", undefined, {
      "secure-azureml:compute": JSON.stringify({
        clusters: {
          cpu: { vmSize: "Standard_E4s_v3", maxNodes: 2 },
          "gpu-t4": { vmSize: "Standard_NC4as_T4_v3", maxNodes: 2 },
        },
      }),
    });
    // Only the image builder's size differs from the shipped dev stack.
    rebuilt = await planStackFile("dev", undefined, {
      "secure-azureml:compute": JSON.stringify({
        clusters: {
          cpu: { vmSize: "Standard_D4s_v3", maxNodes: 2 },
          "gpu-t4": { vmSize: "Standard_NC4as_T4_v3", maxNodes: 2 },
        },
        imageBuilder: { vmSize: "Standard_DS4_v2" },
      }),
    });
    computeIdentity = idOf(
      ofType(plan, T.identity).find((i) => i.inputs.resourceName === "id-amldev-compute") as PlannedResource,
    );
    endpointsIdentity = idOf(
      ofType(plan, T.identity).find((i) => i.inputs.resourceName === "id-amldev-endpoints") as PlannedResource,
    );
  });

  it("creates the two configured clusters and the image builder, nothing inside .apply()", () => {
    expect(plan.lateRegistrations).toEqual([]);
    expect(
      ofType(plan, C.compute)
        .map((c) => c.name)
        .sort(),
    ).toEqual(["amldev-compute-cpu", "amldev-compute-gpu-t4", "amldev-compute-image-builder"]);
    expect(ofType(plan, C.autoscale)).toEqual([]);
  });

  it("every compute: no node public IP, SSH closed, local auth off, Linux, the compute identity only", () => {
    for (const compute of ofType(plan, C.compute)) {
      expect(compute.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [computeIdentity] });
      expect((compute.inputs.properties as Record<string, unknown>).computeType).toBe("AmlCompute");
      expect((compute.inputs.properties as Record<string, unknown>).disableLocalAuth).toBe(true);
      expect(innerProperties(compute)).toMatchObject({
        enableNodePublicIp: false,
        remoteLoginPortPublicAccess: "Disabled",
        osType: "Linux",
      });
      expect(innerProperties(compute)).not.toHaveProperty("subnet");
      expect(compute.inputs.workspaceName).toBe(one(plan, T.workspace).inputs.workspaceName);
      expect(compute.options.customTimeouts?.create).toBe("45m");
    }
  });

  it("cpu is Standard_D4s_v3 dedicated, gpu-t4 is a dedicated T4 (low-priority cluster VMs are retired), both 0 to 2 nodes", () => {
    expect(innerProperties(clusterByKey(plan, "cpu"))).toMatchObject({
      vmSize: "Standard_D4s_v3",
      vmPriority: "Dedicated",
      scaleSettings: { minNodeCount: 0, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: "PT15M" },
    });
    expect(innerProperties(clusterByKey(plan, "gpu-t4"))).toMatchObject({
      vmSize: "Standard_NC4as_T4_v3",
      vmPriority: "Dedicated",
      scaleSettings: { minNodeCount: 0, maxNodeCount: 2 },
    });
    expect(clusterByKey(plan, "cpu").inputs.computeName).toMatch(/^cpu-[0-9a-f]{6}$/);
    expect(clusterByKey(plan, "gpu-t4").inputs.computeName).toMatch(/^gpu-t4-[0-9a-f]{6}$/);
    expect(plan.outputs.computeClusters).toEqual({
      cpu: clusterByKey(plan, "cpu").inputs.computeName,
      "gpu-t4": clusterByKey(plan, "gpu-t4").inputs.computeName,
    });
  });

  it("the image builder carries exactly the name the workspace builds images on", () => {
    const builder = clusterByKey(plan, "image-builder");
    expect(builder.inputs.computeName).toBe(one(plan, T.workspace).inputs.imageBuildCompute);
    // The default image builder size (retirement catalogue: Standard_D4s_v3, no retirement date).
    expect(innerProperties(builder)).toMatchObject({
      vmSize: "Standard_D4s_v3",
      vmPriority: "Dedicated",
      scaleSettings: { minNodeCount: 0 },
    });
    expect(plan.outputs.imageBuildCompute).toBe(
      imageBuilderComputeName({ imageBuilder: { vmSize: String(innerProperties(builder).vmSize), maxNodes: 2 } }),
    );
    expect(plan.outputs.imageBuildCompute).toMatch(/^imgbuild-[a-z]{6}$/);
  });

  it("clusters are created after the workspace private endpoint, the registry and the compute identity's roles", () => {
    const workspacePe = ofType(plan, T.privateEndpoint).find(
      (p) => p.inputs.privateEndpointName === "pe-amldev-workspace-amlworkspace",
    ) as PlannedResource;
    // Dev has no client private endpoint to the registry (registry.privateEndpoint: false): clusters reach it through the managed network.
    expect(ofType(plan, T.privateEndpoint).map((p) => p.inputs.privateEndpointName)).not.toContain(
      "pe-amldev-registry-registry",
    );
    const computeGrants = ofType(plan, T.roleAssignment).filter(
      (ra) => ra.inputs.principalId === principalOf(plan, "id-amldev-compute"),
    );
    // AcrPull, Storage Blob Data Contributor, AzureML Data Scientist on the workspace.
    expect(computeGrants).toHaveLength(3);
    for (const compute of ofType(plan, C.compute)) {
      expect(compute.dependencies).toEqual(
        expect.arrayContaining([workspacePe.urn, one(plan, T.registry).urn, ...computeGrants.map((g) => g.urn)]),
      );
      expect(dependsOn(plan, compute, one(plan, T.workspace))).toBe(true);
    }
  });

  it("a VM size change renames (replaces) that cluster only", () => {
    expect(clusterByKey(resized, "cpu").urn).toBe(clusterByKey(plan, "cpu").urn);
    expect(clusterByKey(resized, "cpu").inputs.computeName).not.toBe(clusterByKey(plan, "cpu").inputs.computeName);
    expect(clusterByKey(resized, "gpu-t4").inputs.computeName).toBe(clusterByKey(plan, "gpu-t4").inputs.computeName);
    expect(clusterByKey(resized, "image-builder").inputs.computeName).toBe(
      clusterByKey(plan, "image-builder").inputs.computeName,
    );
  });

  it("an image builder VM size change renames the builder and the workspace's imageBuildCompute with it (R8)", () => {
    const builder = clusterByKey(rebuilt, "image-builder");
    expect(builder.urn).toBe(clusterByKey(plan, "image-builder").urn);
    expect(builder.inputs.computeName).toBe("imgbuild-mlijsb");
    expect(one(rebuilt, T.workspace).inputs.imageBuildCompute).toBe("imgbuild-mlijsb");
    expect(one(plan, T.workspace).inputs.imageBuildCompute).not.toBe("imgbuild-mlijsb");
    expect(builder.options.deleteBeforeReplace).toBe(false);
  });

  it("grants the compute and endpoints identities exactly their roles, as service principals", () => {
    const rows = (principal: string) => roleRows(plan).filter(([p]) => p === principal);
    const registry = idOfType(plan, T.registry);
    const storage = idOfType(plan, T.storage);
    const workspace = idOfType(plan, T.workspace);
    const compute = principalOf(plan, "id-amldev-compute");
    const endpoints = principalOf(plan, "id-amldev-endpoints");
    const sorted = (r: string[][]) => [...r].sort((a, b) => a.join("|").localeCompare(b.join("|")));
    expect(rows(compute)).toEqual(
      sorted([
        // Jobs on the clusters (model registration, retraining, drift) create and read asset versions.
        [compute, BUILT_IN_ROLES["AzureML Data Scientist"], workspace, "ServicePrincipal"],
        [compute, BUILT_IN_ROLES.AcrPull, registry, "ServicePrincipal"],
        [compute, BUILT_IN_ROLES["Storage Blob Data Contributor"], storage, "ServicePrincipal"],
      ]),
    );
    expect(rows(endpoints)).toEqual(
      sorted([
        [endpoints, BUILT_IN_ROLES.AcrPull, registry, "ServicePrincipal"],
        [endpoints, BUILT_IN_ROLES["Storage Blob Data Reader"], storage, "ServicePrincipal"],
        [endpoints, BUILT_IN_ROLES["AzureML Metrics Writer"], workspace, "ServicePrincipal"],
        // Monitored deployments write collected data to the workspace blob container (modelMonitoring).
        [
          endpoints,
          BUILT_IN_ROLES["Storage Blob Data Contributor"],
          `${storage}/blobServices/default/containers/azureml-blobstore-${String(one(plan, T.workspace).outputs.workspaceId)}`,
          "ServicePrincipal",
        ],
      ]),
    );
    expect(roleRows(plan).some(([, role]) => role === BUILT_IN_ROLES.AcrPush)).toBe(false);
  });

  it("the endpoint is private, Entra-token only, runs as the endpoints identity, carries no traffic, and its traffic resource puts all of it on blue", () => {
    const endpoint = one(plan, C.endpoint);
    expect(endpoint.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [endpointsIdentity] });
    // Traffic may name only existing deployments: it is not on the endpoint (deploy-audit B1) but on EndpointTraffic.
    expect(endpoint.inputs.properties).toEqual({
      authMode: "AADToken",
      description: "Customer churn scoring (dev)",
      publicNetworkAccess: "Disabled",
    });
    expect(endpoint.options.ignoreChanges).toEqual(["properties.traffic", "properties.mirrorTraffic"]);
    expect(endpoint.inputs.endpointName).toMatch(/^churn-[a-z0-9]{5}$/);
    const traffic = trafficOfEndpoint(plan, idOf(endpoint));
    expect([traffic.inputs.endpointKind, traffic.inputs.traffic, traffic.inputs.mirrorTraffic]).toEqual([
      "online",
      { blue: 100 },
      {},
    ]);
    expect(traffic.dependencies).toContain(one(plan, C.deployment, "amldev-serving-endpoint-churn-blue").urn);
    // The endpoint is the serving layer's; the roles of its identity are all the platform's, deployed before it
    // (a serving stack reads the platform stack): AcrPull, Blob Data Reader, Metrics Writer + the data collection grant.
    expect([projectOf(endpoint), projectOf(traffic)]).toEqual([SERVING_PROJECT, SERVING_PROJECT]);
    expect(plan.layers?.map((l) => l.project)).toEqual([PLATFORM_PROJECT, SERVING_PROJECT]);
    const endpointGrants = ofType(plan, T.roleAssignment).filter(
      (ra) => ra.inputs.principalId === principalOf(plan, "id-amldev-endpoints"),
    );
    expect(endpointGrants.map(projectOf)).toEqual(Array(4).fill(PLATFORM_PROJECT));
  });

  it("deployment blue only: managed, Standard_F2s_v2, App Insights off, no egress flag (workspace model), after the endpoint", () => {
    const endpoint = one(plan, C.endpoint);
    const deployments = ofType(plan, C.deployment);
    expect(deployments.map((d) => d.inputs.deploymentName)).toEqual(["blue"]);
    const [blue] = deployments;
    expect(blue.inputs.endpointName).toBe(endpoint.inputs.endpointName);
    expect(blue.inputs.sku).toEqual({ name: "Default", capacity: 1 });
    expect(blue.inputs.properties).toMatchObject({
      endpointComputeType: "Managed",
      instanceType: "Standard_F2s_v2",
      appInsightsEnabled: false,
      scaleSettings: { scaleType: "Default" },
    });
    // With a workspace managed network Microsoft says to avoid the legacy egress flag (deploy-audit M4).
    expect(blue.inputs.properties).not.toHaveProperty("egressPublicNetworkAccess");
    expect(blue.options.ignoreChanges).toEqual([]);
    expect(blue.dependencies).toContain(endpoint.urn);
    expect(dependsOn(plan, endpoint, blue)).toBe(false);
    const workspaceId = idOfType(plan, T.workspace);
    expect((blue.inputs.properties as { model: string }).model).toBe(`${workspaceId}/models/churn/versions/1`);
    expect((blue.inputs.properties as { codeConfiguration: unknown }).codeConfiguration).toEqual({
      codeId: `${workspaceId}/codes/churn-scoring/versions/1`,
      scoringScript: "score.py",
    });
  });

  it("alerts on latency and server errors, all to the platform's one action group with the configured e-mail", () => {
    const group = one(plan, C.actionGroup);
    expect(group.inputs).toMatchObject({
      location: "global",
      enabled: true,
      emailReceivers: [{ name: "ml-platform", emailAddress: "ml-platform@example.com", useCommonAlertSchema: true }],
      webhookReceivers: [],
    });
    const endpointId = idOf(one(plan, C.endpoint));
    // The third alert is the drift job's (test/stacks/mlops.serving.test.ts): same action group, scoped to the workspace.
    expect(
      ofType(plan, C.alert)
        .map((a) => a.inputs.ruleName)
        .sort(),
    ).toEqual([
      "alert-amldev-churn-latency-p95",
      "alert-amldev-churn-server-errors",
      "alert-amldev-monitor-churn-blue",
    ]);
    const alerts = ofType(plan, C.alert).filter((a) => !String(a.inputs.ruleName).includes("-monitor-"));
    for (const alert of alerts) {
      expect(alert.inputs.actions).toEqual([{ actionGroupId: idOf(group) }]);
      expect(alert.inputs.scopes).toEqual([endpointId]);
    }
    expect(plan.outputs.alertActionGroupId).toBe(idOf(group));
    expect([projectOf(group), ...ofType(plan, C.alert).map(projectOf)]).toEqual([
      PLATFORM_PROJECT,
      SERVING_PROJECT,
      SERVING_PROJECT,
      SERVING_PROJECT,
    ]);
  });

  it("the serving layer exports each endpoint's name, id and private scoring URI", () => {
    const endpoint = one(plan, C.endpoint);
    expect(layerOutputs(plan, SERVING_PROJECT).onlineEndpoints).toEqual({
      churn: {
        name: endpoint.inputs.endpointName,
        id: idOf(endpoint),
        scoringUri: `https://${String(endpoint.inputs.endpointName)}.westeurope.inference.ml.azure.com/score`,
      },
    });
  });
});
