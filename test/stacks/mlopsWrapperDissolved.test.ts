import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_NAME } from "../../config";
import { planProgramWithOutputs } from "../../plan/engine";
import { Plan } from "../../plan/contract";
import { readStackFile } from "../../plan/stackFile";
import { ofType, one } from "../support/plan";

/**
 * The MlopsRegistry wrapper is gone (issue 11): the platform program creates the ML registry and
 * the versioned assets itself. The registry was already the environment's child; the assets
 * component was the wrapper's, so it carries an alias to its old URN (old parent, old type) and a
 * deployed stack moves it, and the asset versions under it, instead of replacing them.
 */
const ENV = "secure-azureml:environment:SecureMlEnvironment";

describe("versioned assets without the MlopsRegistry wrapper (shipped dev stack)", () => {
  let plan: Plan;
  let outputs: Record<string, unknown>;

  beforeAll(async () => {
    const stack = readStackFile(resolve(__dirname, "../../Pulumi.dev.yaml"));
    const result = await planProgramWithOutputs({
      project: PROJECT_NAME,
      stack: "dev",
      config: stack.config,
      secretKeys: stack.secretKeys,
      secretPlaceholders: stack.secretKeys,
      program: async () => {
        const { loadStackConfig } = await import("../../program");
        const { SecureMlEnvironment } = await import("../../platform/environment");
        const { config } = loadStackConfig();
        const env = new SecureMlEnvironment(config.namePrefix, { config });
        // The alias URNs Pulumi computed from `opts.aliases` (internal field, resolved to strings by the mock engine).
        return { assetAliases: (env.mlops.assets as unknown as { __aliases: unknown[] }).__aliases };
      },
    });
    plan = result.plan;
    outputs = result.rawOutputs;
  });

  it("creates no MlopsRegistry component, and the assets component directly under the environment", () => {
    expect(plan.resources.filter((r) => r.type.includes("MlopsRegistry"))).toEqual([]);
    const environment = one(plan, ENV, "amldev");
    expect(one(plan, "secure-azureml:index:VersionedAssets", "amldev-mlops-registry-assets").parent).toBe(
      environment.urn,
    );
    expect(
      ofType(plan, "azure-native:machinelearningservices:EnvironmentVersion").filter((r) =>
        r.name.startsWith("amldev-mlops-registry-assets-env-"),
      ),
    ).toHaveLength(1);
  });

  it("aliases the assets component to its URN under the wrapper, with its old type", () => {
    const old = `urn:pulumi:dev::${PROJECT_NAME}::${ENV}$secure-azureml:mlops:MlopsRegistry$secure-azureml:assets:VersionedAssets::amldev-mlops-registry-assets`;
    expect(outputs.assetAliases).toContain(old);
  });
});
