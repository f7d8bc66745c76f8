/**
 * VM series and features this project's configuration can select that Azure has retired or has
 * announced a retirement date for. Validation rejects what is retired on the day it runs, and
 * `configWarnings` points out what retires within 24 months (`../retirementRules.ts`).
 *
 * Every date was checked on 2026-12-04 against the Microsoft source named in the entry and against
 * Microsoft's own retirement list (`Azure/EOL`, `service_list.json`, HEAD c5af085, 2025-12-18).
 *
 * Checked and not listed:
 * - NCasT4_v3: no retirement announced (not in Azure/EOL, not in Microsoft's "Retired VM Sizes
 *   Migration Guide").
 * - NDv2: no retirement found in the same sources; the size is not in this project's catalogue.
 * - Docker Content Trust in Azure Container Registry (retires 2028-03-31, Azure/EOL id 600): the
 *   program never sets a registry trust policy and no config key selects it.
 * - NVv3/NVv4 (2026-09-30) and NC24rs_v3 (2025-03-31): not in this project's VM size catalogue,
 *   so no config can select them (an unknown size is rejected on its own).
 */

export type RetirementStatus = "retired" | "retiring";

/** What an entry applies to: VM sizes by name, or one value of a config setting. */
export type RetirementMatch =
  | {
      readonly kind: "vmSize";
      /** Matches the size names of the series, case-insensitively. */
      readonly pattern: RegExp;
    }
  | {
      readonly kind: "setting";
      /** Dotted config path; `*` stands for any key of a map (e.g. a cluster name). */
      readonly path: string;
      /** The value of the setting that is retired. */
      readonly value: string;
    };

export interface Retirement {
  readonly id: string;
  /** What is retired, as the messages name it. */
  readonly subject: string;
  readonly matches: RetirementMatch;
  /** As of `checked`: `retired` once `date` has passed. Validation recomputes it from its own date. */
  readonly status: RetirementStatus;
  /** The retirement date (ISO, YYYY-MM-DD): from that day on, Azure no longer runs it. */
  readonly date: string;
  /** The Microsoft page that states the date. */
  readonly source: { readonly title: string; readonly url: string };
  /** What to use instead, in terms this project's configuration accepts. */
  readonly replacement: string;
  /** When the date was last checked against the source (ISO). */
  readonly checked: string;
  /**
   * Optional. `warn`: Azure still accepts the setting after the date, with changed behaviour, so
   * validation warns instead of rejecting (the note says what changed). Default: `reject`.
   */
  readonly enforcement?: "reject" | "warn";
  /** Conditional. With `enforcement: warn`: what Azure does with the setting since the date. */
  readonly note?: string;
}

const CHECKED = "2026-12-04";

const RETIRED_SIZES_GUIDE = {
  title: 'Microsoft Learn, "Retired VM Sizes Migration Guide" (retirement table, 2026-01-30)',
  url: "https://learn.microsoft.com/azure/virtual-machines/migration/sizes/d-ds-dv2-dsv2-ls-series-migration-guide",
};

export const RETIREMENTS: readonly Retirement[] = [
  {
    id: "vm-ncv3",
    subject: "an NCv3-series size (NVIDIA V100)",
    matches: { kind: "vmSize", pattern: /^Standard_NC(6|12|24)s_v3$/i },
    status: "retired",
    date: "2025-09-30",
    source: {
      title: 'Microsoft Learn, "NCv3 and NC6s NC12s NC24s Retirement"',
      url: "https://learn.microsoft.com/azure/virtual-machines/ncv3-nc6s-nc12s-nc24s-retirement",
    },
    replacement: "the NC A100 v4 size with the same GPU count (Microsoft's named successor)",
    checked: CHECKED,
  },
  {
    id: "vm-dv2-dsv2",
    subject: "a D/Ds/Dv2/DSv2-series size",
    // D and Ds (v1), Dv2 and DSv2, including constrained-vCPU (DS11-1_v2) and Promo sizes; not Dsv3 or later.
    matches: { kind: "vmSize", pattern: /^Standard_DS?\d+(-\d+)?(_v2)?(_Promo)?$/i },
    status: "retiring",
    date: "2028-05-01",
    source: RETIRED_SIZES_GUIDE,
    replacement:
      "a Dsv3 or Esv3 size for Azure ML compute, an Esv3 size for managed online endpoints (Microsoft names Dsv5/Dasv5 and later, which Azure ML's supported-series lists do not include yet)",
    checked: CHECKED,
  },
  {
    id: "vm-f-fs-fsv2",
    subject: "an F/Fs/Fsv2-series size",
    matches: { kind: "vmSize", pattern: /^Standard_F\d+s?(_v2)?$/i },
    status: "retiring",
    date: "2028-11-15",
    source: RETIRED_SIZES_GUIDE,
    replacement:
      "a Dsv3 or Esv3 size for Azure ML compute, an Esv3 size for managed online endpoints (Microsoft names Dsv5/Dlsv6/Falsv6 and later, which Azure ML's supported-series lists do not include yet)",
    checked: CHECKED,
  },
  {
    id: "aml-low-priority-vms",
    subject: "low-priority VMs for Azure ML compute clusters",
    matches: { kind: "setting", path: "compute.clusters.*.tier", value: "LowPriority" },
    status: "retired",
    date: "2026-03-31",
    // Also Microsoft Learn, "Manage and optimize Azure Machine Learning costs" (MicrosoftDocs/azure-ai-docs PR #806, 2026-08-19):
    // low-priority clusters created since still run, but their nodes are allocated as Spot VMs at the variable Spot rate.
    source: {
      title: 'Azure Updates, "Retirement: Migrate to dedicated VM for your compute clusters"',
      url: "https://azure.microsoft.com/updates?id=501658",
    },
    replacement: "Dedicated",
    checked: CHECKED,
    // Rejected: Azure still accepts the tier, but it no longer means what it says (Spot at a variable rate).
    enforcement: "reject",
    note: 'Azure still creates and runs such clusters, but allocates their nodes as Spot VMs at the variable Spot rate (Microsoft Learn, "Manage and optimize Azure Machine Learning costs")',
  },
];

/** The entry's status on a day: `retired` from its date on. */
export function retirementStatusOn(entry: Retirement, now: Date): RetirementStatus {
  return isoDay(now) >= entry.date ? "retired" : "retiring";
}

/** The VM size retirement a size name falls under, if any. */
export function vmSizeRetirement(size: string, catalogue: readonly Retirement[] = RETIREMENTS): Retirement | undefined {
  return catalogue.find((entry) => entry.matches.kind === "vmSize" && entry.matches.pattern.test(size.trim()));
}

/** `YYYY-MM-DD` of a date, in UTC. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
