import { TextFormat, heading, renderTable, usd } from "../report/tables";
import { wrapLines } from "../terminal/text";
import { CostEstimate, PriceQuote, PriceUnit, PricedItem } from "./types";

const UNIT_WORDS: Record<PriceUnit, string> = {
  "1 Hour": "hour",
  "1/Day": "day",
  "1/Month": "month",
  "1 GB": "GB",
  "1 GB/Month": "GB-month",
  "10K": "10K",
  "1M": "million",
};

function rate(quote: PriceQuote | null, per?: string): string {
  if (!quote) return per ? `unknown per ${per}` : "unknown";
  const where = quote.fallback ? ` (${quote.region} price)` : "";
  const live = quote.origin === "live" ? " [live]" : "";
  return `${usd(quote.price)}/${per ?? UNIT_WORDS[quote.unit]}${where}${live}`;
}

function fixedRows(estimate: CostEstimate): string[][] {
  return estimate.resources.flatMap((resource) =>
    resource.items
      .filter((item) => item.kind === "fixed")
      .map((item) => [
        resource.name,
        item.note ? `${item.label} (${item.note})` : item.label,
        rate(item.quote),
        item.monthly === null ? "unknown" : usd(item.monthly),
      ]),
  );
}

function usageLabel(item: PricedItem): string {
  const scale = item.usageScale ? ` (up to ${item.usageScale.count} ${item.usageScale.of})` : "";
  return `${item.label}${scale}${item.note ? `; ${item.note}` : ""}`;
}

/** Usage items, identical ones (same label and rate) merged with the resources they apply to. */
function usageRows(estimate: CostEstimate): string[][] {
  const groups = new Map<string, { label: string; rate: string; names: string[] }>();
  for (const resource of estimate.resources) {
    for (const item of resource.items.filter((i) => i.kind === "usage")) {
      const label = usageLabel(item);
      const itemRate = rate(item.quote, item.usageUnit);
      const key = `${label}|${itemRate}`;
      const group = groups.get(key) ?? { label, rate: itemRate, names: [] };
      group.names.push(resource.name);
      groups.set(key, group);
    }
  }
  return [...groups.values()].map((g) => [g.label, g.names.join(", "), g.rate]);
}

/** The fixed monthly total in words, a lower bound when something could not be priced. */
export function fixedTotalText(estimate: CostEstimate): string {
  const unpriced = estimate.unpricedFixed.length;
  const unknownTypes = estimate.unknownTypes.reduce((n, t) => n + t.count, 0);
  const caveats = [
    unpriced > 0 ? `${unpriced} fixed item${unpriced === 1 ? "" : "s"} of unknown price` : "",
    unknownTypes > 0 ? `${unknownTypes} resource${unknownTypes === 1 ? "" : "s"} of unknown cost` : "",
  ].filter(Boolean);
  const bound =
    caveats.length > 0
      ? `at least ${usd(estimate.totalFixedMonthly)} per month (plus ${caveats.join(" and ")})`
      : `${usd(estimate.totalFixedMonthly)} per month`;
  return bound;
}

function totalLine(estimate: CostEstimate): string {
  return `Fixed monthly cost: ${fixedTotalText(estimate)}, before usage.`;
}

/** One fixed cost item with its resource. */
export interface FixedItem {
  resource: string;
  label: string;
  monthly: number;
}

/** The `count` largest priced fixed items, largest first (ties in plan order). */
export function biggestFixedItems(estimate: CostEstimate, count = 3): FixedItem[] {
  return estimate.resources
    .flatMap((resource) =>
      resource.items
        .filter((item) => item.kind === "fixed" && item.monthly !== null && item.monthly > 0)
        .map((item) => ({ resource: resource.name, label: item.label, monthly: item.monthly ?? 0 })),
    )
    .sort((a, b) => b.monthly - a.monthly)
    .slice(0, count);
}

function sourceLine(estimate: CostEstimate): string {
  const table = `bundled price table of ${estimate.prices.compiled} (regions ${estimate.prices.regions.join(", ")})`;
  if (estimate.prices.mode === "bundled") return `Prices: ${table}; region ${estimate.region}.`;
  const fallbacks = estimate.prices.liveFallbacks.length;
  return `Prices: Azure Retail Prices API (live), the ${table} where the API had no answer${fallbacks > 0 ? ` (${fallbacks} lookups fell back)` : ""}; region ${estimate.region}.`;
}

export interface RenderOptions {
  /** Optional. Default `text` (console tables, as in `npm start -- --details`). */
  format?: TextFormat;
  /** Optional. Text only: the widest a line may be (tables wrap their cells); default no limit. */
  width?: number;
}

/** The cost estimate as tables: fixed items with the total, usage rates, what is unknown, and notes. */
export function renderCostTable(estimate: CostEstimate, options: RenderOptions = {}): string {
  const format = options.format ?? "text";
  const table = (head: string[], rows: string[][]) => renderTable(head, rows, format, options.width);
  const lines = [heading("Cost estimate", format), "", sourceLine(estimate), totalLine(estimate), ""];
  const fixed = fixedRows(estimate);
  if (fixed.length > 0) {
    lines.push(
      "Fixed (idle) monthly cost",
      "",
      table(["resource", "item", "rate", "per month"], [...fixed, ["total", "", "", usd(estimate.totalFixedMonthly)]]),
      "",
    );
  }
  const usage = usageRows(estimate);
  if (usage.length > 0)
    lines.push("Usage-priced (not in the total)", "", table(["item", "resources", "rate"], usage), "");
  if (estimate.unknownTypes.length > 0) {
    lines.push(
      "Unknown cost (no cost model for these types)",
      "",
      table(
        ["type", "count", "resources"],
        estimate.unknownTypes.map((t) => [t.type, String(t.count), t.names.join(", ")]),
      ),
      "",
    );
  }
  if (estimate.prices.liveFallbacks.length > 0)
    lines.push(
      "Bundled prices stand in where the live API gave none:",
      ...estimate.prices.liveFallbacks.map((f) => `- ${f}`),
      "",
    );
  lines.push(...estimate.notes.map((n) => (format === "markdown" ? `- ${n}` : n)));
  const text = lines.join("\n");
  return format === "text" && options.width !== undefined ? wrapLines(text, options.width) : text;
}
