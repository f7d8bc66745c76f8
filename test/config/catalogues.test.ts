import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BUILT_IN_ROLES,
  CLOUDS,
  CLOUD_NAMES,
  DEFAULT_OUTBOUND_PRESETS,
  DEFAULT_OUTBOUND_PRESETS_BY_VERSION,
  DNS_ZONE_KEYS,
  LATEST_OUTBOUND_PRESET_VERSION,
  OUTBOUND_PRESETS,
  OUTBOUND_PRESET_VERSIONS,
  OutboundPreset,
  PRIVILEGED_ROLE_NAMES,
  STORAGE_SUB_RESOURCES,
  dnsZoneNames,
  enabledOutboundPresets,
  findOutboundPreset,
  outboundPresetNames,
  roleDefinitionId,
} from "secure-azureml-facts";
import { requiredZoneKeys } from "../../config";
import { FQDN, GUID, isPortRangeList } from "../../config";

describe("clouds catalogue", () => {
  it("has an entry for every supported cloud and nothing else", () => {
    expect(Object.keys(CLOUDS).sort()).toEqual([...CLOUD_NAMES].sort());
  });

  it.each(CLOUD_NAMES)("%s: every DNS zone key has a privatelink. zone name, all distinct", (cloud) => {
    const zones = dnsZoneNames(cloud);
    expect(Object.keys(zones).sort()).toEqual([...DNS_ZONE_KEYS].sort());
    for (const key of DNS_ZONE_KEYS) {
      expect(zones[key]).toMatch(/^privatelink\.[a-z0-9.-]+[a-z]$/);
      expect(zones[key]).toMatch(FQDN);
    }
    expect(new Set(Object.values(zones)).size).toBe(DNS_ZONE_KEYS.length);
  });

  it.each(CLOUD_NAMES)("%s: storage zones are privatelink.<sub-resource>.<storage suffix>", (cloud) => {
    const zones = dnsZoneNames(cloud);
    const suffix = zones.blob.replace(/^privatelink\.blob\./, "");
    for (const sub of STORAGE_SUB_RESOURCES) expect(zones[sub]).toBe(`privatelink.${sub}.${suffix}`);
  });

  it("uses the public-cloud zone names Microsoft documents for Azure ML, storage, Key Vault and ACR", () => {
    expect(dnsZoneNames("AzureCloud")).toEqual({
      amlApi: "privatelink.api.azureml.ms",
      amlNotebooks: "privatelink.notebooks.azure.net",
      blob: "privatelink.blob.core.windows.net",
      file: "privatelink.file.core.windows.net",
      dfs: "privatelink.dfs.core.windows.net",
      queue: "privatelink.queue.core.windows.net",
      table: "privatelink.table.core.windows.net",
      vault: "privatelink.vaultcore.azure.net",
      registry: "privatelink.azurecr.io",
    });
  });

  it("gives each sovereign cloud its own zone names (no public-cloud zone reused)", () => {
    const publicZones = new Set(Object.values(dnsZoneNames("AzureCloud")));
    for (const cloud of CLOUD_NAMES.filter((c) => c !== "AzureCloud")) {
      for (const zone of Object.values(dnsZoneNames(cloud))) expect(publicZones.has(zone)).toBe(false);
    }
  });

  it.each(CLOUD_NAMES)("%s: region list is non-empty, lowercase names without spaces, no duplicates", (cloud) => {
    const regions = CLOUDS[cloud].regions;
    expect(regions.length).toBeGreaterThan(0);
    for (const region of regions) expect(region).toMatch(/^[a-z][a-z0-9]+$/);
    expect(new Set(regions).size).toBe(regions.length);
  });

  it("region lists are disjoint across clouds", () => {
    const owner = new Map<string, string>();
    for (const cloud of CLOUD_NAMES) {
      for (const region of CLOUDS[cloud].regions) {
        expect(owner.get(region), `${region} is in ${owner.get(region) ?? "?"} and ${cloud}`).toBeUndefined();
        owner.set(region, cloud);
      }
    }
  });

  it("has a Key Vault DNS suffix per cloud that is a valid, distinct host-name suffix", () => {
    const suffixes = CLOUD_NAMES.map((cloud) => CLOUDS[cloud].keyVaultDnsSuffix);
    for (const suffix of suffixes) expect(`kv.${suffix}`).toMatch(FQDN);
    expect(new Set(suffixes).size).toBe(CLOUD_NAMES.length);
    expect(CLOUDS.AzureCloud.keyVaultDnsSuffix).toBe("vault.azure.net");
  });

  it("requires the workspace, storage, Key Vault and registry zones for the storage endpoints in use", () => {
    expect(requiredZoneKeys(["blob", "file"])).toEqual(["amlApi", "amlNotebooks", "blob", "file", "vault", "registry"]);
    expect(requiredZoneKeys([...STORAGE_SUB_RESOURCES]).sort()).toEqual([...DNS_ZONE_KEYS].sort());
  });
});

describe("built-in roles catalogue", () => {
  const entries = Object.entries(BUILT_IN_ROLES);

  it("role definition ids are lowercase GUIDs, each used by one role only", () => {
    for (const [, id] of entries) {
      expect(id).toMatch(GUID);
      expect(id).toBe(id.toLowerCase());
    }
    expect(new Set(entries.map(([, id]) => id)).size).toBe(entries.length);
  });

  it("matches the well-known ids of the roles the environment grants", () => {
    expect(BUILT_IN_ROLES).toMatchObject({
      "AzureML Data Scientist": "f6c7c914-8db3-469d-8ca1-694a8f32e121",
      "AzureML Compute Operator": "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815",
      "AzureML Metrics Writer": "635dd51f-9968-44d3-b7fb-6d9a6bd613ae",
      "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
      "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
      "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
      AcrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
      Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
      Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
      Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
    });
  });

  it("marks Owner and Contributor as never granted to people", () => {
    expect([...PRIVILEGED_ROLE_NAMES].sort()).toEqual(["Contributor", "Owner"]);
  });

  it("builds the subscription-scoped role definition id", () => {
    const subscription = "3f2a6c1e-8b4d-4e9a-9c7f-2d1b0e5a6f80";
    expect(roleDefinitionId(subscription, "AcrPull")).toBe(
      `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d`,
    );
  });
});

describe("outbound presets catalogue", () => {
  const presetsOf = (version: (typeof OUTBOUND_PRESET_VERSIONS)[number]): [string, OutboundPreset][] =>
    Object.entries(OUTBOUND_PRESETS[version] as Record<string, OutboundPreset>);
  const allPresets = OUTBOUND_PRESET_VERSIONS.flatMap((version) =>
    presetsOf(version).map(([name, preset]) => ({ version, name, preset })),
  );

  it("has versions named YYYY.MM, and the latest is the newest", () => {
    for (const version of OUTBOUND_PRESET_VERSIONS) expect(version).toMatch(/^\d{4}\.(0[1-9]|1[0-2])$/);
    expect(OUTBOUND_PRESET_VERSIONS).toContain(LATEST_OUTBOUND_PRESET_VERSION);
    expect([...OUTBOUND_PRESET_VERSIONS].sort().at(-1)).toBe(LATEST_OUTBOUND_PRESET_VERSION);
  });

  it.each(allPresets.map(({ version, name, preset }) => [`${version}/${name}`, name, preset] as const))(
    "%s allows at least one FQDN or service tag, all valid and distinct, and says what it is for",
    (_label, name, preset) => {
      expect(name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(preset.description.length).toBeGreaterThan(0);
      expect(preset.fqdns.length + preset.serviceTags.length).toBeGreaterThan(0);
      for (const fqdn of preset.fqdns) {
        expect(fqdn).toMatch(FQDN);
        expect(fqdn).toBe(fqdn.toLowerCase());
      }
      expect(new Set(preset.fqdns).size).toBe(preset.fqdns.length);
      for (const tag of preset.serviceTags) {
        expect(tag.serviceTag).toMatch(/^[A-Za-z][A-Za-z0-9.]*$/);
        expect(["TCP", "UDP", "ICMP", "*"]).toContain(tag.protocol);
        expect(isPortRangeList(tag.portRanges)).toBe(true);
      }
    },
  );

  it("enables by default only presets that exist in the latest version", () => {
    expect(DEFAULT_OUTBOUND_PRESETS.length).toBeGreaterThan(0);
    for (const name of DEFAULT_OUTBOUND_PRESETS)
      expect(findOutboundPreset(LATEST_OUTBOUND_PRESET_VERSION, name), name).toBeDefined();
    expect(new Set(DEFAULT_OUTBOUND_PRESETS).size).toBe(DEFAULT_OUTBOUND_PRESETS.length);
  });

  it("has a frozen default list per version, each naming presets of that version", () => {
    expect(Object.keys(DEFAULT_OUTBOUND_PRESETS_BY_VERSION).sort()).toEqual([...OUTBOUND_PRESET_VERSIONS].sort());
    for (const version of OUTBOUND_PRESET_VERSIONS)
      for (const name of DEFAULT_OUTBOUND_PRESETS_BY_VERSION[version])
        expect(findOutboundPreset(version, name), `${version}/${name}`).toBeDefined();
    expect(DEFAULT_OUTBOUND_PRESETS_BY_VERSION["2026.11"]).toEqual([
      "pypi",
      "conda",
      "mcr",
      "pytorch",
      "huggingface",
      "github",
    ]);
    expect(DEFAULT_OUTBOUND_PRESETS_BY_VERSION["2026.12"]).toEqual([
      "pypi",
      "conda",
      "pytorch",
      "huggingface",
      "github",
    ]);
    expect(enabledOutboundPresets({ presetVersion: "2026.11" })).toEqual(
      DEFAULT_OUTBOUND_PRESETS_BY_VERSION["2026.11"],
    );
    expect(enabledOutboundPresets({ presetVersion: "2026.12" })).toEqual(
      DEFAULT_OUTBOUND_PRESETS_BY_VERSION["2026.12"],
    );
    expect(enabledOutboundPresets({ presetVersion: "2026.12", presets: [] })).toEqual([]);
  });

  it("2026.12 is the latest; 2026.11 stays selectable and unchanged", () => {
    expect(LATEST_OUTBOUND_PRESET_VERSION).toBe("2026.12");
    expect(OUTBOUND_PRESET_VERSIONS).toEqual(["2026.11", "2026.12"]);
    expect(
      Object.fromEntries(
        Object.entries(OUTBOUND_PRESETS["2026.11"]).map(([name, preset]) => [name, [...preset.fqdns]]),
      ),
    ).toEqual({
      pypi: ["pypi.org", "files.pythonhosted.org"],
      conda: ["conda.anaconda.org", "repo.anaconda.com", "anaconda.org", "conda-forge.org"],
      mcr: ["mcr.microsoft.com", "*.data.mcr.microsoft.com"],
      pytorch: ["download.pytorch.org"],
      huggingface: [
        "huggingface.co",
        "cdn-lfs.huggingface.co",
        "cdn-lfs-us-1.huggingface.co",
        "cdn-lfs.hf.co",
        "cas-bridge.xethub.hf.co",
      ],
      github: ["github.com", "codeload.github.com", "raw.githubusercontent.com", "objects.githubusercontent.com"],
      vscode: [
        "update.code.visualstudio.com",
        "marketplace.visualstudio.com",
        "vscode.download.prss.microsoft.com",
        "*.vscode-cdn.net",
      ],
      "azure-open-datasets": [],
    });
  });

  it("2026.12 allows exactly Microsoft's scenario hosts (deploy-audit M7)", () => {
    const fqdns = Object.fromEntries(
      Object.entries(OUTBOUND_PRESETS["2026.12"]).map(([name, preset]) => [name, [...preset.fqdns]]),
    );
    expect(fqdns).toEqual({
      pypi: ["pypi.org", "files.pythonhosted.org"],
      // Microsoft's recommended outbound rules for Python packages.
      conda: ["anaconda.com", "*.anaconda.com", "*.anaconda.org"],
      pytorch: ["pytorch.org", "*.pytorch.org"],
      tensorflow: ["*.tensorflow.org"],
      huggingface: ["huggingface.co", "*.huggingface.co", "*.hf.co"],
      // Microsoft's "Use HuggingFace models" scenario.
      dockerhub: ["docker.io", "*.docker.io", "*.docker.com", "production.cloudflare.docker.com", "cdn.auth0.com"],
      github: [
        "github.com",
        "codeload.github.com",
        "raw.githubusercontent.com",
        "objects.githubusercontent.com",
        "release-assets.githubusercontent.com",
      ],
      // Microsoft's "Use Visual Studio Code desktop or web with compute instance" scenario.
      vscode: [
        "*.vscode.dev",
        "*.vscode-unpkg.net",
        "*.vscode-cdn.net",
        "*.vscodeexperiments.azureedge.net",
        "default.exp-tas.com",
        "code.visualstudio.com",
        "update.code.visualstudio.com",
        "*.vo.msecnd.net",
        "marketplace.visualstudio.com",
        "vscode.blob.core.windows.net",
        "*.gallerycdn.vsassets.io",
        "vscode.download.prss.microsoft.com",
      ],
      "azure-open-datasets": [],
    });
    expect(OUTBOUND_PRESETS["2026.12"]["azure-open-datasets"].serviceTags).toEqual([
      { serviceTag: "AzureOpenDatasets", protocol: "TCP", portRanges: "443" },
    ]);
    // MCR is covered by the required service-tag rules MicrosoftContainerRegistry and AzureFrontDoor.FirstParty.
    expect(findOutboundPreset("2026.12", "mcr")).toBeUndefined();
    expect(DEFAULT_OUTBOUND_PRESETS).not.toContain("mcr");
  });

  it("lists preset names per version and finds presets by name", () => {
    expect(outboundPresetNames("2026.11")).toEqual([
      "pypi",
      "conda",
      "mcr",
      "pytorch",
      "huggingface",
      "github",
      "vscode",
      "azure-open-datasets",
    ]);
    expect(findOutboundPreset("2026.11", "pypi")?.fqdns).toEqual(["pypi.org", "files.pythonhosted.org"]);
  });

  it("does not mistake object prototype members for presets", () => {
    for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty"])
      expect(findOutboundPreset("2026.11", name)).toBeUndefined();
  });
});

describe("isPortRangeList", () => {
  it.each(["*", "443", "80,443", "8000-8080", "1", "65535", "80,443,8000-8080", "443-443"])("accepts %j", (value) => {
    expect(isPortRangeList(value)).toBe(true);
  });

  it.each([
    "",
    "0",
    "65536",
    "70000",
    "8080-8000",
    "443,",
    ",443",
    "80, 443",
    "443-",
    "abc",
    "*,443",
    "0443",
    "1-65536",
  ])("rejects %j", (value) => {
    expect(isPortRangeList(value)).toBe(false);
  });
});

describe("docs/configuration.md matches the catalogues", () => {
  /** The reference with its table rows unpadded (prettier aligns the columns). */
  const docs = readFileSync(join(__dirname, "../../docs/configuration.md"), "utf8")
    .split("\n")
    .map((line) => (line.startsWith("|") ? line.replace(/ +\| */g, " | ").replace(/^\| +/, "| ") : line))
    .join("\n");

  it.each(outboundPresetNames(LATEST_OUTBOUND_PRESET_VERSION))(
    "the %s row of the preset table lists its default flag, FQDNs and service tags",
    (name) => {
      const preset = findOutboundPreset(LATEST_OUTBOUND_PRESET_VERSION, name) as OutboundPreset;
      const isDefault = (DEFAULT_OUTBOUND_PRESETS as readonly string[]).includes(name) ? "yes" : "no";
      const fqdns = preset.fqdns.map((f) => `\`${f}\``).join(", ") || "none";
      const tags =
        preset.serviceTags.map((t) => `\`${t.serviceTag}\` ${t.protocol}/${t.portRanges}`).join(", ") || "none";
      expect(docs).toContain(`| \`${name}\` | ${isDefault} | ${preset.description} | ${fqdns} | ${tags} |`);
    },
  );

  it.each(DNS_ZONE_KEYS)("the zone-name table row of %s lists each cloud's zone", (key) => {
    expect(docs).toContain(
      `| \`${key}\` | ${CLOUD_NAMES.map((cloud) => `\`${CLOUDS[cloud].dnsZones[key]}\``).join(" | ")} |`,
    );
  });

  it.each(CLOUD_NAMES)("lists the regions accepted in %s", (cloud) => {
    const listed = new RegExp(`\`${cloud}\`: ([a-z0-9,\\s]+)\\.`)
      .exec(docs)?.[1]
      .split(/,\s*/)
      .map((r) => r.trim());
    expect(listed).toEqual([...CLOUDS[cloud].regions]);
  });
});
