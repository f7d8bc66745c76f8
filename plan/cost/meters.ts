import { PriceKey, PriceUnit, RetailPriceItem } from "./types";

/**
 * How each price key is found in the Azure Retail Prices API
 * (https://prices.azure.com/api/retail/prices, documented at learn.microsoft.com/rest/api/
 * cost-management/retail-prices/azure-retail-prices): an OData `$filter` of `eq` terms (values
 * are case-sensitive since API version 2023-01-01-preview), then a match on the returned
 * `Items`. Meter names as the API spells them, e.g. `Standard Private Endpoint` (service
 * `Virtual Network`, region `Global`), `Analytics Logs Data Ingestion` (tiered: a free first
 * tier, then the paid rate), `<Tier> Registry Unit` (per day), VM meters `D4s v3` / `D4s v3
 * Low Priority` / `D4s v3 Spot` with Windows sizes in a separate `... Windows` product.
 */
export interface RetailMeter {
  serviceName: string;
  /** Further `eq` filters (e.g. `armSkuName`, `meterName`). */
  filters: Record<string, string>;
  /** Whether the price is per region (`armRegionName eq <region>` is added) or one global meter. */
  regional: boolean;
  unit: PriceUnit;
  /** Accept one returned item. */
  matches(item: RetailPriceItem): boolean;
  /** Tiered meters: `paid` takes the lowest tier with a non-zero price (skipping free allowances). */
  tier: "first" | "paid";
}

const consumption = (item: RetailPriceItem) => item.type === "Consumption";

function vmMeter(size: string, priority: string): RetailMeter | undefined {
  if (priority !== "dedicated" && priority !== "lowPriority") return undefined;
  const lowPriority = priority === "lowPriority";
  return {
    serviceName: "Virtual Machines",
    filters: { armSkuName: size },
    regional: true,
    unit: "1 Hour",
    tier: "first",
    matches: (item) =>
      consumption(item) &&
      !item.productName.includes("Windows") &&
      !item.meterName.includes("Spot") &&
      item.meterName.endsWith(" Low Priority") === lowPriority,
  };
}

function byMeterName(
  serviceName: string,
  meterName: string,
  unit: PriceUnit,
  regional: boolean,
  tier: RetailMeter["tier"] = "first",
): RetailMeter {
  return {
    serviceName,
    filters: { meterName },
    regional,
    unit,
    tier,
    matches: (item) => consumption(item) && item.meterName === meterName,
  };
}

const STORAGE_REDUNDANCY: Record<string, string> = {
  Standard_LRS: "LRS",
  Standard_ZRS: "ZRS",
  Standard_GRS: "GRS",
  Standard_RAGRS: "RA-GRS",
  Standard_GZRS: "GZRS",
  Standard_RAGZRS: "RA-GZRS",
};

/** The live-API lookup for a price key; undefined when the key has no known meter (the bundled table, if any, stands). */
export function retailMeter(key: PriceKey): RetailMeter | undefined {
  const parts = key.split("/");
  switch (parts[0]) {
    case "vm":
      return parts.length === 3 ? vmMeter(parts[1], parts[2]) : undefined;
    case "containerRegistry":
      if (parts[2] === "day") return byMeterName("Container Registry", `${parts[1]} Registry Unit`, "1/Day", true);
      // Storage beyond a tier's included GiB: meter `Data Stored` (per GB-month), as infracost's container_registry.go looks it up.
      if (key === "containerRegistry/storageOverIncludedGBMonth")
        return byMeterName("Container Registry", "Data Stored", "1 GB/Month", true);
      return undefined;
    case "privateEndpoint":
      if (key === "privateEndpoint/hour")
        return byMeterName("Virtual Network", "Standard Private Endpoint", "1 Hour", false);
      if (key === "privateEndpoint/dataProcessedGB")
        return byMeterName("Virtual Network", "Standard Data Processed - Ingress", "1 GB", false);
      return undefined;
    case "privateDnsZone":
      return key === "privateDnsZone/month" ? byMeterName("Azure DNS", "Private Zone", "1/Month", false) : undefined;
    case "logAnalytics":
      if (key === "logAnalytics/ingestionGB")
        return byMeterName("Log Analytics", "Analytics Logs Data Ingestion", "1 GB", true, "paid");
      if (key === "logAnalytics/retentionGBMonth")
        return byMeterName("Log Analytics", "Analytics Logs Data Retention", "1 GB/Month", true, "paid");
      return undefined;
    case "firewall":
      if (parts[2] === "hour") return byMeterName("Azure Firewall", `${parts[1]} Deployment`, "1 Hour", true);
      if (parts[2] === "dataProcessedGB")
        return byMeterName("Azure Firewall", `${parts[1]} Data Processed`, "1 GB", true);
      return undefined;
    case "keyVault":
      return key === "keyVault/operations10k"
        ? {
            serviceName: "Key Vault",
            filters: {},
            regional: true,
            unit: "10K",
            tier: "first",
            matches: (i) => consumption(i) && (i.meterName === "Operations" || i.meterName === "Standard Operations"),
          }
        : undefined;
    case "storage": {
      const redundancy = STORAGE_REDUNDANCY[parts[1] ?? ""];
      return redundancy && parts[2] === "hotGBMonth"
        ? byMeterName("Storage", `Hot ${redundancy} Data Stored`, "1 GB/Month", true)
        : undefined;
    }
    case "monitor": {
      if (key === "monitor/metricAlertTimeSeriesMonth")
        return byMeterName("Azure Monitor", "Alerts Metric Monitored", "1/Month", false, "paid");
      const minutes = /^monitor\/logAlert\/(\d+)min\/month$/.exec(key)?.[1];
      return minutes
        ? byMeterName("Azure Monitor", `Alerts System Log Monitored at ${minutes} Minute Frequency`, "1/Month", false)
        : undefined;
    }
    default:
      return undefined;
  }
}

/** The OData filter for a meter in a region. */
export function retailFilter(meter: RetailMeter, region: string): string {
  const terms = [`serviceName eq '${meter.serviceName}'`, "priceType eq 'Consumption'"];
  if (meter.regional) terms.push(`armRegionName eq '${region}'`);
  for (const [field, value] of Object.entries(meter.filters)) terms.push(`${field} eq '${value.replace(/'/g, "''")}'`);
  return terms.join(" and ");
}

/** The one price the items give for the meter, or undefined (no match, or the unit is not the one the estimate multiplies by). */
export function pickRetailItem(meter: RetailMeter, items: RetailPriceItem[]): RetailPriceItem | undefined {
  const candidates = items
    .filter((item) => item.currencyCode === "USD" && item.unitOfMeasure === meter.unit && meter.matches(item))
    .sort((a, b) => a.tierMinimumUnits - b.tierMinimumUnits);
  if (meter.tier === "paid") return candidates.find((item) => item.retailPrice > 0) ?? candidates[0];
  return candidates[0];
}
