/**
 * The VM sizes a stack may pick for Azure ML compute clusters, compute instances and managed
 * online deployments, with the facts validation and the components need.
 *
 * Sources (checked for every entry):
 * - Specifications: Microsoft's VM size pages ("Sizes in series" tables of NCasT4_v3, NCv3,
 *   NC_A100_v4, NCads_H100_v5, NDasrA100_v4, NDm_A100_v4, ND-H100-v5, ND-H200-v5, ND MI300X v5,
 *   NVadsA10_v5, DSv2, Dsv3, Dasv4, Esv3, Fsv2). GPU memory is the total of all GPUs of the VM.
 * - `managedOnlineEndpoint`: listed in Microsoft's "Managed online endpoints SKU list"
 *   (reference-managed-online-endpoints-vm-sku-list). Not listed, so `false`: Standard_D4s_v3
 *   (Dsv3), ND H200 v5 and ND MI300X v5.
 * - `computeCluster`: Azure ML's "Supported VM series and sizes" for compute clusters and
 *   instances (concept-compute-target), plus the series Microsoft's own Azure ML material uses
 *   for AmlCompute although that table lags behind (NC A100 v4 is Microsoft's named successor
 *   of NCv3; NCads H100 v5; NDm A100 v4). `false`: ND MI300X v5 (not a supported series) and
 *   NVadsA10_v5 (not a supported series; Azure ML's known issue "A10 SKU not supported":
 *   compute instances with A10 sizes fail to provision), and Dasv4 (not in that table; the
 *   endpoint SKU list has it).
 * - `infiniBand`: the "Supports Infiniband" column of the endpoint SKU list and the size pages
 *   (ND A100 v4, NDm A100 v4, ND H100 v5, ND H200 v5, ND MI300X v5: one InfiniBand link per GPU).
 * - `retired`: NCv3 (NC6s_v3, NC12s_v3, NC24s_v3) was retired on 30 September 2025; Microsoft's
 *   migration guide names the NC A100 v4 size with the same GPU count as the replacement.
 */

/** The size series, as Microsoft's size pages name them. */
export type VmFamily =
  | "DSv2"
  | "Dsv3"
  | "Dasv4"
  | "Esv3"
  | "Fsv2"
  | "NCasT4_v3"
  | "NCv3"
  | "NC_A100_v4"
  | "NCads_H100_v5"
  | "ND_A100_v4"
  | "NDm_A100_v4"
  | "ND_H100_v5"
  | "ND_H200_v5"
  | "ND_MI300X_v5"
  | "NVadsA10_v5";

export type GpuModel =
  | "NVIDIA T4"
  | "NVIDIA V100"
  | "NVIDIA A100 80GB PCIe"
  | "NVIDIA A100 40GB"
  | "NVIDIA A100 80GB"
  | "NVIDIA H100 NVL"
  | "NVIDIA H100 80GB"
  | "NVIDIA H200 141GB"
  | "AMD Instinct MI300X"
  | "NVIDIA A10";

export interface VmSizeSpec {
  readonly family: VmFamily;
  readonly vCpus: number;
  readonly memoryGiB: number;
  /** GPUs per VM; a fraction for a partition of one GPU (NVadsA10_v5: 1/6, 1/3, 1/2). 0 for CPU sizes. */
  readonly gpuCount: number;
  /** `null` for CPU sizes. */
  readonly gpuModel: GpuModel | null;
  /** GPU memory of the whole VM (all GPUs, or the partition), GiB. 0 for CPU sizes. */
  readonly gpuMemoryGiB: number;
  /** An InfiniBand interconnect for multi-node training (GPUDirect RDMA). */
  readonly infiniBand: boolean;
  /** Usable for Azure ML compute clusters and compute instances. */
  readonly computeCluster: boolean;
  /** In Microsoft's managed online endpoints SKU list. */
  readonly managedOnlineEndpoint: boolean;
  /** Set when Azure has retired the size: it can no longer be deployed. */
  readonly retired?: { readonly on: string; readonly replacement: string };
}

const cpu = (family: VmFamily, vCpus: number, memoryGiB: number, managedOnlineEndpoint: boolean): VmSizeSpec => ({
  family,
  vCpus,
  memoryGiB,
  gpuCount: 0,
  gpuModel: null,
  gpuMemoryGiB: 0,
  infiniBand: false,
  computeCluster: true,
  managedOnlineEndpoint,
});

const NCV3_RETIRED = "2025-09-30";

export const VM_SIZES = {
  // General purpose, memory optimised and compute optimised CPU sizes.
  Standard_DS2_v2: cpu("DSv2", 2, 7, true),
  Standard_DS3_v2: cpu("DSv2", 4, 14, true),
  Standard_DS4_v2: cpu("DSv2", 8, 28, true),
  Standard_D4s_v3: cpu("Dsv3", 4, 16, false),
  // The smallest endpoint size with 2 vCPUs that no retirement covers: the endpoint SKU list names
  // STANDARD_D2AS_V4 (standardDASv4Family, 2 cores); Microsoft's Dasv4 page: 2 vCPUs, 8 GiB; not
  // in Azure/EOL (HEAD c5af085). Its caution names DS1_v2 and F2s_v2 as possibly too small.
  Standard_D2as_v4: { ...cpu("Dasv4", 2, 8, true), computeCluster: false },
  Standard_E4s_v3: cpu("Esv3", 4, 32, true),
  Standard_E8s_v3: cpu("Esv3", 8, 64, true),
  // The smallest 2-core size on the endpoint SKU list (STANDARD_F2S_V2, standardFSv2Family, 2 cores);
  // Microsoft's Fsv2 page: 2 vCPUs, 4 GiB. FSv2 is a supported series for compute clusters and
  // instances. The SKU list cautions that small sizes such as F2s_v2 may be too small for bigger
  // models. Fsv2 retires on 2028-11-15 (retirements.ts).
  Standard_F2s_v2: cpu("Fsv2", 2, 4, true),
  Standard_F4s_v2: cpu("Fsv2", 4, 8, true),
  Standard_F8s_v2: cpu("Fsv2", 8, 16, true),

  // NC T4 v3: NVIDIA T4 (16 GB each).
  Standard_NC4as_T4_v3: {
    family: "NCasT4_v3",
    vCpus: 4,
    memoryGiB: 28,
    gpuCount: 1,
    gpuModel: "NVIDIA T4",
    gpuMemoryGiB: 16,
    infiniBand: false,
    computeCluster: true,
    managedOnlineEndpoint: true,
  },
  Standard_NC8as_T4_v3: {
    family: "NCasT4_v3",
    vCpus: 8,
    memoryGiB: 56,
    gpuCount: 1,
    gpuModel: "NVIDIA T4",
    gpuMemoryGiB: 16,
    infiniBand: false,
    computeCluster: true,
    managedOnlineEndpoint: true,
  },
  Standard_NC16as_T4_v3: {
    family: "NCasT4_v3",
    vCpus: 16,
    memoryGiB: 110,
    gpuCount: 1,
    gpuModel: "NVIDIA T4",
    gpuMemoryGiB: 16,
    infiniBand: false,
    computeCluster: true,
    managedOnlineEndpoint: true,
  },
  Standard_NC64as_T4_v3: {
    family: "NCasT4_v3",
    vCpus: 64,
    memoryGiB: 440,
    gpuCount: 4,
    gpuModel: "NVIDIA T4",
    gpuMemoryGiB: 64,
    infiniBand: false,
    computeCluster: true,
    managedOnlineEndpoint: true,
  },

  // NCv3: NVIDIA V100 (16 GB each). Retired.
  Standard_NC6s_v3: {
    family: "NCv3",
    vCpus: 6,
    memoryGiB: 112,
    gpuCount: 1,
    gpuModel: "NVIDIA V100",
    gpuMemoryGiB: 16,
    infiniBand: false,
    computeCluster: true,
    managedOnlineEndpoint: true,
    retired: { on: NCV3_RETIRED, replacement: "Standard_NC24ads_A100_v4" },
  },
  Standard_NC12s_v3: {
    family: "NCv3",
    vCpus: 12,
    memoryGiB: 224,
    gpuCount: 2,
    gpuModel: "NVIDIA V100",
    gpuMemoryGiB: 32,
    infiniBand: false,
    computeCluster: true,
    managedOnlineEndpoint: true,
    retired: { on: NCV3_RETIRED, replacement: "Standard_NC48ads_A100_v4" },
  },
  Standard_NC24s_v3: {
    family: "NCv3",
    vCpus: 24,
    memoryGiB: 448,
    gpuCount: 4,
    gpuModel: "NVIDIA V100",
    gpuMemoryGiB: 64,
    infiniBand: false,
    computeCluster: true,
    managedOnlineEndpoint: true,
    retired: { on: NCV3_RETIRED, replacement: "Standard_NC96ads_A100_v4" },
  },

  // NC A100 v4: NVIDIA A100 80GB PCIe.
  Standard_NC24ads_A100_v4: {
    family: "NC_A100_v4",
    vCpus: 24,
    memoryGiB: 220,
    gpuCount: 1,
    gpuModel: "NVIDIA A100 80GB PCIe",
    gpuMemoryGiB: 80,
    infiniBand: false,
    computeCluster: true,
    managedOnlineEndpoint: true,
  },
  Standard_NC48ads_A100_v4: {
    family: "NC_A100_v4",
    vCpus: 48,
    memoryGiB: 440,
    gpuCount: 2,
    gpuModel: "NVIDIA A100 80GB PCIe",
    gpuMemoryGiB: 160,
    infiniBand: false,
    computeCluster: true,
    managedOnlineEndpoint: true,
  },
  Standard_NC96ads_A100_v4: {
    family: "NC_A100_v4",
    vCpus: 96,
    memoryGiB: 880,
    gpuCount: 4,
    gpuModel: "NVIDIA A100 80GB PCIe",
    gpuMemoryGiB: 320,
    infiniBand: false,
    computeCluster: true,
    managedOnlineEndpoint: true,
  },

  // NCads H100 v5: NVIDIA H100 NVL (94 GB each).
  Standard_NC40ads_H100_v5: {
    family: "NCads_H100_v5",
    vCpus: 40,
    memoryGiB: 320,
    gpuCount: 1,
    gpuModel: "NVIDIA H100 NVL",
    gpuMemoryGiB: 94,
    infiniBand: false,
    computeCluster: true,
    managedOnlineEndpoint: true,
  },
  Standard_NC80adis_H100_v5: {
    family: "NCads_H100_v5",
    vCpus: 80,
    memoryGiB: 640,
    gpuCount: 2,
    gpuModel: "NVIDIA H100 NVL",
    gpuMemoryGiB: 188,
    infiniBand: false,
    computeCluster: true,
    managedOnlineEndpoint: true,
  },

  // ND: eight GPUs with NVLink inside the VM and InfiniBand between VMs.
  Standard_ND96asr_v4: {
    family: "ND_A100_v4",
    vCpus: 96,
    memoryGiB: 900,
    gpuCount: 8,
    gpuModel: "NVIDIA A100 40GB",
    gpuMemoryGiB: 320,
    infiniBand: true,
    computeCluster: true,
    managedOnlineEndpoint: true,
  },
  Standard_ND96amsr_A100_v4: {
    family: "NDm_A100_v4",
    vCpus: 96,
    memoryGiB: 1900,
    gpuCount: 8,
    gpuModel: "NVIDIA A100 80GB",
    gpuMemoryGiB: 640,
    infiniBand: true,
    computeCluster: true,
    managedOnlineEndpoint: true,
  },
  Standard_ND96isr_H100_v5: {
    family: "ND_H100_v5",
    vCpus: 96,
    memoryGiB: 1900,
    gpuCount: 8,
    gpuModel: "NVIDIA H100 80GB",
    gpuMemoryGiB: 640,
    infiniBand: true,
    computeCluster: true,
    managedOnlineEndpoint: true,
  },
  Standard_ND96isr_H200_v5: {
    family: "ND_H200_v5",
    vCpus: 96,
    memoryGiB: 1850,
    gpuCount: 8,
    gpuModel: "NVIDIA H200 141GB",
    gpuMemoryGiB: 1128,
    infiniBand: true,
    computeCluster: true,
    managedOnlineEndpoint: false,
  },
  Standard_ND96isr_MI300X_v5: {
    family: "ND_MI300X_v5",
    vCpus: 96,
    memoryGiB: 1850,
    gpuCount: 8,
    gpuModel: "AMD Instinct MI300X",
    gpuMemoryGiB: 1536,
    infiniBand: true,
    computeCluster: false,
    managedOnlineEndpoint: false,
  },

  // NV A10 v5: partitions of an NVIDIA A10 (24 GB).
  Standard_NV6ads_A10_v5: {
    family: "NVadsA10_v5",
    vCpus: 6,
    memoryGiB: 55,
    gpuCount: 1 / 6,
    gpuModel: "NVIDIA A10",
    gpuMemoryGiB: 4,
    infiniBand: false,
    computeCluster: false,
    managedOnlineEndpoint: true,
  },
  Standard_NV12ads_A10_v5: {
    family: "NVadsA10_v5",
    vCpus: 12,
    memoryGiB: 110,
    gpuCount: 1 / 3,
    gpuModel: "NVIDIA A10",
    gpuMemoryGiB: 8,
    infiniBand: false,
    computeCluster: false,
    managedOnlineEndpoint: true,
  },
  Standard_NV18ads_A10_v5: {
    family: "NVadsA10_v5",
    vCpus: 18,
    memoryGiB: 220,
    gpuCount: 1 / 2,
    gpuModel: "NVIDIA A10",
    gpuMemoryGiB: 12,
    infiniBand: false,
    computeCluster: false,
    managedOnlineEndpoint: true,
  },
  Standard_NV36ads_A10_v5: {
    family: "NVadsA10_v5",
    vCpus: 36,
    memoryGiB: 440,
    gpuCount: 1,
    gpuModel: "NVIDIA A10",
    gpuMemoryGiB: 24,
    infiniBand: false,
    computeCluster: false,
    managedOnlineEndpoint: true,
  },
} as const satisfies Record<string, VmSizeSpec>;

export type VmSizeName = keyof typeof VM_SIZES;
export const VM_SIZE_NAMES = Object.keys(VM_SIZES) as VmSizeName[];

/** What a size is used for: a compute cluster or instance, or a managed online deployment. */
export type VmSizeUse = "computeCluster" | "managedOnlineEndpoint";

export interface VmSizeEntry {
  readonly name: VmSizeName;
  readonly spec: VmSizeSpec;
}

const BY_LOWER_CASE = new Map(VM_SIZE_NAMES.map((name) => [name.toLowerCase(), name]));

/** The canonical name of a size, whatever its case (`standard_ds3_v2` -> `Standard_DS3_v2`). */
export function canonicalVmSizeName(name: string): VmSizeName | undefined {
  return BY_LOWER_CASE.get(name.trim().toLowerCase());
}

/** A size by name, case-insensitively; undefined when the catalogue does not have it. */
export function findVmSize(name: string): VmSizeEntry | undefined {
  const canonical = canonicalVmSizeName(name);
  return canonical ? { name: canonical, spec: VM_SIZES[canonical] } : undefined;
}

export function isGpuSize(spec: VmSizeSpec): boolean {
  return spec.gpuCount > 0;
}

/** Sizes that can be deployed today for a use (retired sizes excluded), in catalogue order. */
export function vmSizesFor(use: VmSizeUse): VmSizeName[] {
  return VM_SIZE_NAMES.filter((name) => usableFor(VM_SIZES[name], use));
}

export function usableFor(spec: VmSizeSpec, use: VmSizeUse): boolean {
  return spec[use] && spec.retired === undefined;
}

/** The GPU chip of a model name (`NVIDIA A100 80GB PCIe` -> `A100`), and its architecture. */
const GPU_CHIPS = {
  MI300X: "CDNA3",
  H200: "Hopper",
  H100: "Hopper",
  A100: "Ampere",
  A10: "Ampere",
  V100: "Volta",
  T4: "Turing",
} as const;

function gpuChip(model: GpuModel | null): keyof typeof GPU_CHIPS | undefined {
  return (Object.keys(GPU_CHIPS) as (keyof typeof GPU_CHIPS)[]).find((chip) => model?.split(" ").includes(chip));
}

/** |log2(a/b)|: how many doublings apart two amounts are (0 when either is 0). */
function ratioDistance(a: number, b: number): number {
  return a > 0 && b > 0 ? Math.abs(Math.log2(a / b)) : 0;
}

/**
 * How unlike a known size a candidate is, compared field by field: same family, CPU or GPU,
 * same GPU chip, GPU memory, GPU architecture, GPU count, vCPUs, memory.
 */
function hardwareDistance(from: VmSizeSpec, to: VmSizeSpec): number[] {
  const [fromChip, toChip] = [gpuChip(from.gpuModel), gpuChip(to.gpuModel)];
  return [
    from.family === to.family ? 0 : 1,
    isGpuSize(from) === isGpuSize(to) ? 0 : 1,
    fromChip === toChip ? 0 : 1,
    ratioDistance(from.gpuMemoryGiB, to.gpuMemoryGiB),
    fromChip && toChip && GPU_CHIPS[fromChip] === GPU_CHIPS[toChip] ? 0 : 1,
    Math.abs(from.gpuCount - to.gpuCount),
    ratioDistance(from.vCpus, to.vCpus),
    ratioDistance(from.memoryGiB, to.memoryGiB),
  ];
}

/** The series letters a size name starts with after `Standard_` (`Standard_NC6` -> `nc`). */
function seriesLetters(name: string): string {
  return /^(?:standard_)?([a-z]*)/.exec(name.toLowerCase())?.[1] ?? "";
}

function compareLists(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * The valid sizes nearest to `name` for a use, best first. For a size in the catalogue (one not
 * usable for this use, or retired): its replacement, then the same family, then sizes with the
 * same GPU chip and similar GPU memory. For an unknown name: names of the same series letters
 * (`NC`, `DS`, ...), then the closest spelling. `where`
 * narrows the candidates (e.g. to sizes without InfiniBand).
 */
export function nearestVmSizes(
  name: string,
  use: VmSizeUse,
  limit = 3,
  where: (spec: VmSizeSpec) => boolean = () => true,
): VmSizeName[] {
  const candidates = vmSizesFor(use).filter((candidate) => where(VM_SIZES[candidate]));
  const known = findVmSize(name);
  if (known) {
    const replacement = known.spec.retired?.replacement;
    const ranked = candidates
      .filter((candidate) => candidate !== known.name)
      .map((candidate) => ({
        candidate,
        score: [candidate === replacement ? 0 : 1, ...hardwareDistance(known.spec, VM_SIZES[candidate])],
      }))
      .sort((a, b) => compareLists(a.score, b.score));
    return ranked.slice(0, limit).map((r) => r.candidate);
  }
  const wanted = name
    .trim()
    .toLowerCase()
    .replace(/^standard_/, "");
  return candidates
    .map((candidate) => ({
      candidate,
      score: [
        seriesLetters(wanted) === seriesLetters(candidate) ? 0 : 1,
        editDistance(wanted, candidate.toLowerCase().replace(/^standard_/, "")),
      ],
    }))
    .sort((a, b) => compareLists(a.score, b.score))
    .slice(0, limit)
    .map((r) => r.candidate);
}
import { editDistance } from "./text";
