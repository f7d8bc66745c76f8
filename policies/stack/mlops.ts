import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { BaselineStackPolicy, MANDATORY } from "../support/baseline";
import { sameText } from "../support/props";
import {
  UNKNOWN,
  knownString,
  label,
  mustKnow,
  normalizeId,
  ofType,
  peek,
  refersToId,
  shown,
  sourcesOf,
  untraced,
} from "../support/stackGraph";
import { TYPES as T } from "secure-azureml-facts";
import { isProduction } from "./protection";
import { workspaceOf } from "./readiness/shared";

/**
 * The MLOps serving loop across the stack: production deployments are monitored, monitored
 * deployments collect the data their monitors read, batch endpoints live in private workspaces, and
 * scheduled, monitoring and batch jobs run on compute without public IPs.
 *
 * Schedules, batch endpoints and deployments keep their settings under `properties`
 * (azure-native v3): a schedule's action at `properties.action`, a monitor's target at
 * `properties.action.monitorDefinition.monitoringTarget.deploymentId`, a scheduled job's compute at
 * `properties.action.jobDefinition.computeId`, a batch deployment's cluster at `properties.compute`.
 */

type Report = (message: string, urn?: string) => void;

const SCHEDULE = T.schedule;
const BATCH_ENDPOINT = T.batchEndpoint;
const BATCH_DEPLOYMENT = T.batchDeployment;
const TARGET = "properties.action.monitorDefinition.monitoringTarget.deploymentId";
const COLLECTIONS = ["model_inputs", "model_outputs"] as const;

interface EnvironmentConfig {
  environment: "dev" | "prod" | "auto";
}

const DATA_VERSION = T.dataVersion;
const JOB_INPUTS = "properties.action.jobDefinition.inputs";
const COLLECTED_INPUTS = "properties.dataCollector.collections.model_inputs.dataId";

/** Schedules whose action is `actionType` (a schedule whose action type is unknown must be known). */
function schedulesWith(resources: PolicyResource[], actionType: "CreateMonitor" | "CreateJob"): PolicyResource[] {
  return ofType(resources, SCHEDULE).filter((schedule) => {
    const type = peek(schedule.props, "properties.action.actionType");
    if (type === UNKNOWN) mustKnow(schedule, "properties.action.actionType");
    return sameText(type, actionType);
  });
}

function monitorSchedules(resources: PolicyResource[]): PolicyResource[] {
  return schedulesWith(resources, "CreateMonitor");
}

/**
 * Whether a scheduled job reads the data asset a deployment's collector writes its inputs to (a
 * drift job): an input's `uri` equals the deployment's model_inputs `dataId`, or, while ids are
 * unknown, both take them from the same DataVersion of the stack.
 */
function readsCollectedInputs(schedule: PolicyResource, deployment: PolicyResource): boolean {
  const dataId = peek(deployment.props, COLLECTED_INPUTS);
  const inputs = peek(schedule.props, JOB_INPUTS);
  if (inputs === UNKNOWN) mustKnow(schedule, JOB_INPUTS);
  const uris =
    inputs !== null && typeof inputs === "object" ? Object.values(inputs).map((input) => peek(input, "uri")) : [];
  if (dataId === undefined) return false;
  const known = knownString(dataId);
  if (
    known !== undefined &&
    uris.some((uri) => knownString(uri) !== undefined && normalizeId(knownString(uri) ?? "") === normalizeId(known))
  )
    return true;
  if (dataId !== UNKNOWN && !uris.includes(UNKNOWN)) return false;
  const fromSchedule = new Set(sourcesOf(schedule, "properties").map((r) => r.urn));
  return sourcesOf(deployment, "properties").some(
    (source) => source.type === DATA_VERSION && fromSchedule.has(source.urn),
  );
}

/** Whether a monitor schedule's target is this deployment: by id, by `azureml:<endpoint>:<deployment>`, or by dependency when unknown. */
function targets(schedule: PolicyResource, deployment: PolicyResource): boolean {
  const value = peek(schedule.props, TARGET);
  const short = /^azureml:([^:/]+):([^:/]+)$/.exec(knownString(value) ?? "");
  if (!short) return refersToId(schedule, "properties", value, deployment);
  const endpoint = knownString(peek(deployment.props, "endpointName"));
  const name = knownString(peek(deployment.props, "deploymentName")) ?? knownString(peek(deployment.props, "name"));
  return endpoint?.toLowerCase() === short[1].toLowerCase() && name?.toLowerCase() === short[2].toLowerCase();
}

/** Schedules that are on: `properties.isEnabled` true or absent (the API default). */
function enabled(schedule: PolicyResource): boolean {
  const value = peek(schedule.props, "properties.isEnabled");
  if (value === UNKNOWN) mustKnow(schedule, "properties.isEnabled");
  return value === undefined || value === true || sameText(value, "true");
}

/** Rule: in production, every online deployment has an enabled monitoring schedule. */
function validateMonitored(args: StackValidationArgs, report: Report): void {
  const { environment } = args.getConfig<EnvironmentConfig>();
  if (!isProduction(args, environment)) {
    args.notApplicable(`not a production stack (environment: ${environment})`);
    return;
  }
  const monitors = monitorSchedules(args.resources);
  const jobs = schedulesWith(args.resources, "CreateJob");
  for (const deployment of ofType(args.resources, T.onlineDeployment)) {
    const watching = [
      ...monitors.filter((schedule) => targets(schedule, deployment)),
      ...jobs.filter((schedule) => readsCollectedInputs(schedule, deployment)),
    ];
    if (watching.some(enabled)) continue;
    // A monitor whose target is unknown and came from no resource of the stack may watch this deployment.
    for (const schedule of monitors)
      if (untraced(schedule, "properties", peek(schedule.props, TARGET))) mustKnow(schedule, TARGET);
    const why =
      watching.length > 0
        ? `its monitor ${watching.map(label).join(", ")} is disabled (properties.isEnabled false)`
        : "no Schedule with a CreateMonitor action targets it and no scheduled job (CreateJob) reads its collected model inputs";
    report(
      `${label(deployment)} serves a production model but ${why}: drift and data quality problems go unnoticed.`,
      deployment.urn,
    );
  }
}

/** Rule: every deployment a monitor watches collects the inputs and outputs the monitor reads. */
function validateCollection(args: StackValidationArgs, report: Report): void {
  const deployments = ofType(args.resources, T.onlineDeployment);
  for (const schedule of monitorSchedules(args.resources)) {
    for (const deployment of deployments.filter((d) => targets(schedule, d))) {
      const off = COLLECTIONS.filter((collection) => {
        const path = `properties.dataCollector.collections.${collection}.dataCollectionMode`;
        const mode = peek(deployment.props, path);
        if (mode === UNKNOWN) mustKnow(deployment, path);
        return !sameText(mode, "Enabled");
      });
      if (off.length === 0) continue;
      const states = off
        .map(
          (c) =>
            `${c} ${shown(peek(deployment.props, `properties.dataCollector.collections.${c}.dataCollectionMode`))}`,
        )
        .join(", ");
      report(
        `${label(deployment)} is monitored by ${label(schedule)} but does not collect ${off.join(" and ")} (properties.dataCollector.collections: ${states}): the monitor has no production data to read.`,
        deployment.urn,
      );
    }
  }
}

/** Rule: batch endpoints are private because their workspace is (they inherit its network setting at creation). */
function validateBatchPrivate(args: StackValidationArgs, report: Report): void {
  for (const endpoint of ofType(args.resources, BATCH_ENDPOINT)) {
    const workspace = workspaceOf(args.resources, endpoint);
    if (!workspace) continue;
    const access = peek(workspace.props, "publicNetworkAccess");
    if (access === UNKNOWN) mustKnow(workspace, "publicNetworkAccess");
    if (sameText(access, "Disabled")) continue;
    report(
      `${label(endpoint)} belongs to ${label(workspace)} whose publicNetworkAccess is ${access === undefined ? "not set (Azure defaults to Enabled)" : shown(access)}: batch endpoints take the workspace's network setting when they are created, so this one can be invoked from the internet.`,
      endpoint.urn,
    );
  }
}

/** The problem with running on the workspace's serverless compute, or undefined. */
function serverlessProblem(resources: PolicyResource[], job: PolicyResource, what: string): string | undefined {
  const workspace = workspaceOf(resources, job);
  if (!workspace) return undefined;
  const noPublicIp = peek(workspace.props, "serverlessComputeSettings.serverlessComputeNoPublicIP");
  if (noPublicIp === UNKNOWN) mustKnow(workspace, "serverlessComputeSettings.serverlessComputeNoPublicIP");
  if (noPublicIp === true || sameText(noPublicIp, "true")) return undefined;
  return `${what} runs on serverless compute of ${label(workspace)}, whose serverlessComputeSettings.serverlessComputeNoPublicIP is ${shown(noPublicIp)} (serverless nodes get public IPs unless it is true)`;
}

/** The problem with running on the compute at `path` (a cluster of the stack), or on serverless compute when it is absent. */
function computeProblem(
  resources: PolicyResource[],
  job: PolicyResource,
  path: string,
  what: string,
): string | undefined {
  const computeId = peek(job.props, path);
  if (computeId === undefined) return serverlessProblem(resources, job, what);
  const compute = ofType(resources, T.compute).find((c) => refersToId(job, "properties", computeId, c));
  if (!compute) {
    if (untraced(job, "properties", computeId)) mustKnow(job, path);
    return undefined;
  }
  const publicIp = peek(compute.props, "properties.properties.enableNodePublicIp");
  if (publicIp === UNKNOWN) mustKnow(compute, "properties.properties.enableNodePublicIp");
  if (publicIp === false || sameText(publicIp, "false")) return undefined;
  return `${what} runs on ${label(compute)}, whose properties.properties.enableNodePublicIp is ${publicIp === undefined ? "not set (Azure defaults to true)" : shown(publicIp)}`;
}

const PUBLIC =
  ": its nodes can be reached from the internet; use a cluster with enableNodePublicIp false, or set the workspace's serverlessComputeNoPublicIP to true.";

/** Rule: scheduled jobs, monitoring jobs (serverless Spark) and batch scoring jobs run on compute without public IPs. */
function validateJobCompute(args: StackValidationArgs, report: Report): void {
  for (const schedule of ofType(args.resources, SCHEDULE)) {
    const type = peek(schedule.props, "properties.action.actionType");
    if (type === UNKNOWN) mustKnow(schedule, "properties.action.actionType");
    const problem = sameText(type, "CreateJob")
      ? computeProblem(
          args.resources,
          schedule,
          "properties.action.jobDefinition.computeId",
          `the job of ${label(schedule)}`,
        )
      : sameText(type, "CreateMonitor")
        ? serverlessProblem(args.resources, schedule, `the monitoring job of ${label(schedule)}`)
        : undefined;
    if (problem) report(`${problem}${PUBLIC}`, schedule.urn);
  }
  for (const deployment of ofType(args.resources, BATCH_DEPLOYMENT)) {
    const problem = computeProblem(
      args.resources,
      deployment,
      "properties.compute",
      `batch scoring of ${label(deployment)}`,
    );
    if (problem) report(`${problem}${PUBLIC}`, deployment.urn);
  }
}

const environmentSchema = {
  type: "string" as const,
  enum: ["dev", "prod", "auto"],
  default: "dev",
  description:
    'Which kind of stack this is. "auto": production when the stack tag "environment" is prod/prd/production/live, or, without that tag, when a token of the stack name is.',
};

export const mlopsPolicies: BaselineStackPolicy[] = [
  {
    name: "stack-prod-online-deployments-monitored",
    description:
      "In production stacks, every Azure ML online deployment is watched by an enabled Schedule: a CreateMonitor action whose properties.action.monitorDefinition.monitoringTarget.deploymentId is the deployment (built-in model monitoring), or a CreateJob action whose job reads, as an input uri, the data asset the deployment collects its model inputs into (properties.dataCollector.collections.model_inputs.dataId: a drift job, the way to monitor in AllowOnlyApprovedOutbound workspaces, which built-in monitoring does not support); an absent isEnabled counts as enabled, the API default.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Add an azure-native:machinelearningservices:Schedule with properties.action { actionType: "CreateMonitor", monitorDefinition: { monitoringTarget: { deploymentId: <deployment>.id, taskType }, signals: {...}, computeConfiguration: {...} } }, or a CreateJob schedule whose jobDefinition.inputs read the deployment\'s collected model_inputs data asset (in this project: a modelMonitoring entry for the deployment, engine job or builtin).',
    configSchema: { properties: { environment: environmentSchema } },
    validateStack: validateMonitored,
  },
  {
    name: "stack-monitored-deployment-data-collection",
    description:
      "Every online deployment a monitoring schedule targets collects its model inputs and outputs (properties.dataCollector.collections.model_inputs and model_outputs with dataCollectionMode Enabled); an absent collection or mode is treated as Disabled, so the monitor would have no production data.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Set `properties.dataCollector: { collections: { model_inputs: { dataCollectionMode: "Enabled", dataId: <data asset version id> }, model_outputs: { dataCollectionMode: "Enabled", dataId: ... } } }` on the azure-native:machinelearningservices:OnlineDeployment, and give its endpoint identity Storage Blob Data Contributor on the destination container.',
    validateStack: validateCollection,
  },
  {
    name: "stack-batch-endpoint-private",
    description:
      "Every Azure ML batch endpoint belongs to a workspace of the stack with publicNetworkAccess Disabled (absent is treated as Enabled, the service default): batch endpoints have no network setting of their own and inherit the workspace's when they are created.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `publicNetworkAccess: "Disabled"` (with a private endpoint) on the azure-native:machinelearningservices:Workspace before creating the azure-native:machinelearningservices:BatchEndpoint; an endpoint created while the workspace was public must be re-created after the change.',
    validateStack: validateBatchPrivate,
  },
  {
    name: "stack-ml-jobs-compute-private",
    description:
      "Jobs of Azure ML schedules (CreateJob: properties.action.jobDefinition.computeId; CreateMonitor: serverless Spark) and batch deployments (properties.compute) run on a cluster with properties.properties.enableNodePublicIp false, or on serverless compute of a workspace with serverlessComputeSettings.serverlessComputeNoPublicIP true; absent values are treated as public, the service defaults.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Point the job's computeId (or the batch deployment's properties.compute) at an azure-native:machinelearningservices:Compute with `properties.properties.enableNodePublicIp: false`, and set `serverlessComputeSettings: { serverlessComputeNoPublicIP: true }` on the workspace for serverless and monitoring jobs.",
    validateStack: validateJobCompute,
  },
];
