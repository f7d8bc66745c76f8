import { Command, CommanderError } from "commander";
import { addDiffCommand } from "./commands/diff";
import { CliIo, PROCESS_IO, describeError } from "./commands/io";
import { addPlanCommand } from "./commands/plan";
import { addPolicyCommand } from "./commands/policy";
import { addPricesCommand } from "./commands/prices";
import { EXIT_CODE_HELP, ExitCode } from "./exitCodes";

/**
 * The planner's one command line: `plan` (the default), `policy`, `diff`, `prices`. The npm scripts
 * are aliases: `npm start` = `plan`, `npm run policy` = `policy`, `npm run plan-diff` = `diff`,
 * `npm run prices` = `prices`. Each subcommand lives in plan/commands/; the exit codes in plan/exitCodes.ts.
 */

/** Runs the CLI on `argv` (the arguments after the script) and returns the exit code; output goes to `io`. */
export async function main(argv: string[], io: CliIo = PROCESS_IO): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Success;
  const exit = (code: ExitCode) => {
    exitCode = code;
  };
  const cli = new Command()
    .name("npm start --")
    .description(
      "Offline planner: plan a stack, check a plan against the policy pack, compare two plans, refresh the bundled prices. Without a subcommand, `plan` runs.",
    )
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  const commands = [
    addPlanCommand(cli, io, exit),
    addPolicyCommand(cli, io, exit),
    addDiffCommand(cli, io, exit),
    addPricesCommand(cli, io, exit),
  ];
  cli.addHelpText(
    "after",
    `\nEach subcommand's options: npm start -- <command> --help (e.g. npm start -- plan --help).`,
  );
  for (const command of [cli, ...commands]) command.addHelpText("after", `\n${EXIT_CODE_HELP}`);
  try {
    await cli.parseAsync(argv, { from: "user" });
  } catch (error) {
    // The parser already wrote its message: --help and --version succeed, a usage error is bad input.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Success : ExitCode.BadInput;
    io.stderr.write(`plan/cli.ts failed: ${describeError(error)}\n`);
    return ExitCode.Failure;
  }
  return exitCode;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
