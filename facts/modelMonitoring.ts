/**
 * Azure ML model monitoring facts: the serverless Spark sizes and runtimes a monitoring schedule
 * runs on, and the drift metrics with the threshold ranges the project accepts for them.
 */

/** Serverless Spark sizes Azure ML model monitoring runs on (Microsoft: "Configure a serverless Spark compute pool"). */
export const MONITOR_INSTANCE_TYPES = [
  "standard_e4s_v3",
  "standard_e8s_v3",
  "standard_e16s_v3",
  "standard_e32s_v3",
  "standard_e64s_v3",
] as const;
export type MonitorInstanceType = (typeof MONITOR_INSTANCE_TYPES)[number];

/** Spark runtime versions accepted for monitoring jobs. */
export const MONITOR_RUNTIME_VERSIONS = ["3.4"] as const;
export type MonitorRuntimeVersion = (typeof MONITOR_RUNTIME_VERSIONS)[number];

/** Drift metrics offered for numerical and categorical features (both exist in the API for both types). */
export const DRIFT_METRICS = ["JensenShannonDistance", "PopulationStabilityIndex"] as const;
export type DriftMetric = (typeof DRIFT_METRICS)[number];

/** The threshold range each drift metric accepts, with the reasoning shown in messages. */
export const DRIFT_THRESHOLD_RANGE: Record<DriftMetric, { max: number; why: string }> = {
  JensenShannonDistance: { max: 1, why: "Jensen-Shannon distance lies between 0 and 1" },
  PopulationStabilityIndex: {
    max: 10,
    why: "a population stability index above 0.25 is already a major shift; thresholds are usually 0.1-0.25",
  },
};
