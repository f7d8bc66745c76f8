import { PolicyResource } from "@pulumi/policy";
import {
  UNKNOWN,
  azureName,
  isUnknown,
  knownString,
  mustKnow,
  ofType,
  peek,
  peekArray,
  refersToId,
  refersToValue,
  sameGroupOrUnknown,
  sourcesOf,
  untraced,
} from "./stackGraph";
import { PRIVATE_DNS_ZONES_BY_GROUP_ID, TYPES as T } from "secure-azureml-facts";

/**
 * Private endpoints, their DNS zone groups and private DNS zones, related across a stack
 * (see stackGraph.ts for how references are resolved when ids are unknown during preview).
 */

/** One private link service connection of a private endpoint. */
export interface Connection {
  endpoint: PolicyResource;
  /** The top-level property holding it. */
  property: "privateLinkServiceConnections" | "manualPrivateLinkServiceConnections";
  /** Dotted path of the connection (for decisive reads). */
  path: string;
  /** `privateLinkServiceId`: a string, UNKNOWN or undefined. */
  target: unknown;
  /** Group ids in lower case, or UNKNOWN. */
  groupIds: string[] | typeof UNKNOWN;
}

function lowerStrings(values: unknown[]): string[] {
  return values.filter((v): v is string => typeof v === "string").map((v) => v.toLowerCase());
}

/** The connection's group ids in lower case; read through the policy proxy (throws "unknown during preview") when unknown. */
export function groupIdsOf(connection: Connection): string[] {
  if (connection.groupIds !== UNKNOWN) return connection.groupIds;
  const ids = mustKnow(connection.endpoint, `${connection.path}.groupIds`);
  return Array.isArray(ids) ? lowerStrings(ids) : [];
}

/** Every connection of a private endpoint (automatic and manual). */
export function connectionsOf(endpoint: PolicyResource): Connection[] {
  const result: Connection[] = [];
  for (const property of ["privateLinkServiceConnections", "manualPrivateLinkServiceConnections"] as const) {
    const list = peekArray(endpoint.props, property);
    if (list === UNKNOWN) {
      result.push({ endpoint, property, path: property, target: UNKNOWN, groupIds: UNKNOWN });
      continue;
    }
    list.forEach((connection, i) => {
      const ids = peekArray(connection, "groupIds");
      const groupIds = ids === UNKNOWN || ids.some(isUnknown) ? UNKNOWN : lowerStrings(ids);
      result.push({
        endpoint,
        property,
        path: `${property}.${i}`,
        target: peek(connection, "privateLinkServiceId"),
        groupIds,
      });
    });
  }
  return result;
}

/** Connections of the stack's private endpoints that target `target`. */
export function connectionsTo(resources: PolicyResource[], target: PolicyResource): Connection[] {
  return ofType(resources, T.privateEndpoint)
    .flatMap(connectionsOf)
    .filter((c) => refersToId(c.endpoint, c.property, c.target, target));
}

/**
 * Throws "unknown during preview" when some private endpoint's target is unknown and came from
 * no resource of the stack (it could be the target a rule is looking for).
 */
export function requireTracedConnections(resources: PolicyResource[]): void {
  for (const connection of ofType(resources, T.privateEndpoint).flatMap(connectionsOf)) {
    if (untraced(connection.endpoint, connection.property, connection.target)) {
      mustKnow(
        connection.endpoint,
        connection.path === connection.property ? connection.property : `${connection.path}.privateLinkServiceId`,
      );
    }
  }
}

/** Throws "unknown during preview" when some zone group's endpoint name is unknown and came from no resource of the stack. */
export function requireTracedZoneGroups(resources: PolicyResource[]): void {
  for (const group of ofType(resources, T.zoneGroup)) {
    if (untraced(group, "privateEndpointName", peek(group.props, "privateEndpointName")))
      mustKnow(group, "privateEndpointName");
  }
}

/** The DNS zone groups of the stack attached to a private endpoint (by `privateEndpointName`). */
export function zoneGroupsOf(resources: PolicyResource[], endpoint: PolicyResource): PolicyResource[] {
  return ofType(resources, T.zoneGroup).filter(
    (g) =>
      refersToValue(g, "privateEndpointName", peek(g.props, "privateEndpointName"), endpoint, azureName(endpoint)) &&
      sameGroupOrUnknown(g, endpoint),
  );
}

/** The zone name an id designates (`.../privateDnsZones/privatelink.blob.core.windows.net`). */
export function zoneNameOfId(id: string): string | undefined {
  const match = /\/privatednszones\/([^/]+)\/?$/i.exec(id);
  return match ? match[1].toLowerCase() : undefined;
}

/** What a zone group's `privateDnsZoneConfigs` designate. */
export interface ZoneGroupZones {
  /** Zone names (lower case) the group holds, as far as known. */
  names: Set<string>;
  /** Zones of this stack the group holds. */
  zones: PolicyResource[];
  /** Paths of zone ids that are unknown and came from no resource of the stack. */
  unresolved: string[];
  /** Number of zone configs (when the list is known). */
  count: number | typeof UNKNOWN;
}

/** The zones a DNS zone group holds. */
export function zonesOf(resources: PolicyResource[], group: PolicyResource): ZoneGroupZones {
  const allZones = ofType(resources, T.zone);
  const fromDependencies = sourcesOf(group, "privateDnsZoneConfigs").filter((s) => s.type === T.zone);
  const result: ZoneGroupZones = { names: new Set(), zones: [], unresolved: [], count: 0 };
  const add = (zone: PolicyResource) => {
    if (!result.zones.some((z) => z.urn === zone.urn)) result.zones.push(zone);
    const name = azureName(zone);
    if (name !== undefined) result.names.add(name.toLowerCase());
  };
  const configs = peekArray(group.props, "privateDnsZoneConfigs");
  if (configs === UNKNOWN) {
    result.count = UNKNOWN;
    fromDependencies.forEach(add);
    if (fromDependencies.length === 0) result.unresolved.push("privateDnsZoneConfigs");
    return result;
  }
  result.count = configs.length;
  configs.forEach((config, i) => {
    const zoneId = peek(config, "privateDnsZoneId");
    const known = knownString(zoneId);
    if (known !== undefined) {
      const name = zoneNameOfId(known);
      if (name !== undefined) result.names.add(name);
      allZones.filter((z) => refersToId(group, "privateDnsZoneConfigs", known, z)).forEach(add);
    } else if (zoneId === UNKNOWN) {
      if (fromDependencies.length > 0) fromDependencies.forEach(add);
      else result.unresolved.push(`privateDnsZoneConfigs.${i}.privateDnsZoneId`);
    }
  });
  return result;
}

/**
 * The zones a group id needs (secure-azureml-facts `PRIVATE_DNS_ZONES_BY_GROUP_ID`, per cloud) that
 * `names` does not hold in any spelling; lists the missing zones.
 */
export function missingZones(groupId: string, names: Set<string>): string[] {
  return (PRIVATE_DNS_ZONES_BY_GROUP_ID[groupId] ?? [])
    .filter((z) => !z.names.some((n) => names.has(n)))
    .map((z) => z.names[0]);
}
