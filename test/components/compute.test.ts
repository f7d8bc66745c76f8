import { beforeAll, describe, expect, it } from "vitest";
import {
  MAX_IMAGE_BUILDER_NAME_LENGTH,
  clusterComputeName,
  imageBuilderComputeName,
  instanceComputeName,
  isoDuration,
  shortHash,
} from "../../components/trainingCompute";
import { computeSchema } from "../../config";
import { Plan, PlannedResource } from "../../plan/contract";
import { FAKE_TENANT_ID } from "../../plan/azureIds";
import { dependsOn, one, ofType, planWith } from "../support/plan";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const RG = "rg-mlops-test";
const WORKSPACE = "mlw-mlops-ab12";
const COMPUTE_IDENTITY = `${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-mlops-compute`;
const REGISTRY_ID = `${SUB}/resourceGroups/${RG}/providers/Microsoft.ContainerRegistry/registries/crmlopsab12`;
const PE_SUBNET = `${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/vnet-mlops/subnets/snet-pe`;
const ALICE = "5a1c2e3d-4b6f-4a7e-9c8d-0e1f2a3b4c5d";
const COMPUTE = "azure-native:machinelearningservices:Compute";

const baseConfig = {
  clusters: {
    cpu: { vmSize: "Standard_DS3_v2", maxNodes: 2 },
    "gpu-t4": {
      vmSize: "Standard_NC4as_T4_v3",
      tier: "LowPriority",
      minNodes: 0,
      maxNodes: 2,
      idleSecondsBeforeScaleDown: 600,
    },
  },
  instances: { alice: { vmSize: "Standard_DS3_v2", assignedUserObjectId: ALICE } },
  imageBuilder: { vmSize: "Standard_DS3_v2", maxNodes: 2 },
};

/** The compute component with stand-ins for what it must wait for: a private endpoint, the registry and a role assignment. */
async function planCompute(config: unknown, seed = "secure-azureml/test/mlops"): Promise<Plan> {
  return planWith(async () => {
    const network = await import("@pulumi/azure-native/network");
    const containerregistry = await import("@pulumi/azure-native/containerregistry");
    const authorization = await import("@pulumi/azure-native/authorization");
    const { TrainingCompute } = await import("../../components/trainingCompute");
    const workspacePe = new network.PrivateEndpoint("pe-workspace", {
      privateEndpointName: "pe-mlops-workspace",
      resourceGroupName: RG,
      subnet: { id: PE_SUBNET },
      privateLinkServiceConnections: [
        {
          name: "pe-mlops-workspace",
          privateLinkServiceId: `${SUB}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/${WORKSPACE}`,
          groupIds: ["amlworkspace"],
        },
      ],
    });
    const registry = new containerregistry.Registry("registry", {
      registryName: "crmlopsab12",
      resourceGroupName: RG,
      sku: { name: "Premium" },
      adminUserEnabled: false,
    });
    const acrPull = new authorization.RoleAssignment("ra-compute-acrpull", {
      roleAssignmentName: "0f4c6a1e-2b3d-5e7f-8a9b-0c1d2e3f4a5b",
      scope: REGISTRY_ID,
      principalId: "7b1f2e3d-4c5b-4a69-8877-665544332211",
      principalType: "ServicePrincipal",
      roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d`,
    });
    // The program's bridge passes the validated config's clusters, instances and image builder as they are.
    const parsed = computeSchema.parse(config);
    const compute = new TrainingCompute(
      "mlops-compute",
      {
        resourceGroupName: RG,
        location: "westeurope",
        tags: { env: "test" },
        workspaceName: WORKSPACE,
        clusters: parsed.clusters,
        instances: parsed.instances,
        imageBuilder: parsed.imageBuilder,
        identityId: COMPUTE_IDENTITY,
        tenantId: FAKE_TENANT_ID,
        instanceNameSeed: seed,
      },
      { dependsOn: [workspacePe, registry, acrPull] },
    );
    return { clusterNames: compute.clusterNames, imageBuilder: compute.imageBuilder.name };
  });
}

const byKey = (plan: Plan, key: string): PlannedResource => one(plan, COMPUTE, `mlops-compute-${key}`);
const inner = (r: PlannedResource) => (r.inputs.properties as { properties: Record<string, unknown> }).properties;

describe("TrainingCompute", () => {
  let plan: Plan;
  let resized: Plan;
  let rescaled: Plan;
  let otherStack: Plan;
  let rebuilt: Plan;

  beforeAll(async () => {
    plan = await planCompute(baseConfig);
    resized = await planCompute({
      ...baseConfig,
      clusters: { ...baseConfig.clusters, cpu: { vmSize: "Standard_D4s_v3", maxNodes: 2 } },
    });
    rescaled = await planCompute({
      ...baseConfig,
      clusters: { ...baseConfig.clusters, cpu: { vmSize: "Standard_DS3_v2", maxNodes: 6 } },
    });
    otherStack = await planCompute(baseConfig, "secure-azureml/prod/mlops");
    rebuilt = await planCompute({ ...baseConfig, imageBuilder: { vmSize: "Standard_D4s_v3" } });
  });

  it("creates a CPU cluster with no public IP, no public SSH, no local auth, the compute identity and scale-to-zero", () => {
    expect(byKey(plan, "cpu").inputs).toEqual({
      computeName: clusterComputeName("cpu", { vmSize: "Standard_DS3_v2", tier: "Dedicated" }),
      workspaceName: WORKSPACE,
      resourceGroupName: RG,
      location: "westeurope",
      tags: { env: "test" },
      identity: { type: "UserAssigned", userAssignedIdentities: [COMPUTE_IDENTITY] },
      properties: {
        computeType: "AmlCompute",
        description: "Training cluster.",
        disableLocalAuth: true,
        properties: {
          vmSize: "Standard_DS3_v2",
          vmPriority: "Dedicated",
          osType: "Linux",
          enableNodePublicIp: false,
          remoteLoginPortPublicAccess: "Disabled",
          scaleSettings: { minNodeCount: 0, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: "PT15M" },
        },
      },
    });
  });

  it("maps tier to VM priority and idle seconds to ISO 8601, and never places compute in a subnet (the managed network hosts it)", () => {
    const gpu = inner(byKey(plan, "gpu-t4"));
    expect(gpu.vmPriority).toBe("LowPriority");
    expect(gpu.vmSize).toBe("Standard_NC4as_T4_v3");
    expect(gpu.scaleSettings).toEqual({ minNodeCount: 0, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: "PT10M" });
    for (const key of ["cpu", "gpu-t4", "image-builder", "alice"])
      expect(inner(byKey(plan, key))).not.toHaveProperty("subnet");
  });

  it("refuses a subnetId in the compute config (the key was removed)", () => {
    expect(
      computeSchema.safeParse({ clusters: { cpu: { vmSize: "Standard_DS3_v2", maxNodes: 2, subnetId: PE_SUBNET } } })
        .success,
    ).toBe(false);
    expect(
      computeSchema.safeParse({
        instances: { alice: { vmSize: "Standard_DS3_v2", assignedUserObjectId: ALICE, subnetId: PE_SUBNET } },
      }).success,
    ).toBe(false);
  });

  it("names each cluster <key>-<hash of the settings Azure cannot update>", () => {
    const cpu = String(byKey(plan, "cpu").inputs.computeName);
    const gpu = String(byKey(plan, "gpu-t4").inputs.computeName);
    expect(cpu).toMatch(/^cpu-[0-9a-f]{6}$/);
    expect(gpu).toMatch(/^gpu-t4-[0-9a-f]{6}$/);
    // The third part once held a customer subnet id; it stays empty so that existing names do not change.
    expect(gpu).toBe(`gpu-t4-${shortHash(["standard_nc4as_t4_v3", "LowPriority", ""])}`);
    expect(gpu).toBe("gpu-t4-1da99e");
    for (const cluster of [cpu, gpu]) expect(cluster.length).toBeLessThanOrEqual(24);
  });

  it("a VM size change plans a new cluster name under the same URN (a replacement), and leaves the others alone", () => {
    const before = byKey(plan, "cpu");
    const after = byKey(resized, "cpu");
    expect(after.urn).toBe(before.urn);
    expect(after.inputs.computeName).not.toBe(before.inputs.computeName);
    expect(after.inputs.computeName).toMatch(/^cpu-[0-9a-f]{6}$/);
    expect(byKey(resized, "gpu-t4").inputs.computeName).toBe(byKey(plan, "gpu-t4").inputs.computeName);
    expect(byKey(resized, "image-builder").inputs.computeName).toBe(byKey(plan, "image-builder").inputs.computeName);
  });

  it("an updatable change (max nodes) keeps the cluster's name", () => {
    expect(byKey(rescaled, "cpu").inputs.computeName).toBe(byKey(plan, "cpu").inputs.computeName);
    expect(inner(byKey(rescaled, "cpu")).scaleSettings).toMatchObject({ maxNodeCount: 6 });
  });

  it("replaces clusters create-first (new name) and marks the one-way settings replace-on-change", () => {
    for (const key of ["cpu", "gpu-t4"]) {
      expect(byKey(plan, key).options).toMatchObject({
        deleteBeforeReplace: false,
        replaceOnChanges: ["properties.properties.vmSize", "properties.properties.vmPriority"],
        customTimeouts: { create: "45m", update: "30m", delete: "30m" },
      });
    }
  });

  it("creates the image builder under the name the workspace is given, CPU, scale-to-zero, same security, create-before-delete", () => {
    const builder = byKey(plan, "image-builder");
    expect(builder.inputs.computeName).toBe("imgbuild-sfwpbh");
    expect(builder.inputs.computeName).toBe(imageBuilderComputeName(computeSchema.parse(baseConfig)));
    expect(builder.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [COMPUTE_IDENTITY] });
    expect((builder.inputs.properties as Record<string, unknown>).disableLocalAuth).toBe(true);
    expect(inner(builder)).toEqual({
      vmSize: "Standard_DS3_v2",
      vmPriority: "Dedicated",
      osType: "Linux",
      enableNodePublicIp: false,
      remoteLoginPortPublicAccess: "Disabled",
      scaleSettings: { minNodeCount: 0, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: "PT15M" },
    });
    // A new name per VM size: the new builder is created before the old one is deleted (R8).
    expect(builder.options.deleteBeforeReplace).toBe(false);
    expect(builder.options.replaceOnChanges).toContain("properties.properties.vmSize");
    expect(plan.outputs.imageBuilder).toBe("imgbuild-sfwpbh");
  });

  it("a VM size change of the image builder renames it under the same URN (Azure keeps the old size for a same-name re-creation)", () => {
    const before = byKey(plan, "image-builder");
    const after = byKey(rebuilt, "image-builder");
    expect(after.urn).toBe(before.urn);
    expect(after.inputs.computeName).toBe("imgbuild-yrcwdx");
    expect(inner(after).vmSize).toBe("Standard_D4s_v3");
    expect(rebuilt.outputs.imageBuilder).toBe("imgbuild-yrcwdx");
    expect(byKey(rebuilt, "cpu").inputs.computeName).toBe(byKey(plan, "cpu").inputs.computeName);
  });

  it("every compute waits for the workspace private endpoint, the registry and the identity's role assignment", () => {
    const pe = one(plan, "azure-native:network:PrivateEndpoint");
    const registry = one(plan, "azure-native:containerregistry:Registry");
    const grant = one(plan, "azure-native:authorization:RoleAssignment");
    const computes = ofType(plan, COMPUTE);
    expect(computes).toHaveLength(4);
    for (const compute of computes) {
      expect(compute.dependencies).toEqual(expect.arrayContaining([pe.urn, registry.urn, grant.urn]));
      expect(dependsOn(plan, compute, registry)).toBe(true);
    }
  });

  it("creates a personal compute instance: assigned user, idle shutdown 30 min, SSH closed, no public IP, no local auth", () => {
    const instance = byKey(plan, "alice");
    expect(instance.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [COMPUTE_IDENTITY] });
    expect(instance.inputs.properties).toEqual({
      computeType: "ComputeInstance",
      description: "Personal compute instance.",
      disableLocalAuth: true,
      properties: {
        vmSize: "Standard_DS3_v2",
        enableNodePublicIp: false,
        sshSettings: { sshPublicAccess: "Disabled" },
        applicationSharingPolicy: "Personal",
        computeInstanceAuthorizationType: "personal",
        personalComputeInstanceSettings: { assignedUser: { objectId: ALICE, tenantId: FAKE_TENANT_ID } },
        idleTimeBeforeShutdown: "PT30M",
      },
    });
    expect(instance.inputs.computeName).toBe(
      instanceComputeName(
        "alice",
        { vmSize: "Standard_DS3_v2", assignedUserObjectId: ALICE },
        "secure-azureml/test/mlops",
      ),
    );
    expect(instance.options.replaceOnChanges).toEqual(
      expect.arrayContaining([
        "properties.properties.sshSettings",
        "properties.properties.personalComputeInstanceSettings",
      ]),
    );
  });

  it("instance names are region-wide, so another stack gets another name; cluster names are per workspace and stay", () => {
    expect(byKey(otherStack, "alice").inputs.computeName).not.toBe(byKey(plan, "alice").inputs.computeName);
    expect(byKey(otherStack, "cpu").inputs.computeName).toBe(byKey(plan, "cpu").inputs.computeName);
  });

  it("refuses instances without a tenant id for their assigned user", async () => {
    const failing = planWith(async () => {
      const { TrainingCompute } = await import("../../components/trainingCompute");
      const { instances, imageBuilder } = computeSchema.parse(baseConfig);
      new TrainingCompute("no-tenant", {
        resourceGroupName: RG,
        location: "westeurope",
        workspaceName: WORKSPACE,
        instances,
        imageBuilder,
        identityId: COMPUTE_IDENTITY,
      });
    });
    await expect(failing).rejects.toThrow(/tenantId is required for compute instances \(alice\)/);
  });
});

describe("isoDuration", () => {
  it("writes ISO 8601 durations", () => {
    expect(isoDuration(900)).toBe("PT15M");
    expect(isoDuration(90)).toBe("PT1M30S");
    expect(isoDuration(3600)).toBe("PT1H");
    expect(isoDuration(86_400)).toBe("PT24H");
    expect(isoDuration(0)).toBe("PT0S");
    expect(isoDuration(2.5)).toBe("PT2.5S");
    expect(() => isoDuration(-1)).toThrow(/0 or more/);
  });
});

describe("compute names", () => {
  it("hash only the settings Azure cannot update, case-insensitively for the size", () => {
    const name = clusterComputeName("cpu", { vmSize: "Standard_DS3_v2", tier: "Dedicated" });
    expect(clusterComputeName("cpu", { vmSize: "standard_ds3_v2", tier: "Dedicated" })).toBe(name);
    expect(clusterComputeName("cpu", { vmSize: "Standard_DS3_v2", tier: "LowPriority" })).not.toBe(name);
  });

  it("keep the names compute had when the hash still took a (never set) subnet: a rename would replace the compute", () => {
    // The shipped dev and prod stacks' cluster names, and an instance name, from before subnetId was removed.
    expect(clusterComputeName("cpu", { vmSize: "Standard_DS3_v2", tier: "Dedicated" })).toBe("cpu-46a116");
    expect(clusterComputeName("cpu", { vmSize: "Standard_D4s_v3", tier: "Dedicated" })).toBe("cpu-80e184");
    expect(clusterComputeName("gpu-t4", { vmSize: "Standard_NC4as_T4_v3", tier: "LowPriority" })).toBe("gpu-t4-1da99e");
    expect(
      instanceComputeName(
        "alice",
        { vmSize: "Standard_DS3_v2", assignedUserObjectId: ALICE },
        "secure-azureml/test/mlops",
      ),
    ).toBe("alice-81e111");
  });

  it("name the image builder imgbuild-<6 letters of its VM size>: a size change is a new name, a node count change is not", () => {
    const builder = (imageBuilder: Record<string, unknown>) =>
      imageBuilderComputeName(computeSchema.parse({ imageBuilder }));
    expect(builder({ vmSize: "Standard_DS3_v2" })).toBe("imgbuild-sfwpbh");
    expect(builder({ vmSize: "Standard_D4s_v3" })).toBe("imgbuild-yrcwdx");
    expect(builder({ vmSize: "standard_ds3_v2", maxNodes: 5 })).toBe("imgbuild-sfwpbh");
    for (const vmSize of ["Standard_DS2_v2", "Standard_DS3_v2", "Standard_DS4_v2", "Standard_D4s_v3"]) {
      const name = builder({ vmSize });
      // Azure ML compute names: start with a letter, letters, digits and '-', a letter after each '-', at most 16 characters here.
      expect(name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$/);
      expect(name.length).toBeLessThanOrEqual(MAX_IMAGE_BUILDER_NAME_LENGTH);
      expect(MAX_IMAGE_BUILDER_NAME_LENGTH).toBe(16);
    }
  });

  it("refuses names Azure would reject", () => {
    expect(() =>
      clusterComputeName("a-very-long-cluster-key", { vmSize: "Standard_DS3_v2", tier: "Dedicated" }),
    ).toThrow(/longer than 24/);
  });
});
