export * from "./catalogues/clouds";
export * from "./catalogues/outboundPresets";
export * from "./catalogues/roles";
export * from "./errors";
export * from "./schema";
export { requiredZoneKeys } from "./rules";
export { PROJECT_NAME, rawConfigFromPulumi, validateStackConfig } from "./validate";
