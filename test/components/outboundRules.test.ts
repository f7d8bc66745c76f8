import { describe, expect, it } from "vitest";
import { DEFAULT_OUTBOUND_PRESETS, LATEST_OUTBOUND_PRESET_VERSION, OUTBOUND_PRESETS } from "secure-azureml-facts";
import { workspaceSchema } from "../../config";
import {
  RULE_NAME_PATTERN,
  buildOutboundRules,
  fqdnRuleName,
  hasFqdnRules,
  serviceTagRuleName,
} from "../../platform/outboundRules";

/** `workspace.outbound` exactly as the config schema produces it, defaults applied. */
function outbound(raw: Record<string, unknown> = {}) {
  return workspaceSchema.shape.outbound.parse(raw);
}

const DEFAULT_FQDNS = DEFAULT_OUTBOUND_PRESETS.flatMap(
  (name) => OUTBOUND_PRESETS[LATEST_OUTBOUND_PRESET_VERSION][name].fqdns as readonly string[],
);

describe("buildOutboundRules", () => {
  const defaults = buildOutboundRules(outbound());

  it("makes one user-defined FQDN rule per host of the default presets, named after the host", () => {
    expect(defaults["fqdn-pypi_org"]).toEqual({ type: "FQDN", category: "UserDefined", destination: "pypi.org" });
    expect(defaults["fqdn-files_pythonhosted_org"]).toEqual({
      type: "FQDN",
      category: "UserDefined",
      destination: "files.pythonhosted.org",
    });
    expect(defaults["fqdnany-anaconda_org"]).toEqual({
      type: "FQDN",
      category: "UserDefined",
      destination: "*.anaconda.org",
    });
    // MCR is reached through the required service-tag rules: no FQDN rule of its own (deploy-audit M7).
    expect(defaults["fqdnany-data_mcr_microsoft_com"]).toBeUndefined();
    expect(
      Object.values(defaults)
        .map((r) => r.destination)
        .sort(),
    ).toEqual([...DEFAULT_FQDNS].sort());
    expect(Object.keys(defaults)).toHaveLength(DEFAULT_FQDNS.length);
  });

  it("uses only names Azure accepts, in sorted order", () => {
    for (const name of Object.keys(defaults)) expect(name).toMatch(RULE_NAME_PATTERN);
    expect(Object.keys(defaults)).toEqual([...Object.keys(defaults)].sort());
  });

  it("renames nothing when a rule is added or a preset removed", () => {
    const more = buildOutboundRules(
      outbound({ extraFqdns: ["example.com"], extraServiceTags: [{ serviceTag: "AzureOpenDatasets" }] }),
    );
    for (const [name, rule] of Object.entries(defaults)) expect(more[name]).toEqual(rule);
    expect(Object.keys(more)).toHaveLength(DEFAULT_FQDNS.length + 2);

    const fewer = buildOutboundRules(outbound({ presets: ["pypi"] }));
    expect(fewer).toEqual({
      "fqdn-files_pythonhosted_org": defaults["fqdn-files_pythonhosted_org"],
      "fqdn-pypi_org": defaults["fqdn-pypi_org"],
    });
  });

  it("adds extra FQDNs and removes duplicates, whatever their case", () => {
    const rules = buildOutboundRules(
      outbound({ presets: ["pypi"], extraFqdns: ["pypi.org", "PyPI.org", "Example.com", "*.blob.example.com"] }),
    );
    expect(rules).toEqual({
      "fqdn-example_com": { type: "FQDN", category: "UserDefined", destination: "example.com" },
      "fqdn-files_pythonhosted_org": { type: "FQDN", category: "UserDefined", destination: "files.pythonhosted.org" },
      "fqdn-pypi_org": { type: "FQDN", category: "UserDefined", destination: "pypi.org" },
      "fqdnany-blob_example_com": { type: "FQDN", category: "UserDefined", destination: "*.blob.example.com" },
    });
  });

  it("makes one ServiceTag rule per service tag of the presets and the extras", () => {
    const rules = buildOutboundRules(
      outbound({
        presets: ["azure-open-datasets"],
        extraServiceTags: [
          { serviceTag: "AzureOpenDatasets" },
          { serviceTag: "Storage.WestEurope", protocol: "UDP", portRanges: "445" },
          { serviceTag: "Sql", portRanges: "1433,11000-11999" },
          { serviceTag: "AzureMonitor", protocol: "*", portRanges: "*" },
        ],
      }),
    );
    expect(rules).toEqual({
      "tag-azuremonitor-any-all": {
        type: "ServiceTag",
        category: "UserDefined",
        destination: { serviceTag: "AzureMonitor", protocol: "*", portRanges: "*" },
      },
      "tag-azureopendatasets": {
        type: "ServiceTag",
        category: "UserDefined",
        destination: { serviceTag: "AzureOpenDatasets", protocol: "TCP", portRanges: "443" },
      },
      "tag-sql-tcp-1433_11000-11999": {
        type: "ServiceTag",
        category: "UserDefined",
        destination: { serviceTag: "Sql", protocol: "TCP", portRanges: "1433,11000-11999" },
      },
      "tag-storage_westeurope-udp-445": {
        type: "ServiceTag",
        category: "UserDefined",
        destination: { serviceTag: "Storage.WestEurope", protocol: "UDP", portRanges: "445" },
      },
    });
    expect(hasFqdnRules(rules)).toBe(false);
  });

  it("is empty for AllowInternetOutbound", () => {
    expect(buildOutboundRules(outbound({ mode: "AllowInternetOutbound" }))).toEqual({});
    expect(hasFqdnRules(buildOutboundRules(outbound({ mode: "AllowInternetOutbound" })))).toBe(false);
  });

  it("reports FQDN rules, which bring the managed firewall", () => {
    expect(hasFqdnRules(defaults)).toBe(true);
    expect(hasFqdnRules(buildOutboundRules(outbound({ presets: [], extraFqdns: ["example.com"] })))).toBe(true);
  });

  it("the latest version's defaults allow exactly these hosts (deploy-audit M7)", () => {
    expect(
      Object.values(defaults)
        .map((r) => r.destination)
        .sort(),
    ).toEqual(
      [
        "pypi.org",
        "files.pythonhosted.org",
        "anaconda.com",
        "*.anaconda.com",
        "*.anaconda.org",
        "pytorch.org",
        "*.pytorch.org",
        "huggingface.co",
        "*.huggingface.co",
        "*.hf.co",
        "github.com",
        "codeload.github.com",
        "raw.githubusercontent.com",
        "objects.githubusercontent.com",
        "release-assets.githubusercontent.com",
      ].sort(),
    );
  });

  it("a stack pinned to 2026.11 that names no presets keeps 2026.11's defaults, mcr included", () => {
    const pinned = buildOutboundRules(outbound({ presetVersion: "2026.11" }));
    expect(pinned["fqdnany-data_mcr_microsoft_com"]).toEqual({
      type: "FQDN",
      category: "UserDefined",
      destination: "*.data.mcr.microsoft.com",
    });
    expect(pinned["fqdn-conda-forge_org"]).toEqual({
      type: "FQDN",
      category: "UserDefined",
      destination: "conda-forge.org",
    });
    expect(Object.keys(pinned)).toHaveLength(18);
  });

  it("fails loudly on a preset the pinned version does not have", () => {
    expect(() => buildOutboundRules(outbound({ presets: ["npm"] }))).toThrow(
      /workspace\.outbound\.presets.*"npm".*accepted: pypi/,
    );
  });
});

describe("rule names", () => {
  it("fit long destinations into 33 characters and keep them distinct", () => {
    const a = fqdnRuleName("artifacts.very-long-subdomain-name.example-company.com");
    const b = fqdnRuleName("artifacts.very-long-subdomain-name.example-company.org");
    expect(a).toMatch(RULE_NAME_PATTERN);
    expect(b).toMatch(RULE_NAME_PATTERN);
    expect(a).toHaveLength(33);
    expect(a).not.toBe(b);
    expect(fqdnRuleName("artifacts.very-long-subdomain-name.example-company.com")).toBe(a);
  });

  it("never give two different hosts the same name", () => {
    expect(fqdnRuleName("a-b.example.com")).not.toBe(fqdnRuleName("a.b.example.com"));
    expect(fqdnRuleName("*.example.com")).not.toBe(fqdnRuleName("example.com"));
    expect(fqdnRuleName("*.any.com")).not.toBe(fqdnRuleName("any.any.com"));
    expect(serviceTagRuleName({ serviceTag: "Storage", protocol: "TCP", portRanges: "443" })).not.toBe(
      serviceTagRuleName({ serviceTag: "Storage", protocol: "UDP", portRanges: "443" }),
    );
  });
});
