import type { DriftMetric, MonitorInstanceType, MonitorRuntimeVersion } from "secure-azureml-facts";

/** Metric and threshold of one drift comparison. */
export interface DriftThresholdSettings {
  /** Required. The drift metric. */
  metric: DriftMetric;
  /** Required. Drift above this value raises the signal. */
  threshold: number;
}

/** Thresholds of a drift signal for numerical and categorical features. */
export interface DriftSignalSettings {
  /** Required. Numerical features. */
  numerical: DriftThresholdSettings;
  /** Required. Categorical features. */
  categorical: DriftThresholdSettings;
}

/** Shares of rows that raise the data quality signal, 0 to 1. */
export interface DataQualitySettings {
  /** Required. Rows with null values. */
  nullValueRate: number;
  /** Required. Rows with a wrong data type. */
  dataTypeErrorRate: number;
  /** Required. Rows out of the baseline's bounds. */
  outOfBoundsRate: number;
}

/** A monitor's settings, validated, in the shape the schedule builders take (built from `ModelMonitorArgs`). */
export interface MonitorSettings {
  /** Required. The monitored endpoint's key. */
  endpoint: string;
  /** Required. The monitored deployment's key. */
  deployment: string;
  /** Optional. `job` or `builtin`. */
  engine?: "job" | "builtin";
  /** Required. The model's task. */
  taskType: "Classification" | "Regression";
  /** Required. When the monitor runs (cron, UTC). */
  cron: string;
  /** Required. Days of production data each run checks. */
  lookbackDays: number;
  /** Optional. Baseline data asset for data drift and data quality. */
  trainingData?: string;
  /** Required. Signal thresholds. */
  signals: { dataDrift: DriftSignalSettings; predictionDrift: DriftSignalSettings; dataQuality: DataQualitySettings };
  /** Required. Where the monitor runs. */
  compute: { cluster?: string; instanceType?: MonitorInstanceType; runtimeVersion?: MonitorRuntimeVersion };
  /** Required. Whether crossing a threshold notifies. */
  notify: boolean;
}
