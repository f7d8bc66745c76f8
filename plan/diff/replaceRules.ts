import { PlannedResource } from "../contract";

/**
 * Inputs whose change makes Pulumi replace a resource rather than update it.
 *
 * - Every input that is part of the ARM id: the resource's own name (`accountName`,
 *   `vaultName`, `workspaceName`, `computeName`, ...), its parents' names and
 *   `resourceGroupName`; ARM cannot rename, so azure-native replaces.
 * - `location`: ARM resources cannot move regions in place.
 * - Azure ML compute: `properties.properties.vmSize` and `properties.properties.subnet`
 *   (Azure ignores or rejects updates to them; DESIGN.md "Facts that bite"), and the compute type.
 * - Role assignments: principal, role and scope (ARM refuses updates with
 *   RoleAssignmentUpdateNotPermitted); locks and diagnostic settings: their scope.
 * - Whatever the resource's own `options.replaceOnChanges` lists (Pulumi path syntax, `*` wildcards).
 */
const REPLACING_INPUTS: Record<string, string[]> = {
  "resources:ResourceGroup": ["resourceGroupName"],
  "storage:StorageAccount": ["accountName"],
  "storage:BlobServiceProperties": ["accountName", "blobServicesName"],
  "storage:FileServiceProperties": ["accountName", "fileServicesName"],
  "keyvault:Vault": ["vaultName"],
  "containerregistry:Registry": ["registryName"],
  "operationalinsights:Workspace": ["workspaceName"],
  "applicationinsights:Component": ["resourceName"],
  "managedidentity:UserAssignedIdentity": ["resourceName"],
  "network:VirtualNetwork": ["virtualNetworkName"],
  "network:Subnet": ["subnetName", "virtualNetworkName"],
  "network:NetworkSecurityGroup": ["networkSecurityGroupName"],
  "network:PrivateEndpoint": ["privateEndpointName"],
  "network:PrivateDnsZoneGroup": ["privateDnsZoneGroupName", "privateEndpointName"],
  "privatedns:PrivateZone": ["privateZoneName"],
  "privatedns:VirtualNetworkLink": ["virtualNetworkLinkName", "privateZoneName"],
  "machinelearningservices:Workspace": ["workspaceName"],
  "machinelearningservices:Compute": [
    "computeName",
    "workspaceName",
    "properties.computeType",
    "properties.properties.vmSize",
    "properties.properties.subnet",
  ],
  "machinelearningservices:OnlineEndpoint": ["endpointName", "workspaceName"],
  "machinelearningservices:OnlineDeployment": ["deploymentName", "endpointName", "workspaceName"],
  "machinelearningservices:OutboundRule": ["ruleName", "managedNetworkName", "workspaceName"],
  "machinelearningservices:ManagedNetworkSettingsRule": ["ruleName", "workspaceName"],
  "authorization:RoleAssignment": ["roleAssignmentName", "scope", "principalId", "roleDefinitionId"],
  "authorization:ManagementLockByScope": ["lockName", "scope"],
  "monitor:DiagnosticSetting": ["name", "resourceUri"],
  "monitor:AutoscaleSetting": ["autoscaleSettingName"],
  "monitor:MetricAlert": ["ruleName"],
  "monitor:ActionGroup": ["actionGroupName"],
  "monitor:ScheduledQueryRule": ["ruleName"],
};

/** Inputs that replace whatever the type (ids and regions). */
const ALWAYS_REPLACING = ["location", "resourceGroupName"];

/** A Pulumi property path pattern (`a.b`, `a[*].b`, `a.*`, `*`) as a regex matching it and everything below it. */
function patternRegex(pattern: string): RegExp {
  if (pattern === "*" || pattern === "**") return /.*/;
  const body = pattern
    .split(/(\[\*\]|\*)/)
    .map((part) =>
      part === "[*]" ? "\\[\\d+\\]" : part === "*" ? "[^.\\[]+" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${body}(?:$|\\.|\\[)`);
}

/** Why changing `path` replaces the resource, or undefined when it is an in-place update. */
export function replaceReason(resource: PlannedResource, path: string): string | undefined {
  const type = resource.type.replace(/^azure-native:/, "");
  for (const pattern of resource.options.replaceOnChanges) {
    if (patternRegex(pattern).test(path)) return `replaceOnChanges: ${pattern}`;
  }
  if (!resource.type.startsWith("azure-native:")) return undefined;
  for (const input of [...ALWAYS_REPLACING, ...(REPLACING_INPUTS[type] ?? [])]) {
    if (patternRegex(input).test(path))
      return input === "location" ? "location cannot change in place" : `${input} is create-only`;
  }
  return undefined;
}

/** Whether `ignoreChanges` hides a change to `path` from Pulumi. */
export function ignoredByOptions(resource: PlannedResource, path: string): boolean {
  return resource.options.ignoreChanges.some((pattern) => patternRegex(pattern).test(path));
}
