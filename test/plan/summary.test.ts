import { createColors } from "picocolors";
import { describe, expect, it } from "vitest";
import { estimateCost } from "../../plan/cost";
import { fixedTotalText } from "../../plan/cost/render";
import { renderSummary } from "../../plan/summary";
import { environment } from "./costPlanFixtures";

/** The cost section of the `npm start` summary (plan/summary.ts), on a hand-built plan. */
describe("renderSummary: cost", () => {
  const plan = environment({ clusters: 1 }).builder.build();
  const skipped = { kind: "skipped", reason: "not needed here" } as const;

  it('keeps "Biggest items:" whole: on the total\'s line when it fits, else on a line of its own', async () => {
    const cost = await estimateCost(plan);
    const total = `Cost (fixed, before usage): ${fixedTotalText(cost)}.`;
    expect(total).toBe(
      "Cost (fixed, before usage): at least $1,146.20 per month (plus 1 fixed item of unknown price).",
    );

    const wide = renderSummary(plan, { source: "test", policy: skipped, cost, columns: 120 });
    expect(wide).toContain(`\n\n${total} Biggest items:\n  $`);

    // 105 columns leave room for "Biggest" after the total (94 columns) but not for "Biggest items:".
    const narrow = renderSummary(plan, { source: "test", policy: skipped, cost, columns: 105 });
    expect(narrow).toContain(`\n\n${total}\n  Biggest items:\n  $`);
    for (const line of narrow.split("\n")) expect(line.length).toBeLessThanOrEqual(105);
  });

  it("prints the cost label in bold when colour is on", async () => {
    const cost = await estimateCost(plan);
    const colors = createColors(true);
    const out = renderSummary(plan, { source: "test", policy: skipped, cost, colors });
    expect(out).toContain(`\n\n${colors.bold("Cost (fixed, before usage):")} ${fixedTotalText(cost)}.`);
  });
});
