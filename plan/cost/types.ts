/**
 * Shapes of the cost estimate: the price table (bundled or live), the priced items of each
 * resource, and the estimate as a whole. Money is USD list price (Azure's retail prices are
 * set in USD; other currencies are conversions).
 */

/** Hours in Azure's billing month (the pricing calculator's 730). */
export const HOURS_PER_MONTH = 730;
/** Days in that month, for per-day meters such as a container registry unit. */
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/** Identifies one price, e.g. `vm/Standard_DS3_v2/dedicated` or `privateEndpoint/hour`. */
export type PriceKey = string;

/** Units as the Retail Prices API spells `unitOfMeasure`. */
export type PriceUnit = "1 Hour" | "1/Day" | "1/Month" | "1 GB" | "1 GB/Month" | "10K" | "1M";

/** Where a bundled number comes from; entries point at one of these by id. */
export interface PriceSource {
  title: string;
  url?: string;
  /** The date the source itself states, when it states one. */
  sourceDate?: string;
  /** When the number was read from the source. */
  read: string;
}

export interface PriceEntry {
  key: PriceKey;
  /** ARM region name (`westeurope`), or `global` for meters Azure prices the same everywhere. */
  region: string;
  unit: PriceUnit;
  /** USD per `unit`. */
  price: number;
  /** Id in the table's `sources`, or `retail-api` for a number fetched from the live API. */
  source: string;
  /** Free text: tiering, what the price excludes. */
  note?: string;
}

export interface PriceTable {
  currency: "USD";
  /** The date the table was compiled or last refreshed (`npm run prices`). */
  compiled: string;
  /** Regions the table has regional prices for. */
  regions: string[];
  /** The region whose price is used, flagged, when the plan's region has none. */
  referenceRegion: string;
  note: string;
  sources: Record<string, PriceSource>;
  prices: PriceEntry[];
}

/** A price as used for one item, with where it came from. */
export interface PriceQuote {
  price: number;
  unit: PriceUnit;
  /** The region whose price this is. */
  region: string;
  /** The region the resource is in. */
  requestedRegion: string;
  origin: "bundled" | "live";
  source: string;
  /** Set when the region has no price of its own and the reference region's price stands in (flagged in output). */
  fallback?: "reference-region";
}

/**
 * One cost component of a resource. `fixed` accrues while the resource exists (idle cost);
 * `usage` depends on how much it is used and is shown as a rate.
 */
export interface CostItem {
  kind: "fixed" | "usage";
  label: string;
  /** The price this item needs; absent when no price is known for this kind of charge at all. */
  priceKey?: PriceKey;
  /** Fixed items: how many `unit`s accrue per month (e.g. 730 hours, 2 nodes x 730 hours). */
  monthlyQuantity?: number;
  /** Usage items: what the rate is per, in words (e.g. "node-hour", "GB ingested"). */
  usageUnit?: string;
  /** Usage items that scale with a count, e.g. a cluster's maximum nodes. */
  usageScale?: { count: number; of: string };
  /**
   * The ARM region this item is billed in, when it is not the resource's own (e.g. an Azure ML
   * registry's container registry replica or storage account in a replication region).
   */
  region?: string;
  note?: string;
}

export interface PricedItem extends CostItem {
  /** null: the price is unknown (shown as "unknown", never as zero). */
  quote: PriceQuote | null;
  /** Fixed items: USD per month; null when the price is unknown. */
  monthly: number | null;
}

export interface ResourceCost {
  urn: string;
  type: string;
  name: string;
  region: string;
  items: PricedItem[];
  /** Sum of the fixed items whose price is known. */
  fixedMonthly: number;
  /** True when at least one fixed item has no known price. */
  fixedIncomplete: boolean;
}

export interface UnknownType {
  type: string;
  count: number;
  names: string[];
}

export interface CostEstimate {
  currency: "USD";
  /** The plan's main region (the resource group's location). */
  region: string;
  hoursPerMonth: number;
  prices: {
    mode: "bundled" | "live";
    /** The bundled table's compile date and regions. */
    compiled: string;
    regions: string[];
    /** Why live prices were not used for some keys (network failure, no matching meter, ...). */
    liveFallbacks: string[];
  };
  /** Resources that cost something (fixed or usage), in plan order. */
  resources: ResourceCost[];
  /** Sum of every known fixed monthly cost. */
  totalFixedMonthly: number;
  /** Fixed costs that exist but could not be priced: the total is a lower bound when this is not empty. */
  unpricedFixed: { urn: string; name: string; type: string; label: string }[];
  /** Resource types this estimator has no cost model for: their cost is unknown. */
  unknownTypes: UnknownType[];
  notes: string[];
}

/** One row of the Retail Prices API's `Items`. */
export interface RetailPriceItem {
  currencyCode: string;
  tierMinimumUnits: number;
  retailPrice: number;
  unitPrice: number;
  armRegionName: string;
  location: string;
  effectiveStartDate: string;
  meterId: string;
  meterName: string;
  productId: string;
  skuId: string;
  productName: string;
  skuName: string;
  serviceName: string;
  serviceId: string;
  serviceFamily: string;
  unitOfMeasure: string;
  type: string;
  isPrimaryMeterRegion: boolean;
  armSkuName: string;
}

/** The `fetch` the live client uses; injectable for tests and proxies. */
export type FetchLike = (
  url: string,
  init?: { signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; statusText: string; json(): Promise<unknown> }>;
