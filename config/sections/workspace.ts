import { z } from "zod";
import {
  CLOUDS,
  LATEST_OUTBOUND_PRESET_VERSION,
  OUTBOUND_PRESET_VERSIONS,
  OutboundPresetVersion,
  findOutboundPreset,
  isExamplePersonaGroupId,
  outboundPresetNames,
} from "secure-azureml-facts";
import { cloudOf } from "../shared/cloud";
import type { ConfigProblem, ConfigRule } from "../shared/errors";
import { FQDN, GUID, armIdPattern, isPortRangeList } from "../shared/patterns";
import { keyVaultId, matching, objectId } from "../shared/primitives";
import { RawRecord, recordAt } from "../shared/raw";
import { duplicates, parseWith, stringEntries } from "../shared/rawParse";

/**
 * The `workspace` (with its managed network's `outbound` rules and customer-managed key) and
 * `personas` sections, their cross-field rules, and the check of the shipped example group ids.
 */

const PORT_RANGES_MESSAGE =
  "must be * or ports 1-65535 and ascending ranges, comma-separated, e.g. 443, 80,443 or 8000-8080 (quote it in YAML)";

const serviceTagRule = z.strictObject({
  serviceTag: matching(
    /^[A-Za-z][A-Za-z0-9.]*$/,
    "must be an Azure service tag name, e.g. AzureOpenDatasets or Storage.WestEurope",
  ).describe("An Azure service tag name: letters, digits and dots, e.g. AzureOpenDatasets or Storage.WestEurope."),
  protocol: z.enum(["TCP", "UDP", "ICMP", "*"]).default("TCP").describe("Protocol of the service-tag rule."),
  portRanges: z
    .string(PORT_RANGES_MESSAGE)
    .refine(isPortRangeList, PORT_RANGES_MESSAGE)
    .default("443")
    .describe('* or comma-separated ports 1-65535 and ascending ranges (quote it): "443", "80,443", "8000-8080".'),
});

const customerManagedKey = z.strictObject({
  keyVaultId: keyVaultId.describe(
    "Resource id of the Key Vault holding the key (soft delete and purge protection on). One-way.",
  ),
  keyUri: z
    .string("must be a key URI https://<vault>.<Key Vault DNS suffix>/keys/<name>[/<version>]")
    .describe(
      "Key URI, https://<vault>.<Key Vault DNS suffix of the cloud>/keys/<name>[/<32-hex-digit version>], in the vault keyVaultId names. One-way.",
    ),
});

/** The workspace managed network's outbound settings (`workspace.outbound`). */
export const outboundSchema = z.strictObject({
  mode: z
    .enum(["AllowOnlyApprovedOutbound", "AllowInternetOutbound"])
    .default("AllowOnlyApprovedOutbound")
    .describe(
      "Managed network isolation mode. One-way when relaxing: the workspace can never go back from an allowlist to internet outbound without replacement.",
    ),
  presetVersion: z
    .enum(OUTBOUND_PRESET_VERSIONS as [string, ...string[]])
    .default(LATEST_OUTBOUND_PRESET_VERSION)
    .describe("Version of the outbound preset catalogue (quote it); defaults to the latest version."),
  /** Absent: the pinned version's default presets (`enabledOutboundPresets`), so each version keeps its own default list. */
  presets: z
    .array(z.string("must be an outbound preset name, e.g. pypi"))
    .optional()
    .describe(
      "Outbound presets of the pinned version, each at most once; default: the version's default list. [] allows only Azure ML's own required rules.",
    ),
  extraFqdns: z
    .array(matching(FQDN, "must be a host name like example.com or *.example.com"))
    .default([])
    .describe(
      "Extra host names the managed network may reach (example.com or *.example.com); only with AllowOnlyApprovedOutbound.",
    ),
  extraServiceTags: z
    .array(serviceTagRule)
    .default([])
    .describe("Extra service-tag outbound rules; only with AllowOnlyApprovedOutbound."),
  firewallSku: z
    .enum(["Standard", "Basic"])
    .default("Standard")
    .describe("SKU of the managed network's Azure Firewall, created when FQDN rules are needed."),
});

export const workspaceSchema = z.strictObject({
  friendlyName: z
    .string()
    .max(256, "must be at most 256 characters")
    .optional()
    .describe("Display name shown in the studio."),
  description: z
    .string()
    .max(1024, "must be at most 1024 characters")
    .optional()
    .describe("Description shown in the studio."),
  highBusinessImpact: z
    .boolean()
    .default(true)
    .describe(
      "High-business-impact flag (hbiWorkspace): less diagnostic data, encrypted and cleaned scratch disks. One-way.",
    ),
  customerManagedKey: customerManagedKey
    .optional()
    .describe("Encrypt the workspace's data with your key in your Key Vault; default Microsoft-managed keys. One-way."),
  outbound: outboundSchema.prefault({}),
  /**
   * Batch endpoints may run on this workspace's clusters: adds private endpoint outbound rules to the
   * default storage account's queue and table, and Storage Queue/Table Data Contributor for the
   * cluster identity (Microsoft, managed network "Scenario: Use batch endpoints"). A serving stack
   * with batch endpoints requires it.
   */
  batchScoring: z
    .boolean()
    .default(false)
    .describe("Queue and table private endpoints and data roles that batch endpoints need."),
});

export const personasSchema = z.strictObject({
  dataScientists: z
    .array(objectId)
    .default([])
    .describe(
      "Microsoft Entra group object ids granted AzureML Data Scientist on the workspace and data roles on its storage.",
    ),
  mlEngineers: z
    .array(objectId)
    .default([])
    .describe("Microsoft Entra group object ids granted AzureML Compute Operator on the workspace."),
  readers: z.array(objectId).default([]).describe("Microsoft Entra group object ids granted Reader on the workspace."),
});

function outboundRules(raw: RawRecord): ConfigProblem[] {
  const outbound = recordAt(raw, "workspace", "outbound") ?? {};
  const shape = outboundSchema.shape;
  const mode = parseWith(shape.mode, outbound.mode);
  const version = parseWith(shape.presetVersion, outbound.presetVersion) as OutboundPresetVersion | undefined;
  const path = ["workspace", "outbound"];
  const presets = stringEntries(outbound.presets);
  const problems: ConfigProblem[] = [];
  if (version) {
    for (const [name, index] of presets) {
      if (!findOutboundPreset(version, name)) {
        problems.push({
          path: [...path, "presets", index],
          message: `is not an outbound preset in version ${version}; accepted: ${outboundPresetNames(version).join(", ")}`,
        });
      }
    }
  }
  problems.push(
    ...duplicates([...path, "presets"], presets, "preset"),
    ...duplicates([...path, "extraFqdns"], stringEntries(outbound.extraFqdns), "host name"),
  );
  const hasExtras = [outbound.extraFqdns, outbound.extraServiceTags].some(
    (list) => Array.isArray(list) && list.length > 0,
  );
  if (mode === "AllowInternetOutbound" && hasExtras) {
    problems.push({
      path: [...path, "mode"],
      message:
        "is AllowInternetOutbound, where outbound rules do not apply; use AllowOnlyApprovedOutbound or remove extraFqdns/extraServiceTags",
    });
  }
  return problems;
}

function customerManagedKeyRules(raw: RawRecord): ConfigProblem[] {
  const cmk = recordAt(raw, "workspace", "customerManagedKey");
  const cloud = cloudOf(raw);
  if (!cmk || !cloud || typeof cmk.keyUri !== "string") return [];
  const path = ["workspace", "customerManagedKey", "keyUri"];
  const dnsSuffix = CLOUDS[cloud].keyVaultDnsSuffix;
  const match = new RegExp(
    `^https://([a-z0-9-]{3,24})\\.${dnsSuffix.replace(/\./g, "\\.")}/keys/[A-Za-z0-9-]{1,127}(/[0-9a-f]{32})?$`,
    "i",
  ).exec(cmk.keyUri);
  if (!match) {
    return [
      {
        path,
        message: `must be a key URI https://<vault>.${dnsSuffix}/keys/<name>[/<32-hex-digit version>] (the Key Vault DNS suffix of ${cloud})`,
      },
    ];
  }
  const keyVaultId = cmk.keyVaultId;
  if (typeof keyVaultId !== "string" || !armIdPattern("Microsoft.KeyVault/vaults").test(keyVaultId)) return [];
  const vaultInId = keyVaultId.split("/").pop()?.toLowerCase();
  if (match[1].toLowerCase() !== vaultInId) {
    return [
      {
        path,
        message: `names vault ${match[1]} but keyVaultId names ${vaultInId ?? "no vault"}; the key must live in the vault keyVaultId names`,
      },
    ];
  }
  return [];
}

function personaRules(raw: RawRecord): ConfigProblem[] {
  const personas = recordAt(raw, "personas") ?? {};
  return Object.entries(personas).flatMap(([persona, ids]) =>
    duplicates(
      ["personas", persona],
      stringEntries(ids).filter(([id]) => GUID.test(id)),
      "group",
    ),
  );
}

/** Every rule of the `workspace` and `personas` sections. */
export const WORKSPACE_RULES: readonly ConfigRule[] = [outboundRules, customerManagedKeyRules, personaRules];

/** Whether the program runs under the offline planner (Pulumi mocks, `npm start`) or against Azure. */
export interface ExampleIdCheckOptions {
  /**
   * Required. `true` under the offline planner, where example ids are planned with a warning;
   * `false` for `pulumi preview` and `pulumi up`, where they are refused before anything is created.
   */
  offline: boolean;
}

/** What the check found: `problems` fail validation, `warnings` are only reported. */
export interface ExampleIdChecks {
  readonly problems: readonly ConfigProblem[];
  readonly warnings: readonly ConfigProblem[];
}

const WHAT_TO_PUT =
  "replace it with the object id of a Microsoft Entra group in your tenant (az ad group show --group <name> --query id -o tsv), or remove it";

/**
 * The example persona group ids the shipped stack files carry (deploy-audit B4). A role
 * assignment to a group that does not exist in the tenant fails with PrincipalNotFound, so a real
 * `pulumi preview`/`up` refuses them up front, naming the key and what to put there; the offline
 * planner plans them and warns. Reads the raw config: non-GUID values are the schema's to report.
 */
export function examplePersonaGroupChecks(raw: RawRecord, options: ExampleIdCheckOptions): ExampleIdChecks {
  const found: ConfigProblem[] = [];
  for (const [persona, ids] of Object.entries(recordAt(raw, "personas") ?? {})) {
    if (!Array.isArray(ids)) continue;
    ids.forEach((id: unknown, index) => {
      if (typeof id !== "string" || !isExamplePersonaGroupId(id)) return;
      const message = options.offline
        ? `is an example group id from the shipped stack files, planned offline only: a real deployment refuses it; ${WHAT_TO_PUT}`
        : `is an example group id from the shipped stack files, not a group in your tenant (its role assignments would fail with PrincipalNotFound); ${WHAT_TO_PUT}`;
      found.push({ path: ["personas", persona, index], message });
    });
  }
  return options.offline ? { problems: [], warnings: found } : { problems: found, warnings: [] };
}
