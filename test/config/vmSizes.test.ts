import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  VM_SIZES,
  VM_SIZE_NAMES,
  VmSizeName,
  VmSizeSpec,
  canonicalVmSizeName,
  findVmSize,
  isGpuSize,
  nearestVmSizes,
  usableFor,
  vmSizesFor,
} from "secure-azureml-facts";

/** The sizes issue 3 requires, by family. */
const REQUIRED: Record<string, VmSizeName[]> = {
  cpu: ["Standard_DS3_v2", "Standard_D4s_v3", "Standard_E4s_v3", "Standard_F4s_v2"],
  "NC T4 v3": ["Standard_NC4as_T4_v3", "Standard_NC8as_T4_v3", "Standard_NC16as_T4_v3", "Standard_NC64as_T4_v3"],
  NCv3: ["Standard_NC6s_v3", "Standard_NC12s_v3", "Standard_NC24s_v3"],
  "NC A100 v4": ["Standard_NC24ads_A100_v4", "Standard_NC48ads_A100_v4", "Standard_NC96ads_A100_v4"],
  "NCads H100 v5": ["Standard_NC40ads_H100_v5", "Standard_NC80adis_H100_v5"],
  "ND A100 v4": ["Standard_ND96asr_v4", "Standard_ND96amsr_A100_v4"],
  "ND H100 v5": ["Standard_ND96isr_H100_v5"],
  "ND H200 v5": ["Standard_ND96isr_H200_v5"],
  "ND MI300X v5": ["Standard_ND96isr_MI300X_v5"],
  "NV A10 v5": [
    "Standard_NV6ads_A10_v5",
    "Standard_NV12ads_A10_v5",
    "Standard_NV18ads_A10_v5",
    "Standard_NV36ads_A10_v5",
  ],
};

/**
 * Facts from Microsoft's size pages, written out independently of the catalogue:
 * [vCPUs, memory GiB, GPUs, total GPU memory GiB].
 */
const SPECIFICATIONS: Partial<Record<VmSizeName, [number, number, number, number]>> = {
  Standard_DS3_v2: [4, 14, 0, 0],
  Standard_D4s_v3: [4, 16, 0, 0],
  Standard_D2as_v4: [2, 8, 0, 0],
  Standard_E4s_v3: [4, 32, 0, 0],
  Standard_F2s_v2: [2, 4, 0, 0],
  Standard_F4s_v2: [4, 8, 0, 0],
  Standard_NC4as_T4_v3: [4, 28, 1, 16],
  Standard_NC8as_T4_v3: [8, 56, 1, 16],
  Standard_NC16as_T4_v3: [16, 110, 1, 16],
  Standard_NC64as_T4_v3: [64, 440, 4, 64],
  Standard_NC6s_v3: [6, 112, 1, 16],
  Standard_NC12s_v3: [12, 224, 2, 32],
  Standard_NC24s_v3: [24, 448, 4, 64],
  Standard_NC24ads_A100_v4: [24, 220, 1, 80],
  Standard_NC48ads_A100_v4: [48, 440, 2, 160],
  Standard_NC96ads_A100_v4: [96, 880, 4, 320],
  Standard_NC40ads_H100_v5: [40, 320, 1, 94],
  Standard_NC80adis_H100_v5: [80, 640, 2, 188],
  Standard_ND96asr_v4: [96, 900, 8, 320],
  Standard_ND96amsr_A100_v4: [96, 1900, 8, 640],
  Standard_ND96isr_H100_v5: [96, 1900, 8, 640],
  Standard_ND96isr_H200_v5: [96, 1850, 8, 1128],
  Standard_ND96isr_MI300X_v5: [96, 1850, 8, 1536],
  Standard_NV6ads_A10_v5: [6, 55, 1 / 6, 4],
  Standard_NV12ads_A10_v5: [12, 110, 1 / 3, 8],
  Standard_NV18ads_A10_v5: [18, 220, 1 / 2, 12],
  Standard_NV36ads_A10_v5: [36, 440, 1, 24],
};

/** Microsoft's managed online endpoints SKU list, for the sizes in the catalogue. */
const ENDPOINT_SKU_LIST: VmSizeName[] = [
  "Standard_DS2_v2",
  "Standard_DS3_v2",
  "Standard_DS4_v2",
  "Standard_D2as_v4",
  "Standard_E4s_v3",
  "Standard_E8s_v3",
  "Standard_F2s_v2",
  "Standard_F4s_v2",
  "Standard_F8s_v2",
  "Standard_NC4as_T4_v3",
  "Standard_NC8as_T4_v3",
  "Standard_NC16as_T4_v3",
  "Standard_NC64as_T4_v3",
  "Standard_NC6s_v3",
  "Standard_NC12s_v3",
  "Standard_NC24s_v3",
  "Standard_NC24ads_A100_v4",
  "Standard_NC48ads_A100_v4",
  "Standard_NC96ads_A100_v4",
  "Standard_NC40ads_H100_v5",
  "Standard_NC80adis_H100_v5",
  "Standard_ND96asr_v4",
  "Standard_ND96amsr_A100_v4",
  "Standard_ND96isr_H100_v5",
  "Standard_NV6ads_A10_v5",
  "Standard_NV12ads_A10_v5",
  "Standard_NV18ads_A10_v5",
  "Standard_NV36ads_A10_v5",
];

const entries = VM_SIZE_NAMES.map((name) => [name, VM_SIZES[name] as VmSizeSpec] as const);

describe("VM size catalogue: completeness", () => {
  it.each(Object.entries(REQUIRED))("has every size of %s", (_family, names) => {
    for (const name of names) expect(VM_SIZE_NAMES).toContain(name);
  });

  it.each(entries)("%s: every field is set and consistent", (name, spec) => {
    expect(name).toMatch(/^Standard_[A-Z]+[0-9]+[a-z]*(_[A-Z0-9]+)*(_v[0-9])?$/);
    expect(
      Object.keys(spec)
        .filter((key) => key !== "retired")
        .sort(),
    ).toEqual(
      [
        "family",
        "vCpus",
        "memoryGiB",
        "gpuCount",
        "gpuModel",
        "gpuMemoryGiB",
        "infiniBand",
        "computeCluster",
        "managedOnlineEndpoint",
      ].sort(),
    );
    expect(Number.isInteger(spec.vCpus) && spec.vCpus > 0).toBe(true);
    expect(spec.memoryGiB).toBeGreaterThan(0);
    expect(spec.gpuCount).toBeGreaterThanOrEqual(0);
    // A CPU size has no GPU model and no GPU memory; a GPU size has both.
    expect(spec.gpuModel === null).toBe(spec.gpuCount === 0);
    expect(spec.gpuMemoryGiB === 0).toBe(spec.gpuCount === 0);
    for (const flag of [spec.infiniBand, spec.computeCluster, spec.managedOnlineEndpoint])
      expect(typeof flag).toBe("boolean");
    // Only ND MI300X v5 is usable for neither: it is listed so that choosing it gets a precise message.
    expect(spec.computeCluster || spec.managedOnlineEndpoint).toBe(spec.family !== "ND_MI300X_v5");
  });

  it.each(Object.entries(SPECIFICATIONS))(
    "%s has Microsoft's vCPUs, memory, GPU count and GPU memory",
    (name, [vCpus, memoryGiB, gpuCount, gpuMemoryGiB]) => {
      const spec = VM_SIZES[name as VmSizeName] as VmSizeSpec;
      expect({
        vCpus: spec.vCpus,
        memoryGiB: spec.memoryGiB,
        gpuCount: spec.gpuCount,
        gpuMemoryGiB: spec.gpuMemoryGiB,
      }).toEqual({ vCpus, memoryGiB, gpuCount, gpuMemoryGiB });
    },
  );

  it("names each GPU family's model", () => {
    const models = Object.fromEntries(
      entries.filter(([, spec]) => isGpuSize(spec)).map(([, spec]) => [spec.family, spec.gpuModel]),
    );
    expect(models).toEqual({
      NCasT4_v3: "NVIDIA T4",
      NCv3: "NVIDIA V100",
      NC_A100_v4: "NVIDIA A100 80GB PCIe",
      NCads_H100_v5: "NVIDIA H100 NVL",
      ND_A100_v4: "NVIDIA A100 40GB",
      NDm_A100_v4: "NVIDIA A100 80GB",
      ND_H100_v5: "NVIDIA H100 80GB",
      ND_H200_v5: "NVIDIA H200 141GB",
      ND_MI300X_v5: "AMD Instinct MI300X",
      NVadsA10_v5: "NVIDIA A10",
    });
  });

  it("points every retired size at a replacement that can be used for the same purposes", () => {
    const retired = entries.filter(([, spec]) => spec.retired);
    expect(retired.map(([name]) => name)).toEqual(["Standard_NC6s_v3", "Standard_NC12s_v3", "Standard_NC24s_v3"]);
    for (const [, spec] of retired) {
      expect(spec.retired?.on).toBe("2025-09-30");
      const replacement = findVmSize(spec.retired?.replacement ?? "");
      expect(replacement?.name).toBe(spec.retired?.replacement);
      expect(replacement?.spec.gpuCount).toBe(spec.gpuCount);
      expect(replacement?.spec.retired).toBeUndefined();
      expect(replacement?.spec.computeCluster).toBe(spec.computeCluster);
      expect(replacement?.spec.managedOnlineEndpoint).toBe(spec.managedOnlineEndpoint);
    }
  });
});

describe("VM size catalogue: flags from Microsoft's documentation", () => {
  it("marks exactly the sizes of the managed online endpoints SKU list as endpoint-supported", () => {
    expect(
      entries
        .filter(([, spec]) => spec.managedOnlineEndpoint)
        .map(([name]) => name)
        .sort(),
    ).toEqual([...ENDPOINT_SKU_LIST].sort());
  });

  it("does not support ND H200 v5, ND MI300X v5 or Standard_D4s_v3 for managed online endpoints", () => {
    for (const name of ["Standard_ND96isr_H200_v5", "Standard_ND96isr_MI300X_v5", "Standard_D4s_v3"] as const)
      expect(VM_SIZES[name].managedOnlineEndpoint).toBe(false);
  });

  it("gives every ND size InfiniBand, and no NC, NV or CPU size", () => {
    for (const [name, spec] of entries) expect(spec.infiniBand, name).toBe(name.startsWith("Standard_ND"));
  });

  it("makes NV A10 v5 a partial GPU below NV36ads (1/6, 1/3, 1/2 of an A10)", () => {
    expect(VM_SIZES.Standard_NV6ads_A10_v5.gpuCount).toBeCloseTo(1 / 6);
    expect(VM_SIZES.Standard_NV12ads_A10_v5.gpuCount).toBeCloseTo(1 / 3);
    expect(VM_SIZES.Standard_NV18ads_A10_v5.gpuCount).toBe(0.5);
    expect(VM_SIZES.Standard_NV36ads_A10_v5.gpuCount).toBe(1);
    for (const name of ["Standard_NV6ads_A10_v5", "Standard_NV12ads_A10_v5", "Standard_NV18ads_A10_v5"] as const)
      expect(VM_SIZES[name].gpuCount).toBeLessThan(1);
  });

  it("keeps the sizes Azure ML does not support for compute (Dasv4, ND MI300X v5, NV A10 v5) out of clusters", () => {
    const notForCompute = entries.filter(([, spec]) => !spec.computeCluster).map(([, spec]) => spec.family);
    expect([...new Set(notForCompute)].sort()).toEqual(["Dasv4", "ND_MI300X_v5", "NVadsA10_v5"]);
    expect(VM_SIZES.Standard_ND96isr_H200_v5.computeCluster).toBe(true);
  });

  it("offers neither retired sizes nor unsupported ones for a use", () => {
    expect(vmSizesFor("managedOnlineEndpoint")).not.toContain("Standard_NC6s_v3");
    expect(vmSizesFor("managedOnlineEndpoint")).not.toContain("Standard_ND96isr_H200_v5");
    expect(vmSizesFor("computeCluster")).not.toContain("Standard_NV6ads_A10_v5");
    expect(vmSizesFor("computeCluster")).toContain("Standard_ND96isr_H200_v5");
    expect(usableFor(VM_SIZES.Standard_NC24s_v3, "computeCluster")).toBe(false);
  });
});

describe("VM size lookup", () => {
  it("is case-insensitive and returns the canonical name", () => {
    expect(canonicalVmSizeName("standard_ds3_v2")).toBe("Standard_DS3_v2");
    expect(canonicalVmSizeName("STANDARD_NC24ADS_A100_V4")).toBe("Standard_NC24ads_A100_v4");
    expect(canonicalVmSizeName(" Standard_ND96isr_H100_v5 ")).toBe("Standard_ND96isr_H100_v5");
    expect(findVmSize("standard_nv6ads_a10_v5")).toEqual({
      name: "Standard_NV6ads_A10_v5",
      spec: VM_SIZES.Standard_NV6ads_A10_v5,
    });
  });

  it("knows nothing it does not list", () => {
    expect(canonicalVmSizeName("Standard_NC6")).toBeUndefined();
    expect(findVmSize("Standard_DS3_v3")).toBeUndefined();
    expect(findVmSize("")).toBeUndefined();
  });
});

describe("nearestVmSizes", () => {
  it("suggests the same series for a misspelt name", () => {
    expect(nearestVmSizes("Standard_DS3_v3", "computeCluster")[0]).toBe("Standard_DS3_v2");
    expect(nearestVmSizes("Standard_NC24ads_A100", "managedOnlineEndpoint")[0]).toBe("Standard_NC24ads_A100_v4");
    for (const name of nearestVmSizes("Standard_NC6", "computeCluster")) expect(name).toMatch(/^Standard_NC/);
  });

  it("suggests Microsoft's replacement first for a retired size", () => {
    expect(nearestVmSizes("Standard_NC12s_v3", "computeCluster")[0]).toBe("Standard_NC48ads_A100_v4");
  });

  it("suggests the nearest supported GPUs for an unsupported one (H200 -> H100 for endpoints)", () => {
    expect(nearestVmSizes("Standard_ND96isr_H200_v5", "managedOnlineEndpoint")).toEqual([
      "Standard_ND96isr_H100_v5",
      "Standard_ND96amsr_A100_v4",
      "Standard_ND96asr_v4",
    ]);
    expect(nearestVmSizes("Standard_D4s_v3", "managedOnlineEndpoint")[0]).toBe("Standard_DS3_v2");
  });

  it("only suggests sizes valid for the use, honouring the limit and the filter", () => {
    for (const use of ["computeCluster", "managedOnlineEndpoint"] as const) {
      for (const name of ["Standard_NC6", "Standard_NC6s_v3", "Standard_ND96isr_MI300X_v5", "x"]) {
        const suggested = nearestVmSizes(name, use, 5);
        expect(suggested).toHaveLength(5);
        for (const size of suggested) expect(usableFor(VM_SIZES[size], use)).toBe(true);
      }
    }
    const singleNode = nearestVmSizes(
      "Standard_ND96isr_H100_v5",
      "computeCluster",
      2,
      (spec) => isGpuSize(spec) && !spec.infiniBand,
    );
    expect(singleNode).toEqual(["Standard_NC80adis_H100_v5", "Standard_NC40ads_H100_v5"]);
  });
});

describe("docs/configuration.md, VM sizes", () => {
  const docs = readFileSync(join(__dirname, "../../docs/configuration.md"), "utf8");
  const section = docs.slice(docs.indexOf("### VM sizes"), docs.indexOf("## `endpoints`"));
  const rows = new Map(
    section
      .split("\n")
      .filter((line) => line.startsWith("| `Standard_"))
      .map((line) => {
        const cells = line
          .split("|")
          .slice(1, -1)
          .map((cell) => cell.trim());
        return [cells[0].replace(/`/g, ""), cells.slice(1)] as const;
      }),
  );
  const gpus = (count: number) => (Number.isInteger(count) ? String(count) : `1/${Math.round(1 / count)}`);
  const usable = (spec: VmSizeSpec, flag: boolean) =>
    spec.retired ? `retired ${spec.retired.on}` : flag ? "yes" : "no";

  it("lists exactly the catalogue's sizes", () => {
    expect([...rows.keys()]).toEqual(VM_SIZE_NAMES);
  });

  it.each(entries)("%s: the row states the catalogue's facts and flags", (name, spec) => {
    expect(rows.get(name)).toEqual([
      spec.family,
      String(spec.vCpus),
      String(spec.memoryGiB),
      spec.gpuModel === null ? "-" : `${gpus(spec.gpuCount)} × ${spec.gpuModel}`,
      spec.gpuMemoryGiB === 0 ? "-" : String(spec.gpuMemoryGiB),
      spec.infiniBand ? "yes" : "no",
      usable(spec, spec.computeCluster),
      usable(spec, spec.managedOnlineEndpoint),
    ]);
  });
});
