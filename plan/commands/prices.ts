import { Command } from "commander";
import { BUNDLED_PRICES_FILE, bundledPriceTable } from "../cost/priceTable";
import { PricesOfflineError, RefreshResult, refreshPriceTable, writeBundledPriceTable } from "../cost/refreshPrices";
import { RETAIL_PRICES_URL } from "../cost/retailPrices";
import { ExitCode } from "../exitCodes";
import { CliIo, guarded } from "./io";

/** `npm run prices [-- --dry-run]`: refresh the bundled price table from Azure's Retail Prices API (needs internet). */

export interface PricesOptions {
  dryRun?: boolean;
  endpoint: string;
}

/** Adds `prices` to the CLI. */
export function addPricesCommand(cli: Command, io: CliIo, exit: (code: ExitCode) => void): Command {
  return cli
    .command("prices")
    .summary("refresh the bundled price table, needs internet (`npm run prices`)")
    .description(
      `Refresh ${BUNDLED_PRICES_FILE} from the Azure Retail Prices API (needs internet). Alias: \`npm run prices\`.`,
    )
    .option("--dry-run", "show what would change without writing the file")
    .option("--endpoint <url>", "a mirror of the Retail Prices API to read instead", RETAIL_PRICES_URL)
    .action(async (options: PricesOptions) => {
      exit(await guarded(io, "prices", ExitCode.Failure, () => runPrices(options, io)));
    });
}

export async function runPrices(
  options: PricesOptions,
  io: CliIo,
  today = new Date().toISOString().slice(0, 10),
): Promise<ExitCode> {
  let result: RefreshResult;
  try {
    result = await refreshPriceTable(bundledPriceTable(), today, { baseUrl: options.endpoint });
  } catch (error) {
    if (error instanceof PricesOfflineError) {
      io.stderr.write(`${error.message}\n`);
      return ExitCode.Failure;
    }
    throw error;
  }
  for (const change of result.changed)
    io.stdout.write(`${change.key} (${change.region}): ${change.before ?? "new"} -> ${change.after}\n`);
  for (const failure of result.failures) io.stdout.write(`not refreshed: ${failure}\n`);
  io.stdout.write(
    `${result.changed.length} prices changed, ${result.kept.length} entries kept from the previous table.\n`,
  );
  if (!options.dryRun) {
    writeBundledPriceTable(result.table);
    io.stdout.write(`Wrote ${BUNDLED_PRICES_FILE} (compiled ${today}).\n`);
  }
  return ExitCode.Success;
}
