import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { ADVISORY, BaselineStackPolicy, MANDATORY } from "../support/baseline";
import { sameText } from "../support/props";
import {
  UNKNOWN,
  azureName,
  knownId,
  knownString,
  label,
  mustKnow,
  normalizeId,
  ofType,
  peek,
  refersToId,
  refersToValue,
  shown,
  sourcesOf,
  untraced,
} from "../support/stackGraph";
import { ScopeLevel, roleGuid, roleLabel, scopeLevel, scopeResourceType } from "../support/ml";
import {
  GRANT_SCOPES,
  IDENTITY_NAME_SEGMENTS,
  IdentityKind,
  KNOWN_BUILT_IN_ROLES,
  PRIVILEGED_BUILT_IN_ROLE_IDS,
  Persona,
  RoleRequirement,
  TYPES as T,
  armIdShape,
  roleRequirementsOf,
} from "secure-azureml-facts";

/**
 * Identities across the stack: what each identity and persona may hold (the documented
 * requirements in secure-azureml-facts, which the program grants from), and how role
 * assignments for managed identities are written.
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

interface LeastPrivilegeConfig {
  workspaceIdentities: string[];
  computeIdentities: string[];
  endpointIdentities: string[];
  personaGroups: Partial<Record<Persona, string[]>>;
}

const IDENTITY_KINDS: readonly IdentityKind[] = ["workspace", "compute", "endpoint"];
const PERSONAS: readonly Persona[] = ["dataScientists", "mlEngineers", "readers"];
const PERSONA_LABEL: Record<Persona, string> = {
  dataScientists: "data scientists",
  mlEngineers: "ML engineers",
  readers: "readers",
};

/** The resources whose identities make an identity of each kind. */
const HOLDER_TYPES: Record<IdentityKind, string[]> = {
  workspace: [T.mlWorkspace],
  compute: [T.compute],
  endpoint: [T.onlineEndpoint, T.batchEndpoint],
};

/** User-assigned identities a resource uses (`identity.userAssignedIdentities`, a list of ids or, in outputs, a map keyed by id). */
function identitiesUsedBy(resources: PolicyResource[], holder: PolicyResource): PolicyResource[] {
  const identities = ofType(resources, T.identity);
  const fromDependencies = () => sourcesOf(holder, "identity").filter((s) => s.type === T.identity);
  const assigned = peek(holder.props, "identity.userAssignedIdentities");
  if (assigned === UNKNOWN) return fromDependencies();
  const references: unknown[] = Array.isArray(assigned)
    ? assigned
    : assigned !== null && typeof assigned === "object"
      ? Object.keys(assigned)
      : [];
  return references.flatMap((reference) =>
    reference === UNKNOWN || knownString(reference) === undefined
      ? fromDependencies()
      : identities.filter((i) => refersToId(holder, "identity", reference, i)),
  );
}

/** A managed identity of the stack and the workloads it serves (none: not recognised). */
interface StackIdentity extends Principal {
  kinds: Set<IdentityKind>;
}

/** Whether a user-assigned identity is named in a config list (Azure name, Pulumi name or resource id). */
function namedIn(identity: PolicyResource, names: readonly string[]): boolean {
  return names
    .map((n) => (n.startsWith("/") ? normalizeId(n) : n.toLowerCase()))
    .some(
      (n) => n === knownId(identity) || n === azureName(identity)?.toLowerCase() || n === identity.name.toLowerCase(),
    );
}

/**
 * Every managed identity of the stack with its kinds: used by a workspace, a compute or an
 * online/batch endpoint (or their system-assigned identity), named in config, or, when nothing
 * of the stack uses it, named by the platform's convention `id-<prefix>-<workload>` (the
 * endpoint identity is used only by serving stacks).
 */
function stackIdentities(resources: PolicyResource[], config: LeastPrivilegeConfig): StackIdentity[] {
  const named: Record<IdentityKind, string[]> = {
    workspace: config.workspaceIdentities,
    compute: config.computeIdentities,
    endpoint: config.endpointIdentities,
  };
  const used = new Map<string, Set<IdentityKind>>();
  for (const kind of IDENTITY_KINDS)
    for (const holder of resources.filter((r) => HOLDER_TYPES[kind].includes(r.type)))
      for (const identity of identitiesUsedBy(resources, holder))
        used.set(identity.urn, (used.get(identity.urn) ?? new Set<IdentityKind>()).add(kind));
  return managedIdentities(resources).map(({ resource, principalId }) => {
    const kinds = new Set<IdentityKind>(used.get(resource.urn) ?? []);
    for (const kind of IDENTITY_KINDS) {
      if (resource.type !== T.identity && HOLDER_TYPES[kind].includes(resource.type)) kinds.add(kind);
      if (resource.type === T.identity && namedIn(resource, named[kind])) kinds.add(kind);
    }
    if (kinds.size === 0 && resource.type === T.identity) {
      const segment = (azureName(resource) ?? resource.name).toLowerCase().split("-").pop();
      for (const kind of IDENTITY_KINDS) if (segment === IDENTITY_NAME_SEGMENTS[kind]) kinds.add(kind);
    }
    return { resource, principalId, kinds };
  });
}

/** The ARM type (lower case) of a resource type token's ids, e.g. `microsoft.machinelearningservices/workspaces/computes`. */
function armTypeOf(type: string): string | undefined {
  const shape = armIdShape(type);
  if (!shape?.provider) return undefined;
  return [...(shape.parents ?? []).map((p) => p.provider), shape.provider].join("/").toLowerCase();
}

/** What a role assignment's scope designates, as far as the stack can tell. */
interface ScopeTarget {
  kind: ScopeLevel;
  /** Known scope: the ARM type of the resource it designates. */
  type?: string;
  /** Unknown scope: the stack resources it was computed from (the scope is one of them or below one). */
  sources: PolicyResource[];
  /** Known scope: the stack resources it designates. */
  designates: PolicyResource[];
  display: string;
}

/** The scope of an assignment for messages; never throws. */
function scopeDisplay(assignment: PolicyResource): string {
  const scope = peek(assignment.props, "scope");
  if (scope !== UNKNOWN) return shown(scope);
  const sources = sourcesOf(assignment, "scope").filter(
    (s) => s.type.startsWith("azure-native:") && s.type !== T.identity,
  );
  return sources.length > 0 ? `a scope built from ${sources.map(label).join(", ")}` : "unknown";
}

/** What a role assignment's scope designates; throws "unknown" when it cannot be told. */
function scopeTarget(resources: PolicyResource[], assignment: PolicyResource): ScopeTarget {
  const scope = peek(assignment.props, "scope");
  const known = knownString(scope);
  if (known !== undefined) {
    const type = scopeResourceType(known);
    const designates = resources.filter(
      (r) => type !== undefined && armTypeOf(r.type) === type && refersToId(assignment, "scope", known, r),
    );
    return { kind: scopeLevel(known), type, sources: [], designates, display: shown(known) };
  }
  if (scope === UNKNOWN) {
    const sources = sourcesOf(assignment, "scope").filter(
      (s) => s.type.startsWith("azure-native:") && s.type !== T.identity,
    );
    const resourceSources = sources.filter((s) => s.type !== T.resourceGroup);
    if (resourceSources.length > 0)
      return { kind: "resource", sources: resourceSources, designates: [], display: scopeDisplay(assignment) };
    if (sources.length > 0)
      return { kind: "resourceGroup", sources, designates: [], display: scopeDisplay(assignment) };
  }
  mustKnow(assignment, "scope");
  return { kind: "resource", sources: [], designates: [], display: shown(scope) };
}

/** Whether a scope satisfies a requirement: the resource group, or one resource of the required type (created by the stack where required). */
function satisfies(requirement: RoleRequirement, target: ScopeTarget): boolean {
  const armType = GRANT_SCOPES[requirement.scope].armType?.toLowerCase();
  if (armType === undefined) return target.kind === "resourceGroup";
  if (target.kind !== "resource") return false;
  if (target.type !== undefined)
    return target.type === armType && (!requirement.createdInStack || target.designates.length > 0);
  return target.sources.some((s) => {
    const sourceType = armTypeOf(s.type);
    if (sourceType === undefined) return false;
    if (requirement.createdInStack) return sourceType === armType;
    return sourceType === armType || armType.startsWith(`${sourceType}/`);
  });
}

const roleIdOf = (requirement: RoleRequirement) => KNOWN_BUILT_IN_ROLES[requirement.role];

/** `AcrPull on a container registry; Reader on an Azure ML registry (created by this stack)`. */
function allowedList(requirements: readonly RoleRequirement[]): string {
  const entries = requirements.map(
    (r) => `${r.role} on ${GRANT_SCOPES[r.scope].label}${r.createdInStack ? " created by this stack" : ""}`,
  );
  return [...new Set(entries)].join("; ");
}

/**
 * Judges one assignment against the documented requirements of its principal: a role no
 * requirement names, or a role on a scope its requirements do not name, is reported.
 */
function judge(
  resources: PolicyResource[],
  assignment: PolicyResource,
  role: string,
  who: string,
  whose: string,
  requirements: readonly RoleRequirement[],
  report: Report,
): void {
  const matching = requirements.filter((r) => roleIdOf(r) === role);
  if (matching.length === 0) {
    report(
      `${label(assignment)} grants ${roleLabel(role)} to ${who} at ${scopeDisplay(assignment)}: not a documented requirement of ${whose}; allowed: ${allowedList(requirements) || "no role"}.`,
      assignment.urn,
    );
    return;
  }
  const target = scopeTarget(resources, assignment);
  if (matching.some((r) => satisfies(r, target))) return;
  const where = target.kind === "resource" ? target.display : `${target.kind} scope (${target.display})`;
  report(
    `${label(assignment)} grants ${roleLabel(role)} to ${who} on ${where}: documented only on ${matching
      .map((r) => `${GRANT_SCOPES[r.scope].label}${r.createdInStack ? " created by this stack" : ""}`)
      .join(" or ")}; allowed: ${allowedList(requirements)}.`,
    assignment.urn,
  );
}

/** The requirements of an identity serving these workloads; privileged ones only for an identity that is the workspace's alone (no code runs as it). */
function identityRequirements(kinds: ReadonlySet<IdentityKind>): RoleRequirement[] {
  const onlyWorkspace = kinds.size === 1 && kinds.has("workspace");
  return [...kinds].flatMap((kind) => roleRequirementsOf(kind)).filter((r) => onlyWorkspace || !r.privileged);
}

const KIND_ORDER = (kinds: ReadonlySet<IdentityKind>) => IDENTITY_KINDS.filter((k) => kinds.has(k));

/** Principal types that are people (absent: the SDK sends User). */
const PEOPLE = ["user", "group", "foreigngroup"];

/** Rule: every identity and person holds only its documented roles, on the documented scopes. */
function validateLeastPrivilege(args: StackValidationArgs, report: Report): void {
  const config = args.getConfig<LeastPrivilegeConfig>();
  const identities = stackIdentities(args.resources, config);
  const privileged = new Set(PRIVILEGED_BUILT_IN_ROLE_IDS);
  const personaGroups = PERSONAS.flatMap((persona) =>
    (config.personaGroups[persona] ?? []).map((id) => ({ persona, id: id.toLowerCase() })),
  );
  for (const assignment of ofType(args.resources, T.roleAssignment)) {
    const role = roleGuid(mustKnow(assignment, "roleDefinitionId"));
    const principalValue = peek(assignment.props, "principalId");
    const identity = identities.find((i) =>
      refersToValue(assignment, "principalId", principalValue, i.resource, i.principalId),
    );
    if (identity && identity.kinds.size > 0) {
      const kinds = KIND_ORDER(identity.kinds);
      judge(
        args.resources,
        assignment,
        role,
        `${kinds.join(" and ")} identity ${label(identity.resource)}`,
        `the ${kinds.join(" and ")} identity`,
        identityRequirements(identity.kinds),
        report,
      );
      continue;
    }
    if (identity) {
      if (privileged.has(role))
        report(
          `${label(assignment)} grants ${roleLabel(role)} to the managed identity of ${label(identity.resource)} at ${scopeDisplay(assignment)}: it is no workspace identity, and only the workspace identity's documented requirements justify a privileged role; allowed: no privileged role.`,
          assignment.urn,
        );
      continue;
    }
    const principalType = mustKnow(assignment, "principalType");
    const isPerson =
      principalType === undefined ||
      (typeof principalType === "string" && PEOPLE.includes(principalType.toLowerCase()));
    if (!isPerson) {
      if (!privileged.has(role)) continue;
      // A privileged role is allowed only to the workspace identity: an untraced principal may be it.
      if (untraced(assignment, "principalId", principalValue)) mustKnow(assignment, "principalId");
      report(
        `${label(assignment)} grants ${roleLabel(role)} to principalType ${shown(principalType)} ${shown(principalValue)} at ${scopeDisplay(assignment)}: not an identity of this stack, and only the workspace identity's documented requirements justify a privileged role; allowed: no privileged role.`,
        assignment.urn,
      );
      continue;
    }
    const principalId = personaGroups.length > 0 ? mustKnow(assignment, "principalId") : principalValue;
    const personas = personaGroups.filter((g) => g.id === String(principalId).toLowerCase()).map((g) => g.persona);
    const candidates = personas.length > 0 ? personas : PERSONAS;
    const kind = typeof principalType === "string" ? principalType : "principalType not set (sent as User)";
    const whose =
      personas.length > 0
        ? `the ${personas.map((p) => PERSONA_LABEL[p]).join(" and ")} persona`
        : "any persona (people get persona roles only)";
    judge(
      args.resources,
      assignment,
      role,
      `${kind} ${shown(principalId)}`,
      whose,
      candidates.flatMap((persona) => roleRequirementsOf(persona)),
      report,
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
    name: "stack-identity-least-privilege",
    description:
      "Every role assignment of the stack grants its principal only a documented requirement (secure-azureml-facts IDENTITY_ROLE_REQUIREMENTS, PERSONA_ROLE_REQUIREMENTS and ML_REGISTRY_ROLE_REQUIREMENTS, from which the program grants): the workspace, compute and endpoint identities (recognised by the workspace, compute or online/batch endpoint that uses them, by config, or by the name id-<prefix>-workspace|compute|endpoints) hold only their roles, each on its kind of scope (a single resource of the documented type, the resource group only for the network connection approver, Contributor on an ML registry only if this stack creates it); an identity that also serves compute or endpoints holds no privileged role (code runs as it); users, groups and foreign groups hold only persona roles (config personaGroups pins a group to its persona); other managed identities and principals hold no privileged role.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Remove the extra azure-native:authorization:RoleAssignment, or narrow its scope to the one resource the requirement names (e.g. AcrPull on the container registry, Storage Blob Data Reader on the storage account, AzureML Metrics Writer on the workspace for the endpoint identity); give people the persona roles through their Entra group; a genuinely new requirement belongs in secure-azureml-facts (roles.ts), which the program grants from and this rule reads.",
    configSchema: {
      properties: {
        workspaceIdentities: {
          type: "array",
          items: { type: "string" },
          default: [],
          description:
            "Further user-assigned identities to treat as workspace identities (Azure name, Pulumi name or resource id), e.g. when the workspace is created outside the stack.",
        },
        computeIdentities: {
          type: "array",
          items: { type: "string" },
          default: [],
          description:
            "Further user-assigned identities to treat as compute identities (Azure name, Pulumi name or resource id), e.g. when computes are created outside the stack.",
        },
        endpointIdentities: {
          type: "array",
          items: { type: "string" },
          default: [],
          description:
            "Further user-assigned identities to treat as endpoint identities (Azure name, Pulumi name or resource id); the platform's endpoint identity (id-<prefix>-endpoints) is recognised by name.",
        },
        personaGroups: {
          type: "object",
          properties: {
            dataScientists: { type: "array", items: { type: "string" } },
            mlEngineers: { type: "array", items: { type: "string" } },
            readers: { type: "array", items: { type: "string" } },
          },
          default: {},
          description:
            "Entra group object ids per persona (dataScientists, mlEngineers, readers), as in the stack's personas config: a listed group may hold only its persona's roles; an unlisted user or group may hold any persona's roles.",
        },
      },
    },
    validateStack: validateLeastPrivilege,
  },
  {
    name: "stack-identity-role-assignment-service-principal",
    description:
      "Every role assignment whose principalId is a managed identity of the stack (a user-assigned identity, or a resource's system-assigned identity) sets principalType ServicePrincipal (absent = User, the SDK default). Advisory on purpose: a wrong type grants nothing extra (Azure refuses it with UnmatchedPrincipalType, or the assignment fails PrincipalNotFound), so it breaks deployments rather than weakening them; policy-config.prod.json raises it to mandatory.",
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps: 'Set principalType: "ServicePrincipal" on the azure-native:authorization:RoleAssignment.',
    validateStack: validateIdentityPrincipalType,
  },
  {
    name: "stack-role-assignment-deterministic-name",
    description:
      "Every role assignment sets roleAssignmentName to a GUID derived from what it grants (not absent, which makes the provider pick a random one, and not a random version-4 UUID). Advisory: a random name grants nothing more, it only makes a re-created assignment collide (RoleAssignmentExists); a stack's policy config can raise it.",
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
