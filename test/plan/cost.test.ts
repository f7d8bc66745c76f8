import { describe, expect, it } from "vitest";
import { estimateCost } from "../../plan/cost/estimate";
import { bundledPriceTable, parsePriceTable } from "../../plan/cost/priceTable";
import { biggestFixedItems, fixedTotalText, renderCostTable } from "../../plan/cost/render";
import { CostEstimate, ResourceCost } from "../../plan/cost/types";
import { PlanBuilder, RG, armId, environment } from "./costPlanFixtures";

const bundled = { prices: "bundled" } as const;

function costOf(estimate: CostEstimate, name: string): ResourceCost {
  const found = estimate.resources.find((r) => r.name === name);
  if (!found) throw new Error(`no cost for ${name}: ${estimate.resources.map((r) => r.name).join(", ")}`);
  return found;
}

// West Europe prices from the bundled table: private endpoint $0.01/h (global), zone $0.50/month (global),
// Premium registry $1.6667/day, Standard_D4s_v3 $0.24/h; Azure Firewall Standard only has an East US price ($1.25/h).
const PE = 0.01 * 730;
const ZONE = 0.5;
const REGISTRY = Math.round(1.6667 * (730 / 24) * 100) / 100;
const FIREWALL = 1.25 * 730;
const D4S_WE = 0.24 * 730;

describe("bundled price table", () => {
  const table = bundledPriceTable();

  it("is dated, names its regions and a source for every price, and has no zero or negative price", () => {
    expect(table.compiled).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(table.regions).toEqual(expect.arrayContaining(["eastus", "westeurope"]));
    expect(table.currency).toBe("USD");
    for (const entry of table.prices) {
      expect(table.sources[entry.source], `${entry.key} ${entry.region}`).toBeDefined();
      expect(entry.price, `${entry.key} ${entry.region}`).toBeGreaterThan(0);
    }
    expect(() => parsePriceTable({ ...table, prices: [{ ...table.prices[0], source: "nowhere" }] })).toThrow(
      /source "nowhere"/,
    );
  });

  it("holds the list prices the estimate relies on", () => {
    const price = (key: string, region: string) =>
      table.prices.find((e) => e.key === key && e.region === region)?.price;
    expect(price("privateEndpoint/hour", "global")).toBe(0.01);
    expect(price("privateDnsZone/month", "global")).toBe(0.5);
    expect(price("containerRegistry/Premium/day", "westeurope")).toBe(1.6667);
    expect(price("containerRegistry/Premium/day", "eastus")).toBe(1.667);
    expect(price("containerRegistry/storageOverIncludedGBMonth", "westeurope")).toBe(0.1);
    expect(price("logAnalytics/ingestionGB", "westeurope")).toBe(2.99);
    expect(price("logAnalytics/ingestionGB", "eastus")).toBe(2.3);
    expect(price("firewall/Standard/hour", "eastus")).toBe(1.25);
    expect(price("vm/Standard_NC4as_T4_v3/dedicated", "eastus")).toBe(0.526);
    // Low-priority rates are not bundled: they stay unknown unless the live API supplies them.
    expect(table.prices.some((e) => e.key.endsWith("/lowPriority"))).toBe(false);
  });
});

describe("estimateCost (bundled prices)", () => {
  it("prices each fixed item per resource and totals only known fixed costs", async () => {
    const { builder } = environment({ clusters: 1, deployments: 1 });
    const estimate = await estimateCost(builder.build(), bundled);

    expect(estimate.region).toBe("westeurope");
    expect(estimate.prices).toMatchObject({ mode: "bundled", compiled: bundledPriceTable().compiled });
    expect(costOf(estimate, "env-pe-blob").fixedMonthly).toBe(PE);
    expect(costOf(estimate, "env-dns-blob").fixedMonthly).toBe(ZONE);
    expect(costOf(estimate, "env-registry").fixedMonthly).toBe(REGISTRY);
    expect(costOf(estimate, "env-cluster-0").fixedMonthly).toBeCloseTo(D4S_WE, 2);
    expect(costOf(estimate, "env-endpoint-0-blue").fixedMonthly).toBeCloseTo(D4S_WE, 2);

    const workspace = costOf(estimate, "env-workspace");
    const firewall = workspace.items.find((i) => i.label.startsWith("managed network Azure Firewall (Standard)"));
    expect(firewall?.monthly).toBe(FIREWALL);
    // The region has no firewall price: East US stands in, flagged.
    expect(firewall?.quote).toMatchObject({
      region: "eastus",
      requestedRegion: "westeurope",
      fallback: "reference-region",
    });
    // The managed network's own private endpoints exist but their number is the service's choice: unknown, not zero.
    expect(workspace.fixedIncomplete).toBe(true);
    expect(estimate.unpricedFixed.map((u) => u.name)).toContain("env-workspace");

    expect(estimate.totalFixedMonthly).toBeCloseTo(PE + ZONE + REGISTRY + FIREWALL + 2 * D4S_WE, 2);
  });

  it("lists usage-priced items as rates, outside the total: node-hours, log ingestion, data processed", async () => {
    const { builder } = environment({ clusters: 1, clusterMinNodes: 0 });
    const estimate = await estimateCost(builder.build(), bundled);
    const cluster = costOf(estimate, "env-cluster-0");
    expect(cluster.fixedMonthly).toBe(0);
    expect(cluster.items).toHaveLength(1);
    expect(cluster.items[0]).toMatchObject({
      kind: "usage",
      usageUnit: "node-hour",
      usageScale: { count: 4, of: "nodes at most" },
      monthly: null,
      quote: { price: 0.24 },
    });
    const logs = costOf(estimate, "env-log");
    expect(logs.items.map((i) => [i.kind, i.priceKey, i.quote?.price])).toEqual([
      ["usage", "logAnalytics/ingestionGB", 2.99],
      ["usage", "logAnalytics/retentionGBMonth", 0.13],
    ]);
    expect(costOf(estimate, "env-appi").items[0].label).toContain("billed as ingestion into env-log");
    expect(costOf(estimate, "env-pe-blob").items.find((i) => i.kind === "usage")?.priceKey).toBe(
      "privateEndpoint/dataProcessedGB",
    );
    // Storage capacity has no bundled price: the rate is unknown, not zero.
    expect(costOf(estimate, "env-storage").items[0]).toMatchObject({ kind: "usage", quote: null });
  });

  it("adds the managed network firewall only for FQDN rules in allow-only-approved mode", async () => {
    const hasFirewall = async (options: Parameters<typeof environment>[0]) =>
      (await estimateCost(environment(options).builder.build(), bundled)).resources.some((r) =>
        r.items.some((i) => i.label.includes("Azure Firewall")),
      );
    expect(await hasFirewall({ isolationMode: "AllowOnlyApprovedOutbound", fqdnRules: 1 })).toBe(true);
    expect(await hasFirewall({ isolationMode: "AllowOnlyApprovedOutbound", fqdnRules: 0 })).toBe(false);
    expect(await hasFirewall({ isolationMode: "AllowInternetOutbound", fqdnRules: 3 })).toBe(false);
  });

  it("shows a price it does not have as unknown, never as zero, and the total as a lower bound", async () => {
    // Low-priority VM rates are not bundled: an always-on low-priority node has no price.
    const { builder, r } = environment({ fqdnRules: 0 });
    builder.add(
      "azure-native:machinelearningservices:Compute",
      "env-cluster-spot",
      {
        resourceGroupName: RG,
        location: "westeurope",
        workspaceName: "mlw-test",
        computeName: "spot",
        properties: {
          computeType: "AmlCompute",
          properties: {
            vmSize: "Standard_D4s_v3",
            vmPriority: "LowPriority",
            scaleSettings: { minNodeCount: 1, maxNodeCount: 2 },
          },
        },
      },
      { parent: r.env },
    );
    builder.add(
      "azure-native:cache:Redis",
      "env-cache",
      { resourceGroupName: RG, location: "westeurope", name: "redis-test" },
      { outputs: { id: armId("Microsoft.Cache/redis", "redis-test") } },
    );
    const estimate = await estimateCost(builder.build(), bundled);
    const nodes = costOf(estimate, "env-cluster-spot").items.find((i) => i.kind === "fixed");
    expect(nodes).toMatchObject({
      label: "1 always-on low-priority nodes (minNodes) of Standard_D4s_v3",
      quote: null,
      monthly: null,
    });
    expect(estimate.unpricedFixed.map((u) => u.label)).toContain(nodes?.label);
    expect(estimate.unknownTypes).toEqual([{ type: "azure-native:cache:Redis", count: 1, names: ["env-cache"] }]);
    expect(estimate.totalFixedMonthly).toBeCloseTo(PE + ZONE + REGISTRY, 2);

    const text = renderCostTable(estimate);
    expect(text).toMatch(
      /Fixed monthly cost: at least \$58\.50 per month \(plus 2 fixed items of unknown price and 1 resource of unknown cost\)/,
    );
    expect(text).toMatch(/1 always-on low-priority nodes \(minNodes\) of Standard_D4s_v3\s*│\s*unknown\s*│\s*unknown/);
    expect(text).toContain("azure-native:cache:Redis");
    expect(text).not.toMatch(/low-priority nodes[^\n]*\$0\.00/);
  });

  it("prices GPU sizes and uses the region's own price without a flag", async () => {
    const builder = new PlanBuilder();
    builder.add("azure-native:resources:ResourceGroup", "rg", { resourceGroupName: RG, location: "eastus" });
    builder.add(
      "azure-native:machinelearningservices:OnlineDeployment",
      "gpu-blue",
      {
        resourceGroupName: RG,
        location: "eastus",
        workspaceName: "w",
        endpointName: "e",
        deploymentName: "blue",
        sku: { name: "Default", capacity: 2 },
        properties: { instanceType: "Standard_NC4as_T4_v3" },
      },
      { outputs: { id: "/x" } },
    );
    const estimate = await estimateCost(builder.build(), bundled);
    const item = costOf(estimate, "gpu-blue").items[0];
    expect(item.label).toBe("2 always-on instances of Standard_NC4as_T4_v3 (GPU)");
    expect(item.monthly).toBeCloseTo(2 * 730 * 0.526, 2);
    expect(item.quote).toEqual({
      price: 0.526,
      unit: "1 Hour",
      region: "eastus",
      requestedRegion: "eastus",
      origin: "bundled",
      source: "vm-eastus-tables",
    });
  });

  it("keeps low-priority node-hours unknown (no bundled rate) instead of pricing them as dedicated", async () => {
    const builder = new PlanBuilder();
    builder.add("azure-native:resources:ResourceGroup", "rg", { resourceGroupName: RG, location: "westeurope" });
    builder.add(
      "azure-native:machinelearningservices:Compute",
      "spot-cluster",
      {
        resourceGroupName: RG,
        workspaceName: "w",
        computeName: "spot",
        properties: {
          computeType: "AmlCompute",
          properties: {
            vmSize: "Standard_D4s_v3",
            vmPriority: "LowPriority",
            scaleSettings: { minNodeCount: 1, maxNodeCount: 8 },
          },
        },
      },
      { outputs: { id: "/x" } },
    );
    const estimate = await estimateCost(builder.build(), bundled);
    const [fixed, usage] = costOf(estimate, "spot-cluster").items;
    expect(fixed).toMatchObject({
      kind: "fixed",
      priceKey: "vm/Standard_D4s_v3/lowPriority",
      quote: null,
      monthly: null,
    });
    expect(usage).toMatchObject({ kind: "usage", priceKey: "vm/Standard_D4s_v3/lowPriority", quote: null });
    expect(estimate.totalFixedMonthly).toBe(0);
  });

  it("adds autoscale headroom of an online deployment as usage", async () => {
    const { builder, r } = environment({ deployments: 1, deploymentInstances: 2 });
    builder.add(
      "azure-native:monitor:AutoscaleSetting",
      "env-endpoint-0-blue-autoscale",
      {
        resourceGroupName: RG,
        targetResourceUri: r.deployment0.outputs.id,
        profiles: [{ name: "default", capacity: { minimum: "2", maximum: "6", default: "2" }, rules: [] }],
      },
      { inputsFrom: { targetResourceUri: [r.deployment0] }, outputs: { id: "/autoscale" } },
    );
    const estimate = await estimateCost(builder.build(), bundled);
    const items = costOf(estimate, "env-endpoint-0-blue").items;
    expect(items[0]).toMatchObject({ kind: "fixed", monthlyQuantity: 2 * 730 });
    expect(items[1]).toMatchObject({
      kind: "usage",
      usageUnit: "instance-hour",
      usageScale: { count: 4, of: "extra instances at most" },
    });
  });

  it("prices alert rules per monitored time series and per log rule frequency (global meters)", async () => {
    const builder = new PlanBuilder();
    builder.add("azure-native:resources:ResourceGroup", "rg", { resourceGroupName: RG, location: "westeurope" });
    builder.add(
      "azure-native:monitor:MetricAlert",
      "latency",
      { resourceGroupName: RG, criteria: { allOf: [{ name: "p95" }, { name: "errors" }] } },
      { outputs: { id: "/a" } },
    );
    builder.add(
      "azure-native:monitor:ScheduledQueryRule",
      "errors-log",
      { resourceGroupName: RG, evaluationFrequency: "PT5M" },
      { outputs: { id: "/b" } },
    );
    builder.add(
      "azure-native:monitor:ScheduledQueryRule",
      "hourly-log",
      { resourceGroupName: RG, evaluationFrequency: "PT1H" },
      { outputs: { id: "/c" } },
    );
    const estimate = await estimateCost(builder.build(), bundled);
    expect(costOf(estimate, "latency").items[0]).toMatchObject({
      label: "2 monitored metric time series",
      monthly: 0.2,
      quote: { region: "global", price: 0.1 },
    });
    expect(costOf(estimate, "errors-log").fixedMonthly).toBe(1.5);
    // No price for a rule evaluated hourly: unknown.
    expect(costOf(estimate, "hourly-log").items[0]).toMatchObject({ quote: null, monthly: null });
    expect(estimate.totalFixedMonthly).toBe(1.7);
  });

  it("grows linearly with the number of clusters and online endpoints", async () => {
    const total = async (n: number) =>
      (
        await estimateCost(
          environment({ clusters: n, deployments: n, clusterMinNodes: 1, deploymentInstances: 1 }).builder.build(),
          bundled,
        )
      ).totalFixedMonthly;
    const [zero, one, ten] = [await total(0), await total(1), await total(10)];
    const perPair = one - zero;
    expect(perPair).toBeCloseTo(2 * D4S_WE, 2);
    expect(ten - zero).toBeCloseTo(10 * perPair, 1);
    const timings: number[] = [];
    for (const n of [10, 100]) {
      const plan = environment({ clusters: n, deployments: n }).builder.build();
      const start = performance.now();
      await estimateCost(plan, bundled);
      timings.push(performance.now() - start);
    }
    // 10x the clusters and endpoints must not cost more than ~10x the time (generous bound against noise).
    expect(timings[1]).toBeLessThan(Math.max(50, timings[0] * 40));
  });

  it("prices an Azure ML registry as its managed Premium registry unit per region, storage as usage, and its private endpoints as endpoints", async () => {
    const builder = new PlanBuilder();
    const rg = builder.add(
      "azure-native:resources:ResourceGroup",
      "rg",
      { resourceGroupName: RG, location: "westeurope" },
      { outputs: { id: `/subscriptions/x/resourceGroups/${RG}` } },
    );
    const region = (location: string) => ({
      location,
      acrDetails: [{ systemCreatedAcrAccount: { acrAccountSku: "Premium" } }],
      storageAccountDetails: [
        {
          systemCreatedStorageAccount: {
            storageAccountType: "Standard_ZRS",
            storageAccountHnsEnabled: false,
            allowBlobPublicAccess: false,
          },
        },
      ],
    });
    const registry = builder.add(
      "azure-native:machinelearningservices:Registry",
      "mlr",
      {
        resourceGroupName: RG,
        location: "westeurope",
        registryName: "mlr-test",
        publicNetworkAccess: "Disabled",
        regionDetails: [region("westeurope"), region("northeurope"), region("eastus")],
      },
      {
        inputsFrom: { resourceGroupName: [rg] },
        outputs: { id: armId("Microsoft.MachineLearningServices/registries", "mlr-test") },
      },
    );
    for (const group of ["amlregistry", "blob", "registry"]) {
      builder.add(
        "azure-native:network:PrivateEndpoint",
        `mlr-${group}`,
        {
          resourceGroupName: RG,
          location: "westeurope",
          privateEndpointName: `pe-mlr-${group}`,
          privateLinkServiceConnections: [{ name: group, groupIds: [group] }],
        },
        {
          inputsFrom: { privateLinkServiceConnections: [registry] },
          outputs: { id: armId("Microsoft.Network/privateEndpoints", `pe-mlr-${group}`) },
        },
      );
    }
    const estimate = await estimateCost(builder.build(), bundled);
    expect(estimate.unknownTypes).toEqual([]);
    const cost = costOf(estimate, "mlr");
    expect(
      cost.items
        .filter((i) => i.kind === "fixed")
        .map((i) => [i.label, i.priceKey, i.quote?.price, i.quote?.region, i.quote?.fallback]),
    ).toEqual([
      [
        "managed container registry Premium registry unit in westeurope (primary region)",
        "containerRegistry/Premium/day",
        1.6667,
        "westeurope",
        undefined,
      ],
      // No North Europe price is bundled: the East US one stands in, flagged.
      [
        "managed container registry Premium registry unit in northeurope (geo-replica, replication region)",
        "containerRegistry/Premium/day",
        1.667,
        "eastus",
        "reference-region",
      ],
      [
        "managed container registry Premium registry unit in eastus (geo-replica, replication region)",
        "containerRegistry/Premium/day",
        1.667,
        "eastus",
        undefined,
      ],
    ]);
    expect(cost.items.find((i) => i.label.includes("in northeurope (geo-replica"))?.quote).toMatchObject({
      requestedRegion: "northeurope",
    });
    // $1.6667 x 730/24 (West Europe) + 2 x $1.667 x 730/24 (East US price for North Europe and East US).
    expect(cost.fixedMonthly).toBe(152.1);
    expect(cost.fixedIncomplete).toBe(false);
    // Storage is billed per GB stored in each region (no bundled ZRS price: unknown, not zero); images beyond the included 500 GiB per GB-month.
    expect(
      cost.items.filter((i) => i.kind === "usage").map((i) => [i.label, i.priceKey, i.quote?.price ?? null]),
    ).toEqual([
      [
        "managed storage account in westeurope: blob capacity, hot tier (Standard_ZRS)",
        "storage/Standard_ZRS/hotGBMonth",
        null,
      ],
      [
        "managed storage account in northeurope: blob capacity, hot tier (Standard_ZRS)",
        "storage/Standard_ZRS/hotGBMonth",
        null,
      ],
      [
        "managed storage account in eastus: blob capacity, hot tier (Standard_ZRS)",
        "storage/Standard_ZRS/hotGBMonth",
        null,
      ],
      [
        "managed container registry image storage over the included 500 GiB",
        "containerRegistry/storageOverIncludedGBMonth",
        0.1,
      ],
    ]);
    // The private endpoints to the registry, its storage (blob) and its container registry are counted once each, as endpoints.
    for (const group of ["amlregistry", "blob", "registry"])
      expect(costOf(estimate, `mlr-${group}`).fixedMonthly).toBe(PE);
    expect(estimate.totalFixedMonthly).toBe(174);
    expect(estimate.notes).toContain(
      "The price table has no northeurope price for containerRegistry/Premium/day: the eastus price stands in and is marked.",
    );
    expect(renderCostTable(estimate)).toMatch(
      /managed container registry Premium registry unit in northeurope \(geo-replica, replication region\)\s*│\s*\$1\.67\/day \(eastus price\)\s*│\s*\$50\.70/,
    );
  });

  it("shows a registry whose regions the plan does not name as a fixed cost of unknown amount", async () => {
    const builder = new PlanBuilder();
    builder.add("azure-native:resources:ResourceGroup", "rg", { resourceGroupName: RG, location: "westeurope" });
    builder.add(
      "azure-native:machinelearningservices:Registry",
      "mlr",
      { resourceGroupName: RG, location: "westeurope", registryName: "mlr-test" },
      { outputs: { id: "/r" } },
    );
    const estimate = await estimateCost(builder.build(), bundled);
    expect(costOf(estimate, "mlr").items).toEqual([
      expect.objectContaining({ kind: "fixed", quote: null, monthly: null }),
    ]);
    expect(estimate.unpricedFixed.map((u) => u.name)).toEqual(["mlr"]);
    expect(estimate.unknownTypes).toEqual([]);
  });

  it("renders markdown tables for the PR report", async () => {
    const estimate = await estimateCost(environment({ clusters: 1 }).builder.build(), bundled);
    const markdown = renderCostTable(estimate, { format: "markdown" });
    expect(markdown).toContain("### Cost estimate");
    expect(markdown).toContain("| resource | item | rate | per month |");
    expect(markdown).toContain("| env-pe-blob | private endpoint | $0.01/hour | $7.30 |");
    expect(markdown).toContain("$1.25/hour (eastus price)");
    expect(markdown).toMatch(
      /\| cluster nodes, dedicated Standard_D4s_v3 \(up to 4 nodes at most\); idle nodes scale down after 15 min \| env-cluster-0 \| \$0\.24\/node-hour \|/,
    );
    expect(markdown).toContain(
      `Prices: bundled price table of ${bundledPriceTable().compiled} (regions eastus, westeurope); region westeurope.`,
    );
  });

  it("names the biggest fixed items and the total for the summary, and wraps the text tables to a width", async () => {
    const estimate = await estimateCost(environment({ clusters: 1 }).builder.build(), bundled);
    const items = biggestFixedItems(estimate, 3);
    expect(items).toHaveLength(3);
    expect(items.map((i) => i.monthly)).toEqual([...items.map((i) => i.monthly)].sort((a, b) => b - a));
    const all = estimate.resources.flatMap((r) => r.items.filter((i) => i.kind === "fixed" && i.monthly !== null));
    expect(items[0].monthly).toBe(Math.max(...all.map((i) => i.monthly ?? 0)));
    expect(fixedTotalText(estimate)).toMatch(/^(at least )?\$[\d,]+\.\d\d per month/);

    const narrow = renderCostTable(estimate, { width: 60 });
    expect(narrow.split("\n").filter((line) => line.length > 60)).toEqual([]);
    expect(narrow).toContain("┌");
    // The usage table's first column, read down: the long label is whole, wrapped over lines.
    const usage = narrow.slice(narrow.indexOf("Usage-priced"));
    const firstColumn = usage
      .slice(0, usage.indexOf("└"))
      .split("\n")
      .filter((line) => line.startsWith("│"))
      .map((line) => line.split("│")[1].trim())
      .join(" ");
    expect(firstColumn).toContain(
      "cluster nodes, dedicated Standard_D4s_v3 (up to 4 nodes at most); idle nodes scale down after 15 min",
    );
    // The markdown report is not affected by a width.
    expect(renderCostTable(estimate, { format: "markdown", width: 60 })).toBe(
      renderCostTable(estimate, { format: "markdown" }),
    );
  });
});
