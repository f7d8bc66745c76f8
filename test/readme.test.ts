import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** The README is the user's entry point: it must state the two commands (the key reference is docs/configuration.md, generated from the schema). */
const readme = readFileSync(resolve(__dirname, "../README.md"), "utf8");
const ci = readFileSync(resolve(__dirname, "../.ci/run"), "utf8");

describe("README", () => {
  it("gives the two commands, and CI runs exactly the test one", () => {
    expect(readme).toContain("npm ci && npm start");
    expect(readme).toContain("npm ci && npm test");
    expect(ci).toMatch(/^npm ci && npm test$/m);
  });
});
