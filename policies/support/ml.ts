import { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import {
  BUILT_IN_ROLE_NAMES_BY_ID,
  GRANT_SCOPES,
  IDENTITY_ROLE_REQUIREMENTS,
  KNOWN_BUILT_IN_ROLES,
  OUTBOUND_PRESETS,
  OutboundPreset,
  RoleRequirement,
  TYPES,
  vmSizesFor,
} from "secure-azureml-facts";
import { sameText, valueAt } from "./props";
export { isFalse, isTrue, shown } from "./props";

/**
 * Helpers for the Azure ML, monitoring and RBAC rules: type tokens, value display, ISO 8601
 * durations, FQDN allow-lists, ARM ids and scopes, model references, and the default lists the
 * rules' config schemas start from. Pure functions over plain values. The pack is published on
 * its own and never imports the program: its defaults derive from the Azure facts package
 * (secure-azureml-facts), which the program uses too.
 *
 * All functions read values the rule already took from `args.props`; a rule reads each property
 * directly so that an unknown value (preview) throws from the proxy and the server reports
 * "cannot check during preview" instead of a violation.
 */

/** azure-native v3 type tokens the rules match on. */
export { TYPES };

/** A resource validation that runs only for the given type tokens (every other resource passes). */
export function forType(
  type: string,
  check: (args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation {
  return (args, report) => {
    if (args.type === type) check(args, report);
  };
}

/**
 * `properties.<path>` of a resource that keeps its settings in a `properties` object (ML endpoints,
 * deployments, schedules), or undefined; read through the policy proxy, so an unknown value throws.
 */
export function propertiesAt(args: ResourceValidationArgs, path: string): unknown {
  return valueAt(args.props, `properties.${path}`);
}

/** Region names compare without spaces and case: `West Europe` is `westeurope`. */
export function normaliseRegion(region: string): string {
  return region.replace(/\s+/g, "").toLowerCase();
}

/** Case-insensitive membership of an enum-like string or a size name in a list. */
export function includesText(list: readonly string[], value: unknown): boolean {
  return list.some((entry) => sameText(value, entry));
}

/** A non-empty string (after trimming). */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/** An ARM id in a comparable form: lower case, one leading slash, no trailing slash. */
export function normalizeId(id: string): string {
  return `/${id.trim().toLowerCase().replace(/^\/+/, "").replace(/\/+$/, "")}`;
}

/** ARM ids compare case-insensitively and ignore a trailing slash (see {@link normalizeId}). */
export function sameArmId(a: unknown, b: unknown): boolean {
  return typeof a === "string" && typeof b === "string" && normalizeId(a) === normalizeId(b);
}

const ISO_DURATION =
  /^P(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i;

/**
 * Seconds in an ISO 8601 duration without years or months (`PT60M`, `PT1H30M`, `P1DT2H`,
 * `PT900S`, `P1W`), or undefined when the text is not such a duration.
 */
export function isoDurationSeconds(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const trimmed = text.trim();
  const match = ISO_DURATION.exec(trimmed);
  if (!match || trimmed === "P" || /T$/i.test(trimmed)) return undefined;
  const [weeks, days, hours, minutes, seconds] = match
    .slice(1)
    .map((part: string | undefined) => (part === undefined ? 0 : Number(part.replace(",", "."))));
  return (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds;
}

/** A host name as Azure compares it: lower case, no surrounding space, no trailing dot. */
export function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, "");
}

/**
 * Whether an FQDN rule destination is covered by an approved list. An exact entry covers the
 * same host; a wildcard entry `*.example.com` covers any host below `example.com` (at any depth,
 * as Azure Firewall application rules match) and any narrower wildcard (`*.cdn.example.com`),
 * but not `example.com` itself nor a broader wildcard (`*.com`). `*` alone covers everything.
 */
export function fqdnApproved(destination: string, approved: readonly string[]): boolean {
  const wanted = normaliseHost(destination);
  const host = wanted.startsWith("*.") ? wanted.slice(2) : wanted;
  return approved
    .map(normaliseHost)
    .some((entry) => entry === "*" || entry === wanted || (entry.startsWith("*.") && host.endsWith(entry.slice(1))));
}

/** The role definition GUID of a full role definition id or a bare GUID, lower case; "" for a non-string. */
export function roleGuid(roleDefinitionId: unknown): string {
  if (typeof roleDefinitionId !== "string") return "";
  return normalizeId(roleDefinitionId).split("/").pop() ?? "";
}

/** How broad an ARM scope is. */
export type ScopeLevel = "root" | "managementGroup" | "subscription" | "resourceGroup" | "resource";

/**
 * The level of an ARM scope string: `/` (tenant root), `/providers/Microsoft.Management/managementGroups/<mg>`,
 * `/subscriptions/<id>`, `/subscriptions/<id>/resourceGroups/<rg>`, or anything below (a resource).
 * Case-insensitive; a trailing slash is ignored (see {@link normalizeId}).
 */
export function scopeLevel(scope: string): ScopeLevel {
  const id = normalizeId(scope);
  if (id === "/") return "root";
  if (/^\/providers\/microsoft\.management\/managementgroups\/[^/]+$/.test(id)) return "managementGroup";
  if (/^\/subscriptions\/[^/]+$/.test(id)) return "subscription";
  if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/.test(id)) return "resourceGroup";
  return "resource";
}

/** Where an online deployment's model comes from. */
export type ModelSource = { kind: "workspace" } | { kind: "registry"; registry: string } | { kind: "other" };

const WORKSPACE_SHORT_ID = /^azureml:(?!\/\/)[^:@/\s]+[:@][^:@/\s]+$/i;
const WORKSPACE_ASSET_URI =
  /^azureml:\/\/(?:(?:locations\/[^/]+\/)?workspaces\/[^/]+|subscriptions\/[^/]+\/resourcegroups\/[^/]+\/(?:providers\/microsoft\.machinelearningservices\/)?workspaces\/[^/]+)\/models\/[^/]+\/(?:versions|labels)\/[^/]+$/i;
const WORKSPACE_ARM_ID =
  /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.machinelearningservices\/workspaces\/[^/]+\/models\/[^/]+(?:\/versions\/[^/]+)?$/i;
const REGISTRY_ASSET_URI = /^azureml:\/\/registries\/([^/]+)\/models\/[^/]+\/(?:versions|labels)\/[^/]+$/i;
const REGISTRY_ARM_ID =
  /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.machinelearningservices\/registries\/([^/]+)\/models\/[^/]+(?:\/versions\/[^/]+)?$/i;

/**
 * Classify a deployment's `model` reference: a workspace model (`azureml:<name>:<version>`,
 * `azureml:<name>@<label>`, a workspace asset URI or a workspace model ARM id), a registry model
 * (`azureml://registries/<registry>/models/...` or a registry model ARM id), or anything else
 * (datastore paths, job outputs, URLs), which is not a registered model.
 */
export function modelSource(model: string): ModelSource {
  const m = model.trim();
  if (WORKSPACE_SHORT_ID.test(m) || WORKSPACE_ASSET_URI.test(m) || WORKSPACE_ARM_ID.test(m))
    return { kind: "workspace" };
  const registry = REGISTRY_ASSET_URI.exec(m) ?? REGISTRY_ARM_ID.exec(m);
  if (registry) return { kind: "registry", registry: registry[1] };
  return { kind: "other" };
}

/**
 * The default approved FQDNs for workspace outbound rules: every FQDN of the project's outbound
 * presets, in every preset version (secure-azureml-facts `OUTBOUND_PRESETS`).
 */
export const DEFAULT_APPROVED_FQDNS: readonly string[] = [...new Set(presetFqdns(OUTBOUND_PRESETS))];

function presetFqdns(versions: Readonly<Record<string, Readonly<Record<string, OutboundPreset>>>>): string[] {
  return Object.values(versions).flatMap((presets) => Object.values(presets).flatMap((preset) => preset.fqdns));
}

/**
 * Default VM sizes for compute clusters and instances: the sizes of the VM size catalogue
 * (secure-azureml-facts `VM_SIZES`) usable for compute clusters and not retired.
 */
export const DEFAULT_ALLOWED_VM_SIZES: readonly string[] = vmSizesFor("computeCluster");

/** The online deployment instance type Azure uses when none is given. */
export const DEFAULT_INSTANCE_TYPE = "Standard_F4s_v2";

/**
 * Default instance types for managed online deployments: the sizes of the catalogue that
 * Microsoft's managed online endpoints SKU list includes (not retired), plus
 * {@link DEFAULT_INSTANCE_TYPE}, the API's default instance type.
 */
export const DEFAULT_ALLOWED_INSTANCE_TYPES: readonly string[] = [
  ...new Set<string>([...vmSizesFor("managedOnlineEndpoint"), DEFAULT_INSTANCE_TYPE]),
];

/** A role GUID for messages: `Owner (8e3af657-...)`, or `role <guid>` when it is not a known built-in role. */
export function roleLabel(guid: string): string {
  const name: string | undefined = BUILT_IN_ROLE_NAMES_BY_ID[guid];
  return name ? `${name} (${guid})` : `role ${guid}`;
}

/**
 * The ARM type of the resource an id designates, lower case, from its last `/providers/` segment:
 * `microsoft.storage/storageaccounts` for an account, `microsoft.storage/storageaccounts/blobservices/containers`
 * for a container; undefined for a subscription, resource group, management group or the root.
 */
export function scopeResourceType(scope: string): string | undefined {
  const id = normalizeId(scope);
  const at = id.lastIndexOf("/providers/");
  if (at < 0) return undefined;
  const segments = id.slice(at + "/providers/".length).split("/");
  if (segments.length < 3 || segments[0] === "microsoft.management") return undefined;
  const types = segments.slice(1).filter((_, i) => i % 2 === 0);
  return [segments[0], ...types].join("/");
}

/** A privileged role that a documented requirement allows on single resources of these ARM types (lower case), for service principals only. */
export interface DocumentedPrivilegedGrant {
  roleId: string;
  resourceTypes: string[];
}

/**
 * The documented privileged grants (secure-azureml-facts `IDENTITY_ROLE_REQUIREMENTS`, entries
 * marked `privileged`): the workspace's user-assigned identity holds Contributor on its workspace,
 * storage account, Key Vault, container registry, Application Insights and the ML registry the
 * stack creates, and Key Vault Administrator on its RBAC-mode vault.
 */
export const DOCUMENTED_PRIVILEGED_GRANTS: readonly DocumentedPrivilegedGrant[] = (() => {
  const byRole = new Map<string, Set<string>>();
  const requirements: RoleRequirement[] = Object.values(IDENTITY_ROLE_REQUIREMENTS).flatMap(
    (entries: Readonly<Record<string, RoleRequirement>>) => Object.values(entries),
  );
  for (const requirement of requirements) {
    const armType = GRANT_SCOPES[requirement.scope].armType;
    if (!requirement.privileged || armType === undefined) continue;
    const roleId = KNOWN_BUILT_IN_ROLES[requirement.role];
    byRole.set(roleId, (byRole.get(roleId) ?? new Set()).add(armType.toLowerCase()));
  }
  return [...byRole].map(([roleId, types]) => ({ roleId, resourceTypes: [...types].sort() }));
})();
