import { TYPES } from "secure-azureml-facts";
import { PlannedResource } from "../contract";
import { kindName } from "../kindNames";
import { PlanIndex, asRecord, asString, inputSources, valueAt } from "../planIndex";

/**
 * How the diagrams group a plan's resources: the layer a resource belongs to, the service a
 * private endpoint serves (one group per service, not one node per endpoint and DNS zone), the
 * principal a role assignment names (readable kind names: plan/kindNames.ts).
 */

/** The layers the diagrams draw, in reading order. */
export const LAYERS = {
  network: "Network",
  workspace: "Workspace",
  data: "Data services",
  identity: "Identities",
  other: "Other",
} as const;
export type Layer = keyof typeof LAYERS;

/** Services that private endpoints serve and the workspace uses. */
export const DATA_SERVICE_TYPES: ReadonlySet<string> = new Set([
  TYPES.storage,
  TYPES.vault,
  TYPES.registry,
  TYPES.mlRegistry,
  TYPES.logAnalytics,
  TYPES.appInsights,
]);

const LAYER_BY_TYPE: Partial<Record<string, Layer>> = {
  [TYPES.vnet]: "network",
  [TYPES.subnet]: "network",
  [TYPES.nsg]: "network",
  [TYPES.securityRule]: "network",
  [TYPES.privateEndpoint]: "network",
  [TYPES.zoneGroup]: "network",
  [TYPES.zone]: "network",
  [TYPES.zoneLink]: "network",
  [TYPES.mlWorkspace]: "workspace",
  [TYPES.compute]: "workspace",
  [TYPES.onlineEndpoint]: "workspace",
  [TYPES.onlineDeployment]: "workspace",
  [TYPES.batchEndpoint]: "workspace",
  [TYPES.batchDeployment]: "workspace",
  [TYPES.storage]: "data",
  [TYPES.blobService]: "data",
  [TYPES.fileService]: "data",
  [TYPES.blobContainer]: "data",
  [TYPES.vault]: "data",
  [TYPES.registry]: "data",
  [TYPES.mlRegistry]: "data",
  [TYPES.logAnalytics]: "data",
  [TYPES.appInsights]: "data",
  [TYPES.identity]: "identity",
  [TYPES.roleAssignment]: "identity",
  [TYPES.roleDefinition]: "identity",
};

/** The layer a resource type is drawn in. */
export function layerOf(type: string): Layer {
  return LAYER_BY_TYPE[type] ?? "other";
}

/** The physical (Azure) name of a resource when the plan knows it, else its Pulumi name. */
export function physicalName(resource: PlannedResource): string {
  return asString(resource.outputs.name) ?? resource.name;
}

const SERVICE_NAMES: Partial<Record<string, string>> = {
  [TYPES.mlWorkspace]: "Workspace",
  [TYPES.storage]: "Storage",
  [TYPES.vault]: "Key Vault",
  [TYPES.registry]: "Container registry",
  [TYPES.mlRegistry]: "ML registry",
  [TYPES.logAnalytics]: "Log Analytics",
  [TYPES.appInsights]: "App Insights",
  [TYPES.monitorPrivateLinkScope]: "Azure Monitor",
};

/** The short name of the service a resource is (`Key Vault`), for labels such as "Key Vault PE". */
export function serviceName(type: string): string {
  return SERVICE_NAMES[type] ?? kindName(type);
}

/** One private endpoint's service group: the resource it serves, or an outside target named by its ARM id. */
export interface EndpointService {
  /** Grouping key: the served resource's URN, or `external:<owner component or ARM id>`. */
  key: string;
  /** The served resource, when it is in the plan. */
  service?: PlannedResource;
  /** "Storage", "Key Vault", ... */
  name: string;
  /** The endpoint's group ids (`blob`, `vault`, ...). */
  groupIds: string[];
}

function connections(endpoint: PlannedResource): { targetId?: string; groupIds: string[] }[] {
  const all = [
    ...((endpoint.inputs.privateLinkServiceConnections as unknown[] | undefined) ?? []),
    ...((endpoint.inputs.manualPrivateLinkServiceConnections as unknown[] | undefined) ?? []),
  ];
  return all.map((c) => ({
    targetId: asString(asRecord(c)?.privateLinkServiceId),
    groupIds: ((asRecord(c)?.groupIds as string[] | undefined) ?? []).filter((g) => typeof g === "string"),
  }));
}

/**
 * The service a private endpoint serves. An endpoint to a resource outside the plan (e.g. the
 * storage and registry Azure creates for an ML registry) joins the service of the component that
 * owns it when that component holds exactly one data service (the ML registry); else it is a
 * group of its own, named by the target's ARM id.
 */
export function endpointService(index: PlanIndex, endpoint: PlannedResource): EndpointService {
  const links = connections(endpoint);
  const groupIds = links.flatMap((l) => l.groupIds);
  const target = links.map((l) => index.byAzureId(l.targetId)).find((r) => r !== undefined);
  if (target) return { key: target.urn, service: target, name: serviceName(target.type), groupIds };
  // The component that owns the endpoint (past its PrivateEndpoint wrapper), when it holds exactly one data service.
  let owner = index.resource(endpoint.parent ?? "");
  while (owner && !owner.custom && owner.type.endsWith(":PrivateEndpoint")) owner = index.resource(owner.parent ?? "");
  const owned = owner ? index.customResourcesOf(owner.urn).filter((r) => DATA_SERVICE_TYPES.has(r.type)) : [];
  if (owned.length === 1) return { key: owned[0].urn, service: owned[0], name: serviceName(owned[0].type), groupIds };
  const targetId = links.find((l) => l.targetId)?.targetId ?? endpoint.urn;
  const name = targetId.split("/").filter(Boolean).pop() ?? targetId;
  return { key: `external:${targetId.toLowerCase()}`, name: `${name} (outside this plan)`, groupIds };
}

/** The private endpoint a DNS zone group belongs to (by its `privateEndpointName` input or source). */
export function zoneGroupEndpoint(index: PlanIndex, zoneGroup: PlannedResource): PlannedResource | undefined {
  const name = asString(zoneGroup.inputs.privateEndpointName);
  const sources = inputSources(zoneGroup, "privateEndpointName");
  return index
    .ofType(TYPES.privateEndpoint)
    .find((pe) => sources.includes(pe.urn) || (name !== undefined && asString(pe.inputs.privateEndpointName) === name));
}

/** The DNS zone ids a private endpoint's zone groups register it in. */
export function endpointZones(index: PlanIndex, endpoint: PlannedResource): string[] {
  return index
    .ofType(TYPES.zoneGroup)
    .filter((group) => zoneGroupEndpoint(index, group)?.urn === endpoint.urn)
    .flatMap((group) => (group.inputs.privateDnsZoneConfigs as unknown[] | undefined) ?? [])
    .map((config) => asString(asRecord(config)?.privateDnsZoneId))
    .filter((id): id is string => id !== undefined);
}

/** A principal that holds roles: a managed identity of the plan, or an Entra principal outside it. */
export interface Principal {
  key: string;
  /** The managed identity, when the principal is one of the plan's. */
  identity?: PlannedResource;
  /** "id-amldev-compute", "data-scientists" (the persona), or the object id's start. */
  name: string;
  /** "managed identity", "Entra group 7d3e1a52" (with the object id's start after a persona), "Entra user", ... */
  kind: string;
}

const ENTRA_KINDS: Partial<Record<string, string>> = {
  Group: "Entra group",
  User: "Entra user",
  ServicePrincipal: "service principal",
  ForeignGroup: "foreign group",
  Device: "device",
};

/**
 * The principal a role assignment names. An Entra principal outside the plan is known by its
 * object id only; when the assignment's Pulumi name carries the id after a persona
 * (`ra-data-scientists-<id>-...`), that persona names it.
 */
export function principalOf(index: PlanIndex, assignment: PlannedResource): Principal {
  const principalId = asString(assignment.inputs.principalId) ?? "unknown";
  const identityUrn = inputSources(assignment, "principalId").find(
    (urn) => index.resource(urn)?.type === TYPES.identity,
  );
  const identity = identityUrn
    ? index.resource(identityUrn)
    : index.ofType(TYPES.identity).find((i) => i.outputs.principalId === principalId);
  if (identity) return { key: identity.urn, identity, name: physicalName(identity), kind: "managed identity" };
  const type = asString(assignment.inputs.principalType) ?? "User";
  const kind = ENTRA_KINDS[type] ?? type;
  const persona = new RegExp(`^(?:ra-)?(.+?)-${principalId.replace(/[^0-9a-f-]/gi, "")}(?:-|$)`, "i").exec(
    assignment.name,
  )?.[1];
  const shortId = principalId.slice(0, 8);
  return {
    key: `principal:${principalId.toLowerCase()}`,
    name: persona ?? shortId,
    kind: persona ? `${kind} ${shortId}` : kind,
  };
}

/** The workspace a workspace child (compute, endpoint) belongs to, by its `workspaceName` input or source. */
export function belongsToWorkspace(resource: PlannedResource, workspace: PlannedResource): boolean {
  const name = asString(workspace.inputs.workspaceName);
  return (
    inputSources(resource, "workspaceName").includes(workspace.urn) ||
    (name !== undefined && asString(resource.inputs.workspaceName) === name)
  );
}

/** The user-assigned identity ids a resource runs as. */
export function userAssignedIdentityIds(resource: PlannedResource): string[] {
  const identities = valueAt(resource.inputs, "identity.userAssignedIdentities");
  return Array.isArray(identities)
    ? identities.filter((id): id is string => typeof id === "string")
    : Object.keys(asRecord(identities) ?? {});
}
