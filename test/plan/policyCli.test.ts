import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CliRun, runCli } from "./cliRun";

/**
 * `npm run policy` (`plan/cli.ts policy`) with its exit codes 0 / 1 / 2 / 3, and the policy section
 * of `npm start`, through the CLI's `main` in process (the spawned run is in cliSmoke.test.ts).
 * Every command runs once, in `beforeAll`: the two plans of the dev stack one after the other (the
 * Pulumi runtime is global to the process), the policy checks beside them, two at a time (each
 * starts its pack in a child process). The test-only packs keep the assertions independent of the real rules.
 */
const ROOT = resolve(__dirname, "../..");
const PACK = join(ROOT, "test/fixtures/policy-pack");
const BROKEN_PACK = join(ROOT, "test/fixtures/policy-pack-broken");
const VIOLATING = join(PACK, "plans/violating.json");
const COMPLIANT = join(PACK, "plans/compliant.json");

/** Runs the commands one after the other, in order; returns each one's run. */
async function inSequence(commands: [string, string[]][]): Promise<[string, CliRun][]> {
  const runs: [string, CliRun][] = [];
  for (const [name, args] of commands) runs.push([name, await runCli(args)]);
  return runs;
}

/** Runs the commands at most `limit` at a time. */
async function inParallel(commands: [string, string[]][], limit: number): Promise<[string, CliRun][]> {
  const runs: [string, CliRun][] = [];
  let next = 0;
  const worker = async () => {
    while (next < commands.length) {
      const [name, args] = commands[next++];
      runs.push([name, await runCli(args)]);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return runs;
}

const policy = (args: string[]) => ["policy", ...args];

describe("npm run policy and npm start's policy check", () => {
  const dir = mkdtempSync(join(tmpdir(), "policy-cli-"));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const runs: Record<string, CliRun> = {};

  beforeAll(async () => {
    const relaxed = file(
      "relaxed.json",
      JSON.stringify({
        "fixture-storage-https-only": "advisory",
        "fixture-storage-private-endpoint": { enforcementLevel: "disabled" },
      }),
    );
    const strictTag = file(
      "strict-tag.json",
      JSON.stringify({ "fixture-required-tag": { enforcementLevel: "mandatory", tag: "no-such-tag" } }),
    );
    const results = await Promise.all([
      // `npm start` plans the dev stack: one plan at a time.
      inSequence([
        ["startWithViolations", ["--policy-pack", PACK, "--policy-config", strictTag, "--details", "policy"]],
        ["startNoPolicy", ["--no-policy"]],
        ["startBadPolicyConfig", ["--policy-pack", PACK, "--policy-config", join(dir, "nope-config.json")]],
      ]),
      inParallel(
        [
          ["violating", policy([VIOLATING, "--pack", PACK])],
          ["relaxed", policy([VIOLATING, "--pack", PACK, "--config", relaxed])],
          ["missingPlan", policy([join(dir, "nope.json"), "--pack", PACK])],
          ["notJson", policy([file("not-json.json", "{ plan"), "--pack", PACK])],
          ["notPlan", policy([file("not-plan.json", JSON.stringify({ version: 2, resources: "x" })), "--pack", PACK])],
          ["noArgs", policy([])],
          ["missingConfig", policy([VIOLATING, "--pack", PACK, "--config", join(dir, "nope-config.json")])],
          [
            "badLevel",
            policy([
              VIOLATING,
              "--pack",
              PACK,
              "--config",
              file("bad-level.json", JSON.stringify({ "fixture-required-tag": "sometimes" })),
            ]),
          ],
          ["ruleThrows", policy([COMPLIANT, "--pack", BROKEN_PACK])],
        ],
        2,
      ),
    ]);
    for (const [name, result] of results.flat()) runs[name] = result;
  }, 180_000);

  it("exits 1 on mandatory violations and lists each (policy, level, resource URN, message)", () => {
    const { status, stdout, stderr } = runs.violating;
    expect(stderr).toBe("");
    expect(status).toBe(1);
    expect(stdout).toContain(
      "[mandatory, high] fixture-storage-https-only\n  resource: urn:pulumi:test::demo::demo:index:Data$azure-native:storage:StorageAccount::weak\n",
    );
    expect(stdout).toContain("[mandatory, critical] fixture-storage-private-endpoint");
    expect(stdout).toContain("[advisory, low] fixture-required-tag");
    expect(stdout).toMatch(
      /FAIL: 2 mandatory violations \(1 advisory violation; offline-check-fixture@1\.2\.3, 3 policies\)\n$/,
    );
  });

  it("exits 0 when no mandatory violation remains (here: the config relaxes the violated policies)", () => {
    expect(runs.relaxed.status).toBe(0);
    expect(runs.relaxed.stdout).toContain(`config: ${join(dir, "relaxed.json")}`);
    expect(runs.relaxed.stdout).toContain("[advisory, high] fixture-storage-https-only");
    expect(runs.relaxed.stdout).not.toContain("fixture-storage-private-endpoint");
    expect(runs.relaxed.stdout).toMatch(/PASS: no mandatory violation \(2 advisory violations;/);
  });

  it.each([
    ["missingPlan", /plan file .*nope\.json does not exist/],
    ["notJson", /not-json\.json is not valid JSON/],
    ["notPlan", /not-plan\.json is not a plan written by `npm start -- --json`.*\n {2}- version:/],
    ["noArgs", /missing required argument 'plan'/],
    ["missingConfig", /policy config .*nope-config\.json does not exist/],
    ["badLevel", /parsing enforcement level for "fixture-required-tag": "sometimes" is not a valid enforcement level/],
  ])("exits 2 with a clear message and no stack trace: %s", (name, message) => {
    const { status, stdout, stderr } = runs[name];
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 3 when the pack cannot run (here: a rule throws)", () => {
    expect(runs.ruleThrows.status).toBe(3);
    expect(runs.ruleThrows.stderr).toContain(
      "Error validating resource with policy 'fixture-rule-that-throws' from policy pack 'offline-check-broken-fixture@v0.0.1'",
    );
  });

  it("npm start prints the verdict and violations but still exits 0: npm run policy is the gate", () => {
    const { status, stdout, stderr } = runs.startWithViolations;
    // Config warnings are in the summary; nothing reaches stderr.
    expect(stderr).toBe("");
    expect(status).toBe(0);
    // The summary: the verdict, each mandatory violation in full, and what to do next.
    const count = /\nPolicy: FAIL, (\d+) mandatory violations \(offline-check-fixture@1\.2\.3, 3 policies\)\n/.exec(
      stdout,
    );
    expect(Number(count?.[1])).toBeGreaterThan(0);
    expect(stdout.match(/\n {2}✗ fixture-required-tag on /g)).toHaveLength(Number(count?.[1]));
    expect(stdout).toContain(
      '\n  ✗ fixture-required-tag on amldev-storage\n    Resources that take tags carry the required tag.\n    tags has no "no-such-tag"',
    );
    expect(stdout).toContain("Fix the mandatory policy violations above: `npm run policy` fails until they are gone.");
    // --details policy: the full report.
    expect(stdout).toContain("Policy check (the Pulumi CLI's Analyzer protocol; `npm run policy` gates on it)");
    expect(stdout).toContain("Policy pack offline-check-fixture@1.2.3: 3 policies on ");
    expect(stdout).toContain("[mandatory, low] fixture-required-tag\n  resource: urn:pulumi:dev::secure-azureml::");
    expect(stdout).toMatch(/\nFAIL: \d+ mandatory violations \(/);
  });

  it("npm start skips the check with --no-policy and exits 2 on a missing policy config", () => {
    expect(runs.startNoPolicy.status).toBe(0);
    expect(runs.startNoPolicy.stdout).toContain("\nPolicy: not checked (--no-policy).\n");
    expect(runs.startBadPolicyConfig.status).toBe(2);
    expect(runs.startBadPolicyConfig.stdout).toBe("");
    expect(runs.startBadPolicyConfig.stderr).toMatch(/policy config .*nope-config\.json does not exist/);
  });
});
