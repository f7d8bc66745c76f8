import { beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_ROLES } from "secure-azureml-facts";
import { Plan, PlannedResource } from "../../plan/contract";
import { dependsOn, idOf, one, ofType } from "../support/plan";
import { trafficOfEndpoint } from "../support/layers";
import { T, idOfType, planStackFile, principalOf, roleRows } from "../support/stack";

/** The shipped prod stack: dedicated CPU and A100 clusters, one endpoint on blue 100 with autoscale. */
const C = T;

const clusterByKey = (plan: Plan, key: string): PlannedResource => one(plan, C.compute, `amlprod-compute-${key}`);
const innerProperties = (r: PlannedResource) =>
  (r.inputs.properties as { properties: Record<string, unknown> }).properties;

describe("stack prod: compute and online endpoints", () => {
  let plan: Plan;

  beforeAll(async () => {
    plan = await planStackFile("prod");
  });

  it("creates dedicated CPU and A100 clusters and a larger image builder, all locked down", () => {
    expect(plan.lateRegistrations).toEqual([]);
    expect(innerProperties(clusterByKey(plan, "cpu"))).toMatchObject({
      vmSize: "Standard_D4s_v3",
      vmPriority: "Dedicated",
      scaleSettings: { minNodeCount: 0, maxNodeCount: 8, nodeIdleTimeBeforeScaleDown: "PT30M" },
    });
    expect(innerProperties(clusterByKey(plan, "gpu-a100"))).toMatchObject({
      vmSize: "Standard_NC24ads_A100_v4",
      vmPriority: "Dedicated",
      scaleSettings: { minNodeCount: 0, maxNodeCount: 4 },
    });
    expect(innerProperties(clusterByKey(plan, "image-builder"))).toMatchObject({
      vmSize: "Standard_D4s_v3",
      scaleSettings: { minNodeCount: 0, maxNodeCount: 2 },
    });
    const computeIdentity = idOf(
      ofType(plan, T.identity).find((i) => i.inputs.resourceName === "id-amlprod-compute") as PlannedResource,
    );
    for (const compute of ofType(plan, C.compute)) {
      expect(compute.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [computeIdentity] });
      expect((compute.inputs.properties as Record<string, unknown>).disableLocalAuth).toBe(true);
      expect(innerProperties(compute)).toMatchObject({
        enableNodePublicIp: false,
        remoteLoginPortPublicAccess: "Disabled",
        osType: "Linux",
      });
    }
  });

  it("clusters wait for the workspace private endpoint and the registry", () => {
    const workspacePe = ofType(plan, T.privateEndpoint).find(
      (p) => p.inputs.privateEndpointName === "pe-amlprod-workspace-amlworkspace",
    ) as PlannedResource;
    for (const compute of ofType(plan, C.compute)) {
      expect(compute.dependencies).toEqual(expect.arrayContaining([workspacePe.urn, one(plan, T.registry).urn]));
    }
  });

  it("the compute and endpoints identities hold exactly their roles", () => {
    const compute = principalOf(plan, "id-amlprod-compute");
    const endpoints = principalOf(plan, "id-amlprod-endpoints");
    const [registry, storage, workspace] = [
      idOfType(plan, T.registry),
      idOfType(plan, T.storage),
      idOfType(plan, T.workspace),
    ];
    expect(
      roleRows(plan)
        .filter(([p]) => p === compute)
        .map(([, role, scope, type]) => [role, scope, type])
        .sort(),
    ).toEqual(
      [
        [BUILT_IN_ROLES.AcrPull, registry, "ServicePrincipal"],
        [BUILT_IN_ROLES["Storage Blob Data Contributor"], storage, "ServicePrincipal"],
        // Jobs on the clusters (model registration, retraining, drift) create and read asset versions.
        [BUILT_IN_ROLES["AzureML Data Scientist"], workspace, "ServicePrincipal"],
        // workspace.batchScoring: batch jobs coordinate through the storage account's queues and tables (deploy-audit R2).
        [BUILT_IN_ROLES["Storage Queue Data Contributor"], storage, "ServicePrincipal"],
        [BUILT_IN_ROLES["Storage Table Data Contributor"], storage, "ServicePrincipal"],
        // Reader on the ML registry: batch scoring on the clusters uses the registry model (test/stacks/mlops.registry.test.ts).
        [BUILT_IN_ROLES.Reader, idOfType(plan, "azure-native:machinelearningservices:Registry"), "ServicePrincipal"],
      ].sort(),
    );
    expect(
      roleRows(plan)
        .filter(([p]) => p === endpoints)
        .map(([, role, scope, type]) => [role, scope, type])
        .sort(),
    ).toEqual(
      [
        [BUILT_IN_ROLES.AcrPull, registry, "ServicePrincipal"],
        [BUILT_IN_ROLES["Storage Blob Data Reader"], storage, "ServicePrincipal"],
        [BUILT_IN_ROLES["AzureML Metrics Writer"], workspace, "ServicePrincipal"],
        // Read-only use of the ML registry of the promotion path (mlRegistry, consume mode).
        [BUILT_IN_ROLES.Reader, idOfType(plan, "azure-native:machinelearningservices:Registry"), "ServicePrincipal"],
        // Monitored deployments write collected data to the workspace blob container (modelMonitoring).
        [
          BUILT_IN_ROLES["Storage Blob Data Contributor"],
          `${storage}/blobServices/default/containers/azureml-blobstore-${String(one(plan, T.workspace).outputs.workspaceId)}`,
          "ServicePrincipal",
        ],
      ].sort(),
    );
  });

  it("one private endpoint, all traffic on blue (through its traffic resource), three instances of Standard_E4s_v3", () => {
    const endpoint = one(plan, C.endpoint);
    expect(endpoint.inputs.properties).toEqual({
      authMode: "AADToken",
      description: "Customer churn scoring (production)",
      publicNetworkAccess: "Disabled",
    });
    const blue = one(plan, C.deployment);
    const traffic = trafficOfEndpoint(plan, idOf(endpoint));
    expect([traffic.inputs.traffic, traffic.inputs.mirrorTraffic]).toEqual([{ blue: 100 }, {}]);
    expect(traffic.dependencies).toContain(blue.urn);
    expect(blue.inputs.deploymentName).toBe("blue");
    expect(blue.inputs.sku).toEqual({ name: "Default", capacity: 3 });
    expect(blue.inputs.properties).toMatchObject({
      instanceType: "Standard_E4s_v3",
      // A registry model: Microsoft requires the flag Disabled for it (deploy-audit M4).
      egressPublicNetworkAccess: "Disabled",
      appInsightsEnabled: false,
      requestSettings: { requestTimeout: "PT3S", maxConcurrentRequestsPerInstance: 2 },
    });
    // No ignoreChanges on the capacity: a rollout sends the live count autoscale chose (deploy-audit M5).
    expect(blue.options.ignoreChanges).toEqual([]);
    expect(dependsOn(plan, endpoint, blue)).toBe(false);
    expect(blue.dependencies).toContain(endpoint.urn);
  });

  it("autoscales blue between 3 and 10 instances on CPU and p95 latency", () => {
    const setting = one(plan, C.autoscale);
    const blueId = idOf(one(plan, C.deployment));
    expect(setting.inputs).toMatchObject({ enabled: true, targetResourceUri: blueId, location: "westeurope" });
    const [profile] = setting.inputs.profiles as {
      capacity: unknown;
      rules: {
        metricTrigger: { metricName: string; metricResourceUri: string; operator: string; threshold: number };
        scaleAction: { direction: string };
      }[];
    }[];
    expect(profile.capacity).toEqual({ minimum: "3", maximum: "10", default: "3" });
    expect(
      profile.rules.map((r) => [
        r.metricTrigger.metricName,
        r.metricTrigger.operator,
        r.metricTrigger.threshold,
        r.scaleAction.direction,
      ]),
    ).toEqual([
      ["CpuUtilizationPercentage", "GreaterThan", 70, "Increase"],
      ["CpuUtilizationPercentage", "LessThan", 30, "Decrease"],
      ["RequestLatency_P95", "GreaterThan", 500, "Increase"],
    ]);
    for (const rule of profile.rules) expect(rule.metricTrigger.metricResourceUri).toBe(blueId);
  });

  it("alerts go to one action group with e-mail and webhook receivers; no GPU alert on a CPU endpoint", () => {
    const group = one(plan, C.actionGroup);
    expect(group.inputs).toMatchObject({
      location: "global",
      enabled: true,
      emailReceivers: [{ name: "ml-platform", emailAddress: "ml-platform@example.com", useCommonAlertSchema: true }],
      webhookReceivers: [
        { name: "on-call", serviceUri: "https://oncall.example.com/hooks/azure-monitor", useCommonAlertSchema: true },
      ],
    });
    const alerts = ofType(plan, C.alert);
    expect(alerts.map((a) => a.inputs.ruleName).sort()).toEqual([
      "alert-amlprod-churn-latency-p95",
      "alert-amlprod-churn-server-errors",
      "alert-amlprod-monitor-churn-blue",
    ]);
    for (const alert of alerts) expect(alert.inputs.actions).toEqual([{ actionGroupId: idOf(group) }]);
    const latency = alerts.find((a) => a.inputs.ruleName === "alert-amlprod-churn-latency-p95") as PlannedResource;
    expect((latency.inputs.criteria as { allOf: { threshold: number }[] }).allOf[0].threshold).toBe(500);
  });

  it("does not protect or lock compute or endpoints (a workspace lock would block replacing a cluster)", () => {
    for (const type of [C.compute, C.endpoint, C.deployment]) {
      for (const r of ofType(plan, type)) expect(r.options.protect).toBe(false);
    }
    const lockedScopes = ofType(plan, T.lock).map((l) => String(l.inputs.scope));
    for (const r of [...ofType(plan, C.compute), ...ofType(plan, C.endpoint)])
      expect(lockedScopes).not.toContain(idOf(r));
  });
});
