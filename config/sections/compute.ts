import { z } from "zod";
import { VM_SIZES, findVmSize, isGpuSize, vmSizesFor } from "secure-azureml-facts";
import type { ConfigProblem, ConfigRule } from "../shared/errors";
import { intRange, matching, objectId, withRemovedKeys } from "../shared/primitives";
import { RawRecord, recordAt } from "../shared/raw";
import { objectEntries, parseWith } from "../shared/rawParse";
import { infiniBandProblems, list, vmSize, vmSizeProblems } from "../shared/vmSizes";

/**
 * The `compute` section: training clusters, compute instances and the image-build cluster, and
 * its cross-field rules. Sizes are strings here, normalised to the catalogue's canonical name when
 * the catalogue knows them; the rules check them against what clusters support.
 */

/** Compute names: Azure allows 3-24 letters, digits and hyphens, starting with a letter. */
const computeKey = matching(
  /^[a-z][a-z0-9-]{1,15}$/,
  "must be 2-16 lowercase letters, digits or hyphens, starting with a letter (a suffix is added to form the compute name)",
);

/**
 * Why clusters and instances take no `subnetId`: the workspace always isolates its network with a
 * managed virtual network (both `workspace.outbound.mode` values are managed modes), and Azure ML's
 * managed network docs ("Limitations"): "When using Managed virtual network, you can't deploy
 * compute resources inside your custom virtual network. Compute resources can only be created
 * inside the managed virtual network." The key was removed; a config that still sets it is told so.
 */
const NO_CUSTOMER_SUBNET = {
  subnetId:
    "is not accepted: compute in this workspace runs in Microsoft's managed virtual network (workspace.outbound.mode is always a managed mode), and Azure ML does not support customer subnets for managed network compute; remove subnetId (nodes reach the workspace's storage, Key Vault and registry over the managed network's private endpoints)",
};

export const clusterSchema = withRemovedKeys(
  z.strictObject({
    vmSize: vmSize.describe("VM size allowed for clusters (see VM sizes); case-insensitive. Replaces the cluster."),
    tier: z
      .enum(["Dedicated", "LowPriority"])
      .default("Dedicated")
      .describe("Dedicated, or LowPriority (now allocated as evictable Spot VMs; the program warns)."),
    minNodes: intRange(0, 1000)
      .default(0)
      .describe("Nodes kept running; at most maxNodes. 0 lets an idle cluster cost nothing."),
    maxNodes: intRange(1, 1000).describe("Most nodes the cluster scales out to; an InfiniBand size needs 2 or more."),
    idleSecondsBeforeScaleDown: intRange(60, 86_400).default(900).describe("Idle seconds before a node is released."),
  }),
  NO_CUSTOMER_SUBNET,
);

export const instanceSchema = withRemovedKeys(
  z.strictObject({
    vmSize: vmSize.describe("VM size allowed for compute (see VM sizes). Replaces the instance."),
    /** The one user the instance belongs to (personal compute instance). */
    assignedUserObjectId: objectId.describe(
      "Object id of the only Microsoft Entra user who can use the instance. Replaces the instance.",
    ),
    /** Azure accepts 15 minutes to 3 days (`idleTimeBeforeShutdown`). */
    idleShutdownMinutes: intRange(15, 4320)
      .default(30)
      .describe("Minutes of idleness before Azure stops the instance (15 minutes to 3 days)."),
  }),
  NO_CUSTOMER_SUBNET,
);

export const imageBuilderSchema = z.strictObject({
  /** Default: a Dsv3 size (Azure ML supports DSv3 for clusters); DSv2 retires on 2028-05-01 (`facts/retirements.ts`). */
  vmSize: vmSize
    .default("Standard_D4s_v3")
    .describe("CPU VM size of the cluster that builds environment images. Replaces the cluster."),
  maxNodes: intRange(1, 10).default(2).describe("Most nodes of the image-build cluster."),
});

export const computeSchema = z.strictObject({
  clusters: z.record(computeKey, clusterSchema).default({}),
  instances: z.record(computeKey, instanceSchema).default({}),
  /** The CPU cluster the private workspace builds environment images on (named by the workspace's imageBuildCompute). */
  imageBuilder: imageBuilderSchema.prefault({}),
});

export type ComputeConfig = z.output<typeof computeSchema>;
export type ClusterConfig = z.output<typeof clusterSchema>;
export type InstanceConfig = z.output<typeof instanceSchema>;

/** The reserved key of the image-build cluster: its logical name is `<component>-image-builder`, so no cluster may use this key (its compute name is `imageBuilderComputeName`). */
export const IMAGE_BUILDER_COMPUTE_NAME = "image-builder";

function clusterProblems(key: string, cluster: RawRecord): ConfigProblem[] {
  const path = ["compute", "clusters", key];
  const shape = clusterSchema.shape;
  const minNodes = parseWith(shape.minNodes, cluster.minNodes);
  const maxNodes = parseWith(shape.maxNodes, cluster.maxNodes);
  const problems = [
    ...vmSizeProblems([...path, "vmSize"], cluster.vmSize, "computeCluster"),
    ...infiniBandProblems([...path, "vmSize"], cluster.vmSize, maxNodes),
  ];
  if (minNodes !== undefined && maxNodes !== undefined && minNodes > maxNodes) {
    problems.push({
      path: [...path, "minNodes"],
      message: `is ${minNodes}, above maxNodes ${maxNodes}; minNodes must be at most maxNodes (0 lets the cluster scale to zero when idle)`,
    });
  }
  return problems;
}

function instanceProblems(key: string, instance: RawRecord): ConfigProblem[] {
  return vmSizeProblems(["compute", "instances", key, "vmSize"], instance.vmSize, "computeCluster");
}

/** Image builds run `docker build` on CPU: a GPU size only costs more. */
function imageBuilderProblems(raw: RawRecord): ConfigProblem[] {
  const vmSize = recordAt(raw, "compute", "imageBuilder")?.vmSize;
  const path = ["compute", "imageBuilder", "vmSize"];
  const problems = vmSizeProblems(path, vmSize, "computeCluster");
  const entry = typeof vmSize === "string" ? findVmSize(vmSize) : undefined;
  if (problems.length === 0 && entry && isGpuSize(entry.spec)) {
    const cpuSizes = vmSizesFor("computeCluster").filter((name) => !isGpuSize(VM_SIZES[name]));
    problems.push({
      path,
      message: `${entry.name} is a GPU size, but environment images are built on CPU; accepted: a CPU size: ${list(cpuSizes)}`,
    });
  }
  return problems;
}

/** Clusters, instances and the image builder share the workspace's compute namespace. */
function computeNameProblems(raw: RawRecord): ConfigProblem[] {
  const clusters = recordAt(raw, "compute", "clusters") ?? {};
  const instances = recordAt(raw, "compute", "instances") ?? {};
  const problems: ConfigProblem[] = [];
  for (const [section, keys] of [
    ["clusters", Object.keys(clusters)],
    ["instances", Object.keys(instances)],
  ] as const) {
    for (const key of keys) {
      if (key === IMAGE_BUILDER_COMPUTE_NAME) {
        problems.push({
          path: ["compute", section, key],
          message: `is reserved for the image-build cluster (configure it under compute.imageBuilder); pick another name`,
        });
      } else if (section === "instances" && key in clusters) {
        problems.push({
          path: ["compute", section, key],
          message: `is also the name of a cluster (compute.clusters.${key}); clusters and instances share the workspace's compute names: every name must be unique`,
        });
      }
    }
  }
  return problems;
}

function computeRules(raw: RawRecord): ConfigProblem[] {
  const compute = recordAt(raw, "compute");
  return [
    ...objectEntries(compute?.clusters).flatMap(([key, cluster]) => clusterProblems(key, cluster)),
    ...objectEntries(compute?.instances).flatMap(([key, instance]) => instanceProblems(key, instance)),
    ...imageBuilderProblems(raw),
    ...computeNameProblems(raw),
  ];
}

/** Every rule of the `compute` section. */
export const COMPUTE_RULES: readonly ConfigRule[] = [computeRules];
