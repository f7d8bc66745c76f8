import { z } from "zod";
import { VmSizeUse, canonicalVmSizeName, findVmSize, isGpuSize, nearestVmSizes } from "secure-azureml-facts";
import type { ConfigProblem } from "./errors";
import type { Path } from "./rawParse";

/** VM size values (compute clusters and instances, online deployments) and the problems one can have for a use. */

/** Case-insensitive on input; a size the catalogue knows is normalised to its canonical name (`standard_ds3_v2` -> `Standard_DS3_v2`). */
export const vmSize = z
  .string("must be an Azure VM size name, e.g. Standard_DS3_v2")
  .min(1, "must be an Azure VM size name, e.g. Standard_DS3_v2")
  .overwrite((size) => canonicalVmSizeName(size) ?? size);

export function list(names: readonly string[]): string {
  return names.join(", ");
}

// ---------------------------------------------------------------------------------------------
// VM sizes
// ---------------------------------------------------------------------------------------------

const USE_LABEL: Record<VmSizeUse, string> = {
  computeCluster: "Azure ML compute clusters and instances",
  managedOnlineEndpoint: "managed online endpoints",
};

const NOT_SUPPORTED_BECAUSE: Record<VmSizeUse, string> = {
  computeCluster: "not a VM series Azure ML supports for compute clusters and instances",
  managedOnlineEndpoint: "not in Microsoft's managed online endpoints SKU list",
};

const WHERE_LISTED = 'every accepted size is listed in docs/configuration.md, "VM sizes"';

/** Problems with one VM size for one use: unknown, retired, or not supported for the use. */
export function vmSizeProblems(path: Path, value: unknown, use: VmSizeUse): ConfigProblem[] {
  if (typeof value !== "string" || value.trim() === "") return [];
  const nearest = list(nearestVmSizes(value, use));
  const entry = findVmSize(value);
  if (!entry) {
    return [
      {
        path,
        message: `${value} is not a VM size this project knows; nearest valid choices for ${USE_LABEL[use]}: ${nearest} (${WHERE_LISTED})`,
      },
    ];
  }
  const { name, spec } = entry;
  if (spec.retired) {
    return [
      {
        path,
        message: `${name} was retired by Azure on ${spec.retired.on} and can no longer be deployed; use ${spec.retired.replacement} (Microsoft's replacement); nearest valid choices: ${nearest}`,
      },
    ];
  }
  if (!spec[use]) {
    return [
      {
        path,
        message: `${name} is not supported for ${USE_LABEL[use]} (${NOT_SUPPORTED_BECAUSE[use]}); nearest valid choices: ${nearest}`,
      },
    ];
  }
  return [];
}

export function infiniBandProblems(path: Path, vmSize: unknown, maxNodes: number | undefined): ConfigProblem[] {
  const entry = typeof vmSize === "string" ? findVmSize(vmSize) : undefined;
  if (!entry?.spec.infiniBand || maxNodes !== 1) return [];
  const singleNode = list(
    nearestVmSizes(entry.name, "computeCluster", 3, (spec) => isGpuSize(spec) && !spec.infiniBand),
  );
  return [
    {
      path,
      message: `${entry.name} is an InfiniBand size for multi-node training, but maxNodes is 1, so the interconnect you pay for is never used: raise maxNodes to 2 or more, or pick a single-node GPU size: ${singleNode}`,
    },
  ];
}
