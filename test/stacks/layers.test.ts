import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_ROLES } from "secure-azureml-facts";
import { programTags } from "../../config";
import { Plan, PlannedResource } from "../../plan/contract";
import { readStackFile } from "../../plan/stackFile";
import {
  PLATFORM_PROJECT,
  SERVING_PROJECT,
  endpointTraffics,
  layerResources,
  ofTypeIn,
  projectOf,
  trafficOfEndpoint,
} from "../support/layers";
import { idOf, one, ofType } from "../support/plan";
import { T, idOfType, planStackFile, principalOf, roleRows } from "../support/stack";

/**
 * The two layers of the shipped stacks, and the deploy-audit findings the split fixes, asserted on
 * the exact values each layer sends:
 * - B1/B6: endpoints carry no traffic, mirror traffic or default deployment; an EndpointTraffic
 *   resource applies exactly the configured allocation after every deployment of its endpoint;
 * - B5: the data collection grant names the container the workspace really has (data isolation off);
 * - R1, R2, R5, R6: the workspace and compute identities' roles and the batch scoring network rules;
 * - M4, R4, M5: what each online deployment sends (egress flag, App Insights, capacity);
 * - the platform creates nothing of the serving layer, and the serving layer no role and nothing on the network.
 */

const ROOT = resolve(__dirname, "../..");
const ML = {
  endpoint: "azure-native:machinelearningservices:OnlineEndpoint",
  deployment: "azure-native:machinelearningservices:OnlineDeployment",
  batchEndpoint: "azure-native:machinelearningservices:BatchEndpoint",
  batchDeployment: "azure-native:machinelearningservices:BatchDeployment",
  schedule: "azure-native:machinelearningservices:Schedule",
  registry: "azure-native:machinelearningservices:Registry",
};
/** Resource types the serving layer must never create: the network belongs to the platform. */
const NETWORK_TYPE = /^azure-native:(network|privatedns):/;

interface ServingEndpointConfig {
  traffic?: Record<string, number>;
  mirrorTraffic?: Record<string, number>;
  deployments: Record<string, unknown>;
}
interface ServingBatchConfig {
  defaultDeployment?: string;
  deployments: Record<string, unknown>;
}

/** A section of the shipped serving stack file, as written (the configured values the plan must carry exactly). */
function servingSection<T>(stack: string, key: string): Record<string, T> {
  const { config } = readStackFile(resolve(ROOT, `serving/Pulumi.${stack}.yaml`));
  const name = `secure-azureml-serving:${key}`;
  return Object.hasOwn(config, name) ? (JSON.parse(config[name]) as Record<string, T>) : {};
}

const prefixOf = (stack: string) => (stack === "prod" ? "amlprod" : "amldev");
const sortedRows = (rows: string[][]) => [...rows].sort((a, b) => a.join("|").localeCompare(b.join("|")));

describe.each(["dev", "prod"])("shipped stack %s: two layers", (stack) => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planStackFile(stack);
  });

  it("plans the platform, then its serving stack", () => {
    expect(plan.layers?.map((l) => l.project)).toEqual([PLATFORM_PROJECT, SERVING_PROJECT]);
    expect(layerResources(plan, PLATFORM_PROJECT).length).toBeGreaterThan(0);
    expect(layerResources(plan, SERVING_PROJECT).length).toBeGreaterThan(0);
  });

  it("the platform layer has no endpoint, deployment, schedule or traffic resource", () => {
    for (const type of [ML.endpoint, ML.deployment, ML.batchEndpoint, ML.batchDeployment, ML.schedule])
      expect(ofTypeIn(plan, PLATFORM_PROJECT, type), type).toEqual([]);
    expect(endpointTraffics(plan).filter((r) => projectOf(r) === PLATFORM_PROJECT)).toEqual([]);
  });

  it("the serving layer has no role assignment, no lock and no network resource", () => {
    const serving = layerResources(plan, SERVING_PROJECT);
    expect(serving.filter((r) => r.type === T.roleAssignment)).toEqual([]);
    expect(serving.filter((r) => r.type === T.lock)).toEqual([]);
    expect(serving.filter((r) => NETWORK_TYPE.test(r.type)).map((r) => r.type)).toEqual([]);
    // ... while the platform holds every role assignment of the stack.
    expect(ofType(plan, T.roleAssignment).length).toBeGreaterThan(0);
    expect(ofType(plan, T.roleAssignment).every((r) => projectOf(r) === PLATFORM_PROJECT)).toBe(true);
  });

  it("both layers tag every resource that takes tags alike, and place it in the platform's resource group and region (or global)", () => {
    const { config } = readStackFile(resolve(ROOT, `Pulumi.${stack}.yaml`));
    const expected = {
      ...(JSON.parse(config["secure-azureml:tags"]) as Record<string, string>),
      ...programTags(stack),
    };
    const location = config["secure-azureml:location"];
    const resourceGroupName = `rg-${prefixOf(stack)}`;
    for (const project of [PLATFORM_PROJECT, SERVING_PROJECT]) {
      const resources = layerResources(plan, project);
      const tagged = resources.filter((r) => r.inputs.tags !== undefined);
      expect(tagged.length, project).toBeGreaterThan(0);
      for (const r of tagged) expect(r.inputs.tags, `${project} ${r.name}`).toEqual(expected);
      for (const r of resources.filter((r) => r.inputs.location !== undefined))
        expect([location, "global"], `${project} ${r.name}`).toContain(r.inputs.location);
      for (const r of resources.filter((r) => r.inputs.resourceGroupName !== undefined))
        expect(r.inputs.resourceGroupName, `${project} ${r.name}`).toBe(resourceGroupName);
    }
  });

  it("online endpoints carry no traffic or mirror traffic; each has one EndpointTraffic with exactly the configured split, after every one of its deployments (B1)", () => {
    const configured = servingSection<ServingEndpointConfig>(stack, "endpoints");
    const endpoints = ofType(plan, ML.endpoint);
    expect(endpoints.map((e) => e.name).sort()).toEqual(
      Object.keys(configured)
        .map((key) => `${prefixOf(stack)}-serving-endpoint-${key}`)
        .sort(),
    );
    for (const [key, config] of Object.entries(configured)) {
      const endpoint = one(plan, ML.endpoint, `${prefixOf(stack)}-serving-endpoint-${key}`);
      const properties = endpoint.inputs.properties as Record<string, unknown>;
      expect(properties).not.toHaveProperty("traffic");
      expect(properties).not.toHaveProperty("mirrorTraffic");
      expect(endpoint.options.ignoreChanges).toEqual(["properties.traffic", "properties.mirrorTraffic"]);
      const deployments = ofType(plan, ML.deployment).filter(
        (d) => d.inputs.endpointName === endpoint.inputs.endpointName,
      );
      expect(deployments.map((d) => d.inputs.deploymentName).sort()).toEqual(Object.keys(config.deployments).sort());
      const traffic = trafficOfEndpoint(plan, idOf(endpoint));
      expect(projectOf(traffic)).toBe(SERVING_PROJECT);
      expect([traffic.inputs.endpointKind, traffic.inputs.traffic, traffic.inputs.mirrorTraffic]).toEqual([
        "online",
        config.traffic ?? {},
        config.mirrorTraffic ?? {},
      ]);
      expect(traffic.inputs).not.toHaveProperty("defaultDeployment");
      for (const deployment of deployments) expect(traffic.dependencies, deployment.name).toContain(deployment.urn);
      // The deployments never wait for the traffic (no cycle).
      for (const deployment of deployments) expect(deployment.dependencies).not.toContain(traffic.urn);
    }
  });

  it("batch endpoints carry no default deployment; each configured one is set by an EndpointTraffic after every deployment of its endpoint (B6)", () => {
    const configured = servingSection<ServingBatchConfig>(stack, "batchEndpoints");
    const endpoints = ofType(plan, ML.batchEndpoint);
    expect(endpoints.map((e) => e.name).sort()).toEqual(
      Object.keys(configured)
        .map((key) => `${prefixOf(stack)}-serving-model-operations-batch-${key}`)
        .sort(),
    );
    for (const endpoint of endpoints) {
      const key = endpoint.name.slice(`${prefixOf(stack)}-serving-model-operations-batch-`.length);
      expect(endpoint.inputs.properties).not.toHaveProperty("defaults");
      expect(endpoint.options.ignoreChanges).toEqual(["properties.defaults"]);
      const deployments = ofType(plan, ML.batchDeployment).filter(
        (d) => d.inputs.endpointName === endpoint.inputs.endpointName,
      );
      expect(deployments.map((d) => d.inputs.deploymentName).sort()).toEqual(
        Object.keys(configured[key].deployments).sort(),
      );
      const traffic = trafficOfEndpoint(plan, idOf(endpoint));
      expect([traffic.inputs.endpointKind, traffic.inputs.defaultDeployment]).toEqual([
        "batch",
        configured[key].defaultDeployment,
      ]);
      expect(traffic.inputs).not.toHaveProperty("traffic");
      for (const deployment of deployments) expect(traffic.dependencies, deployment.name).toContain(deployment.urn);
    }
    // One traffic resource per online endpoint and per batch endpoint with a default deployment, nothing else.
    const online = Object.keys(servingSection<ServingEndpointConfig>(stack, "endpoints")).length;
    const batchDefaults = Object.values(configured).filter((c) => c.defaultDeployment !== undefined).length;
    expect(endpointTraffics(plan)).toHaveLength(online + batchDefaults);
    expect(ofType(plan, "pulumi-nodejs:dynamic:Resource")).toHaveLength(online + batchDefaults);
  });

  it("grants data collection on the workspace's own blob container, whose name data isolation (off) leaves as azureml-blobstore-<guid> (B5)", () => {
    const workspace = one(plan, T.workspace);
    expect(workspace.inputs.enableDataIsolation).toBe(false);
    const container = `${idOfType(plan, T.storage)}/blobServices/default/containers/azureml-blobstore-${String(workspace.outputs.workspaceId)}`;
    const grant = one(plan, T.roleAssignment, "ra-endpoints-data-collection");
    expect([
      grant.inputs.principalId,
      String(grant.inputs.roleDefinitionId).split("/").pop(),
      grant.inputs.scope,
      grant.inputs.principalType,
    ]).toEqual([
      principalOf(plan, `id-${prefixOf(stack)}-endpoints`),
      BUILT_IN_ROLES["Storage Blob Data Contributor"],
      container,
      "ServicePrincipal",
    ]);
    // The data collector of every monitored deployment writes as that identity.
    const clientId = String(
      ofType(plan, T.identity).find((i) => i.inputs.resourceName === `id-${prefixOf(stack)}-endpoints`)?.outputs
        .clientId,
    );
    for (const deployment of ofType(plan, ML.deployment)) {
      const collections =
        (deployment.inputs.properties as { dataCollector?: { collections: Record<string, { clientId: string }> } })
          .dataCollector?.collections ?? {};
      for (const collection of Object.values(collections)) expect(collection.clientId).toBe(clientId);
    }
  });

  it("the workspace identity holds Contributor on the workspace (R5) and Reader on the blob and file private endpoints in the client VNet (R6)", () => {
    const identity = principalOf(plan, `id-${prefixOf(stack)}-workspace`);
    const peId = (group: string) =>
      idOf(
        ofType(plan, T.privateEndpoint).find(
          (pe) => pe.inputs.privateEndpointName === `pe-${prefixOf(stack)}-storage-${group}`,
        ) as PlannedResource,
      );
    const rows = roleRows(plan).filter(
      ([principal, , scope]) =>
        principal === identity && [idOfType(plan, T.workspace), peId("blob"), peId("file")].includes(scope),
    );
    expect(rows).toEqual(
      sortedRows([
        [identity, BUILT_IN_ROLES.Contributor, idOfType(plan, T.workspace), "ServicePrincipal"],
        [identity, BUILT_IN_ROLES.Reader, peId("blob"), "ServicePrincipal"],
        [identity, BUILT_IN_ROLES.Reader, peId("file"), "ServicePrincipal"],
      ]),
    );
  });

  it("online deployments: App Insights off (R4); the egress flag only for a registry model, there Disabled (M4)", () => {
    const deployments = ofType(plan, ML.deployment);
    expect(deployments.length).toBeGreaterThan(0);
    for (const deployment of deployments) {
      const properties = deployment.inputs.properties as Record<string, unknown>;
      expect(properties.appInsightsEnabled, deployment.name).toBe(false);
      const registryModel = String(properties.model).startsWith("azureml://registries/");
      if (registryModel) expect(properties.egressPublicNetworkAccess, deployment.name).toBe("Disabled");
      else expect(properties, deployment.name).not.toHaveProperty("egressPublicNetworkAccess");
    }
    const flagged = deployments
      .filter((d) => (d.inputs.properties as Record<string, unknown>).egressPublicNetworkAccess !== undefined)
      .map((d) => d.name);
    expect(flagged).toEqual(stack === "prod" ? ["amlprod-serving-endpoint-churn-blue"] : []);
  });

  it("online deployments follow the documented custom path: the churn-scoring script (data collector) with the environment the platform builds (R3, R7)", () => {
    const environmentId = String(
      ofType(plan, "azure-native:machinelearningservices:EnvironmentVersion").find(
        (e) => e.inputs.name === "churn-inference",
      )?.outputs.id,
    );
    const workspaceId = idOfType(plan, T.workspace);
    for (const deployment of ofType(plan, ML.deployment)) {
      const properties = deployment.inputs.properties as {
        codeConfiguration?: unknown;
        environmentId?: unknown;
        dataCollector?: unknown;
      };
      expect([properties.codeConfiguration, properties.environmentId], deployment.name).toEqual([
        { codeId: `${workspaceId}/codes/churn-scoring/versions/1`, scoringScript: "score.py" },
        environmentId,
      ]);
      expect(properties.dataCollector, deployment.name).toBeDefined();
    }
  });
});

describe("shipped stack prod: registry approval, batch scoring prerequisites, capacity", () => {
  let plan: Plan;
  let storageId: string;
  beforeAll(async () => {
    plan = await planStackFile("prod");
    storageId = idOfType(plan, T.storage);
  });

  it("the workspace identity holds Contributor on the ML registry it creates, to approve the managed network's private endpoint to it (R1)", () => {
    const registryId = idOf(one(plan, ML.registry));
    const identity = principalOf(plan, "id-amlprod-workspace");
    expect(roleRows(plan).filter(([principal, , scope]) => principal === identity && scope === registryId)).toEqual([
      [identity, BUILT_IN_ROLES.Contributor, registryId, "ServicePrincipal"],
    ]);
  });

  it("the managed network reaches the storage account's queue and table through PrivateEndpoint rules (R2)", () => {
    const rules = (one(plan, T.workspace).inputs.managedNetwork as { outboundRules: Record<string, unknown> })
      .outboundRules;
    expect([rules["pe-storage-queue"], rules["pe-storage-table"]]).toEqual([
      {
        type: "PrivateEndpoint",
        category: "UserDefined",
        destination: { serviceResourceId: storageId, subresourceTarget: "queue", sparkEnabled: false },
      },
      {
        type: "PrivateEndpoint",
        category: "UserDefined",
        destination: { serviceResourceId: storageId, subresourceTarget: "table", sparkEnabled: false },
      },
    ]);
    expect(
      Object.entries(rules)
        .filter(([, rule]) => (rule as { type: string }).type === "PrivateEndpoint")
        .map(([name]) => name)
        .sort(),
    ).toEqual(["pe-ml-registry", "pe-storage-queue", "pe-storage-table"]);
  });

  it("the compute identity holds Storage Queue and Table Data Contributor on the storage account (R2)", () => {
    const identity = principalOf(plan, "id-amlprod-compute");
    const roles: string[] = [
      BUILT_IN_ROLES["Storage Queue Data Contributor"],
      BUILT_IN_ROLES["Storage Table Data Contributor"],
    ];
    expect(roleRows(plan).filter(([principal, role]) => principal === identity && roles.includes(role))).toEqual(
      sortedRows([
        [identity, BUILT_IN_ROLES["Storage Queue Data Contributor"], storageId, "ServicePrincipal"],
        [identity, BUILT_IN_ROLES["Storage Table Data Contributor"], storageId, "ServicePrincipal"],
      ]),
    );
  });

  it("blue sends 3 instances and ignores no change: a rollout keeps the count autoscale chose by sending it (M5)", () => {
    const blue = one(plan, ML.deployment, "amlprod-serving-endpoint-churn-blue");
    expect(blue.inputs.sku).toEqual({ name: "Default", capacity: 3 });
    expect(blue.options.ignoreChanges).toEqual([]);
  });
});

describe("shipped stack dev: no batch scoring prerequisites", () => {
  it("has no queue or table rule and no queue or table data role (workspace.batchScoring off)", async () => {
    const plan = await planStackFile("dev");
    const rules = (one(plan, T.workspace).inputs.managedNetwork as { outboundRules: Record<string, { type: string }> })
      .outboundRules;
    expect(Object.values(rules).filter((r) => r.type === "PrivateEndpoint")).toEqual([]);
    const roles: string[] = [
      BUILT_IN_ROLES["Storage Queue Data Contributor"],
      BUILT_IN_ROLES["Storage Table Data Contributor"],
    ];
    expect(roleRows(plan).filter(([, role]) => roles.includes(role))).toEqual([]);
  });
});
