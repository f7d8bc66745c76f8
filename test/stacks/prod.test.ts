import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { ofType, one } from "../support/plan";
import { T, countsByType, idOfType, planStackFile, privateEndpointWiring, zoneIdsByName } from "../support/stack";

const ML_REGISTRY = "azure-native:machinelearningservices:Registry";

/** The shipped prod stack: the dev baseline plus data protection and stricter settings. */
describe("stack prod", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planStackFile("prod");
  });

  it("creates the expected resources, none inside .apply()", () => {
    expect(plan.lateRegistrations).toEqual([]);
    expect(countsByType(plan)).toMatchObject({
      // Private endpoints and jump box: no compute subnet (deploy-audit M6).
      [T.subnet]: 2,
      [T.nsg]: 2,
      // + the four Azure Monitor zones of the private link scope (monitoring.privateLinkScope).
      [T.zone]: 13,
      [T.zoneLink]: 13,
      // + the ML registry's three private endpoints (amlregistry, its storage blob, its container registry), its Reader grant and its lock.
      // + the Azure Monitor private link scope's endpoint (azuremonitor).
      [T.privateEndpoint]: 12,
      [T.zoneGroup]: 12,
      [T.diagnostic]: 8,
      // + the endpoint identity's write access for data collection (modelMonitoring).
      // + the compute identity's Reader on the ML registry (batch scoring uses the registry model).
      // + the workspace identity's Contributor on the workspace, Reader on the blob and file private
      //   endpoints and Contributor on the ML registry (deploy-audit R5, R6, R1), the compute identity's
      //   AzureML Data Scientist on the workspace and its queue and table data roles (batchScoring, R2).
      [T.roleAssignment]: 28,
      "azure-native:machinelearningservices:Schedule": 2,
      "azure-native:machinelearningservices:BatchEndpoint": 1,
      "azure-native:machinelearningservices:BatchDeployment": 1,
      [T.lock]: 5,
      [T.workspace]: 1,
    });
  });

  it("protects every data-bearing resource from pulumi destroy", () => {
    expect(
      plan.resources
        .filter((r) => r.options.protect)
        .map((r) => r.type)
        .sort(),
    ).toEqual([T.vault, T.registry, T.logAnalytics, T.workspace, T.storage, ML_REGISTRY].sort());
  });

  it("locks storage, Key Vault, registry, Log Analytics and the ML registry with CanNotDelete, after everything under them", () => {
    const locks = ofType(plan, T.lock);
    expect(locks.map((l) => [l.inputs.scope, l.inputs.level]).sort()).toEqual(
      [
        idOfType(plan, T.storage),
        idOfType(plan, T.vault),
        idOfType(plan, T.registry),
        idOfType(plan, T.logAnalytics),
        idOfType(plan, ML_REGISTRY),
      ]
        .map((id) => [id, "CanNotDelete"])
        .sort(),
    );
    // The ML registry's own grant sits under its own lock (test/stacks/mlops.registry.test.ts).
    const roleAssignmentUrns = ofType(plan, T.roleAssignment)
      .filter((r) => r.inputs.scope !== idOfType(plan, ML_REGISTRY))
      .map((r) => r.urn);
    const storageLock = locks.find((l) => l.inputs.scope === idOfType(plan, T.storage));
    expect(storageLock?.dependencies).toEqual(
      expect.arrayContaining([
        ...roleAssignmentUrns,
        ...ofType(plan, T.privateEndpoint)
          .filter((p) => String(p.inputs.privateEndpointName).includes("storage"))
          .map((p) => p.urn),
      ]),
    );
  });

  it("sends the storage blob and file services' logs to Log Analytics; the account's own setting holds metrics only", () => {
    const storageId = idOfType(plan, T.storage);
    const lawId = idOfType(plan, T.logAnalytics);
    const settingOn = (uri: string) => ofType(plan, T.diagnostic).filter((d) => d.inputs.resourceUri === uri);
    for (const service of [T.blobService, T.fileService]) {
      // BlobServiceProperties / FileServiceProperties ids are <account id>/blobServices/default and /fileServices/default.
      const serviceId = idOfType(plan, service);
      expect(serviceId).toBe(`${storageId}/${service === T.blobService ? "blob" : "file"}Services/default`);
      expect(settingOn(serviceId).map((d) => [d.inputs.workspaceId, d.inputs.logs])).toEqual([
        [lawId, [{ categoryGroup: "allLogs", enabled: true }]],
      ]);
    }
    expect(settingOn(storageId).map((d) => d.inputs.logs)).toEqual([[]]);
  });

  it("does not lock the workspace (a lock would block replacing its compute), unless asked", () => {
    expect(ofType(plan, T.lock).some((l) => l.inputs.scope === idOfType(plan, T.workspace))).toBe(false);
  });

  it("uses zone-redundant storage and registry, a year of logs and a premium Key Vault", () => {
    expect(one(plan, T.storage).inputs.sku).toEqual({ name: "Standard_ZRS" });
    expect(one(plan, T.registry).inputs.zoneRedundancy).toBe("Enabled");
    expect(one(plan, T.logAnalytics).inputs.retentionInDays).toBe(365);
    expect((one(plan, T.vault).inputs.properties as { sku: unknown }).sku).toEqual({ family: "A", name: "premium" });
    expect(one(plan, T.blobService).inputs.deleteRetentionPolicy).toMatchObject({ enabled: true, days: 30 });
  });

  it("puts every storage sub-resource behind its own private endpoint and zone", () => {
    const zones = zoneIdsByName(plan);
    const storageId = idOfType(plan, T.storage);
    const wiring = privateEndpointWiring(plan);
    for (const sub of ["blob", "file", "dfs", "queue", "table"]) {
      expect(wiring[`pe-amlprod-storage-${sub}`]).toMatchObject({
        target: storageId,
        groupIds: [sub],
        zoneIds: [zones[`privatelink.${sub}.core.windows.net`]],
        zoneGroups: 1,
      });
    }
  });

  it("exports the id of every private endpoint it created, keyed by owner, the Azure Monitor scope's included", () => {
    const endpoints = plan.outputs.privateEndpointIds as Record<string, string>;
    expect(Object.keys(endpoints).sort()).toEqual([
      "keyVault",
      "mlRegistry-amlregistry",
      "mlRegistry-blob",
      "mlRegistry-registry",
      "monitoring",
      "registry",
      "storage-blob",
      "storage-dfs",
      "storage-file",
      "storage-queue",
      "storage-table",
      "workspace",
    ]);
    expect(Object.values(endpoints).sort()).toEqual(
      ofType(plan, T.privateEndpoint)
        .map((pe) => String(pe.outputs.id))
        .sort(),
    );
    expect(endpoints.monitoring).toBe(
      String(
        ofType(plan, T.privateEndpoint).find((pe) => pe.inputs.privateEndpointName === "pe-amlprod-monitor-pls-pe")
          ?.outputs.id,
      ),
    );
  });

  it("adds a jump-box subnet with its own NSG", () => {
    const jumpbox = ofType(plan, T.subnet).find((s) => s.inputs.subnetName === "snet-amlprod-jumpbox");
    expect(jumpbox?.inputs.addressPrefix).toBe("10.50.1.0/27");
    expect(jumpbox?.inputs.defaultOutboundAccess).toBe(false);
    expect(ofType(plan, T.nsg).map((n) => String(n.outputs.id))).toContain(
      (jumpbox?.inputs.networkSecurityGroup as { id: string }).id,
    );
  });

  it("reaches the ML registry from the managed network through a private endpoint rule, and creates the registry first", () => {
    const workspace = one(plan, T.workspace);
    const registry = one(plan, "azure-native:machinelearningservices:Registry");
    const rules = (workspace.inputs.managedNetwork as { outboundRules: Record<string, unknown> }).outboundRules;
    expect(rules["pe-ml-registry"]).toEqual({
      type: "PrivateEndpoint",
      category: "UserDefined",
      destination: {
        serviceResourceId: String(registry.outputs.id),
        subresourceTarget: "amlregistry",
        sparkEnabled: false,
      },
    });
    expect(workspace.propertyDependencies.managedNetwork).toContain(registry.urn);
  });

  it("allows only the narrower outbound presets of version 2026.12 (no GitHub, no Hugging Face, no mcr)", () => {
    const rules = (
      one(plan, T.workspace).inputs.managedNetwork as {
        outboundRules: Record<string, { type: string; destination: string }>;
      }
    ).outboundRules;
    expect(
      Object.values(rules)
        .filter((r) => r.type === "FQDN")
        .map((r) => r.destination)
        .sort(),
    ).toEqual(
      [
        "pypi.org",
        "files.pythonhosted.org",
        "anaconda.com",
        "*.anaconda.com",
        "*.anaconda.org",
        "pytorch.org",
        "*.pytorch.org",
      ].sort(),
    );
  });

  it("keeps the same security baseline as dev", () => {
    const ws = one(plan, T.workspace).inputs;
    expect([ws.publicNetworkAccess, ws.systemDatastoresAuthMode, ws.hbiWorkspace]).toEqual([
      "Disabled",
      "Identity",
      true,
    ]);
    expect(one(plan, T.storage).inputs.allowSharedKeyAccess).toBe(false);
    expect(one(plan, T.registry).inputs.adminUserEnabled).toBe(false);
  });
});
