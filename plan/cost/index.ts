export { estimateCost } from "./estimate";
export type { CostOptions } from "./estimate";
export { renderCostTable } from "./render";
export type { RenderOptions } from "./render";
export { bundledPriceTable, parsePriceTable, PriceBook } from "./priceTable";
export { fetchLivePrices, queryRetailPrices, RETAIL_PRICES_URL, RetailPricesUnavailableError } from "./retailPrices";
export type { RetailClientOptions } from "./retailPrices";
export * from "./types";
