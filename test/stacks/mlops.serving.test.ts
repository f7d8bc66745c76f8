import { beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_ROLES } from "secure-azureml-facts";
import { driftEnvironmentVersion } from "../../components/driftJob";
import { Plan, PlannedResource } from "../../plan/contract";
import { mlopsServingPolicies } from "../../policies/rules/mlopsServing";
import { planFindings } from "../policies/fixtures/mlCases";
import { planAsDeployed, planAsFirstPreview, stackVerdict } from "../policies/fixtures/stackPlan";
import { dependsOn, idOf, ofType, one } from "../support/plan";
import { PLATFORM_PROJECT, SERVING_PROJECT, layerOutputs, projectOf, trafficOfEndpoint } from "../support/layers";
import { T, idOfType, planStackFile, principalOf } from "../support/stack";

/**
 * The MLOps serving loop in the shipped stacks: monitoring, data collection, retraining and batch
 * scoring (the serving layer), and their wiring to what the platform layer creates (clusters,
 * identities and their roles, the action group), which is deployed first.
 */

const ML = {
  schedule: "azure-native:machinelearningservices:Schedule",
  data: "azure-native:machinelearningservices:DataVersion",
  deployment: "azure-native:machinelearningservices:OnlineDeployment",
  batchEndpoint: "azure-native:machinelearningservices:BatchEndpoint",
  batchDeployment: "azure-native:machinelearningservices:BatchDeployment",
  compute: "azure-native:machinelearningservices:Compute",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
};

type JobDefinition = {
  command: string;
  computeId: string;
  identity: unknown;
  environmentId: string;
  experimentName: string;
  inputs: Record<string, { uri: string }>;
};

function jobDefinition(schedule: PlannedResource): JobDefinition {
  return (schedule.inputs.properties as { action: { jobDefinition: JobDefinition } }).action.jobDefinition;
}

function identityOf(plan: Plan, name: string): PlannedResource {
  const found = ofType(plan, ML.identity).find((i) => i.inputs.resourceName === name);
  if (!found) throw new Error(`no identity ${name}`);
  return found;
}

/** The data collection assets of a deployment (the registry helper's data assets are other DataVersions). */
function collectionAssets(plan: Plan, endpointName: string, deployment: string): Record<string, PlannedResource> {
  return Object.fromEntries(
    ofType(plan, ML.data)
      .filter((d) => String(d.inputs.name).startsWith(`${endpointName}-${deployment}-model_`))
      .map((d) => [String(d.inputs.name).slice(`${endpointName}-${deployment}-`.length), d]),
  );
}

function collectionGrant(plan: Plan, identityName: string): string[][] {
  const principal = principalOf(plan, identityName);
  return ofType(plan, T.roleAssignment)
    .filter(
      (ra) =>
        ra.inputs.principalId === principal && String(ra.inputs.scope).includes("/blobServices/default/containers/"),
    )
    .map((ra) => [
      String(ra.inputs.roleDefinitionId).split("/").pop() as string,
      String(ra.inputs.scope),
      String(ra.inputs.principalType),
    ]);
}

describe("stack dev: model monitoring, no retraining, no batch endpoint", () => {
  let plan: Plan;
  let blue: PlannedResource;
  let monitor: PlannedResource;
  beforeAll(async () => {
    plan = await planStackFile("dev");
    blue = one(plan, ML.deployment, "amldev-serving-endpoint-churn-blue");
    monitor = one(plan, ML.schedule);
  });

  it("has one monitoring schedule (churn/blue, a drift job), no retraining schedule and no batch endpoint", () => {
    expect(monitor.inputs.name).toBe("drift-churn-blue");
    expect(ofType(plan, ML.batchEndpoint)).toEqual([]);
    expect(ofType(plan, ML.batchDeployment)).toEqual([]);
    expect(projectOf(monitor)).toBe(SERVING_PROJECT);
    const outputs = layerOutputs(plan, SERVING_PROJECT);
    expect(outputs.modelMonitors).toEqual({ "churn-blue": "drift-churn-blue" });
    expect(outputs.retrainingSchedule).toBeUndefined();
    expect(outputs.batchEndpoints).toEqual({});
  });

  it("collects half of blue's inputs and outputs into its data assets as the endpoint identity; blue is the only deployment", () => {
    const endpointName = String(blue.inputs.endpointName);
    const assets = collectionAssets(plan, endpointName, "blue");
    expect(Object.keys(assets).sort()).toEqual(["model_inputs", "model_outputs"]);
    expect((assets.model_inputs.inputs.properties as { dataUri: string }).dataUri).toBe(
      `azureml://datastores/workspaceblobstore/paths/modelDataCollector/${endpointName}/blue/model_inputs`,
    );
    const clientId = String(identityOf(plan, "id-amldev-endpoints").outputs.clientId);
    const entry = (asset: PlannedResource) => ({
      dataCollectionMode: "Enabled",
      dataId: idOf(asset),
      clientId,
      samplingRate: 0.5,
    });
    expect((blue.inputs.properties as { dataCollector: unknown }).dataCollector).toEqual({
      collections: { model_inputs: entry(assets.model_inputs), model_outputs: entry(assets.model_outputs) },
      rollingRate: "Hour",
    });
    expect(ofType(plan, ML.deployment)).toEqual([blue]);
    expect(Object.values(assets).map(projectOf)).toEqual([SERVING_PROJECT, SERVING_PROJECT]);
  });

  it("grants the endpoint identity Storage Blob Data Contributor on the workspace blob container only, in the platform layer (deployed before blue)", () => {
    const workspace = one(plan, T.workspace);
    // Data isolation off: the container keeps its default name azureml-blobstore-<workspace guid> (deploy-audit B5).
    expect(workspace.inputs.enableDataIsolation).toBe(false);
    const container = `${idOfType(plan, T.storage)}/blobServices/default/containers/azureml-blobstore-${String(workspace.outputs.workspaceId)}`;
    expect(collectionGrant(plan, "id-amldev-endpoints")).toEqual([
      [BUILT_IN_ROLES["Storage Blob Data Contributor"], container, "ServicePrincipal"],
    ]);
    const grant = ofType(plan, T.roleAssignment).find((ra) => ra.inputs.scope === container) as PlannedResource;
    expect([projectOf(grant), projectOf(blue)]).toEqual([PLATFORM_PROJECT, SERVING_PROJECT]);
    expect(plan.layers?.map((l) => l.project)).toEqual([PLATFORM_PROJECT, SERVING_PROJECT]);
  });

  it("monitors blue weekly with a drift job on the CPU cluster inside the managed network, as the compute identity, alerting the action group", () => {
    const properties = monitor.inputs.properties as Record<string, unknown>;
    expect(properties.trigger).toEqual({ triggerType: "Cron", expression: "0 6 * * 1", timeZone: "UTC" });
    expect(properties.isEnabled).toBe(true);
    const job = jobDefinition(monitor);
    const assets = collectionAssets(plan, String(blue.inputs.endpointName), "blue");
    const cpu = one(plan, ML.compute, "amldev-compute-cpu");
    expect(job.computeId).toBe(idOf(cpu));
    expect(job.identity).toEqual({
      identityType: "Managed",
      clientId: String(identityOf(plan, "id-amldev-compute").outputs.clientId),
    });
    expect(job.environmentId).toBe(
      idOf(
        one(
          plan,
          "azure-native:machinelearningservices:EnvironmentVersion",
          "amldev-serving-model-operations-drift-env-" + driftEnvironmentVersion(),
        ),
      ),
    );
    expect(job.inputs.model_inputs.uri).toBe(idOf(assets.model_inputs));
    expect(job.inputs.model_outputs.uri).toBe(idOf(assets.model_outputs));
    expect(job.command).toContain(
      "--lookback-days 7 --data-drift-numerical-metric JensenShannonDistance --data-drift-numerical-threshold 0.1 ",
    );
    const alert = ofType(plan, "azure-native:monitor:MetricAlert").find(
      (a) => a.inputs.ruleName === "alert-amldev-monitor-churn-blue",
    ) as PlannedResource;
    expect(alert.inputs.scopes).toEqual([idOfType(plan, T.workspace)]);
    expect(alert.inputs.actions).toEqual([{ actionGroupId: idOfType(plan, "azure-native:monitor:ActionGroup") }]);
    expect(JSON.stringify(alert.inputs.criteria)).toContain('"values":["model-monitor-churn-blue"]');
    expect(dependsOn(plan, monitor, blue)).toBe(true);
    // The cluster is the platform's (deployed first); the schedule names it by id.
    expect([projectOf(cpu), projectOf(alert)]).toEqual([PLATFORM_PROJECT, SERVING_PROJECT]);
  });
});

describe("stack prod: daily monitoring, weekly retraining, batch scoring", () => {
  let plan: Plan;
  let blue: PlannedResource;
  let cpu: PlannedResource;
  beforeAll(async () => {
    plan = await planStackFile("prod");
    blue = one(plan, ML.deployment, "amlprod-serving-endpoint-churn-blue");
    cpu = one(plan, ML.compute, "amlprod-compute-cpu");
  });

  it("creates the monitor, the retraining schedule, one batch endpoint with one deployment and blue's two data assets", () => {
    expect(
      ofType(plan, ML.schedule)
        .map((s) => s.inputs.name)
        .sort(),
    ).toEqual(["drift-churn-blue", "retraining"]);
    expect(ofType(plan, ML.batchEndpoint)).toHaveLength(1);
    expect(ofType(plan, ML.batchDeployment)).toHaveLength(1);
    expect(Object.keys(collectionAssets(plan, String(blue.inputs.endpointName), "blue")).sort()).toEqual([
      "model_inputs",
      "model_outputs",
    ]);
  });

  it("monitors the production deployment daily over one day of data, with the configured thresholds, on the dedicated CPU cluster", () => {
    const monitor = ofType(plan, ML.schedule).find((s) => s.inputs.name === "drift-churn-blue") as PlannedResource;
    expect((monitor.inputs.properties as { trigger: unknown }).trigger).toEqual({
      triggerType: "Cron",
      expression: "0 4 * * *",
      timeZone: "UTC",
    });
    const job = jobDefinition(monitor);
    expect(job.computeId).toBe(idOf(cpu));
    expect(job.inputs.model_inputs.uri).toBe(
      idOf(collectionAssets(plan, String(blue.inputs.endpointName), "blue").model_inputs),
    );
    expect(job.command.slice(job.command.indexOf("&& python3 drift_monitor.py "))).toBe(
      "&& python3 drift_monitor.py --inputs ${{inputs.model_inputs}} --outputs ${{inputs.model_outputs}} --lookback-days 1" +
        " --data-drift-numerical-metric JensenShannonDistance --data-drift-numerical-threshold 0.1 --data-drift-categorical-metric PopulationStabilityIndex --data-drift-categorical-threshold 0.2" +
        " --prediction-drift-numerical-metric JensenShannonDistance --prediction-drift-numerical-threshold 0.1 --prediction-drift-categorical-metric PopulationStabilityIndex --prediction-drift-categorical-threshold 0.1" +
        " --null-value-rate 0.02 --data-type-error-rate 0.05 --out-of-bounds-rate 0.05",
    );
    expect(
      (blue.inputs.properties as { dataCollector: { collections: { model_inputs: { samplingRate: number } } } })
        .dataCollector.collections.model_inputs.samplingRate,
    ).toBe(1);
  });

  it("retrains weekly on the dedicated CPU cluster as the compute identity", () => {
    const retraining = ofType(plan, ML.schedule).find((s) => s.inputs.name === "retraining") as PlannedResource;
    const properties = retraining.inputs.properties as {
      isEnabled: boolean;
      trigger: unknown;
      action: { jobDefinition: Record<string, unknown> };
    };
    expect(properties.isEnabled).toBe(true);
    expect(properties.trigger).toEqual({ triggerType: "Cron", expression: "0 2 * * 0", timeZone: "UTC" });
    expect(cpu.inputs.properties).toMatchObject({ properties: { vmPriority: "Dedicated", enableNodePublicIp: false } });
    const workspaceId = idOfType(plan, T.workspace);
    expect(properties.action.jobDefinition).toEqual({
      jobType: "Command",
      displayName: "Scheduled retraining",
      experimentName: "churn-retraining",
      command: "python train.py --training-data ${{inputs.training_data}} --register-model churn",
      environmentId: `${workspaceId}/environments/churn-train/versions/1`,
      codeId: `${workspaceId}/codes/churn-train-src/versions/1`,
      computeId: idOf(cpu),
      identity: { identityType: "Managed", clientId: String(identityOf(plan, "id-amlprod-compute").outputs.clientId) },
      inputs: {
        training_data: {
          jobInputType: "uri_folder",
          uri: "azureml://datastores/workspaceblobstore/paths/churn/training/",
          mode: "ReadOnlyMount",
        },
      },
      limits: { jobLimitsType: "Command", timeout: "PT4H" },
    });
    expect(layerOutputs(plan, SERVING_PROJECT).retrainingSchedule).toEqual({ name: "retraining", enabled: true });
  });

  it("scores in batch on the CPU cluster behind an Entra-token-only endpoint of the private workspace, its default deployment set after the deployment exists", () => {
    const endpoint = one(plan, ML.batchEndpoint);
    const deployment = one(plan, ML.batchDeployment);
    expect(endpoint.inputs.endpointName).toMatch(/^churn-batch-[a-z0-9]{5}$/);
    expect(endpoint.inputs.workspaceName).toBe(one(plan, T.workspace).inputs.workspaceName);
    // No defaults at creation: the deployment does not exist yet (deploy-audit B6); EndpointTraffic sets it after the deployment.
    expect(endpoint.inputs.properties).toEqual({
      authMode: "AADToken",
      description: "Churn scoring of the customer base (production)",
    });
    expect(endpoint.options.ignoreChanges).toEqual(["properties.defaults"]);
    const defaultDeployment = trafficOfEndpoint(plan, idOf(endpoint));
    expect([defaultDeployment.inputs.endpointKind, defaultDeployment.inputs.defaultDeployment]).toEqual([
      "batch",
      "score",
    ]);
    expect(defaultDeployment.inputs).not.toHaveProperty("traffic");
    expect(defaultDeployment.dependencies).toContain(deployment.urn);
    expect(one(plan, T.workspace).inputs.publicNetworkAccess).toBe("Disabled");
    expect(deployment.inputs.properties).toMatchObject({
      compute: idOf(cpu),
      // assets.models.churn (version 1, from the registry): the promoted model, by its registry URI.
      model: { referenceType: "Id", assetId: "azureml://registries/mlr-amlprod/models/churn/versions/1" },
      resources: { instanceCount: 2 },
      maxConcurrencyPerInstance: 2,
      miniBatchSize: 20,
      retrySettings: { maxRetries: 3, timeout: "PT5M" },
      outputAction: "AppendRow",
      outputFileName: "churn-scores.csv",
    });
    // The cluster (and the image builder) are the platform's, deployed before the serving layer.
    expect([
      projectOf(cpu),
      projectOf(one(plan, ML.compute, "amlprod-compute-image-builder")),
      projectOf(deployment),
    ]).toEqual([PLATFORM_PROJECT, PLATFORM_PROJECT, SERVING_PROJECT]);
    expect(layerOutputs(plan, SERVING_PROJECT).batchEndpoints).toMatchObject({
      "churn-batch": {
        name: endpoint.inputs.endpointName,
        outputPaths: { score: "azureml://datastores/workspaceblobstore/paths/batch/churn-scores/" },
      },
    });
  });

  it("locks storage only after the data collection grant under it (a destroy removes the lock first)", () => {
    const storageLock = ofType(plan, T.lock).find(
      (l) => l.inputs.scope === idOfType(plan, T.storage),
    ) as PlannedResource;
    const grant = ofType(plan, T.roleAssignment).find((ra) =>
      String(ra.inputs.scope).includes("/containers/azureml-blobstore-"),
    ) as PlannedResource;
    expect(dependsOn(plan, storageLock, grant)).toBe(true);
  });

  // The whole pack with the shipped policy configs runs in `npm start` (test/plan/policyPack.test.ts); here: this family and every stack rule.
  it("has no mandatory violation of the MLOps serving rules or any stack rule, as planned, as deployed and in a first preview", async () => {
    const { violations } = await planFindings(plan, mlopsServingPolicies);
    expect(violations.filter((v) => v.level === "mandatory").map((v) => `${v.policy}: ${v.message}`)).toEqual([]);
    for (const view of [planAsDeployed(plan), planAsFirstPreview(plan)])
      expect((await stackVerdict(view, { environment: "prod" })).mandatory).toEqual({});
  });

  it("is caught by the stack rules when the monitor or blue's data collection is removed (the plan is not vacuous for them)", async () => {
    for (const view of [planAsDeployed(plan), planAsFirstPreview(plan)]) {
      const unmonitored = {
        ...view,
        resources: view.resources.filter((r) => !(r.type === ML.schedule && r.props.name === "drift-churn-blue")),
      };
      expect(Object.keys((await stackVerdict(unmonitored, { environment: "prod" })).mandatory)).toEqual([
        "stack-prod-online-deployments-monitored",
      ]);
      const uncollected = {
        ...view,
        resources: view.resources.map((r) => {
          if (r.type !== ML.deployment) return r;
          const props = structuredClone(r.props);
          delete (props.properties as Record<string, unknown>).dataCollector;
          return { ...r, props };
        }),
      };
      // The drift job reads the data asset blue collects into: without the collection, nothing watches blue.
      expect(Object.keys((await stackVerdict(uncollected, { environment: "prod" })).mandatory)).toEqual([
        "stack-prod-online-deployments-monitored",
      ]);
    }
  });
});
