import {
  RETIREMENTS,
  Retirement,
  VM_SIZES,
  VM_SIZE_NAMES,
  VmSizeSpec,
  VmSizeUse,
  findVmSize,
  isoDay,
  nearestVmSizes,
  retirementStatusOn,
  vmSizeRetirement,
} from "secure-azureml-facts";
import { RawRecord, isRecord } from "./raw";
import type { ConfigProblem } from "./errors";

/*
 * Retired and retiring VM series and features (`facts/retirements.ts`), checked wherever the
 * configuration selects them. What is retired on `now` is a validation problem; what retires
 * within 24 months of `now` is a warning. The rules are driven by the catalogue: a new entry
 * needs no code here, a new place that names a VM size needs one line in VM_SIZE_SETTINGS.
 */

/** Where the configuration names a VM size, and its use (none: serverless Spark sizes, outside the catalogue). */
export const VM_SIZE_SETTINGS: readonly { readonly path: string; readonly use?: VmSizeUse }[] = [
  { path: "compute.clusters.*.vmSize", use: "computeCluster" },
  { path: "compute.instances.*.vmSize", use: "computeCluster" },
  { path: "compute.imageBuilder.vmSize", use: "computeCluster" },
  { path: "endpoints.*.deployments.*.instanceType", use: "managedOnlineEndpoint" },
  // Batch deployments run on compute.clusters, checked above.
  { path: "modelMonitoring.*.compute.instanceType" },
];

/** How far ahead `configWarnings` looks. */
export const RETIREMENT_WARNING_MONTHS = 24;

/** One place the configuration selects something a retirement entry covers. */
export interface RetirementFinding {
  readonly path: readonly string[];
  readonly value: string;
  readonly entry: Retirement;
  readonly use?: VmSizeUse;
}

/** Every value at a dotted path; `*` walks every key of a map. */
function valuesAt(config: unknown, path: string): [string[], unknown][] {
  let found: [string[], unknown][] = [[[], config]];
  for (const segment of path.split(".")) {
    found = found.flatMap(([at, value]): [string[], unknown][] => {
      if (!isRecord(value)) return [];
      if (segment === "*")
        return Object.entries(value).map(([key, child]): [string[], unknown] => [[...at, key], child]);
      return segment in value ? [[[...at, segment], value[segment]]] : [];
    });
  }
  return found;
}

/** Everything in the configuration that a retirement entry covers, whatever its date. */
export function retirementFindings(
  config: RawRecord,
  catalogue: readonly Retirement[] = RETIREMENTS,
): RetirementFinding[] {
  const sizes = VM_SIZE_SETTINGS.flatMap(({ path, use }) =>
    valuesAt(config, path).flatMap(([at, value]): RetirementFinding[] => {
      const entry = typeof value === "string" ? vmSizeRetirement(value, catalogue) : undefined;
      return entry && typeof value === "string"
        ? [{ path: at, value: findVmSize(value)?.name ?? value.trim(), entry, use }]
        : [];
    }),
  );
  const settings = catalogue.flatMap((entry) => {
    const match = entry.matches;
    if (match.kind !== "setting") return [];
    return valuesAt(config, match.path).flatMap(([at, value]): RetirementFinding[] =>
      value === match.value ? [{ path: at, value, entry }] : [],
    );
  });
  return [...sizes, ...settings];
}

/** Catalogue sizes any retirement entry covers, by spec (what `nearestVmSizes` filters on). */
const RETIRING_SPECS = new Set<VmSizeSpec>(
  VM_SIZE_NAMES.filter((name) => vmSizeRetirement(name)).map((name) => VM_SIZES[name]),
);

/** What to use instead: for a catalogue size, the nearest size for the same use that nothing retires; else the entry's text. */
export function replacementFor(finding: RetirementFinding): string {
  if (finding.entry.matches.kind === "vmSize" && finding.use && findVmSize(finding.value)) {
    const nearest = nearestVmSizes(finding.value, finding.use, 1, (spec) => !RETIRING_SPECS.has(spec)).at(0);
    if (nearest !== undefined) return nearest;
  }
  return finding.entry.replacement;
}

function describe(finding: RetirementFinding, isDefault: boolean): string {
  const value = isDefault ? `${finding.value} (the default)` : finding.value;
  return finding.entry.matches.kind === "vmSize"
    ? `${value} is ${finding.entry.subject}`
    : `${value} selects ${finding.entry.subject}`;
}

function sourceOf(entry: Retirement): string {
  return `${entry.source.title}: ${entry.source.url}`;
}

function isGiven(given: RawRecord, path: readonly string[]): boolean {
  return valuesAt(given, path.join(".")).some(([, value]) => value !== undefined);
}

/**
 * What is retired on `now`, as validation problems. `config` is the configuration with defaults
 * applied when it parsed (so a retired default is caught too), else the raw one; `given` is the
 * raw configuration, to say when a value is a default. Sizes the VM catalogue itself marks retired
 * are left to the section rules (`sections/compute.ts`, `sections/endpoints.ts`), which rejects them already.
 */
export function retirementProblems(
  config: RawRecord,
  now: Date,
  given: RawRecord = config,
  catalogue: readonly Retirement[] = RETIREMENTS,
): ConfigProblem[] {
  return retirementFindings(config, catalogue)
    .filter((finding) => isRejected(finding, now) && !findVmSize(finding.value)?.spec.retired)
    .map((finding) => ({
      path: finding.path,
      message: `${describe(finding, !isGiven(given, finding.path))}, retired on ${finding.entry.date} (${sourceOf(finding.entry)}); use ${replacementFor(finding)}`,
    }));
}

/** `now` plus whole months, in UTC. */
function addMonths(now: Date, months: number): Date {
  const later = new Date(now.getTime());
  later.setUTCMonth(later.getUTCMonth() + months);
  return later;
}

/**
 * What retires after `now` and within `months` of it, with the key path and what to move to; and
 * what is retired but still accepted by Azure (`enforcement: warn`), with what changed.
 */
export function retirementWarnings(
  config: RawRecord,
  now: Date,
  months = RETIREMENT_WARNING_MONTHS,
  catalogue: readonly Retirement[] = RETIREMENTS,
): { path: readonly string[]; message: string }[] {
  const horizon = isoDay(addMonths(now, months));
  return retirementFindings(config, catalogue).flatMap((finding) => {
    const { entry } = finding;
    if (retirementStatusOn(entry, now) === "retired") {
      if (isRejected(finding, now)) return [];
      return [
        {
          path: finding.path,
          message: `${describe(finding, false)}, retired on ${entry.date} (${sourceOf(entry)}): ${entry.note ?? "Azure still accepts it"}; use ${replacementFor(finding)}`,
        },
      ];
    }
    if (entry.date > horizon) return [];
    return [
      {
        path: finding.path,
        message: `${describe(finding, false)}, retiring on ${entry.date} (${sourceOf(entry)}); move to ${replacementFor(finding)} before then`,
      },
    ];
  });
}

function isRejected(finding: RetirementFinding, now: Date): boolean {
  return retirementStatusOn(finding.entry, now) === "retired" && finding.entry.enforcement !== "warn";
}
