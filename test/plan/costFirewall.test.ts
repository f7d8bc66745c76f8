import { describe, expect, it } from "vitest";
import { estimateCost } from "../../plan/cost/estimate";
import { bundledPriceTable } from "../../plan/cost/priceTable";
import { CostEstimate, PricedItem } from "../../plan/cost/types";
import { environment } from "./costPlanFixtures";

/*
 * The workspace managed network's Azure Firewall (created for FQDN outbound rules) is priced by its
 * SKU: `managedNetwork.firewallSku`, Standard when unset. Bundled list prices (USD, the same in every
 * commercial region): Standard $1.25 per deployment hour and $0.016 per GB processed; Basic $0.395
 * per deployment hour and $0.065 per GB processed.
 */

const bundled = { prices: "bundled" } as const;

function firewallItems(estimate: CostEstimate): {
  deployment: PricedItem | undefined;
  data: PricedItem | undefined;
  fixedMonthly: number;
} {
  const workspace = estimate.resources.find((r) => r.name === "env-workspace");
  if (!workspace) throw new Error("no workspace cost");
  return {
    deployment: workspace.items.find((i) => i.kind === "fixed" && i.label.startsWith("managed network Azure Firewall")),
    data: workspace.items.find(
      (i) => i.kind === "usage" && i.label.startsWith("data processed by the managed network firewall"),
    ),
    fixedMonthly: workspace.fixedMonthly,
  };
}

describe("managed network firewall priced by SKU", () => {
  it("bundles both SKUs' deployment-hour and data-processed prices for the reference region", () => {
    const price = (key: string) => bundledPriceTable().prices.find((e) => e.key === key && e.region === "eastus");
    expect(price("firewall/Standard/hour")).toMatchObject({ price: 1.25, unit: "1 Hour" });
    expect(price("firewall/Standard/dataProcessedGB")).toMatchObject({ price: 0.016, unit: "1 GB" });
    expect(price("firewall/Basic/hour")).toMatchObject({
      price: 0.395,
      unit: "1 Hour",
      source: "firewall-retail-quotes",
    });
    expect(price("firewall/Basic/dataProcessedGB")).toMatchObject({
      price: 0.065,
      unit: "1 GB",
      source: "firewall-retail-quotes",
    });
  });

  it("prices Basic at $288.35 a month (730 h × $0.395) plus $0.065 per GB, in a West Europe (dev) stack", async () => {
    const estimate = await estimateCost(environment({ firewallSku: "Basic", fqdnRules: 2 }).builder.build(), bundled);
    const { deployment, data, fixedMonthly } = firewallItems(estimate);
    expect(deployment).toMatchObject({
      label: "managed network Azure Firewall (Basic) for 2 FQDN rules",
      priceKey: "firewall/Basic/hour",
      monthlyQuantity: 730,
    });
    expect(deployment?.quote).toMatchObject({
      price: 0.395,
      region: "eastus",
      requestedRegion: "westeurope",
      fallback: "reference-region",
    });
    expect(fixedMonthly).toBe(288.35);
    expect(data).toMatchObject({
      priceKey: "firewall/Basic/dataProcessedGB",
      usageUnit: "GB",
      quote: { price: 0.065 },
      monthly: null,
    });
    const fallbackNote = estimate.notes.find((note) => note.startsWith("The price table has no westeurope price for"));
    expect(fallbackNote).toContain("firewall/Basic/hour");
    expect(fallbackNote).toContain("firewall/Basic/dataProcessedGB");
    expect(fallbackNote).toMatch(/: the eastus price stands in and is marked\.$/);
  });

  it("prices Standard, the default, at $912.50 a month (730 h × $1.25) plus $0.016 per GB", async () => {
    const estimate = await estimateCost(
      environment({ firewallSku: "Standard", fqdnRules: 2 }).builder.build(),
      bundled,
    );
    const { deployment, data, fixedMonthly } = firewallItems(estimate);
    expect(deployment).toMatchObject({
      label: "managed network Azure Firewall (Standard) for 2 FQDN rules",
      priceKey: "firewall/Standard/hour",
      quote: { price: 1.25 },
    });
    expect(fixedMonthly).toBe(912.5);
    expect(data).toMatchObject({ priceKey: "firewall/Standard/dataProcessedGB", quote: { price: 0.016 } });
  });

  it("uses the region's own Basic price, unflagged, in East US", async () => {
    const estimate = await estimateCost(
      environment({ firewallSku: "Basic", region: "eastus" }).builder.build(),
      bundled,
    );
    const { deployment, fixedMonthly } = firewallItems(estimate);
    expect(deployment?.quote).toMatchObject({ price: 0.395, region: "eastus", requestedRegion: "eastus" });
    expect(deployment?.quote?.fallback).toBeUndefined();
    expect(fixedMonthly).toBe(288.35);
  });

  it("saves $624.15 a month against Standard in the same stack", async () => {
    const total = async (firewallSku: "Standard" | "Basic") =>
      (await estimateCost(environment({ firewallSku }).builder.build(), bundled)).totalFixedMonthly;
    expect(Math.round(((await total("Standard")) - (await total("Basic"))) * 100) / 100).toBe(624.15);
  });
});
