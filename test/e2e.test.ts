import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validatePlatformConfig } from "../config";
import { readPulumiConfig } from "../config";
import { findOnPath, skipReason } from "../e2e/preflight";
import { environmentVersionId, platformFacts } from "../e2e/platformOutputs";
import { E2eSettingsError, defaultNamePrefix, readE2eSettings } from "../e2e/settings";
import { testStackConfig } from "../e2e/stackConfig";
import { lockUrns } from "../e2e/teardown";

/**
 * The real deploy test (`npm run e2e`) cannot run here (no Pulumi CLI, no Azure): these tests cover
 * what decides whether and how it runs: the skip path end to end, the settings, the stack
 * configuration it deploys (valid for the real config schema), and the parts of the teardown and
 * the output reading that need no cloud.
 */

const ROOT = resolve(__dirname, "..");
const SUBSCRIPTION = "11111111-2222-3333-4444-555555555555";
const scratch = mkdtempSync(join(tmpdir(), "e2e-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A directory holding only the given executables (symlinks), to build a PATH without pulumi. */
function binDir(name: string, tools: Record<string, string>): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  for (const [tool, target] of Object.entries(tools)) symlinkSync(target, join(dir, tool));
  return dir;
}

describe("npm run e2e skips cleanly where it cannot run", () => {
  it("without the Pulumi CLI on PATH it prints why in one line and exits 0", () => {
    const npm = findOnPath("npm", process.env);
    expect(npm, "npm must be on the test's PATH").toBeDefined();
    // node, npm and the shell npm runs scripts with; tsx comes from node_modules/.bin, which npm adds.
    const bin = binDir("no-pulumi", {
      node: process.execPath,
      npm: realpathSync(npm as string),
      sh: realpathSync("/bin/sh"),
    });
    expect(findOnPath("pulumi", { PATH: bin })).toBeUndefined();
    const started = Date.now();
    const result = spawnSync("npm", ["run", "--silent", "e2e"], {
      cwd: ROOT,
      env: { PATH: bin, HOME: scratch, E2E_SUBSCRIPTION_ID: SUBSCRIPTION, npm_config_update_notifier: "false" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual([
      "e2e skipped: the Pulumi CLI is not on PATH (install it: https://www.pulumi.com/docs/install/, the version in package.json's @pulumi/pulumi).",
    ]);
    // Nothing heavy (Pulumi, Azure SDK) is loaded before the check.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  describe("skipReason", () => {
    const withPulumi = binDir("with-pulumi", {});
    writeFileSync(join(withPulumi, "pulumi"), "#!/bin/sh\n");
    chmodSync(join(withPulumi, "pulumi"), 0o755);

    it("asks for E2E_SUBSCRIPTION_ID (the opt-in) once the CLI is there", () => {
      expect(skipReason({ PATH: withPulumi, HOME: scratch })).toMatch(
        /^E2E_SUBSCRIPTION_ID is not set: name the dedicated, disposable subscription/,
      );
    });

    it("asks for Azure credentials when there are none (no OIDC, no service principal, no signed-in az)", () => {
      expect(
        skipReason({
          PATH: withPulumi,
          HOME: scratch,
          AZURE_CONFIG_DIR: join(scratch, "no-az"),
          E2E_SUBSCRIPTION_ID: SUBSCRIPTION,
        }),
      ).toMatch(/^no Azure credentials: sign in with `az login`/);
    });

    it("runs with GitHub OIDC variables (what the e2e workflow sets)", () => {
      expect(
        skipReason({
          PATH: withPulumi,
          E2E_SUBSCRIPTION_ID: SUBSCRIPTION,
          ARM_USE_OIDC: "true",
          ARM_CLIENT_ID: "c",
          ARM_TENANT_ID: "t",
        }),
      ).toBeUndefined();
    });

    it("does not take half an OIDC configuration for credentials", () => {
      expect(
        skipReason({
          PATH: withPulumi,
          HOME: scratch,
          AZURE_CONFIG_DIR: join(scratch, "no-az"),
          E2E_SUBSCRIPTION_ID: SUBSCRIPTION,
          ARM_USE_OIDC: "true",
          ARM_CLIENT_ID: "c",
        }),
      ).toMatch(/^no Azure credentials/);
    });
  });
});

describe("e2e settings", () => {
  it("defaults: stack e2e, westeurope, dev files, locks on, a stable name prefix, the organization stack reference", () => {
    const settings = readE2eSettings({ E2E_SUBSCRIPTION_ID: SUBSCRIPTION });
    expect(settings).toMatchObject({
      subscriptionId: SUBSCRIPTION,
      stack: "e2e",
      location: "westeurope",
      baseStack: "dev",
      locks: true,
      keep: false,
      platformStackRef: "organization/secure-azureml/e2e",
      clusterKey: "cpu",
      environmentKey: "churn-inference",
      endpointKey: "churn",
    });
    expect(settings.namePrefix).toBe(defaultNamePrefix("e2e"));
    expect(settings.namePrefix).toMatch(/^e2e[0-9a-f]{4}$/);
    expect(readE2eSettings({ E2E_SUBSCRIPTION_ID: SUBSCRIPTION, E2E_STACK: "other" }).namePrefix).not.toBe(
      settings.namePrefix,
    );
  });

  it.each([
    [{ E2E_SUBSCRIPTION_ID: "not-a-guid" }, 'E2E_SUBSCRIPTION_ID="not-a-guid" is not valid: a subscription id (GUID).'],
    [{ E2E_SUBSCRIPTION_ID: SUBSCRIPTION, E2E_LOCKS: "yes" }, 'E2E_LOCKS="yes" is not valid: use true or false.'],
    [
      { E2E_SUBSCRIPTION_ID: SUBSCRIPTION, E2E_NAME_PREFIX: "E2E" },
      'E2E_NAME_PREFIX="E2E" is not valid: 2-8 lowercase letters or digits, starting with a letter.',
    ],
  ])("rejects %j naming the variable, the value and what is accepted", (env, message) => {
    expect(() => readE2eSettings(env)).toThrow(new E2eSettingsError(message));
  });
});

describe("the platform stack the test deploys", () => {
  const settings = readE2eSettings({ E2E_SUBSCRIPTION_ID: SUBSCRIPTION, E2E_LOCATION: "northeurope" });
  const config = testStackConfig("platform", settings);

  it("is the shipped dev stack with the overlay and the settings: empty personas, locks on, protect off, pinned subscription", () => {
    expect(config["azure-native:subscriptionId"]).toBe(SUBSCRIPTION);
    expect(config["azure-native:location"]).toBe("northeurope");
    expect(config["secure-azureml:location"]).toBe("northeurope");
    expect(config["secure-azureml:namePrefix"]).toBe(settings.namePrefix);
    expect(config["secure-azureml:protection"]).toEqual({ locks: true, protect: false });
    expect(config["secure-azureml:personas"]).toEqual({ dataScientists: [], mlEngineers: [], readers: [] });
    expect(config["secure-azureml:keyVault"]).toEqual({ softDeleteRetentionDays: 7 });
  });

  it("passes the platform's own config validation (what pulumi up checks first)", () => {
    const all = Object.fromEntries(
      Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
    );
    const { raw, unreadKeys } = readPulumiConfig(all);
    const result = validatePlatformConfig(raw, { unreadKeys });
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it("the serving stack is the shipped one with the platform stack reference and the pinned subscription", () => {
    const serving = testStackConfig("serving", settings);
    expect(serving["secure-azureml-serving:platformStack"]).toBe("organization/secure-azureml/e2e");
    expect(serving["azure-native:subscriptionId"]).toBe(SUBSCRIPTION);
    expect(serving["secure-azureml-serving:models"]).toEqual({ churn: { version: "1" } });
  });
});

describe("platform outputs the test reads", () => {
  const settings = readE2eSettings({ E2E_SUBSCRIPTION_ID: SUBSCRIPTION });
  const ws = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-e2e/providers/Microsoft.MachineLearningServices/workspaces/mlw-e2e`;
  const outputs = {
    resourceGroupName: { value: "rg-e2e", secret: false },
    workspaceName: { value: "mlw-e2e", secret: false },
    computeClusters: { value: { cpu: "cpu-1a2b3c" }, secret: false },
    assets: { value: { environments: { "churn-inference": "azureml:churn-inference:4f2a" } }, secret: false },
    identities: { value: { compute: { clientId: "client-1", principalId: "principal-1" } }, secret: false },
  };

  it("builds the ARM ids the job body takes", () => {
    expect(platformFacts(outputs, settings)).toEqual({
      subscriptionId: SUBSCRIPTION,
      resourceGroupName: "rg-e2e",
      workspaceName: "mlw-e2e",
      computeId: `${ws}/computes/cpu-1a2b3c`,
      environmentId: `${ws}/environments/churn-inference/versions/4f2a`,
      computeIdentity: { clientId: "client-1", principalId: "principal-1" },
    });
    expect(environmentVersionId(`${ws}/environments/x/versions/1`, ws)).toBe(`${ws}/environments/x/versions/1`);
  });

  it("names a missing output", () => {
    expect(() => platformFacts({ ...outputs, computeClusters: { value: {}, secret: false } }, settings)).toThrow(
      "the platform stack has no output computeClusters.cpu (compute cluster E2E_CLUSTER=cpu)",
    );
  });
});

describe("teardown", () => {
  it("finds the management locks in a stack's state (removed before the full destroy)", () => {
    const deployment = {
      resources: [
        { urn: "urn:a", type: "azure-native:storage:StorageAccount" },
        { urn: "urn:lock", type: "azure-native:authorization:ManagementLockByScope" },
        { urn: "urn:lock-rg", type: "azure-native:authorization:ManagementLockAtResourceGroupLevel" },
      ],
    };
    expect(lockUrns(deployment)).toEqual(["urn:lock", "urn:lock-rg"]);
    expect(lockUrns(undefined)).toEqual([]);
  });
});
