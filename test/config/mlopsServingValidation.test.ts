import { describe, expect, it } from "vitest";
import { cronProblem, longestGapHours } from "../../config";
import {
  batchDeploymentSchema,
  batchEndpointSchema,
  jobInputSchema,
  monitorSchema,
  retrainingSchema,
} from "../../config";
import { issuesOf, validConfig } from "../support/config";

/** Config validation of modelMonitoring, retraining and batchEndpoints: defaults, every key, and every way to get them wrong. */

const SUB = "3f2a6c1e-8b4d-4e9a-9c7f-2d1b0e5a6f80";
const WORKSPACE_ID = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-ml`;

/** A valid base: one cluster, one endpoint with two deployments, one e-mail receiver, and every storage endpoint batch scoring needs. */
const BASE = {
  location: "westeurope",
  namePrefix: "amltest",
  storage: { privateEndpoints: ["blob", "file", "queue", "table"] },
  compute: { clusters: { cpu: { vmSize: "Standard_DS3_v2", maxNodes: 4 } } },
  endpoints: {
    churn: {
      deployments: {
        blue: { instanceType: "Standard_DS3_v2", model: "azureml:churn:1", environment: "azureml:churn-env:1" },
        green: { instanceType: "Standard_DS3_v2", model: "azureml:churn:2", environment: "azureml:churn-env:1" },
      },
    },
  },
  alerts: { emailReceivers: [{ name: "ml-platform", email: "ml-platform@example.com" }] },
};

/** A minimal monitor: the job engine (the default in the base's AllowOnlyApprovedOutbound workspace) on the cpu cluster. */
const MONITOR = {
  endpoint: "churn",
  deployment: "blue",
  taskType: "Classification",
  cron: "0 3 * * 1",
  compute: { cluster: "cpu" },
};
/** A workspace that allows internet outbound, where the builtin engine is the default and allowed. */
const INTERNET = { workspace: { outbound: { mode: "AllowInternetOutbound" } } };
const BUILTIN = {
  endpoint: "churn",
  deployment: "blue",
  taskType: "Classification",
  cron: "0 3 * * 1",
  engine: "builtin",
};
const RETRAINING = {
  cron: "0 2 * * 0",
  cluster: "cpu",
  job: { command: "python train.py", environment: "azureml:churn-train:1" },
};
const BATCH_DEPLOYMENT = { cluster: "cpu", model: "azureml:churn:1" };
/** Declared assets deployments and jobs may name by key (the environment's spec is the shipped one). */
const DECLARED_ASSETS = {
  environments: { "churn-inference": { image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20250601.v1" } },
  models: { churn: { version: "3" } },
};

/** A monitor's signals as the schema defaults them (JSD 0.1 numerical, PSI 0.2 categorical, 5% quality rates). */
const DEFAULT_SIGNALS = {
  dataDrift: {
    numerical: { metric: "JensenShannonDistance", threshold: 0.1 },
    categorical: { metric: "PopulationStabilityIndex", threshold: 0.2 },
  },
  predictionDrift: {
    numerical: { metric: "JensenShannonDistance", threshold: 0.1 },
    categorical: { metric: "PopulationStabilityIndex", threshold: 0.2 },
  },
  dataQuality: { nullValueRate: 0.05, dataTypeErrorRate: 0.05, outOfBoundsRate: 0.05 },
};

/** Every key of the three sections, with values that differ from the defaults. */
const MAXIMAL_SERVING = {
  modelMonitoring: {
    "churn-blue": {
      endpoint: "churn",
      deployment: "blue",
      taskType: "Regression",
      cron: "30 4 * * 1,4",
      lookbackDays: 4,
      samplingRate: 0.25,
      trainingData: `${WORKSPACE_ID}/data/churn-training/versions/3`,
      engine: "builtin",
      signals: {
        dataDrift: {
          numerical: { metric: "PopulationStabilityIndex", threshold: 0.25 },
          categorical: { metric: "JensenShannonDistance", threshold: 0.3 },
        },
        predictionDrift: {
          numerical: { metric: "PopulationStabilityIndex", threshold: 0.15 },
          categorical: { metric: "JensenShannonDistance", threshold: 0.2 },
        },
        dataQuality: { nullValueRate: 0.01, dataTypeErrorRate: 0.02, outOfBoundsRate: 0.03 },
      },
      compute: { instanceType: "standard_e16s_v3", runtimeVersion: "3.4" },
      notify: false,
    },
    "churn-green": {
      endpoint: "churn",
      deployment: "green",
      taskType: "Classification",
      cron: "0 5 * * *",
      lookbackDays: 1,
      samplingRate: 1,
      engine: "job",
      signals: DEFAULT_SIGNALS,
      compute: { cluster: "cpu" },
      notify: true,
    },
  },
  retraining: {
    enabled: true,
    cron: "0 1 * * 6",
    cluster: "cpu",
    experimentName: "churn-retraining",
    job: {
      command:
        "python train.py --data ${{inputs.training_data}} --lr ${{inputs.learning_rate}} --table ${{inputs.features}} --file ${{inputs.config}}",
      environment: "azureml:churn-train:4",
      code: `${WORKSPACE_ID}/codes/churn-train/versions/2`,
      inputs: {
        training_data: {
          type: "uri_folder",
          path: "azureml://datastores/workspaceblobstore/paths/churn/training/",
          mode: "Download",
        },
        features: { type: "mltable", path: "azureml:churn-features:7", mode: "Direct" },
        config: { type: "uri_file", path: `${WORKSPACE_ID}/data/churn-config/versions/1`, mode: "ReadOnlyMount" },
        learning_rate: { type: "literal", value: "0.05" },
      },
      timeoutMinutes: 180,
    },
  },
  batchEndpoints: {
    "churn-batch": {
      description: "Batch churn scoring",
      defaultDeployment: "score",
      deployments: {
        score: {
          cluster: "cpu",
          model: "azureml://registries/ml-shared/models/churn/versions/7",
          environment: "azureml:churn-batch-env:2",
          code: { codeId: "azureml:churn-batch-score:1", scoringScript: "batch_driver.py" },
          instanceCount: 3,
          maxConcurrencyPerInstance: 4,
          miniBatchSize: 50,
          errorThreshold: 10,
          loggingLevel: "Warning",
          retry: { maxRetries: 5, timeoutSeconds: 600 },
          output: {
            action: "AppendRow",
            fileName: "scores.csv",
            path: "azureml://datastores/workspaceblobstore/paths/batch/churn/",
          },
        },
      },
    },
  },
};

describe("cron expressions for Azure ML schedules", () => {
  it.each(["0 3 * * 1", "0 3 * * *", "0,30 4,16 * * 1,3,5", "15 6 * * MON", "0 0 * * sun", "* * * * *"])(
    "accepts %s",
    (expression) => {
      expect(cronProblem(expression)).toBeUndefined();
    },
  );

  it.each([
    ["", /must have five fields .* \(got nothing\)/],
    ["0 3 * *", /must have five fields .* \(got 4 field\(s\)\)/],
    ["0 0 3 * * *", /got 6 field\(s\)/],
    ["@weekly", /got 1 field\(s\)/],
    ["61 3 * * *", /is not a valid cron expression \(Constraint error, got value 61 expected range 0-59\)/],
    [
      "*/15 * * * *",
      /its MINUTES field \*\/15 is not accepted by Azure ML, which takes \* or an integer or comma-separated list from 0 to 59/,
    ],
    ["0 3 * * 1-5", /its DAYS-OF-WEEK field 1-5 .* \(write the range 1-5 as the list 1,2,3,4,5\)/],
    ["0 3 * * 7", /its DAYS-OF-WEEK field 7 is not accepted/],
    ["0 3 1 * *", /its DAYS field 1 is ignored by Azure ML \(it always reads \*\)/],
    ["0 3 * 6 *", /its MONTHS field 6 is ignored by Azure ML/],
    ["0 3 * * L", /is not a valid cron expression/],
  ])("rejects %j", (expression, message) => {
    expect(cronProblem(expression)).toMatch(message);
  });

  it("measures the longest gap between runs (weekly 168 h, daily 24 h, Mon/Thu 96 h)", () => {
    expect(longestGapHours("0 3 * * 1")).toBe(168);
    expect(longestGapHours("0 3 * * *")).toBe(24);
    expect(longestGapHours("0 3 * * 1,4")).toBe(96);
    expect(longestGapHours("*/5 * * * *")).toBeUndefined();
  });
});

describe("modelMonitoring, retraining and batchEndpoints: valid configurations", () => {
  it("are off by default: no monitors, no retraining, no batch endpoints", () => {
    const config = validConfig(BASE);
    expect(config.modelMonitoring).toEqual({});
    expect(config.retraining).toBeUndefined();
    expect(config.batchEndpoints).toEqual({});
  });

  it("fills a minimal monitor, retraining trigger and batch deployment with the documented defaults", () => {
    const config = validConfig({
      ...BASE,
      modelMonitoring: { "churn-blue": MONITOR },
      retraining: RETRAINING,
      batchEndpoints: { "churn-batch": { deployments: { score: BATCH_DEPLOYMENT } } },
    });
    expect(config.modelMonitoring["churn-blue"]).toEqual({
      ...MONITOR,
      lookbackDays: 7,
      samplingRate: 1,
      signals: DEFAULT_SIGNALS,
      compute: { cluster: "cpu" },
      notify: true,
    });
    expect(config.retraining).toEqual({
      ...RETRAINING,
      enabled: false,
      experimentName: "retraining",
      job: { ...RETRAINING.job, inputs: {}, timeoutMinutes: 1440 },
    });
    expect(config.batchEndpoints).toEqual({
      "churn-batch": {
        deployments: {
          score: {
            ...BATCH_DEPLOYMENT,
            instanceCount: 1,
            maxConcurrencyPerInstance: 1,
            miniBatchSize: 10,
            errorThreshold: -1,
            loggingLevel: "Info",
            retry: { maxRetries: 3, timeoutSeconds: 30 },
            output: { action: "AppendRow" },
          },
        },
      },
    });
  });

  it("uses every key of the three sections in the maximal fixture (so a new key must be added here)", () => {
    const monitor = MAXIMAL_SERVING.modelMonitoring["churn-blue"];
    const jobMonitor = MAXIMAL_SERVING.modelMonitoring["churn-green"];
    const deployment = MAXIMAL_SERVING.batchEndpoints["churn-batch"].deployments.score;
    const sections: [object, { shape: object }][] = [
      [monitor, monitorSchema],
      [monitor.signals, monitorSchema.shape.signals.unwrap()],
      [{ ...monitor.compute, ...jobMonitor.compute }, monitorSchema.shape.compute.unwrap()],
      [MAXIMAL_SERVING.retraining, retrainingSchema],
      [MAXIMAL_SERVING.retraining.job, retrainingSchema.shape.job],
      [MAXIMAL_SERVING.batchEndpoints["churn-batch"], batchEndpointSchema],
      [deployment, batchDeploymentSchema],
      [deployment.retry, batchDeploymentSchema.shape.retry.unwrap()],
      [deployment.output, batchDeploymentSchema.shape.output.unwrap()],
    ];
    for (const [fixture, schema] of sections)
      expect(Object.keys(fixture).sort()).toEqual(Object.keys(schema.shape).sort());
    expect(Object.keys(monitor.signals.dataDrift.numerical).sort()).toEqual(["metric", "threshold"]);
    expect(new Set(Object.values(MAXIMAL_SERVING.retraining.job.inputs).map((i) => i.type))).toEqual(
      new Set(jobInputSchema.options.map((o) => o.shape.type.value)),
    );
  });

  it("accepts the maximal configuration and keeps every value", () => {
    const config = validConfig({ ...BASE, ...INTERNET, ...MAXIMAL_SERVING });
    expect({
      modelMonitoring: config.modelMonitoring,
      retraining: config.retraining,
      batchEndpoints: config.batchEndpoints,
    }).toEqual(MAXIMAL_SERVING);
  });

  it("normalises a Spark size to lower case and accepts notify without receivers when it is off", () => {
    const config = validConfig({
      ...BASE,
      ...INTERNET,
      alerts: {},
      modelMonitoring: { mon: { ...BUILTIN, notify: false, compute: { instanceType: "Standard_E8s_v3" } } },
    });
    expect(config.modelMonitoring.mon.compute.instanceType).toBe("standard_e8s_v3");
  });

  it("resolves the engine from the workspace's outbound mode when it is not set", async () => {
    const { monitorEngine } = await import("../../config");
    expect(monitorEngine({}, "AllowOnlyApprovedOutbound")).toBe("job");
    expect(monitorEngine({}, "AllowInternetOutbound")).toBe("builtin");
    expect(monitorEngine({ engine: "job" }, "AllowInternetOutbound")).toBe("job");
    const internet = validConfig({
      ...BASE,
      ...INTERNET,
      modelMonitoring: {
        mon: { endpoint: "churn", deployment: "blue", taskType: "Classification", cron: "0 3 * * 1" },
      },
    });
    expect(internet.modelMonitoring.mon.engine).toBeUndefined();
    expect(internet.modelMonitoring.mon.compute).toEqual({});
  });
});

interface BadCase {
  readonly problem: string;
  readonly raw: Record<string, unknown>;
  readonly key: string;
  readonly accepted: string | RegExp;
}

const K = (key: string) => `secure-azureml:${key}`;
const monitor = (changes: Record<string, unknown>) => ({ modelMonitoring: { mon: { ...MONITOR, ...changes } } });
const builtin = (changes: Record<string, unknown>) => ({
  ...INTERNET,
  modelMonitoring: { mon: { ...BUILTIN, ...changes } },
});
const drift = (numerical: Record<string, unknown>) => monitor({ signals: { dataDrift: { numerical } } });
const retraining = (changes: Record<string, unknown>, job: Record<string, unknown> = {}) => ({
  retraining: { ...RETRAINING, ...changes, job: { ...RETRAINING.job, ...job } },
});
const batch = (deployment: Record<string, unknown>, endpoint: Record<string, unknown> = {}) => ({
  batchEndpoints: { scoring: { deployments: { score: { ...BATCH_DEPLOYMENT, ...deployment } }, ...endpoint } },
});
const longEmails = Array.from({ length: 20 }, (_, i) => ({
  name: `r${i}`,
  email: `machine-learning-platform-team-${i}@example.com`,
}));

const BAD_CASES: BadCase[] = [
  // Monitor targets.
  {
    problem: "monitor of an unknown endpoint",
    raw: monitor({ endpoint: "fraud" }),
    key: K("modelMonitoring.mon.endpoint"),
    accepted: "names online endpoint fraud, which is not in endpoints; accepted: churn",
  },
  {
    problem: "monitor of an unknown deployment",
    raw: monitor({ deployment: "red" }),
    key: K("modelMonitoring.mon.deployment"),
    accepted: "names deployment red, which endpoints.churn does not have; accepted: blue, green",
  },
  {
    problem: "two monitors of one deployment",
    raw: { modelMonitoring: { mon: MONITOR, mon2: MONITOR } },
    key: K("modelMonitoring.mon2.deployment"),
    accepted: "monitors churn/blue, which modelMonitoring.mon already monitors",
  },
  {
    problem: "monitor without taskType",
    raw: monitor({ taskType: undefined }),
    key: K("modelMonitoring.mon.taskType"),
    accepted: 'expected one of "Classification", "Regression"',
  },
  {
    problem: "monitor key with uppercase letters",
    raw: { modelMonitoring: { Churn: MONITOR } },
    key: K("modelMonitoring.Churn"),
    accepted: "3-32 lowercase letters, digits or hyphens",
  },
  {
    problem: "typo in a monitor key",
    raw: monitor({ lookbackDay: 3 }),
    key: K("modelMonitoring.mon.lookbackDay"),
    accepted: "is not a known key",
  },
  // Cron.
  {
    problem: "monitor cron with six fields",
    raw: monitor({ cron: "0 0 3 * * 1" }),
    key: K("modelMonitoring.mon.cron"),
    accepted: "must have five fields MINUTES HOURS DAYS MONTHS DAYS-OF-WEEK",
  },
  {
    problem: "monitor cron with a step",
    raw: monitor({ cron: "*/10 * * * *" }),
    key: K("modelMonitoring.mon.cron"),
    accepted: "its MINUTES field */10 is not accepted by Azure ML",
  },
  {
    problem: "monitor cron on a day of month",
    raw: monitor({ cron: "0 3 1 * *" }),
    key: K("modelMonitoring.mon.cron"),
    accepted: "its DAYS field 1 is ignored by Azure ML",
  },
  {
    problem: "monitor cron as a number",
    raw: monitor({ cron: 5 }),
    key: K("modelMonitoring.mon.cron"),
    accepted: "must be a cron expression",
  },
  {
    problem: "monitor window shorter than the time between runs",
    raw: monitor({ cron: "0 3 * * 1", lookbackDays: 2 }),
    key: K("modelMonitoring.mon.lookbackDays"),
    accepted:
      "covers 2 day(s), but cron 0 3 * * 1 leaves up to 168 hours between runs: production data in between is never checked; set lookbackDays to at least 7",
  },
  {
    problem: "lookbackDays of 0",
    raw: monitor({ lookbackDays: 0 }),
    key: K("modelMonitoring.mon.lookbackDays"),
    accepted: "must be a whole number from 1 to 90",
  },
  // Thresholds.
  {
    problem: "Jensen-Shannon distance above 1",
    raw: drift({ metric: "JensenShannonDistance", threshold: 1.5 }),
    key: K("modelMonitoring.mon.signals.dataDrift.numerical.threshold"),
    accepted: "must be greater than 0 and at most 1 for JensenShannonDistance",
  },
  {
    problem: "drift threshold of 0",
    raw: drift({ threshold: 0 }),
    key: K("modelMonitoring.mon.signals.dataDrift.numerical.threshold"),
    accepted: "must be greater than 0",
  },
  {
    problem: "PSI above 10",
    raw: drift({ metric: "PopulationStabilityIndex", threshold: 12 }),
    key: K("modelMonitoring.mon.signals.dataDrift.numerical.threshold"),
    accepted: "at most 10 for PopulationStabilityIndex",
  },
  {
    problem: "prediction drift PSI negative",
    raw: monitor({
      signals: { predictionDrift: { categorical: { metric: "PopulationStabilityIndex", threshold: -0.1 } } },
    }),
    key: K("modelMonitoring.mon.signals.predictionDrift.categorical.threshold"),
    accepted: "must be greater than 0",
  },
  {
    problem: "unsupported drift metric",
    raw: drift({ metric: "ChebyshevDistance" }),
    key: K("modelMonitoring.mon.signals.dataDrift.numerical.metric"),
    accepted: 'expected one of "JensenShannonDistance", "PopulationStabilityIndex"',
  },
  {
    problem: "quoted threshold",
    raw: drift({ threshold: "0.1" }),
    key: K("modelMonitoring.mon.signals.dataDrift.numerical.threshold"),
    accepted: "must be a number (unquoted)",
  },
  {
    problem: "null value rate above 1",
    raw: monitor({ signals: { dataQuality: { nullValueRate: 1.5 } } }),
    key: K("modelMonitoring.mon.signals.dataQuality.nullValueRate"),
    accepted: "must be a share between 0 and 1",
  },
  {
    problem: "negative out-of-bounds rate",
    raw: monitor({ signals: { dataQuality: { outOfBoundsRate: -0.01 } } }),
    key: K("modelMonitoring.mon.signals.dataQuality.outOfBoundsRate"),
    accepted: "must be a share between 0 and 1",
  },
  {
    problem: "sampling rate of 0",
    raw: monitor({ samplingRate: 0 }),
    key: K("modelMonitoring.mon.samplingRate"),
    accepted: "must be greater than 0 and at most 1",
  },
  // Compute, data, notifications.
  {
    problem: "built-in monitoring in an AllowOnlyApprovedOutbound workspace",
    raw: monitor({ engine: "builtin", compute: {} }),
    key: K("modelMonitoring.mon.engine"),
    accepted:
      'is builtin, but Azure ML model monitoring does not support workspace.outbound.mode AllowOnlyApprovedOutbound (Microsoft: "Model monitoring limitations"); accepted here: job (the default, a drift job on compute.cluster inside the managed network)',
  },
  {
    problem: "unknown engine",
    raw: monitor({ engine: "spark" }),
    key: K("modelMonitoring.mon.engine"),
    accepted: 'expected one of "job", "builtin"',
  },
  {
    problem: "job engine without a cluster",
    raw: monitor({ compute: {} }),
    key: K("modelMonitoring.mon.compute.cluster"),
    accepted:
      "is required with engine job (the default with AllowOnlyApprovedOutbound): name the CPU cluster the drift job runs on; accepted: cpu",
  },
  {
    problem: "job engine on an unknown cluster",
    raw: monitor({ compute: { cluster: "gpu" } }),
    key: K("modelMonitoring.mon.compute.cluster"),
    accepted: "names cluster gpu, which is not in compute.clusters; accepted: cpu",
  },
  {
    problem: "Spark size with the job engine",
    raw: monitor({ compute: { cluster: "cpu", instanceType: "standard_e8s_v3" } }),
    key: K("modelMonitoring.mon.compute.instanceType"),
    accepted: "is set, but it applies to engine builtin (serverless Spark) only; engine job runs on compute.cluster",
  },
  {
    problem: "cluster with the builtin engine",
    raw: builtin({ compute: { cluster: "cpu" } }),
    key: K("modelMonitoring.mon.compute.cluster"),
    accepted:
      "is set, but it applies to engine job only; engine builtin runs on serverless Spark (compute.instanceType)",
  },
  {
    problem: "job engine notify with no receiver at all",
    raw: { ...monitor({}), alerts: {} },
    key: K("modelMonitoring.mon.notify"),
    accepted:
      "is true but alerts has no emailReceivers or webhookReceivers: drift alerts would reach nobody; add a receiver or set notify: false",
  },
  {
    problem: "Spark size not offered for monitoring",
    raw: builtin({ compute: { instanceType: "Standard_D4s_v3" } }),
    key: K("modelMonitoring.mon.compute.instanceType"),
    accepted: '"standard_e4s_v3"',
  },
  {
    problem: "Spark runtime as a number",
    raw: builtin({ compute: { runtimeVersion: 3.4 } }),
    key: K("modelMonitoring.mon.compute.runtimeVersion"),
    accepted: 'expected one of "3.4"',
  },
  {
    problem: "training data by label",
    raw: monitor({ trainingData: "azureml:churn-training@latest" }),
    key: K("modelMonitoring.mon.trainingData"),
    accepted: "pin a version instead of a label",
  },
  {
    problem: "builtin notify with no e-mail receiver",
    raw: {
      ...builtin({}),
      alerts: { webhookReceivers: [{ name: "hook", serviceUri: "https://hooks.example.com/x" }] },
    },
    key: K("modelMonitoring.mon.notify"),
    accepted: "is true but alerts.emailReceivers is empty",
  },
  {
    problem: "builtin notify with more than 499 characters of addresses",
    raw: { ...builtin({}), alerts: { emailReceivers: longEmails } },
    key: K("modelMonitoring.mon.notify"),
    accepted:
      /would send to the 20 addresses of alerts\.emailReceivers, \d+ characters in all, but Azure ML monitoring accepts at most 499/,
  },
  // Retraining.
  {
    problem: "retraining on an unknown cluster",
    raw: retraining({ cluster: "gpu" }),
    key: K("retraining.cluster"),
    accepted: "names cluster gpu, which is not in compute.clusters; accepted: cpu",
  },
  {
    problem: "retraining without cron",
    raw: retraining({ cron: undefined }),
    key: K("retraining.cron"),
    accepted: "is required",
  },
  {
    problem: "retraining cron with a range",
    raw: retraining({ cron: "0 2 * * 1-5" }),
    key: K("retraining.cron"),
    accepted: "write the range 1-5 as the list 1,2,3,4,5",
  },
  {
    problem: "retraining enabled as a string",
    raw: retraining({ enabled: "yes" }),
    key: K("retraining.enabled"),
    accepted: "expected boolean",
  },
  {
    problem: "retraining with an empty command",
    raw: retraining({}, { command: "  " }),
    key: K("retraining.job.command"),
    accepted: "must be the command the job runs",
  },
  {
    problem: "retraining environment by label",
    raw: retraining({}, { environment: "azureml:churn-train@latest" }),
    key: K("retraining.job.environment"),
    accepted: "pin a version instead of a label",
  },
  {
    problem: "retraining code that is a path",
    raw: retraining({}, { code: "./src" }),
    key: K("retraining.job.code"),
    accepted: "azureml:<name>:<version>",
  },
  {
    problem: "retraining environment key that assets.environments does not declare",
    raw: { ...retraining({}, { environment: "churn-train" }), assets: DECLARED_ASSETS },
    key: K("retraining.job.environment"),
    accepted:
      "is churn-train, which is not a key of assets.environments (declared: churn-inference); name a declared environment, or give a pinned reference such as azureml:sklearn-env:2",
  },
  {
    problem: "retraining input from a URL",
    raw: retraining(
      {},
      { inputs: { data: { type: "uri_folder", path: "https://stml.blob.core.windows.net/churn/training" } } },
    ),
    key: K("retraining.job.inputs.data.path"),
    accepted: "must be a data asset version (azureml:<name>:<version> or its resource id) or a datastore URI",
  },
  {
    problem: "retraining input with a bad name",
    raw: retraining({}, { inputs: { "training-data": { type: "literal", value: "x" } } }),
    key: K("retraining.job.inputs.training-data"),
    accepted: "letters, digits or _",
  },
  {
    problem: "retraining literal given as a number",
    raw: retraining({}, { inputs: { lr: { type: "literal", value: 0.1 } } }),
    key: K("retraining.job.inputs.lr.value"),
    accepted: 'quote numbers: "0.1"',
  },
  {
    problem: "retraining input of an unknown type",
    raw: retraining({}, { inputs: { data: { type: "uri_table", path: "azureml:x:1" } } }),
    key: K("retraining.job.inputs.data.type"),
    accepted: '"uri_folder"',
  },
  {
    problem: "retraining command using an undeclared input",
    raw: retraining({}, { command: "python train.py --data ${{inputs.training_data}}" }),
    key: K("retraining.job.command"),
    accepted: "refers to ${{inputs.training_data}}, which retraining.job.inputs does not declare",
  },
  {
    problem: "retraining command using an output",
    raw: retraining({}, { command: "python train.py --out ${{outputs.model}}" }),
    key: K("retraining.job.command"),
    accepted: "scheduled retraining jobs declare no outputs",
  },
  {
    problem: "retraining timeout under 10 minutes",
    raw: retraining({}, { timeoutMinutes: 5 }),
    key: K("retraining.job.timeoutMinutes"),
    accepted: "from 10 to 43200",
  },
  // Batch endpoints.
  {
    problem: "batch deployment on an unknown cluster",
    raw: batch({ cluster: "gpu" }),
    key: K("batchEndpoints.scoring.deployments.score.cluster"),
    accepted: "names cluster gpu, which is not in compute.clusters",
  },
  {
    problem: "batch instances above the cluster's nodes",
    raw: batch({ instanceCount: 6 }),
    key: K("batchEndpoints.scoring.deployments.score.instanceCount"),
    accepted: "exceeds the 4 nodes cluster cpu scales to",
  },
  {
    problem: "batch code without an environment",
    raw: batch({ code: { codeId: "azureml:score:1", scoringScript: "driver.py" } }),
    key: K("batchEndpoints.scoring.deployments.score.environment"),
    accepted: "is required with code",
  },
  {
    problem: "batch environment without code",
    raw: batch({ environment: "azureml:env:1" }),
    key: K("batchEndpoints.scoring.deployments.score.code"),
    accepted: "is required with environment",
  },
  {
    problem: "batch output file with SummaryOnly",
    raw: batch({ output: { action: "SummaryOnly", fileName: "out.csv" } }),
    key: K("batchEndpoints.scoring.deployments.score.output.fileName"),
    accepted: "output.action is SummaryOnly, which writes no merged file",
  },
  {
    problem: "batch output path that is a URL",
    raw: batch({ output: { path: "https://stml.blob.core.windows.net/out" } }),
    key: K("batchEndpoints.scoring.deployments.score.output.path"),
    accepted: "must be a datastore URI azureml://datastores/<datastore>/paths/<path>",
  },
  {
    problem: "batch output file name with a folder",
    raw: batch({ output: { fileName: "out/scores.csv" } }),
    key: K("batchEndpoints.scoring.deployments.score.output.fileName"),
    accepted: "without / or \\",
  },
  {
    problem: "batch retry timeout of 0",
    raw: batch({ retry: { timeoutSeconds: 0 } }),
    key: K("batchEndpoints.scoring.deployments.score.retry.timeoutSeconds"),
    accepted: "from 1 to 86400",
  },
  {
    problem: "batch error threshold below -1",
    raw: batch({ errorThreshold: -2 }),
    key: K("batchEndpoints.scoring.deployments.score.errorThreshold"),
    accepted: "-1 or more",
  },
  {
    problem: "batch model by label",
    raw: batch({ model: "azureml:churn@latest" }),
    key: K("batchEndpoints.scoring.deployments.score.model"),
    accepted: "pin a version instead of a label",
  },
  {
    problem: "batch model key that assets.models does not declare",
    raw: { ...batch({ model: "fraud" }), assets: DECLARED_ASSETS },
    key: K("batchEndpoints.scoring.deployments.score.model"),
    accepted:
      "is fraud, which is not a key of assets.models (declared: churn); name a declared model, or give a pinned reference such as azureml:churn:3",
  },
  {
    problem: "batch environment key without any assets.environments",
    raw: batch({
      environment: "churn-inference",
      code: { codeId: "azureml:churn-score:1", scoringScript: "batch_driver.py" },
    }),
    key: K("batchEndpoints.scoring.deployments.score.environment"),
    accepted: "is churn-inference, which is not a key of assets.environments (assets.environments declares none)",
  },
  {
    problem: "batch default deployment unknown",
    raw: batch({}, { defaultDeployment: "main" }),
    key: K("batchEndpoints.scoring.defaultDeployment"),
    accepted: "names deployment main, which this endpoint does not have; accepted: score",
  },
  {
    problem: "batch endpoint with an online endpoint's key",
    raw: { batchEndpoints: { churn: { deployments: { score: BATCH_DEPLOYMENT } } } },
    key: K("batchEndpoints.churn"),
    accepted: "has the same key as endpoints.churn",
  },
  {
    problem: "batch endpoint in a CMK workspace",
    raw: {
      ...batch({}),
      workspace: {
        customerManagedKey: {
          keyVaultId: `/subscriptions/${SUB}/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv-cmk`,
          keyUri: "https://kv-cmk.vault.azure.net/keys/aml/0123456789abcdef0123456789abcdef",
        },
      },
    },
    key: K("batchEndpoints.scoring"),
    accepted: "cannot be used with workspace.customerManagedKey",
  },
  {
    problem: "batch endpoint without queue and table storage endpoints",
    raw: { ...batch({}), storage: {} },
    key: K("storage.privateEndpoints"),
    accepted: "must include queue and table when batchEndpoints are configured",
  },
  {
    problem: "batch endpoint with a queue but no table storage endpoint",
    raw: { ...batch({}), storage: { privateEndpoints: ["blob", "file", "queue"] } },
    key: K("storage.privateEndpoints"),
    accepted: "must include table when batchEndpoints are configured",
  },
];

describe("modelMonitoring, retraining and batchEndpoints: each problem names its key and what is accepted", () => {
  it("has at least 40 distinct cases", () => {
    expect(new Set(BAD_CASES.map((c) => c.problem)).size).toBe(BAD_CASES.length);
    expect(BAD_CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(BAD_CASES.map((c) => [c.problem, c] as const))("%s", (_, c) => {
    const raw: Record<string, unknown> = { ...BASE, ...c.raw };
    for (const [k, v] of Object.entries(raw)) if (v === undefined) Reflect.deleteProperty(raw, k);
    const issues = issuesOf(JSON.parse(JSON.stringify(raw)) as Record<string, unknown>);
    const issue = issues.find((i) => i.key === c.key);
    expect(
      issue,
      `no issue for ${c.key}; got:\n${issues.map((i) => `${i.key}: ${i.message}`).join("\n")}`,
    ).toBeDefined();
    if (typeof c.accepted === "string") expect(issue?.message).toContain(c.accepted);
    else expect(issue?.message).toMatch(c.accepted);
  });

  it("accepts declared assets by key in batch deployments and the retraining job, and keeps the keys as given", () => {
    const code = { codeId: "azureml:churn-score:1", scoringScript: "batch_driver.py" };
    const config = validConfig({
      ...BASE,
      ...retraining({}, { environment: "churn-inference" }),
      ...batch({ model: "churn", environment: "churn-inference", code }),
      assets: DECLARED_ASSETS,
    });
    expect(config.retraining?.job.environment).toBe("churn-inference");
    expect(config.batchEndpoints.scoring.deployments.score).toMatchObject({
      model: "churn",
      environment: "churn-inference",
      code,
    });
  });

  it("reports every problem of a broken configuration at once", () => {
    const issues = issuesOf({
      ...BASE,
      ...monitor({ deployment: "red", cron: "*/5 * * * *" }),
      ...retraining({ cluster: "gpu" }),
      ...batch({ instanceCount: 9 }),
    });
    expect(issues.map((i) => i.key).sort()).toEqual(
      [
        K("batchEndpoints.scoring.deployments.score.instanceCount"),
        K("modelMonitoring.mon.cron"),
        K("modelMonitoring.mon.deployment"),
        K("retraining.cluster"),
      ].sort(),
    );
  });
});

describe("asset references of jobs and batch deployments", () => {
  const ENVIRONMENT_FORMS =
    "must be azureml:<name>:<version> (e.g. azureml:sklearn-env:2), azureml://registries/<registry>/environments/<name>/versions/<version>, or an environment version resource id .../providers/Microsoft.MachineLearningServices/{workspaces|registries}/<name>/environments/<name>/versions/<version>, or the key of an assets.environments entry (e.g. churn-inference)";

  it("answer a wrong type with every accepted form, as online deployments do", () => {
    const online = issuesOf({
      ...BASE,
      endpoints: { churn: { deployments: { blue: { ...BASE.endpoints.churn.deployments.blue, environment: 7 } } } },
    });
    const job = issuesOf({ ...BASE, ...retraining({}, { environment: 7 }) });
    const scoring = issuesOf({
      ...BASE,
      ...batch({ environment: 7, code: { codeId: "azureml:score:1", scoringScript: "driver.py" } }),
    });
    const wrongType = `has the wrong type: expected string, got number; ${ENVIRONMENT_FORMS}`;
    expect(online.map((i) => [i.key, i.message])).toEqual([
      [K("endpoints.churn.deployments.blue.environment"), wrongType],
    ]);
    expect(job.map((i) => [i.key, i.message])).toEqual([[K("retraining.job.environment"), wrongType]]);
    expect(scoring.map((i) => [i.key, i.message])).toEqual([
      [K("batchEndpoints.scoring.deployments.score.environment"), wrongType],
    ]);
  });
});
