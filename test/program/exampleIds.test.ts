import { describe, expect, it } from "vitest";
import { ConfigValidationError } from "../../config";

/**
 * Deploy-audit B4: the shipped persona group ids are examples. Outside the offline planner (no
 * mock monitor: a real `pulumi preview` or `up`) the program refuses them before creating anything,
 * naming the key and what to put there. The offline case (warning only) is covered by the shipped
 * stacks planning at all.
 */
describe("example persona group ids outside the offline planner", () => {
  it("are refused with the key and what to put there", async () => {
    const pulumi = await import("@pulumi/pulumi");
    pulumi.runtime.setAllConfig({
      "secure-azureml:location": "westeurope",
      "secure-azureml:namePrefix": "amltest",
      "secure-azureml:personas": JSON.stringify({
        dataScientists: ["7d3e1a52-3c4b-4f0e-9a61-0b5c2d8e4f11"],
        readers: ["0f1e2d3c-4b5a-4697-8877-665544332211"],
      }),
    });
    const { loadStackConfig } = await import("../../program");
    let error: unknown;
    try {
      loadStackConfig();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).issues).toEqual([
      {
        key: "secure-azureml:personas.dataScientists[0]",
        value: '"7d3e1a52-3c4b-4f0e-9a61-0b5c2d8e4f11"',
        // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- an asymmetric matcher
        message: expect.stringMatching(
          /^is an example group id from the shipped stack files, not a group in your tenant .*az ad group show --group <name> --query id -o tsv/,
        ),
      },
    ]);
  });
});
