import { BaselineResourcePolicy } from "../support/baseline";

/** Rules for this resource family (filled in by the MLOps work). */
export const mlopsServingPolicies: BaselineResourcePolicy[] = [];
