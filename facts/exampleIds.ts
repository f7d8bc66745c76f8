/**
 * Example Microsoft Entra group object ids: the persona groups the shipped stack files
 * (`Pulumi.dev.yaml`, `Pulumi.prod.yaml`) carry so that the offline planner has something to
 * plan. They are not groups in any tenant: a role assignment to one fails with
 * PrincipalNotFound, so a real deployment refuses them (`examplePersonaGroupChecks`).
 * Kept here once; the stack files and the docs name the same ids.
 */
export const EXAMPLE_PERSONA_GROUP_IDS = [
  // personas.dataScientists in both stack files
  "7d3e1a52-3c4b-4f0e-9a61-0b5c2d8e4f11",
  // personas.mlEngineers in both stack files
  "2b9f6c14-8e2d-4a7b-b3c5-6d1e0f9a8b22",
  // personas.readers in Pulumi.prod.yaml
  "9c4d2e73-5f1a-4b8c-a2d6-3e7f1b0c9d33",
] as const;

/** True when `id` is one of the example group ids (compared case-insensitively). */
export function isExamplePersonaGroupId(id: string): boolean {
  const normalised = id.trim().toLowerCase();
  return EXAMPLE_PERSONA_GROUP_IDS.some((example) => example === normalised);
}
