import { beforeAll, describe, expect, it } from "vitest";
import { VM_SIZES, vmSizeRetirement } from "secure-azureml-facts";
import { estimateCost } from "../../plan/cost/estimate";
import { bundledPriceTable } from "../../plan/cost/priceTable";
import { CostEstimate } from "../../plan/cost/types";
import { planStackFile } from "../support/stack";

/*
 * The shipped dev stack (platform and serving layers together) is cheap when idle: the issue's
 * budget is $430 a month of fixed cost, with one always-on endpoint instance of the smallest 2-core
 * size on the endpoint SKU list, an Azure Firewall Basic for the FQDN rules, and client private
 * endpoints (and their DNS zones) only for the workspace and its storage: the Key Vault and the
 * registry are reached by the workspace's managed network only (keyVault.privateEndpoint and
 * registry.privateEndpoint false).
 *
 * Bundled list prices, 730 hours a month: private endpoint $0.01/h (global), private DNS zone $0.50,
 * Premium registry $1.6667/day (West Europe), Azure Firewall Basic $0.395/h and Standard_F2s_v2
 * $0.0846/h (both East US prices standing in for West Europe, which the table does not have),
 * a monitored metric time series $0.10.
 */

const BUDGET = 430;
const PE = 7.3;
const ZONE = 0.5;
const REGISTRY = 50.7;
const FIREWALL_BASIC = 288.35;
const ENDPOINT_F2S_V2 = 61.76;
const METRIC_SERIES = 0.1;

/** Every fixed item of the estimate: resource, what is billed, monthly amount (null: unknown). */
function fixedItems(estimate: CostEstimate): [string, string, number | null][] {
  return estimate.resources.flatMap((r) =>
    r.items
      .filter((i) => i.kind === "fixed")
      .map((i): [string, string, number | null] => [
        r.name,
        i.label,
        i.monthly === null ? null : Math.round(i.monthly * 100) / 100,
      ]),
  );
}

describe("dev stack fixed monthly cost (platform + serving)", () => {
  let estimate: CostEstimate;

  beforeAll(async () => {
    estimate = await estimateCost(await planStackFile("dev"), { prices: "bundled" });
  });

  it("lists exactly these fixed items", () => {
    const zone = (name: string): [string, string, number] => [`amldev-dns-${name}`, "private DNS zone", ZONE];
    const endpoint = (name: string): [string, string, number] => [name, "private endpoint", PE];
    const series = (name: string): [string, string, number] => [name, "1 monitored metric time series", METRIC_SERIES];
    expect(fixedItems(estimate).sort()).toEqual(
      [
        zone("amlApi"),
        zone("amlNotebooks"),
        zone("blob"),
        zone("file"),
        endpoint("amldev-storage-blob"),
        endpoint("amldev-storage-file"),
        endpoint("amldev-workspace-amlworkspace"),
        ["amldev-registry", "Premium registry unit", REGISTRY],
        ["amldev-workspace", "managed network Azure Firewall (Basic) for 15 FQDN rules", FIREWALL_BASIC],
        // The service decides how many private endpoints the managed network gets: unknown, never zero.
        [
          "amldev-workspace",
          "managed network's required private endpoints (workspace, storage, Key Vault, registry)",
          null,
        ],
        series("amldev-serving-endpoint-monitoring-churn-latency-p95"),
        series("amldev-serving-endpoint-monitoring-churn-server-errors"),
        series("amldev-serving-model-operations-drift-churn-blue-alert"),
        ["amldev-serving-endpoint-churn-blue", "1 always-on instance of Standard_F2s_v2", ENDPOINT_F2S_V2],
      ].sort(),
    );
  });

  it("runs one always-on endpoint instance of the smallest 2-core size on the endpoint SKU list: Standard_F2s_v2 (2 vCPUs, 4 GiB, Fsv2 retiring 2028-11-15)", () => {
    const endpoint = estimate.resources.find((r) => r.name === "amldev-serving-endpoint-churn-blue");
    expect(endpoint?.items).toHaveLength(1);
    expect(endpoint?.items[0]).toMatchObject({
      kind: "fixed",
      priceKey: "vm/Standard_F2s_v2/dedicated",
      monthlyQuantity: 730,
      quote: { price: 0.0846, region: "eastus", requestedRegion: "westeurope", fallback: "reference-region" },
    });
    expect(VM_SIZES.Standard_F2s_v2).toMatchObject({
      family: "Fsv2",
      vCpus: 2,
      memoryGiB: 4,
      managedOnlineEndpoint: true,
      computeCluster: true,
    });
    // Not retired yet; the retirement catalogue dates Fsv2 (the planner warns), and D2as_v4 (no retirement) is the successor.
    expect(VM_SIZES.Standard_F2s_v2).not.toHaveProperty("retired");
    expect(vmSizeRetirement("Standard_F2s_v2")).toMatchObject({ id: "vm-f-fs-fsv2", date: "2028-11-15" });
    expect(vmSizeRetirement("Standard_D2as_v4")).toBeUndefined();
  });

  it("creates no client private endpoint or DNS zone for the Key Vault and the registry", () => {
    const names = estimate.resources.map((r) => r.name);
    expect(names).not.toContain("amldev-keyvault-vault");
    expect(names).not.toContain("amldev-registry-registry");
    expect(names).not.toContain("amldev-dns-vault");
    expect(names).not.toContain("amldev-dns-registry");
  });

  it("totals $425.01 (was $448.93 with client endpoints and zones for the vault and registry and a Standard_D2as_v4 instance)", () => {
    expect(estimate.totalFixedMonthly).toBe(425.01);
    expect(estimate.totalFixedMonthly).toBeCloseTo(
      4 * ZONE + 3 * PE + REGISTRY + FIREWALL_BASIC + 3 * METRIC_SERIES + ENDPOINT_F2S_V2,
      2,
    );
  });

  it("prices every resource type of both layers (the traffic resources are no Azure resource: free)", () => {
    expect(estimate.unknownTypes).toEqual([]);
  });

  // The budget.
  it(`stays within the $${BUDGET} monthly budget`, () => {
    expect(estimate.totalFixedMonthly).toBeLessThanOrEqual(BUDGET);
  });
});

describe("catalogue and price table agree for the endpoint sizes shipped stacks use", () => {
  it.each([
    ["Standard_D2as_v4", 0.096],
    ["Standard_F2s_v2", 0.0846],
  ])("has a bundled East US (reference region) Linux price for %s, with a source", (size, price) => {
    const table = bundledPriceTable();
    const entry = table.prices.find((e) => e.key === `vm/${size}/dedicated` && e.region === table.referenceRegion);
    expect(entry).toMatchObject({ unit: "1 Hour", price, source: "skypilot-azure-catalog" });
    expect(table.sources).toMatchObject({
      "skypilot-azure-catalog": {
        url: "https://github.com/skypilot-org/skypilot-catalog/blob/master/catalogs/v6/azure/vms.csv",
      },
    });
    // No West Europe price was found in any source: none is bundled (the East US price stands in, marked).
    expect(table.prices.some((e) => e.key === `vm/${size}/dedicated` && e.region === "westeurope")).toBe(false);
  });
});
