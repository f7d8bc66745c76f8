/**
 * `npm run e2e`: the real deploy test (docs/ci-cd.md, "Real deploy test"). With the Pulumi
 * Automation API, in a dedicated subscription:
 *   1. platform `pulumi up` (from an empty subscription)
 *   2. platform idempotency: refresh + preview must report no changes
 *   3. build the model churn:1 and upload the scoring code churn-scoring:1 from a job inside the
 *      managed network, register both (the assets the shipped serving stack names)
 *   4. serving `pulumi up` (reads the platform stack and the model)
 *   5. score the online endpoint from a job inside the managed network
 *   6. serving idempotency
 *   7. destroy serving, remove the platform's locks, destroy the platform, check nothing is left
 * Teardown always runs (unless E2E_KEEP=true), also after a failed step.
 *
 * Without the Pulumi CLI, E2E_SUBSCRIPTION_ID or Azure credentials it prints why and exits 0.
 * Nothing heavy is imported before that check.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { skipReason } from "./preflight";
import { E2eSettingsError, readE2eSettings, type E2eSettings } from "./settings";

const log = (line: string) => {
  process.stdout.write(`${line}\n`);
};
const streamOutput = (out: string) => {
  process.stdout.write(out);
};

async function main(): Promise<number> {
  const reason = skipReason(process.env);
  if (reason !== undefined) {
    log(`e2e skipped: ${reason}`);
    return 0;
  }
  let settings: E2eSettings;
  try {
    settings = readE2eSettings(process.env);
  } catch (error) {
    if (error instanceof E2eSettingsError) {
      log(`e2e: ${error.message}`);
      return 2;
    }
    throw error;
  }
  return realDeployTest(settings);
}

async function realDeployTest(settings: E2eSettings): Promise<number> {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const { defaultArmClient } = await import("./arm");
  const { platformFacts } = await import("./platformOutputs");
  const { LAYERS, REPO_ROOT, writeTestStackFile } = await import("./stackConfig");
  const { registerServingAssets, scoreEndpoint } = await import("./workspaceJobs");
  const { removeLocks, verifyPlatformGone } = await import("./teardown");
  type Stack = Awaited<ReturnType<typeof LocalWorkspace.createOrSelectStack>>;
  type Layer = keyof typeof LAYERS;

  const arm = await defaultArmClient();
  const policyConfig = join(REPO_ROOT, `policy-config.${settings.baseStack}.json`);
  // The same policy pack and config as the deploy workflow.
  const policy = {
    policyPacks: [join(REPO_ROOT, "policies")],
    policyPackConfigs: existsSync(policyConfig) ? [policyConfig] : [],
  };
  const started = Date.now();
  const elapsed = () => `${String(Math.round((Date.now() - started) / 60_000))} min`;

  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    log(`\n== ${name} (at ${elapsed()})`);
    const result = await run();
    log(`== ${name}: done (at ${elapsed()})`);
    return result;
  };

  const open = async (layer: Layer): Promise<Stack> => {
    writeTestStackFile(layer, settings);
    // The serving layer deploys with its own, narrower identity when E2E_SERVING_CLIENT_ID names one.
    const envVars: Record<string, string> =
      layer === "serving" && settings.servingClientId ? { ARM_CLIENT_ID: settings.servingClientId } : {};
    return LocalWorkspace.createOrSelectStack(
      { stackName: settings.stack, workDir: LAYERS[layer].workDir },
      { secretsProvider: settings.secretsProvider, envVars },
    );
  };

  /** A refresh and a preview that must find nothing to change: what Azure returns equals what the program sends. */
  const expectNoChanges = async (stack: Stack): Promise<void> => {
    const result = await stack.preview({
      refresh: true,
      expectNoChanges: true,
      diff: true,
      color: "never",
      onOutput: streamOutput,
      ...policy,
    });
    const changes = Object.entries(result.changeSummary).filter(
      ([op, count]) => !["same", "read", "refresh"].includes(op) && count > 0,
    );
    if (changes.length > 0)
      throw new Error(`second run is not a no-op: ${JSON.stringify(Object.fromEntries(changes))}`);
  };

  let platform: Stack | undefined;
  let serving: Stack | undefined;
  let resourceGroupName: string | undefined;
  let failed = false;
  try {
    platform = await open("platform");
    const platformStack = platform;
    await step("platform: pulumi up", () => platformStack.up({ color: "never", onOutput: streamOutput, ...policy }));
    await step("platform: idempotency (refresh + preview, no changes expected)", () => expectNoChanges(platformStack));
    const facts = platformFacts(await platformStack.outputs(), settings);
    resourceGroupName = facts.resourceGroupName;

    await step("register the model churn:1 and the code churn-scoring:1 from a job in the managed network", () =>
      registerServingAssets(arm, facts, settings.stack, log),
    );

    serving = await open("serving");
    const servingStack = serving;
    const servingUp = await step("serving: pulumi up", () =>
      servingStack.up({ color: "never", onOutput: streamOutput, ...policy }),
    );
    const endpoints = (servingUp.outputs as Partial<typeof servingUp.outputs>).onlineEndpoints?.value as
      Record<string, { name?: string } | undefined> | undefined;
    const endpointName = endpoints?.[settings.endpointKey]?.name;
    if (!endpointName)
      throw new Error(`the serving stack has no output onlineEndpoints.${settings.endpointKey}.name (E2E_ENDPOINT)`);
    await step(`score ${endpointName} from a job in the managed network`, () =>
      scoreEndpoint(arm, facts, endpointName, log),
    );
    await step("serving: idempotency (refresh + preview, no changes expected)", () => expectNoChanges(servingStack));
  } catch (error) {
    failed = true;
    log(`\ne2e FAILED at ${elapsed()}: ${error instanceof Error ? error.message : String(error)}`);
  }

  if (settings.keep) {
    log(
      `\nE2E_KEEP=true: stack ${settings.stack} is left deployed; destroy it by hand: pulumi destroy --stack ${settings.stack} in serving/, then (locks first) in the root.`,
    );
    return failed ? 1 : 0;
  }
  try {
    const servingStack =
      serving ??
      (existsSync(join(LAYERS.serving.workDir, `Pulumi.${settings.stack}.yaml`)) ? await open("serving") : undefined);
    if (servingStack)
      await step("serving: destroy", () =>
        servingStack.destroy({ color: "never", onOutput: streamOutput, remove: true }),
      );
    const platformStack = platform ?? (await open("platform"));
    resourceGroupName ??= ((await platformStack.outputs()) as Partial<Awaited<ReturnType<Stack["outputs"]>>>)
      .resourceGroupName?.value as string | undefined;
    await step("platform: remove locks, destroy", async () => {
      await removeLocks(platformStack, streamOutput, log);
      await platformStack.destroy({ color: "never", onOutput: streamOutput, remove: true });
    });
    if (resourceGroupName) {
      const group = resourceGroupName;
      await step("check that nothing is left", () => verifyPlatformGone(arm, settings.subscriptionId, group, log));
    }
  } catch (error) {
    failed = true;
    log(`\ne2e TEARDOWN FAILED at ${elapsed()}: ${error instanceof Error ? error.message : String(error)}`);
    log(
      `Resources of stack ${settings.stack} may remain in subscription ${settings.subscriptionId}: pulumi destroy --stack ${settings.stack} in serving/, then in the root.`,
    );
  }
  log(failed ? `\ne2e failed after ${elapsed()}` : `\ne2e passed in ${elapsed()}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`e2e: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
