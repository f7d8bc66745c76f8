import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command, Option } from "commander";
import { Plan } from "../contract";
import { estimateDeployTime } from "../deployTime/estimate";
import { PlanWithPolicy, diffPlans, estimatePlanCosts, renderPlanDiff } from "../diff";
import { ExitCode } from "../exitCodes";
import { renderPullRequestReport } from "../report/pullRequest";
import { terminalOf } from "../terminal/style";
import { CliIo, guarded } from "./io";

/** `npm run plan-diff -- BASE.json HEAD.json [--markdown PATH]`: compare two plans written by `npm start -- --json`. */

export interface DiffOptions {
  markdown?: string;
  prices: "bundled" | "live";
}

class PlanFileError extends Error {}

/** A plan file as plan-diff needs it (version 1, resources, stack); its `policy`, when present, feeds the policy delta. */
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

/** Adds `diff` to the CLI. */
export function addDiffCommand(cli: Command, io: CliIo, exit: (code: ExitCode) => void): Command {
  return cli
    .command("diff")
    .summary("compare two plan files (`npm run plan-diff`)")
    .description(
      "Compare two offline plans (`npm start -- --json PATH`): resources added, removed and changed (and which changes replace), cost delta, new and fixed policy violations. Alias: `npm run plan-diff -- BASE.json HEAD.json`.",
    )
    .argument("<base>", "plan JSON of the base (e.g. the target branch)")
    .argument("<head>", "plan JSON of the head (the change under review)")
    .option(
      "--markdown <path>",
      "also write the pull-request report: the change first (counts, cost, deploy-time and policy deltas, a diagram of the change), then the head's full environment report, collapsed",
    )
    .addOption(
      new Option("--prices <source>", "prices for the cost delta").choices(["bundled", "live"]).default("bundled"),
    )
    .action(async (basePath: string, headPath: string, options: DiffOptions) => {
      exit(await guarded(io, "plan-diff", ExitCode.Failure, () => runDiff(basePath, headPath, options, io)));
    });
}

export async function runDiff(basePath: string, headPath: string, options: DiffOptions, io: CliIo): Promise<ExitCode> {
  let base: PlanWithPolicy;
  let head: PlanWithPolicy;
  try {
    base = readPlan(basePath);
    head = readPlan(headPath);
  } catch (error) {
    if (error instanceof PlanFileError) {
      io.stderr.write(`${error.message}\n`);
      return ExitCode.BadInput;
    }
    throw error;
  }

  const costs = await estimatePlanCosts(base, head, { prices: options.prices });
  const diff = await diffPlans(base, head, { prices: options.prices }, costs);
  io.stdout.write(`${renderPlanDiff(diff, { width: terminalOf(io).columns })}\n`);
  if (options.markdown) {
    const report = renderPullRequestReport({
      base,
      head,
      diff,
      headCost: costs.head,
      deployTime: { base: estimateDeployTime(base), head: estimateDeployTime(head) },
    });
    writeFileSync(resolve(options.markdown), `${report}\n`);
    io.stdout.write(`Markdown written to ${options.markdown}\n`);
  }
  return ExitCode.Success;
}
