import { z } from "zod";
import bundled from "./bundledPrices.json";
import { PriceEntry, PriceKey, PriceQuote, PriceTable } from "./types";

/** The `source` of entries fetched from the Retail Prices API. */
export const LIVE_SOURCE = "retail-api";

/** Where `npm run prices` writes the refreshed table (the file this module bundles). */
export const BUNDLED_PRICES_FILE = "plan/cost/bundledPrices.json";

const UNITS = ["1 Hour", "1/Day", "1/Month", "1 GB", "1 GB/Month", "10K", "1M"] as const;

const priceTableSchema = z.strictObject({
  currency: z.literal("USD"),
  compiled: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a YYYY-MM-DD date"),
  regions: z.array(z.string()),
  referenceRegion: z.string(),
  note: z.string(),
  sources: z.record(
    z.string(),
    z.strictObject({
      title: z.string(),
      url: z.string().optional(),
      sourceDate: z.string().optional(),
      read: z.string(),
    }),
  ),
  prices: z.array(
    z.strictObject({
      key: z.string().min(1),
      region: z.string().min(1),
      unit: z.enum(UNITS),
      price: z.number().nonnegative(),
      source: z.string(),
      note: z.string().optional(),
    }),
  ),
});

/** Validate a price table (the bundled file, or one `npm run prices` is about to write). */
export function parsePriceTable(value: unknown): PriceTable {
  const table = priceTableSchema.parse(value);
  for (const entry of table.prices) {
    if (entry.source !== LIVE_SOURCE && !(entry.source in table.sources)) {
      throw new Error(
        `price ${entry.key} (${entry.region}) names source "${entry.source}", which the table's sources do not define`,
      );
    }
  }
  return table;
}

let cached: PriceTable | undefined;

/** The dated price table shipped with the repository. */
export function bundledPriceTable(): PriceTable {
  cached ??= parsePriceTable(bundled);
  return cached;
}

/** The table with `entries` replacing the ones for the same key and region. */
export function withEntries(table: PriceTable, entries: PriceEntry[]): PriceTable {
  const replaced = new Set(entries.map((e) => `${e.key}@${e.region}`));
  return { ...table, prices: [...table.prices.filter((e) => !replaced.has(`${e.key}@${e.region}`)), ...entries] };
}

/** A lookup over a table: the region's own price, else a global meter's, else the reference region's (flagged). */
export class PriceBook {
  private readonly byKey = new Map<PriceKey, PriceEntry[]>();

  constructor(readonly table: PriceTable) {
    for (const entry of table.prices) {
      const list = this.byKey.get(entry.key) ?? [];
      list.push(entry);
      this.byKey.set(entry.key, list);
    }
  }

  quote(key: PriceKey, region: string): PriceQuote | null {
    const entries = this.byKey.get(key) ?? [];
    const own = entries.find((e) => e.region === region);
    if (own) return this.toQuote(own, region);
    const global = entries.find((e) => e.region === "global");
    if (global) return this.toQuote(global, region);
    const reference = entries.find((e) => e.region === this.table.referenceRegion);
    if (reference) return { ...this.toQuote(reference, region), fallback: "reference-region" };
    return null;
  }

  private toQuote(entry: PriceEntry, requestedRegion: string): PriceQuote {
    return {
      price: entry.price,
      unit: entry.unit,
      region: entry.region,
      requestedRegion,
      origin: entry.source === LIVE_SOURCE ? "live" : "bundled",
      source: entry.source,
    };
  }
}
