/**
 * The pure half of the EndpointTraffic mechanism: its state shape, validation, diff and the
 * endpoint body it PUTs. No imports at run time: this module is serialized into the dynamic
 * provider (Pulumi closure serialization captures local modules by value).
 *
 * Azure facts (Microsoft.MachineLearningServices 2025-12-01, spec
 * specification/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/2025-12-01/mfe.json):
 * - `OnlineEndpoint.traffic`: "Traffic values need to sum to 100"; the CLI YAML reference
 *   (reference-yaml-endpoint-online.md) adds "Total traffic has to either be 0 or sum up to 100"
 *   and "you can't set this field during online endpoint creation, as the deployments under that
 *   endpoint must be created before traffic can be set".
 * - `OnlineEndpoint.mirrorTraffic`: "Traffic values need to sum to utmost 50"; "Safe rollout for
 *   online endpoints" (how-to-safely-rollout-online-endpoints.md): "You can only mirror traffic to
 *   one deployment", "The maximum mirrored traffic you can configure is 50%", "A deployment can
 *   only be set to live or mirror traffic, not both".
 * - `BatchEndpoint.defaults.deploymentName` (BatchEndpointDefaults, x-nullable).
 * - Read-only endpoint fields: `properties.provisioningState` (OnlineEndpoint, BatchEndpoint),
 *   `scoringUri` and `swaggerUri` (EndpointPropertiesBase), and the ARM envelope's id, name,
 *   type, systemData and the identity's principalId/tenantId/clientId. `keys` is write-only
 *   ("This property will always be returned as null").
 */

/** Marker the policy pack uses to recognise this resource (all dynamic resources share one type). */
export const ENDPOINT_TRAFFIC_RESOURCE_KIND = "secure-azureml:EndpointTraffic";

/** The Microsoft.MachineLearningServices API version azure-native 3.28 uses for endpoints. */
export const ML_ENDPOINT_API_VERSION = "2025-12-01";

/** Azure public cloud Resource Manager endpoint. */
export const PUBLIC_ARM_ENDPOINT = "https://management.azure.com";

/** The value Pulumi's dynamic provider host passes for inputs that are unknown during preview. */
export const UNKNOWN_INPUT = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type EndpointKind = "online" | "batch";

/** Deployment name -> percentage. */
export type TrafficSplit = Record<string, number>;

/** The dynamic resource's inputs, which are also its outputs (plain JSON, stored in state). */
export interface EndpointTrafficState {
  resourceKind: string;
  endpointId: string;
  endpointKind: EndpointKind;
  /** Online only: live traffic split. */
  traffic?: TrafficSplit;
  /** Online only: mirrored (shadow) traffic. */
  mirrorTraffic?: TrafficSplit;
  /** Batch only: the default deployment. */
  defaultDeployment?: string;
  apiVersion: string;
  armEndpoint: string;
  revision?: string;
}

/** What the caller asks for, before defaults. */
export interface TrafficRequest {
  endpointKind: string;
  traffic?: unknown;
  mirrorTraffic?: unknown;
  defaultDeployment?: unknown;
}

const ENDPOINT_ID_PATTERNS: Record<EndpointKind, RegExp> = {
  online:
    /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/workspaces\/[^/]+\/onlineEndpoints\/[^/]+$/i,
  batch:
    /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/workspaces\/[^/]+\/batchEndpoints\/[^/]+$/i,
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function percentErrors(split: unknown, key: string, max: number, label: string): string[] {
  if (split === undefined) return [];
  if (!isRecord(split))
    return [
      `EndpointTraffic ${label}: ${key} must be a map of deployment name to percentage, got ${JSON.stringify(split)}`,
    ];
  const errors: string[] = [];
  for (const [deployment, percent] of Object.entries(split)) {
    if (deployment.length === 0) errors.push(`EndpointTraffic ${label}: ${key} has an empty deployment name`);
    if (typeof percent !== "number" || !Number.isInteger(percent) || percent < 0 || percent > max) {
      errors.push(
        `EndpointTraffic ${label}: ${key}.${deployment} is ${JSON.stringify(percent)}; accepted: an integer percentage from 0 to ${max}`,
      );
    }
  }
  return errors;
}

function total(split: TrafficSplit): number {
  return Object.values(split).reduce((sum, percent) => sum + percent, 0);
}

/**
 * Every problem with a requested allocation, each naming `label` (the endpoint or resource), the
 * key, the bad value and what is accepted. Empty when valid.
 */
export function trafficRequestErrors(request: TrafficRequest, label: string): string[] {
  const { endpointKind, traffic, mirrorTraffic, defaultDeployment } = request;
  if (endpointKind === "batch") {
    const errors: string[] = [];
    if (typeof defaultDeployment !== "string" || defaultDeployment.length === 0) {
      errors.push(
        `EndpointTraffic ${label}: defaultDeployment is ${JSON.stringify(defaultDeployment)}; a batch endpoint needs the name of an existing deployment`,
      );
    }
    for (const [key, value] of [
      ["traffic", traffic],
      ["mirrorTraffic", mirrorTraffic],
    ] as const) {
      if (value !== undefined && !(isRecord(value) && Object.keys(value).length === 0)) {
        errors.push(
          `EndpointTraffic ${label}: ${key} is ${JSON.stringify(value)}; a batch endpoint has no ${key}, set defaultDeployment instead`,
        );
      }
    }
    return errors;
  }
  if (endpointKind !== "online")
    return [`EndpointTraffic ${label}: endpointKind is ${JSON.stringify(endpointKind)}; accepted: "online" or "batch"`];

  const errors = [
    ...percentErrors(traffic, "traffic", 100, label),
    ...percentErrors(mirrorTraffic, "mirrorTraffic", 50, label),
  ];
  if (defaultDeployment !== undefined)
    errors.push(
      `EndpointTraffic ${label}: defaultDeployment is set; an online endpoint takes traffic and mirrorTraffic instead`,
    );
  if (errors.length > 0) return errors;

  const live = (traffic ?? {}) as TrafficSplit;
  const mirror = (mirrorTraffic ?? {}) as TrafficSplit;
  const liveTotal = total(live);
  if (liveTotal !== 0 && liveTotal !== 100) {
    errors.push(
      `EndpointTraffic ${label}: traffic ${JSON.stringify(live)} sums to ${liveTotal}; accepted: a split that sums to 100, or 0 for no traffic`,
    );
  }
  const mirrorTotal = total(mirror);
  if (mirrorTotal > 50)
    errors.push(
      `EndpointTraffic ${label}: mirrorTraffic ${JSON.stringify(mirror)} sums to ${mirrorTotal}; accepted: at most 50`,
    );
  const mirrored = Object.keys(mirror).filter((deployment) => mirror[deployment] > 0);
  if (mirrored.length > 1)
    errors.push(
      `EndpointTraffic ${label}: mirrorTraffic names ${mirrored.join(", ")}; Azure mirrors traffic to one deployment only`,
    );
  for (const deployment of mirrored) {
    if ((live[deployment] ?? 0) > 0) {
      errors.push(
        `EndpointTraffic ${label}: deployment ${deployment} has live traffic ${live[deployment]} and mirrorTraffic ${mirror[deployment]}; a deployment takes live or mirrored traffic, not both`,
      );
    }
  }
  return errors;
}

/** Problems with the endpoint id itself: it must be the ARM id of an endpoint of `endpointKind`. */
export function endpointIdErrors(endpointId: unknown, endpointKind: string, label: string): string[] {
  if (endpointId === UNKNOWN_INPUT) return [];
  const pattern = ENDPOINT_ID_PATTERNS[endpointKind as EndpointKind] as RegExp | undefined;
  if (typeof endpointId !== "string" || (pattern && !pattern.test(endpointId))) {
    const expected = endpointKind === "batch" ? "batchEndpoints" : "onlineEndpoints";
    return [
      `EndpointTraffic ${label}: endpointId is ${JSON.stringify(endpointId)}; accepted: the ARM id of a Microsoft.MachineLearningServices/workspaces/${expected} resource`,
    ];
  }
  return [];
}

/** All problems with a full state (inputs as the provider sees them). */
export function stateErrors(state: EndpointTrafficState): string[] {
  const label =
    typeof state.endpointId === "string" && state.endpointId !== UNKNOWN_INPUT
      ? state.endpointId
      : "(endpoint not yet known)";
  return [...endpointIdErrors(state.endpointId, state.endpointKind, label), ...trafficRequestErrors(state, label)];
}

/** Traffic maps compare without their zero entries: Azure lists a deployment with no share as 0. */
export function sameSplit(a: TrafficSplit | undefined, b: TrafficSplit | undefined): boolean {
  const nonZero = (split: TrafficSplit | undefined) =>
    Object.entries(split ?? {})
      .filter(([, percent]) => percent !== 0)
      .sort(([x], [y]) => x.localeCompare(y));
  return JSON.stringify(nonZero(a)) === JSON.stringify(nonZero(b));
}

export interface TrafficDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/**
 * Changes only when a desired field differs, so a re-run with unchanged config never touches
 * live traffic. A different endpoint (id or kind) replaces the resource, deleting first, so the
 * old allocation is cleared before the new one is applied and a replacement on the same endpoint
 * cannot clear what it just set.
 */
export function diffTrafficState(olds: Partial<EndpointTrafficState>, news: EndpointTrafficState): TrafficDiff {
  const replaces: string[] = [];
  if (String(olds.endpointId).toLowerCase() !== news.endpointId.toLowerCase()) replaces.push("endpointId");
  if (olds.endpointKind !== news.endpointKind) replaces.push("endpointKind");
  const changed =
    replaces.length > 0 ||
    !sameSplit(olds.traffic, news.traffic) ||
    !sameSplit(olds.mirrorTraffic, news.mirrorTraffic) ||
    (olds.defaultDeployment ?? "") !== (news.defaultDeployment ?? "") ||
    (olds.revision ?? "") !== (news.revision ?? "");
  return { changes: changed, replaces, deleteBeforeReplace: replaces.length > 0 };
}

/** The allocation fields of a state, for the endpoint's kind. */
export interface LiveAllocation {
  traffic?: TrafficSplit;
  mirrorTraffic?: TrafficSplit;
  defaultDeployment?: string;
}

function splitOf(value: unknown): TrafficSplit {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === "number"),
  );
}

/** The allocation an endpoint resource (ARM JSON) currently has. */
export function liveAllocation(endpoint: Record<string, unknown>, kind: EndpointKind): LiveAllocation {
  const properties = isRecord(endpoint.properties) ? endpoint.properties : {};
  if (kind === "batch") {
    const defaults = isRecord(properties.defaults) ? properties.defaults : {};
    return typeof defaults.deploymentName === "string" ? { defaultDeployment: defaults.deploymentName } : {};
  }
  return { traffic: splitOf(properties.traffic), mirrorTraffic: splitOf(properties.mirrorTraffic) };
}

// Arrays, not Sets: closure serialization does not carry a Set's contents into the provider.
const READ_ONLY_ENDPOINT_PROPERTIES: readonly string[] = ["provisioningState", "scoringUri", "swaggerUri", "keys"];
const WRITABLE_ENVELOPE_FIELDS = ["location", "tags", "kind", "sku"] as const;

/** The identity as a request carries it: type and the user-assigned identity ids (values `{}`). */
function requestIdentity(identity: unknown): Record<string, unknown> | undefined {
  if (!isRecord(identity)) return undefined;
  const result: Record<string, unknown> = { type: identity.type };
  if (isRecord(identity.userAssignedIdentities)) {
    // "The dictionary values can be empty objects ({}) in requests." (ManagedServiceIdentity, common-types v3)
    result.userAssignedIdentities = Object.fromEntries(
      Object.keys(identity.userAssignedIdentities).map((id) => [id, {}]),
    );
  }
  return result;
}

/**
 * The PUT body that sets `allocation` on `endpoint` (its GET response) and keeps everything else:
 * the ARM envelope's writable fields, the identity and every writable property. PATCH
 * (OnlineEndpoints_Update) cannot carry traffic: its body is PartialMinimalTrackedResourceWithIdentity
 * (tags and identity only), so the whole resource goes back with PUT.
 */
export function endpointPutBody(
  endpoint: Record<string, unknown>,
  kind: EndpointKind,
  allocation: LiveAllocation,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of WRITABLE_ENVELOPE_FIELDS) {
    if (endpoint[field] !== undefined && endpoint[field] !== null) body[field] = endpoint[field];
  }
  const identity = requestIdentity(endpoint.identity);
  if (identity) body.identity = identity;
  const properties = Object.fromEntries(
    Object.entries(isRecord(endpoint.properties) ? endpoint.properties : {}).filter(
      ([key]) => !READ_ONLY_ENDPOINT_PROPERTIES.includes(key),
    ),
  );
  if (kind === "batch") {
    const defaults = isRecord(properties.defaults) ? properties.defaults : {};
    properties.defaults = { ...defaults, deploymentName: allocation.defaultDeployment };
  } else {
    properties.traffic = allocation.traffic ?? {};
    properties.mirrorTraffic = allocation.mirrorTraffic ?? {};
  }
  body.properties = properties;
  return body;
}

/** The allocation a state asks for. */
export function desiredAllocation(state: EndpointTrafficState): LiveAllocation {
  return state.endpointKind === "batch"
    ? { defaultDeployment: state.defaultDeployment }
    : { traffic: state.traffic ?? {}, mirrorTraffic: state.mirrorTraffic ?? {} };
}

/** True when `live` already is `wanted` (so no PUT is needed). */
export function allocationMatches(live: LiveAllocation, wanted: LiveAllocation, kind: EndpointKind): boolean {
  if (kind === "batch") return live.defaultDeployment === wanted.defaultDeployment;
  return sameSplit(live.traffic, wanted.traffic) && sameSplit(live.mirrorTraffic, wanted.mirrorTraffic);
}
