/**
 * What the test needs from the platform stack's outputs (program.ts exports them), checked once:
 * a missing output is an error that names it, not an `undefined` deep inside a REST call.
 */
import type { E2eSettings } from "./settings";

/** The Automation API's output map: `{ [name]: { value, secret } }`. */
export type StackOutputs = Readonly<Record<string, { value: unknown; secret: boolean } | undefined>>;

export interface PlatformFacts {
  subscriptionId: string;
  resourceGroupName: string;
  workspaceName: string;
  /** ARM id of the compute cluster the test jobs run on. */
  computeId: string;
  /** ARM id of the environment version the test jobs run in. */
  environmentId: string;
  /** The compute clusters' user-assigned identity: the test jobs run as it. */
  computeIdentity: { clientId: string; principalId: string };
}

export class MissingOutputError extends Error {}

function valueAt(outputs: StackOutputs, path: readonly string[]): unknown {
  let current: unknown = outputs[path[0]]?.value;
  for (const key of path.slice(1))
    current = current !== null && typeof current === "object" ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

function requiredString(outputs: StackOutputs, path: readonly string[], hint: string): string {
  const value = valueAt(outputs, path);
  if (typeof value !== "string" || value === "")
    throw new MissingOutputError(`the platform stack has no output ${path.join(".")} (${hint})`);
  return value;
}

export function workspacePath(
  facts: Pick<PlatformFacts, "subscriptionId" | "resourceGroupName" | "workspaceName">,
): string {
  return `/subscriptions/${facts.subscriptionId}/resourceGroups/${facts.resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/${facts.workspaceName}`;
}

/** `azureml:<name>:<version>` (the form program.ts exports) or an ARM id, as the ARM id a job body takes. */
export function environmentVersionId(reference: string, workspaceId: string): string {
  if (reference.startsWith("/subscriptions/")) return reference;
  const match = /^azureml:([\w.-]+):([\w.-]+)$/.exec(reference);
  if (!match)
    throw new MissingOutputError(
      `environment reference ${JSON.stringify(reference)} is neither azureml:<name>:<version> nor an ARM id`,
    );
  return `${workspaceId}/environments/${match[1]}/versions/${match[2]}`;
}

export function platformFacts(outputs: StackOutputs, settings: E2eSettings): PlatformFacts {
  const resourceGroupName = requiredString(outputs, ["resourceGroupName"], "the resource group the platform creates");
  const workspaceName = requiredString(outputs, ["workspaceName"], "the Azure ML workspace");
  const base = { subscriptionId: settings.subscriptionId, resourceGroupName, workspaceName };
  const workspaceId = workspacePath(base);
  const clusterName = requiredString(
    outputs,
    ["computeClusters", settings.clusterKey],
    `compute cluster E2E_CLUSTER=${settings.clusterKey}`,
  );
  const environment = requiredString(
    outputs,
    ["assets", "environments", settings.environmentKey],
    `environment E2E_ENVIRONMENT=${settings.environmentKey}`,
  );
  return {
    ...base,
    computeId: `${workspaceId}/computes/${clusterName}`,
    environmentId: environmentVersionId(environment, workspaceId),
    computeIdentity: {
      clientId: requiredString(outputs, ["identities", "compute", "clientId"], "the compute identity's client id"),
      principalId: requiredString(
        outputs,
        ["identities", "compute", "principalId"],
        "the compute identity's principal id",
      ),
    },
  };
}
