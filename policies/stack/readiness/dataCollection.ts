import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { isTrue } from "../../support/props";
import {
  UNKNOWN,
  knownString,
  label,
  mustKnow,
  normalizeId,
  ofType,
  peek,
  refersToId,
  shown,
  sourcesOf,
  untraced,
} from "../../support/stackGraph";
import { TYPES as T } from "secure-azureml-facts";
import { ML, Report } from "./shared";

/**
 * Rule stack-data-collection-container-matches-isolation: a role assignment scoped to a workspace
 * blob container names the container the workspace really has.
 *
 * Microsoft, "Set up authentication between Azure Machine Learning and other services"
 * (how-to-identity-based-service-authentication.md), "Data isolation for shared resources": with
 * `enableDataIsolation`, "Container names are prefixed with the workspace GUID (for example,
 * `{workspaceGUID}-azureml-blobstore`)", and the setting can only be chosen at creation. Without
 * it the default datastore's container is `azureml-blobstore-{workspaceGUID}` (the
 * workspaceblobstore container, as Azure ML creates it).
 */

const CONTAINER_SCOPE = /^(.*\/storageaccounts\/[^/]+)\/blobservices\/default\/containers\/([^/]+)$/;

/** The workspace GUID and naming form a workspace container name carries, if it is one. */
function workspaceContainer(name: string): { guid: string; isolated: boolean } | undefined {
  const suffixed = /^azureml-blobstore-(.+)$/.exec(name);
  if (suffixed) return { guid: suffixed[1], isolated: false };
  const prefixed = /^(.+)-azureml-blobstore$/.exec(name);
  if (prefixed) return { guid: prefixed[1], isolated: true };
  return undefined;
}

/** The stack's workspaces whose storageAccount is the account `accountId` designates. */
function workspacesOnAccount(
  resources: PolicyResource[],
  assignment: PolicyResource,
  accountId: string,
): PolicyResource[] {
  const accounts = ofType(resources, T.storage).filter((s) => refersToId(assignment, "scope", accountId, s));
  return ofType(resources, ML.workspace).filter((workspace) => {
    const storage = peek(workspace.props, "storageAccount");
    const known = knownString(storage);
    if (known !== undefined)
      return (
        normalizeId(known) === accountId || accounts.some((s) => refersToId(workspace, "storageAccount", known, s))
      );
    if (untraced(workspace, "storageAccount", storage)) mustKnow(workspace, "storageAccount");
    return (
      storage === UNKNOWN && accounts.some((s) => sourcesOf(workspace, "storageAccount").some((d) => d.urn === s.urn))
    );
  });
}

/** Rule: container-scoped role assignments name the workspace container in the form the workspace's data isolation setting gives it. */
export function validateDataCollectionContainer(args: StackValidationArgs, report: Report): void {
  for (const assignment of ofType(args.resources, T.roleAssignment)) {
    const scope = peek(assignment.props, "scope");
    if (scope === UNKNOWN) {
      // A container scope is built from the storage account id and the workspace GUID (an output, unknown until the workspace exists);
      // an unknown scope traced to no resource of the stack may be any container.
      const sources = sourcesOf(assignment, "scope");
      const fromWorkspace = sources.some((s) => s.type === ML.workspace) && sources.some((s) => s.type === T.storage);
      if (fromWorkspace || untraced(assignment, "scope", scope)) mustKnow(assignment, "scope");
      continue;
    }
    const match = CONTAINER_SCOPE.exec(normalizeId(knownString(scope) ?? ""));
    const container = match ? workspaceContainer(match[2]) : undefined;
    if (!match || !container) continue;
    const onAccount = workspacesOnAccount(args.resources, assignment, match[1]);
    const guidOf = (w: PolicyResource) => peek(w.props, "workspaceId");
    const exact = onAccount.filter((w) => knownString(guidOf(w))?.toLowerCase() === container.guid);
    const candidates = exact.length > 0 ? exact : onAccount.filter((w) => knownString(guidOf(w)) === undefined);
    for (const workspace of candidates) {
      const isolation = peek(workspace.props, "enableDataIsolation");
      if (isolation === UNKNOWN) mustKnow(workspace, "enableDataIsolation");
      const isolated = isTrue(isolation);
      if (isolated === container.isolated) continue;
      const expected = isolated ? `${container.guid}-azureml-blobstore` : `azureml-blobstore-${container.guid}`;
      report(
        `${label(assignment)} is scoped to container '${match[2]}' of the storage account of ${label(workspace)}, whose enableDataIsolation is ${shown(isolation)}: ${isolated ? "with" : "without"} data isolation the workspace's blob container is named '${expected}' (Microsoft, "Set up authentication between Azure Machine Learning and other services", Data isolation for shared resources), so the assignment names a container that does not exist and grants nothing. Scope it to .../containers/${expected}.`,
        assignment.urn,
      );
    }
  }
}
