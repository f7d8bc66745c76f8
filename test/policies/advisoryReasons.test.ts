import { describe, expect, it } from "vitest";
import { resourcePolicies } from "../../policies/rules";
import { stackPolicies } from "../../policies/stack";

/**
 * A rule left advisory is a decision: its description says why (an "Advisory" sentence), so a
 * reviewer can tell a deliberate advisory from a forgotten one and decide to raise it in a
 * stack's policy config.
 */
describe("advisory rules say why they are advisory", () => {
  const advisory = [...resourcePolicies, ...stackPolicies].filter((policy) => policy.enforcementLevel === "advisory");

  it("covers the pack's advisory rules", () => {
    expect(advisory.length).toBeGreaterThan(10);
  });

  it.each(advisory.map((policy) => [policy.name, policy.description] as const))("%s", (_name, description) => {
    expect(description).toMatch(/\badvisory\b/i);
  });
});
