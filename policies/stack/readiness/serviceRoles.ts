import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { sameText } from "../../support/props";
import {
  UNKNOWN,
  knownString,
  label,
  mustKnow,
  normalizeId,
  ofType,
  peek,
  refersToId,
  untraced,
} from "../../support/stackGraph";
import { TYPES as T } from "secure-azureml-facts";
import { roleLabel } from "../../support/ml";
import { ROLE_IDS } from "../identity";
import {
  Principal,
  Target,
  holdsRole,
  identityPrincipal,
  resourceTarget,
  systemPrincipal,
  targetOf,
  userAssignedIdentities,
} from "./grants";
import { ML, Report, notChecked, workspaceOf } from "./shared";

/**
 * Rule stack-required-service-roles: the roles Azure ML's own identities need, per Microsoft's
 * documentation, granted in the stack. Each check names its source in its message. Only
 * identities and resources of the stack are judged; a requirement whose identity or scope lives
 * outside the stack (and that no assignment of the stack satisfies) ends the rule "not checked".
 */

export interface ServiceRolesConfig {
  registryApprovalRoleIds: string[];
}

const SOURCES = {
  identity:
    'Microsoft, "Set up authentication between Azure Machine Learning and other services" (how-to-identity-based-service-authentication), user-assigned managed identity table',
  managedNetwork: 'Microsoft, "Workspace managed network isolation" (how-to-managed-network)',
  builtInRoles:
    'Microsoft, "Azure built-in roles for AI + machine learning": the approver role has no Microsoft.MachineLearningServices/registries actions; Azure AI Administrator covers only workspaces/*',
  endpoint:
    'Microsoft, "Access Azure resources from an online endpoint with a managed identity" (a user-assigned endpoint identity gets no role automatically)',
  batch:
    'Microsoft, how-to-managed-network "Scenario: Use batch endpoints" (queue and table private endpoints) and "Disable shared key authorization" (how-to-disable-local-auth-storage), Parallel Run Step: Storage Table Data Contributor and Storage Queue Data Contributor',
};

const MANAGED_NETWORK_MODES = ["AllowInternetOutbound", "AllowOnlyApprovedOutbound"];

/** Collects violations and "not checked" notes for one run. */
class Findings {
  readonly outside: string[] = [];
  reported = 0;
  constructor(private readonly report: Report) {}
  violation(message: string, resource: PolicyResource): void {
    this.reported++;
    this.report(message, resource.urn);
  }
}

const roles = (...ids: string[]) => ids.map(roleLabel).join(" or ");

/** The workspace's user-assigned identities: its primaryUserAssignedIdentity when set, else all it lists. */
function workspaceIdentities(
  resources: PolicyResource[],
  workspace: PolicyResource,
): { inStack: PolicyResource[]; outside: string[] } {
  const all = userAssignedIdentities(resources, workspace);
  const primary = peek(workspace.props, "primaryUserAssignedIdentity");
  if (primary === undefined || primary === null || primary === UNKNOWN) return all;
  const chosen = all.inStack.filter((i) => refersToId(workspace, "primaryUserAssignedIdentity", primary, i));
  if (chosen.length > 0) return { inStack: chosen, outside: [] };
  const known = knownString(primary);
  return known !== undefined && all.outside.some((o) => normalizeId(o) === normalizeId(known))
    ? { inStack: [], outside: [known] }
    : all;
}

/** Whether the workspace has a managed network (isolationMode AllowInternetOutbound or AllowOnlyApprovedOutbound). */
function hasManagedNetwork(workspace: PolicyResource): boolean {
  const mode = peek(workspace.props, "managedNetwork.isolationMode");
  if (mode === UNKNOWN) mustKnow(workspace, "managedNetwork.isolationMode");
  return MANAGED_NETWORK_MODES.some((m) => sameText(mode, m));
}

/** The PrivateEndpoint outbound rules of a workspace's managed network: name, target property value and sub-resource. */
function privateEndpointRules(
  workspace: PolicyResource,
): { name: string; path: string; target: unknown; subresource: string | undefined }[] {
  const rules = peek(workspace.props, "managedNetwork.outboundRules");
  if (rules === UNKNOWN) mustKnow(workspace, "managedNetwork.outboundRules");
  if (rules === null || typeof rules !== "object") return [];
  return Object.keys(rules)
    .filter((name) => sameText(peek(rules, `${name}.type`), "PrivateEndpoint"))
    .map((name) => {
      const path = `managedNetwork.outboundRules.${name}.destination`;
      const subresource = peek(workspace.props, `${path}.subresourceTarget`);
      if (subresource === UNKNOWN) mustKnow(workspace, `${path}.subresourceTarget`);
      return {
        name,
        path: `${path}.serviceResourceId`,
        target: peek(workspace.props, `${path}.serviceResourceId`),
        subresource: knownString(subresource)?.toLowerCase(),
      };
    });
}

/** Requires one of `roleIds` for the principals on the target, or notes why it cannot be checked. */
function requireRole(
  resources: PolicyResource[],
  findings: Findings,
  who: { principals: Principal[]; display: string; owner: PolicyResource },
  roleIds: string[],
  target: Target,
  why: string,
  minimum: "resource" | "resourceGroup" = "resource",
): void {
  if (holdsRole(resources, who.principals, roleIds, target, minimum)) return;
  if (target.resource === undefined) {
    findings.outside.push(
      `${who.display} needs ${roles(...roleIds)} on ${target.display}, which is not in this stack: the role is granted outside this stack`,
    );
    return;
  }
  const where =
    minimum === "resourceGroup"
      ? `the resource group of ${target.display} (or a broader scope)`
      : `${target.display} (or a scope that contains it)`;
  findings.violation(`${who.display} holds no ${roles(...roleIds)} on ${where}: ${why}`, who.owner);
}

/** Checks (a)-(c): the workspace identity's roles. */
function checkWorkspaces(resources: PolicyResource[], findings: Findings, config: ServiceRolesConfig): void {
  for (const workspace of ofType(resources, ML.workspace)) {
    const identities = workspaceIdentities(resources, workspace);
    for (const id of identities.outside)
      findings.outside.push(
        `${label(workspace)} uses identity ${id}, which is not in this stack: its roles are granted outside this stack`,
      );
    if (identities.inStack.length === 0) continue;
    const managed = hasManagedNetwork(workspace);
    for (const identity of identities.inStack) {
      const who = {
        principals: [identityPrincipal(identity)],
        display: `the user-assigned identity ${label(identity)} of ${label(workspace)}`,
        owner: workspace,
      };
      requireRole(
        resources,
        findings,
        who,
        [ROLE_IDS.contributor, ROLE_IDS.owner],
        resourceTarget(workspace),
        `a workspace with a user-assigned identity needs that identity to hold Contributor on the workspace itself (${SOURCES.identity}).`,
      );
      if (!managed) continue;
      requireRole(
        resources,
        findings,
        who,
        [ROLE_IDS.networkConnectionApprover, ROLE_IDS.contributor, ROLE_IDS.owner],
        resourceTarget(workspace),
        `a managed network's private endpoints to the workspace's resources are approved by the workspace identity; with a user-assigned identity it needs Azure AI Enterprise Network Connection Approver (${SOURCES.managedNetwork}).`,
        "resourceGroup",
      );
      for (const rule of privateEndpointRules(workspace).filter((r) => r.subresource === "amlregistry")) {
        const target = targetOf(resources, workspace, "managedNetwork", rule.path, ML.registry);
        if (!target) continue;
        requireRole(
          resources,
          findings,
          who,
          config.registryApprovalRoleIds,
          target,
          `outbound rule '${rule.name}' is a private endpoint to an ML registry (amlregistry), which the workspace identity must approve with Microsoft.MachineLearningServices/registries/privateEndpointConnectionsApproval/action (${SOURCES.builtInRoles}; Contributor and Owner include every action); add the role on the registry, or a custom role id to registryApprovalRoleIds.`,
        );
      }
    }
  }
}

/** Check (d): an online endpoint's user-assigned identity can pull images, read the model and write metrics. */
function checkOnlineEndpoints(resources: PolicyResource[], findings: Findings): void {
  for (const endpoint of ofType(resources, ML.onlineEndpoint)) {
    const identities = userAssignedIdentities(resources, endpoint);
    for (const id of identities.outside)
      findings.outside.push(
        `${label(endpoint)} uses identity ${id}, which is not in this stack: the role is granted outside this stack`,
      );
    if (identities.inStack.length === 0) continue;
    const workspace = workspaceOf(resources, endpoint);
    if (!workspace) {
      findings.outside.push(
        `the workspace of ${label(endpoint)} is not in this stack: the role is granted outside this stack`,
      );
      continue;
    }
    for (const identity of identities.inStack) {
      const who = {
        principals: [identityPrincipal(identity)],
        display: `the user-assigned identity ${label(identity)} of ${label(endpoint)}`,
        owner: endpoint,
      };
      const registry = targetOf(resources, workspace, "containerRegistry", "containerRegistry", T.registry);
      if (registry)
        requireRole(
          resources,
          findings,
          who,
          [ROLE_IDS.acrPull, ROLE_IDS.acrPush, ROLE_IDS.contributor, ROLE_IDS.owner],
          registry,
          `the deployment's image is pulled from the workspace's container registry as the endpoint identity (${SOURCES.endpoint}).`,
        );
      const storage = targetOf(resources, workspace, "storageAccount", "storageAccount", T.storage);
      if (storage)
        requireRole(
          resources,
          findings,
          who,
          [ROLE_IDS.blobDataReader, ROLE_IDS.blobDataContributor, ROLE_IDS.blobDataOwner],
          storage,
          `model and code files are read from the workspace's storage account as the endpoint identity (${SOURCES.endpoint}).`,
        );
      requireRole(
        resources,
        findings,
        who,
        [ROLE_IDS.azureMlMetricsWriter, ROLE_IDS.contributor, ROLE_IDS.owner],
        resourceTarget(workspace),
        `the deployment writes its metrics to the workspace as the endpoint identity (${SOURCES.endpoint}).`,
      );
    }
  }
}

/** The compute cluster a batch deployment runs on (a stack Compute), or why it cannot be judged. */
function clusterOf(resources: PolicyResource[], deployment: PolicyResource): PolicyResource | string | undefined {
  const computeId = peek(deployment.props, "properties.compute");
  if (computeId === undefined || computeId === null) return undefined;
  const compute = ofType(resources, ML.compute).find((c) => refersToId(deployment, "properties", computeId, c));
  if (compute) return compute;
  if (untraced(deployment, "properties", computeId)) mustKnow(deployment, "properties.compute");
  return `the compute cluster ${knownString(computeId) ?? "(unknown)"} of ${label(deployment)} is not in this stack: its identity's roles are granted outside this stack`;
}

/** Check (e): batch deployments need queue and table access for the cluster identity, and queue and table private endpoints in a managed network. */
function checkBatchDeployments(resources: PolicyResource[], findings: Findings): void {
  const networkChecked = new Set<string>();
  for (const deployment of ofType(resources, ML.batchDeployment)) {
    const workspace = workspaceOf(resources, deployment);
    if (!workspace) {
      findings.outside.push(
        `the workspace of ${label(deployment)} is not in this stack: the role is granted outside this stack`,
      );
      continue;
    }
    const storage = targetOf(resources, workspace, "storageAccount", "storageAccount", T.storage);
    if (!storage) continue;
    const cluster = clusterOf(resources, deployment);
    if (typeof cluster === "string") findings.outside.push(cluster);
    else if (cluster) {
      const system = systemPrincipal(cluster);
      const identities = userAssignedIdentities(resources, cluster);
      for (const id of identities.outside)
        findings.outside.push(
          `${label(cluster)} uses identity ${id}, which is not in this stack: the role is granted outside this stack`,
        );
      const principals = [...identities.inStack.map(identityPrincipal), ...(system ? [system] : [])];
      if (principals.length > 0) {
        const who = {
          principals,
          display: `the identity of ${label(cluster)}, which runs ${label(deployment)}`,
          owner: deployment,
        };
        const why = `batch scoring coordinates its mini-batches through the workspace storage account's queues and tables with the cluster identity (${SOURCES.batch}).`;
        requireRole(resources, findings, who, [ROLE_IDS.queueDataContributor], storage, why);
        requireRole(resources, findings, who, [ROLE_IDS.tableDataContributor], storage, why);
      }
    }
    if (networkChecked.has(workspace.urn) || !hasManagedNetwork(workspace)) continue;
    networkChecked.add(workspace.urn);
    const covered = new Set(
      privateEndpointRules(workspace)
        .filter((rule) => pointsAt(workspace, rule.target, rule.path, storage))
        .map((rule) => rule.subresource),
    );
    const missing = ["queue", "table"].filter((sub) => !covered.has(sub));
    if (missing.length === 0) continue;
    findings.violation(
      `${label(workspace)} runs batch deployments (${label(deployment)}) in a managed network without PrivateEndpoint outbound rules to ${missing.join(" and ")} of its storage account ${storage.display}: batch jobs cannot reach the queues and tables they need (${SOURCES.batch}). Add outbound rules { type: "PrivateEndpoint", destination: { serviceResourceId: <storage id>, subresourceTarget: "${missing[0]}" } }.`,
      workspace,
    );
  }
}

/** Whether a managed-network rule's serviceResourceId designates the target. */
function pointsAt(workspace: PolicyResource, value: unknown, path: string, target: Target): boolean {
  if (target.resource) {
    if (refersToId(workspace, "managedNetwork", value, target.resource)) return true;
  } else if (knownString(value) !== undefined && target.id !== undefined)
    return normalizeId(knownString(value) as string) === target.id;
  if (untraced(workspace, "managedNetwork", value)) mustKnow(workspace, path);
  return false;
}

/** Rule: the roles Azure ML's identities need are granted in the stack. */
export function validateRequiredServiceRoles(args: StackValidationArgs, report: Report): void {
  const findings = new Findings(report);
  checkWorkspaces(args.resources, findings, args.getConfig<ServiceRolesConfig>());
  checkOnlineEndpoints(args.resources, findings);
  checkBatchDeployments(args.resources, findings);
  if (findings.outside.length > 0 && findings.reported === 0) notChecked(findings.outside);
}
