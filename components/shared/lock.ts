import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";

/**
 * A `CanNotDelete` management lock on one resource. Locks block deletion through every
 * path (portal, CLI, Pulumi), which is the point for data-bearing resources in production.
 */
export function addDeleteLock(
  name: string,
  scope: pulumi.Input<string>,
  parent: pulumi.Resource,
  dependsOn?: pulumi.Input<pulumi.Resource>[],
): authorization.ManagementLockByScope {
  return new authorization.ManagementLockByScope(
    `${name}-lock`,
    {
      scope,
      level: authorization.LockLevel.CanNotDelete,
      lockName: "do-not-delete",
      notes: "Data-bearing resource of a secure Azure ML environment. Remove the lock deliberately before deleting.",
    },
    { parent, dependsOn },
  );
}
