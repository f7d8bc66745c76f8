import * as pulumi from "@pulumi/pulumi";

/**
 * Physical names. Workspaces, Key Vaults and Log Analytics workspaces soft-delete and hold
 * their names for up to 90 days, so every globally unique or soft-deleted name carries a
 * random suffix that is created once and kept in state (stable across runs).
 */
export interface ResourceNames {
  readonly virtualNetwork: string;
  readonly storageAccount: pulumi.Output<string>;
  readonly keyVault: pulumi.Output<string>;
  readonly containerRegistry: pulumi.Output<string>;
  readonly logAnalytics: pulumi.Output<string>;
  readonly applicationInsights: pulumi.Output<string>;
  readonly workspace: pulumi.Output<string>;
  /** Plain-name prefix for resources whose names need no suffix (identities, NSGs, endpoints). */
  readonly base: string;
}

/** The environment's physical names: `<kind><prefix><suffix>` where Azure forbids dashes (storage, registry), `<kind>-<prefix>-<suffix>` elsewhere. */
export function resourceNames(prefix: string, suffix: pulumi.Output<string>): ResourceNames {
  const compact = (kind: string) => pulumi.interpolate`${kind}${prefix}${suffix}`;
  const dashed = (kind: string) => pulumi.interpolate`${kind}-${prefix}-${suffix}`;
  return {
    virtualNetwork: `vnet-${prefix}`,
    storageAccount: compact("st"),
    keyVault: dashed("kv"),
    containerRegistry: compact("cr"),
    logAnalytics: dashed("log"),
    applicationInsights: dashed("appi"),
    workspace: dashed("mlw"),
    base: prefix,
  };
}
