import type { ConfigProblem } from "./rules";
import type { StackConfig } from "./schema";

/**
 * Warnings about `keyVault` (deploy-audit M8). Turning purge protection off is allowed, for a
 * disposable vault, but said out loud: it is one-way in the other direction only. Azure never turns
 * purge protection off on a vault that has it ("Enabling this functionality is irreversible",
 * Key Vault `enablePurgeProtection`), so `false` affects only a vault created without it.
 */
export function keyVaultWarnings(config: Pick<StackConfig, "keyVault">): ConfigProblem[] {
  if (config.keyVault.purgeProtection) return [];
  return [
    {
      path: ["keyVault", "purgeProtection"],
      message: `is false: a deleted vault and its deleted secrets can be purged at once instead of staying recoverable for ${config.keyVault.softDeleteRetentionDays} days (soft delete stays on). It applies only to a vault created without purge protection: Azure never turns it off on an existing vault. Keep it true for any vault holding data you cannot recreate`,
    },
  ];
}
