import { PolicyPack } from "@pulumi/policy";
import { resourcePolicies } from "./rules";
import { stackPolicies } from "./stack";

/**
 * The security baseline policy pack. This file only assembles the pack; rules live in
 * `rules/` (one module per resource family) and `stack/`, so tests import them without
 * starting the policy server.
 */
new PolicyPack("secure-azureml-baseline", {
  policies: [...resourcePolicies, ...stackPolicies],
});
