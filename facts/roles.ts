/**
 * Azure built-in role definition ids (ids are the same in every tenant and cloud). Names are the
 * display names Azure shows. Source: Microsoft, "Azure built-in roles"
 * (learn.microsoft.com/azure/role-based-access-control/built-in-roles), each role's `name` field.
 */

/** The built-in roles this project assigns (the deploy identity's ABAC condition lists exactly these, without Owner). */
export const BUILT_IN_ROLES = {
  "AzureML Data Scientist": "f6c7c914-8db3-469d-8ca1-694a8f32e121",
  "AzureML Compute Operator": "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815",
  "AzureML Metrics Writer": "635dd51f-9968-44d3-b7fb-6d9a6bd613ae",
  "AzureML Registry User": "1823dd4f-9b8c-4ab6-ab4e-7397a3684615",
  "Azure AI Enterprise Network Connection Approver": "b556d68e-0be0-4f35-a333-ad7ee1ce17ea",
  "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  "Storage File Data Privileged Contributor": "69566ab7-960f-475b-8e7c-b3118f30c6bd",
  "Storage Queue Data Contributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  "Storage Table Data Contributor": "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
  "Key Vault Administrator": "00482a5a-887f-4fb3-b363-3b7fe8e74483",
  "Key Vault Crypto Service Encryption User": "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  AcrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  AcrPush: "8311e382-0749-4cb8-b61a-304f252e45ec",
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  "Monitoring Metrics Publisher": "3913510d-42f4-4e42-8a64-420c390055eb",
} as const;

export type BuiltInRoleName = keyof typeof BUILT_IN_ROLES;

/** Built-in roles the project never assigns but the policy pack names in rules and messages. */
export const OTHER_BUILT_IN_ROLES = {
  "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
  "Storage Blob Data Owner": "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  AcrDelete: "c2f4ef07-c644-48eb-af81-4b1b4947fb11",
  AcrImageSigner: "6cef56e8-d556-48e5-a04f-b8e64114680f",
} as const;

/** Every built-in role this project or its policy pack names. */
export const KNOWN_BUILT_IN_ROLES = { ...BUILT_IN_ROLES, ...OTHER_BUILT_IN_ROLES } as const;
export type KnownBuiltInRoleName = keyof typeof KNOWN_BUILT_IN_ROLES;

/** The display name of a known built-in role by its definition GUID (lower case). */
export const BUILT_IN_ROLE_NAMES_BY_ID: Readonly<Record<string, KnownBuiltInRoleName>> = Object.fromEntries(
  Object.entries(KNOWN_BUILT_IN_ROLES).map(([name, id]) => [id, name as KnownBuiltInRoleName]),
);

/**
 * Built-in roles that control a scope completely or can grant access to it: Owner, Contributor,
 * User Access Administrator and Role Based Access Control Administrator (which can assign any
 * role, Owner included, unless a condition restricts it).
 */
export const SCOPE_CONTROLLING_ROLE_NAMES = [
  "Owner",
  "Contributor",
  "User Access Administrator",
  "Role Based Access Control Administrator",
] as const satisfies readonly KnownBuiltInRoleName[];

/** Roles this project never grants to people (users or groups). */
export const PRIVILEGED_ROLE_NAMES: readonly BuiltInRoleName[] = ["Owner", "Contributor"];

/** The full role definition id of a built-in role in a subscription. */
export function roleDefinitionId(subscriptionId: string, role: BuiltInRoleName): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES[role]}`;
}
