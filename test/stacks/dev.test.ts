import { beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_ROLES } from "secure-azureml-facts";
import { Plan } from "../../plan/contract";
import { dependsOn, ofType, one } from "../support/plan";
import {
  T,
  countsByType,
  idOfType,
  planStackFile,
  principalOf,
  privateEndpointWiring,
  roleRows,
  zoneIdsByName,
} from "../support/stack";

/** The shipped dev stack, planned once with the real program, asserted setting by setting. */
const DATA_SCIENTISTS = "7d3e1a52-3c4b-4f0e-9a61-0b5c2d8e4f11";
const ML_ENGINEERS = "2b9f6c14-8e2d-4a7b-b3c5-6d1e0f9a8b22";

describe("stack dev", () => {
  let plan: Plan;
  let ids: Record<
    "rg" | "workspace" | "storage" | "vault" | "registry" | "appInsights" | "logAnalytics" | "peSubnet" | "vnet",
    string
  >;
  beforeAll(async () => {
    plan = await planStackFile("dev");
    ids = {
      rg: idOfType(plan, "azure-native:resources:ResourceGroup"),
      workspace: idOfType(plan, T.workspace),
      storage: idOfType(plan, T.storage),
      vault: idOfType(plan, T.vault),
      registry: idOfType(plan, T.registry),
      appInsights: idOfType(plan, T.appInsights),
      logAnalytics: idOfType(plan, T.logAnalytics),
      peSubnet: String(ofType(plan, T.subnet).find((s) => s.inputs.subnetName === "snet-amldev-pe")?.outputs.id),
      vnet: idOfType(plan, T.vnet),
    };
  });

  it("creates exactly the expected resources, none inside .apply()", () => {
    expect(plan.lateRegistrations).toEqual([]);
    expect(countsByType(plan)).toEqual({
      "azure-native:resources:ResourceGroup": 1,
      "random:index/randomString:RandomString": 1,
      [T.logAnalytics]: 1,
      [T.appInsights]: 1,
      [T.vnet]: 1,
      // The private endpoint subnet only: no compute subnet, the managed network hosts compute (deploy-audit M6).
      [T.subnet]: 1,
      [T.nsg]: 1,
      // Workspace (api, notebooks), blob and file: no vault or registry zone (no client endpoints to them in dev).
      [T.zone]: 4,
      [T.zoneLink]: 4,
      [T.identity]: 3,
      [T.storage]: 1,
      [T.blobService]: 1,
      [T.fileService]: 1,
      [T.vault]: 1,
      [T.registry]: 1,
      [T.workspace]: 1,
      // Workspace, blob, file: keyVault.privateEndpoint and registry.privateEndpoint are false in dev.
      [T.privateEndpoint]: 3,
      [T.zoneGroup]: 3,
      [T.diagnostic]: 7,
      // Every role assignment is the platform's: 8 before the workspace, 3 after it (Contributor on the
      // workspace, Reader on the blob and file private endpoints), 3 for the compute identity (+ AzureML
      // Data Scientist on the workspace), 4 for the endpoint identity (+ data collection), 4 for personas.
      [T.roleAssignment]: 22,
      "azure-native:machinelearningservices:Compute": 3,
      // Versioned assets from code (assets.environments / assets.data): one environment, one data asset;
      // + the drift job's environment (serving: modelMonitoring, job engine).
      "azure-native:machinelearningservices:EnvironmentVersion": 2,
      // + churn/blue's collected inputs and outputs (serving: modelMonitoring).
      "azure-native:machinelearningservices:DataVersion": 3,
      "azure-native:machinelearningservices:Schedule": 1,
      "azure-native:machinelearningservices:OnlineEndpoint": 1,
      // Dev serves blue only (a canary is a second deployment, see the README).
      "azure-native:machinelearningservices:OnlineDeployment": 1,
      // The endpoint's traffic (EndpointTraffic), applied after its deployments.
      "pulumi-nodejs:dynamic:Resource": 1,
      "azure-native:monitor:ActionGroup": 1,
      // Latency and 5xx of churn, + the drift job's failed runs (modelMonitoring.churn-blue).
      "azure-native:monitor:MetricAlert": 3,
    });
  });

  it("names resources from the prefix and one stable random suffix", () => {
    const suffix = String(one(plan, "random:index/randomString:RandomString").outputs.result);
    expect(suffix).toMatch(/^[a-z][a-z0-9]{4}$/);
    expect(one(plan, T.workspace).inputs.workspaceName).toBe(`mlw-amldev-${suffix}`);
    expect(one(plan, T.storage).inputs.accountName).toBe(`stamldev${suffix}`);
    expect(one(plan, T.vault).inputs.vaultName).toBe(`kv-amldev-${suffix}`);
    expect(one(plan, T.registry).inputs.registryName).toBe(`cramldev${suffix}`);
    expect(one(plan, T.logAnalytics).inputs.workspaceName).toBe(`log-amldev-${suffix}`);
  });

  it("workspace: private, user-assigned identity, identity-based datastores, approved outbound only", () => {
    const ws = one(plan, T.workspace).inputs;
    const workspaceIdentity = String(
      ofType(plan, T.identity).find((i) => i.inputs.resourceName === "id-amldev-workspace")?.outputs.id,
    );
    expect(ws.publicNetworkAccess).toBe("Disabled");
    expect(ws.allowPublicAccessWhenBehindVnet).toBe(false);
    expect(ws.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [workspaceIdentity] });
    expect(ws.primaryUserAssignedIdentity).toBe(workspaceIdentity);
    expect(ws.systemDatastoresAuthMode).toBe("Identity");
    expect(ws.provisionNetworkNow).toBe(true);
    expect(ws.serverlessComputeSettings).toEqual({ serverlessComputeNoPublicIP: true });
    expect(ws.hbiWorkspace).toBe(true);
    expect(ws.encryption).toBeUndefined();
    expect(ws.imageBuildCompute).toMatch(/^imgbuild-[a-z]{6}$/); // exact name and its link to the builder: compute.dev.test.ts
    expect([ws.storageAccount, ws.keyVault, ws.containerRegistry, ws.applicationInsights]).toEqual([
      ids.storage,
      ids.vault,
      ids.registry,
      ids.appInsights,
    ]);
    const network = ws.managedNetwork as {
      isolationMode: string;
      outboundRules: Record<string, { type: string; destination: unknown }>;
    };
    expect(network.isolationMode).toBe("AllowOnlyApprovedOutbound");
    const fqdns = Object.values(network.outboundRules)
      .filter((r) => r.type === "FQDN")
      .map((r) => r.destination);
    // The default presets of version 2026.12: pypi, conda, pytorch, huggingface, github; no mcr (the
    // required service-tag rules reach it) and no vscode (deploy-audit M7).
    expect([...fqdns].sort()).toEqual(
      [
        "pypi.org",
        "files.pythonhosted.org",
        "anaconda.com",
        "*.anaconda.com",
        "*.anaconda.org",
        "pytorch.org",
        "*.pytorch.org",
        "huggingface.co",
        "*.huggingface.co",
        "*.hf.co",
        "github.com",
        "codeload.github.com",
        "raw.githubusercontent.com",
        "objects.githubusercontent.com",
        "release-assets.githubusercontent.com",
      ].sort(),
    );
    expect(Object.values(network.outboundRules).map((r) => r.type)).toEqual(Array(15).fill("FQDN"));
    expect(ws.enableDataIsolation).toBe(false);
  });

  it("workspace is created only after every role its identity needs on the resources it uses; the grants on the workspace and its storage endpoints follow it", () => {
    const ws = one(plan, T.workspace);
    const identityGrants = ofType(plan, T.roleAssignment).filter(
      (ra) => ra.inputs.principalId === principalOf(plan, "id-amldev-workspace"),
    );
    expect(identityGrants).toHaveLength(11);
    const postCreate = [
      "ra-workspace-workspace-contributor",
      "ra-workspace-pe-blob-reader",
      "ra-workspace-pe-file-reader",
    ];
    const before = identityGrants.filter((grant) => !postCreate.includes(grant.name));
    expect(before).toHaveLength(8);
    for (const grant of before) expect(ws.dependencies).toContain(grant.urn);
    for (const name of postCreate) expect(dependsOn(plan, ws, one(plan, T.roleAssignment, name))).toBe(false);
    expect(dependsOn(plan, one(plan, T.roleAssignment, "ra-workspace-workspace-contributor"), ws)).toBe(true);
  });

  it("the workspace and its storage are reached through private endpoints in the PE subnet with exactly one zone group holding their zones; the vault and registry have none", () => {
    const zones = zoneIdsByName(plan);
    expect(privateEndpointWiring(plan)).toEqual({
      "pe-amldev-workspace-amlworkspace": {
        target: ids.workspace,
        groupIds: ["amlworkspace"],
        zoneIds: [zones["privatelink.api.azureml.ms"], zones["privatelink.notebooks.azure.net"]],
        subnetId: ids.peSubnet,
        zoneGroups: 1,
      },
      "pe-amldev-storage-blob": {
        target: ids.storage,
        groupIds: ["blob"],
        zoneIds: [zones["privatelink.blob.core.windows.net"]],
        subnetId: ids.peSubnet,
        zoneGroups: 1,
      },
      "pe-amldev-storage-file": {
        target: ids.storage,
        groupIds: ["file"],
        zoneIds: [zones["privatelink.file.core.windows.net"]],
        subnetId: ids.peSubnet,
        zoneGroups: 1,
      },
    });
    // Only the workspace's managed network (its required private endpoints) and trusted services reach them; both stay closed to public networks.
    expect((one(plan, T.vault).inputs.properties as Record<string, unknown>).publicNetworkAccess).toBe("Disabled");
    expect(one(plan, T.registry).inputs.publicNetworkAccess).toBe("Disabled");
    expect(one(plan, T.workspace).inputs).toMatchObject({ keyVault: ids.vault, containerRegistry: ids.registry });
    for (const pe of ofType(plan, T.privateEndpoint))
      expect(pe.inputs.manualPrivateLinkServiceConnections).toBeUndefined();
  });

  it("creates every zone the workspace needs, global, linked to the VNet without auto-registration", () => {
    expect(Object.keys(zoneIdsByName(plan)).sort()).toEqual([
      "privatelink.api.azureml.ms",
      "privatelink.blob.core.windows.net",
      "privatelink.file.core.windows.net",
      "privatelink.notebooks.azure.net",
    ]);
    for (const zone of ofType(plan, T.zone)) expect(zone.inputs.location).toBe("global");
    const links = ofType(plan, T.zoneLink);
    expect(links.map((l) => l.inputs.privateZoneName).sort()).toEqual(Object.keys(zoneIdsByName(plan)).sort());
    for (const link of links) {
      expect(link.inputs.virtualNetwork).toEqual({ id: ids.vnet });
      expect(link.inputs.registrationEnabled).toBe(false);
    }
  });

  it("grants exactly the least-privilege roles, with explicit principal types", () => {
    const ws = principalOf(plan, "id-amldev-workspace");
    const compute = principalOf(plan, "id-amldev-compute");
    const endpoints = principalOf(plan, "id-amldev-endpoints");
    const R = BUILT_IN_ROLES;
    const expected = [
      [ws, R.Contributor, ids.storage, "ServicePrincipal"],
      [ws, R["Storage Blob Data Contributor"], ids.storage, "ServicePrincipal"],
      [ws, R["Storage File Data Privileged Contributor"], ids.storage, "ServicePrincipal"],
      [ws, R.Contributor, ids.vault, "ServicePrincipal"],
      [ws, R["Key Vault Administrator"], ids.vault, "ServicePrincipal"],
      [ws, R.Contributor, ids.registry, "ServicePrincipal"],
      [ws, R.Contributor, ids.appInsights, "ServicePrincipal"],
      [ws, R["Azure AI Enterprise Network Connection Approver"], ids.rg, "ServicePrincipal"],
      // After the workspace exists (deploy-audit R5, R6).
      [ws, R.Contributor, ids.workspace, "ServicePrincipal"],
      [ws, R.Reader, idOfType(plan, T.privateEndpoint, "amldev-storage-blob"), "ServicePrincipal"],
      [ws, R.Reader, idOfType(plan, T.privateEndpoint, "amldev-storage-file"), "ServicePrincipal"],
      // Jobs on the clusters (model registration, retraining, drift) create and read asset versions.
      [compute, R["AzureML Data Scientist"], ids.workspace, "ServicePrincipal"],
      [compute, R.AcrPull, ids.registry, "ServicePrincipal"],
      [compute, R["Storage Blob Data Contributor"], ids.storage, "ServicePrincipal"],
      [endpoints, R.AcrPull, ids.registry, "ServicePrincipal"],
      [endpoints, R["Storage Blob Data Reader"], ids.storage, "ServicePrincipal"],
      [endpoints, R["AzureML Metrics Writer"], ids.workspace, "ServicePrincipal"],
      [
        endpoints,
        R["Storage Blob Data Contributor"],
        `${ids.storage}/blobServices/default/containers/azureml-blobstore-${String(one(plan, T.workspace).outputs.workspaceId)}`,
        "ServicePrincipal",
      ],
      [DATA_SCIENTISTS, R["AzureML Data Scientist"], ids.workspace, "Group"],
      [DATA_SCIENTISTS, R["Storage Blob Data Contributor"], ids.storage, "Group"],
      [DATA_SCIENTISTS, R["Storage File Data Privileged Contributor"], ids.storage, "Group"],
      [ML_ENGINEERS, R["AzureML Compute Operator"], ids.workspace, "Group"],
    ].sort((a, b) => a.join("|").localeCompare(b.join("|")));
    expect(roleRows(plan)).toEqual(expected);
  });

  it("never grants Owner, Contributor or User Access Administrator to people", () => {
    const privileged = [BUILT_IN_ROLES.Owner, BUILT_IN_ROLES.Contributor, "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"];
    const groupGrants = roleRows(plan).filter(([, , , type]) => type !== "ServicePrincipal");
    expect(groupGrants.length).toBeGreaterThan(0);
    for (const [, role] of groupGrants) expect(privileged).not.toContain(role);
  });

  it("sends logs and metrics of every data-bearing resource and NSG to the Log Analytics workspace", () => {
    const diagnostics = ofType(plan, T.diagnostic);
    for (const d of diagnostics) expect(d.inputs.workspaceId).toBe(ids.logAnalytics);
    const targets = diagnostics.map((d) => String(d.inputs.resourceUri));
    const nsgIds = ofType(plan, T.nsg).map((n) => String(n.outputs.id));
    expect(targets.sort()).toEqual(
      [
        ids.workspace,
        ids.vault,
        ids.registry,
        ids.storage,
        idOfType(plan, T.blobService),
        idOfType(plan, T.fileService),
        ...nsgIds,
      ].sort(),
    );
  });

  it("storage, Key Vault and registry are key-less and private", () => {
    const st = one(plan, T.storage).inputs;
    expect([
      st.allowSharedKeyAccess,
      st.allowBlobPublicAccess,
      st.publicNetworkAccess,
      st.minimumTlsVersion,
      st.enableHttpsTrafficOnly,
      st.allowCrossTenantReplication,
    ]).toEqual([false, false, "Disabled", "TLS1_2", true, false]);
    expect(st.sku).toEqual({ name: "Standard_LRS" });
    expect(st.networkRuleSet).toMatchObject({
      defaultAction: "Deny",
      bypass: "AzureServices",
      ipRules: [],
      virtualNetworkRules: [],
    });
    const kv = one(plan, T.vault).inputs.properties as Record<string, unknown>;
    // Dev's vault is disposable: keyVault.purgeProtection false leaves enablePurgeProtection unset (deploy-audit M8); soft delete stays on.
    expect([
      kv.enableRbacAuthorization,
      kv.enableSoftDelete,
      kv.publicNetworkAccess,
      kv.softDeleteRetentionInDays,
    ]).toEqual([true, true, "Disabled", 90]);
    expect(kv).not.toHaveProperty("enablePurgeProtection");
    const acr = one(plan, T.registry).inputs;
    expect([acr.adminUserEnabled, acr.anonymousPullEnabled, acr.publicNetworkAccess, acr.sku]).toEqual([
      false,
      false,
      "Disabled",
      { name: "Premium" },
    ]);
    expect(one(plan, T.logAnalytics).inputs.retentionInDays).toBe(30);
  });

  it("every subnet is private and has an NSG with no inbound allow from the internet", () => {
    const nsgIds = new Set(ofType(plan, T.nsg).map((n) => String(n.outputs.id)));
    for (const subnet of ofType(plan, T.subnet)) {
      expect(subnet.inputs.defaultOutboundAccess).toBe(false);
      expect(nsgIds.has((subnet.inputs.networkSecurityGroup as { id: string }).id)).toBe(true);
    }
    for (const nsg of ofType(plan, T.nsg)) {
      const rules = (nsg.inputs.securityRules ?? []) as {
        direction: string;
        access: string;
        sourceAddressPrefix?: string;
      }[];
      const openInbound = rules.filter(
        (r) =>
          r.direction === "Inbound" &&
          r.access === "Allow" &&
          ["*", "Internet", "0.0.0.0/0", "Any"].includes(r.sourceAddressPrefix ?? "*"),
      );
      expect(openInbound).toEqual([]);
    }
  });

  it("dev has no locks and nothing protected", () => {
    expect(ofType(plan, T.lock)).toEqual([]);
    expect(plan.resources.filter((r) => r.options.protect).map((r) => r.name)).toEqual([]);
  });

  it("exports what a user needs", () => {
    const identities = plan.outputs.identities as Record<string, { principalId: string; clientId: string }>;
    expect(identities.compute.principalId).toBe(principalOf(plan, "id-amldev-compute"));
    expect(plan.outputs.workspaceId).toBe(ids.workspace);
    expect(plan.outputs.resourceGroupName).toBe("rg-amldev");
    expect(plan.outputs.containerRegistryLoginServer).toBe(
      `${String(one(plan, T.registry).inputs.registryName)}.azurecr.io`,
    );
    const endpoints = plan.outputs.privateEndpointIds as Record<string, string>;
    expect(Object.keys(endpoints).sort()).toEqual(["storage-blob", "storage-file", "workspace"]);
  });

  it("the workspace transitively waits for its storage, Key Vault and registry", () => {
    const ws = one(plan, T.workspace);
    for (const type of [T.storage, T.vault, T.registry, T.appInsights])
      expect(dependsOn(plan, ws, one(plan, type))).toBe(true);
  });
});
