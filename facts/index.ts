/**
 * Azure facts shared by the component library, the program, the offline planner and the policy
 * pack: pure data and functions over it, no Pulumi import and no dependencies, so the policy pack
 * (published on its own) can depend on it.
 */
export * from "./armIds";
export * from "./assetUris";
export * from "./availabilityZones";
export * from "./clouds";
export * from "./exampleIds";
export * from "./modelMonitoring";
export * from "./namingRules";
export * from "./outboundPresets";
export * from "./reservedNames";
export * from "./retirements";
export * from "./roles";
export * from "./subnetLimits";
export * from "./tagLimits";
export * from "./text";
export * from "./types";
export * from "./vmSizes";
