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
  // What Azure would refuse (issue 13).
  [
    "required key given as YAML null (the CLI passes an empty string)",
    { ...valid, "secure-azureml:namePrefix": "" },
    "secure-azureml:namePrefix",
  ],
  [
    "required key given as the word null",
    { ...valid, "secure-azureml:namePrefix": "null" },
    "secure-azureml:namePrefix",
  ],
  [
    "key under a near miss of the project namespace",
    { ...valid, "secure-azurml:tags": '{"owner":"ml"}' },
    "secure-azurml:tags",
  ],
  ["reserved word as the name prefix", { ...valid, "secure-azureml:namePrefix": "azure" }, "secure-azureml:namePrefix"],
  [
    "zone-redundant defaults in a region without zones",
    { ...valid, "secure-azureml:location": "westus" },
    "secure-azureml:storage.sku",
  ],
  [
    "more tags than private DNS zones accept",
    {
      ...valid,
      "secure-azureml:tags": JSON.stringify(Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`t${i}`, "x"]))),
    },
    "secure-azureml:tags",
  ],
  [
    "private endpoint subnet too small for its endpoints",
    {
      ...valid,
      "secure-azureml:network": JSON.stringify({
        mode: "create",
        addressSpace: "10.0.0.0/16",
        privateEndpointSubnet: "10.0.0.0/29",
      }),
    },
    "secure-azureml:network.privateEndpointSubnet",
  ],
  [
    "existing VNet whose name has a space",
    {
      ...valid,
      "secure-azureml:network": JSON.stringify({
        mode: "existing",
        virtualNetworkId:
          "/subscriptions/3f2a6c1e-8b4d-4e9a-9c7f-2d1b0e5a6f80/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet hub",
        privateEndpointSubnetId:
          "/subscriptions/3f2a6c1e-8b4d-4e9a-9c7f-2d1b0e5a6f80/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet hub/subnets/snet-pe",
      }),
    },
    "secure-azureml:network.virtualNetworkId",
  ],
  [
    "all-zero GUID as a persona group",
    { ...valid, "secure-azureml:personas": JSON.stringify({ readers: ["00000000-0000-0000-0000-000000000000"] }) },
    "secure-azureml:personas.readers[0]",
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
