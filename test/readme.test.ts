import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../plan/contract";
import { ExitCode } from "../plan/exitCodes";
import { usd } from "../plan/report/tables";
import { resourcePolicies } from "../policies/rules";
import { stackPolicies } from "../policies/stack";
import { runCli } from "./plan/cliRun";
import { planStackFile } from "./support/stack";

/**
 * The README is the user's entry point: it must state the two commands, and the numbers and
 * options it quotes must be those of the code today (the key reference is docs/configuration.md,
 * generated from the schema).
 */
const readme = readFileSync(resolve(__dirname, "../README.md"), "utf8");
const ci = readFileSync(resolve(__dirname, "../.ci/run"), "utf8");

/** The text of a `## ` section of the README, up to the next `## ` heading. */
function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start, `README section "${heading}"`).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The README text with line breaks as spaces, so a phrase may wrap. */
const flat = readme.replace(/\s*\n\s*/g, " ");

/** Asserts the README states `phrase` (a failure names the phrase, not the whole README). */
function expectPhrase(phrase: string): void {
  expect(flat.includes(phrase), `README should say: ${phrase}`).toBe(true);
}

describe("README", () => {
  it("gives the two commands, and CI runs exactly the test one", () => {
    expect(readme).toContain("npm ci && npm start");
    expect(readme).toContain("npm ci && npm test");
    expect(ci).toMatch(/^npm ci && npm test$/m);
  });

  it("lists exactly the options of `npm start -- plan --help` in the Quick start table", async () => {
    const help = await runCli(["plan", "--help"]);
    expect(help.status).toBe(ExitCode.Success);
    const fromHelp = [...help.stdout.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]).filter((o) => o !== "--help");
    const fromReadme = [...section("Quick start").matchAll(/^\| `(--[a-z-]+)/gm)].map((m) => m[1]);
    expect(fromReadme.sort()).toEqual(fromHelp.sort());
  });

  it("names the planner's subcommands and the exit codes it uses", async () => {
    const help = await runCli(["--help"]);
    const commands = [...help.stdout.matchAll(/^ {2}([a-z]+) \[/gm)].map((m) => m[1]).filter((c) => c !== "help");
    expect(commands).toEqual(["plan", "policy", "diff", "prices"]);
    expectPhrase("its subcommands are `plan` (the default), `policy`, `diff` and `prices`");
    const codes = [...section("Quick start").matchAll(/^\| `(\d)` \|/gm)].map((m) => Number(m[1]));
    expect(codes).toEqual([...new Set(Object.values(ExitCode))].sort());
  });

  it("counts the policy pack's rules as the pack does", () => {
    expectPhrase(`${String(resourcePolicies.length)} resource rules (`);
    expectPhrase(`and ${String(stackPolicies.length)} stack rules (`);
  });

  describe("quotes the offline plan of the shipped stacks", () => {
    let dev: Plan;
    let prod: Plan;
    beforeAll(async () => {
      [dev, prod] = await Promise.all([planStackFile("dev"), planStackFile("prod")]);
    });
    const totalOf = (plan: Plan) => (plan.cost as { totalFixedMonthly: number }).totalFixedMonthly;

    it("dev's and prod's fixed monthly cost", () => {
      expectPhrase(`estimates dev's fixed cost at **${usd(totalOf(dev))} a month**`);
      expectPhrase(`Prod's estimate is **${usd(totalOf(prod))} a month**`);
    });

    it("dev's cold deploy time", () => {
      const minutes = Math.round((dev.deployTime as { totalMinutes: number }).totalMinutes);
      expectPhrase(`estimates a cold deploy of dev (both layers) at about ${String(minutes)} minutes`);
    });

    it("every top-level field of a plan in the Plan JSON contract", () => {
      const example = /```jsonc\n([\s\S]*?)\n```/.exec(section("Plan JSON contract"))?.[1] ?? "";
      const documented = [...example.matchAll(/^ {2}"(\w+)":/gm)].map((m) => m[1]);
      // `policy` is absent from these plans: the shared test plans are made with --no-policy.
      expect(documented.sort()).toEqual([...Object.keys(dev), "policy"].sort());
    });
  });
});
