import * as pulumi from "@pulumi/pulumi";

/**
 * Shapes shared by every component, with the same field names everywhere (the Azure
 * Verified Modules "interfaces"): where a resource lives, its tags, its lock, its
 * diagnostics and its private endpoint wiring.
 */

/** Where a component's resources go and how they are labelled and protected. */
export interface PlacementArgs {
  /** Required. Resource group the component's resources are created in. */
  resourceGroupName: pulumi.Input<string>;
  /** Required. Azure region (normalised name, e.g. `westeurope`). */
  location: pulumi.Input<string>;
  /** Optional. Tags applied to every taggable resource the component creates. Default: none. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Data protection for a data-bearing resource. */
export interface ProtectionArgs {
  /** Optional. Add a `CanNotDelete` management lock on the resource. Default: `false`. */
  lock?: boolean;
  /** Optional. Mark the resource `protect` so `pulumi destroy` refuses to delete it. Default: `false`. */
  protect?: boolean;
}

/** Where diagnostic logs and metrics go. */
export interface DiagnosticSettingsArgs {
  /** Required. Resource id of the Log Analytics workspace that receives logs and metrics. */
  logAnalyticsWorkspaceId: pulumi.Input<string>;
}

/** The private DNS zones to put in a private endpoint's zone group. */
export type ZoneIds = readonly pulumi.Input<string>[];

/** How a component places its private endpoints. */
export interface PrivateEndpointPlacementArgs {
  /** Required. Resource id of the subnet private endpoints are placed in. */
  subnetId: pulumi.Input<string>;
  /**
   * Required. Private DNS zone ids per endpoint group id (`blob`, `vault`, ...). `undefined`
   * means zone groups are left to Azure Policy (privateDns mode `azurePolicy`).
   */
  zoneIdsByGroup?: Readonly<Partial<Record<string, ZoneIds>>>;
}
