import { StorageSubResource, usableSubnetAddresses } from "secure-azureml-facts";
import { parseIpv4Cidr } from "../shared/cidr";
import type { ConfigProblem, ConfigRule } from "../shared/errors";
import { RawRecord, recordAt } from "../shared/raw";
import { ClientEndpointChoices, clientEndpointsToCheck, storageEndpointsToCheck } from "../sections/network";
import type { StackConfig } from "../stack";

/**
 * The private endpoints the platform places in its private-endpoint subnet, and the check that the
 * subnet has an address for each. Azure keeps 5 addresses of every subnet (secure-azureml-facts
 * subnetLimits.ts), and each private endpoint's network interface takes at least one more.
 */

/**
 * What decides the private endpoints in the subnet. The platform (platform/environment.ts) creates
 * its optional endpoints from these choices ({@link subnetEndpointChoicesOfConfig}) and checks, once
 * everything is built, that it placed exactly {@link privateEndpointsInSubnet} (platform/subnetEndpoints.ts).
 */
export interface SubnetEndpointChoices extends ClientEndpointChoices {
  /** Required. Storage sub-resources with a private endpoint (`storage.privateEndpoints`). */
  readonly storageEndpoints: readonly StorageSubResource[];
  /** Optional. `mlRegistry.enabled` with `existingRegistryId`: only the registry's own endpoint. Default: `false`. */
  readonly usesExistingMlRegistry?: boolean;
  /** Optional. `monitoring.privateLinkScope`: the Azure Monitor Private Link Scope's endpoint. Default: `false`. */
  readonly monitorPrivateLinkScope?: boolean;
}

/**
 * Every private endpoint the platform puts in the private-endpoint subnet, by what it connects to:
 * the workspace (`amlworkspace`), one per storage sub-resource, the Key Vault and the container
 * registry when their client endpoints are on, an ML registry's `amlregistry` endpoint (plus its
 * managed storage `blob` and container registry endpoints when the stack creates it), and the Azure
 * Monitor Private Link Scope's endpoint, as `<owner> <group>`. The platform asserts at run time that
 * the endpoints it created are exactly these (platform/subnetEndpoints.ts).
 */
export function privateEndpointsInSubnet(choices: SubnetEndpointChoices): string[] {
  const mlRegistry = choices.createsMlRegistry
    ? ["mlRegistry amlregistry", "mlRegistry managed blob", "mlRegistry managed registry"]
    : choices.usesExistingMlRegistry
      ? ["mlRegistry amlregistry"]
      : [];
  return [
    "workspace amlworkspace",
    ...choices.storageEndpoints.map((group) => `storage ${group}`),
    ...((choices.keyVault ?? true) ? ["keyVault vault"] : []),
    ...((choices.registry ?? true) ? ["registry registry"] : []),
    ...mlRegistry,
    ...(choices.monitorPrivateLinkScope ? ["monitoring azuremonitor"] : []),
  ];
}

/** The choices of a raw config; an invalid setting counts as its default (the schema reports it). */
export function subnetEndpointChoicesOf(raw: RawRecord): SubnetEndpointChoices {
  const mlRegistry = recordAt(raw, "mlRegistry");
  return {
    ...clientEndpointsToCheck(raw),
    storageEndpoints: storageEndpointsToCheck(raw),
    usesExistingMlRegistry: mlRegistry?.enabled === true && mlRegistry.existingRegistryId !== undefined,
    monitorPrivateLinkScope: recordAt(raw, "monitoring")?.privateLinkScope === true,
  };
}

/** The config keys that decide the private endpoints in the subnet. */
export type SubnetEndpointConfig = Pick<StackConfig, "storage" | "keyVault" | "registry" | "mlRegistry" | "monitoring">;

/** The choices of a validated config: what the platform creates its private endpoints from. */
export function subnetEndpointChoicesOfConfig(config: SubnetEndpointConfig): Required<SubnetEndpointChoices> {
  const { enabled, existingRegistryId } = config.mlRegistry;
  return {
    storageEndpoints: config.storage.privateEndpoints,
    keyVault: config.keyVault.privateEndpoint,
    registry: config.registry.privateEndpoint,
    createsMlRegistry: enabled && existingRegistryId === undefined,
    usesExistingMlRegistry: enabled && existingRegistryId !== undefined,
    monitorPrivateLinkScope: config.monitoring.privateLinkScope,
  };
}

/** A created private-endpoint subnet (`network.privateEndpointSubnet`) must hold every endpoint the stack places in it. */
function subnetCapacityRule(raw: RawRecord): ConfigProblem[] {
  // Mode existing names a subnet whose size the config does not know; the default subnet is a /24.
  const network = recordAt(raw, "network");
  const cidr = network?.privateEndpointSubnet;
  if (network?.mode !== "create" || typeof cidr !== "string") return [];
  const range = parseIpv4Cidr(cidr);
  if (!range || range.prefixLength > 29) return [];
  const endpoints = privateEndpointsInSubnet(subnetEndpointChoicesOf(raw));
  const usable = usableSubnetAddresses(range.prefixLength);
  if (endpoints.length <= usable) return [];
  return [
    {
      path: ["network", "privateEndpointSubnet"],
      message: `is too small for the ${endpoints.length} private endpoints the stack places in it (${endpoints.join(", ")}): a /${range.prefixLength} leaves ${usable} addresses after the 5 Azure keeps in every subnet, and each endpoint takes at least one; use a /${smallestPrefixFor(endpoints.length)} or a larger subnet (a shorter prefix)`,
    },
  ];
}

/** The longest prefix whose subnet holds `count` endpoints. */
function smallestPrefixFor(count: number): number {
  let prefix = 29;
  while (prefix > 8 && usableSubnetAddresses(prefix) < count) prefix--;
  return prefix;
}

/** Every rule of the private-endpoint subnet. */
export const PRIVATE_ENDPOINT_SUBNET_RULES: readonly ConfigRule[] = [subnetCapacityRule];
