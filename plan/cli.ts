import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command } from "commander";
import { PROJECT_NAME } from "../components/config/validate";
import { ConfigValidationError, formatIssue } from "../components/config/errors";
import { StackFileError, readStackFile } from "./stackFile";
import { renderSummary } from "./summary";

/** Exit codes: 0 planned, 1 unexpected failure, 2 configuration error (nothing written). */
const EXIT_CONFIG_ERROR = 2;

interface CliOptions {
  stack: string;
  configFile?: string;
  json?: string;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("npm start --")
    .description("Plan a stack offline: run the real Pulumi program under the mock engine and report what `pulumi up` would create.")
    .option("--stack <name>", "stack to plan (reads Pulumi.<name>.yaml)", "dev")
    .option("--config-file <path>", "a file in the Pulumi.<stack>.yaml format, used instead of the stack's file")
    .option("--json <path>", "also write the machine-readable plan (see README: Plan JSON contract)")
    .exitOverride();
  program.parse(argv, { from: "user" });
  const options = program.opts<CliOptions>();
  const source = options.configFile ?? `Pulumi.${options.stack}.yaml`;

  let stackFile;
  try {
    stackFile = readStackFile(resolve(source));
  } catch (error) {
    if (error instanceof StackFileError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_CONFIG_ERROR;
    }
    throw error;
  }

  const { planProgram } = await import("./engine");
  let plan;
  try {
    plan = await planProgram({
      project: PROJECT_NAME,
      stack: options.stack,
      config: stackFile.config,
      secretKeys: stackFile.secretKeys,
      secretPlaceholders: stackFile.secretKeys,
      program: () => require("../index"),
    });
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`Configuration error in ${source} (${error.issues.length} problem${error.issues.length === 1 ? "" : "s"}); nothing was planned:\n`);
      for (const issue of error.issues) process.stderr.write(`  - ${formatIssue(issue)}\n`);
      return EXIT_CONFIG_ERROR;
    }
    throw error;
  }

  if (options.json) writeFileSync(resolve(options.json), `${JSON.stringify(plan, null, 2)}\n`);
  process.stdout.write(`${renderSummary(plan, source)}\n`);
  if (options.json) process.stdout.write(`\nPlan written to ${options.json}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const commanderExit = error as { code?: string; exitCode?: number };
    if (typeof commanderExit.code === "string" && commanderExit.code.startsWith("commander.")) process.exit(commanderExit.exitCode ?? 1);
    process.stderr.write(`plan failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
