import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { ExitCode } from "../exitCodes";
import { PolicyConfigError } from "../policy/config";
import { PlanFileError, readPlanFile } from "../policy/planFile";
import { passes } from "../policy/report";
import { DEFAULT_PACK_DIR, PolicyPackError, REPO_ROOT, runPolicyCheck } from "../policy/runner";
import { renderReport } from "../report";
import { StackFileConfig, StackFileError, readStackFile } from "../stackFile";
import { CliIo, guarded } from "./io";

/**
 * `npm run policy -- PLAN.json [--config POLICY_CONFIG.json]`: evaluate the policy pack on a plan
 * written by `npm start -- --json`, through the same Analyzer gRPC service the Pulumi CLI uses.
 * The gate: exits 1 on mandatory violations, 3 when the pack cannot run.
 */

export interface PolicyOptions {
  config?: string;
  pack: string;
  stackConfig?: string;
}

/** Adds `policy` to the CLI. */
export function addPolicyCommand(cli: Command, io: CliIo, exit: (code: ExitCode) => void): Command {
  return cli
    .command("policy")
    .summary("check a plan file against the policy pack: the gate (`npm run policy`)")
    .description(
      "Check a plan file against the policy pack, offline, with the Pulumi CLI's code path (Analyzer gRPC). Alias: `npm run policy -- PLAN.json`.",
    )
    .argument("<plan>", "a plan written by `npm start -- --json PATH`")
    .option(
      "--config <path>",
      "policy pack config, the `pulumi preview --policy-pack-config` format (default: policy-config.<stack>.json at the repository root if it exists, else the pack defaults)",
    )
    .option("--pack <dir>", "policy pack directory", DEFAULT_PACK_DIR)
    .option(
      "--stack-config <path>",
      "stack config passed to the pack as PULUMI_CONFIG, like the CLI (default: Pulumi.<stack>.yaml at the repository root if it exists)",
    )
    .action(async (planPath: string, options: PolicyOptions) => {
      exit(await guarded(io, "policy check", ExitCode.PolicyPackFailed, () => runPolicy(planPath, options, io)));
    });
}

export async function runPolicy(planPath: string, options: PolicyOptions, io: CliIo): Promise<ExitCode> {
  let plan;
  let stackConfig: StackFileConfig | undefined;
  try {
    plan = readPlanFile(resolve(planPath));
    const stackFile = options.stackConfig ? resolve(options.stackConfig) : join(REPO_ROOT, `Pulumi.${plan.stack}.yaml`);
    if (options.stackConfig || existsSync(stackFile)) stackConfig = readStackFile(stackFile);
  } catch (error) {
    if (error instanceof PlanFileError || error instanceof StackFileError) {
      io.stderr.write(`${error.message}\n`);
      return ExitCode.BadInput;
    }
    throw error;
  }

  try {
    const report = await runPolicyCheck(plan, {
      packDir: resolve(options.pack),
      configFile: options.config === undefined ? undefined : resolve(options.config),
      stackConfig: stackConfig?.config,
      stackSecretKeys: stackConfig?.secretKeys,
    });
    io.stdout.write(`${renderReport(report)}\n`);
    return passes(report) ? ExitCode.Success : ExitCode.MandatoryViolations;
  } catch (error) {
    if (error instanceof PolicyConfigError) {
      io.stderr.write(`${error.message}\n`);
      return ExitCode.BadInput;
    }
    if (error instanceof PolicyPackError) {
      io.stderr.write(`policy check could not run: ${error.message}\n`);
      return ExitCode.PolicyPackFailed;
    }
    throw error;
  }
}
