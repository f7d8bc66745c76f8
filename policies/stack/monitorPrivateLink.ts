import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { BaselineStackPolicy, MANDATORY } from "../support/baseline";
import {
  UNKNOWN,
  isDisabled,
  azureName,
  label,
  mustKnow,
  ofType,
  peek,
  refersToId,
  refersToValue,
  sameGroupOrUnknown,
  shown,
  untraced,
} from "../support/stackGraph";
import { TYPES as T } from "secure-azureml-facts";

/**
 * Azure Monitor over private link, once the stack has an Azure Monitor Private Link Scope (AMPLS).
 *
 * Without a scope, the resource rules `monitoring-log-analytics-public-network-disabled` and
 * `monitoring-appinsights-public-network-disabled` stay advisory: closing public ingestion and
 * query would cut off every sender and reader. With a scope the stack has chosen the private path,
 * and Microsoft's guidance is to add every Azure Monitor resource to it and block public access on
 * each (Microsoft Learn, "Design Azure Monitor Private Link configuration": add all Log Analytics
 * workspaces and Application Insights components to the AMPLS; "Use Azure Private Link to connect
 * networks to Azure Monitor": a resource's network isolation settings, "Accept data ingestion /
 * queries from public networks not connected through a Private Link Scope", decide whether
 * clients outside the scope get in). The matching Azure built-ins: "Log Analytics workspaces should
 * block log ingestion and querying from public networks" and "Application Insights components
 * should block log ingestion and querying from public networks".
 */

type Report = (message: string, urn?: string) => void;

/** The Azure Monitor resources a scope serves (its scoped resources' linkedResourceId). */
const MONITORED = [T.logAnalytics, T.appInsights];

/** The public network access properties of Log Analytics workspaces and Application Insights components (flattened). */
const PUBLIC_ACCESS = ["publicNetworkAccessForIngestion", "publicNetworkAccessForQuery"] as const;

/** Whether the scoped resource belongs to `scope`: its `scopeName` names it (by value or dependency), in the same resource group. */
function inScope(scoped: PolicyResource, scope: PolicyResource): boolean {
  return (
    refersToValue(scoped, "scopeName", peek(scoped.props, "scopeName"), scope, azureName(scope)) &&
    sameGroupOrUnknown(scoped, scope)
  );
}

/** Whether some scoped resource of the stack's scopes links `resource` (linkedResourceId = its id); throws "unknown" when undecidable. */
function isLinked(scopes: PolicyResource[], scopedResources: PolicyResource[], resource: PolicyResource): boolean {
  const ofStackScopes = scopedResources.filter((s) => scopes.some((scope) => inScope(s, scope)));
  if (ofStackScopes.some((s) => refersToId(s, "linkedResourceId", peek(s.props, "linkedResourceId"), resource)))
    return true;
  // A reference that is unknown and came from no resource of the stack may designate this one.
  for (const scoped of scopedResources) {
    if (untraced(scoped, "scopeName", peek(scoped.props, "scopeName"))) mustKnow(scoped, "scopeName");
    if (ofStackScopes.includes(scoped) && untraced(scoped, "linkedResourceId", peek(scoped.props, "linkedResourceId")))
      mustKnow(scoped, "linkedResourceId");
  }
  return false;
}

/** Rule: with a scope in the stack, every Log Analytics workspace and Application Insights component is in it and closed to public networks. */
function validateMonitorPrivateLink(args: StackValidationArgs, report: Report): void {
  const scopes = ofType(args.resources, T.monitorPrivateLinkScope);
  if (scopes.length === 0) {
    args.notApplicable("the stack has no Azure Monitor Private Link Scope (azure-native:monitor:PrivateLinkScope)");
    return;
  }
  const scopedResources = ofType(args.resources, T.monitorScopedResource);
  const scopeNames = scopes.map(label).join(", ");
  for (const resource of MONITORED.flatMap((type) => ofType(args.resources, type))) {
    if (!isLinked(scopes, scopedResources, resource))
      report(
        `${label(resource)} is not in the stack's Azure Monitor Private Link Scope (${scopeNames}): no azure-native:monitor:PrivateLinkScopedResource links it (linkedResourceId = its id), so networks connected to the scope cannot reach it over private link (with PrivateOnly access mode not at all); add it to the scope.`,
        resource.urn,
      );
    for (const property of PUBLIC_ACCESS) {
      const value = peek(resource.props, property);
      if (value === UNKNOWN) mustKnow(resource, property);
      if (isDisabled(value)) continue;
      report(
        `${label(resource)} has ${property} ${value === undefined ? "not set (Azure defaults to Enabled)" : shown(value)} in a stack with an Azure Monitor Private Link Scope: ${property === "publicNetworkAccessForIngestion" ? "telemetry is accepted" : "logs can be queried"} from public networks, around the scope; set it to "Disabled".`,
        resource.urn,
      );
    }
  }
}

export const monitorPrivateLinkPolicies: BaselineStackPolicy[] = [
  {
    name: "stack-monitor-private-link-only",
    description:
      'In a stack with an Azure Monitor Private Link Scope (azure-native:monitor:PrivateLinkScope), every Log Analytics workspace and Application Insights component is linked to a scope of the stack by an azure-native:monitor:PrivateLinkScopedResource (linkedResourceId = its id) and has publicNetworkAccessForIngestion and publicNetworkAccessForQuery "Disabled" (absent means Enabled, the service default). Microsoft Learn, "Design Azure Monitor Private Link configuration": add every Azure Monitor resource to the scope; "Use Azure Private Link to connect networks to Azure Monitor": only a resource that refuses public ingestion and query is reachable through the scope alone. Azure built-ins "Log Analytics workspaces should block log ingestion and querying from public networks" and "Application Insights components should block log ingestion and querying from public networks". Without a scope the rule does not apply (the resource rules monitoring-*-public-network-disabled stay advisory, see why there). Diagnostic settings keep delivering to a closed workspace: they use a Microsoft channel the settings do not control.',
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'For each azure-native:operationalinsights:Workspace and azure-native:applicationinsights:Component, create an azure-native:monitor:PrivateLinkScopedResource with scopeName: <scope>.name, resourceGroupName: <scope resource group> and linkedResourceId: <resource>.id (the program\'s monitoring.privateLinkScope does), then set publicNetworkAccessForIngestion: "Disabled" and publicNetworkAccessForQuery: "Disabled".',
    validateStack: validateMonitorPrivateLink,
  },
];
