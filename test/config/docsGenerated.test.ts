import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIGURATION_REFERENCE_PATH, renderConfigurationReference } from "../../config/docs/generate";
import { configKeyRows } from "../../config/docs/keyRows";

describe("docs/configuration.md", () => {
  it("is the generator's output (run npm run docs:config after changing the schema or config/docs/template.md)", async () => {
    expect(readFileSync(CONFIGURATION_REFERENCE_PATH, "utf8")).toBe(await renderConfigurationReference());
  });

  it("describes every key, and places the serving sections and models in the serving stack file", () => {
    const rows = configKeyRows();
    expect(rows.filter((row) => row.description === "").map((row) => row.key)).toEqual([]);
    const layerOf = (key: string) => rows.find((row) => row.key === key)?.layer;
    expect(layerOf("workspace.outbound.mode")).toBe("platform");
    expect(layerOf("models.<name>.version")).toBe("serving");
    expect(layerOf("endpoints.<endpoint>.deployments.<deployment>.instanceType")).toBe("serving");
    expect(layerOf("batchEndpoints.<endpoint>.deployments.<deployment>.cluster")).toBe("serving");
    expect(layerOf("retraining.cron")).toBe("serving");
  });

  it("states the schema's type, accepted values and defaults", () => {
    const rows = configKeyRows();
    const row = (key: string) => rows.find((r) => r.key === key);
    expect(row("monitoring.logRetentionDays")).toMatchObject({ type: "whole number 30-730", defaultValue: "`90`" });
    expect(row("keyVault.softDeleteRetentionDays")).toMatchObject({ type: "whole number 7-90", defaultValue: "`90`" });
    expect(row("workspace.outbound.mode")).toMatchObject({
      type: "`AllowOnlyApprovedOutbound` \\| `AllowInternetOutbound`",
      defaultValue: "`AllowOnlyApprovedOutbound`",
    });
    expect(row("network.addressSpace")?.defaultValue).toBe("`10.40.0.0/16`");
    expect(row("network.virtualNetworkId")).toMatchObject({ type: "Azure resource id", defaultValue: "required" });
    expect(row("compute.imageBuilder.vmSize")?.defaultValue).toBe("`Standard_D4s_v3`");
    expect(row("batchEndpoints.<endpoint>.deployments.<deployment>.errorThreshold")).toMatchObject({
      type: "whole number, ≥ -1",
      defaultValue: "`-1`",
    });
  });
});
