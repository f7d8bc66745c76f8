import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * Runs Pulumi's own TypeScript component analyzer (what `pulumi package add` runs for a nodejs
 * component package, through `@pulumi/pulumi/cmd/run-plugin`) offline on `components/`, and checks
 * the schema it generates: every exported component, its inputs and outputs, all typed.
 */
const PACKAGE_DIR = path.resolve(__dirname, "../../components");

interface Property {
  type?: string;
  $ref?: string;
  items?: Property;
  additionalProperties?: Property;
  enum?: { name: string; value: string }[];
  properties?: Record<string, Property>;
}
interface Resource {
  isComponent?: boolean;
  inputProperties: Record<string, Property>;
  requiredInputs: string[];
  properties: Record<string, Property>;
  required?: string[];
}
interface Schema {
  name: string;
  version: string;
  resources: Record<string, Resource>;
  types: Record<string, Property>;
  dependencies?: { name: string; version: string }[];
}

const PROTECTION = ["lock", "protect"];
/** Components whose resources live inside a workspace and take its region: they have no `location` input. */
const WITHOUT_LOCATION = ["ModelMonitors", "RetrainingSchedule", "VersionedAssets"];
const AZURE_NATIVE = "/azure-native/v3.28.0/schema.json#/resources/azure-native:";

/** The documented inputs (required ones first) and outputs of each exported component. */
const EXPECTED: Record<string, { required: string[]; optional: string[]; outputs: string[] }> = {
  Identities: {
    required: ["location", "namePrefix", "resourceGroupName"],
    optional: ["tags"],
    outputs: ["compute", "endpoints", "workspace"],
  },
  Monitoring: {
    required: ["applicationInsightsName", "location", "logAnalyticsName", "resourceGroupName", "retentionDays"],
    optional: ["dailyQuotaGb", "publicNetworkAccess", "tags", ...PROTECTION],
    outputs: [
      "applicationInsights",
      "applicationInsightsConnectionString",
      "applicationInsightsId",
      "logAnalytics",
      "logAnalyticsWorkspaceId",
    ],
  },
  MonitorPrivateLinkScope: {
    required: ["location", "privateEndpoint", "resourceGroupName", "scopeName", "scopedResourceIds"],
    optional: ["ingestionAccessMode", "privateDnsZones", "queryAccessMode", "tags"],
    outputs: ["id", "privateEndpoint", "scope", "scopedResources", "zoneIds"],
  },
  KeyVault: {
    required: ["location", "resourceGroupName", "sku", "tenantId", "vaultName"],
    optional: ["diagnostics", "privateEndpoints", "purgeProtection", "softDeleteRetentionDays", "tags", ...PROTECTION],
    outputs: ["diagnosticSettings", "id", "lock", "name", "privateEndpoints", "vault", "vaultUri"],
  },
  ContainerRegistry: {
    required: ["location", "registryName", "resourceGroupName", "untaggedRetentionDays", "zoneRedundancy"],
    optional: ["diagnostics", "privateEndpoints", "tags", ...PROTECTION],
    outputs: ["diagnosticSettings", "id", "lock", "loginServer", "name", "privateEndpoints", "registry"],
  },
  Storage: {
    required: [
      "accountName",
      "location",
      "privateEndpointGroups",
      "privateEndpoints",
      "resourceGroupName",
      "sku",
      "softDeleteRetentionDays",
    ],
    optional: ["diagnostics", "registryAccess", "tags", ...PROTECTION],
    outputs: ["account", "blobService", "diagnosticSettings", "fileService", "id", "lock", "name", "privateEndpoints"],
  },
  MachineLearningWorkspace: {
    required: [
      "applicationInsightsId",
      "containerRegistryId",
      "identityId",
      "imageBuildComputeName",
      "keyVaultId",
      "location",
      "outbound",
      "privateEndpoint",
      "resourceGroupName",
      "storageAccountId",
      "workspaceName",
    ],
    optional: [
      "customerManagedKey",
      "description",
      "diagnostics",
      "friendlyName",
      "highBusinessImpact",
      "tags",
      ...PROTECTION,
    ],
    outputs: ["id", "name", "privateDnsZoneGroup", "privateEndpoint", "workspace"],
  },
  TrainingCompute: {
    required: ["identityId", "imageBuilder", "location", "resourceGroupName", "workspaceName"],
    optional: ["clusters", "imageBuilderName", "instanceNameSeed", "instances", "tags", "tenantId"],
    outputs: ["clusterNames", "clusters", "imageBuilder", "instances"],
  },
  MlRegistry: {
    required: ["location", "mode", "principals", "privateEndpoints", "resourceGroupName", "subscriptionId"],
    optional: ["existingRegistryId", "registryName", "replicationRegions", "storageAccountType", "tags", ...PROTECTION],
    outputs: ["consumerAccess", "id", "lock", "name", "privateEndpoints", "registry", "roleAssignments"],
  },
  VersionedAssets: {
    required: ["resourceGroupName", "workspaceName"],
    optional: ["data", "environments", "imageBuilder", "models", "registryName", "tags"],
    outputs: ["data", "environments", "modelReferences"],
  },
  PrivateEndpoint: {
    required: ["groupId", "location", "resourceGroupName", "subnetId", "targetResourceId"],
    optional: ["tags", "zoneIds"],
    outputs: ["endpoint", "id", "zoneGroup"],
  },
  RoleAssignments: { required: ["grants", "subscriptionId"], optional: [], outputs: ["assignments"] },
  Network: {
    required: ["location", "namePrefix", "resourceGroupName"],
    optional: ["create", "diagnostics", "existing", "tags"],
    outputs: ["jumpboxSubnetId", "networkSecurityGroupIds", "privateEndpointSubnetId", "virtualNetworkId"],
  },
  PrivateDns: {
    required: ["cloud", "mode", "resourceGroupName", "zoneKeys"],
    optional: ["existingZoneIds", "namePrefix", "tags", "virtualNetworkId"],
    outputs: ["zoneIds"],
  },
  ManagedOnlineEndpoint: {
    required: [
      "armEndpoint",
      "deployments",
      "endpointName",
      "identityId",
      "location",
      "resourceGroupName",
      "traffic",
      "workspaceId",
      "workspaceName",
    ],
    optional: ["assets", "authMode", "dataCollection", "description", "liveCapacity", "mirrorTraffic", "tags"],
    outputs: ["deployments", "endpoint", "id", "name", "scoringUri"],
  },
  BatchScoringEndpoint: {
    required: [
      "armEndpoint",
      "clusterIds",
      "deployments",
      "endpointName",
      "location",
      "resourceGroupName",
      "workspaceId",
      "workspaceName",
    ],
    optional: ["assets", "defaultDeployment", "description", "tags"],
    outputs: ["deployments", "endpoint", "id", "name", "scoringUri"],
  },
  EndpointMonitoring: {
    required: ["actionGroupId", "endpoints", "location", "namePrefix", "resourceGroupName"],
    optional: ["tags"],
    outputs: ["alerts", "autoscaleSettings"],
  },
  ModelDataCollection: {
    required: ["deployments", "endpointIdentityClientId", "resourceGroupName", "workspaceName"],
    optional: [],
    outputs: ["dataAssets"],
  },
  ModelMonitors: {
    required: [
      "clusterIds",
      "computeIdentityClientId",
      "monitoringIdentityId",
      "monitors",
      "namePrefix",
      "resourceGroupName",
      "workspaceId",
      "workspaceName",
    ],
    optional: ["actionGroupId", "assets", "driftScript", "emailReceivers", "imageBuilder", "tags"],
    outputs: ["driftAlerts", "driftEnvironment", "monitors"],
  },
  RetrainingSchedule: {
    required: [
      "cluster",
      "clusterIds",
      "computeIdentityClientId",
      "cron",
      "enabled",
      "experimentName",
      "job",
      "resourceGroupName",
      "workspaceId",
      "workspaceName",
    ],
    optional: ["assets", "tags"],
    outputs: ["schedule"],
  },
};

/**
 * What the Python example (examples/python/__main__.py) uses: each component with the inputs it
 * sets and the outputs it reads, and the enums it names. Keep in step with the example.
 */
const PYTHON_EXAMPLE = {
  components: {
    Identities: {
      inputs: ["resourceGroupName", "location", "tags", "namePrefix"],
      outputs: ["workspace", "compute", "endpoints"],
    },
    Monitoring: {
      inputs: ["resourceGroupName", "location", "tags", "logAnalyticsName", "applicationInsightsName", "retentionDays"],
      outputs: ["logAnalyticsWorkspaceId", "applicationInsightsId"],
    },
    KeyVault: {
      inputs: [
        "resourceGroupName",
        "location",
        "tags",
        "vaultName",
        "tenantId",
        "sku",
        "privateEndpoints",
        "diagnostics",
      ],
      outputs: ["id", "vaultUri"],
    },
    ContainerRegistry: {
      inputs: [
        "resourceGroupName",
        "location",
        "tags",
        "registryName",
        "zoneRedundancy",
        "untaggedRetentionDays",
        "privateEndpoints",
        "diagnostics",
      ],
      outputs: ["id", "loginServer"],
    },
    Storage: {
      inputs: [
        "resourceGroupName",
        "location",
        "tags",
        "accountName",
        "sku",
        "softDeleteRetentionDays",
        "privateEndpointGroups",
        "privateEndpoints",
        "diagnostics",
      ],
      outputs: ["id", "name"],
    },
  },
  types: {
    PrivateEndpointPlacementArgs: ["subnetId", "zoneIdsByGroup"],
    DiagnosticSettingsArgs: ["logAnalyticsWorkspaceId"],
    IdentityRef: ["id", "principalId", "clientId"],
  },
  enums: { KeyVaultSku: ["standard"], StorageSku: ["Standard_ZRS"], StorageEndpointGroup: ["blob", "file"] },
};

/** A property is typed when it has a primitive type or a $ref, down through arrays and maps. */
function isTyped(property: Property): boolean {
  if (property.$ref) return true;
  if (property.type === "array") return property.items !== undefined && isTyped(property.items);
  if (property.type === "object" && property.properties === undefined)
    return property.additionalProperties !== undefined && isTyped(property.additionalProperties);
  return typeof property.type === "string";
}

describe("component package schema (Pulumi's analyzer, offline)", () => {
  let schema: Schema;
  let exported: string[];

  beforeAll(async () => {
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8")) as {
      name: string;
      main: string;
    };
    // `await import` so vitest transforms the TypeScript entry (run-plugin itself uses require + ts-node).
    const components = getPulumiComponents(await import(path.join(PACKAGE_DIR, pkg.main)));
    exported = components.map((component) => component.name).sort();
    const provider = new ComponentProvider({ name: pkg.name, dirname: PACKAGE_DIR, components });
    schema = JSON.parse(await provider.getSchema()) as Schema;
  });

  const resource = (component: string): Resource => schema.resources[`secure-azureml:index:${component}`];

  it("names the package secure-azureml 0.1.0, depending on azure-native 3.28.0 for resource outputs", () => {
    expect([schema.name, schema.version]).toEqual(["secure-azureml", "0.1.0"]);
    expect(schema.dependencies).toEqual([{ name: "azure-native", version: "3.28.0" }]);
  });

  it("has exactly the exported components, each as secure-azureml:index:<Class> with isComponent", () => {
    expect(exported).toEqual(Object.keys(EXPECTED).sort());
    expect(Object.keys(schema.resources).sort()).toEqual(exported.map((name) => `secure-azureml:index:${name}`));
    for (const name of exported) expect(resource(name).isComponent, name).toBe(true);
  });

  it.each(Object.entries(EXPECTED))("%s has exactly its documented inputs and outputs", (name, expected) => {
    expect(resource(name).requiredInputs).toEqual(expected.required);
    expect(Object.keys(resource(name).inputProperties).sort()).toEqual(
      [...expected.required, ...expected.optional].sort(),
    );
    expect(Object.keys(resource(name).properties).sort()).toEqual(expected.outputs);
  });

  it("types every input, output and type property", () => {
    const untyped: string[] = [];
    for (const [token, { inputProperties, properties }] of Object.entries(schema.resources)) {
      for (const [key, property] of Object.entries({ ...inputProperties, ...properties }))
        if (!isTyped(property)) untyped.push(`${token}.${key}`);
    }
    for (const [token, type] of Object.entries(schema.types)) {
      for (const [key, property] of Object.entries(type.properties ?? {}))
        if (!isTyped(property)) untyped.push(`${token}.${key}`);
    }
    expect(untyped).toEqual([]);
  });

  it("keeps the placement and protection inputs on every component that has them", () => {
    // Without a location: RoleAssignments (assignments live at their scopes, untagged), PrivateDns (zones are global) and
    // ModelDataCollection (data asset versions live in the workspace, untagged, as they always were).
    expect(
      ["ModelDataCollection", "PrivateDns", "RoleAssignments"].filter(
        (name) => "location" in resource(name).inputProperties,
      ),
    ).toEqual([]);
    expect(resource("PrivateDns").inputProperties.tags).toEqual(
      expect.objectContaining({ type: "object", additionalProperties: { type: "string" }, optional: true }),
    );
    for (const name of exported.filter(
      (component) => !["ModelDataCollection", "PrivateDns", "RoleAssignments"].includes(component),
    )) {
      const inputs = resource(name).inputProperties;
      expect([inputs.resourceGroupName, inputs.location], name).toEqual([
        { type: "string", description: expect.stringMatching(/^Required\./) as unknown },
        WITHOUT_LOCATION.includes(name) ? undefined : expect.objectContaining({ type: "string" }),
      ]);
      expect(inputs.tags, name).toEqual(
        expect.objectContaining({ type: "object", additionalProperties: { type: "string" }, optional: true }),
      );
    }
  });

  it("documents every input as Required., Optional. or Conditional.", () => {
    const undocumented = Object.entries(schema.resources).flatMap(([token, { inputProperties }]) =>
      Object.entries(inputProperties)
        .filter(
          ([, property]) =>
            !/^(Required|Optional|Conditional)\./.test((property as { description?: string }).description ?? ""),
        )
        .map(([key]) => `${token}.${key}`),
    );
    expect(undocumented).toEqual([]);
  });

  it("types the security-relevant inputs exactly", () => {
    expect(resource("KeyVault").inputProperties.sku).toEqual(
      expect.objectContaining({ $ref: "#/types/secure-azureml:index:KeyVaultSku", plain: true }),
    );
    expect(schema.types["secure-azureml:index:KeyVaultSku"]).toEqual({
      type: "string",
      enum: [
        { name: "Standard", value: "standard" },
        { name: "Premium", value: "premium" },
      ],
    });
    expect(resource("Monitoring").inputProperties.publicNetworkAccess).toEqual(
      expect.objectContaining({ $ref: "#/types/secure-azureml:index:PublicNetworkAccess", optional: true }),
    );
    expect(resource("Storage").inputProperties.privateEndpointGroups).toEqual(
      expect.objectContaining({
        type: "array",
        items: { $ref: "#/types/secure-azureml:index:StorageEndpointGroup", plain: true },
      }),
    );
    expect(schema.types["secure-azureml:index:StorageEndpointGroup"].enum?.map((member) => member.value)).toEqual([
      "blob",
      "file",
      "dfs",
      "queue",
      "table",
    ]);
    const enumValues = (name: string) =>
      schema.types[`secure-azureml:index:${name}`].enum?.map((member) => member.value);
    expect(enumValues("ManagedNetworkIsolationMode")).toEqual(["AllowOnlyApprovedOutbound", "AllowInternetOutbound"]);
    expect(enumValues("ManagedFirewallSku")).toEqual(["Standard", "Basic"]);
    expect(enumValues("ServiceTagProtocol")).toEqual(["TCP", "UDP", "ICMP", "*"]);
    expect(enumValues("ComputeTier")).toEqual(["Dedicated", "LowPriority"]);
    expect(enumValues("MlRegistryMode")).toEqual(["publish", "consume"]);
    expect(enumValues("IdentityDatastore")).toEqual(["workspaceblobstore", "workspaceartifactstore"]);
    expect(resource("MachineLearningWorkspace").inputProperties.outbound).toEqual(
      expect.objectContaining({ $ref: "#/types/secure-azureml:index:WorkspaceOutboundArgs", plain: true }),
    );
    expect(schema.types["secure-azureml:index:WorkspaceOutboundArgs"].properties?.mode).toEqual(
      expect.objectContaining({ $ref: "#/types/secure-azureml:index:ManagedNetworkIsolationMode" }),
    );
    expect(Object.keys(schema.types["secure-azureml:index:WorkspaceOutboundArgs"].properties ?? {}).sort()).toEqual([
      "firewallSku",
      "fqdnRules",
      "mode",
      "privateEndpointRules",
      "serviceTagRules",
    ]);
    expect(Object.keys(schema.types["secure-azureml:index:CustomerManagedKeyArgs"].properties ?? {}).sort()).toEqual([
      "keyUri",
      "keyVaultId",
    ]);
    expect(Object.keys(schema.types["secure-azureml:index:EnvironmentAssetArgs"].properties ?? {}).sort()).toEqual([
      "condaFile",
      "description",
      "image",
      "version",
    ]);
    expect(resource("MlRegistry").inputProperties.mode).toEqual(
      expect.objectContaining({ $ref: "#/types/secure-azureml:index:MlRegistryMode", plain: true }),
    );
    expect(schema.types["secure-azureml:index:PrivateEndpointPlacementArgs"].properties?.zoneIdsByGroup).toEqual(
      expect.objectContaining({
        type: "object",
        additionalProperties: { type: "array", items: { type: "string" }, plain: true },
        optional: true,
      }),
    );
  });

  it("types the serving components' inputs exactly: auth mode enum, plain deployments, endpoints watched and collected by id", () => {
    const type = (name: string) => schema.types[`secure-azureml:index:${name}`];
    const keys = (name: string) => Object.keys(type(name).properties ?? {}).sort();
    expect(resource("ManagedOnlineEndpoint").inputProperties.authMode).toEqual(
      expect.objectContaining({
        $ref: "#/types/secure-azureml:index:OnlineEndpointAuthMode",
        optional: true,
        plain: true,
      }),
    );
    expect(type("OnlineEndpointAuthMode").enum?.map((member) => member.value)).toEqual(["AADToken", "AMLToken", "Key"]);
    expect(resource("ManagedOnlineEndpoint").inputProperties.identityId).toEqual(
      expect.objectContaining({ type: "string" }),
    );
    expect(resource("ManagedOnlineEndpoint").inputProperties.deployments).toEqual(
      expect.objectContaining({
        type: "object",
        additionalProperties: { $ref: "#/types/secure-azureml:index:OnlineDeploymentArgs", plain: true },
      }),
    );
    expect(resource("ManagedOnlineEndpoint").inputProperties.traffic).toEqual(
      expect.objectContaining({ type: "object", additionalProperties: { type: "number", plain: true } }),
    );
    expect(keys("OnlineDeploymentArgs")).toEqual([
      "autoscale",
      "code",
      "environment",
      "instanceCount",
      "instanceType",
      "livenessProbe",
      "model",
      "readinessProbe",
      "requestSettings",
    ]);
    expect(keys("ProbeSettingsArgs")).toEqual([
      "failureThreshold",
      "initialDelaySeconds",
      "periodSeconds",
      "successThreshold",
      "timeoutSeconds",
    ]);
    expect(keys("RequestSettingsArgs")).toEqual(["maxConcurrentRequestsPerInstance", "requestTimeoutMs"]);
    expect(keys("AutoscaleArgs")).toEqual([
      "cpuScaleInPercent",
      "cpuScaleOutPercent",
      "latencyScaleOutMs",
      "maxInstances",
      "minInstances",
    ]);
    expect(keys("CodeConfigurationArgs")).toEqual(["codeId", "scoringScript"]);
    expect(keys("AssetReferencesArgs")).toEqual(["environments", "models"]);
    expect(keys("DeploymentDataCollectionArgs")).toEqual([
      "clientId",
      "modelInputsDataId",
      "modelOutputsDataId",
      "samplingRate",
    ]);
    expect(keys("BatchDeploymentArgs")).toEqual([
      "cluster",
      "code",
      "environment",
      "errorThreshold",
      "instanceCount",
      "loggingLevel",
      "maxConcurrencyPerInstance",
      "miniBatchSize",
      "model",
      "output",
      "retry",
    ]);
    expect(keys("BatchRetryArgs")).toEqual(["maxRetries", "timeoutSeconds"]);
    expect(keys("BatchOutputArgs")).toEqual(["action", "fileName", "path"]);
    expect(type("BatchLoggingLevel").enum?.map((member) => member.value)).toEqual(["Warning", "Info", "Debug"]);
    expect(type("BatchOutputAction").enum?.map((member) => member.value)).toEqual(["AppendRow", "SummaryOnly"]);
    // Endpoints and deployments are watched by id, not by component object.
    expect(keys("WatchedEndpointArgs")).toEqual(["alerts", "deployments", "endpointId"]);
    expect(keys("WatchedDeploymentArgs")).toEqual(["autoscale", "deploymentId", "instanceCount", "instanceType"]);
    expect(keys("EndpointAlertThresholdsArgs")).toEqual([
      "gpuUtilizationPercent",
      "latencyP95Ms",
      "serverErrorsPerMinute",
    ]);
    expect(keys("MonitoredDeploymentArgs")).toEqual(["deployment", "endpoint", "endpointName", "samplingRate"]);
    expect(resource("ModelDataCollection").properties.dataAssets.additionalProperties?.$ref).toBe(
      "#/types/secure-azureml:index:CollectedDataAssets",
    );
    expect(type("CollectedDataAssets").properties?.model_inputs.$ref).toBe(
      `${AZURE_NATIVE}machinelearningservices:DataVersion`,
    );
    expect(resource("ManagedOnlineEndpoint").properties.deployments.additionalProperties?.$ref).toBe(
      `${AZURE_NATIVE}machinelearningservices:OnlineDeployment`,
    );
    expect(resource("BatchScoringEndpoint").properties.endpoint.$ref).toBe(
      `${AZURE_NATIVE}machinelearningservices:BatchEndpoint`,
    );
    expect(resource("EndpointMonitoring").properties.autoscaleSettings.additionalProperties?.$ref).toBe(
      `${AZURE_NATIVE}monitor:AutoscaleSetting`,
    );
  });

  it("types the role grants, the network modes and the private DNS modes exactly", () => {
    expect(resource("RoleAssignments").inputProperties.grants).toEqual(
      expect.objectContaining({
        type: "array",
        items: { $ref: "#/types/secure-azureml:index:RoleGrant", plain: true },
        plain: true,
      }),
    );
    const grant = schema.types["secure-azureml:index:RoleGrant"] as Property & { required: string[] };
    expect(Object.keys(grant.properties ?? {}).sort()).toEqual([
      "key",
      "principalId",
      "principalType",
      "reason",
      "role",
      "scope",
    ]);
    expect(grant.required.sort()).toEqual(["key", "principalId", "principalType", "reason", "role", "scope"]);
    expect(grant.properties?.role).toEqual(
      expect.objectContaining({ $ref: "#/types/secure-azureml:index:BuiltInRole" }),
    );
    expect(grant.properties?.principalType).toEqual(
      expect.objectContaining({ $ref: "#/types/secure-azureml:index:PrincipalType" }),
    );
    // Enum member order follows TypeScript's internal type order, not the source: compare sorted.
    const values = (name: string) =>
      (schema.types[`secure-azureml:index:${name}`].enum ?? []).map((member) => member.value).sort();
    expect(values("PrincipalType")).toEqual(["Group", "ServicePrincipal"]);
    // Exactly the roles the project grants: no Owner, User Access Administrator or other scope-controlling role.
    expect(values("BuiltInRole")).toEqual(
      [
        "AzureML Data Scientist",
        "AzureML Compute Operator",
        "AzureML Metrics Writer",
        "AzureML Registry User",
        "Azure AI Enterprise Network Connection Approver",
        "Storage Blob Data Contributor",
        "Storage Blob Data Reader",
        "Storage File Data Privileged Contributor",
        "Storage Queue Data Contributor",
        "Storage Table Data Contributor",
        "Key Vault Administrator",
        "Key Vault Crypto Service Encryption User",
        "AcrPull",
        "Contributor",
        "Reader",
      ].sort(),
    );
    expect(resource("Network").inputProperties.create).toEqual(
      expect.objectContaining({ $ref: "#/types/secure-azureml:index:NetworkCreateArgs", optional: true }),
    );
    expect(resource("Network").inputProperties.existing).toEqual(
      expect.objectContaining({ $ref: "#/types/secure-azureml:index:NetworkExistingArgs", optional: true }),
    );
    const createArgs = schema.types["secure-azureml:index:NetworkCreateArgs"] as Property & { required?: string[] };
    expect(createArgs.required).toEqual(["addressSpace", "privateEndpointSubnet"]);
    expect(createArgs.properties?.jumpboxSubnet).toEqual(expect.objectContaining({ type: "string", optional: true }));
    expect(schema.types["secure-azureml:index:NetworkExistingArgs"]).toEqual(
      expect.objectContaining({ required: ["privateEndpointSubnetId", "virtualNetworkId"] }),
    );
    expect(resource("PrivateDns").inputProperties.mode).toEqual(
      expect.objectContaining({ $ref: "#/types/secure-azureml:index:PrivateDnsMode", plain: true }),
    );
    expect(values("PrivateDnsMode")).toEqual(["azurePolicy", "create", "existing"]);
    expect(values("AzureCloud")).toEqual(["AzureChinaCloud", "AzureCloud", "AzureUSGovernment"]);
    expect(resource("PrivateDns").inputProperties.zoneKeys).toEqual(
      expect.objectContaining({
        type: "array",
        items: { $ref: "#/types/secure-azureml:index:PrivateDnsZoneKey", plain: true },
      }),
    );
    expect(values("PrivateDnsZoneKey")).toEqual([
      "amlApi",
      "amlNotebooks",
      "blob",
      "dfs",
      "file",
      "queue",
      "registry",
      "table",
      "vault",
    ]);
    expect(resource("PrivateEndpoint").inputProperties.zoneIds).toEqual(
      expect.objectContaining({ type: "array", items: { type: "string" }, optional: true }),
    );
  });

  it("types the model monitors and the retraining job with named types and enums, ids for their targets", () => {
    const type = (name: string) => schema.types[`secure-azureml:index:${name}`] as Property & { required?: string[] };
    const values = (name: string) => (type(name).enum ?? []).map((member) => member.value).sort();
    expect(resource("ModelMonitors").inputProperties.monitors).toEqual(
      expect.objectContaining({
        type: "object",
        additionalProperties: { $ref: "#/types/secure-azureml:index:ModelMonitorArgs", plain: true },
      }),
    );
    const monitorArgs = type("ModelMonitorArgs");
    expect(Object.keys(monitorArgs.properties ?? {}).sort()).toEqual(
      [
        "cluster",
        "cron",
        "deployment",
        "deploymentId",
        "endpoint",
        "engine",
        "instanceType",
        "lookbackDays",
        "model",
        "modelInputsDataId",
        "modelOutputsDataId",
        "notify",
        "onlineDeployment",
        "runtimeVersion",
        "signals",
        "taskType",
        "trainingData",
      ].sort(),
    );
    expect(monitorArgs.required?.sort()).toEqual(
      [
        "cron",
        "deployment",
        "deploymentId",
        "endpoint",
        "engine",
        "lookbackDays",
        "modelInputsDataId",
        "modelOutputsDataId",
        "notify",
        "signals",
        "taskType",
      ].sort(),
    );
    expect(monitorArgs.properties?.engine).toEqual(
      expect.objectContaining({ $ref: "#/types/secure-azureml:index:MonitorEngine" }),
    );
    expect(monitorArgs.properties?.taskType).toEqual(
      expect.objectContaining({ $ref: "#/types/secure-azureml:index:MonitorTaskType" }),
    );
    expect(monitorArgs.properties?.onlineDeployment.$ref).toBe(
      `${AZURE_NATIVE}machinelearningservices:OnlineDeployment`,
    );
    expect(monitorArgs.properties?.signals).toEqual(
      expect.objectContaining({ $ref: "#/types/secure-azureml:index:MonitorSignalsArgs" }),
    );
    expect(type("MonitorSignalsArgs").required?.sort()).toEqual(["dataDrift", "dataQuality", "predictionDrift"]);
    expect(type("DriftSignalArgs").required?.sort()).toEqual(["categorical", "numerical"]);
    expect(type("DriftThresholdArgs").required?.sort()).toEqual(["metric", "threshold"]);
    expect(type("DriftThresholdArgs").properties?.metric).toEqual(
      expect.objectContaining({ $ref: "#/types/secure-azureml:index:DriftMetric" }),
    );
    expect(type("DataQualitySignalArgs").required?.sort()).toEqual([
      "dataTypeErrorRate",
      "nullValueRate",
      "outOfBoundsRate",
    ]);
    expect(values("MonitorEngine")).toEqual(["builtin", "job"]);
    expect(values("MonitorTaskType")).toEqual(["Classification", "Regression"]);
    expect(values("DriftMetric")).toEqual(["JensenShannonDistance", "PopulationStabilityIndex"]);

    expect(resource("RetrainingSchedule").inputProperties.job).toEqual(
      expect.objectContaining({ $ref: "#/types/secure-azureml:index:RetrainingJobArgs" }),
    );
    const job = type("RetrainingJobArgs");
    expect(Object.keys(job.properties ?? {}).sort()).toEqual([
      "code",
      "command",
      "environment",
      "inputs",
      "timeoutMinutes",
    ]);
    expect(job.required?.sort()).toEqual(["command", "environment", "timeoutMinutes"]);
    expect(job.properties?.inputs).toEqual(
      expect.objectContaining({
        type: "object",
        additionalProperties: { $ref: "#/types/secure-azureml:index:JobInputArgs", plain: true },
      }),
    );
    const input = type("JobInputArgs");
    expect(Object.keys(input.properties ?? {}).sort()).toEqual(["mode", "path", "type", "value"]);
    expect(input.required).toEqual(["type"]);
    expect(values("JobInputType")).toEqual(["literal", "mltable", "uri_file", "uri_folder"]);
    expect(values("JobInputMode")).toEqual(["Direct", "Download", "ReadOnlyMount"]);
  });

  it("exposes Azure resources as azure-native resource references", () => {
    expect(resource("KeyVault").properties.vault.$ref).toBe(`${AZURE_NATIVE}keyvault:Vault`);
    expect(resource("KeyVault").properties.privateEndpoints.additionalProperties?.$ref).toBe(
      `${AZURE_NATIVE}network:PrivateEndpoint`,
    );
    expect(resource("Storage").properties.account.$ref).toBe(`${AZURE_NATIVE}storage:StorageAccount`);
    expect(resource("Storage").properties.diagnosticSettings.items?.$ref).toBe(
      `${AZURE_NATIVE}monitor:DiagnosticSetting`,
    );
    expect(resource("ContainerRegistry").properties.lock.$ref).toBe(
      `${AZURE_NATIVE}authorization:ManagementLockByScope`,
    );
    expect(resource("MachineLearningWorkspace").properties.workspace.$ref).toBe(
      `${AZURE_NATIVE}machinelearningservices:Workspace`,
    );
    expect(resource("MachineLearningWorkspace").properties.privateEndpoint.$ref).toBe(
      `${AZURE_NATIVE}network:PrivateEndpoint`,
    );
    expect(resource("TrainingCompute").properties.clusters.additionalProperties?.$ref).toBe(
      `${AZURE_NATIVE}machinelearningservices:Compute`,
    );
    expect(resource("MlRegistry").properties.registry.$ref).toBe(`${AZURE_NATIVE}machinelearningservices:Registry`);
    expect(resource("MlRegistry").properties.roleAssignments.additionalProperties?.$ref).toBe(
      `${AZURE_NATIVE}authorization:RoleAssignment`,
    );
    expect(resource("VersionedAssets").inputProperties.imageBuilder.$ref).toBe(
      `${AZURE_NATIVE}machinelearningservices:Compute`,
    );
    expect(resource("PrivateEndpoint").properties.endpoint.$ref).toBe(`${AZURE_NATIVE}network:PrivateEndpoint`);
    expect(resource("PrivateEndpoint").properties.zoneGroup.$ref).toBe(`${AZURE_NATIVE}network:PrivateDnsZoneGroup`);
    expect(resource("RoleAssignments").properties.assignments.additionalProperties?.$ref).toBe(
      `${AZURE_NATIVE}authorization:RoleAssignment`,
    );
    expect(resource("ModelMonitors").properties.monitors.additionalProperties?.$ref).toBe(
      `${AZURE_NATIVE}machinelearningservices:Schedule`,
    );
    expect(resource("ModelMonitors").properties.driftEnvironment.$ref).toBe(
      `${AZURE_NATIVE}machinelearningservices:EnvironmentVersion`,
    );
    expect(resource("ModelMonitors").properties.driftAlerts.additionalProperties?.$ref).toBe(
      `${AZURE_NATIVE}monitor:MetricAlert`,
    );
    expect(resource("ModelMonitors").inputProperties.imageBuilder.$ref).toBe(
      `${AZURE_NATIVE}machinelearningservices:Compute`,
    );
    expect(resource("RetrainingSchedule").properties.schedule.$ref).toBe(
      `${AZURE_NATIVE}machinelearningservices:Schedule`,
    );
  });

  it("has every component, input, output, type and enum value the Python example uses", () => {
    const missing: string[] = [];
    for (const [name, { inputs, outputs }] of Object.entries(PYTHON_EXAMPLE.components)) {
      const component = schema.resources[`secure-azureml:index:${name}`] as Resource | undefined;
      if (!component) {
        missing.push(name);
        continue;
      }
      missing.push(...inputs.filter((key) => !(key in component.inputProperties)).map((key) => `${name} input ${key}`));
      missing.push(...outputs.filter((key) => !(key in component.properties)).map((key) => `${name} output ${key}`));
    }
    for (const [name, keys] of Object.entries(PYTHON_EXAMPLE.types)) {
      const type = schema.types[`secure-azureml:index:${name}`] as Property | undefined;
      missing.push(
        ...keys.filter((key) => !(type?.properties && key in type.properties)).map((key) => `${name}.${key}`),
      );
    }
    for (const [name, values] of Object.entries(PYTHON_EXAMPLE.enums)) {
      const members =
        (schema.types[`secure-azureml:index:${name}`] as Property | undefined)?.enum?.map((member) => member.value) ??
        [];
      missing.push(...values.filter((value) => !members.includes(value)).map((value) => `${name} ${value}`));
    }
    expect(missing).toEqual([]);
  });
});
