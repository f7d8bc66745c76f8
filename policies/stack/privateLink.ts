import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { ADVISORY, BaselineStackPolicy, MANDATORY } from "../support/baseline";
import { sameText, shown } from "../support/props";
import {
  UNKNOWN,
  azureName,
  isDisabled,
  knownString,
  label,
  mustKnow,
  normalizeId,
  ofType,
  peek,
  refersToId,
  refersToValue,
  sameGroupOrUnknown,
  sourcesOf,
  untraced,
} from "../support/stackGraph";
import {
  Connection,
  connectionsOf,
  groupIdsOf,
  connectionsTo,
  missingZones,
  requireTracedConnections,
  requireTracedZoneGroups,
  zoneGroupsOf,
  zonesOf,
} from "../support/stackPrivateLink";
import { PRIVATE_DNS_ZONES_BY_GROUP_ID, TYPES as T } from "secure-azureml-facts";

/**
 * Private link across the stack: every private resource is reachable through a private endpoint
 * whose DNS zone group holds the right zones, and those zones resolve inside the VNet.
 */

type Report = (message: string, urn?: string) => void;

interface ZoneGroupsConfig {
  zoneGroupsByAzurePolicy: boolean;
}

const zoneGroupsByAzurePolicySchema = {
  type: "boolean" as const,
  default: false,
  description:
    "True when DNS zone groups are created by Azure Policy (DeployIfNotExists) rather than in the stack: only the private endpoints are then required.",
};

/** Connections (to any target) that carry a group id; throws "unknown" only when no known connection has it and some connection's group ids are unknown. */
function withGroupId(connections: Connection[], groupId: string): Connection[] {
  const matching = connections.filter((c) => c.groupIds !== UNKNOWN && c.groupIds.includes(groupId));
  if (matching.length === 0) {
    const undecided = connections.find((c) => c.groupIds === UNKNOWN);
    if (undecided) mustKnow(undecided.endpoint, `${undecided.path}.groupIds`);
  }
  return matching;
}

/** Of a list of candidate verdicts: passes if one passes; throws "unknown" if none passes but one is undecided. */
function anyHolds(candidates: { holds: boolean; undecided?: () => void }[]): boolean {
  if (candidates.some((c) => c.holds)) return true;
  candidates.find((c) => c.undecided)?.undecided?.();
  return false;
}

/** Whether one of these endpoints has a zone group holding every zone `groupId` needs; explains otherwise. */
function zoneGroupVerdict(
  resources: PolicyResource[],
  connections: Connection[],
  groupId: string,
): { ok: boolean; problems: string[] } {
  const problems: string[] = [];
  const candidates: { holds: boolean; undecided?: () => void }[] = [];
  for (const endpoint of unique(connections.map((c) => c.endpoint))) {
    const groups = zoneGroupsOf(resources, endpoint);
    if (groups.length === 0) problems.push(`${label(endpoint)} has no PrivateDnsZoneGroup`);
    for (const group of groups) {
      const zones = zonesOf(resources, group);
      const missing = missingZones(groupId, zones.names);
      candidates.push({
        holds: missing.length === 0,
        undecided: zones.unresolved.length > 0 ? () => mustKnow(group, zones.unresolved[0]) : undefined,
      });
      if (missing.length > 0) problems.push(`${label(group)} of ${label(endpoint)} lacks ${missing.join(" and ")}`);
    }
  }
  return { ok: anyHolds(candidates), problems };
}

function unique<R extends { urn: string }>(items: R[]): R[] {
  return items.filter((item, i) => items.findIndex((other) => other.urn === item.urn) === i);
}

/** stack-aml-workspace-private-endpoint */
function validateWorkspaceEndpoints(args: StackValidationArgs, report: Report): void {
  const { zoneGroupsByAzurePolicy } = args.getConfig<ZoneGroupsConfig>();
  for (const workspace of ofType(args.resources, T.mlWorkspace)) {
    // A hub's projects are reached through the hub's private endpoint.
    if (sameText(mustKnow(workspace, "kind"), "Project")) continue;
    const connections = withGroupId(connectionsTo(args.resources, workspace), "amlworkspace");
    if (connections.length === 0) {
      requireTracedConnections(args.resources);
      report(
        `${label(workspace)} has no private endpoint (azure-native:network:PrivateEndpoint with privateLinkServiceConnections[].privateLinkServiceId set to the workspace id and groupIds ["amlworkspace"]): with public network access disabled nobody can reach it, with it enabled it is reachable from the internet.`,
        workspace.urn,
      );
      continue;
    }
    if (zoneGroupsByAzurePolicy) continue;
    const verdict = zoneGroupVerdict(args.resources, connections, "amlworkspace");
    if (!verdict.ok) {
      requireTracedZoneGroups(args.resources);
      report(
        `${label(workspace)}: no private endpoint of the workspace has one PrivateDnsZoneGroup holding both the api zone (privatelink.api.azureml.ms) and the notebooks zone (privatelink.notebooks.azure.net) (${verdict.problems.join("; ")}): clients in the VNet resolve the workspace or its notebooks to public addresses.`,
        workspace.urn,
      );
    }
  }
}

interface PaasConfig extends ZoneGroupsConfig {
  storageGroupIds: string[];
  managedNetworkOnly?: ManagedNetworkOnlyKind[];
}

/** Kinds of service `managedNetworkOnly` may exempt, by group id. */
const MANAGED_NETWORK_ONLY_KINDS = ["vault", "registry"] as const;
type ManagedNetworkOnlyKind = (typeof MANAGED_NETWORK_ONLY_KINDS)[number];

/** Isolation modes that give a workspace a managed network (Disabled gives none). */
const MANAGED_NETWORK_MODES = ["AllowOnlyApprovedOutbound", "AllowInternetOutbound"];

/**
 * Whether a workspace of the stack with a managed network uses `resource` as its `property`
 * (`keyVault`, `containerRegistry`). Azure ML then creates a private endpoint from the managed network
 * to that resource as a required outbound rule (Microsoft Learn, "Workspace managed network
 * isolation", List of required rules: private endpoints to the workspace's Key Vault, storage
 * account and container registry). Throws "unknown" only when no workspace qualifies and one is
 * undecided (reference or isolation mode unknown).
 */
function usedByManagedNetworkWorkspace(
  resources: PolicyResource[],
  resource: PolicyResource,
  property: string,
): boolean {
  const undecided: (() => void)[] = [];
  for (const workspace of ofType(resources, T.mlWorkspace)) {
    const reference = peek(workspace.props, property);
    if (reference === undefined || reference === null) continue;
    if (!refersToId(workspace, property, reference, resource)) {
      if (untraced(workspace, property, reference)) undecided.push(() => mustKnow(workspace, property));
      continue;
    }
    const mode = peek(workspace.props, "managedNetwork.isolationMode");
    if (mode === UNKNOWN) {
      undecided.push(() => mustKnow(workspace, "managedNetwork.isolationMode"));
      continue;
    }
    if (MANAGED_NETWORK_MODES.some((m) => sameText(mode, m))) return true;
  }
  undecided[0]?.();
  return false;
}

/** Group ids a storage account of this kind serves among the configured ones. */
function storageGroupIds(account: PolicyResource, configured: string[]): string[] {
  const kind = peek(account.props, "kind");
  if (sameText(kind, "BlockBlobStorage")) return configured.filter((g) => ["blob", "dfs", "web"].includes(g));
  if (sameText(kind, "FileStorage")) return configured.filter((g) => g === "file");
  return configured;
}

/** A list of network rules that is absent or empty (read through the proxy: unknown throws). */
function noRules(resource: PolicyResource, path: string): boolean {
  const rules = mustKnow(resource, path);
  return !Array.isArray(rules) || rules.length === 0;
}

/**
 * A storage account whose public endpoint is on but closed to every network (defaultAction Deny,
 * no IP or virtual network rules), e.g. open only to Azure ML registry instances for sharing:
 * clients in the VNet still reach it only through private endpoints. Which resource instances it
 * admits is judged by storage-public-network-disabled.
 */
function closedToNetworks(account: PolicyResource): boolean {
  if (!sameText(mustKnow(account, "publicNetworkAccess"), "Enabled")) return false;
  return (
    sameText(mustKnow(account, "networkRuleSet.defaultAction"), "Deny") &&
    noRules(account, "networkRuleSet.ipRules") &&
    noRules(account, "networkRuleSet.virtualNetworkRules")
  );
}

const PAAS: {
  type: string;
  what: string;
  publicAccess: string;
  groupIds: (r: PolicyResource, c: PaasConfig) => string[];
  /** Also held to private endpoints although public access is not Disabled. */
  privateAnyway?: (r: PolicyResource) => boolean;
  /** The `managedNetworkOnly` kind and the workspace property that names such a resource. */
  managedNetworkOnly?: { kind: ManagedNetworkOnlyKind; workspaceProperty: string };
}[] = [
  {
    type: T.storage,
    what: "storage account",
    publicAccess: "publicNetworkAccess",
    privateAnyway: closedToNetworks,
    groupIds: (r, c) =>
      storageGroupIds(
        r,
        c.storageGroupIds.map((g) => g.toLowerCase()),
      ),
  },
  {
    type: T.vault,
    what: "Key Vault",
    publicAccess: "properties.publicNetworkAccess",
    groupIds: () => ["vault"],
    managedNetworkOnly: { kind: "vault", workspaceProperty: "keyVault" },
  },
  {
    type: T.registry,
    what: "container registry",
    publicAccess: "publicNetworkAccess",
    groupIds: () => ["registry"],
    managedNetworkOnly: { kind: "registry", workspaceProperty: "containerRegistry" },
  },
  {
    // Group id `amlregistry`, resolved through the Azure ML API zone (privatelink.api.azureml.ms):
    // Microsoft Learn, "Network isolation with Azure Machine Learning registries" (a private
    // endpoint per registry from the workspace's VNet) and "Azure Private Endpoint private DNS zone values".
    type: T.mlRegistry,
    what: "Azure ML registry",
    publicAccess: "publicNetworkAccess",
    groupIds: () => ["amlregistry"],
  },
];

/** Whether the config lets this resource go without a client private endpoint: its kind is listed and a managed-network workspace of the stack uses it. */
function exemptAsManagedNetworkOnly(
  resources: PolicyResource[],
  resource: PolicyResource,
  paas: (typeof PAAS)[number],
  config: PaasConfig,
): boolean {
  const exemption = paas.managedNetworkOnly;
  if (!exemption || !(config.managedNetworkOnly ?? []).includes(exemption.kind)) return false;
  return usedByManagedNetworkWorkspace(resources, resource, exemption.workspaceProperty);
}

/** stack-paas-private-endpoint: storage, Key Vault, container registry and Azure ML registry with public network access disabled. */
function validatePaasEndpoints(args: StackValidationArgs, report: Report): void {
  const config = args.getConfig<PaasConfig>();
  for (const paas of PAAS) {
    for (const resource of ofType(args.resources, paas.type)) {
      const access = mustKnow(resource, paas.publicAccess);
      if (!isDisabled(access) && !paas.privateAnyway?.(resource)) continue;
      const state = isDisabled(access) ? "Disabled" : `${shown(access)} behind a firewall closed to every network`;
      const all = connectionsTo(args.resources, resource);
      for (const groupId of paas.groupIds(resource, config)) {
        const connections = withGroupId(all, groupId);
        if (connections.length === 0) {
          if (exemptAsManagedNetworkOnly(args.resources, resource, paas, config)) continue;
          requireTracedConnections(args.resources);
          report(
            `${label(resource)} has ${paas.publicAccess} ${state} but no private endpoint with groupIds ["${groupId}"] (privateLinkServiceConnections[].privateLinkServiceId = its id): the ${groupId} service of the ${paas.what} is unreachable from the VNet.`,
            resource.urn,
          );
          continue;
        }
        if (config.zoneGroupsByAzurePolicy) continue;
        const verdict = zoneGroupVerdict(args.resources, connections, groupId);
        if (!verdict.ok) {
          requireTracedZoneGroups(args.resources);
          report(
            `${label(resource)}: no private endpoint with groupIds ["${groupId}"] has a PrivateDnsZoneGroup holding the ${missingZones(groupId, new Set())[0]} zone (${verdict.problems.join("; ")}): the ${groupId} endpoint name resolves to the public address, which is closed.`,
            resource.urn,
          );
        }
      }
    }
  }
}

/** stack-private-dns-zone-vnet-link: zones in use are linked to a VNet. */
function validateZoneLinks(args: StackValidationArgs, report: Report): void {
  const used: PolicyResource[] = [];
  for (const group of ofType(args.resources, T.zoneGroup)) {
    for (const zone of zonesOf(args.resources, group).zones) if (!used.some((z) => z.urn === zone.urn)) used.push(zone);
  }
  const links = ofType(args.resources, T.zoneLink);
  for (const zone of used) {
    const linked = links.some(
      (link) =>
        refersToValue(link, "privateZoneName", peek(link.props, "privateZoneName"), zone, azureName(zone)) &&
        sameGroupOrUnknown(link, zone) &&
        peek(link.props, "virtualNetwork.id") !== undefined,
    );
    if (!linked) {
      const unsure = links.find((link) => untraced(link, "privateZoneName", peek(link.props, "privateZoneName")));
      if (unsure) mustKnow(unsure, "privateZoneName");
      report(
        `${label(zone)} (${azureName(zone) ?? "name unknown"}) is used by a private endpoint's DNS zone group but no azure-native:privatedns:VirtualNetworkLink (privateZoneName = the zone, virtualNetwork.id = a VNet) links it: VNets resolve the service's public address instead of the private endpoint.`,
        zone.urn,
      );
    }
  }
}

/** Types that are never the target of a private endpoint (they appear among its dependencies). */
const NOT_TARGETS = new Set<string>([T.subnet, T.vnet, T.nsg, T.resourceGroup, T.privateEndpoint, T.zone, T.identity]);

/** A key naming a connection's target: the in-stack resource it designates, else its known id. */
function targetKey(resources: PolicyResource[], connection: Connection): string | undefined {
  const known = knownString(connection.target);
  const candidates = resources.filter((r) => r.type.startsWith("azure-native:") && !NOT_TARGETS.has(r.type));
  if (known !== undefined) {
    const inStack = candidates.find((r) => refersToId(connection.endpoint, connection.property, known, r));
    return inStack ? inStack.urn : normalizeId(known);
  }
  if (connection.target !== UNKNOWN) return undefined;
  const sources = sourcesOf(connection.endpoint, connection.property).filter((s) =>
    candidates.some((c) => c.urn === s.urn),
  );
  return sources.length === 1 ? sources[0].urn : undefined;
}

/** Rule: one private endpoint per target and group id. */
function validateUniqueEndpoints(args: StackValidationArgs, report: Report): void {
  const byKey = new Map<string, { groupId: string; endpoints: PolicyResource[] }>();
  for (const endpoint of ofType(args.resources, T.privateEndpoint)) {
    for (const connection of connectionsOf(endpoint)) {
      const target = targetKey(args.resources, connection);
      if (target === undefined) continue;
      for (const groupId of groupIdsOf(connection)) {
        const key = `${target}|${groupId}`;
        const entry = byKey.get(key) ?? { groupId, endpoints: [] };
        if (!entry.endpoints.some((e) => e.urn === endpoint.urn)) entry.endpoints.push(endpoint);
        byKey.set(key, entry);
      }
    }
  }
  for (const [key, { groupId, endpoints }] of byKey) {
    if (endpoints.length < 2) continue;
    const target = args.resources.find((r) => r.urn === key.split("|")[0]);
    report(
      `${endpoints.map(label).join(" and ")} all connect to ${target ? label(target) : key.split("|")[0]} with group id "${groupId}": the DNS records of one endpoint overwrite the other's; keep one private endpoint per target and group id.`,
      endpoints[1].urn,
    );
  }
}

/** Rule: a private endpoint has at most one DNS zone group. */
function validateSingleZoneGroup(args: StackValidationArgs, report: Report): void {
  if (ofType(args.resources, T.privateEndpoint).some((e) => zoneGroupsOf(args.resources, e).length > 0))
    requireTracedZoneGroups(args.resources);
  for (const endpoint of ofType(args.resources, T.privateEndpoint)) {
    const groups = zoneGroupsOf(args.resources, endpoint);
    if (groups.length > 1) {
      report(
        `${label(endpoint)} has ${groups.length} PrivateDnsZoneGroups (${groups.map(label).join(", ")}): Azure keeps one zone group per private endpoint, so all but one fail or replace each other; put every zone in one group's privateDnsZoneConfigs.`,
        endpoint.urn,
      );
    }
  }
}

/** Rule: zone groups hold only zones of their endpoint's group ids. */
function validateZonesMatchGroupIds(args: StackValidationArgs, report: Report): void {
  for (const endpoint of ofType(args.resources, T.privateEndpoint)) {
    const groups = zoneGroupsOf(args.resources, endpoint);
    if (groups.length === 0) continue;
    const connections = connectionsOf(endpoint);
    const groupIds = connections.flatMap(groupIdsOf);
    // Only judge endpoints whose every group id is catalogued (others may need zones we do not know).
    if (groupIds.length === 0 || !groupIds.every((g) => g in PRIVATE_DNS_ZONES_BY_GROUP_ID)) continue;
    const expected = new Set(groupIds.flatMap((g) => PRIVATE_DNS_ZONES_BY_GROUP_ID[g].flatMap((z) => z.names)));
    for (const group of groups) {
      const zones = zonesOf(args.resources, group);
      if (zones.unresolved.length > 0) mustKnow(group, zones.unresolved[0]);
      const foreign = [...zones.names].filter((n) => n.startsWith("privatelink.") && !expected.has(n));
      if (foreign.length > 0) {
        report(
          `${label(group)} of ${label(endpoint)} (groupIds ${JSON.stringify(groupIds)}) holds ${foreign.join(", ")}, which ${foreign.length === 1 ? "belongs" : "belong"} to another group id: the endpoint's address is published under the wrong service name; list only the zones of ${groupIds.join(", ")} in privateDnsZoneConfigs.`,
          group.urn,
        );
      }
    }
  }
}

export const privateLinkPolicies: BaselineStackPolicy[] = [
  {
    name: "stack-aml-workspace-private-endpoint",
    description:
      "Every ML workspace (except hub projects, kind Project) has a private endpoint with group id amlworkspace whose one DNS zone group holds both the api and the notebooks zone (public, US Government or China cloud spelling).",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Create an azure-native:network:PrivateEndpoint with privateLinkServiceConnections: [{ privateLinkServiceId: workspace.id, groupIds: ["amlworkspace"] }] and one azure-native:network:PrivateDnsZoneGroup (privateEndpointName = the endpoint\'s name) whose privateDnsZoneConfigs list both privatelink.api.azureml.ms and privatelink.notebooks.azure.net (privatelink.api.ml.azure.us / privatelink.notebooks.usgovcloudapi.net, privatelink.api.ml.azure.cn / privatelink.notebooks.chinacloudapi.cn in sovereign clouds). Set zoneGroupsByAzurePolicy when Azure Policy creates the zone groups.',
    configSchema: { properties: { zoneGroupsByAzurePolicy: zoneGroupsByAzurePolicySchema } },
    validateStack: validateWorkspaceEndpoints,
  },
  {
    name: "stack-paas-private-endpoint",
    description:
      "Every storage account, Key Vault, container registry and Azure ML registry with public network access Disabled (and every storage account with it Enabled behind a firewall closed to every network: defaultAction Deny, no IP or virtual network rules, e.g. open only to Azure ML registry instances) has a private endpoint per needed group id (storage: blob and file by default; Key Vault: vault; container registry: registry; Azure ML registry: amlregistry, in the Azure ML API zone privatelink.api.azureml.ms) whose DNS zone group holds the matching private DNS zone; an absent publicNetworkAccess means Enabled (reported by the resource rules) and is not judged here. With managedNetworkOnly listing vault and/or registry, a Key Vault or container registry of that kind that is the keyVault / containerRegistry of a workspace of the stack with a managed network (isolationMode AllowOnlyApprovedOutbound or AllowInternetOutbound) may have no client private endpoint: Azure ML reaches it through the private endpoint it creates from the managed network as a required rule (Microsoft Learn, Workspace managed network isolation, List of required rules), and nobody in the VNet can reach it.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'For each group id, create an azure-native:network:PrivateEndpoint with privateLinkServiceConnections: [{ privateLinkServiceId: <resource>.id, groupIds: ["<group id>"] }] and an azure-native:network:PrivateDnsZoneGroup (privateEndpointName = the endpoint\'s name) whose privateDnsZoneConfigs hold privatelink.<group id>.core.windows.net (storage), privatelink.vaultcore.azure.net (Key Vault), privatelink.azurecr.io (container registry) or privatelink.api.azureml.ms (Azure ML registry, group id amlregistry). Set zoneGroupsByAzurePolicy when Azure Policy creates the zone groups; storageGroupIds lists the storage sub-resources that need an endpoint; managedNetworkOnly (vault, registry) exempts the Key Vault and registry of a managed-network workspace when nobody in the VNet needs them.',
    configSchema: {
      properties: {
        zoneGroupsByAzurePolicy: zoneGroupsByAzurePolicySchema,
        storageGroupIds: {
          type: "array",
          items: { type: "string", enum: ["blob", "file", "dfs", "queue", "table", "web"] },
          default: ["blob", "file"],
          description:
            "Storage group ids that need a private endpoint (an Azure ML workspace needs blob and file); BlockBlobStorage accounts are only held to blob/dfs/web, FileStorage accounts to file.",
        },
        managedNetworkOnly: {
          type: "array",
          items: { type: "string", enum: [...MANAGED_NETWORK_ONLY_KINDS] },
          default: [],
          description:
            "Kinds (vault, registry) that may go without a client private endpoint when a workspace of the stack with a managed network (isolationMode AllowOnlyApprovedOutbound or AllowInternetOutbound) uses the resource as its keyVault / containerRegistry: the managed network's required private endpoint serves the workspace, and only it and trusted Azure services reach the resource (no one in the VNet). Default [] (every one needs a client endpoint); e.g. a disposable dev stack.",
        },
      },
    },
    validateStack: validatePaasEndpoints,
  },
  {
    name: "stack-private-dns-zone-vnet-link",
    description:
      "Every private DNS zone of the stack that a private endpoint's DNS zone group uses is linked to a virtual network by an azure-native:privatedns:VirtualNetworkLink (zones created outside the stack are out of scope).",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      "Create an azure-native:privatedns:VirtualNetworkLink with privateZoneName set to the zone's name (zone.name), resourceGroupName the zone's resource group, virtualNetwork: { id: <VNet id> } and registrationEnabled: false, for every VNet (or the hub VNet) whose clients use the private endpoints.",
    validateStack: validateZoneLinks,
  },
  {
    name: "stack-private-endpoint-unique",
    description:
      "No two private endpoints of the stack connect to the same target resource with the same group id. Advisory: a duplicate costs money and makes DNS records compete, but opens nothing; a stack's policy config can raise it.",
    enforcementLevel: ADVISORY,
    severity: "low",
    remediationSteps:
      "Keep one azure-native:network:PrivateEndpoint per target and group id and remove the duplicate (its DNS zone group writes the same A record with another address).",
    validateStack: validateUniqueEndpoints,
  },
  {
    name: "stack-private-endpoint-single-zone-group",
    description:
      "Every private endpoint has at most one DNS zone group; all the zones it needs belong in that one group. Advisory: a second group breaks name resolution (a reliability fault the deploy shows), not access; a stack's policy config can raise it.",
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps:
      "Merge the azure-native:network:PrivateDnsZoneGroup resources of the endpoint into one whose privateDnsZoneConfigs list every zone (up to 5).",
    validateStack: validateSingleZoneGroup,
  },
  {
    name: "stack-private-endpoint-zones-match-group-id",
    description:
      "A DNS zone group holds only private DNS zones that serve its endpoint's group ids (e.g. a blob endpoint's group holds no privatelink.file zone); endpoints with group ids outside the catalogue are not judged. Advisory: a wrong zone misdirects name resolution, which fails closed (traffic does not leave the private path); a stack's policy config can raise it.",
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps:
      "In the azure-native:network:PrivateDnsZoneGroup's privateDnsZoneConfigs, keep only the zones of the endpoint's groupIds (amlworkspace: privatelink.api.azureml.ms + privatelink.notebooks.azure.net; blob: privatelink.blob.core.windows.net; vault: privatelink.vaultcore.azure.net; registry: privatelink.azurecr.io; ...).",
    validateStack: validateZonesMatchGroupIds,
  },
];
