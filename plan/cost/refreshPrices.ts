import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command } from "commander";
import { BUNDLED_PRICES_FILE, LIVE_SOURCE, bundledPriceTable, parsePriceTable, withEntries } from "./priceTable";
import { RETAIL_PRICES_API_VERSION, RETAIL_PRICES_URL, RetailClientOptions, fetchLivePrices } from "./retailPrices";
import { PriceEntry, PriceTable } from "./types";

/**
 * `npm run prices`: refresh the bundled price table from Azure's Retail Prices API.
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
  for (const key of [...keys]) if (key.startsWith("vm/") && key.endsWith("/dedicated")) keys.add(key.replace(/\/dedicated$/, "/lowPriority"));
  for (const key of ["firewall/Basic/dataProcessedGB", "storage/Standard_LRS/hotGBMonth", "storage/Standard_ZRS/hotGBMonth", "monitor/metricAlertTimeSeriesMonth"]) keys.add(key);
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
export async function refreshPriceTable(table: PriceTable, today: string, options: RetailClientOptions = {}): Promise<RefreshResult> {
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
      [LIVE_SOURCE]: { title: `Azure Retail Prices API, api-version ${RETAIL_PRICES_API_VERSION} (pay-as-you-go consumption meters)`, url: RETAIL_PRICES_URL, read: today },
    },
  });
  next.prices.sort((a, b) => a.key.localeCompare(b.key) || a.region.localeCompare(b.region));
  return {
    table: next,
    changed: live.entries.filter((e) => previous.get(`${e.key}@${e.region}`) !== e.price).map((e) => ({ key: e.key, region: e.region, before: previous.get(`${e.key}@${e.region}`), after: e.price })),
    kept: table.prices.filter((e) => !refreshed.has(`${e.key}@${e.region}`)),
    failures: live.failures,
  };
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("npm run prices --")
    .description(`Refresh ${BUNDLED_PRICES_FILE} from the Azure Retail Prices API (needs internet).`)
    .option("--dry-run", "show what would change without writing the file")
    .option("--endpoint <url>", "a mirror of the Retail Prices API to read instead", RETAIL_PRICES_URL)
    .exitOverride();
  program.parse(argv, { from: "user" });
  const { dryRun, endpoint } = program.opts<{ dryRun?: boolean; endpoint: string }>();
  const today = new Date().toISOString().slice(0, 10);

  let result: RefreshResult;
  try {
    result = await refreshPriceTable(bundledPriceTable(), today, { baseUrl: endpoint });
  } catch (error) {
    if (error instanceof PricesOfflineError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  for (const change of result.changed) process.stdout.write(`${change.key} (${change.region}): ${change.before ?? "new"} -> ${change.after}\n`);
  for (const failure of result.failures) process.stdout.write(`not refreshed: ${failure}\n`);
  process.stdout.write(`${result.changed.length} prices changed, ${result.kept.length} entries kept from the previous table.\n`);
  if (!dryRun) {
    writeFileSync(resolve(__dirname, "bundledPrices.json"), `${JSON.stringify(result.table, null, 2)}\n`);
    process.stdout.write(`Wrote ${BUNDLED_PRICES_FILE} (compiled ${today}).\n`);
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const commanderExit = error as { code?: string; exitCode?: number };
      if (typeof commanderExit.code === "string" && commanderExit.code.startsWith("commander.")) process.exit(commanderExit.exitCode ?? 1);
      process.stderr.write(`prices failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
