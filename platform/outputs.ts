/**
 * The `serving` output of a platform stack: everything a serving stack reads through its
 * `pulumi.StackReference`. Plain JSON, so it travels through the Pulumi service unchanged.
 */
export interface PlatformOutputs {
  /** The platform stack's raw configuration (a secret output): serving stacks validate their sections against it. */
  config: Record<string, unknown>;
  /** Resource group every serving resource is created in. */
  resourceGroupName: string;
  /** Region of the workspace (plain name). */
  location: string;
  /** Azure cloud of the environment (selects the ARM endpoint of the traffic provider). */
  cloud: string;
  /** The platform's name prefix (alert and autoscale names). */
  namePrefix: string;
  /** The platform's random suffix: online and batch endpoint names are `<key>-<suffix>`. */
  nameSuffix: string;
  /** The workspace: Azure name, resource id and GUID (which names its default blob container). */
  workspace: { name: string; id: string; guid: string };
  /** User-assigned identities: resource id and client id. Their roles are granted by the platform. */
  identities: Record<"workspace" | "compute" | "endpoints", { id: string; clientId: string }>;
  /** Training clusters by `compute.clusters` key: Azure name and resource id. */
  clusters: Record<string, { name: string; id: string }>;
  /** Ids of the environment versions the platform creates, by `assets.environments` key. */
  environments: Record<string, string>;
  /** Name of the ML registry (created or shared), when `mlRegistry.enabled`. */
  mlRegistryName?: string;
  /** Resource id of that registry (its resource group is where registry asset versions are read). */
  mlRegistryId?: string;
  /** Resource id of the action group every alert notifies. */
  actionGroupId: string;
}
