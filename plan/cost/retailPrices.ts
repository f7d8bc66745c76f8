import { pickRetailItem, retailFilter, retailMeter } from "./meters";
import { LIVE_SOURCE } from "./priceTable";
import { FetchLike, PriceEntry, PriceKey, RetailPriceItem } from "./types";

/** Azure's public, unauthenticated Retail Prices API. */
export const RETAIL_PRICES_URL = "https://prices.azure.com/api/retail/prices";
/** The API version that returns every meter (primary and non-primary) with case-sensitive filters. */
export const RETAIL_PRICES_API_VERSION = "2023-01-01-preview";

/** The API could not be reached or answered with an error: nothing it says can be trusted for this run. */
export class RetailPricesUnavailableError extends Error {}

export interface RetailClientOptions {
  /** Default RETAIL_PRICES_URL; a mirror or proxy with the same API may stand in. */
  baseUrl?: string;
  /** Default: the global `fetch` (Node 18+). */
  fetch?: FetchLike;
  /** Per request. Default 15 s. */
  timeoutMs?: number;
  /** Pages followed through `NextPageLink` per query. Default 5 (100 items a page). */
  maxPages?: number;
}

interface RetailPage {
  Items: RetailPriceItem[];
  NextPageLink: string | null;
}

function isRetailPage(body: unknown): body is RetailPage {
  return typeof body === "object" && body !== null && Array.isArray((body as { Items?: unknown }).Items);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/** Every item an OData filter returns, following `NextPageLink` up to `maxPages` pages. */
export async function queryRetailPrices(filter: string, options: RetailClientOptions = {}): Promise<RetailPriceItem[]> {
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const timeoutMs = options.timeoutMs ?? 15_000;
  const baseUrl = options.baseUrl ?? RETAIL_PRICES_URL;
  let url: string | null = `${baseUrl}?api-version=${RETAIL_PRICES_API_VERSION}&$filter=${encodeURIComponent(filter)}`;
  const items: RetailPriceItem[] = [];
  for (let page = 0; url && page < (options.maxPages ?? 5); page++) {
    let body: unknown;
    try {
      const response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
      body = await response.json();
    } catch (error) {
      throw new RetailPricesUnavailableError(`cannot read ${baseUrl}: ${describe(error)}`);
    }
    if (!isRetailPage(body)) throw new RetailPricesUnavailableError(`${baseUrl} answered without an Items list`);
    items.push(...body.Items);
    url = body.NextPageLink;
  }
  return items;
}

export interface PriceLookup {
  key: PriceKey;
  region: string;
}

export interface LivePrices {
  entries: PriceEntry[];
  /** One line per lookup that got no live price, and why (the bundled price, if any, stands). */
  failures: string[];
}

/**
 * Look prices up in the live API. The first failure to reach the API ends the run (the rest
 * would time out the same way); a lookup with no matching meter is reported and skipped.
 */
export async function fetchLivePrices(lookups: PriceLookup[], options: RetailClientOptions = {}): Promise<LivePrices> {
  const entries: PriceEntry[] = [];
  const failures: string[] = [];
  const seen = new Set<string>();
  for (const { key, region } of lookups) {
    const meter = retailMeter(key);
    const priceRegion = meter && !meter.regional ? "global" : region;
    const id = `${key}@${priceRegion}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (!meter) {
      failures.push(`${key}: no Retail Prices API meter is known for this price`);
      continue;
    }
    let items: RetailPriceItem[];
    try {
      items = await queryRetailPrices(retailFilter(meter, region), options);
    } catch (error) {
      if (error instanceof RetailPricesUnavailableError) {
        failures.push(`live prices unavailable: ${error.message}`);
        break;
      }
      throw error;
    }
    const item = pickRetailItem(meter, items);
    if (!item) {
      failures.push(`${key} (${priceRegion}): the API returned no matching ${meter.unit} meter`);
      continue;
    }
    entries.push({
      key,
      region: priceRegion,
      unit: meter.unit,
      price: item.retailPrice,
      source: LIVE_SOURCE,
      note: `${item.meterName}, effective ${item.effectiveStartDate.slice(0, 10)}`,
    });
  }
  return { entries, failures };
}
