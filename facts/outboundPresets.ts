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
 *
 * Sources (Microsoft, "Workspace managed virtual network isolation", how-to-managed-network.md,
 * MicrosoftDocs/azure-ai-docs): "List of required rules" (service tags `MicrosoftContainerRegistry`
 * and `AzureFrontDoor.FirstParty`: "Access docker images provided by Microsoft"); "Scenario:
 * Access public machine learning packages" (includes/recommended-network-outbound.md: `anaconda.com`,
 * `*.anaconda.com`, `*.anaconda.org`, `pypi.org` (+ `*.pythonhosted.org`), `pytorch.org`,
 * `*.pytorch.org`, `*.tensorflow.org`); "Scenario: Use Visual Studio Code desktop or web with
 * compute instance"; "Scenario: Use HuggingFace models".
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
  /** Frozen. Kept selectable for stacks that pinned it; new stacks get 2026.12. */
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
      fqdns: [
        "huggingface.co",
        "cdn-lfs.huggingface.co",
        "cdn-lfs-us-1.huggingface.co",
        "cdn-lfs.hf.co",
        "cas-bridge.xethub.hf.co",
      ],
      serviceTags: [],
    },
    github: {
      description: "Source and release downloads from GitHub",
      fqdns: ["github.com", "codeload.github.com", "raw.githubusercontent.com", "objects.githubusercontent.com"],
      serviceTags: [],
    },
    vscode: {
      description: "VS Code remote sessions to compute instances",
      fqdns: [
        "update.code.visualstudio.com",
        "marketplace.visualstudio.com",
        "vscode.download.prss.microsoft.com",
        "*.vscode-cdn.net",
      ],
      serviceTags: [],
    },
    "azure-open-datasets": {
      description: "Azure Open Datasets",
      fqdns: [],
      serviceTags: [{ serviceTag: "AzureOpenDatasets", protocol: "TCP", portRanges: "443" }],
    },
  },
  /**
   * 2026.11 checked against Microsoft's scenario lists (deploy-audit M7):
   * - no `mcr`: the required service-tag rules `MicrosoftContainerRegistry` and
   *   `AzureFrontDoor.FirstParty` already reach mcr.microsoft.com and its data endpoints;
   * - `conda`, `pytorch`: Microsoft's recommended hosts (the wildcards cover the package hosts
   *   conda.anaconda.org, repo.anaconda.com and download.pytorch.org); conda-forge.org, the
   *   project's website, is gone; `tensorflow` is new;
   * - `vscode`: Microsoft's whole Visual Studio Code list (the compute instance downloads the
   *   VS Code server and extensions, and serves vscode.dev tunnels). Its
   *   `vscode.blob.core.windows.net` is a storage host: Microsoft lists it although the same
   *   page says FQDN rules cannot reach storage accounts in approved-outbound mode;
   * - `huggingface`: the Hub and every Hugging Face download host: downloads redirect from
   *   huggingface.co to Xet (`*.xethub.hf.co`) and CDN hosts (`cdn-lfs-*.hf.co`) that change over
   *   time, so the `*.hf.co` wildcard (Hugging Face hub-docs, "Downloading behind a proxy or
   *   firewall"; Microsoft adds `*.huggingface.co` and `*.xethub.hf.co`, azure-ai-docs PR #748);
   * - `dockerhub` is new and opt-in: the Docker Hub hosts of Microsoft's "Use HuggingFace models"
   *   scenario (model catalog deployments pull serving images from Docker Hub). Not part of
   *   `huggingface`, and not a default: Docker Hub also accepts pushes, a way out for data;
   * - `github`: GitHub now serves release downloads from release-assets.githubusercontent.com
   *   (the redirect target of github.com/<repo>/releases/download since 2025).
   */
  "2026.12": {
    pypi: {
      description: "Python packages from PyPI (pip install)",
      fqdns: ["pypi.org", "files.pythonhosted.org"],
      serviceTags: [],
    },
    conda: {
      description: "Conda packages from the Anaconda channels and conda-forge (served from anaconda.org)",
      fqdns: ["anaconda.com", "*.anaconda.com", "*.anaconda.org"],
      serviceTags: [],
    },
    pytorch: {
      description: "PyTorch wheels and downloads from pytorch.org",
      fqdns: ["pytorch.org", "*.pytorch.org"],
      serviceTags: [],
    },
    tensorflow: {
      description: "TensorFlow downloads from tensorflow.org",
      fqdns: ["*.tensorflow.org"],
      serviceTags: [],
    },
    huggingface: {
      description: "Hugging Face Hub models and datasets, including their Xet and CDN download hosts",
      fqdns: ["huggingface.co", "*.huggingface.co", "*.hf.co"],
      serviceTags: [],
    },
    dockerhub: {
      description: "Docker Hub images (Microsoft's Hugging Face model scenario); Docker Hub also accepts pushes",
      fqdns: ["docker.io", "*.docker.io", "*.docker.com", "production.cloudflare.docker.com", "cdn.auth0.com"],
      serviceTags: [],
    },
    github: {
      description: "Source and release downloads from GitHub",
      fqdns: [
        "github.com",
        "codeload.github.com",
        "raw.githubusercontent.com",
        "objects.githubusercontent.com",
        "release-assets.githubusercontent.com",
      ],
      serviceTags: [],
    },
    vscode: {
      description: "VS Code desktop and web sessions to compute instances (server, extensions, vscode.dev)",
      fqdns: [
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
export const LATEST_OUTBOUND_PRESET_VERSION = "2026.12" satisfies OutboundPresetVersion;

/**
 * Presets enabled when config names none, per version (frozen with the version): what a typical
 * training/inference workload needs. A stack that pins an older version keeps that version's
 * default list.
 */
export const DEFAULT_OUTBOUND_PRESETS_BY_VERSION = {
  "2026.11": ["pypi", "conda", "mcr", "pytorch", "huggingface", "github"],
  "2026.12": ["pypi", "conda", "pytorch", "huggingface", "github"],
} as const satisfies Record<OutboundPresetVersion, readonly string[]>;

/** The latest version's default presets. */
export const DEFAULT_OUTBOUND_PRESETS = DEFAULT_OUTBOUND_PRESETS_BY_VERSION[LATEST_OUTBOUND_PRESET_VERSION];

/** The presets a stack enables: the ones it names, or its pinned version's defaults when it names none. */
export function enabledOutboundPresets(outbound: {
  presetVersion: string;
  presets?: readonly string[];
}): readonly string[] {
  if (outbound.presets !== undefined) return outbound.presets;
  return Object.hasOwn(DEFAULT_OUTBOUND_PRESETS_BY_VERSION, outbound.presetVersion)
    ? DEFAULT_OUTBOUND_PRESETS_BY_VERSION[outbound.presetVersion as OutboundPresetVersion]
    : [];
}

/** Preset names available in a version. */
export function outboundPresetNames(version: OutboundPresetVersion): string[] {
  return Object.keys(OUTBOUND_PRESETS[version]);
}

/** Look up a preset; undefined when the version has no preset of that name. */
export function findOutboundPreset(version: OutboundPresetVersion, name: string): OutboundPreset | undefined {
  const presets: Record<string, OutboundPreset> = OUTBOUND_PRESETS[version];
  return Object.hasOwn(presets, name) ? presets[name] : undefined;
}
