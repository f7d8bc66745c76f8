import { Plan, PlannedResource } from "../../plan/contract";
import { ofType } from "./plan";

/**
 * Helpers to read the two layers of a combined plan (`planLayers`): the platform project
 * (`secure-azureml`) and the serving project (`secure-azureml-serving`). Each URN names its project.
 */
export const PLATFORM_PROJECT = "secure-azureml";
export const SERVING_PROJECT = "secure-azureml-serving";

/** Every dynamic resource has this type; the input `resourceKind` tells an EndpointTraffic apart. */
export const DYNAMIC_RESOURCE = "pulumi-nodejs:dynamic:Resource";
export const ENDPOINT_TRAFFIC_KIND = "secure-azureml:EndpointTraffic";

/** The Pulumi project a resource belongs to, from its URN (`urn:pulumi:<stack>::<project>::...`). */
export function projectOf(resource: PlannedResource): string {
  return resource.urn.split("::")[1];
}

/** The custom resources of one layer. */
export function layerResources(plan: Plan, project: string): PlannedResource[] {
  return plan.resources.filter((r) => r.custom && projectOf(r) === project);
}

/** Resources of one type in one layer. */
export function ofTypeIn(plan: Plan, project: string, type: string): PlannedResource[] {
  return ofType(plan, type).filter((r) => projectOf(r) === project);
}

/** The stack outputs of one layer, as that project exports them. */
export function layerOutputs(plan: Plan, project: string): Record<string, unknown> {
  const layer = plan.layers?.find((l) => l.project === project);
  if (!layer)
    throw new Error(`the plan has no layer ${project}: ${(plan.layers ?? []).map((l) => l.project).join(", ")}`);
  return layer.outputs;
}

/** Every EndpointTraffic resource of the plan (online traffic and batch default deployments). */
export function endpointTraffics(plan: Plan): PlannedResource[] {
  return ofType(plan, DYNAMIC_RESOURCE).filter((r) => r.inputs.resourceKind === ENDPOINT_TRAFFIC_KIND);
}

/** The one EndpointTraffic resource that targets an endpoint id. */
export function trafficOfEndpoint(plan: Plan, endpointId: string): PlannedResource {
  const found = endpointTraffics(plan).filter((r) => r.inputs.endpointId === endpointId);
  if (found.length !== 1)
    throw new Error(`expected exactly one EndpointTraffic for ${endpointId}, found ${found.length}`);
  return found[0];
}
