import { z } from "zod";
import { undeclaredAssetKeyProblems } from "./assetKeys";
import { longestGapHours } from "./cron";
import { MONITOR_ENGINES, MonitorEngine, batchDeploymentSchema, monitorEngine, monitorSchema } from "./mlopsServingSchema";
import { RawRecord, isRecord, recordAt } from "./raw";
import type { ConfigProblem } from "./rules";

/*
 * Cross-field rules for `modelMonitoring`, `retraining` and `batchEndpoints`. Like the other
 * rules, each reads the raw config and parses only the fields it needs, skipping a field that is
 * itself invalid (the schema reports that one), so every problem surfaces in one run.
 */

type Path = readonly (string | number)[];

/** Azure ML monitoring e-mails its alerts to a list "limited to 499 characters in total" (MonitorEmailNotificationSettings). */
export const MONITOR_EMAILS_MAX_CHARACTERS = 499;

function objectEntries(value: unknown): [string, RawRecord][] {
  return isRecord(value) ? Object.entries(value).filter((entry): entry is [string, RawRecord] => isRecord(entry[1])) : [];
}

function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.output<T> | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

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
    return [{ path: [...path, "endpoint"], message: `names online endpoint ${endpoint}, which is not in endpoints; ${accepted(keysOf(endpoints), "endpoints")}` }];
  }
  const deployment = monitor.deployment;
  const deployments = recordAt(endpoints, endpoint, "deployments");
  if (typeof deployment !== "string" || (deployments && isRecord(deployments[deployment]))) return [];
  return [
    { path: [...path, "deployment"], message: `names deployment ${deployment}, which endpoints.${endpoint} does not have; ${accepted(keysOf(deployments), `endpoints.${endpoint}.deployments`)}` },
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
      problems.push({ path: [...path, "compute", key], message: `is set, but it applies to engine builtin (serverless Spark) only; engine job runs on compute.cluster` });
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
    problems.push({ path: [...path, "compute", "cluster"], message: "is set, but it applies to engine job only; engine builtin runs on serverless Spark (compute.instanceType)" });
  }
  return problems;
}

function notificationProblems(raw: RawRecord, path: Path, monitor: RawRecord): ConfigProblem[] {
  const notify = parseWith(monitorSchema.shape.notify, monitor.notify);
  if (notify !== true) return [];
  if (engineOf(raw, monitor) === "job") {
    const receivers = (key: string) => recordAt(raw, "alerts")?.[key];
    const any = [receivers("emailReceivers"), receivers("webhookReceivers")].some((list) => Array.isArray(list) && list.length > 0);
    if (any) return [];
    return [{ path: [...path, "notify"], message: "is true but alerts has no emailReceivers or webhookReceivers: drift alerts would reach nobody; add a receiver or set notify: false" }];
  }
  const emails = receiverEmails(raw);
  if (emails.length === 0) {
    return [{ path: [...path, "notify"], message: "is true but alerts.emailReceivers is empty: drift alerts would reach nobody; add an e-mail receiver or set notify: false" }];
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
    const problems = [...targetProblems(raw, path, monitor), ...engineProblems(raw, path, monitor), ...cadenceProblems(path, monitor), ...notificationProblems(raw, path, monitor)];
    if (typeof monitor.endpoint === "string" && typeof monitor.deployment === "string") {
      const target = `${monitor.endpoint}/${monitor.deployment}`;
      const first = seen.get(target);
      if (first) problems.push({ path: [...path, "deployment"], message: `monitors ${target}, which modelMonitoring.${first} already monitors; keep one monitor per deployment (each run is a job)` });
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
  return [{ path, message: `names cluster ${cluster}, which is not in compute.clusters; ${accepted(keysOf(clusters), "compute.clusters")}` }];
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
  problems.push(...undeclaredAssetKeyProblems(raw, ["retraining", "job", "environment"], job?.environment, "environments"));
  const command = job?.command;
  if (typeof command !== "string") return problems;
  const declared = keysOf(job?.inputs);
  const path = ["retraining", "job", "command"];
  for (const name of new Set(references(command, "inputs"))) {
    if (!declared.includes(name)) problems.push({ path, message: `refers to \${{inputs.${name}}}, which retraining.job.inputs does not declare; ${accepted(declared, "retraining.job.inputs")}` });
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
  const cluster = typeof deployment.cluster === "string" ? recordAt(raw, "compute", "clusters", deployment.cluster) : undefined;
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
      message: "is required with code: the batch driver script runs in this environment (curated environments are not supported for batch deployments)",
    });
  }
  if (deployment.environment !== undefined && deployment.code === undefined) {
    problems.push({ path: [...path, "code"], message: "is required with environment: give the batch driver script, or leave out both for an MLflow model (Azure ML then provides them)" });
  }
  const output = recordAt(deployment, "output");
  if (output?.action === "SummaryOnly" && output.fileName !== undefined) {
    problems.push({ path: [...path, "output", "fileName"], message: "is set but output.action is SummaryOnly, which writes no merged file; remove fileName or use AppendRow" });
  }
  return problems;
}

function workspaceProblems(raw: RawRecord, name: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (recordAt(raw, "workspace", "customerManagedKey")) {
    problems.push({
      path: ["batchEndpoints", name],
      message: "cannot be used with workspace.customerManagedKey: Azure ML does not support batch deployments in workspaces encrypted with a customer-managed key",
    });
  }
  const online = recordAt(raw, "endpoints");
  if (online && name in online) {
    problems.push({ path: ["batchEndpoints", name], message: `has the same key as endpoints.${name}: online and batch endpoint names share one namespace per region; rename one of them` });
  }
  return problems;
}

/** Microsoft ("Network isolation in batch endpoints"): batch deployments need the blob, file, queue and table endpoints of storage. */
function storageProblems(raw: RawRecord): ConfigProblem[] {
  const endpoints = recordAt(raw, "storage")?.privateEndpoints;
  const listed = Array.isArray(endpoints) ? endpoints.filter((e): e is string => typeof e === "string") : ["blob", "file"];
  const missing = ["queue", "table"].filter((sub) => !listed.includes(sub));
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
    const perDeployment = objectEntries(endpoint.deployments).flatMap(([key, deployment]) => batchDeploymentProblems(raw, [...path, "deployments", key], deployment));
    const fallback = endpoint.defaultDeployment;
    const defaultProblem: ConfigProblem[] =
      typeof fallback === "string" && !deployments.includes(fallback)
        ? [{ path: [...path, "defaultDeployment"], message: `names deployment ${fallback}, which this endpoint does not have; ${accepted(deployments, `batchEndpoints.${name}.deployments`)}` }]
        : [];
    return [...workspaceProblems(raw, name), ...perDeployment, ...defaultProblem];
  });
  return endpoints.length > 0 ? [...problems, ...storageProblems(raw)] : problems;
}

/** Every rule for model monitoring, retraining and batch endpoints; `rules.ts` runs them with the others. */
export const MLOPS_SERVING_RULES: readonly ((raw: RawRecord) => ConfigProblem[])[] = [monitorRules, retrainingRules, batchRules];
