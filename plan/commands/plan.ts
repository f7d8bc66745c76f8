import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command, Option } from "commander";
import { PROJECT_NAME } from "../../config";
import { ConfigValidationError, formatIssue } from "../../config";
import { estimateCost, renderCostTable } from "../cost";
import { estimateDeployTime, renderDeployTime } from "../deployTime";
import { ExitCode } from "../exitCodes";
import { hasServingStack, servingStackFileFor } from "../layers";
import { PolicyConfigError, PolicyPackConfig, readPolicyPackConfig } from "../policy/config";
import { PolicyReport, policySummary } from "../policy/report";
import { DEFAULT_PACK_DIR, PolicyPackSession, checkPlan, defaultPolicyConfigPath } from "../policy/runner";
import { renderMarkdownReport } from "../report";
import { StackFileConfig, StackFileError, readStackFile } from "../stackFile";
import { PolicyOutcome, renderSummary } from "../summary";
import {
  DETAIL_SECTIONS,
  DetailSection,
  renderConfigWarnings,
  renderKeySettings,
  renderOutputs,
  renderPolicyDetails,
  renderResourcesByType,
} from "../terminal/details";
import { progress, setProgressOutput } from "../terminal/progress";
import { collectRuntimeWarnings } from "../terminal/runtimeWarnings";
import { Terminal, terminalOf } from "../terminal/style";
import { CliIo, guarded } from "./io";

/** `npm start -- [options]` (the default subcommand): plan both layers offline, check the policy pack, estimate cost and deploy time. */

export interface PlanOptions {
  stack: string;
  configFile?: string;
  servingConfigFile?: string;
  serving: boolean;
  json?: string;
  markdown?: string;
  prices: "bundled" | "live";
  policyConfig?: string;
  policyPack: string;
  policy: boolean;
  /** Optional. `--details` alone is `true` (every section); `--details cost,policy` names sections. */
  details?: boolean | string;
}

type SessionOutcome = { session: PolicyPackSession } | { error: unknown };

interface PolicyConfigSource {
  source: string | null;
  config: PolicyPackConfig;
}

/** Adds `plan` to the CLI, as the subcommand that runs when none is named. */
export function addPlanCommand(cli: Command, io: CliIo, exit: (code: ExitCode) => void): Command {
  return cli
    .command("plan", { isDefault: true })
    .summary("plan a stack offline, check it, estimate cost and deploy time (the default; `npm start`)")
    .description(
      "Plan a stack offline: run the real Pulumi program under the mock engine and report what `pulumi up` would create (the default subcommand: `npm start -- [options]`).",
    )
    .option("--stack <name>", "stack to plan (reads Pulumi.<name>.yaml)", "dev")
    .option(
      "--config-file <path>",
      "a file in the Pulumi.<stack>.yaml format, used instead of the platform stack's file",
    )
    .option(
      "--serving-config-file <path>",
      "the serving stack's file (default: serving/Pulumi.<stack>.yaml beside the platform file, when it exists)",
    )
    .option("--no-serving", "plan the platform layer only")
    .option("--json <path>", "also write the machine-readable plan (see README: Plan JSON contract)")
    .option(
      "--markdown <path>",
      "also write the pull-request report: summary, policy verdict, cost, deploy time, diagram",
    )
    .addOption(
      new Option("--prices <source>", "price source for the cost estimate")
        .choices(["bundled", "live"])
        .default("bundled"),
    )
    .option(
      "--policy-config <path>",
      "policy pack config for the policy check (default: policy-config.<stack>.json if it exists, else the pack defaults)",
    )
    .option("--policy-pack <dir>", "policy pack directory, as for `pulumi preview --policy-pack`", DEFAULT_PACK_DIR)
    .option("--no-policy", "skip the policy check")
    .option(
      "--details [sections]",
      `after the summary, print the full tables: all, or a comma-separated list of ${DETAIL_SECTIONS.join(", ")}`,
    )
    .action(async (options: PlanOptions) => {
      exit(await guarded(io, "plan", ExitCode.Failure, () => runPlan(options, io)));
    });
}

/** The sections `--details` asks for (none without it); throws on a section name it does not know. */
export function detailSections(details: boolean | string | undefined): DetailSection[] {
  if (details === undefined || details === false) return [];
  if (details === true) return [...DETAIL_SECTIONS];
  const named = details
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const unknown = named.filter((name) => !(DETAIL_SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new DetailsOptionError(
      `--details: unknown section ${unknown.map((name) => `"${name}"`).join(", ")}; accepted: ${DETAIL_SECTIONS.join(", ")} (or --details alone for all)`,
    );
  return named.length === 0 ? [...DETAIL_SECTIONS] : (named as DetailSection[]);
}

class DetailsOptionError extends Error {}

/** Reads the stack files, starts the policy pack beside the planning, and reports. A bad stack file exits 2 before anything runs. */
export async function runPlan(options: PlanOptions, io: CliIo): Promise<ExitCode> {
  let sections: DetailSection[];
  try {
    sections = detailSections(options.details);
  } catch (error) {
    if (error instanceof DetailsOptionError) {
      io.stderr.write(`${error.message}\n`);
      return ExitCode.BadInput;
    }
    throw error;
  }
  const terminal = terminalOf(io);
  setProgressOutput(terminal.progress);
  try {
    return await readAndPlan(options, io, terminal, sections);
  } finally {
    setProgressOutput(undefined);
  }
}

async function readAndPlan(
  options: PlanOptions,
  io: CliIo,
  terminal: Terminal,
  sections: DetailSection[],
): Promise<ExitCode> {
  const source = options.configFile ?? `Pulumi.${options.stack}.yaml`;
  const servingSource = options.serving
    ? (options.servingConfigFile ??
      (hasServingStack(resolve(source), options.stack) ? servingStackFileFor(source, options.stack) : undefined))
    : undefined;

  let stackFile: StackFileConfig;
  let servingFile: StackFileConfig | undefined;
  try {
    stackFile = readStackFile(resolve(source));
    servingFile = servingSource === undefined ? undefined : readStackFile(resolve(servingSource));
  } catch (error) {
    if (error instanceof StackFileError) {
      io.stderr.write(`${error.message}\n`);
      return ExitCode.BadInput;
    }
    throw error;
  }

  // The policy pack starts in its own process while the program is planned here.
  let policyConfig: PolicyConfigSource | undefined;
  let starting: Promise<SessionOutcome> | undefined;
  const abort = new AbortController();
  if (options.policy) {
    const policySource = options.policyConfig ? resolve(options.policyConfig) : defaultPolicyConfigPath(options.stack);
    try {
      policyConfig = { source: policySource, config: policySource ? readPolicyPackConfig(policySource) : {} };
    } catch (error) {
      if (error instanceof PolicyConfigError) {
        io.stderr.write(`${error.message}\n`);
        return ExitCode.BadInput;
      }
      throw error;
    }
    const loaded = progress("loading the policy pack");
    starting = PolicyPackSession.start({
      packDir: resolve(options.policyPack),
      project: PROJECT_NAME,
      stack: options.stack,
      stackConfig: { ...stackFile.config, ...(servingFile?.config ?? {}) },
      stackSecretKeys: [...stackFile.secretKeys, ...(servingFile?.secretKeys ?? [])],
      signal: abort.signal,
    })
      .then(
        (session) => ({ session }),
        (error: unknown) => ({ error }),
      )
      .finally(loaded);
  }
  try {
    return await planAndCheck(
      options,
      io,
      { platform: source, serving: servingSource },
      { platform: stackFile, serving: servingFile },
      policyConfig,
      starting,
      { terminal, sections },
    );
  } finally {
    // Stops a pack still loading (planning failed); a started session is closed below.
    abort.abort();
    const outcome = await starting;
    if (outcome && "session" in outcome) await outcome.session.close();
  }
}

async function planAndCheck(
  options: PlanOptions,
  io: CliIo,
  sources: { platform: string; serving?: string },
  stackFiles: { platform: StackFileConfig; serving?: StackFileConfig },
  policyConfig: PolicyConfigSource | undefined,
  starting: Promise<SessionOutcome> | undefined,
  output: { terminal: Terminal; sections: DetailSection[] },
): Promise<ExitCode> {
  const source = [sources.platform, sources.serving].filter((s) => s !== undefined).join(" + ");
  let plan;
  let configWarnings: string[];
  const planned = progress(`planning stack ${options.stack}${stackFiles.serving ? " (platform, then serving)" : ""}`);
  try {
    const { planLayers } = await import("../layers");
    // Both layers, in deploy order: the platform, then the serving stack fed the platform plan's outputs.
    ({ result: plan, warnings: configWarnings } = await collectRuntimeWarnings(() =>
      planLayers({ stack: options.stack, platform: stackFiles.platform, serving: stackFiles.serving }),
    ));
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      io.stderr.write(
        `Configuration error in ${source} (${error.issues.length} problem${error.issues.length === 1 ? "" : "s"}); nothing was planned:\n`,
      );
      for (const issue of error.issues) io.stderr.write(`  - ${formatIssue(issue)}\n`);
      return ExitCode.BadInput;
    }
    throw error;
  } finally {
    planned();
  }

  let policy: PolicyOutcome = { kind: "skipped", reason: "--no-policy" };
  let report: PolicyReport | undefined;
  let policyError: { message: string; code: ExitCode } | undefined;
  if (starting && policyConfig) {
    const outcome = await starting;
    const analysed = progress("checking the plan against the policy pack");
    try {
      if ("error" in outcome) throw outcome.error;
      report = await checkPlan(outcome.session, plan, policyConfig);
      plan.policy = policySummary(report);
      policy = { kind: "checked", report };
    } catch (error) {
      const code = error instanceof PolicyConfigError ? ExitCode.BadInput : ExitCode.Failure;
      policyError = { message: error instanceof Error ? error.message : String(error), code };
      policy = { kind: "failed", reason: code === ExitCode.BadInput ? "policy config error" : "policy pack error" };
    } finally {
      analysed();
    }
  }
  const priced = progress(options.prices === "live" ? "reading live prices" : "estimating cost");
  const cost = await estimateCost(plan, { prices: options.prices }).finally(priced);
  const deployTime = estimateDeployTime(plan);
  plan.cost = cost;
  plan.deployTime = deployTime;
  if (options.json) writeFileSync(resolve(options.json), `${JSON.stringify(plan, null, 2)}\n`);
  if (options.markdown)
    writeFileSync(
      resolve(options.markdown),
      `${renderMarkdownReport(plan, { cost, deployTime, policy: plan.policy, source })}\n`,
    );
  const { terminal, sections } = output;
  const width = terminal.columns;
  io.stdout.write(
    `${renderSummary(plan, { source, policy, cost, deployTime, configWarnings, columns: width, colors: terminal.colors })}\n`,
  );
  const details: Record<DetailSection, () => string> = {
    resources: () => renderResourcesByType(plan, width),
    settings: () => renderKeySettings(plan, width),
    outputs: () => renderOutputs(plan, width),
    cost: () => renderCostTable(cost, { width }),
    "deploy-time": () => renderDeployTime(deployTime, { width }),
    policy: () => renderPolicyDetails(report, policy.kind === "checked" ? "" : `${policy.reason}.`, width),
    warnings: () => renderConfigWarnings(configWarnings, width),
  };
  for (const section of sections) {
    const text = details[section]();
    const [title, ...rest] = text.split("\n");
    io.stdout.write(`\n${terminal.colors.bold(title)}\n${rest.length > 0 ? `${rest.join("\n")}\n` : ""}`);
  }
  if (options.json) io.stdout.write(`\nPlan written to ${options.json}\n`);
  if (options.markdown) io.stdout.write(`Report written to ${options.markdown}\n`);
  if (policyError) {
    io.stderr.write(`policy check could not run: ${policyError.message}\n`);
    return policyError.code;
  }
  return ExitCode.Success;
}
