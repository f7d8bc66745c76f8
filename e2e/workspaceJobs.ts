/**
 * Work the test does inside the platform's managed network, as Azure ML command jobs on the
 * platform's CPU cluster (the workspace, storage and endpoints have no public access, so a runner
 * outside cannot reach them):
 * - build a tiny MLflow churn model and copy the scoring code (assets/code/churn-scoring) to the
 *   workspace blob datastore (job outputs), then register them as the model `churn` version 1 and the
 *   code `churn-scoring` version 1 with ARM calls (the environment has no Azure ML SDK, and the
 *   runner cannot upload files to the private storage, but ARM is reachable from anywhere);
 * - score the online endpoint from the job with the compute identity's Entra token.
 *
 * Jobs are submitted through ARM (`workspaces/jobs`, API 2025-12-01, the version azure-native 3.28
 * uses). Scripts are inlined into the command (no code asset to upload: the storage account is
 * private), as the drift schedule does.
 */
import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ArmClient } from "./arm";
import { type PlatformFacts, workspacePath } from "./platformOutputs";
import { REPO_ROOT } from "./stackConfig";

const ML_API = "2025-12-01";
/** JobStatus values after which a job changes no more (workspaceRP 2025-12-01, JobStatus). */
const TERMINAL_STATUSES = new Set(["Completed", "Failed", "Canceled", "NotResponding"]);
const JOB_POLL_MS = 30_000;

export const MODEL_NAME = "churn";
export const MODEL_VERSION = "1";
export const CODE_NAME = "churn-scoring";
export const CODE_VERSION = "1";
/** The scoring script folder the code asset is made of. */
const CODE_FOLDER = "assets/code/churn-scoring";

interface JobResource {
  properties: { status?: string; services?: Record<string, { endpoint?: string } | undefined> };
}

type Log = (line: string) => void;

/** A shell command that writes `script` to /tmp and runs it with python, followed by `args`. */
function inlinePython(script: string, args: string): string {
  const encoded = Buffer.from(readFileSync(join(REPO_ROOT, "e2e", "assets", script), "utf8")).toString("base64");
  return `echo ${encoded} | base64 -d > /tmp/${script} && python /tmp/${script} ${args}`.trim();
}

/** Submit a command job on the cluster as the compute identity and wait for it; throws unless it completes. */
async function runCommandJob(
  arm: ArmClient,
  facts: PlatformFacts,
  name: string,
  spec: {
    displayName: string;
    command: string;
    environmentVariables?: Record<string, string>;
    outputs?: Record<string, unknown>;
  },
  log: Log,
): Promise<string> {
  const jobPath = `${workspacePath(facts)}/jobs/${name}`;
  await arm.put(jobPath, ML_API, {
    properties: {
      jobType: "Command",
      displayName: spec.displayName,
      experimentName: "e2e",
      computeId: facts.computeId,
      environmentId: facts.environmentId,
      command: spec.command,
      environmentVariables: spec.environmentVariables ?? {},
      identity: { identityType: "Managed", clientId: facts.computeIdentity.clientId },
      limits: { jobLimitsType: "Command", timeout: "PT1H" },
      outputs: spec.outputs ?? {},
    },
  });
  log(`  job ${name} submitted`);
  // Queueing, scaling the cluster from zero and pulling the image come before the one-hour limit.
  const deadline = Date.now() + 2 * 60 * 60 * 1000;
  let last = "";
  for (;;) {
    const job = await arm.get<JobResource>(jobPath, ML_API);
    const status = job?.properties.status ?? "Unknown";
    if (status !== last) log(`  job ${name}: ${status}`);
    last = status;
    if (TERMINAL_STATUSES.has(status)) {
      if (status === "Completed") return name;
      const studio = job?.properties.services?.Studio?.endpoint ?? "(no studio link)";
      throw new Error(`job ${name} ended ${status}; logs: ${studio}`);
    }
    if (Date.now() > deadline) throw new Error(`job ${name} still ${status} after 2 hours`);
    await new Promise((done) => setTimeout(done, JOB_POLL_MS));
  }
}

interface Datastore {
  properties: { accountName?: string; containerName?: string; endpoint?: string };
}

/** Shell commands that write each file of `folder` (relative to the repository) into `target`, inlined in base64. */
function inlineFolder(folder: string, target: string): string {
  const dir = join(REPO_ROOT, folder);
  return readdirSync(dir)
    .filter((file) => statSync(join(dir, file)).isFile())
    .map((file) => {
      if (!/^[\w.-]+$/.test(file))
        throw new Error(`${folder}/${file}: only letters, digits, '.', '-' and '_' in names are supported`);
      return `echo ${readFileSync(join(dir, file)).toString("base64")} | base64 -d > ${target}/${file}`;
    })
    .join(" && ");
}

/**
 * Build the model and stage the scoring code in the network, then register both (kept when they
 * already exist, e.g. on a rerun): the model churn:1 and the code churn-scoring:1 the shipped
 * serving stack names (serving/Pulumi.dev.yaml), which the serving program checks before it creates anything.
 */
export async function registerServingAssets(
  arm: ArmClient,
  facts: PlatformFacts,
  stack: string,
  log: Log,
): Promise<void> {
  const workspace = workspacePath(facts);
  const modelPath = `${workspace}/models/${MODEL_NAME}/versions/${MODEL_VERSION}`;
  const codePath = `${workspace}/codes/${CODE_NAME}/versions/${CODE_VERSION}`;
  const [modelExists, codeExists] = [
    (await arm.get(modelPath, ML_API)) !== undefined,
    (await arm.get(codePath, ML_API)) !== undefined,
  ];
  if (modelExists && codeExists) {
    log(`  ${MODEL_NAME}:${MODEL_VERSION} and ${CODE_NAME}:${CODE_VERSION} are already registered`);
    return;
  }
  const folder = `e2e/${stack}/${randomUUID()}`;
  const jobName = await runCommandJob(
    arm,
    facts,
    `e2e-assets-${randomUUID()}`,
    {
      displayName: `e2e: build ${MODEL_NAME}:${MODEL_VERSION}, stage ${CODE_NAME}:${CODE_VERSION}`,
      // Azure ML substitutes ${{outputs.<name>}} with each output's local folder, uploaded when the job ends.
      command: `${inlineFolder(CODE_FOLDER, "${{outputs.code}}")} && ${inlinePython("register_churn.py", "--output ${{outputs.model}}")}`,
      outputs: {
        model: {
          jobOutputType: "mlflow_model",
          mode: "Upload",
          uri: `azureml://datastores/workspaceblobstore/paths/${folder}/model/`,
        },
        code: {
          jobOutputType: "uri_folder",
          mode: "Upload",
          uri: `azureml://datastores/workspaceblobstore/paths/${folder}/code/`,
        },
      },
    },
    log,
  );
  if (!modelExists) {
    // A datastore URI in the long form (Azure ML, "Access data in a job", URI formats).
    const modelUri = `azureml://subscriptions/${facts.subscriptionId}/resourcegroups/${facts.resourceGroupName}/workspaces/${facts.workspaceName}/datastores/workspaceblobstore/paths/${folder}/model/`;
    await arm.put(modelPath, ML_API, {
      properties: {
        modelType: "mlflow_model",
        modelUri,
        jobName,
        description: "Real deploy test model (npm run e2e)",
        tags: { e2e: stack },
      },
    });
    log(`  registered ${MODEL_NAME}:${MODEL_VERSION} from ${modelUri}`);
  }
  if (!codeExists) {
    // Code versions point at the blob folder itself (what `az ml code create` registers): read the datastore's account and container.
    const datastore = await arm.get<Datastore>(`${workspace}/datastores/workspaceblobstore`, ML_API);
    const { accountName, containerName, endpoint } = datastore?.properties ?? {};
    if (!accountName || !containerName)
      throw new Error("the workspaceblobstore datastore has no account or container name");
    const codeUri = `https://${accountName}.blob.${endpoint ?? "core.windows.net"}/${containerName}/${folder}/code`;
    await arm.put(codePath, ML_API, {
      properties: { codeUri, description: "Real deploy test scoring code (npm run e2e)", tags: { e2e: stack } },
    });
    log(`  registered ${CODE_NAME}:${CODE_VERSION} from ${codeUri}`);
  }
}

/**
 * Score the endpoint from a job in the managed network, as the compute identity: the platform
 * grants it AzureML Data Scientist on the workspace (components/roleAssignments.ts), which includes
 * `Microsoft.MachineLearningServices/workspaces/onlineEndpoints/score/action` (`workspaces/*\/action`).
 */
export async function scoreEndpoint(
  arm: ArmClient,
  facts: PlatformFacts,
  endpointName: string,
  log: Log,
): Promise<void> {
  const endpoint = await arm.get<{ properties: { scoringUri?: string } }>(
    `${workspacePath(facts)}/onlineEndpoints/${endpointName}`,
    ML_API,
  );
  const scoringUri = endpoint?.properties.scoringUri;
  if (!scoringUri) throw new Error(`online endpoint ${endpointName} has no scoring URI (does it exist?)`);
  await runCommandJob(
    arm,
    facts,
    `e2e-score-${randomUUID()}`,
    {
      displayName: `e2e: score ${endpointName}`,
      command: inlinePython("score_endpoint.py", ""),
      environmentVariables: { SCORING_URI: scoringUri, E2E_CLIENT_ID: facts.computeIdentity.clientId },
    },
    log,
  );
}
