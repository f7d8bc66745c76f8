import { ARM_ID_SHAPES } from "secure-azureml-facts";

/**
 * How the offline engine invents the ids and read-only outputs Azure would return, per
 * resource type. Ids have Azure's real shape so tests can assert which resource a private
 * endpoint, role assignment or diagnostic setting targets. A type missing here fails the
 * plan loudly instead of producing an id nobody can check.
 */

export const FAKE_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";
export const FAKE_TENANT_ID = "11111111-1111-1111-1111-111111111111";
export const FAKE_CLIENT_OBJECT_ID = "22222222-2222-2222-2222-222222222222";

/** Id shapes per type token: secure-azureml-facts `ARM_ID_SHAPES`. */
const rules = ARM_ID_SHAPES;

export class UnknownResourceTypeError extends Error {}

/** The physical name Azure would use: the self-name input, or the logical name when autonamed. */
export function physicalName(type: string, logicalName: string, inputs: Record<string, unknown>): string {
  const rule = rules[type];
  const value = rule ? inputs[rule.nameInput] : undefined;
  return typeof value === "string" && value.length > 0 ? value : logicalName;
}

/** The ARM id Azure would assign. */
export function fakeAzureId(type: string, logicalName: string, inputs: Record<string, unknown>): string {
  const rule = rules[type];
  if (!rule)
    throw new UnknownResourceTypeError(
      `the offline engine has no id rule for ${type}; add its shape to facts/armIds.ts`,
    );
  const name = physicalName(type, logicalName, inputs);
  if (rule.scopeInput) return `${String(inputs[rule.scopeInput])}/${rule.extension ?? ""}/${name}`;
  const group = `/subscriptions/${FAKE_SUBSCRIPTION_ID}/resourceGroups/${String(inputs.resourceGroupName)}`;
  if (!rule.provider) return group;
  const parentPath = (rule.parents ?? []).map((p) => `${p.provider}/${String(inputs[p.input])}`).join("/");
  const providerPath = parentPath ? `${parentPath}/${rule.provider}` : rule.provider;
  return `${group}/providers/${providerPath}/${name}`;
}

/** Read-only outputs other resources consume, derived deterministically from the id. */
export function fakeComputedOutputs(
  type: string,
  id: string,
  inputs: Record<string, unknown>,
  stableGuid: (seed: string) => string,
): Record<string, unknown> {
  switch (type) {
    case "azure-native:managedidentity:UserAssignedIdentity":
      return {
        principalId: stableGuid(`${id}/principal`),
        clientId: stableGuid(`${id}/client`),
        tenantId: FAKE_TENANT_ID,
      };
    case "azure-native:containerregistry:Registry":
      return { loginServer: `${String(inputs.registryName)}.azurecr.io` };
    case "azure-native:keyvault:Vault":
      return {
        properties: {
          ...(inputs.properties as object),
          vaultUri: `https://${String(inputs.vaultName)}.vault.azure.net/`,
        },
      };
    case "azure-native:operationalinsights:Workspace":
      return { customerId: stableGuid(`${id}/customer`) };
    case "azure-native:applicationinsights:Component":
      return {
        connectionString: `InstrumentationKey=${stableGuid(`${id}/ikey`)}`,
        instrumentationKey: stableGuid(`${id}/ikey`),
      };
    case "azure-native:machinelearningservices:OnlineEndpoint": {
      const host = `${String(inputs.endpointName)}.${String(inputs.location)}.inference.ml.azure.com`;
      return {
        properties: {
          ...(inputs.properties as object),
          scoringUri: `https://${host}/score`,
          swaggerUri: `https://${host}/swagger.json`,
          provisioningState: "Succeeded",
        },
      };
    }
    case "azure-native:machinelearningservices:Registry":
      return fakeRegistryOutputs(id, inputs, stableGuid);
    case "azure-native:machinelearningservices:BatchEndpoint":
      return {
        properties: {
          ...(inputs.properties as object),
          scoringUri: `https://${String(inputs.endpointName)}.${String(inputs.location)}.inference.ml.azure.com/jobs`,
          provisioningState: "Succeeded",
        },
      };
    case "azure-native:machinelearningservices:Workspace":
      return {
        workspaceId: stableGuid(`${id}/workspace`),
        discoveryUrl: `https://${String(inputs.location)}.api.azureml.ms/discovery`,
      };
    default:
      return {};
  }
}

type RegionInput = {
  location?: string;
  storageAccountDetails?: { systemCreatedStorageAccount?: object }[];
  acrDetails?: { systemCreatedAcrAccount?: object }[];
};

/** An ML registry's system-created resources live in a managed resource group; Azure reports their ids per region. */
function fakeRegistryOutputs(
  id: string,
  inputs: Record<string, unknown>,
  stableGuid: (seed: string) => string,
): Record<string, unknown> {
  const name = String(inputs.registryName);
  const hex = (seed: string) => stableGuid(seed).replace(/-/g, "");
  const group = `/subscriptions/${FAKE_SUBSCRIPTION_ID}/resourceGroups/azureml-rg-${name}_${stableGuid(`${id}/managed`)}`;
  const acrId = `${group}/providers/Microsoft.ContainerRegistry/registries/${hex(`${id}/acr`).slice(0, 20)}`;
  const regions = (inputs.regionDetails as RegionInput[] | undefined) ?? [];
  return {
    discoveryUrl: `https://${String(inputs.location)}.api.azureml.ms/registrymanagement/v1.0/registries/${name}/discovery`,
    managedResourceGroup: { resourceId: group },
    regionDetails: regions.map((region) => ({
      ...region,
      storageAccountDetails: [
        {
          systemCreatedStorageAccount: {
            ...region.storageAccountDetails?.[0]?.systemCreatedStorageAccount,
            armResourceId: {
              resourceId: `${group}/providers/Microsoft.Storage/storageAccounts/${hex(`${id}/${String(region.location)}/storage`).slice(0, 24)}`,
            },
          },
        },
      ],
      acrDetails: [
        {
          systemCreatedAcrAccount: {
            ...region.acrDetails?.[0]?.systemCreatedAcrAccount,
            armResourceId: { resourceId: acrId },
          },
        },
      ],
    })),
  };
}
