import {
  DRIFT_METRICS,
  DRIFT_THRESHOLD_RANGE,
  DriftMetric,
  MONITOR_INSTANCE_TYPES,
  MONITOR_RUNTIME_VERSIONS,
} from "secure-azureml-facts";
import { z } from "zod";
import { undeclaredAssetKeyProblems } from "../shared/assetKeys";
import { assetReference } from "../shared/assetReferences";
import { cronProblem, longestGapHours } from "../shared/cron";
import type { ConfigProblem, ConfigRule } from "../shared/errors";
import { armIdPattern } from "../shared/patterns";
import { checkedString, intRange, matching } from "../shared/primitives";
import { RawRecord, isRecord, recordAt } from "../shared/raw";
import { Path, objectEntries, parseWith } from "../shared/rawParse";
import { storageEndpointsToCheck } from "../shared/storageEndpoints";

/**
 * Config shapes for model monitoring (`modelMonitoring`), the retraining trigger (`retraining`)
 * and batch endpoints (`batchEndpoints`). Cross-field rules (the endpoint and deployment a monitor
 * names, clusters, cadence against the data window, storage endpoints batch scoring needs) follow
 * the schema.
 */

/** Monitor, batch endpoint and batch deployment keys: 3-32 lowercase letters, digits or hyphens, starting with a letter. */
const KEY_MESSAGE = "must be 3-32 lowercase letters, digits or hyphens, starting with a letter";
const key = matching(/^[a-z][a-z0-9-]{2,31}$/, KEY_MESSAGE);

const cron = checkedString(
  `must be a cron expression: five fields MINUTES HOURS DAYS MONTHS DAYS-OF-WEEK in UTC, e.g. "0 3 * * 1" (quote it in YAML)`,
  cronProblem,
);

const DATA_ASSET = "[A-Za-z0-9][A-Za-z0-9_.-]{0,254}";
const DATA_ASSET_MESSAGE =
  "must be a pinned data asset version: azureml:<name>:<version> (e.g. azureml:churn-training:3) or a data version resource id .../providers/Microsoft.MachineLearningServices/workspaces/<workspace>/data/<name>/versions/<version>";

/** Undefined when `value` names a pinned workspace data asset version. */
export function dataAssetReferenceProblem(value: string): string | undefined {
  if (
    new RegExp(`^azureml:${DATA_ASSET}:${DATA_ASSET}$`).test(value) ||
    armIdPattern("Microsoft.MachineLearningServices/workspaces/data/versions").test(value)
  )
    return undefined;
  const label = /^azureml:[^:@]+@/.test(value)
    ? "pin a version instead of a label (a label such as @latest changes the data without a config change); "
    : "";
  return `${label}${DATA_ASSET_MESSAGE}`;
}

const dataAssetReference = checkedString(DATA_ASSET_MESSAGE, dataAssetReferenceProblem);

const DATASTORE_PATH_MESSAGE =
  "must be a datastore URI azureml://datastores/<datastore>/paths/<path> (e.g. azureml://datastores/workspaceblobstore/paths/churn/training/)";
const DATASTORE_PATH =
  /^azureml:\/\/datastores\/[A-Za-z0-9_]{1,255}\/paths\/(?!\/)(?!.*(^|\/)\.\.?(\/|$))[^?#\\]{1,1024}$/;

/** Undefined when `value` is a datastore URI (identity-based access through a workspace datastore). */
export function datastorePathProblem(value: string): string | undefined {
  return DATASTORE_PATH.test(value) ? undefined : DATASTORE_PATH_MESSAGE;
}

const datastorePath = matching(DATASTORE_PATH, DATASTORE_PATH_MESSAGE);

// ---------------------------------------------------------------------------------------------
// Model monitoring
// ---------------------------------------------------------------------------------------------

function driftThreshold(metric: DriftMetric, threshold: number) {
  return z
    .strictObject({
      metric: z
        .enum(DRIFT_METRICS)
        .default(metric)
        .describe(
          "JensenShannonDistance (threshold above 0, at most 1) or PopulationStabilityIndex (above 0, at most 10).",
        ),
      threshold: z
        .number("must be a number (unquoted)")
        .default(threshold)
        .describe("Drift above this value raises the signal."),
    })
    .superRefine((value, ctx) => {
      const range = DRIFT_THRESHOLD_RANGE[value.metric];
      if (!(value.threshold > 0 && value.threshold <= range.max)) {
        ctx.addIssue({
          code: "custom",
          path: ["threshold"],
          message: `must be greater than 0 and at most ${range.max} for ${value.metric} (${range.why})`,
        });
      }
    });
}

const driftSignal = z.strictObject({
  /** Metric and alert threshold for numerical features. Default: Jensen-Shannon distance above 0.1. */
  numerical: driftThreshold("JensenShannonDistance", 0.1).prefault({}),
  /** Metric and alert threshold for categorical features. Default: population stability index above 0.2. */
  categorical: driftThreshold("PopulationStabilityIndex", 0.2).prefault({}),
});

const RATE_MESSAGE = "must be a share between 0 and 1 (0.05 = 5% of rows)";
const rate = (value: number) => z.number(RATE_MESSAGE).min(0, RATE_MESSAGE).max(1, RATE_MESSAGE).default(value);

const qualitySignal = z.strictObject({
  nullValueRate: rate(0.05).describe("Share of rows with null values that raises the signal, 0 to 1."),
  dataTypeErrorRate: rate(0.05).describe("Share of rows with a wrong data type that raises the signal, 0 to 1."),
  outOfBoundsRate: rate(0.05).describe("Share of rows out of the baseline's bounds that raises the signal, 0 to 1."),
});

export { DRIFT_METRICS, DRIFT_THRESHOLD_RANGE, MONITOR_INSTANCE_TYPES, MONITOR_RUNTIME_VERSIONS };
export type { DriftMetric };

const instanceTypeMessage = `must be a serverless Spark size for model monitoring: ${MONITOR_INSTANCE_TYPES.join(", ")} (any case)`;

/**
 * How a monitor runs. `job`: a scheduled drift job (assets/jobs/drift_monitor.py) on a cluster
 * inside the workspace's managed network, alerting through the action group. `builtin`: Azure ML
 * model monitoring on serverless Spark, which Microsoft documents as unsupported with the
 * AllowOnlyApprovedOutbound managed network ("Model monitoring limitations").
 */
export const MONITOR_ENGINES = ["job", "builtin"] as const;
export type MonitorEngine = (typeof MONITOR_ENGINES)[number];

/** The engine a monitor runs on: its `engine`, else `job` in an AllowOnlyApprovedOutbound workspace and `builtin` in an AllowInternetOutbound one. */
export function monitorEngine(monitor: { engine?: MonitorEngine }, outboundMode: string): MonitorEngine {
  return monitor.engine ?? (outboundMode === "AllowInternetOutbound" ? "builtin" : "job");
}

export const monitorSchema = z.strictObject({
  /** The `endpoints` key of the monitored online endpoint. */
  endpoint: z
    .string("must be the key of an online endpoint in endpoints")
    .describe("The key of an online endpoint in endpoints."),
  /** The deployment key (under that endpoint) whose collected inputs and outputs are monitored. */
  deployment: z
    .string("must be the key of a deployment of that endpoint")
    .describe("A deployment key of that endpoint; at most one monitor per deployment."),
  /** How the monitor runs: `job` (drift job on `compute.cluster`, works in an AllowOnlyApprovedOutbound workspace) or `builtin` (serverless Spark; AllowInternetOutbound workspaces only). Default: job with AllowOnlyApprovedOutbound, builtin with AllowInternetOutbound. */
  engine: z
    .enum(MONITOR_ENGINES)
    .optional()
    .describe(
      "job (default with AllowOnlyApprovedOutbound) or builtin (default with AllowInternetOutbound; rejected with AllowOnlyApprovedOutbound).",
    ),
  /** The model's task: Azure ML picks the drift computations for it (builtin engine; recorded in the job engine's report). */
  taskType: z.enum(["Classification", "Regression"]).describe("The model's task."),
  /** When the monitor runs (UTC). A monitoring run costs a serverless Spark job: keep it daily or weekly. */
  cron: cron.describe("When the monitor runs: five cron fields, UTC (quote it); keep it daily or weekly."),
  /** Days of production data each run checks (a rolling window ending at the run); the comparison baseline is the window before it unless `trainingData` is set. */
  lookbackDays: intRange(1, 90)
    .default(7)
    .describe("Days of production data each run checks; at least the time between two runs."),
  /** Share of requests the deployment's data collector records (1 = every request). */
  samplingRate: z
    .number("must be a share greater than 0 and at most 1 (1 = every request)")
    .gt(0, "must be greater than 0 and at most 1")
    .max(1, "must be greater than 0 and at most 1")
    .default(1)
    .describe("Share of requests the data collector records, above 0 and at most 1."),
  /** Optional training data (an MLTable data asset) as the baseline for data drift and data quality. Default: the production data of the previous window. */
  trainingData: dataAssetReference
    .optional()
    .describe(
      "Baseline for data drift and data quality: a pinned data asset version; default the previous window's production data.",
    ),
  signals: z
    .strictObject({
      dataDrift: driftSignal.prefault({}),
      predictionDrift: driftSignal.prefault({}),
      dataQuality: qualitySignal.prefault({}),
    })
    .prefault({}),
  compute: z
    .strictObject({
      /** Job engine: the `compute.clusters` key of the CPU cluster the drift job runs on, as the cluster's identity. */
      cluster: z
        .string("must be the key of a cluster in compute.clusters")
        .optional()
        .describe(
          "Engine job: the compute.clusters key of the CPU cluster the drift job runs on; rejected with builtin.",
        ),
      /** Builtin engine: the serverless Spark size. Default: `MONITOR_INSTANCE_TYPES[0]` (the smallest). */
      instanceType: z
        .string(instanceTypeMessage)
        .overwrite((size) => size.toLowerCase())
        .pipe(z.enum(MONITOR_INSTANCE_TYPES, instanceTypeMessage))
        .optional()
        .describe("Engine builtin: the serverless Spark size; default standard_e4s_v3; rejected with job."),
      /** Builtin engine: the Spark runtime. Default: `MONITOR_RUNTIME_VERSIONS[0]`. */
      runtimeVersion: z
        .enum(
          MONITOR_RUNTIME_VERSIONS,
          `must be a serverless Spark runtime version: ${MONITOR_RUNTIME_VERSIONS.join(", ")} (quote it in YAML)`,
        )
        .optional()
        .describe("Engine builtin: the serverless Spark runtime (quote it); default 3.4; rejected with job."),
    })
    .prefault({}),
  /** Notify when a threshold is crossed: builtin engine, e-mail to `alerts.emailReceivers` (Azure ML monitoring notifies e-mail only); job engine, a metric alert on the drift job's failed runs to the action group (e-mail and webhook receivers). */
  notify: z
    .boolean()
    .default(true)
    .describe("Notify the alert receivers when a threshold is crossed or a run fails; needs at least one receiver."),
});

export const modelMonitoringSchema = z.record(key, monitorSchema);

// ---------------------------------------------------------------------------------------------
// Retraining trigger
// ---------------------------------------------------------------------------------------------

/** Job input names: letters, digits and `_`, starting with a letter or `_` (they appear as `${{inputs.<name>}}`). */
const INPUT_NAME_MESSAGE =
  "must be 1-64 letters, digits or _, starting with a letter or _ (referenced as ${{inputs.<name>}} in the command)";
const inputName = matching(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, INPUT_NAME_MESSAGE);

const DATA_INPUT_PATH_MESSAGE = `must be a data asset version (azureml:<name>:<version> or its resource id) or a datastore URI azureml://datastores/<datastore>/paths/<path>`;
const dataInputPath = z.string(DATA_INPUT_PATH_MESSAGE).superRefine((value, ctx) => {
  if (dataAssetReferenceProblem(value) !== undefined && datastorePathProblem(value) !== undefined)
    ctx.addIssue({ code: "custom", message: DATA_INPUT_PATH_MESSAGE });
});

const dataInput = (type: "uri_folder" | "uri_file" | "mltable") =>
  z.strictObject({
    type: z.literal(type).describe("Kind of input: a data input (uri_folder, uri_file, mltable) or a literal value."),
    path: dataInputPath.describe(
      "Data inputs: a pinned data asset version or a datastore URI azureml://datastores/<datastore>/paths/<path>.",
    ),
    /** How the job sees the data: mounted read-only (default), downloaded, or passed as a URI. */
    mode: z
      .enum(["ReadOnlyMount", "Download", "Direct"])
      .default("ReadOnlyMount")
      .describe("How the job sees the data: mounted read-only, downloaded, or passed as a URI."),
  });

export const jobInputSchema = z.discriminatedUnion("type", [
  dataInput("uri_folder"),
  dataInput("uri_file"),
  dataInput("mltable"),
  z.strictObject({
    type: z.literal("literal"),
    value: z
      .string('must be a string (quote numbers: "0.1")')
      .describe("Literal inputs: the value passed to the command (quote numbers)."),
  }),
]);

const COMMAND_MESSAGE = "must be the command the job runs, e.g. python train.py --data ${{inputs.training_data}}";

export const retrainingSchema = z.strictObject({
  /** Off by default: the schedule exists but does not fire until this is true. */
  enabled: z.boolean().default(false).describe("The schedule fires only when this is true."),
  /** When the training job is submitted (UTC). */
  cron: cron.describe("When the training job is submitted: five cron fields, UTC (quote it)."),
  /** The `compute.clusters` key of the cluster the job runs on (its identity reads and writes the data). */
  cluster: z
    .string("must be the key of a cluster in compute.clusters")
    .describe("The compute.clusters key of the cluster the job runs on, as its identity."),
  /** Experiment the scheduled jobs are grouped under. */
  experimentName: matching(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/,
    "must be 1-255 letters, digits, _, - or ., starting with a letter or digit",
  )
    .default("retraining")
    .describe("Experiment the scheduled jobs are grouped under: 1-255 letters, digits, _, - or ."),
  job: z.strictObject({
    command: z
      .string(COMMAND_MESSAGE)
      .trim()
      .min(1, COMMAND_MESSAGE)
      .max(10_000, "must be at most 10000 characters")
      .describe("The command; every ${{inputs.<name>}} must be declared in inputs."),
    /** The training environment: the key of an `assets.environments` entry (the environment version the stack builds from its spec) or a pinned environment version. */
    environment: assetReference("environments").describe(
      "The key of an assets.environments entry, or a pinned environment version.",
    ),
    /** The training code: a pinned code asset version (the job's working directory). */
    code: assetReference("codes").optional().describe("A pinned code asset version."),
    /** Named inputs, referenced in the command as `${{inputs.<name>}}`. */
    inputs: z.record(inputName, jobInputSchema).default({}),
    /** The job is cancelled after this many minutes. */
    timeoutMinutes: intRange(10, 43_200).default(1440).describe("Minutes after which the job is cancelled."),
  }),
});

// ---------------------------------------------------------------------------------------------
// Batch endpoints
// ---------------------------------------------------------------------------------------------

const FILE_NAME_MESSAGE = "must be a file name of 1-255 characters without / or \\, e.g. predictions.csv";

export const batchDeploymentSchema = z.strictObject({
  /** The `compute.clusters` key of the cluster scoring jobs run on. */
  cluster: z
    .string("must be the key of a cluster in compute.clusters")
    .describe("The compute.clusters key of the cluster the scoring jobs run on."),
  /** The model to score with: the key of an `assets.models` entry, or `azureml:<name>:<version>`, a registry model URI or a model version id. */
  model: assetReference("models").describe("The key of a models entry, or a pinned literal model reference."),
  /** The scoring environment (the key of an `assets.environments` entry or a pinned reference); required with `code`, left out for MLflow models (Azure ML generates both). Curated environments are not supported. */
  environment: assetReference("environments")
    .optional()
    .describe(
      "The key of an assets.environments entry or a pinned environment; required with code, left out for an MLflow model.",
    ),
  /** The scoring code and its batch driver script; required for models other than MLflow. */
  code: z
    .strictObject({
      codeId: assetReference("codes").describe("A pinned code asset version holding the batch driver."),
      scoringScript: z
        .string("must be the batch scoring script's path inside the code asset, e.g. batch_driver.py")
        .min(1, "must be the batch scoring script's path inside the code asset")
        .describe("The batch scoring script's path inside the code asset, e.g. batch_driver.py."),
    })
    .optional(),
  /** Nodes of the cluster each scoring job uses (at most the cluster's maxNodes). */
  instanceCount: intRange(1, 1000).default(1).describe("Nodes per scoring job; at most the cluster's maxNodes."),
  /** Scoring processes per node. */
  maxConcurrencyPerInstance: intRange(1, 1000).default(1).describe("Parallel run() calls per node."),
  /** Files per mini-batch (file inputs) given to one run() call. */
  miniBatchSize: intRange(1, 100_000).default(10).describe("Files per run() call."),
  /** Failed files (or records) tolerated before the job is aborted; -1 ignores every failure (Azure's default). */
  errorThreshold: z
    .number("must be a whole number, -1 or more")
    .int("must be a whole number, -1 or more")
    .min(-1, "must be a whole number, -1 or more")
    .default(-1)
    .describe("Failures tolerated before the job aborts; -1 ignores all."),
  loggingLevel: z.enum(["Warning", "Info", "Debug"]).default("Info").describe("Logging level of the scoring job."),
  retry: z
    .strictObject({
      maxRetries: intRange(0, 100).default(3).describe("Retries of a failed or timed-out mini-batch."),
      timeoutSeconds: intRange(1, 86_400).default(30).describe("Seconds a mini-batch may take."),
    })
    .prefault({}),
  output: z
    .strictObject({
      /** `AppendRow`: all results in one file; `SummaryOnly`: no merged file, the scoring script writes its own outputs. */
      action: z
        .enum(["AppendRow", "SummaryOnly"])
        .default("AppendRow")
        .describe("AppendRow merges all results into one file; SummaryOnly writes none."),
      /** The merged results file (AppendRow only). */
      fileName: matching(/^[^/\\]{1,255}$/, FILE_NAME_MESSAGE)
        .optional()
        .describe("Output file name without /; only with AppendRow; default predictions.csv."),
      /** The datastore folder scoring jobs write to (passed as the job's output path; a blob datastore). Default: a per-job folder in workspaceblobstore. */
      path: datastorePath
        .optional()
        .describe(
          "Datastore URI azureml://datastores/<datastore>/paths/<path> exported for invokers; default a per-job folder in workspaceblobstore.",
        ),
    })
    .prefault({}),
});

export const batchEndpointSchema = z.strictObject({
  description: z
    .string("must be a string of at most 1024 characters")
    .max(1024, "must be at most 1024 characters")
    .optional()
    .describe("Description of the batch endpoint."),
  /** The deployment that serves invocations that name none. Like online traffic, it can name only a deployment that exists: leave it out on the first `pulumi up` of a new deployment. */
  defaultDeployment: z
    .string("must be the key of one of this endpoint's deployments")
    .optional()
    .describe(
      "A deployment key of this endpoint used when an invocation names none; set it after the deployment exists.",
    ),
  deployments: z.record(key, batchDeploymentSchema).default({}),
});

export const batchEndpointsSchema = z.record(key, batchEndpointSchema);

export type ModelMonitoringConfig = z.output<typeof modelMonitoringSchema>;
export type MonitorConfig = z.output<typeof monitorSchema>;
export type RetrainingConfig = z.output<typeof retrainingSchema>;
export type JobInputConfig = z.output<typeof jobInputSchema>;
export type BatchEndpointsConfig = z.output<typeof batchEndpointsSchema>;
export type BatchEndpointConfig = z.output<typeof batchEndpointSchema>;
export type BatchDeploymentConfig = z.output<typeof batchDeploymentSchema>;

/*
 * Cross-field rules for `modelMonitoring`, `retraining` and `batchEndpoints`. Like the other
 * rules, each reads the raw config and parses only the fields it needs, skipping a field that is
 * itself invalid (the schema reports that one), so every problem surfaces in one run.
 */

/** Azure ML monitoring e-mails its alerts to a list "limited to 499 characters in total" (MonitorEmailNotificationSettings). */
export const MONITOR_EMAILS_MAX_CHARACTERS = 499;

function keysOf(value: unknown): string[] {
  return isRecord(value) ? Object.keys(value) : [];
}

function accepted(keys: readonly string[], where: string): string {
  return keys.length > 0 ? `accepted: ${keys.join(", ")}` : `${where} is empty`;
}

/** The e-mail addresses of `alerts.emailReceivers` (valid strings only; the schema reports the rest). */
export function receiverEmails(raw: RawRecord): string[] {
  const receivers = recordAt(raw, "alerts")?.emailReceivers;
  if (!Array.isArray(receivers)) return [];
  return receivers.flatMap((receiver: unknown) => {
    const email = isRecord(receiver) ? receiver.email : undefined;
    return typeof email === "string" && z.email().safeParse(email).success ? [email] : [];
  });
}

/** Characters of the e-mail list as Azure stores it (comma-separated). */
export function emailListLength(emails: readonly string[]): number {
  return emails.join(",").length;
}

// ---------------------------------------------------------------------------------------------
// Model monitoring
// ---------------------------------------------------------------------------------------------

function targetProblems(raw: RawRecord, path: Path, monitor: RawRecord): ConfigProblem[] {
  const endpoints = recordAt(raw, "endpoints");
  const endpoint = monitor.endpoint;
  if (typeof endpoint !== "string") return [];
  if (!endpoints || !isRecord(endpoints[endpoint])) {
    return [
      {
        path: [...path, "endpoint"],
        message: `names online endpoint ${endpoint}, which is not in endpoints; ${accepted(keysOf(endpoints), "endpoints")}`,
      },
    ];
  }
  const deployment = monitor.deployment;
  const deployments = recordAt(endpoints, endpoint, "deployments");
  if (typeof deployment !== "string" || (deployments && isRecord(deployments[deployment]))) return [];
  return [
    {
      path: [...path, "deployment"],
      message: `names deployment ${deployment}, which endpoints.${endpoint} does not have; ${accepted(keysOf(deployments), `endpoints.${endpoint}.deployments`)}`,
    },
  ];
}

/** A monitor whose data window is shorter than the time between its runs never looks at some production data. */
function cadenceProblems(path: Path, monitor: RawRecord): ConfigProblem[] {
  const cron = monitor.cron;
  const lookbackDays = parseWith(monitorSchema.shape.lookbackDays, monitor.lookbackDays);
  if (typeof cron !== "string" || lookbackDays === undefined) return [];
  const gapHours = longestGapHours(cron);
  if (gapHours === undefined || gapHours <= lookbackDays * 24) return [];
  const gapDays = Math.ceil(gapHours / 24);
  return [
    {
      path: [...path, "lookbackDays"],
      message: `covers ${lookbackDays} day(s), but cron ${cron} leaves up to ${gapHours} hours between runs: production data in between is never checked; set lookbackDays to at least ${gapDays} or run the monitor more often`,
    },
  ];
}

/** The workspace's outbound mode as configured (the schema's default when absent). */
function outboundMode(raw: RawRecord): string {
  const mode = recordAt(raw, "workspace", "outbound")?.mode;
  return typeof mode === "string" ? mode : "AllowOnlyApprovedOutbound";
}

/** The engine a raw monitor resolves to, or undefined when its `engine` is itself invalid (the schema reports it). */
function engineOf(raw: RawRecord, monitor: RawRecord): MonitorEngine | undefined {
  const engine = monitor.engine;
  if (engine !== undefined && !MONITOR_ENGINES.includes(engine as MonitorEngine)) return undefined;
  return monitorEngine({ engine: engine as MonitorEngine | undefined }, outboundMode(raw));
}

/** Engine against network mode, and the compute settings each engine takes. */
function engineProblems(raw: RawRecord, path: Path, monitor: RawRecord): ConfigProblem[] {
  const engine = engineOf(raw, monitor);
  const compute = recordAt(monitor, "compute") ?? {};
  const problems: ConfigProblem[] = [];
  if (engine === "builtin" && outboundMode(raw) === "AllowOnlyApprovedOutbound") {
    problems.push({
      path: [...path, "engine"],
      message:
        'is builtin, but Azure ML model monitoring does not support workspace.outbound.mode AllowOnlyApprovedOutbound (Microsoft: "Model monitoring limitations"); accepted here: job (the default, a drift job on compute.cluster inside the managed network)',
    });
  }
  if (engine === "job") {
    for (const key of ["instanceType", "runtimeVersion"].filter((k) => compute[k] !== undefined)) {
      problems.push({
        path: [...path, "compute", key],
        message: `is set, but it applies to engine builtin (serverless Spark) only; engine job runs on compute.cluster`,
      });
    }
    if (compute.cluster === undefined) {
      const clusters = keysOf(recordAt(raw, "compute", "clusters"));
      problems.push({
        path: [...path, "compute", "cluster"],
        message: `is required with engine job (the default with AllowOnlyApprovedOutbound): name the CPU cluster the drift job runs on; ${accepted(clusters, "compute.clusters")}`,
      });
    } else problems.push(...clusterProblem(raw, [...path, "compute", "cluster"], compute.cluster));
  }
  if (engine === "builtin" && compute.cluster !== undefined) {
    problems.push({
      path: [...path, "compute", "cluster"],
      message:
        "is set, but it applies to engine job only; engine builtin runs on serverless Spark (compute.instanceType)",
    });
  }
  return problems;
}

function notificationProblems(raw: RawRecord, path: Path, monitor: RawRecord): ConfigProblem[] {
  const notify = parseWith(monitorSchema.shape.notify, monitor.notify);
  if (notify !== true) return [];
  if (engineOf(raw, monitor) === "job") {
    const receivers = (key: string) => recordAt(raw, "alerts")?.[key];
    const any = [receivers("emailReceivers"), receivers("webhookReceivers")].some(
      (list) => Array.isArray(list) && list.length > 0,
    );
    if (any) return [];
    return [
      {
        path: [...path, "notify"],
        message:
          "is true but alerts has no emailReceivers or webhookReceivers: drift alerts would reach nobody; add a receiver or set notify: false",
      },
    ];
  }
  const emails = receiverEmails(raw);
  if (emails.length === 0) {
    return [
      {
        path: [...path, "notify"],
        message:
          "is true but alerts.emailReceivers is empty: drift alerts would reach nobody; add an e-mail receiver or set notify: false",
      },
    ];
  }
  const length = emailListLength(emails);
  if (length <= MONITOR_EMAILS_MAX_CHARACTERS) return [];
  return [
    {
      path: [...path, "notify"],
      message: `would send to the ${emails.length} addresses of alerts.emailReceivers, ${length} characters in all, but Azure ML monitoring accepts at most ${MONITOR_EMAILS_MAX_CHARACTERS}: use a distribution list address or set notify: false`,
    },
  ];
}

function monitorRules(raw: RawRecord): ConfigProblem[] {
  const seen = new Map<string, string>();
  return objectEntries(raw.modelMonitoring).flatMap(([name, monitor]) => {
    const path = ["modelMonitoring", name];
    const problems = [
      ...targetProblems(raw, path, monitor),
      ...engineProblems(raw, path, monitor),
      ...cadenceProblems(path, monitor),
      ...notificationProblems(raw, path, monitor),
    ];
    if (typeof monitor.endpoint === "string" && typeof monitor.deployment === "string") {
      const target = `${monitor.endpoint}/${monitor.deployment}`;
      const first = seen.get(target);
      if (first)
        problems.push({
          path: [...path, "deployment"],
          message: `monitors ${target}, which modelMonitoring.${first} already monitors; keep one monitor per deployment (each run is a job)`,
        });
      else seen.set(target, name);
    }
    return problems;
  });
}

// ---------------------------------------------------------------------------------------------
// Retraining
// ---------------------------------------------------------------------------------------------

function clusterProblem(raw: RawRecord, path: Path, cluster: unknown): ConfigProblem[] {
  if (typeof cluster !== "string") return [];
  const clusters = recordAt(raw, "compute", "clusters");
  if (clusters && isRecord(clusters[cluster])) return [];
  return [
    {
      path,
      message: `names cluster ${cluster}, which is not in compute.clusters; ${accepted(keysOf(clusters), "compute.clusters")}`,
    },
  ];
}

/** `${{inputs.<name>}}` and `${{outputs.<name>}}` references in a command. */
function references(command: string, kind: "inputs" | "outputs"): string[] {
  return [...command.matchAll(new RegExp(`\\$\\{\\{\\s*${kind}\\.([A-Za-z0-9_]+)\\s*\\}\\}`, "g"))].map((m) => m[1]);
}

function retrainingRules(raw: RawRecord): ConfigProblem[] {
  const retraining = recordAt(raw, "retraining");
  if (!retraining) return [];
  const problems = clusterProblem(raw, ["retraining", "cluster"], retraining.cluster);
  const job = recordAt(raw, "retraining", "job");
  problems.push(
    ...undeclaredAssetKeyProblems(raw, ["retraining", "job", "environment"], job?.environment, "environments"),
  );
  const command = job?.command;
  if (typeof command !== "string") return problems;
  const declared = keysOf(job?.inputs);
  const path = ["retraining", "job", "command"];
  for (const name of new Set(references(command, "inputs"))) {
    if (!declared.includes(name))
      problems.push({
        path,
        message: `refers to \${{inputs.${name}}}, which retraining.job.inputs does not declare; ${accepted(declared, "retraining.job.inputs")}`,
      });
  }
  for (const name of new Set(references(command, "outputs"))) {
    problems.push({
      path,
      message: `refers to \${{outputs.${name}}}, but scheduled retraining jobs declare no outputs: pass a datastore folder as an input, or register the model from the training script`,
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Batch endpoints
// ---------------------------------------------------------------------------------------------

function batchDeploymentProblems(raw: RawRecord, path: Path, deployment: RawRecord): ConfigProblem[] {
  const problems = [
    ...clusterProblem(raw, [...path, "cluster"], deployment.cluster),
    ...undeclaredAssetKeyProblems(raw, [...path, "model"], deployment.model, "models"),
    ...undeclaredAssetKeyProblems(raw, [...path, "environment"], deployment.environment, "environments"),
  ];
  const cluster =
    typeof deployment.cluster === "string" ? recordAt(raw, "compute", "clusters", deployment.cluster) : undefined;
  const instanceCount = parseWith(batchDeploymentSchema.shape.instanceCount, deployment.instanceCount);
  const maxNodes = cluster?.maxNodes;
  if (instanceCount !== undefined && typeof maxNodes === "number" && instanceCount > maxNodes) {
    problems.push({
      path: [...path, "instanceCount"],
      message: `exceeds the ${maxNodes} nodes cluster ${String(deployment.cluster)} scales to; lower instanceCount or raise compute.clusters.${String(deployment.cluster)}.maxNodes`,
    });
  }
  if (deployment.code !== undefined && deployment.environment === undefined) {
    problems.push({
      path: [...path, "environment"],
      message:
        "is required with code: the batch driver script runs in this environment (curated environments are not supported for batch deployments)",
    });
  }
  if (deployment.environment !== undefined && deployment.code === undefined) {
    problems.push({
      path: [...path, "code"],
      message:
        "is required with environment: give the batch driver script, or leave out both for an MLflow model (Azure ML then provides them)",
    });
  }
  const output = recordAt(deployment, "output");
  if (output?.action === "SummaryOnly" && output.fileName !== undefined) {
    problems.push({
      path: [...path, "output", "fileName"],
      message: "is set but output.action is SummaryOnly, which writes no merged file; remove fileName or use AppendRow",
    });
  }
  return problems;
}

function workspaceProblems(raw: RawRecord, name: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (recordAt(raw, "workspace", "customerManagedKey")) {
    problems.push({
      path: ["batchEndpoints", name],
      message:
        "cannot be used with workspace.customerManagedKey: Azure ML does not support batch deployments in workspaces encrypted with a customer-managed key",
    });
  }
  const online = recordAt(raw, "endpoints");
  if (online && name in online) {
    problems.push({
      path: ["batchEndpoints", name],
      message: `has the same key as endpoints.${name}: online and batch endpoint names share one namespace per region; rename one of them`,
    });
  }
  return problems;
}

/** Microsoft ("Network isolation in batch endpoints"): batch deployments need the blob, file, queue and table endpoints of storage. */
function storageProblems(raw: RawRecord): ConfigProblem[] {
  const listed = storageEndpointsToCheck(raw);
  const missing = (["queue", "table"] as const).filter((sub) => !listed.includes(sub));
  if (missing.length === 0) return [];
  return [
    {
      path: ["storage", "privateEndpoints"],
      message: `must include ${missing.join(" and ")} when batchEndpoints are configured: batch deployments need the storage account's blob, file, queue and table private endpoints`,
    },
  ];
}

function batchRules(raw: RawRecord): ConfigProblem[] {
  const endpoints = objectEntries(raw.batchEndpoints);
  const problems = endpoints.flatMap(([name, endpoint]) => {
    const path = ["batchEndpoints", name];
    const deployments = keysOf(endpoint.deployments);
    const perDeployment = objectEntries(endpoint.deployments).flatMap(([key, deployment]) =>
      batchDeploymentProblems(raw, [...path, "deployments", key], deployment),
    );
    const fallback = endpoint.defaultDeployment;
    const defaultProblem: ConfigProblem[] =
      typeof fallback === "string" && !deployments.includes(fallback)
        ? [
            {
              path: [...path, "defaultDeployment"],
              message: `names deployment ${fallback}, which this endpoint does not have; ${accepted(deployments, `batchEndpoints.${name}.deployments`)}`,
            },
          ]
        : [];
    return [...workspaceProblems(raw, name), ...perDeployment, ...defaultProblem];
  });
  return endpoints.length > 0 ? [...problems, ...storageProblems(raw)] : problems;
}

/** Every rule for model monitoring, retraining and batch endpoints (run by `validate.ts`). */
export const MODEL_OPERATIONS_RULES: readonly ConfigRule[] = [monitorRules, retrainingRules, batchRules];
