import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { BUNDLED_PRICES_FILE, LIVE_SOURCE, parsePriceTable, withEntries } from "./priceTable";
import { RETAIL_PRICES_API_VERSION, RETAIL_PRICES_URL, RetailClientOptions, fetchLivePrices } from "./retailPrices";
import { PriceEntry, PriceTable } from "./types";

/**
 * Refreshing the bundled price table from Azure's Retail Prices API (`npm run prices`, plan/commands/prices.ts).
 *
 * Every price key the table knows is looked up in every region the table covers (so a price
 * bundled for one region only is filled in for the others), global meters once. Entries the API
 * cannot confirm keep their previous value and source, and are listed. Offline, nothing is
 * written and the command fails with a clear message.
 */

export class PricesOfflineError extends Error {}

/** Prices the estimator asks for that the compiled table has no number for yet: the refresh adds them. */
function keysToRefresh(table: PriceTable): string[] {
  const keys = new Set(table.prices.map((e) => e.key));
  for (const key of [...keys])
    if (key.startsWith("vm/") && key.endsWith("/dedicated")) keys.add(key.replace(/\/dedicated$/, "/lowPriority"));
  for (const key of [
    "firewall/Basic/dataProcessedGB",
    "storage/Standard_LRS/hotGBMonth",
    "storage/Standard_ZRS/hotGBMonth",
    "monitor/metricAlertTimeSeriesMonth",
  ])
    keys.add(key);
  return [...keys].sort();
}

export interface RefreshResult {
  table: PriceTable;
  changed: { key: string; region: string; before: number | undefined; after: number }[];
  /** Entries kept from the previous table because the API did not confirm them. */
  kept: PriceEntry[];
  failures: string[];
}

/** The refreshed table (not written); throws PricesOfflineError when the API cannot be reached at all. */
export async function refreshPriceTable(
  table: PriceTable,
  today: string,
  options: RetailClientOptions = {},
): Promise<RefreshResult> {
  const lookups = keysToRefresh(table).flatMap((key) => table.regions.map((region) => ({ key, region })));
  const live = await fetchLivePrices(lookups, options);
  const unreachable = live.failures.find((f) => f.startsWith("live prices unavailable"));
  if (unreachable && live.entries.length === 0) {
    throw new PricesOfflineError(
      `Cannot reach the Azure Retail Prices API (${options.baseUrl ?? RETAIL_PRICES_URL}): this command needs internet access (or a proxy). ${unreachable}. The bundled table (${BUNDLED_PRICES_FILE}, compiled ${table.compiled}) was not changed.`,
    );
  }
  const previous = new Map(table.prices.map((e) => [`${e.key}@${e.region}`, e.price]));
  const refreshed = new Set(live.entries.map((e) => `${e.key}@${e.region}`));
  const next = parsePriceTable({
    ...withEntries(table, live.entries),
    compiled: today,
    sources: {
      ...table.sources,
      [LIVE_SOURCE]: {
        title: `Azure Retail Prices API, api-version ${RETAIL_PRICES_API_VERSION} (pay-as-you-go consumption meters)`,
        url: RETAIL_PRICES_URL,
        read: today,
      },
    },
  });
  next.prices.sort((a, b) => a.key.localeCompare(b.key) || a.region.localeCompare(b.region));
  return {
    table: next,
    changed: live.entries
      .filter((e) => previous.get(`${e.key}@${e.region}`) !== e.price)
      .map((e) => ({ key: e.key, region: e.region, before: previous.get(`${e.key}@${e.region}`), after: e.price })),
    kept: table.prices.filter((e) => !refreshed.has(`${e.key}@${e.region}`)),
    failures: live.failures,
  };
}

/** Writes the table over the bundled one (plan/cost/bundledPrices.json), in the layout the generator owns. */
export function writeBundledPriceTable(table: PriceTable): void {
  writeFileSync(resolve(__dirname, "bundledPrices.json"), `${JSON.stringify(table, null, 2)}\n`);
}
