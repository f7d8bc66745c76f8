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

/** The private DNS zones to put in a private endpoint's zone group (a plain array: the component analyzer rejects readonly arrays). */
export type ZoneIds = pulumi.Input<string>[];

/** How a component places its private endpoints. */
export interface PrivateEndpointPlacementArgs {
  /** Required. Resource id of the subnet private endpoints are placed in. */
  subnetId: pulumi.Input<string>;
  /**
   * Conditional. Private DNS zone ids per endpoint group id (`blob`, `vault`, ...): when given, it
   * must hold the zones of every group the component creates an endpoint for. Default: none, which
   * leaves the endpoints' DNS zone groups to Azure Policy (privateDns mode `azurePolicy`).
   */
  zoneIdsByGroup?: Partial<Record<string, pulumi.Input<string>[]>>;
}

/**
 * Whether a service's public endpoint accepts traffic (firewall and authentication still apply).
 * A named string enum (`as const` object), so component package schemas carry it as an enum.
 */
export const PublicNetworkAccess = { Enabled: "Enabled", Disabled: "Disabled" } as const;
export type PublicNetworkAccess = (typeof PublicNetworkAccess)[keyof typeof PublicNetworkAccess];
