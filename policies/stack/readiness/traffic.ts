import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import {
  UNKNOWN,
  azureName,
  knownString,
  label,
  mustKnow,
  ofType,
  peek,
  refersToId,
  untraced,
} from "../../support/stackGraph";
import { ML, Report, TRAFFIC_KIND, createdAfter, deploymentsOf, notChecked, sameStack, segmentAfter } from "./shared";

/**
 * Rule stack-traffic-names-existing-deployments: traffic, mirror traffic and a batch endpoint's
 * default deployment may name only deployments that exist when Azure receives them.
 *
 * Semantics (per named deployment):
 *  - a deployment resource of this stack that belongs to the endpoint: the resource that names it
 *    (the endpoint itself, or the project's traffic resource) must be created after it, i.e. depend
 *    on it directly or transitively. An endpoint never can (its deployments depend on it), so
 *    traffic on the endpoint resource that names a deployment of the stack is always a violation;
 *  - a name no deployment resource of the stack carries: not managed by this stack (it may exist
 *    already, created out of band on an existing endpoint), so the rule ends "not checked";
 *  - an endpoint id, traffic map or deployment name that is unknown and came from no resource of
 *    the stack: "unknown during preview".
 *
 * Microsoft: reference-yaml-endpoint-online.md, `traffic`: "you can't set this field during online
 * endpoint creation, as the deployments under that endpoint must be created before traffic can be
 * set"; batch endpoint samples set `defaults.deployment_name` only after creating the deployment.
 */

const DEPLOYMENT_TYPE: Record<string, string> = {
  [ML.onlineEndpoint]: ML.onlineDeployment,
  [ML.batchEndpoint]: ML.batchDeployment,
};

/** The keys of a traffic map at `path` (read through the proxy when it, or a key, is unknown). */
function trafficNames(resource: PolicyResource, path: string): string[] {
  const value = peek(resource.props, path);
  if (value === UNKNOWN) mustKnow(resource, path);
  if (value === null || typeof value !== "object") return [];
  return Object.keys(value);
}

/** A deployment name at `path`, or none (read through the proxy when unknown). */
function defaultName(resource: PolicyResource, path: string): string[] {
  const value = peek(resource.props, path);
  if (value === UNKNOWN) mustKnow(resource, path);
  const name = knownString(value);
  return name === undefined ? [] : [name];
}

/** The deployment among `candidates` named `name` (reads an unknown deployment name only when no other matches). */
function deploymentNamed(candidates: PolicyResource[], name: string): PolicyResource | undefined {
  const found = candidates.find((d) => azureName(d)?.toLowerCase() === name.toLowerCase());
  if (found) return found;
  const unnamed = candidates.find((d) => azureName(d) === undefined);
  if (unnamed) mustKnow(unnamed, "deploymentName");
  return undefined;
}

/** What an endpoint resource names: properties.traffic and mirrorTraffic (online), properties.defaults.deploymentName (batch). */
function namedByEndpoint(endpoint: PolicyResource): { path: string; names: string[] }[] {
  if (endpoint.type === ML.batchEndpoint)
    return [
      {
        path: "properties.defaults.deploymentName",
        names: defaultName(endpoint, "properties.defaults.deploymentName"),
      },
    ];
  return ["properties.traffic", "properties.mirrorTraffic"].map((path) => ({
    path,
    names: trafficNames(endpoint, path),
  }));
}

function validateEndpoints(resources: PolicyResource[], report: Report, outside: string[]): void {
  for (const endpoint of [...ofType(resources, ML.onlineEndpoint), ...ofType(resources, ML.batchEndpoint)]) {
    const deployments = deploymentsOf(resources, endpoint, DEPLOYMENT_TYPE[endpoint.type]);
    for (const { path, names } of namedByEndpoint(endpoint)) {
      for (const name of names) {
        const deployment = deploymentNamed(deployments, name);
        if (!deployment) {
          outside.push(
            `${label(endpoint)} ${path} names deployment '${name}', which no resource of this stack creates (it must exist before the endpoint is updated, and cannot when the endpoint is first created)`,
          );
          continue;
        }
        if (createdAfter(endpoint, deployment)) continue;
        report(
          `${label(endpoint)} sets ${path} naming deployment '${name}' (${label(deployment)}), which depends on the endpoint and is created after it: Azure accepts traffic and a default deployment only for deployments that already exist ("you can't set this field during online endpoint creation", Microsoft, online endpoint YAML reference), so the first deploy fails. Leave ${path} empty on the endpoint and set it from a traffic resource that depends on the deployments.`,
          endpoint.urn,
        );
      }
    }
  }
}

/** The project's endpoint traffic resources (dynamic resources with resourceKind secure-azureml:EndpointTraffic). */
function trafficResources(resources: PolicyResource[]): PolicyResource[] {
  return ofType(resources, ML.dynamic).filter((r) => {
    const kind = peek(r.props, "resourceKind");
    if (kind === UNKNOWN) mustKnow(r, "resourceKind");
    return kind === TRAFFIC_KIND;
  });
}

function validateTrafficResources(resources: PolicyResource[], report: Report, outside: string[]): void {
  for (const traffic of trafficResources(resources)) {
    const kind = peek(traffic.props, "endpointKind");
    if (kind === UNKNOWN) mustKnow(traffic, "endpointKind");
    const endpointTypes =
      kind === "batch"
        ? [ML.batchEndpoint]
        : kind === "online"
          ? [ML.onlineEndpoint]
          : [ML.onlineEndpoint, ML.batchEndpoint];
    const endpointId = peek(traffic.props, "endpointId");
    const endpoint = resources
      .filter((r) => endpointTypes.includes(r.type as never) && sameStack(r, traffic))
      .find((e) => refersToId(traffic, "endpointId", endpointId, e));
    if (!endpoint && untraced(traffic, "endpointId", endpointId)) mustKnow(traffic, "endpointId");
    const named = [
      ...["traffic", "mirrorTraffic"].map((path) => ({ path, names: trafficNames(traffic, path) })),
      { path: "defaultDeployment", names: defaultName(traffic, "defaultDeployment") },
    ];
    const candidates = endpoint
      ? deploymentsOf(resources, endpoint, DEPLOYMENT_TYPE[endpoint.type])
      : deploymentsOfOutsideEndpoint(resources, traffic, endpointTypes, knownString(endpointId));
    const where = endpoint ? label(endpoint) : `endpoint ${knownString(endpointId) ?? "(not in this stack)"}`;
    for (const { path, names } of named) {
      for (const name of names) {
        const deployment = deploymentNamed(candidates, name);
        if (!deployment) {
          outside.push(
            `${label(traffic)} ${path} names deployment '${name}' of ${where}, which no resource of this stack creates (the traffic update fails unless it already exists)`,
          );
          continue;
        }
        if (createdAfter(traffic, deployment)) continue;
        report(
          `${label(traffic)} sets ${path} naming deployment '${name}' (${label(deployment)}) of ${where} but does not depend on it: the engine may send the traffic before the deployment exists, and Azure rejects traffic to a deployment that does not exist. Add the deployment to the traffic resource's dependsOn.`,
          traffic.urn,
        );
      }
    }
  }
}

/** Deployments of the stack whose known endpointName is the endpoint a known id outside the stack designates. */
function deploymentsOfOutsideEndpoint(
  resources: PolicyResource[],
  traffic: PolicyResource,
  endpointTypes: string[],
  endpointId: string | undefined,
): PolicyResource[] {
  if (endpointId === undefined) return [];
  const online = endpointTypes.includes(ML.onlineEndpoint) ? segmentAfter(endpointId, "onlineEndpoints") : undefined;
  const batch = endpointTypes.includes(ML.batchEndpoint) ? segmentAfter(endpointId, "batchEndpoints") : undefined;
  const matches = (d: PolicyResource, name: string | undefined) =>
    name !== undefined && knownString(peek(d.props, "endpointName"))?.toLowerCase() === name;
  return [
    ...ofType(resources, ML.onlineDeployment).filter((d) => matches(d, online)),
    ...ofType(resources, ML.batchDeployment).filter((d) => matches(d, batch)),
  ].filter((d) => sameStack(d, traffic));
}

/** Rule: traffic, mirror traffic and default deployments name only deployments created before the resource that names them. */
export function validateTrafficNamesExistingDeployments(args: StackValidationArgs, report: Report): void {
  const outside: string[] = [];
  let reported = 0;
  const count: Report = (message, urn) => {
    reported++;
    report(message, urn);
  };
  validateEndpoints(args.resources, count, outside);
  validateTrafficResources(args.resources, count, outside);
  if (outside.length > 0 && reported === 0) notChecked(outside);
}
