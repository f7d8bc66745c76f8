import {
  BUILT_IN_ROLE_NAMES_BY_ID,
  GRANT_SCOPES,
  IDENTITY_NAME_SEGMENTS,
  IdentityKind,
  Persona,
  RoleRequirement,
  TYPES,
  roleRequirementsOf,
} from "secure-azureml-facts";
import { Plan, PlannedResource } from "../contract";
import { PlanIndex, asString } from "../planIndex";
import { kindName } from "../kindNames";
import { Principal, physicalName, principalOf } from "./groups";

/**
 * The role assignments of a plan as a table (principal, role, scope, why), drawn beside the
 * architecture diagram instead of as edges.
 */

/** The built-in role's name from a role definition id (full ARM id or bare GUID); the GUID's start when unknown. */
export function roleName(roleDefinitionId: unknown): string {
  const guid = ((asString(roleDefinitionId) ?? "").split("/").pop() ?? "").toLowerCase();
  return BUILT_IN_ROLE_NAMES_BY_ID[guid] ?? `role ${guid.slice(0, 8)}`;
}

export interface RoleRow {
  /** "id-amldev-compute (managed identity)", "data-scientists (7d3e1a52) (Entra group)". */
  principal: string;
  role: string;
  /** "stamldevsmadh (storage account)", "rg-amldev (resource group)". */
  scope: string;
  /** The assignment's own description (the documented requirement the component states), else a derived text. */
  why: string;
}

/** The scope an assignment names, by the plan resource at that ARM id, else by the shape of the id. */
export function describeScope(index: PlanIndex, scope: string): string {
  const resource = index.byAzureId(scope);
  if (resource) return `${physicalName(resource)} (${kindName(resource.type)})`;
  const segments = scope.split("/").filter(Boolean);
  if (segments.length === 2 && segments[0].toLowerCase() === "subscriptions") return `subscription ${segments[1]}`;
  const group = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)$/i.exec(scope)?.[1];
  if (group) return `${group} (resource group)`;
  const container = /\/storageAccounts\/([^/]+)\/blobServices\/[^/]+\/containers\/([^/]+)$/i.exec(scope);
  if (container) return `container ${container[2]} of ${container[1]}`;
  return `${segments.at(-1) ?? scope} (outside this plan)`;
}

const PERSONAS: readonly Persona[] = ["dataScientists", "mlEngineers", "readers"];

/** The facts catalogue's principal kind: an identity by its name's last segment, a group by its persona. */
function requirementPrincipal(principal: Principal, assignment: PlannedResource): IdentityKind | Persona | undefined {
  if (principal.identity) {
    const segment = physicalName(principal.identity).split("-").pop();
    return (Object.keys(IDENTITY_NAME_SEGMENTS) as IdentityKind[]).find((k) => IDENTITY_NAME_SEGMENTS[k] === segment);
  }
  const slug = /^(?:ra-)?([a-z]+(?:-[a-z]+)*)-[0-9a-f]{8}-/i.exec(assignment.name)?.[1] ?? "";
  const camel = slug.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return PERSONAS.find((p) => p === camel);
}

/** Whether an ARM id designates the kind of scope a requirement names (the resource group, or an ARM type). */
function scopeMatches(scope: string, requirement: RoleRequirement): boolean {
  const armType = GRANT_SCOPES[requirement.scope].armType as string | undefined;
  const path = scope.replace(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+/i, "");
  if (armType === undefined) return path === "";
  const segments = path.split("/").filter(Boolean);
  if (segments[0] !== "providers") return false;
  const types = segments.slice(2).filter((_, i) => i % 2 === 0);
  return `${segments[1]}/${types.join("/")}`.toLowerCase() === armType.toLowerCase();
}

/**
 * Why the principal holds the role: the documented requirement of the facts catalogue
 * (secure-azureml-facts `roleRequirementsOf`) matching the principal, role and kind of scope;
 * else the assignment's own description; else a derived text.
 */
function why(assignment: PlannedResource, principal: Principal, role: string, scope: string): string {
  const kind = requirementPrincipal(principal, assignment);
  const scopeId = asString(assignment.inputs.scope) ?? "";
  const documented = kind
    ? roleRequirementsOf(kind).find((r) => r.role === role && scopeMatches(scopeId, r))
    : undefined;
  if (documented) return documented.reason;
  const description = asString(assignment.inputs.description);
  if (description) return description;
  return `${role} on ${scope} (no documented requirement or description)`;
}

/** One row per role assignment, managed identities first, then by principal, role and scope. */
export function roleRows(plan: Plan): RoleRow[] {
  const index = new PlanIndex(plan);
  return index
    .ofType(TYPES.roleAssignment)
    .map((assignment) => {
      const principal = principalOf(index, assignment);
      const role = roleName(assignment.inputs.roleDefinitionId);
      const scope = describeScope(index, asString(assignment.inputs.scope) ?? "(no scope)");
      return {
        managed: principal.identity !== undefined,
        row: {
          principal: `${principal.name} (${principal.kind})`,
          role,
          scope,
          why: why(assignment, principal, role, scope),
        },
      };
    })
    .sort(
      (a, b) =>
        Number(b.managed) - Number(a.managed) ||
        a.row.principal.localeCompare(b.row.principal) ||
        a.row.role.localeCompare(b.row.role) ||
        a.row.scope.localeCompare(b.row.scope),
    )
    .map((entry) => entry.row);
}
