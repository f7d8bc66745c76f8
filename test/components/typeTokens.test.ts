import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { one, planWith } from "../support/plan";

/**
 * Every component of the package's public entry registers as `secure-azureml:index:<Class>` (the
 * only module the component provider constructs) and carries an alias to the token it had before,
 * so a stack deployed under the old token updates its resources instead of replacing them.
 */
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const SUBNET = `${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-aml/subnets/snet-pe`;
const WORKSPACE_ID = `${SUB}/resourceGroups/rg-aml/providers/Microsoft.MachineLearningServices/workspaces/mlw-aml-x1y2`;
const TENANT = "11111111-1111-1111-1111-111111111111";

/** Logical name, new token and old token of each exported component. */
const COMPONENTS = [
  { name: "id", type: "secure-azureml:index:Identities", previous: "secure-azureml:identity:Identities" },
  { name: "mon", type: "secure-azureml:index:Monitoring", previous: "secure-azureml:monitoring:Monitoring" },
  { name: "kv", type: "secure-azureml:index:KeyVault", previous: "secure-azureml:keyvault:KeyVault" },
  { name: "cr", type: "secure-azureml:index:ContainerRegistry", previous: "secure-azureml:registry:ContainerRegistry" },
  { name: "st", type: "secure-azureml:index:Storage", previous: "secure-azureml:storage:Storage" },
  { name: "pe", type: "secure-azureml:index:PrivateEndpoint", previous: "secure-azureml:network:PrivateEndpoint" },
  { name: "ra", type: "secure-azureml:index:RoleAssignments", previous: "secure-azureml:rbac:RoleAssignments" },
  { name: "net", type: "secure-azureml:index:Network", previous: "secure-azureml:network:Network" },
  { name: "dns", type: "secure-azureml:index:PrivateDns", previous: "secure-azureml:network:PrivateDns" },
  {
    name: "mlw",
    type: "secure-azureml:index:MachineLearningWorkspace",
    previous: "secure-azureml:workspace:MachineLearningWorkspace",
  },
  { name: "cpt", type: "secure-azureml:index:TrainingCompute", previous: "secure-azureml:compute:TrainingCompute" },
  { name: "mlr", type: "secure-azureml:index:MlRegistry", previous: "secure-azureml:mlRegistry:MlRegistry" },
  { name: "va", type: "secure-azureml:index:VersionedAssets", previous: "secure-azureml:assets:VersionedAssets" },
  {
    name: "ep",
    type: "secure-azureml:index:ManagedOnlineEndpoint",
    previous: "secure-azureml:onlineEndpoint:ManagedOnlineEndpoint",
  },
  {
    name: "bep",
    type: "secure-azureml:index:BatchScoringEndpoint",
    previous: "secure-azureml:batchEndpoint:BatchScoringEndpoint",
  },
  {
    name: "epmon",
    type: "secure-azureml:index:EndpointMonitoring",
    previous: "secure-azureml:endpointMonitoring:EndpointMonitoring",
  },
  {
    name: "dc",
    type: "secure-azureml:index:ModelDataCollection",
    previous: "secure-azureml:modelMonitoring:ModelDataCollection",
  },
  {
    name: "mm",
    type: "secure-azureml:index:ModelMonitors",
    previous: "secure-azureml:modelOperations:ModelOperations",
  },
] as const;

describe("component type tokens", () => {
  let plan: Plan;
  let exported: string[];
  let helpers: string[];

  beforeAll(async () => {
    const api = await import("../../components");
    const { ComponentResource } = await import("@pulumi/pulumi");
    const functions = Object.entries(api).filter(([, value]) => typeof value === "function");
    const isComponent = (value: unknown) => (value as { prototype?: unknown }).prototype instanceof ComponentResource;
    exported = functions
      .filter(([, value]) => isComponent(value))
      .map(([key]) => key)
      .sort();
    helpers = functions
      .filter(([, value]) => !isComponent(value))
      .map(([key]) => key)
      .sort();
    plan = await planWith(() => {
      const placement = { resourceGroupName: "rg-aml", location: "westeurope" };
      const components = [
        new api.Identities("id", { ...placement, namePrefix: "aml" }),
        new api.Monitoring("mon", {
          ...placement,
          logAnalyticsName: "log-aml",
          applicationInsightsName: "appi-aml",
          retentionDays: 30,
        }),
        new api.KeyVault("kv", {
          ...placement,
          vaultName: "kv-aml-x1y2",
          tenantId: TENANT,
          sku: api.KeyVaultSku.Standard,
        }),
        new api.ContainerRegistry("cr", {
          ...placement,
          registryName: "craml1x2y",
          zoneRedundancy: false,
          untaggedRetentionDays: 7,
        }),
        new api.Storage("st", {
          ...placement,
          accountName: "staml1x2y",
          sku: api.StorageSku.Standard_ZRS,
          softDeleteRetentionDays: 7,
          privateEndpointGroups: [api.StorageEndpointGroup.Blob, api.StorageEndpointGroup.File],
          privateEndpoints: { subnetId: SUBNET },
        }),
        new api.MachineLearningWorkspace("mlw", {
          ...placement,
          workspaceName: "mlw-aml-x1y2",
          identityId: `${SUB}/resourceGroups/rg-aml/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-aml-workspace`,
          storageAccountId: `${SUB}/resourceGroups/rg-aml/providers/Microsoft.Storage/storageAccounts/staml1x2y`,
          keyVaultId: `${SUB}/resourceGroups/rg-aml/providers/Microsoft.KeyVault/vaults/kv-aml-x1y2`,
          containerRegistryId: `${SUB}/resourceGroups/rg-aml/providers/Microsoft.ContainerRegistry/registries/craml1x2y`,
          applicationInsightsId: `${SUB}/resourceGroups/rg-aml/providers/Microsoft.Insights/components/appi-aml`,
          outbound: { mode: api.ManagedNetworkIsolationMode.AllowOnlyApprovedOutbound },
          imageBuildComputeName: "imgbuild-kqzfam",
          privateEndpoint: { subnetId: SUBNET },
        }),
        new api.TrainingCompute("cpt", {
          ...placement,
          workspaceName: "mlw-aml-x1y2",
          identityId: `${SUB}/resourceGroups/rg-aml/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-aml-compute`,
          imageBuilder: { vmSize: "Standard_D4s_v3", maxNodes: 2 },
        }),
        new api.MlRegistry("mlr", {
          ...placement,
          mode: api.MlRegistryMode.Consume,
          registryName: "mlr-aml",
          privateEndpoints: { subnetId: SUBNET },
          principals: { workspace: "p-ws", compute: "p-compute", endpoints: "p-endpoints", mlEngineerGroups: [] },
          subscriptionId: "00000000-0000-0000-0000-000000000000",
        }),
        new api.VersionedAssets("va", { resourceGroupName: "rg-aml", workspaceName: "mlw-aml-x1y2" }),
        new api.PrivateEndpoint("pe", {
          ...placement,
          targetResourceId: `${SUB}/resourceGroups/rg-aml/providers/Microsoft.KeyVault/vaults/kv-aml-x1y2`,
          groupId: "vault",
          subnetId: SUBNET,
        }),
        new api.RoleAssignments("ra", {
          grants: [
            {
              key: "compute-acrpull",
              role: api.BuiltInRole.AcrPull,
              scope: `${SUB}/resourceGroups/rg-aml/providers/Microsoft.ContainerRegistry/registries/craml1x2y`,
              principalId: "p-compute",
              principalType: api.PrincipalType.ServicePrincipal,
              reason: "Compute pulls images.",
            },
          ],
          subscriptionId: "00000000-0000-0000-0000-000000000000",
        }),
        new api.Network("net", {
          ...placement,
          namePrefix: "aml",
          create: { addressSpace: "10.40.0.0/16", privateEndpointSubnet: "10.40.0.0/24" },
        }),
        new api.PrivateDns("dns", {
          resourceGroupName: "rg-aml",
          mode: api.PrivateDnsMode.AzurePolicy,
          cloud: api.AzureCloud.AzureCloud,
          zoneKeys: [api.PrivateDnsZoneKey.Vault],
        }),
        new api.ManagedOnlineEndpoint("ep", {
          ...placement,
          workspaceName: "mlw-aml-x1y2",
          workspaceId: WORKSPACE_ID,
          endpointName: "churn-x1y2",
          authMode: api.OnlineEndpointAuthMode.AADToken,
          deployments: {},
          traffic: {},
          identityId: `${SUB}/resourceGroups/rg-aml/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-aml-endpoints`,
          armEndpoint: "https://management.azure.com",
        }),
        new api.BatchScoringEndpoint("bep", {
          ...placement,
          workspaceName: "mlw-aml-x1y2",
          workspaceId: WORKSPACE_ID,
          endpointName: "churn-batch-x1y2",
          deployments: {},
          clusterIds: {},
          armEndpoint: "https://management.azure.com",
        }),
        new api.EndpointMonitoring("epmon", {
          ...placement,
          namePrefix: "aml",
          actionGroupId: `${SUB}/resourceGroups/rg-aml/providers/Microsoft.Insights/actionGroups/ag-aml`,
          endpoints: {},
        }),
        new api.ModelDataCollection("dc", {
          resourceGroupName: "rg-aml",
          workspaceName: "mlw-aml-x1y2",
          endpointIdentityClientId: "client-id",
          deployments: {},
        }),
        new api.ModelMonitors("mm", {
          resourceGroupName: "rg-aml",
          workspaceName: "mlw-aml-x1y2",
          workspaceId: WORKSPACE_ID,
          monitors: {},
          monitoringIdentityId: `${SUB}/resourceGroups/rg-aml/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-aml-workspace`,
          clusterIds: {},
          computeIdentityClientId: "client-id",
          namePrefix: "aml",
        }),
        new api.RetrainingSchedule("rt", {
          resourceGroupName: "rg-aml",
          workspaceName: "mlw-aml-x1y2",
          workspaceId: WORKSPACE_ID,
          enabled: false,
          cron: "0 3 * * 1",
          cluster: "cpu",
          experimentName: "retraining",
          job: {
            command: "python train.py --data ${{inputs.data}}",
            environment: "azureml:train-env:1",
            inputs: {
              data: {
                type: api.JobInputType.UriFolder,
                path: "azureml:churn-data:1",
                mode: api.JobInputMode.ReadOnlyMount,
              },
            },
            timeoutMinutes: 60,
          },
          clusterIds: { cpu: `${WORKSPACE_ID}/computes/cpu-3fa91c` },
          computeIdentityClientId: "client-id",
        }),
      ];
      // The alias URNs Pulumi computed from `opts.aliases` (internal field, resolved to strings by the mock engine).
      return Object.fromEntries(
        components.map((component) => [
          (component as unknown as { __name: string }).__name,
          (component as unknown as { __aliases: unknown[] }).__aliases,
        ]),
      );
    });
  });

  it("exports exactly these component classes", () => {
    expect(exported).toEqual([
      "BatchScoringEndpoint",
      "ContainerRegistry",
      "EndpointMonitoring",
      "Identities",
      "KeyVault",
      "MachineLearningWorkspace",
      "ManagedOnlineEndpoint",
      "MlRegistry",
      "ModelDataCollection",
      "ModelMonitors",
      "MonitorPrivateLinkScope",
      "Monitoring",
      "Network",
      "PrivateDns",
      "PrivateEndpoint",
      "RetrainingSchedule",
      "RoleAssignments",
      "Storage",
      "TrainingCompute",
      "VersionedAssets",
    ]);
  });

  it("exports exactly these helper functions besides the components (pure names, ids and grants, the action group, the delete lock)", () => {
    expect(helpers).toEqual([
      "addDeleteLock",
      "computeIdentityGrants",
      "createAlertActionGroup",
      "endpointIdentityGrants",
      "endpointName",
      "imageBuilderComputeName",
      "personaGrants",
      "workspaceBlobContainerId",
      "workspaceBlobContainerName",
      "workspaceIdentityGrants",
      "workspacePostCreateGrants",
    ]);
  });

  it.each(COMPONENTS)("$name registers as $type with an alias to $previous", ({ name, type, previous }) => {
    expect(one(plan, type, name).custom).toBe(false);
    expect(plan.outputs[name]).toEqual([`urn:pulumi:test::secure-azureml::${previous}::${name}`]);
  });

  it("registers RetrainingSchedule as secure-azureml:index:RetrainingSchedule without an alias (it never had another token; its schedule's alias is set by SecureMlServing)", () => {
    expect(one(plan, "secure-azureml:index:RetrainingSchedule", "rt").custom).toBe(false);
    expect(plan.outputs.rt).toEqual([]);
  });
});
