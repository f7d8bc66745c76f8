import { isExamplePersonaGroupId } from "secure-azureml-facts";
import { RawRecord, recordAt } from "./raw";
import type { ConfigProblem } from "./rules";

/** Whether the program runs under the offline planner (Pulumi mocks, `npm start`) or against Azure. */
export interface ExampleIdCheckOptions {
  /**
   * Required. `true` under the offline planner, where example ids are planned with a warning;
   * `false` for `pulumi preview` and `pulumi up`, where they are refused before anything is created.
   */
  offline: boolean;
}

/** What the check found: `problems` fail validation, `warnings` are only reported. */
export interface ExampleIdChecks {
  readonly problems: readonly ConfigProblem[];
  readonly warnings: readonly ConfigProblem[];
}

const WHAT_TO_PUT = "replace it with the object id of a Microsoft Entra group in your tenant (az ad group show --group <name> --query id -o tsv), or remove it";

/**
 * The example persona group ids the shipped stack files carry (deploy-audit B4). A role
 * assignment to a group that does not exist in the tenant fails with PrincipalNotFound, so a real
 * `pulumi preview`/`up` refuses them up front, naming the key and what to put there; the offline
 * planner plans them and warns. Reads the raw config: non-GUID values are the schema's to report.
 */
export function examplePersonaGroupChecks(raw: RawRecord, options: ExampleIdCheckOptions): ExampleIdChecks {
  const found: ConfigProblem[] = [];
  for (const [persona, ids] of Object.entries(recordAt(raw, "personas") ?? {})) {
    if (!Array.isArray(ids)) continue;
    ids.forEach((id: unknown, index) => {
      if (typeof id !== "string" || !isExamplePersonaGroupId(id)) return;
      const message = options.offline
        ? `is an example group id from the shipped stack files, planned offline only: a real deployment refuses it; ${WHAT_TO_PUT}`
        : `is an example group id from the shipped stack files, not a group in your tenant (its role assignments would fail with PrincipalNotFound); ${WHAT_TO_PUT}`;
      found.push({ path: ["personas", persona, index], message });
    });
  }
  return options.offline ? { problems: [], warnings: found } : { problems: found, warnings: [] };
}
