import { describe, expect, it } from "vitest";
import { typicalDuration } from "../../plan/deployTime/durations";
import { estimateDeployTime } from "../../plan/deployTime/estimate";
import { criticalPathLine, renderDeployTime } from "../../plan/deployTime/render";
import { PlanIndex } from "../../plan/planIndex";
import { PlanBuilder, RG, armId, environment, roleId, ROLE } from "./costPlanFixtures";

/**
 * Typical minutes used below (plan/deployTime/durations.ts): resource group 0.2, identity 0.3,
 * registry 1, storage 0.5, role assignment 0.3, private endpoint 1.5, workspace without a managed
 * network 3, online deployment 12, unknown type 1.
 */
function rbacBeforeWorkspace() {
  const b = new PlanBuilder();
  const rg = b.add("azure-native:resources:ResourceGroup", "rg", { resourceGroupName: RG, location: "westeurope" });
  const identity = b.add(
    "azure-native:managedidentity:UserAssignedIdentity",
    "id",
    { resourceGroupName: RG, resourceName: "id" },
    {
      inputsFrom: { resourceGroupName: [rg] },
      outputs: { id: armId("Microsoft.ManagedIdentity/userAssignedIdentities", "id"), principalId: "p-1" },
    },
  );
  const registry = b.add(
    "azure-native:containerregistry:Registry",
    "registry",
    { resourceGroupName: RG, registryName: "cr" },
    { inputsFrom: { resourceGroupName: [rg] }, outputs: { id: armId("Microsoft.ContainerRegistry/registries", "cr") } },
  );
  // Waits for the identity without using it: delays storage, but not the whole run.
  const storage = b.add(
    "azure-native:storage:StorageAccount",
    "storage",
    { resourceGroupName: RG, accountName: "st" },
    {
      dependsOn: [identity],
      inputsFrom: { resourceGroupName: [rg] },
      outputs: { id: armId("Microsoft.Storage/storageAccounts", "st") },
    },
  );
  const ra = b.add(
    "azure-native:authorization:RoleAssignment",
    "ra-registry",
    { principalId: "p-1", roleDefinitionId: roleId(ROLE.acrPull), scope: registry.outputs.id },
    { inputsFrom: { principalId: [identity], scope: [registry] } },
  );
  const workspace = b.add(
    "azure-native:machinelearningservices:Workspace",
    "workspace",
    {
      resourceGroupName: RG,
      workspaceName: "mlw",
      identity: { type: "UserAssigned", userAssignedIdentities: [identity.outputs.id] },
      storageAccount: storage.outputs.id,
      managedNetwork: { isolationMode: "Disabled" },
    },
    { dependsOn: [ra], inputsFrom: { resourceGroupName: [rg], identity: [identity], storageAccount: [storage] } },
  );
  b.add(
    "azure-native:network:PrivateEndpoint",
    "pe-storage",
    { resourceGroupName: RG, privateEndpointName: "pe" },
    { inputsFrom: { privateLinkServiceConnections: [storage] } },
  );
  return { plan: b.build(), rg, identity, registry, storage, ra, workspace };
}

describe("estimateDeployTime", () => {
  it("finds the longest path through the dependency graph", () => {
    const { plan } = rbacBeforeWorkspace();
    const estimate = estimateDeployTime(plan);
    // rg 0-0.2, registry 0.2-1.2, role assignment 1.2-1.5 (needs identity and registry), workspace 1.5-4.5.
    expect(estimate.totalMinutes).toBe(4.5);
    expect(estimate.criticalPath.map((s) => [s.name, s.startMinute, s.minutes])).toEqual([
      ["rg", 0, 0.2],
      ["registry", 0.2, 1],
      ["ra-registry", 1.2, 0.3],
      ["workspace", 1.5, 3],
    ]);
    expect(estimate.resourceCount).toBe(7);
  });

  it("flags explicit dependsOn that lengthen the run without a data reason, and only those", () => {
    const { plan, ra } = rbacBeforeWorkspace();
    const [flagged, ...others] = estimateDeployTime(plan).needlessDependencies;
    expect(others).toEqual([]);
    // Without the edge the workspace could start when storage is ready (1.0): the run is 0.5 min shorter.
    expect(flagged).toMatchObject({
      name: "workspace",
      dependsOn: [{ urn: ra.urn, name: "ra-registry", type: "azure-native:authorization:RoleAssignment" }],
      addsMinutes: 0.5,
    });
    // The role is for the identity the workspace uses: recognised as deliberate ordering.
    expect(flagged.hints).toEqual([expect.stringContaining("grants a role to the identity this resource uses")]);
    // storage -> identity is explicit too but does not lengthen the run: not flagged.
  });

  it("expands a dependency on a component to its custom children, and makes a child wait for its custom parent", () => {
    const b = new PlanBuilder();
    const rg = b.add("azure-native:resources:ResourceGroup", "rg", { resourceGroupName: RG });
    const component = b.add("secure-azureml:network:PrivateEndpoint", "pe-component");
    const endpoint = b.add(
      "azure-native:network:PrivateEndpoint",
      "pe",
      { resourceGroupName: RG },
      { parent: component, inputsFrom: { resourceGroupName: [rg] } },
    );
    b.add("azure-native:network:PrivateDnsZoneGroup", "pe-dns", { privateEndpointName: "pe" }, { parent: endpoint });
    b.add(
      "azure-native:machinelearningservices:OnlineDeployment",
      "blue",
      { resourceGroupName: RG },
      { dependsOn: [component], inputsFrom: { resourceGroupName: [rg] } },
    );
    const estimate = estimateDeployTime(b.build());
    expect(estimate.criticalPath.map((s) => [s.name, s.startMinute])).toEqual([
      ["rg", 0],
      ["pe", 0.2],
      ["blue", 1.7],
    ]);
    expect(estimate.totalMinutes).toBe(13.7);
    const zoneGroupStart = estimateDeployTime({
      ...b.build(),
      resources: b.build().resources.filter((r) => r.name !== "blue"),
    }).criticalPath.at(-1);
    expect(zoneGroupStart).toMatchObject({ name: "pe-dns", startMinute: 1.7 });
    expect(estimate.needlessDependencies).toEqual([
      expect.objectContaining({
        name: "blue",
        dependsOn: [expect.objectContaining({ name: "pe" })],
        addsMinutes: 1.5,
        hints: ["explicit dependsOn with no data flowing between the two"],
      }),
    ]);
  });

  it("counts ~30 min for a managed network provisioned with the workspace and ~10 more for the FQDN-rule firewall", () => {
    const minutesOf = (options: Parameters<typeof environment>[0]) => {
      const { builder, r } = environment(options);
      return typicalDuration(r.workspace, new PlanIndex(builder.build())).minutes;
    };
    expect(minutesOf({ provisionNetworkNow: true, fqdnRules: 3 })).toBe(43);
    expect(minutesOf({ provisionNetworkNow: true, fqdnRules: 0 })).toBe(33);
    expect(minutesOf({ isolationMode: "Disabled" })).toBe(3);
    // Not provisioned up front: the first compute pays for the network instead.
    const { builder, r } = environment({ provisionNetworkNow: false, fqdnRules: 1, clusters: 1 });
    const index = new PlanIndex(builder.build());
    expect(typicalDuration(r.workspace, index).minutes).toBe(3);
    const compute = typicalDuration(r.cluster0, index);
    expect(compute.minutes).toBe(43);
    expect(compute.basis).toBe(
      'estimate: cluster create with 0 nodes + managed network created with the first compute ~30 min + first FQDN rule (firewall) ~10 min; source: Microsoft Learn, "Workspace Managed Virtual Network Isolation"',
    );
  });

  it("puts online deployments after the managed network on the critical path of a full environment", () => {
    const { builder } = environment({ deployments: 1, fqdnRules: 2 });
    const estimate = estimateDeployTime(builder.build());
    const names = estimate.criticalPath.map((s) => s.name);
    expect(names.slice(-3)).toEqual(["env-workspace", "env-endpoint-0", "env-endpoint-0-blue"]);
    expect(estimate.totalMinutes).toBeGreaterThan(43 + 3 + 12);
  });

  it("counts an Azure ML registry as ~10 min (an estimate from observed creates, not a published figure), before the workspace that reaches it", () => {
    const b = new PlanBuilder();
    const rg = b.add("azure-native:resources:ResourceGroup", "rg", { resourceGroupName: RG, location: "westeurope" });
    const registry = b.add(
      "azure-native:machinelearningservices:Registry",
      "mlr",
      {
        resourceGroupName: RG,
        registryName: "mlr-test",
        regionDetails: [{ location: "westeurope" }, { location: "northeurope" }],
      },
      {
        inputsFrom: { resourceGroupName: [rg] },
        outputs: { id: armId("Microsoft.MachineLearningServices/registries", "mlr-test") },
      },
    );
    b.add(
      "azure-native:machinelearningservices:Workspace",
      "workspace",
      { resourceGroupName: RG, workspaceName: "mlw", managedNetwork: { isolationMode: "Disabled" } },
      { inputsFrom: { resourceGroupName: [rg], managedNetwork: [registry] } },
    );
    const plan = b.build();
    const duration = typicalDuration(registry, new PlanIndex(plan));
    expect(duration).toEqual({
      minutes: 10,
      basis:
        'estimate: registry with a storage account and a replicated Premium container registry per region; creates observed from under 5 to over 12 min; source: Microsoft Learn, "Manage Azure Machine Learning registries"',
      assumed: false,
    });
    const estimate = estimateDeployTime(plan);
    expect(estimate.assumedTypes).toEqual([]);
    // rg 0-0.2, registry 0.2-10.2, workspace 10.2-13.2.
    expect(estimate.totalMinutes).toBe(13.2);
    expect(estimate.criticalPath.map((s) => [s.name, s.startMinute, s.minutes])).toEqual([
      ["rg", 0, 0.2],
      ["mlr", 0.2, 10],
      ["workspace", 10.2, 3],
    ]);
  });

  it("recognises deployments of one endpoint serialized on purpose", () => {
    const b = new PlanBuilder();
    const blue = b.add("azure-native:machinelearningservices:OnlineDeployment", "blue", {
      endpointName: "churn",
      deploymentName: "blue",
    });
    b.add(
      "azure-native:machinelearningservices:OnlineDeployment",
      "green",
      { endpointName: "churn", deploymentName: "green" },
      { dependsOn: [blue] },
    );
    const estimate = estimateDeployTime(b.build());
    expect(estimate.totalMinutes).toBe(24);
    expect(estimate.needlessDependencies).toEqual([
      expect.objectContaining({
        name: "green",
        addsMinutes: 12,
        hints: [expect.stringContaining("serializes deployments of one endpoint")],
      }),
    ]);
  });

  it("assumes 1 min for types it has no duration for and says which", () => {
    const b = new PlanBuilder();
    b.add("azure-native:cache:Redis", "cache", {});
    b.add("random:index/randomString:RandomString", "suffix", {});
    const estimate = estimateDeployTime(b.build());
    expect(estimate.totalMinutes).toBe(1);
    expect(estimate.assumedTypes).toEqual(["azure-native:cache:Redis"]);
    expect(renderDeployTime(estimate)).toContain(
      "No typical duration for azure-native:cache:Redis: 1 min assumed each.",
    );
  });

  it("renders the wall time, the critical path with its basis, and the flagged edges", () => {
    const text = renderDeployTime(estimateDeployTime(rbacBeforeWorkspace().plan), { format: "markdown" });
    expect(text).toContain(
      "A cold `pulumi up` of these 7 resources takes about 5 min: the critical path below (4 resources).",
    );
    expect(text).toContain(
      "| 1.5 min | 3 min | workspace | machinelearningservices:Workspace | estimate: workspace create |",
    );
    expect(text).toMatch(/\| workspace \| ra-registry \| 30 s \| grants a role to the identity this resource uses/);
  });

  it("cites real documents, never internal labels, and lists the sources the critical path uses with their URLs", () => {
    const { builder } = environment({ deployments: 1, fqdnRules: 2 });
    const estimate = estimateDeployTime(builder.build());
    for (const step of estimate.criticalPath) expect(step.basis).not.toMatch(/\[[A-Z][A-Z0-9-]+\]|ISSUE/);
    const deployment = estimate.criticalPath.find((s) => s.type.endsWith("OnlineDeployment"));
    expect(deployment?.basis).toBe(
      'up to 15 min (instances, image build or pull, probes); source: Microsoft Learn, "Deploy and score a machine learning model by using an online endpoint"',
    );
    const text = renderDeployTime(estimate);
    expect(text).toContain(
      '\nSources:\n- Microsoft Learn, "Workspace Managed Virtual Network Isolation": https://learn.microsoft.com/azure/machine-learning/how-to-managed-network\n- Microsoft Learn, "Deploy and score a machine learning model by using an online endpoint": https://learn.microsoft.com/azure/machine-learning/how-to-deploy-online-endpoints\n',
    );
  });

  it("wraps the text tables to a width, and names the critical path's long steps in one line", () => {
    const { builder } = environment({ deployments: 1, fqdnRules: 2 });
    const estimate = estimateDeployTime(builder.build());
    const lines = renderDeployTime(estimate, { width: 70 }).split("\n");
    expect(lines.filter((line) => line.length > 70)).toEqual([]);
    expect(lines.some((line) => line.startsWith("┌"))).toBe(true);
    expect(criticalPathLine(estimate)).toBe("env-workspace 43 min → env-endpoint-0-blue 12 min");
    // Too long: the shared prefix goes first, then names are cut in the middle.
    expect(criticalPathLine(estimate, 45)).toBe("workspace 43 min → endpoint-0-blue 12 min");
    expect(criticalPathLine(estimate, 36)).toBe("workspace 43 min → end…0-blue 12 min");
    expect(criticalPathLine(estimate, 30)).toBe("wo…space 43 min → en…-blue 12…");
  });
});
