import { BaselineResourcePolicy } from "../support/baseline";

/** Rules for this resource family (filled in by the policy work). */
export const monitoringPolicies: BaselineResourcePolicy[] = [];
