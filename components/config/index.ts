export * from "./errors";
export * from "./schema";
export { requiredZoneKeys } from "./rules";
export { configWarnings, IMAGE_BUILDER_COMPUTE_NAME } from "./computeRules";
export { examplePersonaGroupChecks } from "./exampleIdRules";
export type { ExampleIdCheckOptions, ExampleIdChecks } from "./exampleIdRules";
export type { ConfigWarning } from "./computeRules";
export { PROJECT_NAME, rawConfigFromPulumi, validateStackConfig } from "./validate";
