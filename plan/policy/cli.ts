import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { StackFileError, readStackFile } from "../stackFile";
import { PolicyConfigError } from "./config";
import { PlanFileError, readPlanFile } from "./planFile";
import { passes, renderReport } from "./report";
import { DEFAULT_PACK_DIR, PolicyPackError, REPO_ROOT, runPolicyCheck } from "./runner";

/**
 * `npm run policy -- PLAN.json [--config POLICY_CONFIG.json]`: evaluate the policy pack on a plan
 * written by `npm start -- --json`, through the same Analyzer gRPC service the Pulumi CLI uses.
 *
 * Exit codes: 0 no mandatory violation; 1 mandatory violations; 2 bad or missing plan, policy
 * config or stack config file; 3 the policy pack could not run (failed to load, a rule threw).
 */
const EXIT_PASS = 0;
const EXIT_MANDATORY_VIOLATIONS = 1;
const EXIT_BAD_INPUT = 2;
const EXIT_PACK_FAILED = 3;

interface CliOptions {
  config?: string;
  pack: string;
  stackConfig?: string;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("npm run policy --")
    .description("Check a plan file against the policy pack, offline, with the Pulumi CLI's code path (Analyzer gRPC).")
    .argument("<plan>", "a plan written by `npm start -- --json PATH`")
    .option("--config <path>", "policy pack config, the `pulumi preview --policy-pack-config` format (default: policy-config.<stack>.json at the repository root if it exists, else the pack defaults)")
    .option("--pack <dir>", "policy pack directory", DEFAULT_PACK_DIR)
    .option("--stack-config <path>", "stack config passed to the pack as PULUMI_CONFIG, like the CLI (default: Pulumi.<stack>.yaml at the repository root if it exists)")
    .exitOverride();
  program.parse(argv, { from: "user" });
  const options = program.opts<CliOptions>();

  let plan;
  let stackConfig;
  try {
    plan = readPlanFile(resolve(program.args[0]));
    const stackFile = options.stackConfig ? resolve(options.stackConfig) : join(REPO_ROOT, `Pulumi.${plan.stack}.yaml`);
    if (options.stackConfig || existsSync(stackFile)) stackConfig = readStackFile(stackFile);
  } catch (error) {
    if (error instanceof PlanFileError || error instanceof StackFileError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_BAD_INPUT;
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
    process.stdout.write(`${renderReport(report)}\n`);
    return passes(report) ? EXIT_PASS : EXIT_MANDATORY_VIOLATIONS;
  } catch (error) {
    if (error instanceof PolicyConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof PolicyPackError) {
      process.stderr.write(`policy check could not run: ${error.message}\n`);
      return EXIT_PACK_FAILED;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const commanderExit = error as { code?: string; exitCode?: number };
    if (typeof commanderExit.code === "string" && commanderExit.code.startsWith("commander.")) {
      // Usage errors (missing PLAN argument, unknown option) are bad input; --help and --version are not errors.
      process.exit(commanderExit.exitCode === 0 ? 0 : EXIT_BAD_INPUT);
    }
    process.stderr.write(`policy check failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT_PACK_FAILED);
  },
);
