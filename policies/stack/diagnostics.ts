import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { BaselineStackPolicy, MANDATORY } from "../support/baseline";
import { sameText } from "../support/props";
import {
  UNKNOWN,
  knownString,
  label,
  mustKnow,
  ofType,
  peek,
  refersToId,
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

/** Data-bearing resources that must have diagnostics. */
const DATA_BEARING: { type: string; what: string }[] = [
  { type: T.mlWorkspace, what: "ML workspace" },
  { type: T.storage, what: "storage account" },
  { type: T.vault, what: "Key Vault" },
  { type: T.registry, what: "container registry" },
];

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

/** Rule: diagnostics of data-bearing resources go to Log Analytics. */
function validateDiagnostics(args: StackValidationArgs, report: Report): void {
  const settings = ofType(args.resources, T.diagnostic);
  for (const { type, what } of DATA_BEARING) {
    for (const resource of ofType(args.resources, type)) {
      const mine = settings.filter((s) => refersToId(s, "resourceUri", peek(s.props, "resourceUri"), resource));
      const verdicts = mine.map((s) => ({
        setting: s,
        target: logAnalyticsTarget(args.resources, s, "workspaceId", true),
      }));
      if (verdicts.some((v) => v.target === "stack" || v.target === "external")) continue;
      const undecided = verdicts.find((v) => v.target === "undecided");
      if (undecided) mustKnow(undecided.setting, "workspaceId");
      const unsure = settings.find((s) => untraced(s, "resourceUri", peek(s.props, "resourceUri")));
      if (unsure) mustKnow(unsure, "resourceUri");
      const detail =
        mine.length === 0
          ? "no azure-native:monitor:DiagnosticSetting has resourceUri set to its id"
          : `its diagnostic settings (${mine.map(label).join(", ")}) send to no Log Analytics workspace (workspaceId ${mine.map((s) => shown(peek(s.props, "workspaceId"))).join(", ")})`;
      report(
        `${label(resource)}: ${detail}: access to and changes of this ${what} leave no searchable audit trail.`,
        resource.urn,
      );
    }
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
      "Every ML workspace, storage account, Key Vault and container registry has an azure-native:monitor:DiagnosticSetting (resourceUri = its id) whose workspaceId is a Log Analytics workspace of the stack or a Microsoft.OperationalInsights/workspaces id.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Create an azure-native:monitor:DiagnosticSetting with resourceUri: <resource>.id, workspaceId: <azure-native:operationalinsights:Workspace>.id, logs: [{ categoryGroup: "allLogs", enabled: true }] (where the resource type has logs) and metrics: [{ category: "AllMetrics", enabled: true }].',
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
