import {
  AVAILABILITY_ZONE_REGIONS,
  AVAILABILITY_ZONE_SOURCE,
  CLOUDS,
  CloudName,
  hasAvailabilityZones,
  isZoneRedundantStorageSku,
} from "secure-azureml-facts";
import { cloudOf, normaliseLocation } from "../shared/cloud";
import type { ConfigProblem, ConfigRule } from "../shared/errors";
import { RawRecord, recordAt } from "../shared/raw";
import { parseWith, stringEntries } from "../shared/rawParse";
import { mlRegistrySchema } from "../sections/assets";
import { registrySchema, storageSchema } from "../sections/dataServices";
import { locationSchema } from "../sections/general";

/**
 * Zone redundancy needs availability zones: Azure creates zone-redundant storage (ZRS, GZRS,
 * RA-GZRS) and zone-redundant container registries only in regions that have them (catalogue and
 * sources: `secure-azureml-facts` availabilityZones.ts). The storage SKU and the registry's zone
 * redundancy default to zone-redundant, so a stack in a region without zones must turn them off.
 */

interface Placement {
  readonly cloud: CloudName;
  readonly region: string;
}

/** The stack's cloud and region when both are valid (otherwise the region rule reports them). */
function placementOf(raw: RawRecord): Placement | undefined {
  const cloud = cloudOf(raw);
  const location = parseWith(locationSchema, raw.location);
  if (!cloud || location === undefined) return undefined;
  const region = normaliseLocation(location);
  return CLOUDS[cloud].regions.includes(region) ? { cloud, region } : undefined;
}

function regionsWithZones(cloud: CloudName): string {
  return `regions of ${cloud} with availability zones: ${AVAILABILITY_ZONE_REGIONS[cloud].join(", ")} (${AVAILABILITY_ZONE_SOURCE})`;
}

function zoneRedundancyRule(raw: RawRecord): ConfigProblem[] {
  const placement = placementOf(raw);
  if (!placement || hasAvailabilityZones(placement.cloud, placement.region)) return [];
  const { cloud, region } = placement;
  const problems: ConfigProblem[] = [];
  const noZones = `${region} has no availability zones`;

  const storage = recordAt(raw, "storage");
  const sku = parseWith(storageSchema.shape.sku, storage?.sku);
  if (sku !== undefined && isZoneRedundantStorageSku(sku)) {
    const given = storage?.sku === undefined ? `defaults to ${sku}` : `is ${sku}`;
    problems.push({
      path: ["storage", "sku"],
      message: `${given}, which is zone-redundant, but ${noZones}: Azure refuses zone-redundant storage there; set Standard_LRS, Standard_GRS or Standard_RAGRS, or choose one of the ${regionsWithZones(cloud)}`,
    });
  }

  const registry = recordAt(raw, "registry");
  const zoneRedundancy = parseWith(registrySchema.shape.zoneRedundancy, registry?.zoneRedundancy);
  if (zoneRedundancy === true) {
    const given = registry?.zoneRedundancy === undefined ? "defaults to true" : "is true";
    problems.push({
      path: ["registry", "zoneRedundancy"],
      message: `${given}, but ${noZones}: a zone-redundant container registry can only be created in a region with them; set it to false, or choose one of the ${regionsWithZones(cloud)}`,
    });
  }
  return problems;
}

/** The ML registry's storage accounts, one per region (primary and replicas), use `mlRegistry.storageAccountType`. */
function mlRegistryZoneRule(raw: RawRecord): ConfigProblem[] {
  const registry = recordAt(raw, "mlRegistry");
  const cloud = cloudOf(raw);
  const location = parseWith(locationSchema, raw.location);
  if (registry?.enabled !== true || registry.existingRegistryId !== undefined || !cloud || location === undefined)
    return [];
  const type = parseWith(mlRegistrySchema.shape.storageAccountType, registry.storageAccountType);
  if (type === undefined || !isZoneRedundantStorageSku(type)) return [];
  const replicas = stringEntries(registry.replicationRegions).map(([region]) => region);
  const regions = [location, ...replicas].map(normaliseLocation).filter((r) => CLOUDS[cloud].regions.includes(r));
  const withoutZones = [...new Set(regions.filter((r) => !hasAvailabilityZones(cloud, r)))];
  if (withoutZones.length === 0) return [];
  const given = registry.storageAccountType === undefined ? `defaults to ${type}` : `is ${type}`;
  return [
    {
      path: ["mlRegistry", "storageAccountType"],
      message: `${given}, which is zone-redundant, but the registry keeps a storage account in ${withoutZones.join(", ")}, which has no availability zones; set Standard_LRS, Standard_GRS or Standard_RAGRS, or use only ${regionsWithZones(cloud)}`,
    },
  ];
}

/** Every zone redundancy rule. */
export const ZONE_REDUNDANCY_RULES: readonly ConfigRule[] = [zoneRedundancyRule, mlRegistryZoneRule];
