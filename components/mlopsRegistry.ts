import * as pulumi from "@pulumi/pulumi";
import { VersionedAssets } from "./assets";
import { PROJECT_ROOT, loadEnvironmentSpecs } from "./config/assetSpecs";
import type { DnsZoneKey } from "secure-azureml-facts";
import type { AssetsConfig, MlRegistryConfig } from "./config/mlopsRegistrySchema";
import { mlRegistryName } from "./config/mlopsRegistryRules";
import { MlRegistry, RegistryPrincipals } from "./mlRegistry";
import { PrivateEndpointPlacementArgs, ProtectionArgs } from "./shared/interfaces";

/** The zone of each registry private endpoint group: the Azure ML API zone, and the storage blob and container registry zones. */
const ZONE_OF_GROUP: Readonly<Record<string, DnsZoneKey>> = { amlregistry: "amlApi", blob: "blob", registry: "registry" };

/** Placement of the registry's private endpoints from the stack's private DNS (`zoneIdsFor` undefined: zone groups left to Azure Policy). */
export function registryEndpointPlacement(subnetId: pulumi.Input<string>, zoneIdsFor: (keys: readonly DnsZoneKey[]) => pulumi.Input<string>[] | undefined): PrivateEndpointPlacementArgs {
  const groups = Object.entries(ZONE_OF_GROUP).map(([group, zone]) => [group, zoneIdsFor([zone])] as const);
  return { subnetId, zoneIdsByGroup: groups.some(([, ids]) => ids === undefined) ? undefined : Object.fromEntries(groups) };
}

export interface MlopsRegistryArgs extends ProtectionArgs {
  /** Required. Resource group of the environment. */
  resourceGroupName: pulumi.Input<string>;
  /** Required. Region (plain name): the registry's primary region and its private endpoints' region. */
  location: string;
  /** Optional. Tags on the registry, its private endpoints and every asset version. Default: none. */
  tags?: Record<string, string>;
  /** Required. The stack's name prefix (the default registry name is `mlr-<namePrefix>`). */
  namePrefix: string;
  /** Required. The validated `mlRegistry` config (off by default). */
  mlRegistry: MlRegistryConfig;
  /** Required. The validated `assets` config: environments, data assets, model references. */
  assets: AssetsConfig;
  /** Required. Who gets registry roles (see `MlRegistry`). */
  principals: RegistryPrincipals;
  /** Required. Subscription id, to build role definition ids. */
  subscriptionId: pulumi.Input<string>;
  /** Required. Subnet and zones of the registry's private endpoints (`registryEndpointPlacement`). */
  privateEndpoints: PrivateEndpointPlacementArgs;
  /** Required. The workspace environments and data assets are registered in. */
  workspaceName: pulumi.Input<string>;
  /** Optional. The image-build cluster environment versions wait for. Default: none. */
  imageBuilder?: pulumi.Resource;
  /** Optional. Directory conda spec paths are relative to. Default: the project root. */
  projectRoot?: string;
  /** Optional. Lock a created registry with `CanNotDelete`. Default: `false`. */
  lock?: boolean;
  /** Optional. Mark a created registry `protect`. Default: `false`. */
  protect?: boolean;
  /**
   * Optional. The ML registry, already created by `createMlRegistry` (the environment creates it
   * before the workspace, whose managed network needs a private endpoint rule to it). Default:
   * this component creates it when `mlRegistry.enabled`.
   */
  registry?: MlRegistry;
}

/** The ML registry of `mlRegistry` config, or undefined when it is off. */
export function createMlRegistry(
  name: string,
  args: Omit<MlopsRegistryArgs, "assets" | "workspaceName" | "imageBuilder" | "projectRoot" | "registry">,
  opts: pulumi.CustomResourceOptions,
): MlRegistry | undefined {
  const config = args.mlRegistry;
  if (!config.enabled) return undefined;
  return new MlRegistry(
    name,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      tags: args.tags,
      mode: config.mode,
      registryName: config.existingRegistryId ? undefined : mlRegistryName(args.namePrefix, config),
      existingRegistryId: config.existingRegistryId,
      replicationRegions: config.replicationRegions,
      storageAccountType: config.storageAccountType,
      privateEndpoints: args.privateEndpoints,
      principals: args.principals,
      subscriptionId: args.subscriptionId,
      lock: args.lock,
      protect: args.protect,
    },
    opts,
  );
}

/**
 * The MLOps promotion path's registry side: the optional Azure ML registry (created or shared,
 * private, with roles by mode) and the versioned assets built from code in the workspace. The
 * conda specs are read here, synchronously, when the program starts.
 */
export class MlopsRegistry extends pulumi.ComponentResource {
  /** The ML registry, when `mlRegistry.enabled`. */
  public readonly registry?: MlRegistry;
  /** Environment versions, data asset versions and model references. */
  public readonly assets: VersionedAssets;
  /** What online deployments of registry models wait for: the endpoint identity's read access (empty without a registry). */
  public readonly endpointAccess: readonly pulumi.Resource[];

  constructor(name: string, args: MlopsRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-azureml:mlops:MlopsRegistry", name, {}, opts);
    const config = args.mlRegistry;
    const registryName = config.enabled ? mlRegistryName(args.namePrefix, config) : undefined;
    const environments = loadEnvironmentSpecs(args.assets.environments, args.projectRoot ?? PROJECT_ROOT);

    this.registry = args.registry ?? createMlRegistry(`${name}-registry`, args, { parent: this });
    this.endpointAccess = this.registry?.consumerAccess ?? [];

    this.assets = new VersionedAssets(
      `${name}-assets`,
      {
        resourceGroupName: args.resourceGroupName,
        workspaceName: args.workspaceName,
        environments,
        data: args.assets.data,
        models: args.assets.models,
        registryName,
        imageBuilder: args.imageBuilder,
        tags: args.tags,
      },
      { parent: this },
    );
    this.registerOutputs({ registryId: this.registry?.id, modelReferences: this.assets.modelReferences });
  }
}
