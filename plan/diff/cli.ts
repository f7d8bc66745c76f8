import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command, Option } from "commander";
import { Plan } from "../contract";
import { PlanWithPolicy, diffPlans } from "./diff";
import { renderPlanDiff } from "./render";

/** Exit codes: 0 compared, 1 unexpected failure, 2 a plan file is missing or not a plan. */
const EXIT_BAD_INPUT = 2;

class PlanFileError extends Error {}

function readPlan(path: string): PlanWithPolicy {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(resolve(path), "utf8"));
  } catch (error) {
    throw new PlanFileError(`cannot read plan ${path}: ${(error as Error).message}`);
  }
  const plan = value as Partial<Plan> | null;
  if (!plan || plan.version !== 1 || !Array.isArray(plan.resources) || typeof plan.stack !== "string") {
    throw new PlanFileError(`${path} is not a version 1 plan (write one with \`npm start -- --json ${path}\`)`);
  }
  return plan as PlanWithPolicy;
}

interface CliOptions {
  markdown?: string;
  prices: "bundled" | "live";
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("npm run plan-diff --")
    .description("Compare two offline plans (`npm start -- --json PATH`): resources added, removed and changed (and which changes replace), cost delta, new and fixed policy violations.")
    .argument("<base>", "plan JSON of the base (e.g. the target branch)")
    .argument("<head>", "plan JSON of the head (the change under review)")
    .option("--markdown <path>", "also write the diff as PR-ready markdown")
    .addOption(new Option("--prices <source>", "prices for the cost delta").choices(["bundled", "live"]).default("bundled"))
    .exitOverride();
  program.parse(argv, { from: "user" });
  const [basePath, headPath] = program.args;
  const options = program.opts<CliOptions>();

  let base: PlanWithPolicy;
  let head: PlanWithPolicy;
  try {
    base = readPlan(basePath);
    head = readPlan(headPath);
  } catch (error) {
    if (error instanceof PlanFileError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }

  const diff = await diffPlans(base, head, { prices: options.prices });
  process.stdout.write(`${renderPlanDiff(diff)}\n`);
  if (options.markdown) {
    writeFileSync(resolve(options.markdown), `${renderPlanDiff(diff, { format: "markdown" })}\n`);
    process.stdout.write(`Markdown written to ${options.markdown}\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const commanderExit = error as { code?: string; exitCode?: number };
    // Commander already printed its message; usage errors are bad input, help and version exit 0.
    if (typeof commanderExit.code === "string" && commanderExit.code.startsWith("commander.")) process.exit(commanderExit.exitCode === 0 ? 0 : EXIT_BAD_INPUT);
    process.stderr.write(`plan-diff failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
