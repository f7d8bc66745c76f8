import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { CliRun, runCli } from "./cliRun";

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
    runs.dev = await runCli(["--json", join(dir, "dev.json")]);
    runs.prod = await runCli(["--stack", "prod", "--json", join(dir, "prod.json")]);
  });

  it.each(["dev", "prod"])("plans stack %s, prints a summary and writes a contract-shaped JSON plan", (stack) => {
    const run = runs[stack];
    // Only config warnings (e.g. the documented model monitoring limitation) may reach stderr.
    expect(run.stderr.split("\n").filter((line) => line !== "" && !line.startsWith("warning: "))).toEqual([]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Offline plan of stack "${stack}"`);
    expect(run.stdout).toContain("azure-native:machinelearningservices:Workspace");
    const plan = JSON.parse(readFileSync(join(dir, `${stack}.json`), "utf8")) as Plan;
    expectContract(plan, stack);
    const workspace = plan.resources.find((r) => r.type === "azure-native:machinelearningservices:Workspace");
    expect(workspace?.inputs.publicNetworkAccess).toBe("Disabled");
    expect(plan.outputs.workspaceName).toBe(workspace?.inputs.workspaceName);
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
