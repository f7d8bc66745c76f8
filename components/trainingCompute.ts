import { createHash } from "node:crypto";
import * as ml from "@pulumi/azure-native/machinelearningservices";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";
import { PlacementArgs } from "./shared/interfaces";

/**
 * Training compute: compute clusters (AmlCompute), the image-build cluster the private
 * workspace names as `imageBuildCompute`, and personal compute instances. Every one has no
 * public IP, no public SSH, no local (key) auth and runs as the compute user-assigned identity.
 *
 * Azure ignores or rejects updates of a cluster's VM size and VM priority (only scale settings
 * are updatable), and of an instance's size and assigned user. So each compute name carries a
 * short hash of exactly those settings: changing one plans a new compute under a new name
 * (created first, the old one deleted after), never an update that fails or silently does
 * nothing at apply time. No compute names a subnet: the workspace's managed virtual network
 * hosts every compute, and Azure ML does not accept customer subnets there.
 */

/** A cluster's VM priority: dedicated nodes, or cheaper low-priority nodes Azure may preempt. One-way per cluster (a change is a new cluster). */
export const ComputeTier = { Dedicated: "Dedicated", LowPriority: "LowPriority" } as const;
export type ComputeTier = (typeof ComputeTier)[keyof typeof ComputeTier];

/** A compute cluster (AmlCompute). */
export interface TrainingClusterArgs {
  /** Required. VM size, e.g. `Standard_DS3_v2`. One-way: a change creates a new cluster under a new name. */
  vmSize: string;
  /** Required. VM priority. One-way: a change creates a new cluster under a new name. */
  tier: ComputeTier;
  /** Required. Nodes kept running when idle (0 scales to zero). Updatable in place. */
  minNodes: number;
  /** Required. Most nodes the cluster scales out to. Updatable in place. */
  maxNodes: number;
  /** Required. Idle seconds before a node is released (Azure accepts 60-86400). Updatable in place. */
  idleSecondsBeforeScaleDown: number;
}

/** A personal compute instance. */
export interface ComputeInstanceArgs {
  /** Required. VM size. One-way: a change creates a new instance under a new name. */
  vmSize: string;
  /** Required. Microsoft Entra object id of the one user the instance belongs to. One-way: a change creates a new instance. */
  assignedUserObjectId: string;
  /** Required. Idle minutes before the instance shuts down (Azure accepts 15-4320). */
  idleShutdownMinutes: number;
}

/** The dedicated cluster that builds environment images inside the managed network. */
export interface ImageBuilderArgs {
  /** Required. VM size. A change creates a new builder under a new name (see `imageBuilderComputeName`). */
  vmSize: string;
  /** Required. Most nodes the builder scales out to (it scales to zero when idle). */
  maxNodes: number;
}

/** Compute creation can trigger managed-network work and node pool allocation. */
export const COMPUTE_TIMEOUTS: pulumi.CustomTimeouts = { create: "45m", update: "30m", delete: "30m" };

/** Azure allows compute names of 3-24 letters, digits and hyphens. */
export const MAX_COMPUTE_NAME_LENGTH = 24;

/** ISO 8601 duration from seconds (fractions allowed): 900 -> `PT15M`, 90 -> `PT1M30S`, 0.5 -> `PT0.5S`. */
export function isoDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0)
    throw new Error(`duration ${totalSeconds}s: must be a finite number of seconds, 0 or more`);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = Math.round((totalSeconds % 60) * 1000) / 1000;
  const parts = `${hours ? `${hours}H` : ""}${minutes ? `${minutes}M` : ""}${seconds ? `${seconds}S` : ""}`;
  return `PT${parts || "0S"}`;
}

/** First 6 hex characters of the SHA-256 of the parts: stable across runs and machines. */
export function shortHash(parts: readonly string[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 6);
}

/**
 * Where the hashes below once took a customer subnet id, which valid config never set: they keep
 * this empty string in its place so that no existing compute's name (and so the compute) changes.
 */
const NO_SUBNET = "";

/** The settings Azure cannot update on a cluster: a change needs a new cluster. */
export function clusterReplaceKey(cluster: Pick<TrainingClusterArgs, "vmSize" | "tier">): string[] {
  return [cluster.vmSize.toLowerCase(), cluster.tier, NO_SUBNET];
}

/** `<key>-<hash of vmSize and tier>`, e.g. `gpu-t4-3fa91c`. */
export function clusterComputeName(key: string, cluster: Pick<TrainingClusterArgs, "vmSize" | "tier">): string {
  return boundedName(`${key}-${shortHash(clusterReplaceKey(cluster))}`);
}

/**
 * `<key>-<hash of size, assigned user and seed>`. Instance names must be unique in the Azure
 * region, so the seed (project, stack, name prefix) keeps two environments apart.
 */
export function instanceComputeName(
  key: string,
  instance: Pick<ComputeInstanceArgs, "vmSize" | "assignedUserObjectId">,
  seed: string,
): string {
  return boundedName(
    `${key}-${shortHash([seed, instance.vmSize.toLowerCase(), NO_SUBNET, instance.assignedUserObjectId.toLowerCase()])}`,
  );
}

/** The image builder's fixed priority: it is always a dedicated (not evictable) cluster. */
const IMAGE_BUILDER_TIER = ComputeTier.Dedicated;

/**
 * The image builder's name is at most this long: 16 characters is the strictest length Microsoft
 * has published for compute names ("Naming rules and restrictions for Azure resources",
 * Microsoft.MachineLearningServices `workspaces / computes`: 2-16; newer versions of that page
 * allow 3-32 for AML compute, and the studio's cluster form 3-24), so it fits all of them.
 */
export const MAX_IMAGE_BUILDER_NAME_LENGTH = 16;

/**
 * `n` lowercase letters derived from the SHA-256 of the parts. Letters rather than hex digits:
 * Azure ML compute names must have a letter after every `-` ("Create an Azure Machine Learning
 * compute cluster", Compute name: "If - character is used, then it needs to be followed by at
 * least one letter later in the name"; test-0 and test-01 are invalid), and 6 hex digits are
 * all digits about 6% of the time.
 */
function letterHash(parts: readonly string[], n: number): string {
  const bytes = createHash("sha256").update(JSON.stringify(parts)).digest();
  return Array.from(bytes.subarray(0, n), (byte) => String.fromCharCode(97 + (byte % 26))).join("");
}

/**
 * The image-build cluster's compute name (the workspace's `imageBuildCompute`):
 * `imgbuild-<6 letters derived from its VM size and priority>`, e.g. `imgbuild-kqzfam`, 15
 * characters. It changes whenever the builder's VM size changes, like every other cluster's name:
 * Azure re-creates a deleted cluster under the same name with its previous VM size
 * (Azure/azure-rest-api-specs#18889), so a size change must be a new cluster under a new name,
 * and the workspace must name that new cluster. Pure: call it for the workspace's
 * `imageBuildComputeName` before the cluster exists.
 */
export function imageBuilderComputeName(config: { imageBuilder: ImageBuilderArgs }): string {
  const name = `imgbuild-${letterHash(clusterReplaceKey({ vmSize: config.imageBuilder.vmSize, tier: IMAGE_BUILDER_TIER }), 6)}`;
  if (name.length > MAX_IMAGE_BUILDER_NAME_LENGTH)
    throw new Error(`image builder name ${name} is longer than ${MAX_IMAGE_BUILDER_NAME_LENGTH} characters`);
  return name;
}

function boundedName(name: string): string {
  if (name.length > MAX_COMPUTE_NAME_LENGTH)
    throw new Error(`compute name ${name} is longer than ${MAX_COMPUTE_NAME_LENGTH} characters; use a shorter key`);
  return name;
}

type AmlComputeProperties = azureInputs.machinelearningservices.AmlComputePropertiesArgs;

/** What every cluster gets, whatever its config: no public IP, no public SSH, Linux. */
export function amlComputeProperties(cluster: TrainingClusterArgs): AmlComputeProperties {
  return {
    vmSize: cluster.vmSize,
    vmPriority: cluster.tier === "LowPriority" ? ml.VmPriority.LowPriority : ml.VmPriority.Dedicated,
    osType: ml.OsType.Linux,
    enableNodePublicIp: false,
    remoteLoginPortPublicAccess: ml.RemoteLoginPortPublicAccess.Disabled,
    scaleSettings: {
      minNodeCount: cluster.minNodes,
      maxNodeCount: cluster.maxNodes,
      nodeIdleTimeBeforeScaleDown: isoDuration(cluster.idleSecondsBeforeScaleDown),
    },
  };
}

/** Input paths Azure cannot update in place on a cluster or instance (see the class comment). */
const CLUSTER_REPLACE_PATHS = ["properties.properties.vmSize", "properties.properties.vmPriority"];
const INSTANCE_REPLACE_PATHS = [
  "properties.properties.vmSize",
  "properties.properties.personalComputeInstanceSettings",
  "properties.properties.sshSettings",
];

export interface TrainingComputeArgs extends PlacementArgs {
  /** Required. Name of the workspace the computes belong to. */
  workspaceName: pulumi.Input<string>;
  /**
   * Optional. Compute clusters by key (the key starts the compute name, `<key>-<hash>`, and the
   * logical name, `<component>-<key>`). Default: none.
   */
  clusters?: Record<string, TrainingClusterArgs>;
  /** Optional. Personal compute instances by key (compute name `<key>-<hash>`). Default: none. */
  instances?: Record<string, ComputeInstanceArgs>;
  /** Required. The image-build cluster the private workspace names as `imageBuildCompute`. */
  imageBuilder: ImageBuilderArgs;
  /**
   * Required. Resource id of the user-assigned identity every compute runs as. It must hold
   * AcrPull on the registry and the storage data roles before the computes start: pass those
   * role assignments in `opts.dependsOn`. It gets nothing automatically.
   */
  identityId: pulumi.Input<string>;
  /** Conditional. Microsoft Entra tenant id of the instances' assigned users; required when `instances` is not empty. */
  tenantId?: pulumi.Input<string>;
  /**
   * Optional. Keeps instance names unique in the region (they are region-wide, unlike cluster
   * names). Default: `<project>/<stack>`.
   */
  instanceNameSeed?: string;
  /**
   * Optional. Name of the image-build cluster; must equal the workspace's `imageBuildCompute`.
   * Default: `imageBuilderComputeName(args)`, which changes with the builder's VM size (a size
   * change creates a new builder under a new name, then deletes the old one).
   */
  imageBuilderName?: string;
}

/**
 * Compute clusters, the image builder and compute instances of one workspace. What every compute
 * waits for (the workspace's private endpoint, the container registry, the compute identity's role
 * assignments) goes in `opts.dependsOn`: the component gives it to each compute, because children do
 * not inherit a component's `dependsOn`.
 */
export class TrainingCompute extends pulumi.ComponentResource {
  /** Clusters by config key. */
  public readonly clusters: Record<string, ml.Compute>;
  /** Compute names of the clusters by config key (what jobs name as `compute:`). */
  public readonly clusterNames: Record<string, pulumi.Output<string>>;
  /** The cluster that builds environment images for the private workspace. */
  public readonly imageBuilder: ml.Compute;
  /** Compute instances by config key. */
  public readonly instances: Record<string, ml.Compute>;

  constructor(name: string, args: TrainingComputeArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "secure-azureml:index:TrainingCompute",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:compute:TrainingCompute" }] }),
    );
    const dependsOn = opts?.dependsOn;
    const instanceKeys = Object.keys(args.instances ?? {});
    if (instanceKeys.length > 0 && args.tenantId === undefined) {
      throw new pulumi.ResourceError(
        `compute ${name}: tenantId is required for compute instances (${instanceKeys.join(", ")})`,
        this,
      );
    }

    this.clusters = Object.fromEntries(
      Object.entries(args.clusters ?? {}).map(([key, cluster]) => [
        key,
        this.cluster(`${name}-${key}`, clusterComputeName(key, cluster), cluster, args, dependsOn),
      ]),
    );
    this.clusterNames = Object.fromEntries(Object.entries(this.clusters).map(([key, cluster]) => [key, cluster.name]));

    const builder = args.imageBuilder;
    // Named like the other clusters (a new name per VM size), so a size change creates the new
    // builder before the old one is deleted; the workspace is given the same name.
    this.imageBuilder = this.cluster(
      `${name}-image-builder`,
      args.imageBuilderName ?? imageBuilderComputeName(args),
      {
        vmSize: builder.vmSize,
        tier: IMAGE_BUILDER_TIER,
        minNodes: 0,
        maxNodes: builder.maxNodes,
        idleSecondsBeforeScaleDown: 900,
      },
      args,
      dependsOn,
      "Builds environment images inside the managed network: the registry is private, so it cannot build them itself.",
    );

    const seed = args.instanceNameSeed ?? `${pulumi.getProject()}/${pulumi.getStack()}`;
    this.instances = Object.fromEntries(
      Object.entries(args.instances ?? {}).map(([key, instance]) => [
        key,
        this.instance(`${name}-${key}`, instanceComputeName(key, instance, seed), instance, args, dependsOn),
      ]),
    );

    this.registerOutputs({ clusterNames: this.clusterNames, imageBuilderName: this.imageBuilder.name });
  }

  private cluster(
    logicalName: string,
    computeName: string,
    cluster: TrainingClusterArgs,
    args: TrainingComputeArgs,
    dependsOn: pulumi.ComponentResourceOptions["dependsOn"],
    description = "Training cluster.",
    replacement: Pick<pulumi.CustomResourceOptions, "replaceOnChanges" | "deleteBeforeReplace"> = {
      replaceOnChanges: CLUSTER_REPLACE_PATHS,
      deleteBeforeReplace: false,
    },
  ): ml.Compute {
    return new ml.Compute(
      logicalName,
      {
        computeName,
        workspaceName: args.workspaceName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        identity: { type: ml.ManagedServiceIdentityType.UserAssigned, userAssignedIdentities: [args.identityId] },
        properties: {
          computeType: "AmlCompute",
          description,
          disableLocalAuth: true,
          properties: amlComputeProperties(cluster),
        },
      },
      // A new name already means a new cluster; replaceOnChanges also covers a same-name
      // replacement. The old cluster is deleted only after the new one exists (no gap for jobs).
      { parent: this, dependsOn, customTimeouts: COMPUTE_TIMEOUTS, ...replacement },
    );
  }

  private instance(
    logicalName: string,
    computeName: string,
    instance: ComputeInstanceArgs,
    args: TrainingComputeArgs,
    dependsOn: pulumi.ComponentResourceOptions["dependsOn"],
  ): ml.Compute {
    return new ml.Compute(
      logicalName,
      {
        computeName,
        workspaceName: args.workspaceName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        identity: { type: ml.ManagedServiceIdentityType.UserAssigned, userAssignedIdentities: [args.identityId] },
        properties: {
          computeType: "ComputeInstance",
          description: "Personal compute instance.",
          disableLocalAuth: true,
          properties: {
            vmSize: instance.vmSize,
            enableNodePublicIp: false,
            // One-way: SSH cannot be enabled or disabled after creation.
            sshSettings: { sshPublicAccess: ml.SshPublicAccess.Disabled },
            applicationSharingPolicy: ml.ApplicationSharingPolicy.Personal,
            computeInstanceAuthorizationType: ml.ComputeInstanceAuthorizationType.Personal,
            personalComputeInstanceSettings: {
              assignedUser: {
                objectId: instance.assignedUserObjectId,
                tenantId: args.tenantId as pulumi.Input<string>,
              },
            },
            idleTimeBeforeShutdown: isoDuration(instance.idleShutdownMinutes * 60),
          },
        },
      },
      {
        parent: this,
        dependsOn,
        customTimeouts: COMPUTE_TIMEOUTS,
        replaceOnChanges: INSTANCE_REPLACE_PATHS,
        deleteBeforeReplace: false,
      },
    );
  }
}
