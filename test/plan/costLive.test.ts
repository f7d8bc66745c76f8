import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { estimateCost } from "../../plan/cost/estimate";
import { bundledPriceTable } from "../../plan/cost/priceTable";
import { PricesOfflineError, refreshPriceTable } from "../../plan/cost/refreshPrices";
import { RETAIL_PRICES_URL, fetchLivePrices, queryRetailPrices } from "../../plan/cost/retailPrices";
import { renderCostTable } from "../../plan/cost/render";
import { FetchLike, RetailPriceItem } from "../../plan/cost/types";
import { runCli } from "./cliRun";
import { PlanBuilder, RG, environment } from "./costPlanFixtures";

/** A Retail Prices API item with realistic fields; `over` sets what a test cares about. */
function item(over: Partial<RetailPriceItem>): RetailPriceItem {
  return {
    currencyCode: "USD",
    tierMinimumUnits: 0,
    retailPrice: 1,
    unitPrice: 1,
    armRegionName: "westeurope",
    location: "EU West",
    effectiveStartDate: "2026-10-01T00:00:00Z",
    meterId: "00000000-0000-0000-0000-00000000000a",
    meterName: "D4s v3",
    productId: "DZH318Z0BQ4L",
    skuId: "DZH318Z0BQ4L/00TG",
    productName: "Virtual Machines DSv3 Series",
    skuName: "D4s v3",
    serviceName: "Virtual Machines",
    serviceId: "DZH313Z7MMC8",
    serviceFamily: "Compute",
    unitOfMeasure: "1 Hour",
    type: "Consumption",
    isPrimaryMeterRegion: true,
    armSkuName: "Standard_D4s_v3",
    ...over,
  };
}

/** A fake API: answers each request from `respond(filter, url)`, records the URLs asked for. */
function fakeApi(respond: (filter: string, url: string) => { Items: RetailPriceItem[]; NextPageLink: string | null }) {
  const urls: string[] = [];
  const fetch: FetchLike = (url) => {
    urls.push(url);
    const filter = new URL(url).searchParams.get("$filter") ?? "";
    return Promise.resolve({
      ok: true,
      status: 200,
      statusText: "OK",
      json: () => Promise.resolve(respond(filter, url)),
    });
  };
  return { fetch, urls };
}

const offline: FetchLike = () =>
  Promise.reject(
    Object.assign(new TypeError("fetch failed"), { cause: new Error("getaddrinfo ENOTFOUND prices.azure.com") }),
  );

describe("Retail Prices API client", () => {
  it("asks with an encoded OData filter and the 2023-01-01-preview version, following NextPageLink", async () => {
    const api = fakeApi((_, url) =>
      url.includes("page=2")
        ? { Items: [item({ retailPrice: 2 })], NextPageLink: null }
        : { Items: [item({ retailPrice: 1 })], NextPageLink: `${RETAIL_PRICES_URL}?page=2&$filter=x` },
    );
    const items = await queryRetailPrices("serviceName eq 'Virtual Machines' and armSkuName eq 'Standard_D4s_v3'", {
      fetch: api.fetch,
    });
    expect(items.map((i) => i.retailPrice)).toEqual([1, 2]);
    expect(api.urls[0]).toBe(
      `${RETAIL_PRICES_URL}?api-version=2023-01-01-preview&$filter=${encodeURIComponent("serviceName eq 'Virtual Machines' and armSkuName eq 'Standard_D4s_v3'")}`,
    );
    expect(api.urls[1]).toContain("page=2");
  });

  it("picks the Linux pay-as-you-go meter for dedicated nodes and the Low Priority meter for low-priority ones", async () => {
    const vmItems = [
      item({ meterName: "D4s v3 Spot", skuName: "D4s v3 Spot", retailPrice: 0.03 }),
      item({ meterName: "D4s v3 Low Priority", skuName: "D4s v3 Low Priority", retailPrice: 0.048 }),
      item({ meterName: "D4s v3", productName: "Virtual Machines DSv3 Series Windows", retailPrice: 0.42 }),
      item({ meterName: "D4s v3", retailPrice: 0.23 }),
      item({ meterName: "D4s v3", type: "Reservation", retailPrice: 1000 }),
    ];
    const api = fakeApi(() => ({ Items: vmItems, NextPageLink: null }));
    const live = await fetchLivePrices(
      [
        { key: "vm/Standard_D4s_v3/dedicated", region: "westeurope" },
        { key: "vm/Standard_D4s_v3/lowPriority", region: "westeurope" },
      ],
      { fetch: api.fetch },
    );
    expect(live.entries.map((e) => [e.key, e.region, e.price, e.source])).toEqual([
      ["vm/Standard_D4s_v3/dedicated", "westeurope", 0.23, "retail-api"],
      ["vm/Standard_D4s_v3/lowPriority", "westeurope", 0.048, "retail-api"],
    ]);
    const filter = decodeURIComponent(api.urls[0].split("$filter=")[1]);
    expect(filter).toBe(
      "serviceName eq 'Virtual Machines' and priceType eq 'Consumption' and armRegionName eq 'westeurope' and armSkuName eq 'Standard_D4s_v3'",
    );
  });

  it("takes the paid tier of Log Analytics ingestion (the first 5 GB are free) and asks global meters once", async () => {
    const api = fakeApi((filter) => {
      if (filter.includes("Analytics Logs Data Ingestion")) {
        return {
          Items: [
            item({
              serviceName: "Log Analytics",
              meterName: "Analytics Logs Data Ingestion",
              unitOfMeasure: "1 GB",
              retailPrice: 0,
            }),
            item({
              serviceName: "Log Analytics",
              meterName: "Analytics Logs Data Ingestion",
              unitOfMeasure: "1 GB",
              tierMinimumUnits: 5,
              retailPrice: 3.1,
            }),
          ],
          NextPageLink: null,
        };
      }
      return {
        Items: [
          item({
            serviceName: "Virtual Network",
            meterName: "Standard Private Endpoint",
            armRegionName: "Global",
            retailPrice: 0.011,
          }),
        ],
        NextPageLink: null,
      };
    });
    const live = await fetchLivePrices(
      [
        { key: "logAnalytics/ingestionGB", region: "westeurope" },
        { key: "privateEndpoint/hour", region: "westeurope" },
        { key: "privateEndpoint/hour", region: "eastus" },
      ],
      { fetch: api.fetch },
    );
    expect(live.entries.map((e) => [e.key, e.region, e.price])).toEqual([
      ["logAnalytics/ingestionGB", "westeurope", 3.1],
      ["privateEndpoint/hour", "global", 0.011],
    ]);
    expect(api.urls).toHaveLength(2);
    expect(decodeURIComponent(api.urls[1])).not.toContain("armRegionName");
  });

  it("reports a price the API has no matching meter for, and keeps going", async () => {
    const api = fakeApi(() => ({ Items: [item({ unitOfMeasure: "1/Month" })], NextPageLink: null }));
    const live = await fetchLivePrices(
      [
        { key: "vm/Standard_D4s_v3/dedicated", region: "westeurope" },
        { key: "no/such/key", region: "westeurope" },
      ],
      { fetch: api.fetch },
    );
    expect(live.entries).toEqual([]);
    expect(live.failures).toEqual([
      "vm/Standard_D4s_v3/dedicated (westeurope): the API returned no matching 1 Hour meter",
      "no/such/key: no Retail Prices API meter is known for this price",
    ]);
  });
});

describe("estimateCost with live prices", () => {
  it("uses live prices where the API answers, marks them, and keeps bundled ones elsewhere", async () => {
    const api = fakeApi((filter) =>
      filter.includes("Premium Registry Unit")
        ? {
            Items: [
              item({
                serviceName: "Container Registry",
                meterName: "Premium Registry Unit",
                unitOfMeasure: "1/Day",
                retailPrice: 2,
              }),
            ],
            NextPageLink: null,
          }
        : { Items: [], NextPageLink: null },
    );
    const plan = environment().builder.build();
    const estimate = await estimateCost(plan, { prices: "live", live: { fetch: api.fetch } });
    const registry = estimate.resources.find((r) => r.name === "env-registry");
    expect(registry?.items[0].quote).toMatchObject({
      price: 2,
      origin: "live",
      source: "retail-api",
      region: "westeurope",
    });
    expect(registry?.fixedMonthly).toBeCloseTo(2 * (730 / 24), 2);
    expect(estimate.resources.find((r) => r.name === "env-pe-blob")?.items[0].quote).toMatchObject({
      price: 0.01,
      origin: "bundled",
    });
    expect(estimate.prices.mode).toBe("live");
    expect(estimate.prices.liveFallbacks.length).toBeGreaterThan(0);
    expect(renderCostTable(estimate)).toContain("$2.00/day [live]");
  });

  it("looks an Azure ML registry's replica up in its own region, and image storage under the Container Registry 'Data Stored' meter", async () => {
    const api = fakeApi((filter) => {
      if (filter.includes("Premium Registry Unit") && filter.includes("armRegionName eq 'northeurope'")) {
        return {
          Items: [
            item({
              serviceName: "Container Registry",
              meterName: "Premium Registry Unit",
              armRegionName: "northeurope",
              unitOfMeasure: "1/Day",
              retailPrice: 1.8,
            }),
          ],
          NextPageLink: null,
        };
      }
      if (filter.includes("meterName eq 'Data Stored'"))
        return {
          Items: [
            item({
              serviceName: "Container Registry",
              meterName: "Data Stored",
              unitOfMeasure: "1 GB/Month",
              retailPrice: 0.11,
            }),
          ],
          NextPageLink: null,
        };
      return { Items: [], NextPageLink: null };
    });
    const builder = new PlanBuilder();
    builder.add("azure-native:resources:ResourceGroup", "rg", { resourceGroupName: RG, location: "westeurope" });
    const acr = { acrDetails: [{ systemCreatedAcrAccount: { acrAccountSku: "Premium" } }] };
    builder.add(
      "azure-native:machinelearningservices:Registry",
      "mlr",
      {
        resourceGroupName: RG,
        location: "westeurope",
        registryName: "mlr-test",
        regionDetails: [
          { location: "westeurope", ...acr },
          { location: "northeurope", ...acr },
        ],
      },
      { outputs: { id: "/r" } },
    );
    const estimate = await estimateCost(builder.build(), { prices: "live", live: { fetch: api.fetch } });
    const items = estimate.resources.find((r) => r.name === "mlr")?.items ?? [];
    expect(items.map((i) => [i.label.split(" (")[0], i.quote?.price, i.quote?.region, i.quote?.origin])).toEqual([
      ["managed container registry Premium registry unit in westeurope", 1.6667, "westeurope", "bundled"],
      ["managed container registry Premium registry unit in northeurope", 1.8, "northeurope", "live"],
      ["managed container registry image storage over the included 500 GiB", 0.11, "westeurope", "live"],
    ]);
    expect(
      api.urls
        .map((u) => decodeURIComponent(u))
        .filter((u) => u.includes("Premium Registry Unit") && u.includes("northeurope")),
    ).toHaveLength(1);
  });

  it("falls back to the bundled table when the API is unreachable, and says so", async () => {
    const plan = environment({ clusters: 2 }).builder.build();
    const bundled = await estimateCost(plan, { prices: "bundled" });
    const live = await estimateCost(plan, { prices: "live", live: { fetch: offline } });
    expect(live.totalFixedMonthly).toBe(bundled.totalFixedMonthly);
    expect(live.prices.liveFallbacks).toEqual([
      "live prices unavailable: cannot read https://prices.azure.com/api/retail/prices: fetch failed (getaddrinfo ENOTFOUND prices.azure.com)",
    ]);
    const text = renderCostTable(live);
    expect(text).toContain("Azure Retail Prices API (live), the bundled price table");
    expect(text).toContain("- live prices unavailable: cannot read https://prices.azure.com/api/retail/prices");
  });

  it("treats an HTTP error as unavailable", async () => {
    const failing: FetchLike = () =>
      Promise.resolve({ ok: false, status: 503, statusText: "Service Unavailable", json: () => Promise.resolve({}) });
    const live = await fetchLivePrices([{ key: "privateEndpoint/hour", region: "eastus" }], { fetch: failing });
    expect(live.failures).toEqual([
      "live prices unavailable: cannot read https://prices.azure.com/api/retail/prices: HTTP 503 Service Unavailable",
    ]);
  });
});

describe("npm run prices (refreshPriceTable)", () => {
  it("replaces bundled numbers with the API's, dates the table, and fills regions the table lacked", async () => {
    const api = fakeApi((filter) =>
      filter.includes("Azure Firewall") && filter.includes("Standard Deployment") && filter.includes("westeurope")
        ? {
            Items: [item({ serviceName: "Azure Firewall", meterName: "Standard Deployment", retailPrice: 1.25 })],
            NextPageLink: null,
          }
        : filter.includes("Premium Registry Unit") && filter.includes("westeurope")
          ? {
              Items: [
                item({
                  serviceName: "Container Registry",
                  meterName: "Premium Registry Unit",
                  unitOfMeasure: "1/Day",
                  retailPrice: 1.7,
                }),
              ],
              NextPageLink: null,
            }
          : { Items: [], NextPageLink: null },
    );
    const before = bundledPriceTable();
    const result = await refreshPriceTable(before, "2027-01-02", { fetch: api.fetch });
    expect(result.table.compiled).toBe("2027-01-02");
    expect(result.table.sources["retail-api"]).toMatchObject({ url: RETAIL_PRICES_URL, read: "2027-01-02" });
    expect(result.changed).toEqual(
      expect.arrayContaining([
        { key: "containerRegistry/Premium/day", region: "westeurope", before: 1.6667, after: 1.7 },
        { key: "firewall/Standard/hour", region: "westeurope", before: undefined, after: 1.25 },
      ]),
    );
    const find = (key: string, region: string) => result.table.prices.find((e) => e.key === key && e.region === region);
    expect(find("firewall/Standard/hour", "westeurope")).toMatchObject({ price: 1.25, source: "retail-api" });
    // Not confirmed by the API: kept as it was, and listed.
    expect(find("privateDnsZone/month", "global")).toMatchObject({ price: 0.5, source: "infracost-fixtures" });
    expect(result.kept.some((e) => e.key === "privateDnsZone/month")).toBe(true);
    // Lookups include low-priority rates the compiled table lacks.
    expect(api.urls.some((u) => decodeURIComponent(u).includes("armSkuName eq 'Standard_NC4as_T4_v3'"))).toBe(true);
    expect(before.compiled).not.toBe("2027-01-02");
  });

  it("fails with a clear message when offline, changing nothing", async () => {
    await expect(refreshPriceTable(bundledPriceTable(), "2027-01-02", { fetch: offline })).rejects.toThrow(
      PricesOfflineError,
    );
    await expect(refreshPriceTable(bundledPriceTable(), "2027-01-02", { fetch: offline })).rejects.toThrow(
      /Cannot reach the Azure Retail Prices API \(https:\/\/prices\.azure\.com\/api\/retail\/prices\): this command needs internet access.*was not changed/,
    );
  });

  it("as a command, exits 1 with that message when the API cannot be reached", async () => {
    // A port nobody listens on: connection refused, as offline as it gets.
    const port = await new Promise<number>((done) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const address = server.address() as { port: number };
        server.close(() => done(address.port));
      });
    });
    const run = await runCli(["prices", "--dry-run", "--endpoint", `http://127.0.0.1:${port}/api/retail/prices`]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `Cannot reach the Azure Retail Prices API (http://127.0.0.1:${port}/api/retail/prices)`,
    );
    expect(run.stderr).toContain("was not changed");
  });
});
