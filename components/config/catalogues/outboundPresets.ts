/**
 * Curated, versioned allowlists for a workspace managed network in
 * `AllowOnlyApprovedOutbound` mode. Each version is frozen once published: a stack pins a
 * version (`workspace.outbound.presetVersion`), so a new version never changes what an
 * existing stack allows until its owner opts in.
 *
 * Azure ML adds the rules the service itself needs (Microsoft Entra ID, Azure Front Door,
 * MCR, Azure Monitor, the workspace's storage/Key Vault/registry); the presets here cover
 * what training and inference code usually downloads. FQDN rules make Azure provision a
 * managed Azure Firewall for the workspace (a fixed monthly cost).
 */

/** A service-tag destination the managed network may reach. */
export interface ServiceTagAllowance {
  /** Azure service tag, e.g. `AzureOpenDatasets`. */
  readonly serviceTag: string;
  /** `TCP`, `UDP`, `ICMP` or `*`. */
  readonly protocol: "TCP" | "UDP" | "ICMP" | "*";
  /** Port or port range list, e.g. `443` or `80,443`. */
  readonly portRanges: string;
}

export interface OutboundPreset {
  /** What the preset is for, shown in docs and plan output. */
  readonly description: string;
  /** FQDNs (a leading `*.` wildcard is allowed). */
  readonly fqdns: readonly string[];
  /** Service tags. */
  readonly serviceTags: readonly ServiceTagAllowance[];
}

export const OUTBOUND_PRESETS = {
  "2026.11": {
    pypi: {
      description: "Python packages from PyPI (pip install)",
      fqdns: ["pypi.org", "files.pythonhosted.org"],
      serviceTags: [],
    },
    conda: {
      description: "Conda packages from conda-forge and the Anaconda channels",
      fqdns: ["conda.anaconda.org", "repo.anaconda.com", "anaconda.org", "conda-forge.org"],
      serviceTags: [],
    },
    mcr: {
      description: "Microsoft Container Registry images (curated Azure ML base images)",
      fqdns: ["mcr.microsoft.com", "*.data.mcr.microsoft.com"],
      serviceTags: [],
    },
    pytorch: {
      description: "PyTorch wheels from the PyTorch package index",
      fqdns: ["download.pytorch.org"],
      serviceTags: [],
    },
    huggingface: {
      description: "Hugging Face Hub models and datasets",
      fqdns: ["huggingface.co", "cdn-lfs.huggingface.co", "cdn-lfs-us-1.huggingface.co", "cdn-lfs.hf.co", "cas-bridge.xethub.hf.co"],
      serviceTags: [],
    },
    github: {
      description: "Source and release downloads from GitHub",
      fqdns: ["github.com", "codeload.github.com", "raw.githubusercontent.com", "objects.githubusercontent.com"],
      serviceTags: [],
    },
    vscode: {
      description: "VS Code remote sessions to compute instances",
      fqdns: ["update.code.visualstudio.com", "marketplace.visualstudio.com", "vscode.download.prss.microsoft.com", "*.vscode-cdn.net"],
      serviceTags: [],
    },
    "azure-open-datasets": {
      description: "Azure Open Datasets",
      fqdns: [],
      serviceTags: [{ serviceTag: "AzureOpenDatasets", protocol: "TCP", portRanges: "443" }],
    },
  },
} as const satisfies Record<string, Record<string, OutboundPreset>>;

export type OutboundPresetVersion = keyof typeof OUTBOUND_PRESETS;
export const OUTBOUND_PRESET_VERSIONS = Object.keys(OUTBOUND_PRESETS) as OutboundPresetVersion[];
/** The newest preset version; new stacks default to it. */
export const LATEST_OUTBOUND_PRESET_VERSION: OutboundPresetVersion = "2026.11";
/** Presets enabled when config names none: what a typical training/inference workload needs. */
export const DEFAULT_OUTBOUND_PRESETS = ["pypi", "conda", "mcr", "pytorch", "huggingface", "github"] as const;

/** Preset names available in a version. */
export function outboundPresetNames(version: OutboundPresetVersion): string[] {
  return Object.keys(OUTBOUND_PRESETS[version]);
}

/** Look up a preset; undefined when the version has no preset of that name. */
export function findOutboundPreset(version: OutboundPresetVersion, name: string): OutboundPreset | undefined {
  const presets: Record<string, OutboundPreset> = OUTBOUND_PRESETS[version];
  return Object.hasOwn(presets, name) ? presets[name] : undefined;
}
