import { ConfigIssue } from "../../config";
import { StackConfig } from "../../config";
import { validateStackConfig } from "../../config";

/** The validated model of a config that must be valid; fails with every issue otherwise. */
export function validConfig(raw: Record<string, unknown>): StackConfig {
  const result = validateStackConfig(raw);
  if (!result.ok)
    throw new Error(`expected a valid config, got:\n${result.issues.map((i) => `${i.key}: ${i.message}`).join("\n")}`);
  return result.config;
}

/** The issues of a config that must be rejected. */
export function issuesOf(raw: Record<string, unknown>): ConfigIssue[] {
  const result = validateStackConfig(raw);
  if (result.ok) throw new Error("expected the config to be rejected, but it validated");
  return result.issues;
}
