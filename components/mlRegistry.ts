import * as authorization from "@pulumi/azure-native/authorization";
import * as ml from "@pulumi/azure-native/machinelearningservices";
import type * as network from "@pulumi/azure-native/network";
import type * as azureOutputs from "@pulumi/azure-native/types/output";
import * as pulumi from "@pulumi/pulumi";
import { EndpointZones, PrivateEndpoint, createServiceEndpoints, resolveEndpointZones } from "./privateEndpoint";
import { RoleAssignments } from "./roleAssignments";
import { PrivateEndpointPlacementArgs, ProtectionArgs } from "./shared/interfaces";
import { addDeleteLock } from "./shared/lock";
import { RoleGrant } from "./shared/roleAssignment";
import { ML_REGISTRY_ROLE_REQUIREMENTS as REGISTRY_ROLES, armIdPattern } from "secure-azureml-facts";

/** The private link sub-resource (group id) of an Azure ML registry; its zone is the Azure ML API zone (`privatelink.api.azureml.ms`). */
export const ML_REGISTRY_GROUP_ID = "amlregistry";

/** The group ids of the registry's system-created storage account (blob) and container registry (registry). */
export const MANAGED_RESOURCE_GROUP_IDS = ["blob", "registry"] as const;

/** An Azure ML registry's resource id (`existingRegistryId`). */
const ML_REGISTRY_ID = armIdPattern("Microsoft.MachineLearningServices/registries");

/** Creating a registry provisions a storage account per region and a replicated container registry. */
export const ML_REGISTRY_TIMEOUTS: pulumi.CustomTimeouts = { create: "45m", update: "45m", delete: "30m" };

/** Who may write registry assets (see `MlRegistryArgs.mode`). */
export const MlRegistryMode = { Publish: "publish", Consume: "consume" } as const;
export type MlRegistryMode = (typeof MlRegistryMode)[keyof typeof MlRegistryMode];

/** Redundancy of a created registry's system-created storage account in each region. */
export const MlRegistryStorageAccountType = {
  Standard_LRS: "Standard_LRS",
  Standard_ZRS: "Standard_ZRS",
  Standard_GRS: "Standard_GRS",
  Standard_GZRS: "Standard_GZRS",
  Standard_RAGRS: "Standard_RAGRS",
  Standard_RAGZRS: "Standard_RAGZRS",
} as const;
export type MlRegistryStorageAccountType =
  (typeof MlRegistryStorageAccountType)[keyof typeof MlRegistryStorageAccountType];

/** The principals the registry grants roles to. */
export interface RegistryPrincipals {
  /** Required. Principal id of the workspace's user-assigned identity. */
  workspace: pulumi.Input<string>;
  /** Required. Principal id of the compute identity (training jobs, image builds). */
  compute: pulumi.Input<string>;
  /** Required. Principal id of the online endpoints' identity. */
  endpoints: pulumi.Input<string>;
  /** Required. Object ids of the ML engineer groups (`personas.mlEngineers`); may be empty. */
  mlEngineerGroups: string[];
  /**
   * Optional. In `consume` mode, also grant the compute identity Reader on the registry, because
   * jobs on the clusters (batch scoring, retraining) use registry assets (`clusterJobsUseRegistry`).
   * Ignored in `publish` mode, where the compute identity is already an AzureML Registry User. Default: `false`.
   */
  computeReads?: boolean;
}

/** A literal registry asset URI (`azureml://registries/...`). */
function isRegistryUri(reference: string | undefined): boolean {
  return reference?.startsWith("azureml://registries/") ?? false;
}

/** What `clusterJobsUseRegistry` reads: batch deployments, the retraining job and the declared model references. */
export interface ClusterJobAssets {
  /** Model and environment references of batch deployments (literal references or `assets.models` / `assets.environments` keys). */
  batchDeployments: readonly { model: string; environment?: string }[];
  /** The retraining job's environment and code references, when retraining is configured. */
  retraining?: { environment: string; code?: string };
  /** `assets.models` by key: where each declared model comes from. */
  models: Readonly<Record<string, { from: "workspace" | "registry" }>>;
}

/**
 * Whether jobs on the training clusters read registry assets: a batch deployment whose model is a
 * registry URI or an `assets.models` key `from: registry`, or a registry environment or code
 * reference. Their compute identity then needs read access to the registry.
 */
export function clusterJobsUseRegistry(assets: ClusterJobAssets): boolean {
  const model = (reference: string) =>
    isRegistryUri(reference) || (assets.models[reference] as { from: string } | undefined)?.from === "registry";
  return (
    assets.batchDeployments.some((d) => model(d.model) || isRegistryUri(d.environment)) ||
    (assets.retraining !== undefined &&
      (isRegistryUri(assets.retraining.environment) || isRegistryUri(assets.retraining.code)))
  );
}

export interface MlRegistryArgs extends ProtectionArgs {
  /** Required. Resource group of the registry and its private endpoints. */
  resourceGroupName: pulumi.Input<string>;
  /** Optional. Tags on the registry and its private endpoints. Default: none. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Required. Primary region of a created registry and region of the private endpoints (a plain name: the region list is built from it). */
  location: string;
  /**
   * Required. `publish`: the workspace identity, the compute identity and the ML engineer groups
   * get AzureML Registry User (create, read and delete assets; not the registry itself);
   * `consume`: nobody but the endpoint identity gets a role. In both modes the endpoint identity
   * gets Reader on the registry only (read registry metadata and assets, Microsoft's documented
   * read-only use).
   */
  mode: MlRegistryMode;
  /**
   * Conditional. Name of the registry to create (3-32 letters, digits, `_`, `-`; unique in the
   * tenant; part of every asset URI). Required unless `existingRegistryId` is set. One-way.
   */
  registryName?: string;
  /** Optional. Reference this existing registry instead of creating one: only the roles and the private endpoint are created. Default: create. */
  existingRegistryId?: string;
  /**
   * Optional. Regions the registry replicates to besides `location`, which is always the primary
   * region (one-way; other regions can be added later). Default: none.
   */
  replicationRegions?: string[];
  /** Optional. Redundancy of the system-created storage account in each region. One-way. Default: `Standard_ZRS`. */
  storageAccountType?: MlRegistryStorageAccountType;
  /**
   * Required. Subnet and zones for the private endpoints: group `amlregistry` (the API zone),
   * and, for a created registry, `blob` and `registry` for its system-created storage account and
   * container registry in the primary region.
   */
  privateEndpoints: PrivateEndpointPlacementArgs;
  /** Required. Who gets which role (see `mode`). */
  principals: RegistryPrincipals;
  /** Required. Subscription id, to build role definition ids. */
  subscriptionId: pulumi.Input<string>;
  /** Optional. A `CanNotDelete` lock on a created registry (never on an existing one), after everything under it. Default: `false`. */
  lock?: boolean;
  /** Optional. Mark a created registry `protect`. Default: `false`. */
  protect?: boolean;
}

/**
 * The role grants on an ML registry for a mode. Sources: Microsoft's "Manage Azure Machine
 * Learning registries" (Reader, or registries/read + registries/assets/read, to use assets;
 * assets/write and assets/delete to create them) and the built-in AzureML Registry User role
 * (registries/read + registries/assets/*, nothing on the registry resource itself).
 */
export function mlRegistryGrants(
  mode: MlRegistryMode,
  principals: RegistryPrincipals,
  registryId: pulumi.Input<string>,
): RoleGrant[] {
  const grant = (
    key: string,
    role: RoleGrant["role"],
    principalId: pulumi.Input<string>,
    principalType: RoleGrant["principalType"],
    reason: string,
  ): RoleGrant => ({
    key: `mlregistry-${key}`,
    role,
    scope: registryId,
    principalId,
    principalType,
    reason,
  });
  // Roles and reasons: secure-azureml-facts ML_REGISTRY_ROLE_REQUIREMENTS, which the policy pack checks too.
  const consume = grant(
    "endpoints-read",
    REGISTRY_ROLES.endpoint.read.role,
    principals.endpoints,
    "ServicePrincipal",
    REGISTRY_ROLES.endpoint.read.reason,
  );
  const computeRead = grant(
    "compute-read",
    REGISTRY_ROLES.compute.read.role,
    principals.compute,
    "ServicePrincipal",
    REGISTRY_ROLES.compute.read.reason,
  );
  if (mode === "consume") return principals.computeReads ? [consume, computeRead] : [consume];
  return [
    grant(
      "workspace-publish",
      REGISTRY_ROLES.workspace.publish.role,
      principals.workspace,
      "ServicePrincipal",
      REGISTRY_ROLES.workspace.publish.reason,
    ),
    grant(
      "compute-publish",
      REGISTRY_ROLES.compute.publish.role,
      principals.compute,
      "ServicePrincipal",
      REGISTRY_ROLES.compute.publish.reason,
    ),
    ...principals.mlEngineerGroups.map((groupId) =>
      grant(
        `ml-engineers-${groupId}-publish`,
        REGISTRY_ROLES.mlEngineers.publish.role,
        groupId,
        "Group",
        REGISTRY_ROLES.mlEngineers.publish.reason,
      ),
    ),
    consume,
  ];
}

/** The regions a registry is created in: the primary location first, then the others once each. */
export function registryRegions(location: string, replicationRegions: readonly string[] = []): string[] {
  const normalise = (region: string) => region.replace(/\s+/g, "").toLowerCase();
  return [...new Set([normalise(location), ...replicationRegions.map(normalise)])];
}

type RegionDetails = azureOutputs.machinelearningservices.RegistryRegionArmDetailsResponse;

/** The id of a system-created resource of the registry's primary region, once Azure has created it. */
function managedResourceId(
  details: RegionDetails[] | undefined,
  location: string,
  pick: (region: RegionDetails) => string | undefined,
  what: string,
): string {
  const region = details?.find((d) => d.location?.toLowerCase() === location.toLowerCase()) ?? details?.[0];
  const id = region ? pick(region) : undefined;
  if (!id)
    throw new Error(
      `the Azure ML registry reports no ${what} for region ${location}; cannot place its private endpoint`,
    );
  return id;
}

/**
 * An Azure Machine Learning registry for staged promotion (dev workspace -> registry -> prod
 * endpoint): no public network access, a private endpoint (`amlregistry`, Azure ML API zone) plus
 * private endpoints to its system-created storage (blob) and container registry, regions from
 * config, and least-privilege roles by mode. With `existingRegistryId` it creates no registry:
 * only this stack's private endpoint to the shared registry and its role grants.
 */
export class MlRegistry extends pulumi.ComponentResource {
  /** The registry this component created, or undefined when it references an existing one. */
  public readonly registry?: ml.Registry;
  /** The registry's resource id (created or referenced). */
  public readonly id: pulumi.Output<string>;
  /** The registry's name, as used in asset URIs (`azureml://registries/<name>/...`). */
  public readonly name: string;
  /** Private endpoints keyed by group id: `amlregistry`, and `blob` and `registry` for a created registry. */
  public readonly privateEndpoints: Record<string, network.PrivateEndpoint>;
  /** The role assignments, keyed by grant key (`mlregistry-<who>-<access>`). */
  public readonly roleAssignments: Record<string, authorization.RoleAssignment>;
  /** The Reader assignments (endpoint identity, and compute identity when `computeReads`): what online deployments of registry models wait for. */
  public readonly consumerAccess: authorization.RoleAssignment[];
  public readonly lock?: authorization.ManagementLockByScope;

  constructor(name: string, args: MlRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "secure-azureml:index:MlRegistry",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:mlRegistry:MlRegistry" }] }),
    );
    const existing = args.existingRegistryId;
    if ((existing === undefined) === (args.registryName === undefined))
      throw new pulumi.ResourceError(
        `ML registry ${name}: give registryName (to create one) or existingRegistryId (to use one), not ${existing === undefined ? "neither" : "both"}`,
        this,
      );
    // Checked here: the id becomes a private endpoint target and role assignment scope, where Azure's error would not name the arg.
    if (existing !== undefined && !ML_REGISTRY_ID.test(existing))
      throw new pulumi.ResourceError(
        `ML registry ${name}: existingRegistryId ${existing} is not an Azure ML registry resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.MachineLearningServices/registries/<name>)`,
        this,
      );
    const groupIds =
      existing === undefined ? [ML_REGISTRY_GROUP_ID, ...MANAGED_RESOURCE_GROUP_IDS] : [ML_REGISTRY_GROUP_ID];
    // Checked before anything is created, so a wiring mistake creates nothing.
    const zones = resolveEndpointZones(`ML registry ${name}`, args.privateEndpoints, groupIds, this);
    const endpointPlacement = {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      tags: args.tags,
      subnetId: args.privateEndpoints.subnetId,
    };

    if (existing === undefined) {
      this.registry = this.createRegistry(name, args, args.registryName as string);
      this.id = this.registry.id;
      this.name = args.registryName as string;
    } else {
      this.id = pulumi.output(existing);
      this.name = existing.split("/").pop() as string;
    }

    const endpoints: Record<string, PrivateEndpoint> = {
      ...createServiceEndpoints(
        name,
        { ...endpointPlacement, targetResourceId: this.id },
        new Map([[ML_REGISTRY_GROUP_ID, zones.get(ML_REGISTRY_GROUP_ID)]]),
        this,
      ),
      ...(this.registry ? this.managedResourceEndpoints(name, this.registry, args, zones) : {}),
    };
    this.privateEndpoints = Object.fromEntries(
      Object.entries(endpoints).map(([groupId, endpoint]) => [groupId, endpoint.endpoint]),
    );

    const grants = mlRegistryGrants(args.mode, args.principals, this.id);
    const access = new RoleAssignments(
      `${name}-access`,
      { grants, subscriptionId: args.subscriptionId },
      { parent: this },
    );
    this.roleAssignments = access.assignments;
    this.consumerAccess = grants.filter((g) => g.role === "Reader").map((g) => this.roleAssignments[g.key]);

    if (this.registry && args.lock) {
      // Created last, deleted first: Azure refuses to delete role assignments or private endpoint connections under a locked resource.
      this.lock = addDeleteLock(name, this.registry.id, this, [...Object.values(endpoints), access]);
    }
    this.registerOutputs({ id: this.id, name: this.name });
  }

  private createRegistry(name: string, args: MlRegistryArgs, registryName: string): ml.Registry {
    const storageAccountType = args.storageAccountType ?? "Standard_ZRS";
    return new ml.Registry(
      name,
      {
        registryName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        identity: { type: ml.ManagedServiceIdentityType.SystemAssigned },
        publicNetworkAccess: ml.PublicNetworkAccessType.Disabled,
        regionDetails: registryRegions(args.location, args.replicationRegions).map((location) => ({
          location,
          storageAccountDetails: [
            {
              systemCreatedStorageAccount: {
                storageAccountType,
                storageAccountHnsEnabled: false,
                allowBlobPublicAccess: false,
              },
            },
          ],
          // Premium: the only SKU with geo-replication and private endpoints.
          acrDetails: [{ systemCreatedAcrAccount: { acrAccountSku: "Premium" } }],
        })),
      },
      { parent: this, protect: args.protect, customTimeouts: ML_REGISTRY_TIMEOUTS },
    );
  }

  /** Private endpoints to the registry's system-created storage account (blob) and container registry, in the primary region. */
  private managedResourceEndpoints(
    name: string,
    registry: ml.Registry,
    args: MlRegistryArgs,
    zones: EndpointZones,
  ): Record<string, PrivateEndpoint> {
    const placement = {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      tags: args.tags,
      subnetId: args.privateEndpoints.subnetId,
    };
    const idOf = (pick: (region: RegionDetails) => string | undefined, what: string) =>
      registry.regionDetails.apply((details) => managedResourceId(details, args.location, pick, what));
    const targets: Record<(typeof MANAGED_RESOURCE_GROUP_IDS)[number], pulumi.Output<string>> = {
      blob: idOf(
        (region) => region.storageAccountDetails?.[0]?.systemCreatedStorageAccount?.armResourceId?.resourceId,
        "system-created storage account",
      ),
      registry: idOf(
        (region) => region.acrDetails?.[0]?.systemCreatedAcrAccount?.armResourceId?.resourceId,
        "system-created container registry",
      ),
    };
    return Object.fromEntries(
      MANAGED_RESOURCE_GROUP_IDS.map((groupId) => [
        groupId,
        new PrivateEndpoint(
          `${name}-managed-${groupId}`,
          { ...placement, targetResourceId: targets[groupId], groupId, zoneIds: zones.get(groupId) },
          { parent: this },
        ),
      ]),
    );
  }
}
