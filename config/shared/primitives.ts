import { ArmIdNameProblem, armIdNameProblems } from "secure-azureml-facts";
import { z } from "zod";
import { GUID, armIdPattern } from "./patterns";

/** Building blocks of the config schema: value shapes with messages that say what is accepted. */

/** A whole number in a closed range, with a message that states the range. */
export function intRange(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.number(message).int(message).min(min, message).max(max, message);
}

/** A string matching `pattern`; the same message for a wrong type, a missing value and a mismatch. */
export function matching(pattern: RegExp, message: string) {
  return z.string(message).regex(pattern, message);
}

/**
 * A string checked by `problemOf`, which says what is wrong with it (undefined when nothing is);
 * `message` is the answer to a wrong type or a missing value.
 */
export function checkedString(message: string, problemOf: (value: string) => string | undefined) {
  return z.string(message).superRefine((value, ctx) => {
    const problem = problemOf(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** Keys object schemas reject on purpose, with the reason (see `withRemovedKeys`). */
const removedKeys = new WeakMap<z.ZodType, Readonly<Record<string, string>>>();

/**
 * `schema`, remembering keys it deliberately does not accept and why: validation reports such a
 * key with that reason instead of "is not a known key" (`validate.ts`). For removed or
 * never-supported settings that a config may still carry.
 */
export function withRemovedKeys<T extends z.ZodObject>(schema: T, reasons: Readonly<Record<string, string>>): T {
  removedKeys.set(schema, reasons);
  return schema;
}

/** Why `schema` rejects `key` (matched case-insensitively), when it was removed on purpose. */
export function removedKeyReason(schema: z.ZodType, key: string): string | undefined {
  const reasons = removedKeys.get(schema) ?? {};
  const match = Object.keys(reasons).find((removed) => removed.toLowerCase() === key.toLowerCase());
  return match === undefined ? undefined : reasons[match];
}

/** Checked in detail by the cross-field rules (`sections/network.ts`), which can suggest the canonical form. */
export const cidr = z.string("must be an IPv4 CIDR such as 10.40.0.0/24").describe("IPv4 CIDR, e.g. 10.0.0.0/24");
/** The nil GUID: the object id of no principal (a placeholder a role assignment would fail on). */
export const NIL_GUID = "00000000-0000-0000-0000-000000000000";

export const objectId = matching(
  GUID,
  "must be a Microsoft Entra object id (GUID), e.g. 7d3e1a52-3c4b-4f0e-9a61-0b5c2d8e4f11",
).refine(
  (id) => id !== NIL_GUID,
  "is the all-zero GUID, which is the object id of no principal (a placeholder): give the object id of a Microsoft Entra group or user (az ad group show --group <name> --query id -o tsv)",
);

/**
 * An existing resource's id: the ARM id shape of its type, and names Azure accepts in the resource
 * group and name segments (`secure-azureml-facts` namingRules.ts): an id with shell metacharacters
 * or spaces in a name names nothing Azure could have created.
 */
export function existingResourceId(providerType: string, shapeMessage: string) {
  return matching(armIdPattern(providerType), shapeMessage).superRefine((id, ctx) => {
    for (const problem of armIdNameProblems(id))
      ctx.addIssue({ code: "custom", input: id, message: existingIdNameMessage(problem) });
  });
}

/** What is wrong with a name segment of an existing resource's id, and what Azure accepts there. */
export function existingIdNameMessage(problem: ArmIdNameProblem): string {
  return `names the ${problem.rule.what} ${JSON.stringify(problem.name)}, which Azure does not accept: ${problem.rule.accepted} (Microsoft Learn, "Naming rules and restrictions for Azure resources")`;
}

export const subnetId = existingResourceId(
  "Microsoft.Network/virtualNetworks/subnets",
  "must be a subnet resource id: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>",
);
export const vnetId = existingResourceId(
  "Microsoft.Network/virtualNetworks",
  "must be a virtual network resource id: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>",
);
export const zoneId = existingResourceId(
  "Microsoft.Network/privateDnsZones",
  "must be a private DNS zone resource id: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/<zone>",
);
export const keyVaultId = existingResourceId(
  "Microsoft.KeyVault/vaults",
  "must be a Key Vault resource id: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>",
);
