import { Plan } from "../contract";
import { PolicyReport } from "../policy/report";
import { renderReport } from "../report/renderPolicy";
import { renderTextTable } from "./table";
import { wrapLines, wrapText } from "./text";

/**
 * The full tables `npm start -- --details` prints after the summary: resources by type, the key
 * security settings, the stack outputs, the config warnings and the policy report. Cost and deploy
 * time have their own renderers (plan/cost/render.ts, plan/deployTime/render.ts). Every section fits
 * `width` columns.
 */

/** Settings a reviewer checks first, per resource type: label -> property path in the inputs. */
const KEY_SETTINGS: Partial<Record<string, Record<string, string>>> = {
  "azure-native:machinelearningservices:Workspace": {
    "public network access": "publicNetworkAccess",
    "managed network": "managedNetwork.isolationMode",
    "primary identity": "primaryUserAssignedIdentity",
    "system datastores auth": "systemDatastoresAuthMode",
    "serverless no public IP": "serverlessComputeSettings.serverlessComputeNoPublicIP",
    "high business impact": "hbiWorkspace",
  },
  "azure-native:storage:StorageAccount": {
    "shared key access": "allowSharedKeyAccess",
    "blob public access": "allowBlobPublicAccess",
    "public network access": "publicNetworkAccess",
    "network default action": "networkRuleSet.defaultAction",
    "minimum TLS": "minimumTlsVersion",
    "infrastructure encryption": "encryption.requireInfrastructureEncryption",
  },
  "azure-native:keyvault:Vault": {
    "RBAC authorization": "properties.enableRbacAuthorization",
    "purge protection": "properties.enablePurgeProtection",
    "public network access": "properties.publicNetworkAccess",
    "network default action": "properties.networkAcls.defaultAction",
  },
  "azure-native:containerregistry:Registry": {
    sku: "sku.name",
    "admin user": "adminUserEnabled",
    "anonymous pull": "anonymousPullEnabled",
    "public network access": "publicNetworkAccess",
    "export policy": "policies.exportPolicy.status",
  },
  "azure-native:operationalinsights:Workspace": {
    "local auth disabled": "features.disableLocalAuth",
    "retention days": "retentionInDays",
  },
  "azure-native:applicationinsights:Component": {
    "local auth disabled": "disableLocalAuth",
    "ingestion mode": "ingestionMode",
  },
};

/** The sections `--details` can name; all of them when none is named. */
export const DETAIL_SECTIONS = [
  "resources",
  "settings",
  "outputs",
  "cost",
  "deploy-time",
  "policy",
  "warnings",
] as const;
export type DetailSection = (typeof DETAIL_SECTIONS)[number];

function valueAt(inputs: Record<string, unknown>, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (current, key) =>
        current && typeof current === "object" ? (current as Record<string, unknown>)[key] : undefined,
      inputs,
    );
}

function display(value: unknown): string {
  if (value === undefined) return "(not set)";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Nested outputs (identities, endpoint ids) as dotted keys, one per row. */
function flatten(prefix: string, value: unknown): [string, unknown][] {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => flatten(prefix ? `${prefix}.${k}` : k, v));
  }
  return [[prefix, value]];
}

/** Custom resources counted per type token, with the total. */
export function renderResourcesByType(plan: Plan, width: number): string {
  const counts = new Map<string, number>();
  const custom = plan.resources.filter((r) => r.custom);
  for (const r of custom) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const rows = [...counts.entries()].sort().map(([type, count]) => [type, String(count)]);
  return [
    "Resources by type",
    renderTextTable(["resource type", "count"], [...rows, ["total", String(custom.length)]], { width }),
  ].join("\n");
}

/** The settings a security reviewer checks first, per resource. */
export function renderKeySettings(plan: Plan, width: number): string {
  const rows = plan.resources.flatMap((r) =>
    Object.entries(KEY_SETTINGS[r.type] ?? {}).map(([label, path]) => [
      r.name,
      label,
      display(valueAt(r.inputs, path)),
    ]),
  );
  return ["Key security settings", renderTextTable(["resource", "setting", "value"], rows, { width })].join("\n");
}

/** Every stack output, nested ones as dotted keys; ARM ids shortened, long values wrapped. */
export function renderOutputs(plan: Plan, width: number): string {
  const rows = flatten("", plan.outputs).map(([key, value]) => [key, display(value)]);
  return ["Stack outputs", renderTextTable(["output", "value"], rows, { width })].join("\n");
}

/** The config warnings the programs logged, each in full. */
export function renderConfigWarnings(warnings: readonly string[], width: number): string {
  if (warnings.length === 0) return "Config warnings: none.";
  return [
    `Config warnings (${warnings.length})`,
    ...warnings.flatMap((warning) => wrapText(warning, width, { firstIndent: "- ", indent: "  " })),
  ].join("\n");
}

/** The policy check's full report (as `npm run policy` prints it), wrapped to the width. */
export function renderPolicyDetails(report: PolicyReport | undefined, skipped: string, width: number): string {
  if (!report) return `Policy check: ${skipped}`;
  return wrapLines(
    `Policy check (the Pulumi CLI's Analyzer protocol; \`npm run policy\` gates on it)\n${renderReport(report)}`,
    width,
    "    ",
  );
}
