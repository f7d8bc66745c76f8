import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { BaselineStackPolicy, MANDATORY } from "../support/baseline";
import { sameText } from "../support/props";
import {
  UNKNOWN,
  azureName,
  idTailOf,
  knownId,
  knownString,
  label,
  mustKnow,
  normalizeId,
  ofType,
  peek,
  peekArray,
  refersToId,
  refersToValue,
  sameGroupOrUnknown,
  shown,
  sourcesOf,
  untraced,
} from "../support/stackGraph";
import { TYPES as T } from "secure-azureml-facts";

/**
 * Monitoring across the stack: data-bearing resources send resource logs to Log Analytics,
 * and Application Insights stores its telemetry in a Log Analytics workspace of the stack.
 */

type Report = (message: string, urn?: string) => void;

const LOG_ANALYTICS_ID = /\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+\/?$/i;

/**
 * Data-bearing resources whose own diagnostic setting must carry their resource logs: each of
 * these types supports the `allLogs` and `audit` category groups (Azure built-in policy 187242f4,
 * "Resource logs should be enabled for Audit on supported resources", lists
 * microsoft.machinelearningservices/workspaces, microsoft.keyvault/vaults and
 * microsoft.containerregistry/registries).
 */
const DATA_BEARING: { type: string; what: string }[] = [
  { type: T.mlWorkspace, what: "ML workspace" },
  { type: T.vault, what: "Key Vault" },
  { type: T.registry, what: "container registry" },
];

/**
 * The storage services that carry a storage account's resource logs. The account resource
 * exports metrics only; StorageRead, StorageWrite and StorageDelete are logged per service, by a
 * diagnostic setting on `<account id>/blobServices/default` and `<account id>/fileServices/default`
 * (Microsoft Learn: "Monitor Azure Blob Storage", "Azure Storage monitoring data reference",
 * "Supported logs for Microsoft.Storage/storageAccounts/blobServices" and ".../fileServices").
 */
const STORAGE_SERVICES = [
  { key: "blob", segment: "blobServices", type: T.blobService, skipKind: "FileStorage" },
  { key: "file", segment: "fileServices", type: T.fileService, skipKind: "BlockBlobStorage" },
] as const;
type StorageService = (typeof STORAGE_SERVICES)[number];

/** Whether a setting's resourceUri designates a target: yes, no, or "maybe" (unknown and possibly it). */
type Match = "yes" | "no" | "maybe";

/** What a diagnostic setting must cover, and how to tell whether one does. */
interface Target {
  resource: PolicyResource;
  /** How messages name the target (`its blob service (<account id>/blobServices/default)`). */
  shownAs: string;
  /** What is lost without its logs. */
  consequence: string;
  matches: (setting: PolicyResource) => Match;
}

function directTarget(resource: PolicyResource, what: string): Target {
  return {
    resource,
    shownAs: "",
    consequence: `access to and changes of this ${what} leave no searchable audit trail`,
    matches: (setting) => {
      const value = peek(setting.props, "resourceUri");
      if (refersToId(setting, "resourceUri", value, resource)) return "yes";
      return untraced(setting, "resourceUri", value) ? "maybe" : "no";
    },
  };
}

/** Whether a BlobServiceProperties / FileServiceProperties resource of the stack belongs to `account`. */
function serviceOf(service: PolicyResource, account: PolicyResource): boolean {
  return (
    refersToValue(service, "accountName", peek(service.props, "accountName"), account, azureName(account)) &&
    sameGroupOrUnknown(service, account)
  );
}

function storageServiceTarget(resources: PolicyResource[], account: PolicyResource, service: StorageService): Target {
  const suffix = `/${service.segment}/default`.toLowerCase();
  const serviceResources = ofType(resources, service.type).filter((r) => serviceOf(r, account));
  const accountId = knownId(account);
  return {
    resource: account,
    shownAs: ` its ${service.key} service (resourceUri ${accountId ? `${accountId}/${service.segment}/default` : `<account id>/${service.segment}/default`})`,
    consequence: `reads, writes and deletes in its ${service.key} service leave no searchable audit trail (the account resource itself exports metrics only)`,
    matches: (setting) => {
      const value = peek(setting.props, "resourceUri");
      const known = knownString(value);
      const sources = sourcesOf(setting, "resourceUri");
      if (known !== undefined) {
        const id = normalizeId(known);
        if (accountId !== undefined) return id === `${accountId}${suffix}` ? "yes" : "no";
        const tail = idTailOf(account);
        if (tail !== undefined) return id.endsWith(`${tail}${suffix}`) ? "yes" : "no";
      } else if (value !== UNKNOWN) return "no";
      if (serviceResources.some((r) => sources.some((s) => s.urn === r.urn))) return "yes";
      // `${account.id}/blobServices/default` is unknown and comes from the account: the account or one of its services.
      if (sources.some((s) => s.urn === account.urn)) return "maybe";
      return value === UNKNOWN && sources.length === 0 ? "maybe" : "no";
    },
  };
}

/** Whether a setting sends at least one enabled log category or category group; the path to read when that is unknown. */
function carriesLogs(setting: PolicyResource): { verdict: "yes" | "no" | "unknown"; path: string } {
  const logs = peekArray(setting.props, "logs");
  if (logs === UNKNOWN) return { verdict: "unknown", path: "logs" };
  let unknownPath: string | undefined;
  for (const [i, entry] of logs.entries()) {
    const enabled = peek(entry, "enabled");
    const category = peek(entry, "category");
    const group = peek(entry, "categoryGroup");
    const unknownField = [
      ["enabled", enabled],
      ["category", category],
      ["categoryGroup", group],
    ].find(([, value]) => value === UNKNOWN);
    if (unknownField) {
      unknownPath ??= `logs.${i}.${unknownField[0] as string}`;
      continue;
    }
    if (enabled === true && (knownString(category) !== undefined || knownString(group) !== undefined))
      return { verdict: "yes", path: "" };
  }
  return unknownPath === undefined ? { verdict: "no", path: "" } : { verdict: "unknown", path: unknownPath };
}

/** The targets of the rule: each data-bearing resource, and the blob and file services of each storage account. */
function targetsOf(resources: PolicyResource[]): Target[] {
  const targets = DATA_BEARING.flatMap(({ type, what }) => ofType(resources, type).map((r) => directTarget(r, what)));
  for (const account of ofType(resources, T.storage)) {
    const kind = peek(account.props, "kind") === UNKNOWN ? mustKnow(account, "kind") : peek(account.props, "kind");
    for (const service of STORAGE_SERVICES)
      if (!sameText(kind, service.skipKind)) targets.push(storageServiceTarget(resources, account, service));
  }
  return targets;
}

/**
 * Whether `from.props[property]` designates a Log Analytics workspace: one of the stack, or
 * (when `external` is allowed) any id of the Microsoft.OperationalInsights/workspaces form.
 * "undecided" when the value is unknown and came from no Log Analytics workspace of the stack.
 */
function logAnalyticsTarget(
  resources: PolicyResource[],
  from: PolicyResource,
  property: string,
  external: boolean,
): "stack" | "external" | "other" | "absent" | "undecided" {
  const value = peek(from.props, property);
  const workspaces = ofType(resources, T.logAnalytics);
  if (value === UNKNOWN) {
    if (sourcesOf(from, property).some((s) => s.type === T.logAnalytics)) return "stack";
    return "undecided";
  }
  const id = knownString(value);
  if (id === undefined) return "absent";
  if (workspaces.some((w) => refersToId(from, property, id, w))) return "stack";
  if (LOG_ANALYTICS_ID.test(id)) return external ? "external" : "other";
  return "other";
}

/** Rule: data-bearing resources (and the storage services) send resource logs to Log Analytics. */
function validateDiagnostics(args: StackValidationArgs, report: Report): void {
  const settings = ofType(args.resources, T.diagnostic);
  for (const target of targetsOf(args.resources)) {
    const mine = settings.filter((s) => target.matches(s) === "yes");
    const verdicts = mine.map((setting) => ({
      setting,
      destination: logAnalyticsTarget(args.resources, setting, "workspaceId", true),
      logs: carriesLogs(setting),
    }));
    const toLogAnalytics = (v: (typeof verdicts)[number]) => v.destination === "stack" || v.destination === "external";
    if (verdicts.some((v) => toLogAnalytics(v) && v.logs.verdict === "yes")) continue;
    // A setting that may still qualify decides once its unknowns are known.
    for (const v of verdicts) {
      if (v.logs.verdict === "no" || !(toLogAnalytics(v) || v.destination === "undecided")) continue;
      if (v.destination === "undecided") mustKnow(v.setting, "workspaceId");
      if (v.logs.verdict === "unknown") mustKnow(v.setting, v.logs.path);
    }
    // A setting that carries no logs cannot count, whatever it designates (the account's metrics-only setting).
    const unsure = settings.find((s) => target.matches(s) === "maybe" && carriesLogs(s).verdict !== "no");
    if (unsure) mustKnow(unsure, "resourceUri");
    const problems = verdicts.map(({ setting, destination, logs }) => {
      const faults = [
        ...(toLogAnalytics({ setting, destination, logs })
          ? []
          : [`sends to no Log Analytics workspace (workspaceId ${shown(peek(setting.props, "workspaceId"))})`]),
        ...(logs.verdict === "no" ? ["carries no enabled log category or category group (metrics only)"] : []),
      ];
      return `${label(setting)} ${faults.join(" and ")}`;
    });
    const detail =
      mine.length === 0
        ? `no azure-native:monitor:DiagnosticSetting has resourceUri set to ${target.shownAs ? "it" : "its id"}`
        : `its diagnostic settings do not count (${problems.join("; ")})`;
    report(
      `${label(target.resource)}${target.shownAs ? ":" + target.shownAs : ""}: ${detail}: ${target.consequence}.`,
      target.resource.urn,
    );
  }
}

interface AppInsightsConfig {
  allowExternalWorkspaces: boolean;
}

/** Rule: Application Insights is workspace-based on a Log Analytics workspace of the stack. */
function validateAppInsights(args: StackValidationArgs, report: Report): void {
  const { allowExternalWorkspaces } = args.getConfig<AppInsightsConfig>();
  for (const component of ofType(args.resources, T.appInsights)) {
    const ingestionMode = mustKnow(component, "ingestionMode");
    if (ingestionMode !== undefined && !sameText(ingestionMode, "LogAnalytics")) {
      report(
        `${label(component)} has ingestionMode ${shown(ingestionMode)}: telemetry bypasses Log Analytics; set ingestionMode to "LogAnalytics" with workspaceResourceId.`,
        component.urn,
      );
      continue;
    }
    const target = logAnalyticsTarget(args.resources, component, "workspaceResourceId", allowExternalWorkspaces);
    if (target === "stack" || target === "external") continue;
    if (target === "undecided") mustKnow(component, "workspaceResourceId");
    const value = peek(component.props, "workspaceResourceId");
    report(
      target === "absent"
        ? `${label(component)} has no workspaceResourceId: a classic (not workspace-based) component, retired by Azure, without Log Analytics access control, retention and private link.`
        : `${label(component)} has workspaceResourceId ${shown(value)}, which is not a Log Analytics workspace of this stack${allowExternalWorkspaces ? " nor a Log Analytics workspace id" : ""}.`,
      component.urn,
    );
  }
}

export const diagnosticsPolicies: BaselineStackPolicy[] = [
  {
    name: "stack-diagnostics-to-log-analytics",
    description:
      "Every ML workspace, Key Vault and container registry, and the blob and file service of every storage account (<account id>/blobServices/default, <account id>/fileServices/default; BlockBlobStorage accounts have no file service, FileStorage accounts no blob service), has an azure-native:monitor:DiagnosticSetting (resourceUri = its id) whose workspaceId is a Log Analytics workspace of the stack or a Microsoft.OperationalInsights/workspaces id and that sends at least one enabled log category or category group: a metrics-only setting does not count. The storage account's own setting is not required, because the account resource exports metrics only (Microsoft Learn, Azure Storage monitoring data reference).",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Create an azure-native:monitor:DiagnosticSetting with resourceUri: <resource>.id (for storage: <account>.id + "/blobServices/default" and + "/fileServices/default", or the BlobServiceProperties / FileServiceProperties id), workspaceId: <azure-native:operationalinsights:Workspace>.id, logs: [{ categoryGroup: "allLogs", enabled: true }] (or "audit") and metrics: [{ category: "AllMetrics", enabled: true }] (storage: "Transaction").',
    validateStack: validateDiagnostics,
  },
  {
    name: "stack-app-insights-log-analytics",
    description:
      "Every Application Insights component is workspace-based: workspaceResourceId names a Log Analytics workspace of the stack (absent = classic component) and ingestionMode, when set, is LogAnalytics.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Set workspaceResourceId on the azure-native:applicationinsights:Component to the id of an azure-native:operationalinsights:Workspace of the stack (and ingestionMode: "LogAnalytics"); set allowExternalWorkspaces to accept a workspace managed elsewhere.',
    configSchema: {
      properties: {
        allowExternalWorkspaces: {
          type: "boolean",
          default: false,
          description:
            "Also accept a workspaceResourceId of a Log Analytics workspace that is not in the stack (a central workspace).",
        },
      },
    },
    validateStack: validateAppInsights,
  },
];
