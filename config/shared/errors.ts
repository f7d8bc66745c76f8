import * as pulumi from "@pulumi/pulumi";

/** A config problem found by a rule: the key path inside the project namespace, and what is wrong. */
export interface ConfigProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** A rule over the raw (not yet validated) config; each section exports its list. */
export type ConfigRule = (raw: Record<string, unknown>) => ConfigProblem[];

/** One problem in the stack configuration, ready to print. */
export interface ConfigIssue {
  /** Fully qualified key, e.g. `secure-azureml:network.computeSubnet`. */
  readonly key: string;
  /** The offending value as JSON, or `(missing)`. */
  readonly value: string;
  /** What is wrong and what is accepted. */
  readonly message: string;
}

/** How an issue shows a value: its JSON, cut to 80 characters so a message stays readable; `(missing)` when absent. */
export function shownValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.key} = ${issue.value}: ${issue.message}`;
}

/**
 * Thrown before any resource is created when the stack configuration is invalid. It extends
 * `pulumi.RunError`, so `pulumi up` prints the messages without a stack trace.
 */
export class ConfigValidationError extends pulumi.RunError {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `Invalid stack configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${issues.map((i) => `  - ${formatIssue(i)}`).join("\n")}`,
    );
    this.name = "ConfigValidationError";
  }
}
