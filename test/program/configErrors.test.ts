import { describe, expect, it } from "vitest";
import { ConfigValidationError } from "../../config";
import { PlannedResource } from "../../plan/contract";

/**
 * The real program with bad stack config: it must throw one ConfigValidationError listing
 * every problem, and register no resource at all (not even the environment component).
 */
async function runProgram(config: Record<string, string>) {
  const { planProgram } = await import("../../plan/engine");
  const { buildProgram } = await import("../../program");
  const recorder: PlannedResource[] = [];
  const error = await planProgram({
    project: "secure-azureml",
    stack: "bad",
    config,
    program: buildProgram,
    recorder,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, recorder };
}

const valid = {
  "secure-azureml:location": "westeurope",
  "secure-azureml:namePrefix": "amltest",
};

const cases: [string, Record<string, string>, string][] = [
  ["missing location", { "secure-azureml:namePrefix": "amltest" }, "secure-azureml:location"],
  ["unknown region", { ...valid, "secure-azureml:location": "atlantis" }, "secure-azureml:location"],
  ["unknown cloud", { ...valid, "secure-azureml:cloud": "AzureMoon" }, "secure-azureml:cloud"],
  [
    "malformed CIDR",
    {
      ...valid,
      "secure-azureml:network": JSON.stringify({
        mode: "create",
        addressSpace: "10.0.0.0/16",
        privateEndpointSubnet: "10.0.0/24",
      }),
    },
    "secure-azureml:network.privateEndpointSubnet",
  ],
  [
    "overlapping subnets",
    {
      ...valid,
      "secure-azureml:network": JSON.stringify({
        mode: "create",
        addressSpace: "10.0.0.0/16",
        privateEndpointSubnet: "10.0.0.0/22",
        jumpboxSubnet: "10.0.2.0/24",
      }),
    },
    "secure-azureml:network.jumpboxSubnet",
  ],
  [
    "bad persona group id",
    { ...valid, "secure-azureml:personas": JSON.stringify({ readers: ["alice@example.com"] }) },
    "secure-azureml:personas.readers[0]",
  ],
  [
    "unknown outbound preset",
    { ...valid, "secure-azureml:workspace": JSON.stringify({ outbound: { presets: ["npmjs"] } }) },
    "secure-azureml:workspace.outbound.presets[0]",
  ],
  [
    "retention out of range",
    { ...valid, "secure-azureml:monitoring": JSON.stringify({ logRetentionDays: 7 }) },
    "secure-azureml:monitoring.logRetentionDays",
  ],
  [
    "typo in a key",
    { ...valid, "secure-azureml:netwrok": JSON.stringify({ mode: "create" }) },
    "secure-azureml:netwrok",
  ],
];

describe("program with invalid configuration", () => {
  it.each(cases)("%s: fails naming the key and creates nothing", async (_label, config, key) => {
    const { error, recorder } = await runProgram(config);
    expect(error).toBeInstanceOf(ConfigValidationError);
    const issues = (error as ConfigValidationError).issues;
    expect(issues.map((i) => i.key)).toContain(key);
    expect((error as Error).message).toContain(key);
    expect(recorder).toEqual([]);
  });

  it("reports every problem at once", async () => {
    const { error, recorder } = await runProgram({
      "secure-azureml:location": "atlantis",
      "secure-azureml:namePrefix": "X",
      "secure-azureml:monitoring": JSON.stringify({ logRetentionDays: 1 }),
    });
    expect((error as ConfigValidationError).issues.map((i) => i.key).sort()).toEqual([
      "secure-azureml:location",
      "secure-azureml:monitoring.logRetentionDays",
      "secure-azureml:namePrefix",
    ]);
    expect(recorder).toEqual([]);
  });
});
