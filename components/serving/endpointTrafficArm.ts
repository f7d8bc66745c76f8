import type { TokenCredential } from "@azure/identity";
import {
  EndpointKind,
  LiveAllocation,
  allocationMatches,
  endpointPutBody,
  liveAllocation,
} from "./endpointTrafficSpec";

/**
 * The Azure half of EndpointTraffic: GET the endpoint, PUT it back with the new allocation and
 * wait for the long-running operation, through @azure/arm-resources' generic-resources API
 * (Resources_GetById / Resources_CreateOrUpdateById), which lets the ML API version be pinned.
 * OnlineEndpoints_CreateOrUpdate answers 201 with an Azure-AsyncOperation header and
 * "final-state-via": "original-uri" (mfe.json 2025-12-01); the SDK's poller follows it.
 *
 * The SDK is required inside the functions (not at module top level), so the closure
 * serialization of the dynamic provider does not capture it.
 */

/** How to reach ARM: production builds it from the environment, tests inject a fake. */
export interface ArmConnection {
  credential: TokenCredential;
  /** ARM base URL, e.g. https://management.azure.com (no trailing slash needed). */
  armEndpoint: string;
  /** Optional. Poll interval for long-running operations; the SDK default (2 s, or Retry-After) when unset. */
  pollIntervalMs?: number;
  /** Optional. Extra CA certificate (PEM) to trust: tests only. */
  trustedCa?: string;
}

/** What to set on which endpoint. */
export interface AllocationTarget {
  endpointId: string;
  endpointKind: EndpointKind;
  apiVersion: string;
}

type Resources = import("@azure/arm-resources").Resources;

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** The SDK's path template is "/{resourceId}": an id with its leading slash would give "//subscriptions/...". */
function pathId(target: AllocationTarget): string {
  return target.endpointId.replace(/^\/+/, "");
}

function resourcesClient(connection: ArmConnection): Resources {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- required lazily, see the module comment
  const arm = require("@azure/arm-resources") as typeof import("@azure/arm-resources");
  const endpoint = trimSlash(connection.armEndpoint);
  const client = new arm.ResourceManagementClient(connection.credential, {
    endpoint,
    $host: endpoint,
    credentialScopes: [`${endpoint}/.default`],
    ...(connection.trustedCa ? { tlsOptions: { ca: connection.trustedCa } } : {}),
  });
  return client.resources;
}

interface ArmFailure {
  statusCode?: number;
  code?: string;
  message?: string;
  details?: unknown;
}

/** The `{error: {code, message}}` of an ARM error body, when there is one. */
function armErrorBody(details: unknown): { code?: string; message?: string } | undefined {
  if (typeof details !== "object" || details === null) return undefined;
  const error = (details as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return { ...(typeof code === "string" ? { code } : {}), ...(typeof message === "string" ? { message } : {}) };
}

/** One line naming the operation, the endpoint and Azure's code and message: no SDK stack. */
export function describeArmFailure(operation: string, endpointId: string, error: unknown): Error {
  const failure = (typeof error === "object" && error !== null ? error : { message: String(error) }) as ArmFailure;
  const body = armErrorBody(failure.details);
  // @azure/core-lro reports a Failed operation as "The long-running operation has failed. <code>. <message>".
  const lro = /^The long-running operation has failed\. (\S+)\. ([\s\S]*)$/.exec(failure.message ?? "");
  const code = body?.code ?? lro?.[1] ?? failure.code;
  const message = body?.message ?? lro?.[2] ?? failure.message ?? "unknown error";
  const status = failure.statusCode
    ? `HTTP ${failure.statusCode} `
    : lro
      ? "the long-running operation ended Failed: "
      : "";
  const described = new Error(
    `EndpointTraffic: ${operation} ${endpointId} failed: ${status}${code ? `${code}: ` : ""}${message}`,
  );
  return Object.assign(described, { statusCode: failure.statusCode });
}

function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as ArmFailure).statusCode === 404;
}

/** The endpoint's ARM JSON, or undefined when it does not exist (404). */
async function getEndpoint(
  resources: Resources,
  target: AllocationTarget,
): Promise<Record<string, unknown> | undefined> {
  try {
    return (await resources.getById(pathId(target), target.apiVersion)) as Record<string, unknown>;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw describeArmFailure("reading", target.endpointId, error);
  }
}

/**
 * The SDK's serializer checks `identity.type` against its own spelling of the combined type
 * ("SystemAssigned, UserAssigned"); the ML spec (common-types v3 ManagedServiceIdentityType)
 * spells it "SystemAssigned,UserAssigned". Give the serializer the spelling it accepts.
 */
function sdkIdentity(body: Record<string, unknown>): Record<string, unknown> {
  const identity = body.identity as { type?: unknown } | undefined;
  if (
    typeof identity?.type === "string" &&
    identity.type.replace(/\s/g, "").toLowerCase() === "systemassigned,userassigned"
  ) {
    return { ...body, identity: { ...identity, type: "SystemAssigned, UserAssigned" } };
  }
  return body;
}

async function putEndpoint(
  resources: Resources,
  target: AllocationTarget,
  body: Record<string, unknown>,
  connection: ArmConnection,
  operation: string,
): Promise<Record<string, unknown>> {
  try {
    const options = connection.pollIntervalMs === undefined ? {} : { updateIntervalInMs: connection.pollIntervalMs };
    return (await resources.beginCreateOrUpdateByIdAndWait(
      pathId(target),
      target.apiVersion,
      sdkIdentity(body),
      options,
    )) as Record<string, unknown>;
  } catch (error) {
    throw describeArmFailure(operation, target.endpointId, error);
  }
}

/**
 * Set `allocation` on the endpoint (GET, then PUT of the whole resource, then wait). No PUT when
 * the endpoint already has it. Returns the endpoint's allocation afterwards.
 */
export async function applyAllocation(
  target: AllocationTarget,
  allocation: LiveAllocation,
  connection: ArmConnection,
): Promise<LiveAllocation> {
  const resources = resourcesClient(connection);
  const endpoint = await getEndpoint(resources, target);
  if (!endpoint)
    throw new Error(
      `EndpointTraffic: setting traffic on ${target.endpointId} failed: the endpoint does not exist (HTTP 404)`,
    );
  const live = liveAllocation(endpoint, target.endpointKind);
  if (allocationMatches(live, allocation, target.endpointKind)) return live;
  const updated = await putEndpoint(
    resources,
    target,
    endpointPutBody(endpoint, target.endpointKind, allocation),
    connection,
    "setting traffic on",
  );
  return liveAllocation(updated, target.endpointKind);
}

/**
 * Remove the allocation before the deployments it names are deleted: online traffic and mirror
 * traffic become `{}`. A missing endpoint (404) means nothing is left to clear. A batch endpoint
 * keeps its default deployment (see the report: clearing it is not documented).
 */
export async function clearAllocation(target: AllocationTarget, connection: ArmConnection): Promise<void> {
  if (target.endpointKind === "batch") return;
  await applyAllocationIfPresent(target, { traffic: {}, mirrorTraffic: {} }, connection);
}

async function applyAllocationIfPresent(
  target: AllocationTarget,
  allocation: LiveAllocation,
  connection: ArmConnection,
): Promise<void> {
  const resources = resourcesClient(connection);
  const endpoint = await getEndpoint(resources, target);
  if (!endpoint) return;
  if (allocationMatches(liveAllocation(endpoint, target.endpointKind), allocation, target.endpointKind)) return;
  try {
    await putEndpoint(
      resources,
      target,
      endpointPutBody(endpoint, target.endpointKind, allocation),
      connection,
      "clearing traffic on",
    );
  } catch (error) {
    // The endpoint may be deleted while we clear it.
    if (!isNotFound(error)) throw error;
  }
}

/** The endpoint's live allocation, or undefined when the endpoint is gone. */
export async function readAllocation(
  target: AllocationTarget,
  connection: ArmConnection,
): Promise<LiveAllocation | undefined> {
  const endpoint = await getEndpoint(resourcesClient(connection), target);
  return endpoint ? liveAllocation(endpoint, target.endpointKind) : undefined;
}
