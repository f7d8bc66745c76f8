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
const AZURE_NATIVE = "/azure-native/v3.28.0/schema.json#/resources/azure-native:";

/** The documented inputs (required ones first) and outputs of each exported component. */
const EXPECTED: Record<string, { required: string[]; optional: string[]; outputs: string[] }> = {
  Identities: { required: ["location", "namePrefix", "resourceGroupName"], optional: ["tags"], outputs: ["compute", "endpoints", "workspace"] },
  Monitoring: {
    required: ["applicationInsightsName", "location", "logAnalyticsName", "resourceGroupName", "retentionDays"],
    optional: ["dailyQuotaGb", "publicNetworkAccess", "tags", ...PROTECTION],
    outputs: ["applicationInsights", "applicationInsightsConnectionString", "applicationInsightsId", "logAnalytics", "logAnalyticsWorkspaceId"],
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
    required: ["accountName", "location", "privateEndpointGroups", "privateEndpoints", "resourceGroupName", "sku", "softDeleteRetentionDays"],
    optional: ["diagnostics", "registryAccess", "tags", ...PROTECTION],
    outputs: ["account", "blobService", "diagnosticSettings", "fileService", "id", "lock", "name", "privateEndpoints"],
  },
};

/**
 * What the Python example (examples/python/__main__.py) uses: each component with the inputs it
 * sets and the outputs it reads, and the enums it names. Keep in step with the example.
 */
const PYTHON_EXAMPLE = {
  components: {
    Identities: { inputs: ["resourceGroupName", "location", "tags", "namePrefix"], outputs: ["workspace", "compute", "endpoints"] },
    Monitoring: { inputs: ["resourceGroupName", "location", "tags", "logAnalyticsName", "applicationInsightsName", "retentionDays"], outputs: ["logAnalyticsWorkspaceId", "applicationInsightsId"] },
    KeyVault: { inputs: ["resourceGroupName", "location", "tags", "vaultName", "tenantId", "sku", "privateEndpoints", "diagnostics"], outputs: ["id", "vaultUri"] },
    ContainerRegistry: {
      inputs: ["resourceGroupName", "location", "tags", "registryName", "zoneRedundancy", "untaggedRetentionDays", "privateEndpoints", "diagnostics"],
      outputs: ["id", "loginServer"],
    },
    Storage: {
      inputs: ["resourceGroupName", "location", "tags", "accountName", "sku", "softDeleteRetentionDays", "privateEndpointGroups", "privateEndpoints", "diagnostics"],
      outputs: ["id", "name"],
    },
  },
  types: { PrivateEndpointPlacementArgs: ["subnetId", "zoneIdsByGroup"], DiagnosticSettingsArgs: ["logAnalyticsWorkspaceId"], IdentityRef: ["id", "principalId", "clientId"] },
  enums: { KeyVaultSku: ["standard"], StorageSku: ["Standard_ZRS"], StorageEndpointGroup: ["blob", "file"] },
};

/** A property is typed when it has a primitive type or a $ref, down through arrays and maps. */
function isTyped(property: Property): boolean {
  if (property.$ref) return true;
  if (property.type === "array") return property.items !== undefined && isTyped(property.items);
  if (property.type === "object" && property.properties === undefined) return property.additionalProperties !== undefined && isTyped(property.additionalProperties);
  return typeof property.type === "string";
}

describe("component package schema (Pulumi's analyzer, offline)", () => {
  let schema: Schema;
  let exported: string[];

  beforeAll(async () => {
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8")) as { name: string; main: string };
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
    expect(Object.keys(resource(name).inputProperties).sort()).toEqual([...expected.required, ...expected.optional].sort());
    expect(Object.keys(resource(name).properties).sort()).toEqual(expected.outputs);
  });

  it("types every input, output and type property", () => {
    const untyped: string[] = [];
    for (const [token, { inputProperties, properties }] of Object.entries(schema.resources)) {
      for (const [key, property] of Object.entries({ ...inputProperties, ...properties })) if (!isTyped(property)) untyped.push(`${token}.${key}`);
    }
    for (const [token, type] of Object.entries(schema.types)) {
      for (const [key, property] of Object.entries(type.properties ?? {})) if (!isTyped(property)) untyped.push(`${token}.${key}`);
    }
    expect(untyped).toEqual([]);
  });

  it("keeps the placement and protection inputs on every component that has them", () => {
    for (const name of exported) {
      const inputs = resource(name).inputProperties;
      expect([inputs.resourceGroupName, inputs.location], name).toEqual([
        { type: "string", description: expect.stringMatching(/^Required\./) as unknown },
        expect.objectContaining({ type: "string" }),
      ]);
      expect(inputs.tags, name).toEqual(expect.objectContaining({ type: "object", additionalProperties: { type: "string" }, optional: true }));
    }
  });

  it("documents every input as Required., Optional. or Conditional.", () => {
    const undocumented = Object.entries(schema.resources).flatMap(([token, { inputProperties }]) =>
      Object.entries(inputProperties)
        .filter(([, property]) => !/^(Required|Optional|Conditional)\./.test((property as { description?: string }).description ?? ""))
        .map(([key]) => `${token}.${key}`),
    );
    expect(undocumented).toEqual([]);
  });

  it("types the security-relevant inputs exactly", () => {
    expect(resource("KeyVault").inputProperties.sku).toEqual(expect.objectContaining({ $ref: "#/types/secure-azureml:index:KeyVaultSku", plain: true }));
    expect(schema.types["secure-azureml:index:KeyVaultSku"]).toEqual({
      type: "string",
      enum: [
        { name: "Standard", value: "standard" },
        { name: "Premium", value: "premium" },
      ],
    });
    expect(resource("Monitoring").inputProperties.publicNetworkAccess).toEqual(expect.objectContaining({ $ref: "#/types/secure-azureml:index:PublicNetworkAccess", optional: true }));
    expect(resource("Storage").inputProperties.privateEndpointGroups).toEqual(
      expect.objectContaining({ type: "array", items: { $ref: "#/types/secure-azureml:index:StorageEndpointGroup", plain: true } }),
    );
    expect(schema.types["secure-azureml:index:StorageEndpointGroup"].enum?.map((member) => member.value)).toEqual(["blob", "file", "dfs", "queue", "table"]);
    expect(schema.types["secure-azureml:index:PrivateEndpointPlacementArgs"].properties?.zoneIdsByGroup).toEqual(
      expect.objectContaining({ type: "object", additionalProperties: { type: "array", items: { type: "string" }, plain: true }, optional: true }),
    );
  });

  it("exposes Azure resources as azure-native resource references", () => {
    expect(resource("KeyVault").properties.vault.$ref).toBe(`${AZURE_NATIVE}keyvault:Vault`);
    expect(resource("KeyVault").properties.privateEndpoints.additionalProperties?.$ref).toBe(`${AZURE_NATIVE}network:PrivateEndpoint`);
    expect(resource("Storage").properties.account.$ref).toBe(`${AZURE_NATIVE}storage:StorageAccount`);
    expect(resource("Storage").properties.diagnosticSettings.items?.$ref).toBe(`${AZURE_NATIVE}monitor:DiagnosticSetting`);
    expect(resource("ContainerRegistry").properties.lock.$ref).toBe(`${AZURE_NATIVE}authorization:ManagementLockByScope`);
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
      missing.push(...keys.filter((key) => !(type?.properties && key in type.properties)).map((key) => `${name}.${key}`));
    }
    for (const [name, values] of Object.entries(PYTHON_EXAMPLE.enums)) {
      const members = (schema.types[`secure-azureml:index:${name}`] as Property | undefined)?.enum?.map((member) => member.value) ?? [];
      missing.push(...values.filter((value) => !members.includes(value)).map((value) => `${name} ${value}`));
    }
    expect(missing).toEqual([]);
  });
});
