import { beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_ROLES } from "secure-azureml-facts";
import { Plan, PlannedResource } from "../../plan/contract";
import { dependsOn, idOf, one, ofType, planWith } from "../support/plan";

const SUB_ID = "00000000-0000-0000-0000-000000000000";
const SUB = `/subscriptions/${SUB_ID}`;
const SUBNET = `${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-aml/subnets/snet-pe`;
const DNS = `${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones`;
const ZONES = {
  amlregistry: [`${DNS}/privatelink.api.azureml.ms`],
  blob: [`${DNS}/privatelink.blob.core.windows.net`],
  registry: [`${DNS}/privatelink.azurecr.io`],
};
const SHARED_ID =
  "/subscriptions/3f2a6c1e-8b4d-4e9a-9c7f-2d1b0e5a6f80/resourceGroups/rg-ml-shared/providers/Microsoft.MachineLearningServices/registries/mlr-contoso-shared";
const PRINCIPALS = {
  workspace: "aaaaaaaa-0000-4000-8000-000000000001",
  compute: "aaaaaaaa-0000-4000-8000-000000000002",
  endpoints: "aaaaaaaa-0000-4000-8000-000000000003",
  mlEngineerGroups: ["2b9f6c14-8e2d-4a7b-b3c5-6d1e0f9a8b22", "5a7c9e1b-3d5f-4a8c-9e2b-4d6f8a0c2e55"],
};

const REGISTRY = "azure-native:machinelearningservices:Registry";
const ENDPOINT = "azure-native:network:PrivateEndpoint";
const ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup";
const ROLE = "azure-native:authorization:RoleAssignment";
const LOCK = "azure-native:authorization:ManagementLockByScope";

const roleId = (guid: string) => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

/** Role assignments under one component, as [principal, role guid, scope, principal type]. */
function grantsUnder(plan: Plan, prefix: string): string[][] {
  return ofType(plan, ROLE)
    .filter((ra) => ra.parent?.endsWith(`::${prefix}-access`))
    .map((ra) => [
      String(ra.inputs.principalId),
      String(ra.inputs.roleDefinitionId),
      String(ra.inputs.scope),
      String(ra.inputs.principalType),
    ])
    .sort((a, b) => a.join().localeCompare(b.join()));
}

function endpointNamed(plan: Plan, name: string): PlannedResource {
  return one(plan, ENDPOINT, name);
}

function zoneGroupOf(plan: Plan, endpoint: PlannedResource): PlannedResource {
  const groups = ofType(plan, ZONE_GROUP).filter(
    (g) => g.inputs.privateEndpointName === endpoint.inputs.privateEndpointName,
  );
  expect(groups).toHaveLength(1);
  return groups[0];
}

describe("MlRegistry", () => {
  let plan: Plan;
  let registry: PlannedResource;
  let registryId: string;

  beforeAll(async () => {
    plan = await planWith(async () => {
      const { MlRegistry } = await import("../../components/mlRegistry");
      const common = {
        resourceGroupName: "rg-aml",
        location: "westeurope",
        tags: { env: "test" },
        principals: PRINCIPALS,
        subscriptionId: SUB_ID,
      };
      const created = new MlRegistry("mlr", {
        ...common,
        mode: "consume",
        registryName: "mlr-amlprod",
        replicationRegions: ["North Europe", "westeurope"],
        storageAccountType: "Standard_GZRS",
        privateEndpoints: { subnetId: SUBNET, zoneIdsByGroup: ZONES },
        lock: true,
        protect: true,
      });
      const shared = new MlRegistry("shared", {
        ...common,
        mode: "publish",
        existingRegistryId: SHARED_ID,
        privateEndpoints: { subnetId: SUBNET, zoneIdsByGroup: ZONES },
      });
      new MlRegistry("policyzones", {
        ...common,
        mode: "consume",
        registryName: "mlr-policy",
        privateEndpoints: { subnetId: SUBNET },
      });
      const rejected: string[] = [];
      for (const attempt of [
        () =>
          new MlRegistry("nozones", {
            ...common,
            mode: "consume",
            registryName: "mlr-nozones",
            privateEndpoints: { subnetId: SUBNET, zoneIdsByGroup: { amlregistry: ZONES.amlregistry } },
          }),
        () => new MlRegistry("noname", { ...common, mode: "consume", privateEndpoints: { subnetId: SUBNET } }),
        () =>
          new MlRegistry("both", {
            ...common,
            mode: "consume",
            registryName: "mlr-both",
            existingRegistryId: SHARED_ID,
            privateEndpoints: { subnetId: SUBNET },
          }),
        () =>
          new MlRegistry("badid", {
            ...common,
            mode: "consume",
            existingRegistryId: "mlr-contoso-shared",
            privateEndpoints: { subnetId: SUBNET },
          }),
      ]) {
        try {
          attempt();
        } catch (error) {
          rejected.push((error as Error).message);
        }
      }
      return {
        rejected,
        createdName: created.name,
        createdId: created.id,
        createdGroups: Object.keys(created.privateEndpoints),
        sharedName: shared.name,
        sharedId: shared.id,
        sharedGroups: Object.keys(shared.privateEndpoints),
        sharedCreatesRegistry: shared.registry !== undefined,
        consumerAccess: created.consumerAccess.length,
      };
    });
    registry = one(plan, REGISTRY, "mlr");
    registryId = idOf(registry);
  });

  it("creates every resource synchronously and rejects wiring mistakes before creating anything", () => {
    expect(plan.lateRegistrations).toEqual([]);
    expect(plan.outputs.rejected).toEqual([
      expect.stringMatching(
        /ML registry nozones: privateEndpoints.zoneIdsByGroup has no private DNS zones for group blob/,
      ),
      expect.stringMatching(/ML registry noname: give registryName .* not neither$/),
      expect.stringMatching(/ML registry both: give registryName .* not both$/),
      expect.stringMatching(
        /^ML registry badid: existingRegistryId mlr-contoso-shared is not an Azure ML registry resource id \(\/subscriptions\/<id>\/resourceGroups\/<rg>\/providers\/Microsoft.MachineLearningServices\/registries\/<name>\)$/,
      ),
    ]);
    expect(
      ofType(plan, REGISTRY)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["mlr", "policyzones"]);
    expect(ofType(plan, ENDPOINT).some((e) => e.name.startsWith("nozones"))).toBe(false);
  });

  it("creates a private registry: public network access disabled, system identity, regions primary first, Premium ACR, no public blobs", () => {
    expect(registry.inputs).toMatchObject({
      registryName: "mlr-amlprod",
      resourceGroupName: "rg-aml",
      location: "westeurope",
      tags: { env: "test" },
    });
    expect(registry.inputs.publicNetworkAccess).toBe("Disabled");
    expect(registry.inputs.identity).toEqual({ type: "SystemAssigned" });
    const storage = {
      systemCreatedStorageAccount: {
        storageAccountType: "Standard_GZRS",
        storageAccountHnsEnabled: false,
        allowBlobPublicAccess: false,
      },
    };
    const acr = { systemCreatedAcrAccount: { acrAccountSku: "Premium" } };
    expect(registry.inputs.regionDetails).toEqual([
      { location: "westeurope", storageAccountDetails: [storage], acrDetails: [acr] },
      { location: "northeurope", storageAccountDetails: [storage], acrDetails: [acr] },
    ]);
    expect(registryId).toBe(
      `${SUB}/resourceGroups/rg-aml/providers/Microsoft.MachineLearningServices/registries/mlr-amlprod`,
    );
    expect([plan.outputs.createdName, plan.outputs.createdId]).toEqual(["mlr-amlprod", registryId]);
  });

  it("protects a created registry and gives it long timeouts; defaults storage to Standard_ZRS and the primary region only", () => {
    expect(registry.options.protect).toBe(true);
    expect(registry.options.customTimeouts).toEqual({ create: "45m", update: "45m", delete: "30m" });
    const plain = one(plan, REGISTRY, "policyzones");
    expect(plain.options.protect).toBe(false);
    expect(
      (
        plain.inputs.regionDetails as {
          location: string;
          storageAccountDetails: { systemCreatedStorageAccount: { storageAccountType: string } }[];
        }[]
      ).map((r) => [r.location, r.storageAccountDetails[0].systemCreatedStorageAccount.storageAccountType]),
    ).toEqual([["westeurope", "Standard_ZRS"]]);
  });

  it("reaches the registry through an amlregistry private endpoint in the Azure ML API zone", () => {
    const pe = endpointNamed(plan, "mlr-amlregistry");
    expect(pe.inputs.privateLinkServiceConnections).toEqual([
      { name: "pe-mlr-amlregistry", privateLinkServiceId: registryId, groupIds: ["amlregistry"] },
    ]);
    expect(pe.inputs.subnet).toMatchObject({ id: SUBNET });
    expect(zoneGroupOf(plan, pe).inputs.privateDnsZoneConfigs).toEqual([
      { name: "privatelink-api-azureml-ms", privateDnsZoneId: ZONES.amlregistry[0] },
    ]);
    expect(plan.outputs.createdGroups).toEqual(["amlregistry", "blob", "registry"]);
  });

  it("reaches the registry's system-created storage (blob) and container registry of the primary region privately", () => {
    const managedGroup = `${SUB}/resourceGroups/azureml-rg-mlr-amlprod_`;
    const blob = endpointNamed(plan, "mlr-managed-blob");
    const acr = endpointNamed(plan, "mlr-managed-registry");
    const [blobConnection] = blob.inputs.privateLinkServiceConnections as {
      privateLinkServiceId: string;
      groupIds: string[];
    }[];
    const [acrConnection] = acr.inputs.privateLinkServiceConnections as {
      privateLinkServiceId: string;
      groupIds: string[];
    }[];
    expect(blobConnection.groupIds).toEqual(["blob"]);
    expect(blobConnection.privateLinkServiceId).toMatch(
      new RegExp(`^${managedGroup}[0-9a-f-]+/providers/Microsoft.Storage/storageAccounts/[0-9a-f]{24}$`),
    );
    const regions = (
      registry.outputs.regionDetails as {
        location: string;
        storageAccountDetails: { systemCreatedStorageAccount: { armResourceId: { resourceId: string } } }[];
      }[]
    ).map((r) => [r.location, r.storageAccountDetails[0].systemCreatedStorageAccount.armResourceId.resourceId]);
    expect(blobConnection.privateLinkServiceId).toBe(regions.find(([location]) => location === "westeurope")?.[1]);
    expect(acrConnection.groupIds).toEqual(["registry"]);
    expect(acrConnection.privateLinkServiceId).toMatch(
      new RegExp(`^${managedGroup}[0-9a-f-]+/providers/Microsoft.ContainerRegistry/registries/[0-9a-f]{20}$`),
    );
    expect(zoneGroupOf(plan, blob).inputs.privateDnsZoneConfigs).toEqual([
      { name: "privatelink-blob-core-windows-net", privateDnsZoneId: ZONES.blob[0] },
    ]);
    expect(zoneGroupOf(plan, acr).inputs.privateDnsZoneConfigs).toEqual([
      { name: "privatelink-azurecr-io", privateDnsZoneId: ZONES.registry[0] },
    ]);
    expect(dependsOn(plan, blob, registry) && dependsOn(plan, acr, registry)).toBe(true);
  });

  it("leaves zone groups to Azure Policy when no zones are given", () => {
    const endpoints = ofType(plan, ENDPOINT).filter((e) => e.name.startsWith("policyzones-"));
    expect(endpoints.map((e) => e.name).sort()).toEqual([
      "policyzones-amlregistry",
      "policyzones-managed-blob",
      "policyzones-managed-registry",
    ]);
    for (const endpoint of endpoints)
      expect(
        ofType(plan, ZONE_GROUP).filter((g) => g.inputs.privateEndpointName === endpoint.inputs.privateEndpointName),
      ).toEqual([]);
  });

  it("in consume mode grants only the endpoint identity Reader on the registry itself", () => {
    expect(grantsUnder(plan, "mlr")).toEqual([
      [PRINCIPALS.endpoints, roleId(BUILT_IN_ROLES.Reader), registryId, "ServicePrincipal"],
    ]);
    expect(plan.outputs.consumerAccess).toBe(1);
  });

  it("references an existing registry: no registry, no lock, only its amlregistry endpoint and the publish grants", () => {
    expect([plan.outputs.sharedName, plan.outputs.sharedId, plan.outputs.sharedCreatesRegistry]).toEqual([
      "mlr-contoso-shared",
      SHARED_ID,
      false,
    ]);
    expect(plan.outputs.sharedGroups).toEqual(["amlregistry"]);
    const pe = endpointNamed(plan, "shared-amlregistry");
    expect(pe.inputs.privateLinkServiceConnections).toEqual([
      { name: "pe-shared-amlregistry", privateLinkServiceId: SHARED_ID, groupIds: ["amlregistry"] },
    ]);
    expect(ofType(plan, LOCK).filter((l) => l.inputs.scope === SHARED_ID)).toEqual([]);
    const publisher = roleId(BUILT_IN_ROLES["AzureML Registry User"]);
    expect(grantsUnder(plan, "shared")).toEqual(
      [
        [PRINCIPALS.workspace, publisher, SHARED_ID, "ServicePrincipal"],
        [PRINCIPALS.compute, publisher, SHARED_ID, "ServicePrincipal"],
        [PRINCIPALS.mlEngineerGroups[0], publisher, SHARED_ID, "Group"],
        [PRINCIPALS.mlEngineerGroups[1], publisher, SHARED_ID, "Group"],
        [PRINCIPALS.endpoints, roleId(BUILT_IN_ROLES.Reader), SHARED_ID, "ServicePrincipal"],
      ].sort((a, b) => a.join().localeCompare(b.join())),
    );
  });

  it("names role assignments deterministically and says why each exists", () => {
    const assignments = ofType(plan, ROLE).filter((ra) => ra.parent?.endsWith("::shared-access"));
    expect(assignments.map((ra) => ra.name).sort()).toEqual(
      [
        "ra-mlregistry-compute-publish",
        "ra-mlregistry-endpoints-read",
        "ra-mlregistry-workspace-publish",
        ...PRINCIPALS.mlEngineerGroups.map((g) => `ra-mlregistry-ml-engineers-${g}-publish`),
      ].sort(),
    );
    for (const ra of assignments) {
      expect(String(ra.inputs.roleAssignmentName)).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
      expect(String(ra.inputs.description).length).toBeGreaterThan(30);
    }
  });

  it("locks a created registry with CanNotDelete after its endpoints and role assignments", () => {
    const lock = one(plan, LOCK, "mlr-lock");
    expect(lock.inputs).toMatchObject({ scope: registryId, level: "CanNotDelete" });
    for (const name of ["mlr-amlregistry", "mlr-managed-blob", "mlr-managed-registry"])
      expect(dependsOn(plan, lock, endpointNamed(plan, name))).toBe(true);
    const readerGrant = ofType(plan, ROLE).find((ra) => ra.parent?.endsWith("::mlr-access"));
    expect(readerGrant && dependsOn(plan, lock, readerGrant)).toBe(true);
    expect(ofType(plan, LOCK)).toHaveLength(1);
  });
});

describe("registry read access of the compute identity in consume mode", () => {
  const none = { batchDeployments: [], models: {} };
  const principals = {
    workspace: "ws-principal",
    compute: "compute-principal",
    endpoints: "endpoints-principal",
    mlEngineerGroups: [],
  };
  const REGISTRY = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/registries/mlr-prod";

  it("is needed when batch scoring or retraining uses a registry asset, by URI or by a registry model key", async () => {
    const { clusterJobsUseRegistry } = await import("../../components/mlRegistry");
    expect(clusterJobsUseRegistry(none)).toBe(false);
    expect(clusterJobsUseRegistry({ ...none, batchDeployments: [{ model: "azureml:churn:1" }] })).toBe(false);
    expect(
      clusterJobsUseRegistry({
        ...none,
        batchDeployments: [{ model: "azureml://registries/mlr-prod/models/churn/versions/1" }],
      }),
    ).toBe(true);
    expect(
      clusterJobsUseRegistry({ batchDeployments: [{ model: "churn" }], models: { churn: { from: "registry" } } }),
    ).toBe(true);
    expect(
      clusterJobsUseRegistry({ batchDeployments: [{ model: "churn" }], models: { churn: { from: "workspace" } } }),
    ).toBe(false);
    expect(
      clusterJobsUseRegistry({
        ...none,
        batchDeployments: [
          { model: "azureml:churn:1", environment: "azureml://registries/mlr-prod/environments/env/versions/2" },
        ],
      }),
    ).toBe(true);
    expect(
      clusterJobsUseRegistry({
        ...none,
        retraining: { environment: "azureml://registries/mlr-prod/environments/train/versions/1" },
      }),
    ).toBe(true);
    expect(
      clusterJobsUseRegistry({ ...none, retraining: { environment: "azureml:train:1", code: "azureml:src:1" } }),
    ).toBe(false);
  });

  it("adds exactly Reader for the compute identity in consume mode, and nothing in publish mode (Registry User already)", async () => {
    const { mlRegistryGrants } = await import("../../components/mlRegistry");
    const rows = (grants: { role: string; principalId: unknown }[]) => grants.map((g) => [g.role, g.principalId]);
    expect(rows(mlRegistryGrants("consume", principals, REGISTRY))).toEqual([["Reader", "endpoints-principal"]]);
    expect(rows(mlRegistryGrants("consume", { ...principals, computeReads: true }, REGISTRY))).toEqual([
      ["Reader", "endpoints-principal"],
      ["Reader", "compute-principal"],
    ]);
    expect(rows(mlRegistryGrants("publish", { ...principals, computeReads: true }, REGISTRY))).toEqual(
      rows(mlRegistryGrants("publish", principals, REGISTRY)),
    );
  });
});
