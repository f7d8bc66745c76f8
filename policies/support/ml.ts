import { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { sameText } from "./props";
export { isFalse, isTrue, shown } from "./props";

/**
 * Helpers for the Azure ML, monitoring and RBAC rules: type tokens, value display, ISO 8601
 * durations, FQDN allow-lists, ARM ids and scopes, model references, and the default lists the
 * rules' config schemas start from. Pure functions over plain values: the pack must not import
 * the program's components (it is published on its own), so the defaults are copied as data.
 *
 * All functions read values the rule already took from `args.props`; a rule reads each property
 * directly so that an unknown value (preview) throws from the proxy and the server reports
 * "cannot check during preview" instead of a violation.
 */

/** azure-native v3 type tokens the ML, monitoring and RBAC rules match on. */
export const TYPES = {
  workspace: "azure-native:machinelearningservices:Workspace",
  compute: "azure-native:machinelearningservices:Compute",
  onlineEndpoint: "azure-native:machinelearningservices:OnlineEndpoint",
  onlineDeployment: "azure-native:machinelearningservices:OnlineDeployment",
  appInsights: "azure-native:applicationinsights:Component",
  logAnalytics: "azure-native:operationalinsights:Workspace",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  roleDefinition: "azure-native:authorization:RoleDefinition",
} as const;

/** A resource validation that runs only for the given type tokens (every other resource passes). */
export function forType(type: string, check: (args: ResourceValidationArgs, report: ReportViolation) => void): ResourceValidation {
  return (args, report) => {
    if (args.type === type) check(args, report);
  };
}

/** Case-insensitive membership of an enum-like string or a size name in a list. */
export function includesText(list: readonly string[], value: unknown): boolean {
  return list.some((entry) => sameText(value, entry));
}

/** A non-empty string (after trimming). */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/** ARM ids compare case-insensitively and ignore a trailing slash. */
export function sameArmId(a: unknown, b: unknown): boolean {
  return typeof a === "string" && typeof b === "string" && a.trim().replace(/\/+$/, "").toLowerCase() === b.trim().replace(/\/+$/, "").toLowerCase();
}

const ISO_DURATION = /^P(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i;

/**
 * Seconds in an ISO 8601 duration without years or months (`PT60M`, `PT1H30M`, `P1DT2H`,
 * `PT900S`, `P1W`), or undefined when the text is not such a duration.
 */
export function isoDurationSeconds(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const trimmed = text.trim();
  const match = ISO_DURATION.exec(trimmed);
  if (!match || trimmed === "P" || /T$/i.test(trimmed)) return undefined;
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((part: string | undefined) => (part === undefined ? 0 : Number(part.replace(",", "."))));
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
  return approved.map(normaliseHost).some((entry) => entry === "*" || entry === wanted || (entry.startsWith("*.") && host.endsWith(entry.slice(1))));
}

/** The role definition GUID of a full role definition id or a bare GUID, lower case. */
export function roleGuid(roleDefinitionId: string): string {
  const segments = roleDefinitionId.trim().replace(/\/+$/, "").split("/");
  return segments[segments.length - 1].toLowerCase();
}

/** How broad an ARM scope is. */
export type ScopeLevel = "root" | "managementGroup" | "subscription" | "resourceGroup" | "resource";

/**
 * The level of an ARM scope string: `/` (tenant root), `/providers/Microsoft.Management/managementGroups/<mg>`,
 * `/subscriptions/<id>`, `/subscriptions/<id>/resourceGroups/<rg>`, or anything below (a resource).
 * Case-insensitive; a trailing slash is ignored.
 */
export function scopeLevel(scope: string): ScopeLevel {
  const s = scope.trim().replace(/\/+$/, "");
  if (s === "") return "root";
  if (/^\/?providers\/microsoft\.management\/managementgroups\/[^/]+$/i.test(s)) return "managementGroup";
  if (/^\/?subscriptions\/[^/]+$/i.test(s)) return "subscription";
  if (/^\/?subscriptions\/[^/]+\/resourcegroups\/[^/]+$/i.test(s)) return "resourceGroup";
  return "resource";
}

/** Where an online deployment's model comes from. */
export type ModelSource = { kind: "workspace" } | { kind: "registry"; registry: string } | { kind: "other" };

const WORKSPACE_SHORT_ID = /^azureml:(?!\/\/)[^:@/\s]+[:@][^:@/\s]+$/i;
const WORKSPACE_ASSET_URI =
  /^azureml:\/\/(?:(?:locations\/[^/]+\/)?workspaces\/[^/]+|subscriptions\/[^/]+\/resourcegroups\/[^/]+\/(?:providers\/microsoft\.machinelearningservices\/)?workspaces\/[^/]+)\/models\/[^/]+\/(?:versions|labels)\/[^/]+$/i;
const WORKSPACE_ARM_ID = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.machinelearningservices\/workspaces\/[^/]+\/models\/[^/]+(?:\/versions\/[^/]+)?$/i;
const REGISTRY_ASSET_URI = /^azureml:\/\/registries\/([^/]+)\/models\/[^/]+\/(?:versions|labels)\/[^/]+$/i;
const REGISTRY_ARM_ID = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.machinelearningservices\/registries\/([^/]+)\/models\/[^/]+(?:\/versions\/[^/]+)?$/i;

/**
 * Classify a deployment's `model` reference: a workspace model (`azureml:<name>:<version>`,
 * `azureml:<name>@<label>`, a workspace asset URI or a workspace model ARM id), a registry model
 * (`azureml://registries/<registry>/models/...` or a registry model ARM id), or anything else
 * (datastore paths, job outputs, URLs), which is not a registered model.
 */
export function modelSource(model: string): ModelSource {
  const m = model.trim();
  if (WORKSPACE_SHORT_ID.test(m) || WORKSPACE_ASSET_URI.test(m) || WORKSPACE_ARM_ID.test(m)) return { kind: "workspace" };
  const registry = REGISTRY_ASSET_URI.exec(m) ?? REGISTRY_ARM_ID.exec(m);
  if (registry) return { kind: "registry", registry: registry[1] };
  return { kind: "other" };
}

/**
 * The default approved FQDNs for workspace outbound rules: every FQDN of the project's outbound
 * presets, versions 2026.11 and 2026.12 (components/config/catalogues/outboundPresets.ts), copied
 * here because a published pack cannot import the program.
 */
export const DEFAULT_APPROVED_FQDNS: readonly string[] = [
  // pypi
  "pypi.org",
  "files.pythonhosted.org",
  // conda (2026.11)
  "conda.anaconda.org",
  "repo.anaconda.com",
  "anaconda.org",
  "conda-forge.org",
  // conda (2026.12)
  "anaconda.com",
  "*.anaconda.com",
  "*.anaconda.org",
  // mcr (2026.11 only: the required service tag rules cover it)
  "mcr.microsoft.com",
  "*.data.mcr.microsoft.com",
  // pytorch (2026.11)
  "download.pytorch.org",
  // pytorch (2026.12)
  "pytorch.org",
  "*.pytorch.org",
  // tensorflow (2026.12)
  "*.tensorflow.org",
  // huggingface (2026.11)
  "huggingface.co",
  "cdn-lfs.huggingface.co",
  "cdn-lfs-us-1.huggingface.co",
  "cdn-lfs.hf.co",
  "cas-bridge.xethub.hf.co",
  // huggingface (2026.12)
  "*.huggingface.co",
  "*.hf.co",
  // dockerhub (2026.12)
  "docker.io",
  "*.docker.io",
  "*.docker.com",
  "production.cloudflare.docker.com",
  "cdn.auth0.com",
  // github
  "github.com",
  "codeload.github.com",
  "raw.githubusercontent.com",
  "objects.githubusercontent.com",
  "release-assets.githubusercontent.com",
  // vscode (2026.11)
  "update.code.visualstudio.com",
  "marketplace.visualstudio.com",
  "vscode.download.prss.microsoft.com",
  "*.vscode-cdn.net",
  // vscode (2026.12 adds)
  "*.vscode.dev",
  "*.vscode-unpkg.net",
  "*.vscodeexperiments.azureedge.net",
  "default.exp-tas.com",
  "code.visualstudio.com",
  "*.vo.msecnd.net",
  "vscode.blob.core.windows.net",
  "*.gallerycdn.vsassets.io",
];

/**
 * Default VM sizes for compute clusters and instances: the sizes of the project's VM size
 * catalogue (components/config/catalogues/vmSizes.ts) usable for compute clusters and not
 * retired: general-purpose CPU sizes and current NC/ND GPU sizes. NCv3 (NC6s_v3, ...) was
 * retired on 30 September 2025 and is left out.
 */
export const DEFAULT_ALLOWED_VM_SIZES: readonly string[] = [
  "Standard_DS2_v2",
  "Standard_DS3_v2",
  "Standard_DS4_v2",
  "Standard_D4s_v3",
  "Standard_E4s_v3",
  "Standard_E8s_v3",
  "Standard_F2s_v2",
  "Standard_F4s_v2",
  "Standard_F8s_v2",
  "Standard_NC4as_T4_v3",
  "Standard_NC8as_T4_v3",
  "Standard_NC16as_T4_v3",
  "Standard_NC64as_T4_v3",
  "Standard_NC24ads_A100_v4",
  "Standard_NC48ads_A100_v4",
  "Standard_NC96ads_A100_v4",
  "Standard_NC40ads_H100_v5",
  "Standard_NC80adis_H100_v5",
  "Standard_ND96asr_v4",
  "Standard_ND96amsr_A100_v4",
  "Standard_ND96isr_H100_v5",
  "Standard_ND96isr_H200_v5",
];

/**
 * Default instance types for managed online deployments: the sizes of the project's catalogue
 * that Microsoft's managed online endpoints SKU list includes (not retired), plus
 * `Standard_F4s_v2`, the API's default instance type.
 */
export const DEFAULT_ALLOWED_INSTANCE_TYPES: readonly string[] = [
  "Standard_DS2_v2",
  "Standard_DS3_v2",
  "Standard_DS4_v2",
  "Standard_D2as_v4",
  "Standard_E4s_v3",
  "Standard_E8s_v3",
  "Standard_F2s_v2",
  "Standard_F4s_v2",
  "Standard_F8s_v2",
  "Standard_NC4as_T4_v3",
  "Standard_NC8as_T4_v3",
  "Standard_NC16as_T4_v3",
  "Standard_NC64as_T4_v3",
  "Standard_NC24ads_A100_v4",
  "Standard_NC48ads_A100_v4",
  "Standard_NC96ads_A100_v4",
  "Standard_NC40ads_H100_v5",
  "Standard_NC80adis_H100_v5",
  "Standard_ND96asr_v4",
  "Standard_ND96amsr_A100_v4",
  "Standard_ND96isr_H100_v5",
  "Standard_NV6ads_A10_v5",
  "Standard_NV12ads_A10_v5",
  "Standard_NV18ads_A10_v5",
  "Standard_NV36ads_A10_v5",
];

/** The online deployment instance type Azure uses when none is given. */
export const DEFAULT_INSTANCE_TYPE = "Standard_F4s_v2";

/**
 * Built-in roles that control a scope completely or can grant access to it: Owner, Contributor,
 * User Access Administrator and Role Based Access Control Administrator (which can assign any
 * role, Owner included, unless a condition restricts it).
 */
export const PRIVILEGED_ROLES: Readonly<Record<string, string>> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
};

/** A role GUID for messages: `Owner (8e3af657-...)`, or `role <guid>` when it is not a known privileged role. */
export function roleLabel(guid: string): string {
  return PRIVILEGED_ROLES[guid] ? `${PRIVILEGED_ROLES[guid]} (${guid})` : `role ${guid}`;
}
