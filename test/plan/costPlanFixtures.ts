import { Plan, PlannedResource, PlannedResourceOptions } from "../../plan/contract";

/**
 * Hand-built plans in the exact shape the offline engine writes (URNs, ARM ids, parents,
 * dependencies), for the cost, deploy-time, diagram, report and diff tests: they pin exact
 * numbers and wiring without depending on what the program creates today.
 */

export const SUB = "00000000-0000-0000-0000-000000000000";
export const RG = "rg-test";

export function armId(provider: string, name: string, group = RG): string {
  return `/subscriptions/${SUB}/resourceGroups/${group}/providers/${provider}/${name}`;
}

export function roleId(guid: string): string {
  return `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

interface AddOptions {
  parent?: PlannedResource;
  /** Explicit `dependsOn` (also listed in `dependencies`). */
  dependsOn?: PlannedResource[];
  /** Input name -> resources its value came from. */
  inputsFrom?: Record<string, PlannedResource[]>;
  outputs?: Record<string, unknown>;
  options?: Partial<PlannedResourceOptions>;
  custom?: boolean;
}

export class PlanBuilder {
  readonly resources: PlannedResource[] = [];

  constructor(
    readonly stack = "test",
    readonly project = "secure-azureml",
  ) {}

  add(type: string, name: string, inputs: Record<string, unknown> = {}, options: AddOptions = {}): PlannedResource {
    const parentType = options.parent ? `${options.parent.urn.split("::")[2]}$` : "";
    const urn = `urn:pulumi:${this.stack}::${this.project}::${parentType}${type}::${name}`;
    const propertyDependencies = Object.fromEntries(
      Object.entries(options.inputsFrom ?? {}).map(([key, list]) => [key, list.map((r) => r.urn).sort()]),
    );
    const dependencies = [
      ...new Set([...(options.dependsOn ?? []).map((r) => r.urn), ...Object.values(propertyDependencies).flat()]),
    ].sort();
    const custom = options.custom ?? !type.startsWith("secure-azureml:");
    const resource: PlannedResource = {
      urn,
      type,
      name,
      custom,
      parent: options.parent?.urn ?? null,
      dependencies,
      propertyDependencies,
      inputs,
      outputs: custom ? { ...inputs, ...(options.outputs ?? {}) } : {},
      options: {
        protect: false,
        ignoreChanges: [],
        replaceOnChanges: [],
        deleteBeforeReplace: false,
        ...(options.options ?? {}),
      },
    };
    this.resources.push(resource);
    return resource;
  }

  build(): Plan {
    return {
      version: 1,
      project: this.project,
      stack: this.stack,
      resources: [...this.resources],
      outputs: {},
      secretPlaceholders: [],
      lateRegistrations: [],
    };
  }
}

export const ROLE = {
  acrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  blobReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  dataScientist: "f6c7c914-8db3-469d-8ca1-694a8f32e121",
  metricsWriter: "635dd51f-9968-44d3-b7fb-6d9a6bd613ae",
};

export interface EnvironmentOptions {
  region?: string;
  isolationMode?: "AllowOnlyApprovedOutbound" | "AllowInternetOutbound" | "Disabled";
  fqdnRules?: number;
  firewallSku?: "Standard" | "Basic";
  provisionNetworkNow?: boolean;
  /** Clusters of Standard_D4s_v3, dedicated, with this many always-on nodes each. */
  clusters?: number;
  clusterMinNodes?: number;
  /** Online deployments of Standard_D4s_v3 with this many instances each, one endpoint each. */
  deployments?: number;
  deploymentInstances?: number;
  stack?: string;
}

/** A small secure environment: network, DNS, storage, registry, vault, monitoring, workspace, and N clusters / N endpoints. */
export function environment(options: EnvironmentOptions = {}): {
  builder: PlanBuilder;
  r: Record<string, PlannedResource>;
} {
  const region = options.region ?? "westeurope";
  const b = new PlanBuilder(options.stack ?? "test");
  const r: Record<string, PlannedResource> = {};
  r.env = b.add("secure-azureml:environment:SecureMlEnvironment", "env");
  r.rg = b.add(
    "azure-native:resources:ResourceGroup",
    "env-rg",
    { resourceGroupName: RG, location: region },
    { parent: r.env, outputs: { id: `/subscriptions/${SUB}/resourceGroups/${RG}` } },
  );
  const inRg = (extra: Record<string, PlannedResource[]> = {}) => ({ resourceGroupName: [r.rg], ...extra });
  r.vnet = b.add(
    "azure-native:network:VirtualNetwork",
    "env-vnet",
    {
      resourceGroupName: RG,
      location: region,
      virtualNetworkName: "vnet-test",
      addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
    },
    { parent: r.env, inputsFrom: inRg(), outputs: { id: armId("Microsoft.Network/virtualNetworks", "vnet-test") } },
  );
  r.subnet = b.add(
    "azure-native:network:Subnet",
    "env-snet-pe",
    { resourceGroupName: RG, virtualNetworkName: "vnet-test", subnetName: "snet-pe", addressPrefix: "10.0.0.0/24" },
    {
      parent: r.env,
      inputsFrom: inRg({ virtualNetworkName: [r.vnet] }),
      outputs: { id: `${armId("Microsoft.Network/virtualNetworks", "vnet-test")}/subnets/snet-pe` },
    },
  );
  r.storage = b.add(
    "azure-native:storage:StorageAccount",
    "env-storage",
    { resourceGroupName: RG, location: region, accountName: "sttest", sku: { name: "Standard_LRS" } },
    {
      parent: r.env,
      inputsFrom: inRg(),
      outputs: { id: armId("Microsoft.Storage/storageAccounts", "sttest"), name: "sttest" },
    },
  );
  r.registry = b.add(
    "azure-native:containerregistry:Registry",
    "env-registry",
    { resourceGroupName: RG, location: region, registryName: "crtest", sku: { name: "Premium" } },
    {
      parent: r.env,
      inputsFrom: inRg(),
      outputs: { id: armId("Microsoft.ContainerRegistry/registries", "crtest"), name: "crtest" },
    },
  );
  r.vault = b.add(
    "azure-native:keyvault:Vault",
    "env-vault",
    {
      resourceGroupName: RG,
      location: region,
      vaultName: "kv-test",
      properties: { sku: { family: "A", name: "standard" } },
    },
    {
      parent: r.env,
      inputsFrom: inRg(),
      outputs: { id: armId("Microsoft.KeyVault/vaults", "kv-test"), name: "kv-test" },
    },
  );
  r.logs = b.add(
    "azure-native:operationalinsights:Workspace",
    "env-log",
    { resourceGroupName: RG, location: region, workspaceName: "log-test", retentionInDays: 90 },
    {
      parent: r.env,
      inputsFrom: inRg(),
      outputs: { id: armId("Microsoft.OperationalInsights/workspaces", "log-test"), name: "log-test" },
    },
  );
  r.appi = b.add(
    "azure-native:applicationinsights:Component",
    "env-appi",
    {
      resourceGroupName: RG,
      location: region,
      resourceName: "appi-test",
      workspaceResourceId: armId("Microsoft.OperationalInsights/workspaces", "log-test"),
    },
    {
      parent: r.env,
      inputsFrom: inRg({ workspaceResourceId: [r.logs] }),
      outputs: { id: armId("Microsoft.Insights/components", "appi-test"), name: "appi-test" },
    },
  );
  r.zone = b.add(
    "azure-native:privatedns:PrivateZone",
    "env-dns-blob",
    { resourceGroupName: RG, location: "global", privateZoneName: "privatelink.blob.core.windows.net" },
    {
      parent: r.env,
      inputsFrom: inRg(),
      outputs: { id: armId("Microsoft.Network/privateDnsZones", "privatelink.blob.core.windows.net") },
    },
  );
  r.pe = b.add(
    "azure-native:network:PrivateEndpoint",
    "env-pe-blob",
    {
      resourceGroupName: RG,
      location: region,
      privateEndpointName: "pe-blob",
      subnet: { id: r.subnet.outputs.id },
      privateLinkServiceConnections: [
        { name: "pe-blob", groupIds: ["blob"], privateLinkServiceId: r.storage.outputs.id },
      ],
    },
    {
      parent: r.env,
      inputsFrom: inRg({ subnet: [r.subnet], privateLinkServiceConnections: [r.storage] }),
      outputs: { id: armId("Microsoft.Network/privateEndpoints", "pe-blob") },
    },
  );
  r.zoneGroup = b.add(
    "azure-native:network:PrivateDnsZoneGroup",
    "env-pe-blob-dns",
    {
      resourceGroupName: RG,
      privateEndpointName: "pe-blob",
      privateDnsZoneGroupName: "default",
      privateDnsZoneConfigs: [{ name: "blob", privateDnsZoneId: r.zone.outputs.id }],
    },
    {
      parent: r.pe,
      inputsFrom: inRg({ privateEndpointName: [r.pe], privateDnsZoneConfigs: [r.zone] }),
      outputs: { id: `${String(r.pe.outputs.id)}/privateDnsZoneGroups/default` },
    },
  );
  r.identity = b.add(
    "azure-native:managedidentity:UserAssignedIdentity",
    "env-id-workspace",
    { resourceGroupName: RG, location: region, resourceName: "id-workspace" },
    {
      parent: r.env,
      inputsFrom: inRg(),
      outputs: {
        id: armId("Microsoft.ManagedIdentity/userAssignedIdentities", "id-workspace"),
        name: "id-workspace",
        principalId: "4a5ff5ce-4237-5d9f-a2cc-22c0f73d90f6",
      },
    },
  );
  r.ra = b.add(
    "azure-native:authorization:RoleAssignment",
    "ra-workspace-acrpull",
    {
      principalId: r.identity.outputs.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: roleId(ROLE.acrPull),
      scope: r.registry.outputs.id,
      roleAssignmentName: "11111111-0000-0000-0000-000000000001",
    },
    { parent: r.env, inputsFrom: { principalId: [r.identity], scope: [r.registry] } },
  );
  const fqdn = Object.fromEntries(
    Array.from({ length: options.fqdnRules ?? 2 }, (_, i) => [
      `fqdn-${i}`,
      { type: "FQDN", category: "UserDefined", destination: `host${i}.example.org` },
    ]),
  );
  r.workspace = b.add(
    "azure-native:machinelearningservices:Workspace",
    "env-workspace",
    {
      resourceGroupName: RG,
      location: region,
      workspaceName: "mlw-test",
      identity: { type: "UserAssigned", userAssignedIdentities: [r.identity.outputs.id] },
      storageAccount: r.storage.outputs.id,
      containerRegistry: r.registry.outputs.id,
      keyVault: r.vault.outputs.id,
      applicationInsights: r.appi.outputs.id,
      provisionNetworkNow: options.provisionNetworkNow ?? true,
      managedNetwork: {
        isolationMode: options.isolationMode ?? "AllowOnlyApprovedOutbound",
        firewallSku: options.firewallSku ?? "Standard",
        outboundRules: fqdn,
      },
    },
    {
      parent: r.env,
      dependsOn: [r.ra],
      inputsFrom: inRg({
        identity: [r.identity],
        storageAccount: [r.storage],
        containerRegistry: [r.registry],
        keyVault: [r.vault],
        applicationInsights: [r.appi],
      }),
      outputs: { id: armId("Microsoft.MachineLearningServices/workspaces", "mlw-test"), name: "mlw-test" },
    },
  );
  for (let i = 0; i < (options.clusters ?? 0); i++) {
    r[`cluster${i}`] = b.add(
      "azure-native:machinelearningservices:Compute",
      `env-cluster-${i}`,
      {
        resourceGroupName: RG,
        location: region,
        workspaceName: "mlw-test",
        computeName: `cpu-${i}`,
        identity: { type: "UserAssigned", userAssignedIdentities: [r.identity.outputs.id] },
        properties: {
          computeType: "AmlCompute",
          properties: {
            vmSize: "Standard_D4s_v3",
            vmPriority: "Dedicated",
            scaleSettings: {
              minNodeCount: options.clusterMinNodes ?? 1,
              maxNodeCount: 4,
              nodeIdleTimeBeforeScaleDown: "PT15M",
            },
          },
        },
      },
      {
        parent: r.env,
        inputsFrom: inRg({ workspaceName: [r.workspace], identity: [r.identity] }),
        outputs: { id: `${String(r.workspace.outputs.id)}/computes/cpu-${i}` },
      },
    );
  }
  for (let i = 0; i < (options.deployments ?? 0); i++) {
    const endpoint = b.add(
      "azure-native:machinelearningservices:OnlineEndpoint",
      `env-endpoint-${i}`,
      {
        resourceGroupName: RG,
        location: region,
        workspaceName: "mlw-test",
        endpointName: `score-${i}`,
        properties: { authMode: "AADToken", traffic: { blue: 100 } },
      },
      {
        parent: r.env,
        inputsFrom: inRg({ workspaceName: [r.workspace] }),
        outputs: { id: `${String(r.workspace.outputs.id)}/onlineEndpoints/score-${i}` },
      },
    );
    r[`endpoint${i}`] = endpoint;
    r[`deployment${i}`] = b.add(
      "azure-native:machinelearningservices:OnlineDeployment",
      `env-endpoint-${i}-blue`,
      {
        resourceGroupName: RG,
        location: region,
        workspaceName: "mlw-test",
        endpointName: `score-${i}`,
        deploymentName: "blue",
        sku: { name: "Default", capacity: options.deploymentInstances ?? 1 },
        properties: { endpointComputeType: "Managed", instanceType: "Standard_D4s_v3" },
      },
      {
        parent: r.env,
        inputsFrom: inRg({ workspaceName: [r.workspace], endpointName: [endpoint] }),
        outputs: { id: `${String(endpoint.outputs.id)}/deployments/blue` },
      },
    );
  }
  return { builder: b, r };
}
