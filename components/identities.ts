import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { PlacementArgs } from "./shared/interfaces";

/** The workloads that get their own user-assigned identity, so each holds only its own roles. */
export const IDENTITY_ROLES = ["workspace", "compute", "endpoints"] as const;
export type IdentityRole = (typeof IDENTITY_ROLES)[number];

export interface IdentitiesArgs extends PlacementArgs {
  /** Required. Name prefix; identities are named `id-<prefix>-<role>`. */
  namePrefix: string;
}

/** What other components need of an identity. */
export interface IdentityRef {
  /** Resource id, for `identity.userAssignedIdentities`. */
  readonly id: pulumi.Output<string>;
  /** Object id of the service principal, for role assignments. */
  readonly principalId: pulumi.Output<string>;
  /** Application (client) id, for code that selects the identity (e.g. `AZURE_CLIENT_ID`). */
  readonly clientId: pulumi.Output<string>;
}

/**
 * One user-assigned identity per workload: the workspace (primary identity, reaches its
 * storage/Key Vault/registry), compute clusters (pull images, read and write data) and
 * online endpoints (pull images, read models, write metrics). A user-assigned identity
 * outlives the resources using it, so its role assignments exist before they are created.
 */
export class Identities extends pulumi.ComponentResource {
  public readonly workspace: IdentityRef;
  public readonly compute: IdentityRef;
  public readonly endpoints: IdentityRef;

  constructor(name: string, args: IdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
    // Type token of the component package; the alias keeps stacks created under the old token (an update, not a replacement).
    super(
      "secure-azureml:index:Identities",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:identity:Identities" }] }),
    );
    const create = (role: IdentityRole): IdentityRef => {
      const identity = new managedidentity.UserAssignedIdentity(
        `${name}-${role}`,
        {
          resourceName: `id-${args.namePrefix}-${role}`,
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          tags: args.tags,
        },
        { parent: this },
      );
      return { id: identity.id, principalId: identity.principalId, clientId: identity.clientId };
    };
    this.workspace = create("workspace");
    this.compute = create("compute");
    this.endpoints = create("endpoints");
    this.registerOutputs({
      workspacePrincipalId: this.workspace.principalId,
      computePrincipalId: this.compute.principalId,
      endpointsPrincipalId: this.endpoints.principalId,
    });
  }
}
