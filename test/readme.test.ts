import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { stackConfigSchema } from "../config";

/** The README is the user's entry point: it must state the two commands and document every key. */
const readme = readFileSync(resolve(__dirname, "../README.md"), "utf8");
const ci = readFileSync(resolve(__dirname, "../.ci/run"), "utf8");

/** Dotted paths of every config key, from the schema itself. */
function schemaKeys(): string[] {
  const keys: string[] = [];
  const visit = (prefix: string, schema: unknown) => {
    let inner = schema as { def?: { type?: string; innerType?: unknown; options?: unknown[] }; shape?: Record<string, unknown> };
    while (inner.def && (inner.def.type === "default" || inner.def.type === "prefault" || inner.def.type === "optional")) inner = inner.def.innerType as typeof inner;
    if (inner.def?.type === "union") {
      for (const option of inner.def.options ?? []) visit(prefix, option);
      return;
    }
    if (inner.shape && prefix !== "tags" && prefix !== "privateDns.zoneIds") {
      for (const [key, value] of Object.entries(inner.shape)) visit(prefix ? `${prefix}.${key}` : key, value);
      return;
    }
    keys.push(prefix);
  };
  visit("", stackConfigSchema);
  return [...new Set(keys)];
}

describe("README", () => {
  it("documents every config key", () => {
    const keys = schemaKeys();
    expect(keys.length).toBeGreaterThan(30);
    for (const key of keys) expect(readme, `README lacks ${key}`).toMatch(new RegExp(`\`${key.replace(/\./g, "\\.")}[\`.]`));
  });

  it("gives the two commands, and CI runs exactly the test one", () => {
    expect(readme).toContain("npm ci && npm start");
    expect(readme).toContain("npm ci && npm test");
    expect(ci).toMatch(/^npm ci && npm test$/m);
  });
});
