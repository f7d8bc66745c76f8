import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { BaselineStackPolicy, MANDATORY } from "../support/baseline";
import { sameText } from "../support/props";
import {
  UNKNOWN,
  azureName,
  knownString,
  label,
  mustKnow,
  normalizeId,
  ofType,
  peek,
  providerOf,
  refersToId,
  refersToValue,
  resourceGroupOf,
  sameGroupOrUnknown,
  sourcesOf,
  stackNameOf,
  untraced,
} from "../support/stackGraph";
import { scopeLevel } from "../support/ml";
import { TYPES as T } from "secure-azureml-facts";

/**
 * Protection of data in production: data-bearing resources cannot be deleted by accident,
 * neither by `pulumi destroy` / a replacement (`protect`) nor in Azure (a management lock).
 */

type Report = (message: string, urn?: string) => void;

/**
 * Data-bearing resources that need a management lock in production. Application Insights is not
 * among them: a workspace-based component keeps its telemetry in its Log Analytics workspace
 * (Microsoft Learn, "Workspace-based Application Insights resources"), which is locked, and the
 * component itself holds only settings the stack recreates.
 */
const LOCKED = [T.storage, T.vault, T.registry, T.mlRegistry, T.logAnalytics];

interface ProtectionConfig {
  environment: "dev" | "prod" | "auto";
  lockWorkspaces: boolean;
}

const PROD_WORDS = new Set(["prod", "prd", "production", "live"]);

/**
 * Whether the stack is production: config `environment`; with "auto", the stack tag
 * `environment` when set, else a stack name with a token prod/prd/production/live
 * (`prod`, `ml-prod-weu`; not `nonprod`).
 */
export function isProduction(args: StackValidationArgs, environment: ProtectionConfig["environment"]): boolean {
  if (environment !== "auto") return environment === "prod";
  for (const [key, value] of args.stackTags) {
    if (key.toLowerCase() === "environment") return PROD_WORDS.has(value.toLowerCase());
  }
  const stack = stackNameOf(args.resources);
  return (
    stack !== undefined &&
    stack
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .some((token) => PROD_WORDS.has(token))
  );
}

/** A lock's level blocks deletion ("yes"), does not ("no"), or is unknown. */
function blocksDeletion(lock: PolicyResource): "yes" | "no" | "unknown" {
  const level = peek(lock.props, "level");
  if (level === UNKNOWN) return "unknown";
  return sameText(level, "CanNotDelete") || sameText(level, "ReadOnly") ? "yes" : "no";
}

/** Whether a scope string or reference designates the resource group of `resource`. */
function scopeIsGroupOf(lock: PolicyResource, property: string, value: unknown, resource: PolicyResource): boolean {
  const group = resourceGroupOf(resource);
  const known = knownString(value);
  if (known !== undefined && scopeLevel(known) === "resourceGroup")
    return group !== undefined && normalizeId(known).endsWith(`/resourcegroups/${group.toLowerCase()}`);
  // The lock's scope and the resource's group came from the same ResourceGroup resource.
  const groups = sourcesOf(resource, "resourceGroupName").filter((g) => g.type === T.resourceGroup);
  return groups.some((g) => refersToId(lock, property, value, g));
}

/** The locks of the stack that cover `resource` (on it, its resource group or its subscription). */
function locksCovering(resources: PolicyResource[], resource: PolicyResource): PolicyResource[] {
  const provider = providerOf(resource.type) ?? "";
  const [namespace, type] = provider.split("/");
  const byScope = ofType(resources, T.lockByScope).filter((lock) => {
    const scope = peek(lock.props, "scope");
    const known = knownString(scope);
    if (known !== undefined && scopeLevel(known) === "subscription") return true;
    return refersToId(lock, "scope", scope, resource) || scopeIsGroupOf(lock, "scope", scope, resource);
  });
  const atResource = ofType(resources, T.lockAtResource).filter(
    (lock) =>
      sameText(peek(lock.props, "resourceProviderNamespace"), namespace) &&
      sameText(peek(lock.props, "resourceType"), type) &&
      refersToValue(lock, "resourceName", peek(lock.props, "resourceName"), resource, azureName(resource)) &&
      sameGroupOrUnknown(lock, resource),
  );
  const atGroup = ofType(resources, T.lockAtResourceGroup).filter((lock) => {
    const lockGroup = knownString(peek(lock.props, "resourceGroupName"));
    const group = resourceGroupOf(resource);
    if (lockGroup !== undefined && group !== undefined) return lockGroup.toLowerCase() === group.toLowerCase();
    const sources = sourcesOf(resource, "resourceGroupName");
    return sourcesOf(lock, "resourceGroupName").some(
      (s) => s.type === T.resourceGroup && sources.some((o) => o.urn === s.urn),
    );
  });
  return [...byScope, ...atResource, ...atGroup, ...ofType(resources, T.lockAtSubscription)];
}

/** Whether a lock covering `resource` blocks deletion, and the covering locks that do not; throws "unknown" when undecidable. */
function blockingLocks(resources: PolicyResource[], resource: PolicyResource): { ok: boolean; weak: PolicyResource[] } {
  const locks = locksCovering(resources, resource);
  const verdicts = locks.map((lock) => ({ lock, blocks: blocksDeletion(lock) }));
  if (verdicts.some((v) => v.blocks === "yes")) return { ok: true, weak: [] };
  const undecided = verdicts.find((v) => v.blocks === "unknown");
  if (undecided) mustKnow(undecided.lock, "level");
  // A lock whose target is unknown and came from no resource of the stack may be on this resource.
  for (const lock of ofType(resources, T.lockByScope))
    if (untraced(lock, "scope", peek(lock.props, "scope"))) mustKnow(lock, "scope");
  for (const lock of ofType(resources, T.lockAtResource))
    if (untraced(lock, "resourceName", peek(lock.props, "resourceName"))) mustKnow(lock, "resourceName");
  return { ok: false, weak: locks };
}

/** Rule: prod data-bearing resources are locked (ML workspaces: locked or protected, unless lockWorkspaces). */
function validateProtection(args: StackValidationArgs, report: Report): void {
  const { environment, lockWorkspaces } = args.getConfig<ProtectionConfig>();
  if (!isProduction(args, environment)) {
    args.notApplicable(`not a production stack (environment: ${environment})`);
    return;
  }
  const weakLocks = (weak: PolicyResource[]) =>
    weak.length > 0 ? ` (its locks ${weak.map(label).join(", ")} do not block deletion)` : "";
  for (const type of LOCKED) {
    for (const resource of ofType(args.resources, type)) {
      const { ok, weak } = blockingLocks(args.resources, resource);
      if (ok) continue;
      report(
        `${label(resource)} holds data in a production stack but no CanNotDelete or ReadOnly management lock covers it (on it, its resource group or its subscription)${weakLocks(weak)}${resource.opts.protect ? "; opts.protect alone stops only Pulumi, not a deletion from the portal, the Azure CLI or the REST API" : ""}: one mistaken portal click or az command deletes it.`,
        resource.urn,
      );
    }
  }
  for (const workspace of ofType(args.resources, T.mlWorkspace)) {
    if (!lockWorkspaces && workspace.opts.protect) continue;
    const { ok, weak } = blockingLocks(args.resources, workspace);
    if (ok) continue;
    report(
      lockWorkspaces
        ? `${label(workspace)} is an ML workspace of a production stack without a CanNotDelete or ReadOnly management lock (lockWorkspaces is on)${weakLocks(weak)}: a deletion from the portal or the Azure CLI removes it.`
        : `${label(workspace)} is an ML workspace of a production stack but is neither protected (opts.protect) nor covered by a CanNotDelete or ReadOnly management lock${weakLocks(weak)}: one mistaken destroy, replacement or portal click deletes it.`,
      workspace.urn,
    );
  }
}

export const protectionPolicies: BaselineStackPolicy[] = [
  {
    name: "stack-prod-data-protected",
    description:
      "In production stacks, every storage account, Key Vault, container registry, Azure ML registry and Log Analytics workspace is covered by a CanNotDelete or ReadOnly management lock (on the resource, its resource group or its subscription): Pulumi's protect alone does not stop a deletion from the portal, the Azure CLI or the REST API. ML workspaces need protect or such a lock (lockWorkspaces: a lock): a lock on a workspace is inherited by its compute clusters and online endpoints and deployments, so it blocks replacing a cluster and removing a deployment (Microsoft Learn, Azure Machine Learning resource locks: a delete lock on the workspace's resource group prevents compute cluster scaling), and the workspace keeps its data in the locked storage account, Key Vault and registries. Application Insights is not judged: a workspace-based component keeps its telemetry in the locked Log Analytics workspace.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Create an azure-native:authorization:ManagementLockByScope with scope: <resource>.id and level: "CanNotDelete" (created after the resources under it, so a deliberate destroy removes the lock first); the deploying identity needs Microsoft.Authorization/locks/* (Owner, User Access Administrator or a custom role). For ML workspaces, pass { protect: true } in the resource options, or lock them and set lockWorkspaces.',
    configSchema: {
      properties: {
        environment: {
          type: "string",
          enum: ["dev", "prod", "auto"],
          default: "dev",
          description:
            'Which kind of stack this is. "auto": production when the stack tag "environment" is prod/prd/production/live, or, without that tag, when a token of the stack name is.',
        },
        lockWorkspaces: {
          type: "boolean",
          default: false,
          description:
            "Also require a management lock on ML workspaces (by default protect suffices: a workspace lock is inherited by its computes and online deployments and blocks replacing or removing them).",
        },
      },
    },
    validateStack: validateProtection,
  },
];
