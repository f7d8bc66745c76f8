import { Plan, PlannedResource } from "./contract";

/** Shared read access to a plan for the cost, deploy-time, diagram and diff tools. */

/** The value at a dotted path (`properties.properties.vmSize`), or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (current, key) =>
        current !== null && typeof current === "object" ? (current as Record<string, unknown>)[key] : undefined,
      value,
    );
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** A number from a number or a numeric string (Azure autoscale capacities are strings). */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** The URNs an input's value came from (none when the input has no dependencies). */
export function inputSources(resource: PlannedResource, input: string): string[] {
  return Object.prototype.hasOwnProperty.call(resource.propertyDependencies, input)
    ? resource.propertyDependencies[input]
    : [];
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** `azure-native:network:PrivateEndpoint` -> `network:PrivateEndpoint`. */
export function shortType(type: string): string {
  return type.startsWith("azure-native:") ? type.slice("azure-native:".length) : type;
}

/** Lookups over one plan: by URN, by Azure id, by parent; locations. */
export class PlanIndex {
  private readonly byUrnMap = new Map<string, PlannedResource>();
  private readonly byIdMap = new Map<string, PlannedResource>();
  private readonly childrenMap = new Map<string, PlannedResource[]>();
  private readonly groupLocations = new Map<string, string>();
  /** The plan's main region: the first resource group's location, else the most common location. */
  readonly mainRegion: string;

  constructor(readonly plan: Plan) {
    for (const resource of plan.resources) {
      this.byUrnMap.set(resource.urn, resource);
      const id = asString(resource.outputs.id);
      if (resource.custom && id) this.byIdMap.set(id.toLowerCase(), resource);
      if (resource.parent)
        this.childrenMap.set(resource.parent, [...(this.childrenMap.get(resource.parent) ?? []), resource]);
      const location = asString(resource.inputs.location);
      const groupName = asString(resource.inputs.resourceGroupName);
      if (resource.type === "azure-native:resources:ResourceGroup" && location && groupName)
        this.groupLocations.set(groupName, location);
    }
    const groupRegion = [...this.groupLocations.values()].at(0);
    this.mainRegion =
      groupRegion ??
      mostCommon(
        plan.resources.map((r) => asString(r.inputs.location)).filter((l): l is string => !!l && l !== "global"),
      ) ??
      "unknown";
  }

  get resources(): PlannedResource[] {
    return this.plan.resources;
  }

  get custom(): PlannedResource[] {
    return this.plan.resources.filter((r) => r.custom);
  }

  resource(urn: string): PlannedResource | undefined {
    return this.byUrnMap.get(urn);
  }

  /** The resource an ARM id names (case-insensitive, as ARM ids are). */
  byAzureId(id: unknown): PlannedResource | undefined {
    const text = asString(id);
    return text ? this.byIdMap.get(text.toLowerCase()) : undefined;
  }

  ofType(type: string): PlannedResource[] {
    return this.plan.resources.filter((r) => r.type === type);
  }

  children(urn: string): PlannedResource[] {
    return this.childrenMap.get(urn) ?? [];
  }

  /** The custom resources a URN stands for: itself, or every custom descendant of a component. */
  customResourcesOf(urn: string): PlannedResource[] {
    const resource = this.byUrnMap.get(urn);
    if (!resource) return [];
    if (resource.custom) return [resource];
    return this.children(urn).flatMap((child) => this.customResourcesOf(child.urn));
  }

  /** Where a resource is: its own location (unless `global`), else its resource group's, else the main region. */
  regionOf(resource: PlannedResource): string {
    const own = asString(resource.inputs.location);
    if (own && own !== "global") return own.toLowerCase().replace(/\s+/g, "");
    const group = asString(resource.inputs.resourceGroupName);
    return (group && this.groupLocations.get(group)) ?? this.mainRegion;
  }
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}
