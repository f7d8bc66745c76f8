import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/**
 * Every policy in this pack states what it checks, how bad a violation is and how to fix it;
 * these types make the compiler insist on it.
 */
type Documented = "description" | "enforcementLevel" | "severity" | "remediationSteps";

/** A resource policy with description, enforcement level, severity and remediation steps. */
export type BaselineResourcePolicy = ResourceValidationPolicy & Required<Pick<ResourceValidationPolicy, Documented>>;

/** A stack policy with description, enforcement level, severity and remediation steps. */
export type BaselineStackPolicy = StackValidationPolicy & Required<Pick<StackValidationPolicy, Documented>>;

/** Security-critical rules block a deployment; hygiene rules warn. */
export const MANDATORY = "mandatory" as const;
export const ADVISORY = "advisory" as const;
