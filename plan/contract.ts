import type { PolicySummary } from "./policy/report";

/**
 * The machine-readable plan: a stable contract that policy checks, cost estimates, diffs
 * and pull-request comments build on. Documented in the README ("Plan JSON contract").
 */

/** Resource options that matter for review (protection, replacement, timeouts). */
export interface PlannedResourceOptions {
  protect: boolean;
  ignoreChanges: string[];
  replaceOnChanges: string[];
  deleteBeforeReplace: boolean;
  /** Azure keeps the resource when Pulumi deletes it (e.g. asset versions). */
  retainOnDelete?: boolean;
  customTimeouts?: { create?: string; update?: string; delete?: string };
}

export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  /** URN of the parent resource, or null at the top. */
  parent: string | null;
  /** URNs this resource depends on (explicit `dependsOn` and every input's sources). */
  dependencies: string[];
  /** For each input property, the URNs its value came from. */
  propertyDependencies: Record<string, string[]>;
  /** Exactly what the program passed to the resource, after SDK defaults. */
  inputs: Record<string, unknown>;
  /** What the engine returned (offline: inputs plus invented ids and read-only outputs). */
  outputs: Record<string, unknown>;
  options: PlannedResourceOptions;
}

export interface Plan {
  /** Contract version; bumped on any breaking change to this shape. */
  version: 1;
  project: string;
  stack: string;
  resources: PlannedResource[];
  /** The stack outputs the program exported. */
  outputs: Record<string, unknown>;
  /** Config keys whose `secure:` values could not be decrypted offline and were replaced by placeholders. */
  secretPlaceholders: string[];
  /** URNs of resources registered after the program returned (inside `.apply()` or after an await): should be empty. */
  lateRegistrations: string[];
  /**
   * The Pulumi projects planned, in deploy order (the platform, then its serving stack), each with
   * its own stack outputs (secret outputs shown as "[secret]"). `resources` holds every layer's
   * resources in the same order; each URN names its own project. `outputs` merges the layers' outputs.
   */
  layers?: PlanLayer[];
  /** Added by `npm start`: the policy check's verdict and violations (absent with `--no-policy`). */
  policy?: PolicySummary;
  /** Added by `npm start`: the monthly cost estimate (see plan/cost). */
  cost?: unknown;
  /** Added by `npm start`: the cold-deploy time estimate and its critical path (see plan/deployTime). */
  deployTime?: unknown;
}

/** One Pulumi project of a plan. */
export interface PlanLayer {
  project: string;
  outputs: Record<string, unknown>;
}

/** The text that stands in for a secret value in a plan. */
export const SECRET_VALUE = "[secret]";
