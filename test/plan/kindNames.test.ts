import { TYPES } from "secure-azureml-facts";
import { describe, expect, it } from "vitest";
import { kindName } from "../../plan/kindNames";

/** One table of readable kind names for the summary, the diagrams, the role table and the PR report. */
describe("kindName", () => {
  it("names known kinds, singular and plural, the resource group included", () => {
    expect(kindName(TYPES.resourceGroup)).toBe("resource group");
    expect(kindName(TYPES.storage, 2)).toBe("storage accounts");
    expect(kindName(TYPES.lockByScope, 5)).toBe("delete locks");
    expect(kindName("pulumi-nodejs:dynamic:Resource", 2)).toBe("dynamic (program-run) steps");
  });

  it("spells other kinds from their type token in words", () => {
    expect(kindName(TYPES.actionGroup)).toBe("action group");
    expect(kindName(TYPES.dataVersion, 3)).toBe("data versions");
    expect(kindName(TYPES.autoscale, 1)).toBe("autoscale setting");
    expect(kindName("azure-native:network:ApplicationGateway", 2)).toBe("application gateways");
    expect(kindName("azure-native:foo:Policy", 2)).toBe("policies");
  });
});
