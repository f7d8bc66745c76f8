import { BaselineStackPolicy } from "../support/baseline";
import { diagnosticsPolicies } from "./diagnostics";
import { identityPolicies } from "./identity";
import { mlopsPolicies } from "./mlops";
import { monitorPrivateLinkPolicies } from "./monitorPrivateLink";
import { networkPolicies } from "./network";
import { privateLinkPolicies } from "./privateLink";
import { protectionPolicies } from "./protection";
import { readinessPolicies } from "./readiness";

/**
 * Every stack rule of the pack. Stack rules see all resources with their outputs and
 * dependencies; they relate resources by known values (ids, names) and, when those are
 * unknown during preview, by the engine's dependency record (see support/stackGraph.ts).
 */
export const stackPolicies: BaselineStackPolicy[] = [
  ...privateLinkPolicies,
  ...diagnosticsPolicies,
  ...monitorPrivateLinkPolicies,
  ...networkPolicies,
  ...identityPolicies,
  ...protectionPolicies,
  ...mlopsPolicies,
  ...readinessPolicies,
];
