import { Plan } from "../contract";
import { PlanIndex } from "../planIndex";
import { costItemsOf } from "./models";
import { PriceBook, bundledPriceTable, withEntries } from "./priceTable";
import { PriceLookup, RetailClientOptions, fetchLivePrices } from "./retailPrices";
import { CostEstimate, CostItem, HOURS_PER_MONTH, PriceTable, PricedItem, ResourceCost, UnknownType } from "./types";

export interface CostOptions {
  /** `bundled`: the dated table in the repository. `live`: the Retail Prices API, the bundled table where it fails. */
  prices: "bundled" | "live";
  /** Optional. A price table to use instead of the bundled one (tests, or a refreshed copy). */
  table?: PriceTable;
  /** Optional. Options for the live client (a custom `fetch`, timeouts). */
  live?: RetailClientOptions;
}

interface PendingResource {
  urn: string;
  type: string;
  name: string;
  region: string;
  items: CostItem[];
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function priceItems(pending: PendingResource, book: PriceBook): ResourceCost {
  const items: PricedItem[] = pending.items.map((item) => {
    const quote = item.priceKey ? book.quote(item.priceKey, item.region ?? pending.region) : null;
    const monthly =
      item.kind === "fixed" && quote && item.monthlyQuantity !== undefined ? quote.price * item.monthlyQuantity : null;
    return { ...item, quote, monthly };
  });
  const fixed = items.filter((i) => i.kind === "fixed");
  return {
    urn: pending.urn,
    type: pending.type,
    name: pending.name,
    region: pending.region,
    items,
    fixedMonthly: round(fixed.reduce((sum, i) => sum + (i.monthly ?? 0), 0)),
    fixedIncomplete: fixed.some((i) => i.monthly === null),
  };
}

function notesFor(resources: ResourceCost[], table: PriceTable): string[] {
  const notes = [
    `Prices are Azure public list prices in USD (pay-as-you-go, Linux VMs), ${HOURS_PER_MONTH} hours a month; taxes, discounts, reservations and savings plans are not applied.`,
    "Fixed = accrues while the environment exists, idle or not. Usage = billed per use; shown as a rate, not included in the total.",
  ];
  const fallbacks = resources.flatMap((r) =>
    r.items
      .filter((i) => i.quote?.fallback)
      .map((i) => ({ key: i.priceKey, region: i.quote?.requestedRegion ?? r.region })),
  );
  for (const region of new Set(fallbacks.map((f) => f.region))) {
    const keys = [...new Set(fallbacks.filter((f) => f.region === region).map((f) => f.key))];
    notes.push(
      `The price table has no ${region} price for ${keys.join(", ")}: the ${table.referenceRegion} price stands in and is marked.`,
    );
  }
  return notes;
}

/** Monthly cost estimate of a plan: fixed idle cost per resource and in total, usage rates, and what could not be priced. */
export async function estimateCost(plan: Plan, options: CostOptions = { prices: "bundled" }): Promise<CostEstimate> {
  const index = new PlanIndex(plan);
  const pending: PendingResource[] = [];
  const unknown = new Map<string, UnknownType>();
  for (const resource of index.custom) {
    const result = costItemsOf(resource, index);
    if (result === "free") continue;
    if (result === undefined) {
      const entry = unknown.get(resource.type) ?? { type: resource.type, count: 0, names: [] };
      entry.count += 1;
      entry.names.push(resource.name);
      unknown.set(resource.type, entry);
      continue;
    }
    if (result.length > 0)
      pending.push({
        urn: resource.urn,
        type: resource.type,
        name: resource.name,
        region: index.regionOf(resource),
        items: result,
      });
  }

  let table = options.table ?? bundledPriceTable();
  const liveFallbacks: string[] = [];
  if (options.prices === "live") {
    const lookups: PriceLookup[] = pending.flatMap((p) =>
      p.items.filter((i) => i.priceKey).map((i) => ({ key: i.priceKey as string, region: i.region ?? p.region })),
    );
    const live = await fetchLivePrices(lookups, options.live);
    table = withEntries(table, live.entries);
    liveFallbacks.push(...live.failures);
  }

  const book = new PriceBook(table);
  const resources = pending.map((p) => priceItems(p, book));
  return {
    currency: "USD",
    region: index.mainRegion,
    hoursPerMonth: HOURS_PER_MONTH,
    prices: { mode: options.prices, compiled: table.compiled, regions: table.regions, liveFallbacks },
    resources,
    totalFixedMonthly: round(resources.reduce((sum, r) => sum + r.fixedMonthly, 0)),
    unpricedFixed: resources.flatMap((r) =>
      r.items
        .filter((i) => i.kind === "fixed" && i.monthly === null)
        .map((i) => ({ urn: r.urn, name: r.name, type: r.type, label: i.label })),
    ),
    unknownTypes: [...unknown.values()].sort((a, b) => a.type.localeCompare(b.type)),
    notes: notesFor(resources, table),
  };
}
