import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { TYPES } from "secure-azureml-facts";
import { inject } from "vitest";
import { Plan, PlannedResource } from "../../plan/contract";
import { ofType, one } from "./plan";

/**
 * Plan a stack file (or any file in its format) with the real programs, in this process: the
 * platform, then its serving stack (`serving/Pulumi.<stack>.yaml` beside a shipped file, or
 * `servingFile`; `null` plans the platform alone). Overrides go to the layer their namespace names.
 */
export async function planStackFileFresh(
  stack: string,
  file = shippedStackFile(stack),
  overrides: Record<string, string> = {},
  servingFile: string | null = defaultServingFile(stack, file),
): Promise<Plan> {
  const { readStackFile } = await import("../../plan/stackFile");
  const { planLayers } = await import("../../plan/layers");
  const serving = servingFile === null ? undefined : readStackFile(servingFile);
  const isServingKey = (key: string) => key.startsWith("secure-azureml-serving:");
  const layerOverrides = (serving: boolean) =>
    Object.fromEntries(Object.entries(overrides).filter(([key]) => isServingKey(key) === serving));
  const platform = readStackFile(file);
  return planLayers({
    stack,
    platform: { ...platform, config: { ...platform.config, ...layerOverrides(false) } },
    serving: serving ? { ...serving, config: { ...serving.config, ...layerOverrides(true) } } : undefined,
  });
}

/** The shipped serving stack file of a shipped platform stack; none for other files. */
function defaultServingFile(stack: string, file: string): string | null {
  const serving = resolve(__dirname, `../../serving/Pulumi.${stack}.yaml`);
  return file === shippedStackFile(stack) && existsSync(serving) ? serving : null;
}

function shippedStackFile(stack: string): string {
  return resolve(__dirname, `../../Pulumi.${stack}.yaml`);
}

/**
 * Plan a stack. A shipped stack without overrides comes from the plan the global setup made
 * once for the whole run (the same program through `npm start -- --json`); anything else is
 * planned here.
 */
export async function planStackFile(
  stack: string,
  file = shippedStackFile(stack),
  overrides: Record<string, string> = {},
  servingFile?: string | null,
): Promise<Plan> {
  const dir = inject("shippedPlansDir") as string | undefined;
  const cached = dir ? join(dir, `${stack}.json`) : undefined;
  if (
    cached &&
    file === shippedStackFile(stack) &&
    Object.keys(overrides).length === 0 &&
    servingFile === undefined &&
    existsSync(cached)
  ) {
    return JSON.parse(readFileSync(cached, "utf8")) as Plan;
  }
  return planStackFileFresh(
    stack,
    file,
    overrides,
    servingFile === undefined ? defaultServingFile(stack, file) : servingFile,
  );
}

/** Type tokens by the short names the tests use (secure-azureml-facts `TYPES`). */
export const T = {
  workspace: TYPES.mlWorkspace,
  storage: TYPES.storage,
  blobService: TYPES.blobService,
  fileService: TYPES.fileService,
  vault: TYPES.vault,
  registry: TYPES.registry,
  logAnalytics: TYPES.logAnalytics,
  appInsights: TYPES.appInsights,
  identity: TYPES.identity,
  roleAssignment: TYPES.roleAssignment,
  lock: TYPES.lockByScope,
  privateEndpoint: TYPES.privateEndpoint,
  zoneGroup: TYPES.zoneGroup,
  zone: TYPES.zone,
  zoneLink: TYPES.zoneLink,
  vnet: TYPES.vnet,
  subnet: TYPES.subnet,
  nsg: TYPES.nsg,
  diagnostic: TYPES.diagnostic,
  compute: TYPES.compute,
  endpoint: TYPES.onlineEndpoint,
  deployment: TYPES.onlineDeployment,
  alert: TYPES.metricAlert,
  actionGroup: TYPES.actionGroup,
  autoscale: TYPES.autoscale,
} as const;

/** Count of custom resources per type token. */
export function countsByType(plan: Plan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of plan.resources.filter((r) => r.custom)) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}

/** The id the engine gave the one resource of a type (optionally by Azure name input). */
export function idOfType(plan: Plan, type: string, name?: string): string {
  return String(one(plan, type, name).outputs.id);
}

/** Each private endpoint as [target id, group ids, zone ids of its one zone group, subnet id]. */
export function privateEndpointWiring(
  plan: Plan,
): Record<string, { target: string; groupIds: string[]; zoneIds: string[]; subnetId: string; zoneGroups: number }> {
  const result: Record<
    string,
    { target: string; groupIds: string[]; zoneIds: string[]; subnetId: string; zoneGroups: number }
  > = {};
  for (const pe of ofType(plan, T.privateEndpoint)) {
    const connection = (
      pe.inputs.privateLinkServiceConnections as { privateLinkServiceId: string; groupIds: string[] }[]
    )[0];
    const groups = ofType(plan, T.zoneGroup).filter(
      (g) => g.inputs.privateEndpointName === pe.inputs.privateEndpointName,
    );
    const zoneIds = groups.flatMap((g) =>
      (g.inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[]).map((c) => c.privateDnsZoneId),
    );
    result[String(pe.inputs.privateEndpointName)] = {
      target: connection.privateLinkServiceId,
      groupIds: connection.groupIds,
      zoneIds,
      subnetId: (pe.inputs.subnet as { id: string }).id,
      zoneGroups: groups.length,
    };
  }
  return result;
}

/** Zone ids by zone name. */
export function zoneIdsByName(plan: Plan): Record<string, string> {
  return Object.fromEntries(ofType(plan, T.zone).map((z) => [String(z.inputs.privateZoneName), String(z.outputs.id)]));
}

/** Role assignments as comparable rows: [principal id, role definition guid, scope, principal type]. */
export function roleRows(plan: Plan): string[][] {
  return ofType(plan, T.roleAssignment)
    .map((ra) => [
      String(ra.inputs.principalId),
      String(ra.inputs.roleDefinitionId).split("/").pop() as string,
      String(ra.inputs.scope),
      String(ra.inputs.principalType),
    ])
    .sort((a, b) => a.join("|").localeCompare(b.join("|")));
}

/** The principal id the engine gave an identity, by its Azure name. */
export function principalOf(plan: Plan, identityName: string): string {
  const identity = ofType(plan, T.identity).find((i: PlannedResource) => i.inputs.resourceName === identityName);
  if (!identity) throw new Error(`no identity ${identityName}`);
  return String(identity.outputs.principalId);
}
