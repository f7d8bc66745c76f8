import { BaselineStackPolicy } from "../support/baseline";

/** Every stack rule of the pack (filled in by the policy work). */
export const stackPolicies: BaselineStackPolicy[] = [];
