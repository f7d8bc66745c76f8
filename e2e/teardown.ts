/**
 * Tear the test environment down: serving first (it lives in the platform's workspace), then the
 * platform, after removing its management locks, then check that the resource group is gone and
 * report what Azure keeps after a delete.
 */
import type { Stack } from "@pulumi/pulumi/automation";
import type { ArmClient } from "./arm";

type Log = (line: string) => void;

/** azure-native lock types (ManagementLockByScope and the resource/group/subscription variants). */
const LOCK_TYPE = /^azure-native:authorization:ManagementLock/;
const KEY_VAULT_API = "2024-11-01";

interface StateResource {
  urn: string;
  type: string;
}

/** URNs of the management locks in a stack's state. */
export function lockUrns(deployment: unknown): string[] {
  const resources = (deployment as { resources?: StateResource[] } | undefined)?.resources ?? [];
  return resources.filter((resource) => LOCK_TYPE.test(resource.type)).map((resource) => resource.urn);
}

/**
 * Delete the locks before anything else. A full destroy deletes a lock only after the resources
 * that depend on it, but the children of a locked resource (private endpoints, role assignments,
 * diagnostic settings) do not depend on the lock: deleting them first fails with ScopeLocked.
 */
export async function removeLocks(stack: Stack, onOutput: Log, log: Log): Promise<void> {
  const urns = lockUrns((await stack.exportStack()).deployment);
  if (urns.length === 0) return;
  log(`  removing ${String(urns.length)} management lock(s) first`);
  await stack.destroy({ target: urns, targetDependents: true, onOutput, color: "never" });
}

/** What remains after the platform's destroy; throws if the resource group itself is still there. */
export async function verifyPlatformGone(
  arm: ArmClient,
  subscriptionId: string,
  resourceGroupName: string,
  log: Log,
): Promise<void> {
  const group = await arm.get(`/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}`, "2021-04-01");
  if (group !== undefined) throw new Error(`resource group ${resourceGroupName} still exists after destroy`);
  log(`  resource group ${resourceGroupName} is gone`);
  const deleted = await arm.get<{
    value?: { name: string; properties?: { vaultId?: string; scheduledPurgeDate?: string } }[];
  }>(`/subscriptions/${subscriptionId}/providers/Microsoft.KeyVault/deletedVaults`, KEY_VAULT_API);
  const marker = `/resourcegroups/${resourceGroupName.toLowerCase()}/`;
  for (const vault of deleted?.value ?? []) {
    if (vault.properties?.vaultId?.toLowerCase().includes(marker)) {
      log(
        `  kept by Azure: soft-deleted Key Vault ${vault.name} (purge protection; released ${vault.properties.scheduledPurgeDate ?? "after its retention"})`,
      );
    }
  }
  log(
    "  kept by Azure: the soft-deleted workspace (14 days) and Log Analytics workspace (14 days); names carry a random suffix, nothing is billed",
  );
}
