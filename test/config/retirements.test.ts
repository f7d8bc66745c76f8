import { describe, expect, it } from "vitest";
import {
  RETIREMENTS,
  VM_SIZES,
  VM_SIZE_NAMES,
  VmSizeSpec,
  retirementStatusOn,
  vmSizeRetirement,
} from "secure-azureml-facts";
import { configWarnings } from "../../config";
import { retirementProblems } from "../../config";
import { validateStackConfig } from "../../config";

const MINIMUM = { location: "westeurope", namePrefix: "amldev" } as const;
const ALICE = "4e8a2c61-7b3d-4f19-8a5e-1c9d0b7e6f42";
const K = (key: string) => `secure-azureml:${key}`;

const DSV2_SOURCE =
  'Microsoft Learn, "Retired VM Sizes Migration Guide" (retirement table, 2026-01-30): https://learn.microsoft.com/azure/virtual-machines/migration/sizes/d-ds-dv2-dsv2-ls-series-migration-guide';
const LOW_PRIORITY_SOURCE =
  'Azure Updates, "Retirement: Migrate to dedicated VM for your compute clusters": https://azure.microsoft.com/updates?id=501658';

/** The day the catalogue was checked, and days around the retirement dates. */
const CHECKED = new Date("2026-12-04T12:00:00Z");
const BEFORE_LOW_PRIORITY = new Date("2026-03-30T12:00:00Z");
const AFTER_DSV2 = new Date("2028-05-01T00:00:00Z");

const DEPLOYMENT = { model: "azureml:churn:3", environment: "azureml:sklearn-env:2" };

/** Every place a VM size is configured, with a size of the given series, and one low-priority cluster. */
function everywhere(size: string, tier = "Dedicated") {
  return {
    ...MINIMUM,
    compute: {
      clusters: { cpu: { vmSize: size, tier, maxNodes: 2 } },
      instances: { alice: { vmSize: size, assignedUserObjectId: ALICE } },
      imageBuilder: { vmSize: size },
    },
    endpoints: { scoring: { deployments: { blue: { ...DEPLOYMENT, instanceType: size } }, traffic: { blue: 100 } } },
    alerts: { emailReceivers: [{ name: "ml", email: "ml@example.com" }] },
  };
}

function issues(raw: Record<string, unknown>, now: Date) {
  const result = validateStackConfig(raw, { now });
  return result.ok ? [] : result.issues;
}

function warnings(raw: Record<string, unknown>, now: Date) {
  const result = validateStackConfig(raw, { now });
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.key}: ${i.message}`).join("\n"));
  return configWarnings(result.config, "secure-azureml", now);
}

describe("retirement catalogue", () => {
  it("records a status that matches its date on the day it was checked, a Microsoft source and a replacement", () => {
    for (const entry of RETIREMENTS) {
      expect(entry.checked, entry.id).toBe("2026-12-04");
      expect(entry.status, entry.id).toBe(retirementStatusOn(entry, new Date(`${entry.checked}T00:00:00Z`)));
      expect(entry.date, entry.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(entry.source.url, entry.id).toMatch(/^https:\/\/(learn\.microsoft\.com|azure\.microsoft\.com)\//);
      expect(entry.replacement.length, entry.id).toBeGreaterThan(0);
    }
    expect(RETIREMENTS.map((e) => [e.id, e.status, e.date])).toEqual([
      ["vm-ncv3", "retired", "2025-09-30"],
      ["vm-dv2-dsv2", "retiring", "2028-05-01"],
      ["vm-f-fs-fsv2", "retiring", "2028-11-15"],
      ["aml-low-priority-vms", "retired", "2026-03-31"],
    ]);
  });

  it("matches each series' sizes and nothing of the later generations", () => {
    const series = (size: string) => vmSizeRetirement(size)?.id;
    expect(
      ["Standard_DS3_v2", "standard_ds2_v2", "Standard_D2_v2", "Standard_DS11-1_v2", "Standard_D4", "Standard_DS3"].map(
        series,
      ),
    ).toEqual(Array(6).fill("vm-dv2-dsv2"));
    expect(["Standard_F4s_v2", "Standard_F8s_v2", "Standard_F4", "Standard_F4s"].map(series)).toEqual(
      Array(4).fill("vm-f-fs-fsv2"),
    );
    expect(["Standard_NC6s_v3", "Standard_NC12s_v3", "Standard_NC24s_v3"].map(series)).toEqual(
      Array(3).fill("vm-ncv3"),
    );
    expect(
      [
        "Standard_D4s_v3",
        "Standard_D4as_v4",
        "Standard_D4s_v5",
        "Standard_E4s_v3",
        "Standard_FX4mds",
        "Standard_F4als_v6",
        "Standard_NC4as_T4_v3",
        "Standard_NC24ads_A100_v4",
      ].map(series),
    ).toEqual(Array(8).fill(undefined));
  });

  it("agrees with the VM size catalogue: every size it marks retired is retired here on the same date", () => {
    const spec = (name: (typeof VM_SIZE_NAMES)[number]): VmSizeSpec => VM_SIZES[name];
    const retired = VM_SIZE_NAMES.filter((name) => spec(name).retired);
    expect(retired.length).toBeGreaterThan(0);
    for (const name of retired) {
      expect(vmSizeRetirement(name), name).toMatchObject({ status: "retired", date: spec(name).retired?.on });
    }
  });
});

describe("validation rejects what is retired on the day given", () => {
  it("rejects a low-priority cluster from 2026-03-31 on, naming the key, the date, the source and the replacement", () => {
    // The shipped entry rejects: Azure still accepts the tier, but allocates Spot VMs at a variable rate (no shipped stack selects it).
    expect(RETIREMENTS.find((entry) => entry.id === "aml-low-priority-vms")?.enforcement).toBe("reject");
    const raw = everywhere("Standard_E4s_v3", "LowPriority");
    const message = `LowPriority selects low-priority VMs for Azure ML compute clusters, retired on 2026-03-31 (${LOW_PRIORITY_SOURCE}); use Dedicated`;
    expect(retirementProblems(raw, CHECKED, raw, RETIREMENTS)).toEqual([
      { path: ["compute", "clusters", "cpu", "tier"], message },
    ]);
    expect(retirementProblems(raw, BEFORE_LOW_PRIORITY, raw, RETIREMENTS)).toEqual([]);
    expect(issues(raw, CHECKED)).toEqual([{ key: K("compute.clusters.cpu.tier"), value: '"LowPriority"', message }]);
  });

  it("rejects a DSv2 size in every place a VM size is configured once it is retired, each with the nearest supported size", () => {
    const message = (replacement: string) =>
      `Standard_DS3_v2 is a D/Ds/Dv2/DSv2-series size, retired on 2028-05-01 (${DSV2_SOURCE}); use ${replacement}`;
    expect(issues(everywhere("Standard_DS3_v2"), AFTER_DSV2)).toEqual([
      { key: K("compute.clusters.cpu.vmSize"), value: '"Standard_DS3_v2"', message: message("Standard_D4s_v3") },
      { key: K("compute.instances.alice.vmSize"), value: '"Standard_DS3_v2"', message: message("Standard_D4s_v3") },
      { key: K("compute.imageBuilder.vmSize"), value: '"Standard_DS3_v2"', message: message("Standard_D4s_v3") },
      // Standard_D4s_v3 is not on the managed online endpoint SKU list: the nearest one that is.
      {
        key: K("endpoints.scoring.deployments.blue.instanceType"),
        value: '"Standard_DS3_v2"',
        message: message("Standard_E4s_v3"),
      },
    ]);
    expect(issues(everywhere("Standard_DS3_v2"), CHECKED)).toEqual([]);
  });

  it("rejects a retired Fsv2 endpoint size in any case, naming the canonical size", () => {
    const raw = {
      ...MINIMUM,
      endpoints: {
        scoring: { deployments: { blue: { ...DEPLOYMENT, instanceType: "standard_f4s_v2" } }, traffic: { blue: 100 } },
      },
    };
    expect(issues(raw, new Date("2028-11-15T00:00:00Z"))).toEqual([
      {
        key: K("endpoints.scoring.deployments.blue.instanceType"),
        value: '"standard_f4s_v2"',
        message: `Standard_F4s_v2 is an F/Fs/Fsv2-series size, retired on 2028-11-15 (${DSV2_SOURCE}); use Standard_E4s_v3`,
      },
    ]);
    expect(issues(raw, new Date("2028-11-14T23:59:59Z"))).toEqual([]);
  });

  it("leaves NCv3 to the VM size check, which already rejects it: one issue, not two", () => {
    const raw = { ...MINIMUM, compute: { clusters: { gpu: { vmSize: "Standard_NC6s_v3", maxNodes: 2 } } } };
    const found = issues(raw, CHECKED);
    expect(found.map((i) => i.key)).toEqual([K("compute.clusters.gpu.vmSize")]);
    expect(found[0].message).toContain("retired by Azure on 2025-09-30");
  });

  it("says when the retired size is a default the config does not set", () => {
    // The image builder's default is a Dsv3 size; a stack that leaves it out is never told to move.
    expect(validateStackConfig({ ...MINIMUM }, { now: new Date("2030-01-01T00:00:00Z") }).ok).toBe(true);
  });
});

describe("configWarnings: what retires within 24 months", () => {
  it("names the key, the date and the replacement of every retiring size, and nothing once the date is more than 24 months away", () => {
    const raw = everywhere("Standard_F4s_v2");
    const message = (replacement: string) =>
      `Standard_F4s_v2 is an F/Fs/Fsv2-series size, retiring on 2028-11-15 (${DSV2_SOURCE}); move to ${replacement} before then`;
    expect(warnings(raw, CHECKED)).toEqual([
      { key: K("compute.clusters.cpu.vmSize"), message: message("Standard_D4s_v3") },
      { key: K("compute.instances.alice.vmSize"), message: message("Standard_D4s_v3") },
      { key: K("compute.imageBuilder.vmSize"), message: message("Standard_D4s_v3") },
      { key: K("endpoints.scoring.deployments.blue.instanceType"), message: message("Standard_E4s_v3") },
    ]);
    // 2028-11-15 is 24 months after 2026-11-15, and more than that after 2026-11-14.
    expect(warnings(raw, new Date("2026-11-15T00:00:00Z"))).toHaveLength(4);
    expect(warnings(raw, new Date("2026-11-14T00:00:00Z"))).toEqual([]);
  });

  it("warns about DSv2 with its own date, in the config's namespace", () => {
    const result = validateStackConfig(everywhere("Standard_DS3_v2"), { now: CHECKED });
    if (!result.ok) throw new Error("expected a valid config");
    const found = configWarnings(result.config, "ml", CHECKED);
    expect(found.map((w) => w.key)).toEqual([
      "ml:compute.clusters.cpu.vmSize",
      "ml:compute.instances.alice.vmSize",
      "ml:compute.imageBuilder.vmSize",
      "ml:endpoints.scoring.deployments.blue.instanceType",
    ]);
    expect(found[0].message).toBe(
      `Standard_DS3_v2 is a D/Ds/Dv2/DSv2-series size, retiring on 2028-05-01 (${DSV2_SOURCE}); move to Standard_D4s_v3 before then`,
    );
  });

  it("warns about a low-priority cluster before 2026-03-31 (rejected from that day on, above)", () => {
    const raw = everywhere("Standard_E4s_v3", "LowPriority");
    expect(() => warnings(raw, CHECKED)).toThrow(
      `secure-azureml:compute.clusters.cpu.tier: LowPriority selects low-priority VMs for Azure ML compute clusters, retired on 2026-03-31`,
    );
    // Before the date it is only retiring: warned as such.
    expect(warnings(raw, BEFORE_LOW_PRIORITY)).toEqual([
      {
        key: K("compute.clusters.cpu.tier"),
        message: `LowPriority selects low-priority VMs for Azure ML compute clusters, retiring on 2026-03-31 (${LOW_PRIORITY_SOURCE}); move to Dedicated before then`,
      },
    ]);
  });

  it("says nothing about sizes nothing retires", () => {
    expect(warnings(everywhere("Standard_E4s_v3"), CHECKED)).toEqual([]);
    expect(warnings({ ...MINIMUM }, CHECKED)).toEqual([]);
  });
});
