/**
 * The exit codes of every `plan/cli.ts` subcommand (`npm start`, `npm run policy`, `npm run plan-diff`,
 * `npm run prices`): one table, documented in the README ("Exit codes") and in `--help`.
 */
export const ExitCode = {
  /** plan: planned (also with policy violations: `policy` is the gate); policy: no mandatory violation; diff: compared; prices: refreshed. */
  Success: 0,
  /** An unexpected failure (plan, diff, prices), a policy pack that cannot run during `plan`, or the Retail Prices API out of reach (prices). */
  Failure: 1,
  /** policy: mandatory violations remain (the gate fails). */
  MandatoryViolations: 1,
  /** Bad input: a stack or policy config error, a plan file that is missing or not a plan, bad usage. Nothing is written. */
  BadInput: 2,
  /** policy: the pack could not run (failed to load, a rule threw), or another unexpected failure of the check. */
  PolicyPackFailed: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The table as `--help` prints it (the README's "Exit codes" paragraph says the same). */
export const EXIT_CODE_HELP = [
  "Exit codes:",
  "  0  success: plan planned (also with policy violations), policy found no mandatory violation, diff compared, prices refreshed",
  "  1  policy: mandatory violations; plan, diff, prices: unexpected failure (plan: also a policy pack that cannot run; prices: API unreachable)",
  "  2  bad input: stack or policy config error, plan file missing or not a plan, bad usage (nothing is written)",
  "  3  policy: the pack could not run (failed to load, a rule threw)",
].join("\n");
