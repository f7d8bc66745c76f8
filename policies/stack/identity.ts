import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { ADVISORY, BaselineStackPolicy, MANDATORY } from "../support/baseline";
import { sameText } from "../support/props";
import {
  ScopeKind,
  UNKNOWN,
  azureName,
  idProvider,
  knownId,
  knownString,
  label,
  mustKnow,
  normalizeId,
  ofType,
  peek,
  refersToId,
  refersToValue,
  scopeKind,
  shown,
  sourcesOf,
  untraced,
} from "../support/stackGraph";
import { BUILT_IN_ROLE_NAMES_BY_ID, KNOWN_BUILT_IN_ROLES, TYPES as T } from "secure-azureml-facts";

/**
 * Identities across the stack: what the compute identities may do, and how role assignments
 * for managed identities are written.
 */

type Report = (message: string, urn?: string) => void;

/** Built-in role ids named in messages and defaults (secure-azureml-facts `KNOWN_BUILT_IN_ROLES`). */
export const ROLE_IDS = {
  acrPull: KNOWN_BUILT_IN_ROLES.AcrPull,
  acrPush: KNOWN_BUILT_IN_ROLES.AcrPush,
  owner: KNOWN_BUILT_IN_ROLES.Owner,
  contributor: KNOWN_BUILT_IN_ROLES.Contributor,
  userAccessAdministrator: KNOWN_BUILT_IN_ROLES["User Access Administrator"],
  rbacAdministrator: KNOWN_BUILT_IN_ROLES["Role Based Access Control Administrator"],
  // Roles the deploy-readiness rules require (stack/readiness).
  azureMlMetricsWriter: KNOWN_BUILT_IN_ROLES["AzureML Metrics Writer"],
  networkConnectionApprover: KNOWN_BUILT_IN_ROLES["Azure AI Enterprise Network Connection Approver"],
  blobDataReader: KNOWN_BUILT_IN_ROLES["Storage Blob Data Reader"],
  blobDataContributor: KNOWN_BUILT_IN_ROLES["Storage Blob Data Contributor"],
  blobDataOwner: KNOWN_BUILT_IN_ROLES["Storage Blob Data Owner"],
  queueDataContributor: KNOWN_BUILT_IN_ROLES["Storage Queue Data Contributor"],
  tableDataContributor: KNOWN_BUILT_IN_ROLES["Storage Table Data Contributor"],
} as const;

/** The role definition guid of a role definition id (`/subscriptions/.../roleDefinitions/<guid>` or a bare guid). */
export function roleGuid(roleDefinitionId: unknown): string {
  return String(roleDefinitionId).split("/").pop()?.toLowerCase() ?? "";
}

/** A role guid as shown in messages: `AcrPull (7f951dda-...)`, or the bare guid. */
export function roleName(guid: string): string {
  const name = BUILT_IN_ROLE_NAMES_BY_ID[guid] as string | undefined;
  return name ? `${name} (${guid})` : guid;
}

/** A resource whose managed identity can receive roles, with the principal id value to match. */
interface Principal {
  resource: PolicyResource;
  principalId: unknown;
}

const systemAssigned = (r: PolicyResource) => /systemassigned/i.test(knownString(peek(r.props, "identity.type")) ?? "");

/** Every managed identity of the stack: user-assigned identities and system-assigned identities of any resource. */
function managedIdentities(resources: PolicyResource[]): Principal[] {
  return [
    ...ofType(resources, T.identity).map((r) => ({ resource: r, principalId: peek(r.props, "principalId") })),
    ...resources
      .filter((r) => r.type !== T.identity && systemAssigned(r))
      .map((r) => ({ resource: r, principalId: peek(r.props, "identity.principalId") })),
  ];
}

/**
 * The role assignments of the stack granted to one of these principals; `principal` is
 * undefined for an assignment whose principalId is unknown and came from no resource of the
 * stack (it may be one of them: rules judge it and read the principal only if it matters).
 */
function assignmentsTo(
  resources: PolicyResource[],
  principals: Principal[],
): { assignment: PolicyResource; principal?: Principal }[] {
  const result: { assignment: PolicyResource; principal?: Principal }[] = [];
  for (const assignment of ofType(resources, T.roleAssignment)) {
    const value = peek(assignment.props, "principalId");
    const principal = principals.find((p) =>
      refersToValue(assignment, "principalId", value, p.resource, p.principalId),
    );
    if (principal || untraced(assignment, "principalId", value)) result.push({ assignment, principal });
  }
  return result;
}

/** How an assignment's principal is named in messages; reads the principal when it is untraced (the verdict depends on it). */
function principalLabel(assignment: PolicyResource, principal: Principal | undefined): string {
  if (principal === undefined) mustKnow(assignment, "principalId");
  return principal ? label(principal.resource) : shown(peek(assignment.props, "principalId"));
}

interface ComputeIdentityConfig {
  computeIdentities: string[];
  allowedRegistryRoleIds: string[];
  forbiddenRoleIds: string[];
}

/** User-assigned identities an ML compute uses (`identity.userAssignedIdentities`, a list of ids or, in outputs, a map keyed by id). */
function identitiesOfCompute(resources: PolicyResource[], compute: PolicyResource): PolicyResource[] {
  const identities = ofType(resources, T.identity);
  const fromDependencies = () => sourcesOf(compute, "identity").filter((s) => s.type === T.identity);
  const assigned = peek(compute.props, "identity.userAssignedIdentities");
  if (assigned === UNKNOWN) return fromDependencies();
  const references: unknown[] = Array.isArray(assigned)
    ? assigned
    : assigned !== null && typeof assigned === "object"
      ? Object.keys(assigned)
      : [];
  return references.flatMap((reference) =>
    reference === UNKNOWN || knownString(reference) === undefined
      ? fromDependencies()
      : identities.filter((i) => refersToId(compute, "identity", reference, i)),
  );
}

/** The compute principals: identities used by ML compute, named in config, and computes' system-assigned identities. */
function computePrincipals(resources: PolicyResource[], named: string[]): Principal[] {
  const wanted = named.map((n) => (n.startsWith("/") ? normalizeId(n) : n.toLowerCase()));
  const identities = ofType(resources, T.identity).filter((i) =>
    wanted.some((w) => w === knownId(i) || w === azureName(i)?.toLowerCase() || w === i.name.toLowerCase()),
  );
  const computes = ofType(resources, T.compute);
  for (const compute of computes) identities.push(...identitiesOfCompute(resources, compute));
  const unique = identities.filter((i, n) => identities.findIndex((o) => o.urn === i.urn) === n);
  return [
    ...unique.map((r) => ({ resource: r, principalId: peek(r.props, "principalId") })),
    ...computes
      .filter(systemAssigned)
      .map((r) => ({ resource: r, principalId: peek(r.props, "identity.principalId") })),
  ];
}

/** What a role assignment's scope designates; throws "unknown" when it cannot be told. */
function scopeOf(assignment: PolicyResource): { kind: ScopeKind; registry: boolean; display: string } {
  const scope = peek(assignment.props, "scope");
  const known = knownString(scope);
  if (known !== undefined)
    return {
      kind: scopeKind(known),
      registry: idProvider(known) === "microsoft.containerregistry/registries",
      display: known,
    };
  if (scope === UNKNOWN) {
    const sources = sourcesOf(assignment, "scope").filter(
      (s) => s.type.startsWith("azure-native:") && s.type !== T.identity,
    );
    const registry = sources.find((s) => s.type === T.registry);
    if (registry) return { kind: "resource", registry: true, display: label(registry) };
    const other = sources.find((s) => s.type !== T.resourceGroup);
    if (other) return { kind: "resource", registry: false, display: label(other) };
    const group = sources.find((s) => s.type === T.resourceGroup);
    if (group) return { kind: "resourceGroup", registry: false, display: label(group) };
  }
  mustKnow(assignment, "scope");
  return { kind: "resource", registry: false, display: shown(scope) };
}

/** Rule: compute identities hold nothing broader than AcrPull on registries, nothing at subscription or resource group scope. */
function validateComputeIdentities(args: StackValidationArgs, report: Report): void {
  const config = args.getConfig<ComputeIdentityConfig>();
  const allowedOnRegistry = new Set(config.allowedRegistryRoleIds.map((r) => r.toLowerCase()));
  const forbidden = new Set(config.forbiddenRoleIds.map((r) => r.toLowerCase()));
  const principals = computePrincipals(args.resources, config.computeIdentities);
  for (const { assignment, principal } of assignmentsTo(args.resources, principals)) {
    const role = roleGuid(mustKnow(assignment, "roleDefinitionId"));
    const problems: string[] = [];
    if (forbidden.has(role)) problems.push(`${roleName(role)} is a forbidden role for compute identities`);
    const scope = scopeOf(assignment);
    if (scope.kind !== "resource")
      problems.push(`it is granted at ${scope.kind} scope (${scope.display}), which covers every resource under it`);
    else if (scope.registry && !allowedOnRegistry.has(role))
      problems.push(
        `on a container registry (${scope.display}) only ${[...allowedOnRegistry].map(roleName).join(", ")} is allowed`,
      );
    if (problems.length === 0) continue;
    report(
      `${label(assignment)} grants ${roleName(role)} to compute identity ${principalLabel(assignment, principal)}: ${problems.join("; ")}. Code running on the compute could push images, change resources or grant access.`,
      assignment.urn,
    );
  }
}

/** Rule: role assignments for managed identities say principalType ServicePrincipal. */
function validateIdentityPrincipalType(args: StackValidationArgs, report: Report): void {
  for (const { assignment, principal } of assignmentsTo(args.resources, managedIdentities(args.resources))) {
    const principalType = mustKnow(assignment, "principalType");
    if (sameText(principalType, "ServicePrincipal")) continue;
    report(
      `${label(assignment)} grants a role to the managed identity of ${principalLabel(assignment, principal)} with principalType ${shown(principalType)}${principalType === undefined ? " (the SDK sends User)" : ""}: Azure rejects a mismatched type (UnmatchedPrincipalType), and without ServicePrincipal an assignment to a just-created identity can fail with PrincipalNotFound while Entra ID replicates.`,
      assignment.urn,
    );
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface NameConfig {
  rejectRandomUuids: boolean;
}

/** Rule: role assignment names are deterministic GUIDs. */
function validateRoleAssignmentNames(args: StackValidationArgs, report: Report): void {
  const { rejectRandomUuids } = args.getConfig<NameConfig>();
  for (const assignment of ofType(args.resources, T.roleAssignment)) {
    const name = mustKnow(assignment, "roleAssignmentName");
    if (name === undefined || name === "") {
      report(
        `${label(assignment)} has no roleAssignmentName: the provider picks a random GUID, so a re-created stack or a second program gets a different name and collides with the existing assignment (RoleAssignmentExists).`,
        assignment.urn,
      );
      continue;
    }
    const match = GUID.exec(typeof name === "string" ? name : "");
    if (!match) {
      report(
        `${label(assignment)} has roleAssignmentName ${shown(name)}, which is not a GUID: Azure rejects it (InvalidRoleAssignmentId).`,
        assignment.urn,
      );
      continue;
    }
    if (rejectRandomUuids && match[1] === "4") {
      report(
        `${label(assignment)} has roleAssignmentName ${shown(name)}, a version-4 (random) UUID: a random name changes when the stack is rebuilt; derive it from scope, principal and role (a name-based UUID v5 or v3).`,
        assignment.urn,
      );
    }
  }
}

export const identityPolicies: BaselineStackPolicy[] = [
  {
    name: "stack-compute-identity-least-privilege",
    description:
      "Identities used by ML compute (identity.userAssignedIdentities of a machinelearningservices:Compute, a compute's system-assigned identity, or identities named in config) hold nothing broader than AcrPull on a container registry, no role at subscription, resource group or management group scope, and none of the forbidden roles anywhere.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Grant the compute identity AcrPull (7f951dda-4ed3-4680-a7ca-43fe172d538d) on the registry and data roles (e.g. Storage Blob Data Contributor) on the individual storage account: set scope on each azure-native:authorization:RoleAssignment to the resource id, never a subscription or resource group, and remove AcrPush, Contributor and Owner assignments.",
    configSchema: {
      properties: {
        computeIdentities: {
          type: "array",
          items: { type: "string" },
          default: [],
          description:
            "Further user-assigned identities to treat as compute identities (Azure name, Pulumi name or resource id), e.g. when computes are created outside the stack.",
        },
        allowedRegistryRoleIds: {
          type: "array",
          items: { type: "string" },
          default: [ROLE_IDS.acrPull],
          description: "Role definition guids a compute identity may hold on a container registry.",
        },
        forbiddenRoleIds: {
          type: "array",
          items: { type: "string" },
          default: [ROLE_IDS.owner, ROLE_IDS.contributor, ROLE_IDS.userAccessAdministrator, ROLE_IDS.rbacAdministrator],
          description:
            "Role definition guids a compute identity may not hold on any scope (default: Owner, Contributor, User Access Administrator, Role Based Access Control Administrator).",
        },
      },
    },
    validateStack: validateComputeIdentities,
  },
  {
    name: "stack-identity-role-assignment-service-principal",
    description:
      "Every role assignment whose principalId is a managed identity of the stack (a user-assigned identity, or a resource's system-assigned identity) sets principalType ServicePrincipal (absent = User, the SDK default).",
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps: 'Set principalType: "ServicePrincipal" on the azure-native:authorization:RoleAssignment.',
    validateStack: validateIdentityPrincipalType,
  },
  {
    name: "stack-role-assignment-deterministic-name",
    description:
      "Every role assignment sets roleAssignmentName to a GUID derived from what it grants (not absent, which makes the provider pick a random one, and not a random version-4 UUID).",
    enforcementLevel: ADVISORY,
    severity: "low",
    remediationSteps:
      "Set roleAssignmentName on the azure-native:authorization:RoleAssignment to a name-based UUID (v5) of stable parts such as project, stack, subscription, scope and a key naming principal and role, e.g. uuid.v5(`${project}/${stack}/${subscriptionId}/${scope}/${key}`, NAMESPACE): without the subscription, same-named stacks in other subscriptions reuse names.",
    configSchema: {
      properties: {
        rejectRandomUuids: {
          type: "boolean",
          default: true,
          description:
            "Report version-4 (random) UUIDs: the provider's own choice when roleAssignmentName is absent, or a random UUID made by the program.",
        },
      },
    },
    validateStack: validateRoleAssignmentNames,
  },
];
