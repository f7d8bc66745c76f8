/**
 * Naming rules of the resource types whose ids a stack may be given (bring-your-own VNet, subnet,
 * private DNS zones, Key Vault, ML registry) and of the resource groups in those ids. An id whose
 * name segment breaks them names nothing Azure could have created.
 *
 * Source: Microsoft Learn, "Naming rules and restrictions for Azure resources"
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules,
 * MicrosoftDocs/azure-docs articles/azure-resource-manager/management/resource-name-rules.md),
 * checked on 2026-12-04; the ML registry name pattern `^[a-zA-Z0-9][a-zA-Z0-9\-_]{2,32}$` is the
 * `registryName` parameter of the Microsoft.MachineLearningServices REST API specification
 * (Azure/azure-rest-api-specs).
 */
export const NAMING_RULES_SOURCE =
  'Microsoft Learn, "Naming rules and restrictions for Azure resources" (checked 2026-12-04)' as const;

export interface NamingRule {
  /** What the segment names, as messages say it. */
  readonly what: string;
  /** The whole name must match. */
  readonly pattern: RegExp;
  /** The rule in words, as messages state what is accepted. */
  readonly accepted: string;
}

/** Letters, digits, `_`, `.`, `-`; start with a letter or digit; end with a letter, digit or `_` (Microsoft.Network). */
const NETWORK_NAME = (max: number, min = 1) =>
  new RegExp(`^(?=.{${min},${max}}$)[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$`);

/** Naming rules by the ARM type segment (`resourceGroups`, or `Namespace/type[/child type]`), compared case-insensitively. */
export const NAMING_RULES: Readonly<Record<string, NamingRule>> = {
  resourceGroups: {
    what: "resource group name",
    // Unicode letters are allowed too ("Underscores, hyphens, periods, parentheses, and letters or digits").
    pattern: /^(?=.{1,90}$)[\p{L}\p{N}_().-]*[\p{L}\p{N}_()-]$/u,
    accepted: "1-90 letters, digits, _ ( ) - and periods, not ending in a period",
  },
  "Microsoft.Network/virtualNetworks": {
    what: "virtual network name",
    pattern: NETWORK_NAME(64, 2),
    accepted: "2-64 letters, digits, _ . -, starting with a letter or digit and ending with a letter, digit or _",
  },
  "Microsoft.Network/virtualNetworks/subnets": {
    what: "subnet name",
    pattern: NETWORK_NAME(80),
    accepted: "1-80 letters, digits, _ . -, starting with a letter or digit and ending with a letter, digit or _",
  },
  "Microsoft.Network/privateDnsZones": {
    what: "private DNS zone name",
    // "1-63 characters, 2 to 34 labels": read as 1-63 characters per label.
    pattern: /^[A-Za-z0-9_-]{1,63}(\.[A-Za-z0-9_-]{1,63}){1,33}$/,
    accepted: "2-34 labels of 1-63 letters, digits, _ and -, separated by periods",
  },
  "Microsoft.KeyVault/vaults": {
    what: "Key Vault name",
    pattern: /^(?=.{3,24}$)(?!.*--)[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/,
    accepted: "3-24 letters, digits and -, starting with a letter, ending with a letter or digit, no --",
  },
  "Microsoft.MachineLearningServices/registries": {
    what: "ML registry name",
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{2,32}$/,
    accepted: "3-33 letters, digits, _ and -, starting with a letter or digit",
  },
};

/** A name segment of an ARM id that breaks its type's naming rule. */
export interface ArmIdNameProblem {
  /** The ARM type segment the rule belongs to (`resourceGroups`, `Microsoft.Network/virtualNetworks`). */
  readonly type: string;
  readonly name: string;
  readonly rule: NamingRule;
}

/**
 * The name segments of an id of `/subscriptions/<sub>/resourceGroups/<rg>/providers/<Namespace>/<type>/<name>[/<child type>/<name>...]`
 * that break the naming rules this catalogue knows (the resource group and each typed name).
 * Segments of types without a catalogued rule are not checked; an id of another shape gives none.
 */
export function armIdNameProblems(id: string): ArmIdNameProblem[] {
  const match = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/(.+)$/i.exec(id);
  if (!match) return [];
  const [, resourceGroup, namespace, rest] = match;
  const problems: ArmIdNameProblem[] = [];
  const check = (type: string, name: string) => {
    const key = Object.keys(NAMING_RULES).find((k) => k.toLowerCase() === type.toLowerCase());
    const rule = key === undefined ? undefined : NAMING_RULES[key];
    if (key !== undefined && rule !== undefined && !rule.pattern.test(name)) problems.push({ type: key, name, rule });
  };
  check("resourceGroups", resourceGroup);
  const segments = rest.split("/");
  let type = namespace;
  for (let i = 0; i + 1 < segments.length; i += 2) {
    type = `${type}/${segments[i]}`;
    check(type, segments[i + 1]);
  }
  return problems;
}
