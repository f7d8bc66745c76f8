import type * as authorization from "@pulumi/azure-native/authorization";
import type * as monitor from "@pulumi/azure-native/monitor";
import type * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { EndpointZones, PrivateEndpoint, azurePrivateEndpoints, createServiceEndpoints } from "../privateEndpoint";
import { addDiagnosticSetting } from "./diagnostics";
import { DiagnosticSettingsArgs, PlacementArgs, PrivateEndpointPlacementArgs } from "./interfaces";
import { addDeleteLock } from "./lock";

/** The shared interfaces of a PaaS service: its private endpoints, its diagnostic setting and its delete lock. */
export interface ServiceInterfaces {
  privateEndpoints: Record<string, network.PrivateEndpoint>;
  diagnosticSettings: monitor.DiagnosticSetting[];
  lock?: authorization.ManagementLockByScope;
}

/**
 * Private endpoints (one per group id, zones already resolved), a diagnostic setting with every log
 * and metric, and the `CanNotDelete` lock, for one service resource. The lock is created last, so
 * it is deleted first: Azure refuses to delete a locked resource's private endpoint connection or
 * diagnostic setting.
 */
export function attachServiceInterfaces(
  name: string,
  targetResourceId: pulumi.Input<string>,
  args: PlacementArgs & { diagnostics?: DiagnosticSettingsArgs; lock?: boolean },
  endpoints: { placement?: PrivateEndpointPlacementArgs; zones?: EndpointZones },
  parent: pulumi.Resource,
): ServiceInterfaces {
  const { placement, zones } = endpoints;
  const created: Record<string, PrivateEndpoint> =
    placement && zones
      ? createServiceEndpoints(
          name,
          {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            tags: args.tags,
            targetResourceId,
            subnetId: placement.subnetId,
          },
          zones,
          parent,
        )
      : {};
  const diagnosticSettings = args.diagnostics
    ? [
        addDiagnosticSetting(
          name,
          targetResourceId,
          args.diagnostics.logAnalyticsWorkspaceId,
          { logs: "allLogs", metrics: true },
          parent,
        ),
      ]
    : [];
  const lock = args.lock
    ? addDeleteLock(name, targetResourceId, parent, [...Object.values(created), ...diagnosticSettings])
    : undefined;
  return { privateEndpoints: azurePrivateEndpoints(created), diagnosticSettings, lock };
}
