import Table from "cli-table3";
import { Plan } from "./contract";

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

/** Long ARM ids in the settings table are shown by their last segment. */
function displaySetting(value: unknown): string {
  const text = display(value);
  return text.startsWith("/subscriptions/") ? `.../${text.split("/").at(-1) ?? text}` : text;
}

/** Nested outputs (identities, endpoint ids) as dotted keys, one per row. */
function flatten(prefix: string, value: unknown): [string, unknown][] {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => flatten(prefix ? `${prefix}.${k}` : k, v));
  }
  return [[prefix, value]];
}

const TABLE_STYLE = { head: [], border: [], compact: true };

function resourceCounts(plan: Plan): Table.Table {
  const counts = new Map<string, number>();
  for (const r of plan.resources.filter((r) => r.custom)) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const table = new Table({ head: ["resource type", "count"], style: TABLE_STYLE });
  for (const [type, count] of [...counts.entries()].sort()) table.push([type, count]);
  table.push(["total", plan.resources.filter((r) => r.custom).length]);
  return table;
}

function keySettings(plan: Plan): Table.Table {
  const table = new Table({ head: ["resource", "setting", "value"], style: TABLE_STYLE });
  for (const r of plan.resources) {
    for (const [label, path] of Object.entries(KEY_SETTINGS[r.type] ?? {}))
      table.push([r.name, label, displaySetting(valueAt(r.inputs, path))]);
  }
  return table;
}

function outputs(plan: Plan): Table.Table {
  const table = new Table({ head: ["output", "value"], style: TABLE_STYLE });
  for (const [key, value] of flatten("", plan.outputs)) table.push([key, display(value)]);
  return table;
}

/** The URN's Pulumi project (`urn:pulumi:<stack>::<project>::...`). */
function projectOf(urn: string): string {
  return urn.split("::")[1] ?? "";
}

/** One line per layer, in deploy order, with its resource count and where it is deployed from. */
function layerLines(plan: Plan): string[] {
  const layers = plan.layers ?? [];
  if (layers.length < 2) return [];
  return [
    "Deploy order (one `pulumi up` per layer):",
    ...layers.map((layer, i) => {
      const count = plan.resources.filter((r) => r.custom && projectOf(r.urn) === layer.project).length;
      const where = i === 0 ? "repository root" : "serving/";
      return `  ${i + 1}. ${layer.project} (${where}): ${count} resources`;
    }),
  ];
}

/** The asset versions the serving layer checks before its `pulumi up` (its `requiredAssets` output). */
function requiredAssetLines(plan: Plan): string[] {
  const serving = (plan.layers ?? []).slice(1);
  const required = serving.flatMap((layer) =>
    Array.isArray(layer.outputs.requiredAssets)
      ? (layer.outputs.requiredAssets as { key: string; reference: string }[])
      : [],
  );
  if (required.length === 0) return [];
  return [
    "Register these before the serving `pulumi up` (it checks each one and creates nothing if one is missing):",
    ...required.map(
      (asset) => `  - ${asset.reference.replace(/^\/subscriptions\/.*\/workspaces\//, "workspace ")} (${asset.key})`,
    ),
  ];
}

/**
 * The human-readable plan summary `npm start` prints. `policy` is the policy check section
 * (the report of plan/policy, or why the check did not run).
 */
export function renderSummary(plan: Plan, source: string, policy = "Policy check: skipped."): string {
  const custom = plan.resources.filter((r) => r.custom);
  const protectedCount = custom.filter((r) => r.options.protect).length;
  const lines = [
    `Offline plan of stack "${plan.stack}" (project ${plan.project}) from ${source}`,
    `pulumi up would create ${custom.length} resources (${protectedCount} protected) in ${plan.resources.length - custom.length} components.`,
    "Ids and principal ids below are invented by the offline engine; names and settings are exactly what the program sends.",
    ...layerLines(plan),
    ...requiredAssetLines(plan),
    "",
    "Resources by type",
    resourceCounts(plan).toString(),
    "",
    "Key security settings",
    keySettings(plan).toString(),
    "",
    "Stack outputs",
    outputs(plan).toString(),
  ];
  if (plan.secretPlaceholders.length > 0) {
    lines.push(
      "",
      `Secret config values were not decrypted offline; placeholders were used for: ${plan.secretPlaceholders.join(", ")}`,
    );
  }
  if (plan.lateRegistrations.length > 0) {
    lines.push(
      "",
      `Warning: ${plan.lateRegistrations.length} resources were created inside .apply() or after an await: ${plan.lateRegistrations.join(", ")}`,
    );
  }
  lines.push("", policy);
  return lines.join("\n");
}
