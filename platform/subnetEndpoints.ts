import type * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { SubnetEndpointChoices, privateEndpointsInSubnet } from "../config";

/**
 * The private endpoints the platform created in its private-endpoint subnet, checked against the
 * config's list (`privateEndpointsInSubnet`), which the config's subnet capacity rule counts. The
 * config decides the placement, the components decide some endpoints themselves (an ML registry's
 * managed storage and registry endpoints, the monitor scope's endpoint): this check makes any
 * divergence fail every program run, not only the plans of the shipped stacks.
 */

/** Private endpoints keyed by group id, per component that created them (labels as in `privateEndpointsInSubnet`). */
export interface CreatedSubnetEndpoints {
  /** Required. The workspace's endpoint (`amlworkspace`). */
  workspace: network.PrivateEndpoint;
  /** Required. Storage endpoints by sub-resource. */
  storage: Record<string, network.PrivateEndpoint>;
  /** Required. Key Vault client endpoints by group id (empty without `keyVault.privateEndpoint`). */
  keyVault: Record<string, network.PrivateEndpoint>;
  /** Required. Container registry client endpoints by group id (empty without `registry.privateEndpoint`). */
  registry: Record<string, network.PrivateEndpoint>;
  /** Optional. ML registry endpoints by group id (`amlregistry`; `blob` and `registry` to its managed resources). */
  mlRegistry?: Record<string, network.PrivateEndpoint>;
  /** Optional. The Azure Monitor Private Link Scope's endpoint (`azuremonitor`). */
  monitoring?: network.PrivateEndpoint;
}

/** The created endpoints as `<owner> <group>`, the form of `privateEndpointsInSubnet`. */
export function subnetEndpointLabels(created: CreatedSubnetEndpoints): string[] {
  const keyed = (owner: string, endpoints: Record<string, network.PrivateEndpoint>) =>
    Object.keys(endpoints).map((group) => `${owner} ${group}`);
  return [
    "workspace amlworkspace",
    ...keyed("storage", created.storage),
    ...keyed("keyVault", created.keyVault),
    ...keyed("registry", created.registry),
    ...Object.keys(created.mlRegistry ?? {}).map((group) =>
      group === "amlregistry" ? "mlRegistry amlregistry" : `mlRegistry managed ${group}`,
    ),
    ...(created.monitoring ? ["monitoring azuremonitor"] : []),
  ];
}

/**
 * The created endpoints' resource ids by output key: `workspace`, `storage-<group>`, `keyVault`,
 * `registry`, `mlRegistry-<group>` and `monitoring` (the program's `privateEndpointIds` output).
 * Built from the same record the subnet check reads, so an endpoint the platform adds is listed.
 */
export function subnetEndpointIds(created: CreatedSubnetEndpoints): Record<string, pulumi.Output<string>> {
  const keyed = (prefix: string, endpoints: Record<string, network.PrivateEndpoint>) =>
    Object.entries(endpoints).map(([group, endpoint]) => [`${prefix}-${group}`, endpoint.id] as const);
  // One client endpoint each for the Key Vault and the container registry, keyed by owner alone.
  const single = (key: string, endpoints: Record<string, network.PrivateEndpoint>) =>
    Object.values(endpoints).map((endpoint) => [key, endpoint.id] as const);
  return Object.fromEntries([
    ["workspace", created.workspace.id],
    ...keyed("storage", created.storage),
    ...single("keyVault", created.keyVault),
    ...single("registry", created.registry),
    ...keyed("mlRegistry", created.mlRegistry ?? {}),
    ...(created.monitoring ? [["monitoring", created.monitoring.id] as const] : []),
  ]);
}

/** Throws when the created endpoints differ from the config's list (order aside). */
export function assertSubnetEndpoints(
  choices: SubnetEndpointChoices,
  created: CreatedSubnetEndpoints,
  parent: pulumi.Resource,
): void {
  const expected = [...privateEndpointsInSubnet(choices)].sort();
  const actual = subnetEndpointLabels(created).sort();
  if (expected.join("\n") === actual.join("\n")) return;
  throw new pulumi.ResourceError(
    `the platform created the private endpoints [${actual.join(", ")}] in the private-endpoint subnet, but the config's list (privateEndpointsInSubnet in config/crossSection/privateEndpointSubnet.ts, which network.privateEndpointSubnet is checked against) is [${expected.join(", ")}]: update the list with the platform`,
    parent,
  );
}
