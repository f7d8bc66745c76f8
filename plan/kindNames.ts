import { TYPES } from "secure-azureml-facts";

/**
 * Readable names of resource kinds, singular and plural, shared by every output a person reads:
 * the `npm start` summary counts (`3 private endpoints`), the diagrams and role table
 * (`stamldevsmadh (storage account)`) and the pull-request report.
 */

const KIND_NAMES: Partial<Record<string, readonly [one: string, many: string]>> = {
  [TYPES.resourceGroup]: ["resource group", "resource groups"],
  [TYPES.vnet]: ["virtual network", "virtual networks"],
  [TYPES.subnet]: ["subnet", "subnets"],
  [TYPES.nsg]: ["network security group", "network security groups"],
  [TYPES.privateEndpoint]: ["private endpoint", "private endpoints"],
  [TYPES.zoneGroup]: ["DNS zone group", "DNS zone groups"],
  [TYPES.zone]: ["private DNS zone", "private DNS zones"],
  [TYPES.zoneLink]: ["DNS zone link", "DNS zone links"],
  [TYPES.identity]: ["managed identity", "managed identities"],
  [TYPES.roleAssignment]: ["role assignment", "role assignments"],
  // The components' only lock is CanNotDelete (components/shared/lock.ts).
  [TYPES.lockByScope]: ["delete lock", "delete locks"],
  [TYPES.storage]: ["storage account", "storage accounts"],
  [TYPES.vault]: ["Key Vault", "Key Vaults"],
  [TYPES.registry]: ["container registry", "container registries"],
  [TYPES.mlRegistry]: ["ML registry", "ML registries"],
  [TYPES.logAnalytics]: ["Log Analytics workspace", "Log Analytics workspaces"],
  [TYPES.appInsights]: ["Application Insights", "Application Insights components"],
  [TYPES.diagnostic]: ["diagnostic setting", "diagnostic settings"],
  [TYPES.metricAlert]: ["metric alert", "metric alerts"],
  [TYPES.mlWorkspace]: ["workspace", "workspaces"],
  [TYPES.compute]: ["compute", "computes"],
  [TYPES.onlineEndpoint]: ["online endpoint", "online endpoints"],
  [TYPES.onlineDeployment]: ["online deployment", "online deployments"],
  [TYPES.batchEndpoint]: ["batch endpoint", "batch endpoints"],
  [TYPES.batchDeployment]: ["batch deployment", "batch deployments"],
  [TYPES.schedule]: ["schedule", "schedules"],
  "pulumi-nodejs:dynamic:Resource": ["dynamic (program-run) step", "dynamic (program-run) steps"],
  "random:index/randomString:RandomString": ["random name suffix", "random name suffixes"],
};

/**
 * A readable name of a resource type, singular or plural (`role assignment`, `role assignments`);
 * other types by their type token in words (`azure-native:monitor:ActionGroup` -> `action group(s)`).
 */
export function kindName(type: string, count = 1): string {
  const known = KIND_NAMES[type];
  if (known) return count === 1 ? known[0] : known[1];
  const token = type.split(":").pop() ?? type;
  const words = token.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  if (count === 1 || words.endsWith("s")) return words;
  // policy -> policies, but gateway -> gateways.
  return /[^aeiou]y$/.test(words) ? `${words.slice(0, -1)}ies` : `${words}s`;
}
