import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { CostEstimate } from "../../plan/cost";
import { biggestFixedItems, fixedTotalText } from "../../plan/cost/render";
import { DeployTimeEstimate } from "../../plan/deployTime";
import { usd } from "../../plan/report/tables";
import { stripAnsi } from "../../plan/terminal/text";
import { CliRun, runCli } from "./cliRun";

const ESC = "\u001b";
const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`);

/** The printed lines, colour escapes removed. */
function linesOf(text: string): string[] {
  return stripAnsi(text).replace(/\n$/, "").split("\n");
}

/**
 * `npm start` is `tsx plan/cli.ts` (the default `plan` subcommand): its `main`, run in process,
 * and the JSON plan checked against the contract documented in the README. The spawned run is in
 * cliSmoke.test.ts. Plans run one after the other: the Pulumi runtime is global to the process.
 */
const ROOT = resolve(__dirname, "../..");

function expectContract(plan: Plan, stack: string) {
  expect(plan.version).toBe(1);
  expect(plan.project).toBe("secure-azureml");
  expect(plan.stack).toBe(stack);
  expect(plan.lateRegistrations).toEqual([]);
  const urns = new Set(plan.resources.map((r) => r.urn));
  // Both layers, in deploy order: the platform's resources, then its serving stack's; each URN names its project.
  expect(plan.layers?.map((l) => l.project)).toEqual(["secure-azureml", "secure-azureml-serving"]);
  const projects = plan.resources.map((r) => r.urn.split("::")[1]);
  const firstServing = projects.indexOf("secure-azureml-serving");
  expect(firstServing).toBeGreaterThan(0);
  expect(projects.slice(0, firstServing).every((p) => p === "secure-azureml")).toBe(true);
  expect(projects.slice(firstServing).every((p) => p === "secure-azureml-serving")).toBe(true);
  for (const r of plan.resources) {
    expect(Object.keys(r).sort()).toEqual([
      "custom",
      "dependencies",
      "inputs",
      "name",
      "options",
      "outputs",
      "parent",
      "propertyDependencies",
      "type",
      "urn",
    ]);
    expect(r.urn).toMatch(
      new RegExp(
        `^urn:pulumi:${stack}::secure-azureml(-serving)?::.*::${r.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`,
      ),
    );
    expect(typeof r.custom).toBe("boolean");
    if (r.parent !== null) expect(urns.has(r.parent)).toBe(true);
    for (const dep of [...r.dependencies, ...Object.values(r.propertyDependencies).flat()])
      expect(urns.has(dep)).toBe(true);
    if (r.custom) expect(typeof r.outputs.id).toBe("string");
  }
  expect(Object.keys(plan.outputs)).toEqual(
    expect.arrayContaining([
      "workspaceName",
      "workspaceId",
      "resourceGroupName",
      "containerRegistryLoginServer",
      "identities",
      "privateEndpointIds",
    ]),
  );
  const [platform, serving] = plan.layers ?? [];
  expect(Object.keys(platform.outputs)).toEqual(
    expect.arrayContaining([
      "workspaceName",
      "workspaceId",
      "resourceGroupName",
      "containerRegistryLoginServer",
      "identities",
      "privateEndpointIds",
      "serving",
    ]),
  );
  expect(platform.outputs.serving).toBe("[secret]");
  expect(Object.keys(serving.outputs).sort()).toEqual(
    [
      "batchEndpoints",
      "modelMonitors",
      "onlineEndpoints",
      "platformStack",
      "requiredAssets",
      ...(stack === "prod" ? ["retrainingSchedule"] : []),
    ].sort(),
  );
  expect(serving.outputs.platformStack).toBe(`organization/secure-azureml/${stack}`);
}

describe("npm start (offline plan CLI)", () => {
  const dir = mkdtempSync(join(tmpdir(), "plan-cli-"));
  const runs: Record<string, CliRun> = {};

  beforeAll(async () => {
    // As in CI: not a terminal, 100 columns assumed.
    runs.dev = await runCli(["--json", join(dir, "dev.json")], { columns: 100 });
    runs.prod = await runCli(["--stack", "prod", "--json", join(dir, "prod.json")], { columns: 100 });
    // A 100-column terminal with colour; and a narrow one with NO_COLOR set, every table.
    runs.devTty = await runCli(["--details", "--no-policy"], { isTTY: true, columns: 100 });
    runs.devNarrow = await runCli(["--details"], { isTTY: true, columns: 60, env: { NO_COLOR: "1" } });
  });

  it.each(["dev", "prod"])("plans stack %s, prints a summary and writes a contract-shaped JSON plan", (stack) => {
    const run = runs[stack];
    // Config warnings are part of the summary now: nothing reaches stderr, and no progress off a terminal.
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Offline plan of stack "${stack}"`);
    const plan = JSON.parse(readFileSync(join(dir, `${stack}.json`), "utf8")) as Plan;
    expectContract(plan, stack);
    const workspace = plan.resources.find((r) => r.type === "azure-native:machinelearningservices:Workspace");
    expect(workspace?.inputs.publicNetworkAccess).toBe("Disabled");
    expect(plan.outputs.workspaceName).toBe(workspace?.inputs.workspaceName);
  });

  it.each(["dev", "prod"])(
    "fits the %s summary in one screen: at most 50 lines of at most 100 columns, no colour",
    (stack) => {
      const lines = linesOf(runs[stack].stdout);
      expect(lines.length).toBeLessThanOrEqual(50);
      expect(lines.filter((line) => line.length > 100)).toEqual([]);
      expect(runs[stack].stdout).not.toMatch(ANSI);
      // The full tables are for --details only.
      expect(runs[stack].stdout).not.toContain("Resources by type");
      expect(runs[stack].stdout).not.toContain("Stack outputs");
      expect(runs[stack].stdout).not.toContain("┌");
    },
  );

  it.each(["dev", "prod"])(
    "summarises %s: what is planned, the policy verdict, cost, deploy time, what to do next",
    (stack) => {
      const out = runs[stack].stdout;
      const plan = JSON.parse(readFileSync(join(dir, `${stack}.json`), "utf8")) as Plan;
      const custom = plan.resources.filter((r) => r.custom);
      const serving = custom.filter((r) => r.urn.split("::")[1] === "secure-azureml-serving").length;
      expect(out).toContain(`\nPlanned: ${custom.length} resources`);
      expect(out).toContain(`  1. secure-azureml (repository root): ${custom.length - serving} resources\n`);
      expect(out).toContain(`  2. secure-azureml-serving (serving/): ${serving} resources\n`);
      // The notable resources by their Azure names.
      for (const [label, output] of [
        ["workspace", "workspaceName"],
        ["container registry", "containerRegistryName"],
        ["storage", "storageAccountName"],
        ["Key Vault", "keyVaultName"],
      ])
        expect(out).toContain(`${label} ${String(plan.outputs[output])}`);
      expect(out).toMatch(/( · |\n +)compute cpu-[a-z0-9]+, gpu-/);
      expect(out).toContain(
        `online endpoint ${(plan.outputs.onlineEndpoints as { churn: { name: string } }).churn.name}`,
      );

      // The shipped stacks pass the pack: the verdict, then the advisories counted with their rule names.
      const advisories = plan.policy?.violations.filter((v) => v.enforcementLevel === "advisory") ?? [];
      expect(plan.policy?.violations.filter((v) => v.enforcementLevel !== "advisory")).toEqual([]);
      const rules = [...new Set(advisories.map((v) => v.policy))];
      const pack = /secure-azureml-baseline@[\d.]+, \d+ policies/.exec(plan.policy?.verdict ?? "")?.[0] ?? "(none)";
      expect(out).toContain(
        `\nPolicy: PASS (${pack}); ${advisories.length} advisories from ${rules.length} rules:\n  ${rules[0]},`,
      );
      // The rule names on at most two lines, after the verdict.
      const ruleLines = out.slice(out.indexOf("\nPolicy: ")).split("\n").slice(2, 4).join(" ");
      for (const rule of rules) expect(ruleLines).toContain(rule);

      const cost = plan.cost as CostEstimate;
      expect(out).toContain(`Cost (fixed, before usage): ${fixedTotalText(cost).split(" (")[0]}`);
      const biggest = biggestFixedItems(cost, 3);
      expect(biggest).toHaveLength(3);
      for (const item of biggest) expect(out).toMatch(new RegExp(`\\n +\\${usd(item.monthly)}  ${item.resource}: `));

      const deployTime = plan.deployTime as DeployTimeEstimate;
      expect(out).toContain(`Deploy time: about ${Math.ceil(deployTime.totalMinutes)} min for a cold \`pulumi up\``);
      expect(out).toMatch(/\n {2}[^\n]*workspace 43 min → [^\n]*churn-blue 12 min\n/);

      // Next: the assets to register before the serving `pulumi up`, and the config warnings counted.
      expect(out).toContain("\nNext:\n  1. Register these before the serving `pulumi up`");
      expect(out).toContain(
        `     - codes/churn-scoring/versions/1 in workspace ${String(plan.outputs.workspaceName)}\n`,
      );
      expect(out).toMatch(/\n {2}2\. Review \d+ config warnings \(in full: npm start -- --details warnings\):\n/);
      expect(out).toContain("     - secure-azureml:personas.dataScientists[0]: is an example group id");
      expect(out).toContain("Full tables: npm start -- --details");
    },
  );

  it("prints the full tables with --details, sized to the terminal, ids shortened, in colour on a terminal", () => {
    const run = runs.devTty;
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(ANSI);
    const text = stripAnsi(run.stdout);
    expect(linesOf(run.stdout).filter((line) => line.length > 100)).toEqual([]);
    for (const section of [
      "\nResources by type\n",
      "\nKey security settings\n",
      "\nStack outputs\n",
      "\nCost estimate\n",
      "\nDeploy-time estimate\n",
      "\nConfig warnings (",
      "\nPolicy check: --no-policy.",
    ])
      expect(text).toContain(section);
    expect(text).toMatch(/│ azure-native:machinelearningservices:Workspace +│ 1 +│/);
    expect(text).toMatch(/│ amldev-storage +│ shared key access +│ false +│/);
    expect(text).toMatch(/│ workspaceId +│ \/subscriptions\/0000…\/providers\/…\/workspaces\/mlw-amldev-/);
    expect(text).not.toContain("00000000-0000-0000-0000-000000000000");
    expect(text).toContain("│ resource ");
    expect(text).toContain("Fixed (idle) monthly cost");
    expect(text).toContain("https://learn.microsoft.com/azure/machine-learning/how-to-managed-network");
    expect(text).toContain("- secure-azureml:keyVault.purgeProtection: is false");
  });

  it("wraps every section to a narrow terminal and writes no colour when NO_COLOR is set", () => {
    const run = runs.devNarrow;
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(ANSI);
    expect(linesOf(run.stdout).filter((line) => line.length > 60)).toEqual([]);
    expect(run.stdout).toContain("\nPolicy check (the Pulumi CLI's Analyzer protocol");
    expect(run.stdout).toContain("\nViolations\n");
    expect(run.stdout).toContain("\nDeploy-time estimate\n");
    // On a terminal stderr may carry the progress line, erased again before the report: nothing else.
    const erase = `\r${ESC}[K`;
    expect(run.stderr.split(erase).filter((part) => part !== "" && !/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] ./.test(part))).toEqual([]);
    if (run.stderr !== "") expect(run.stderr.endsWith(erase)).toBe(true);
  });

  it("exits 2 on an unknown --details section and names the accepted ones", async () => {
    const run = await runCli(["--details", "cost,everything"]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      '--details: unknown section "everything"; accepted: resources, settings, outputs, cost, deploy-time, policy, warnings (or --details alone for all)\n',
    );
  });

  it("exits 2 on a bad config file, names each bad key on stderr and writes nothing", async () => {
    const badFile = join(dir, "bad.yaml");
    writeFileSync(
      badFile,
      [
        "config:",
        "  secure-azureml:location: mars",
        "  secure-azureml:namePrefix: BAD_PREFIX",
        "  secure-azureml:network:",
        "    mode: create",
        "    addressSpace: 10.0.0.0/16",
        "    privateEndpointSubnet: 10.0.0.0/33",
        "    jumpboxSubnet: 10.0.1.0/27",
      ].join("\n"),
    );
    const out = join(dir, "bad.json");
    const run = await runCli(["--config-file", badFile, "--json", out]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('secure-azureml:location = "mars"');
    expect(run.stderr).toContain('secure-azureml:namePrefix = "BAD_PREFIX"');
    expect(run.stderr).toContain("secure-azureml:network.privateEndpointSubnet");
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it("substitutes marked placeholders for secure: values and says so", async () => {
    const file = join(dir, "secret.yaml");
    const dev = readFileSync(join(ROOT, "Pulumi.dev.yaml"), "utf8");
    writeFileSync(file, `${dev}\n  azure-native:clientSecret:\n    secure: AAABAHx0eXBpY2FsbHkgZW5jcnlwdGVk\n`);
    const out = join(dir, "secret.json");
    const run = await runCli(["--config-file", file, "--json", out, "--no-policy"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("placeholders were used for: azure-native:clientSecret");
    const plan = JSON.parse(readFileSync(out, "utf8")) as Plan;
    expect(plan.secretPlaceholders).toEqual(["azure-native:clientSecret"]);
  });

  it("exits 2 when the stack file does not exist", async () => {
    const run = await runCli(["--stack", "nosuchstack"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Pulumi.nosuchstack.yaml");
  });
});
