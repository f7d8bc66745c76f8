import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { configWarnings } from "../../components/config/computeRules";
import { rawConfigFromPulumi, validateStackConfig } from "../../components/config/validate";
import { readStackFile } from "../../plan/stackFile";

/** Warnings are logged by the program after validation: they never block, but they must be right. */
function shippedConfig(stack: string) {
  const result = validateStackConfig(rawConfigFromPulumi(readStackFile(resolve(__dirname, `../../Pulumi.${stack}.yaml`)).config));
  if (!result.ok) throw new Error(result.issues.map((i) => i.key).join(", "));
  return result.config;
}

describe("configWarnings", () => {
  it("warns that model monitoring is documented as unsupported with approved-outbound-only isolation", () => {
    const config = shippedConfig("prod");
    expect(config.workspace.outbound.mode).toBe("AllowOnlyApprovedOutbound");
    const warning = configWarnings(config).find((w) => w.key === "secure-azureml:modelMonitoring");
    expect(warning?.message).toContain("does not support the AllowOnlyApprovedOutbound managed network");
  });

  it("does not warn about monitoring when nothing is monitored", () => {
    const config = { ...shippedConfig("prod"), modelMonitoring: {} };
    expect(configWarnings(config).map((w) => w.key)).not.toContain("secure-azureml:modelMonitoring");
  });
});
