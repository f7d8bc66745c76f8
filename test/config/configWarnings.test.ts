import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { configWarnings } from "../../config";
import { rawServingConfig, validateServingConfig } from "../../config";
import { rawConfigFromPulumi } from "../../config";
import { readStackFile } from "../../plan/stackFile";

/**
 * Warnings are logged by the programs after validation: they never block, but they must be right.
 * A shipped stack's whole config: the platform stack file merged with its serving stack file, as the serving program validates it.
 */
function shippedConfig(stack: string) {
  const platform = rawConfigFromPulumi(readStackFile(resolve(__dirname, `../../Pulumi.${stack}.yaml`)).config);
  const serving = rawServingConfig(readStackFile(resolve(__dirname, `../../serving/Pulumi.${stack}.yaml`)).config);
  const result = validateServingConfig(platform, serving);
  if (!result.ok) throw new Error(result.issues.map((i) => i.key).join(", "));
  return result.config;
}

describe("configWarnings", () => {
  it("does not warn about the job engine, the default of the shipped approved-outbound-only stacks", () => {
    const config = shippedConfig("prod");
    expect(config.workspace.outbound.mode).toBe("AllowOnlyApprovedOutbound");
    expect(Object.keys(config.modelMonitoring)).toEqual(["churn-blue"]);
    expect(configWarnings(config).filter((w) => w.key.startsWith("secure-azureml:modelMonitoring"))).toEqual([]);
  });

  it("warns that a builtin monitor's serverless Spark needs the managed network provisioned for Spark", () => {
    const prod = shippedConfig("prod");
    const monitor = { ...prod.modelMonitoring["churn-blue"], engine: "builtin" as const, compute: {} };
    const config = {
      ...prod,
      workspace: {
        ...prod.workspace,
        outbound: { ...prod.workspace.outbound, mode: "AllowInternetOutbound" as const },
      },
      modelMonitoring: { "churn-blue": monitor },
    };
    expect(configWarnings(config).filter((w) => w.key.startsWith("secure-azureml:modelMonitoring"))).toEqual([
      {
        key: "secure-azureml:modelMonitoring.churn-blue.engine",
        message:
          "is builtin: its serverless Spark jobs need the managed network provisioned for Spark once after the first deploy (`az ml workspace provision-network --include-spark`), which no resource property does",
      },
    ]);
  });

  it("warns when the workspace storage account is opened to the registry, and only then", () => {
    const dev = shippedConfig("dev");
    const registry = (shareFromWorkspace?: boolean) => ({
      ...dev.mlRegistry,
      enabled: true,
      mode: "publish" as const,
      shareFromWorkspace,
    });
    const keys = (config: typeof dev) => configWarnings(config).map((w) => w.key);
    expect(keys(dev)).not.toContain("secure-azureml:mlRegistry.shareFromWorkspace");
    expect(keys({ ...dev, mlRegistry: registry() })).not.toContain("secure-azureml:mlRegistry.shareFromWorkspace");
    expect(
      configWarnings({ ...dev, mlRegistry: registry(true) }).find(
        (w) => w.key === "secure-azureml:mlRegistry.shareFromWorkspace",
      )?.message,
    ).toBe(
      "is true: the workspace storage account's public endpoint is on (public network access Enabled, deny by default), admitting only the ML registry instance so that az ml model share works; turn it off when nothing is shared",
    );
  });
});
