import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { storagePolicies } from "../../policies/rules/storage";
import { planStackFile } from "../support/stack";
import { UNKNOWN } from "./support/harness";
import {
  blobContainer,
  blobService,
  fileService,
  mandatoryViolations,
  planViolations,
  storageAccount,
  vault,
  withProp,
} from "./fixtures/data";
import { MlRuleCases, describeMlRules } from "./fixtures/mlCases";

const account = storageAccount();
/** Microsoft's setup for sharing workspace assets into a registry: public endpoint on, closed to every network, one registry resource instance rule. */
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const REGISTRY_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-amlprod/providers/Microsoft.MachineLearningServices/registries/mlr-amlprod";
const sharedWithRegistry = withProp(
  withProp(account, "publicNetworkAccess", "Enabled"),
  "networkRuleSet.resourceAccessRules",
  [{ tenantId: TENANT, resourceId: REGISTRY_ID }],
);
const withAccessRules = (rules: unknown) => withProp(sharedWithRegistry, "networkRuleSet.resourceAccessRules", rules);
const blob = blobService();
const files = fileService();
const container = blobContainer();

const table: MlRuleCases[] = [
  {
    policy: "storage-shared-key-disabled",
    compliant: [
      { title: "allowSharedKeyAccess false", resource: account },
      { title: "another resource type", resource: withProp(vault(), "allowSharedKeyAccess", true) },
    ],
    violations: [
      {
        title: "allowSharedKeyAccess true",
        resource: withProp(account, "allowSharedKeyAccess", true),
        messages: [/^allowSharedKeyAccess is true: .*set it to false/],
      },
      {
        title: "allowSharedKeyAccess absent (Azure: true)",
        resource: withProp(account, "allowSharedKeyAccess", undefined),
        messages: [/^allowSharedKeyAccess is not set \(Azure treats a missing value as true\)/],
      },
    ],
    unknown: [
      { title: "allowSharedKeyAccess unknown", resource: withProp(account, "allowSharedKeyAccess", UNKNOWN.boolean) },
    ],
  },
  {
    policy: "storage-blob-public-access-disabled",
    compliant: [
      { title: "allowBlobPublicAccess false", resource: account },
      { title: 'string "false"', resource: withProp(account, "allowBlobPublicAccess", "false") },
    ],
    violations: [
      {
        title: "allowBlobPublicAccess true",
        resource: withProp(account, "allowBlobPublicAccess", true),
        messages: [/^allowBlobPublicAccess is true: containers can be made readable anonymously/],
      },
      {
        title: "allowBlobPublicAccess absent",
        resource: withProp(account, "allowBlobPublicAccess", undefined),
        messages: [/^allowBlobPublicAccess is not set \(only new accounts default to false/],
      },
    ],
    unknown: [
      { title: "allowBlobPublicAccess unknown", resource: withProp(account, "allowBlobPublicAccess", UNKNOWN.boolean) },
    ],
  },
  {
    policy: "storage-public-network-disabled",
    compliant: [
      { title: "Disabled", resource: account },
      { title: "any case", resource: withProp(account, "publicNetworkAccess", "disabled") },
      {
        title: "Enabled, closed to every network, open only to an Azure ML registry (sharing from the workspace)",
        resource: sharedWithRegistry,
      },
      {
        title: "open only to two Azure ML registries, ipRules and virtualNetworkRules absent, any case",
        resource: withProp(
          withProp(
            withAccessRules([
              { tenantId: TENANT, resourceId: REGISTRY_ID },
              { resourceId: REGISTRY_ID.replace("mlr-amlprod", "mlr-shared").toLowerCase() },
            ]),
            "networkRuleSet.ipRules",
            undefined,
          ),
          "networkRuleSet.virtualNetworkRules",
          undefined,
        ),
      },
      {
        title: "Disabled ignores the firewall when the exception is off",
        resource: account,
        config: { allowMlRegistryResourceAccess: false },
      },
    ],
    violations: [
      {
        title: "Enabled without resource access rules (nothing needs the public endpoint)",
        resource: withProp(account, "publicNetworkAccess", "Enabled"),
        messages: [
          /^publicNetworkAccess is "Enabled": the account's public endpoint is reachable \(networkRuleSet.resourceAccessRules is empty .*\); set it to "Disabled", or, to let only an Azure ML registry in/,
        ],
      },
      {
        title: "SecuredByPerimeter",
        resource: withProp(account, "publicNetworkAccess", "SecuredByPerimeter"),
        messages: [/^publicNetworkAccess is "SecuredByPerimeter": .*; set it to "Disabled"\.$/],
      },
      {
        title: "SecuredByPerimeter even with only a registry rule",
        resource: withProp(sharedWithRegistry, "publicNetworkAccess", "SecuredByPerimeter"),
        messages: [/^publicNetworkAccess is "SecuredByPerimeter"/],
      },
      {
        title: "absent (Azure: Enabled)",
        resource: withProp(account, "publicNetworkAccess", undefined),
        messages: [/^publicNetworkAccess is not set \(Azure defaults to Enabled\)/],
      },
      {
        title: "absent, even with only a registry rule (the exception needs an explicit Enabled)",
        resource: withProp(sharedWithRegistry, "publicNetworkAccess", undefined),
        messages: [
          /^publicNetworkAccess is not set \(Azure defaults to Enabled\): the account's public endpoint is reachable; set it to "Disabled"\.$/,
        ],
      },
      {
        title: "a registry rule next to a resource instance of another type",
        resource: withAccessRules([
          { tenantId: TENANT, resourceId: REGISTRY_ID },
          {
            tenantId: TENANT,
            resourceId:
              "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Synapse/workspaces/syn-data",
          },
        ]),
        messages: [
          /\(networkRuleSet.resourceAccessRules admits ".*Microsoft.Synapse\/workspaces\/syn-data", which is not one Microsoft.MachineLearningServices\/registries resource\)/,
        ],
      },
      {
        title: "an Azure ML workspace (not a registry) as resource instance",
        resource: withAccessRules([
          { tenantId: TENANT, resourceId: REGISTRY_ID.replace("registries/mlr-amlprod", "workspaces/mlw-dev") },
        ]),
        messages: [
          /admits ".*workspaces\/mlw-dev", which is not one Microsoft.MachineLearningServices\/registries resource/,
        ],
      },
      {
        title: "a registry's sub-resource, or a wildcard, as resource instance",
        resource: withAccessRules([
          { resourceId: `${REGISTRY_ID}/models/churn` },
          { resourceId: REGISTRY_ID.replace("mlr-amlprod", "*") },
          { tenantId: TENANT },
        ]),
        messages: [
          /admits ".*\/models\/churn".*; networkRuleSet.resourceAccessRules admits ".*registries\/\*".*; networkRuleSet.resourceAccessRules admits not set, which is not/,
        ],
      },
      {
        title: "a registry rule next to an IP rule",
        resource: withProp(sharedWithRegistry, "networkRuleSet.ipRules", [
          { iPAddressOrRange: "203.0.113.0/24", action: "Allow" },
        ]),
        messages: [/\(networkRuleSet.ipRules has 1 rule\)/],
        alsoTrips: ["storage-no-ip-rules"],
      },
      {
        title: "a registry rule next to a virtual network rule",
        resource: withProp(sharedWithRegistry, "networkRuleSet.virtualNetworkRules", [
          {
            virtualNetworkResourceId:
              "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
          },
        ]),
        messages: [/\(networkRuleSet.virtualNetworkRules has 1 rule\)/],
      },
      {
        title: "a registry rule with defaultAction Allow",
        resource: withProp(sharedWithRegistry, "networkRuleSet.defaultAction", "Allow"),
        messages: [/\(networkRuleSet.defaultAction is "Allow"\)/],
        alsoTrips: ["storage-network-default-deny"],
      },
      {
        title: "a registry rule without a network rule set",
        resource: withProp(sharedWithRegistry, "networkRuleSet", undefined),
        messages: [/\(networkRuleSet is not set \(Azure defaults to defaultAction Allow\)\)/],
        alsoTrips: ["storage-network-default-deny"],
      },
      {
        title: "only a registry rule, but the exception turned off (allowMlRegistryResourceAccess false)",
        resource: sharedWithRegistry,
        config: { allowMlRegistryResourceAccess: false },
        messages: [
          /^publicNetworkAccess is "Enabled": the account's public endpoint is reachable; set it to "Disabled"\.$/,
        ],
      },
    ],
    unknown: [
      { title: "publicNetworkAccess unknown", resource: withProp(account, "publicNetworkAccess", UNKNOWN.string) },
      {
        title: "the registry id unknown (a registry created in the same stack, first preview)",
        resource: withAccessRules([{ tenantId: TENANT, resourceId: UNKNOWN.string }]),
      },
      { title: "resourceAccessRules unknown", resource: withAccessRules(UNKNOWN.object) },
      {
        title: "defaultAction unknown with public network access Enabled",
        resource: withProp(sharedWithRegistry, "networkRuleSet.defaultAction", UNKNOWN.string),
      },
    ],
  },
  {
    policy: "storage-network-default-deny",
    compliant: [
      { title: "Deny", resource: account },
      { title: "any case", resource: withProp(account, "networkRuleSet.defaultAction", "deny") },
    ],
    violations: [
      {
        title: "Allow",
        resource: withProp(account, "networkRuleSet.defaultAction", "Allow"),
        messages: [/^networkRuleSet.defaultAction is "Allow": .*set it to "Deny"/],
      },
      {
        title: "defaultAction absent",
        resource: withProp(account, "networkRuleSet.defaultAction", undefined),
        messages: [/^networkRuleSet.defaultAction is not set \(Azure defaults to Allow\)/],
      },
      {
        title: "networkRuleSet absent (Azure: Allow)",
        resource: withProp(account, "networkRuleSet", undefined),
        messages: [/^networkRuleSet is not set \(Azure defaults to defaultAction Allow\)/],
      },
    ],
    unknown: [
      { title: "defaultAction unknown", resource: withProp(account, "networkRuleSet.defaultAction", UNKNOWN.string) },
      { title: "networkRuleSet unknown", resource: withProp(account, "networkRuleSet", UNKNOWN.object) },
    ],
  },
  {
    policy: "storage-no-ip-rules",
    compliant: [
      { title: "ipRules empty", resource: account },
      { title: "ipRules absent", resource: withProp(account, "networkRuleSet.ipRules", undefined) },
    ],
    violations: [
      {
        title: "an IP rule",
        resource: withProp(account, "networkRuleSet.ipRules", [
          { iPAddressOrRange: "203.0.113.0/24", action: "Allow" },
        ]),
        messages: [/^networkRuleSet.ipRules allows "203.0.113.0\/24": public addresses can reach the account/],
      },
      {
        title: "two IP rules",
        resource: withProp(account, "networkRuleSet.ipRules", [
          { iPAddressOrRange: "203.0.113.7" },
          { iPAddressOrRange: "198.51.100.0/24" },
        ]),
        messages: [/allows "203.0.113.7", "198.51.100.0\/24"/],
      },
    ],
    unknown: [{ title: "ipRules unknown", resource: withProp(account, "networkRuleSet.ipRules", UNKNOWN.object) }],
  },
  {
    policy: "storage-https-only",
    compliant: [
      { title: "enableHttpsTrafficOnly true", resource: account },
      {
        title: "absent (Azure: true since 2019-04-01)",
        resource: withProp(account, "enableHttpsTrafficOnly", undefined),
      },
    ],
    violations: [
      {
        title: "enableHttpsTrafficOnly false",
        resource: withProp(account, "enableHttpsTrafficOnly", false),
        messages: [/^enableHttpsTrafficOnly is false: requests over plain HTTP are accepted/],
      },
    ],
    unknown: [
      {
        title: "enableHttpsTrafficOnly unknown",
        resource: withProp(account, "enableHttpsTrafficOnly", UNKNOWN.boolean),
      },
    ],
  },
  {
    policy: "storage-min-tls-version",
    compliant: [
      { title: "TLS1_2", resource: account },
      { title: "TLS1_3", resource: withProp(account, "minimumTlsVersion", "TLS1_3") },
      {
        title: "TLS1_3 when the config asks for TLS1_3",
        resource: withProp(account, "minimumTlsVersion", "TLS1_3"),
        config: { minimumTlsVersion: "TLS1_3" },
      },
    ],
    violations: [
      {
        title: "TLS1_0",
        resource: withProp(account, "minimumTlsVersion", "TLS1_0"),
        messages: [/^minimumTlsVersion is "TLS1_0": set it to "TLS1_2" or later/],
      },
      {
        title: "TLS1_1",
        resource: withProp(account, "minimumTlsVersion", "TLS1_1"),
        messages: [/^minimumTlsVersion is "TLS1_1"/],
      },
      {
        title: "absent (API default TLS1_0)",
        resource: withProp(account, "minimumTlsVersion", undefined),
        messages: [/^minimumTlsVersion is not set \(the API documents TLS1_0 as the default\)/],
      },
      {
        title: "TLS1_2 when the config asks for TLS1_3",
        resource: account,
        config: { minimumTlsVersion: "TLS1_3" },
        messages: [/^minimumTlsVersion is "TLS1_2": set it to "TLS1_3" or later/],
      },
    ],
    unknown: [{ title: "minimumTlsVersion unknown", resource: withProp(account, "minimumTlsVersion", UNKNOWN.string) }],
  },
  {
    policy: "storage-cross-tenant-replication-disabled",
    compliant: [{ title: "allowCrossTenantReplication false", resource: account }],
    violations: [
      {
        title: "allowCrossTenantReplication true",
        resource: withProp(account, "allowCrossTenantReplication", true),
        messages: [/^allowCrossTenantReplication is true: blobs can be replicated to an account in another tenant/],
      },
      {
        title: "absent",
        resource: withProp(account, "allowCrossTenantReplication", undefined),
        messages: [/^allowCrossTenantReplication is not set/],
      },
    ],
    unknown: [
      {
        title: "allowCrossTenantReplication unknown",
        resource: withProp(account, "allowCrossTenantReplication", UNKNOWN.boolean),
      },
    ],
  },
  {
    policy: "storage-local-users-disabled",
    compliant: [
      { title: "isLocalUserEnabled false", resource: account },
      { title: 'string "false"', resource: withProp(account, "isLocalUserEnabled", "false") },
      { title: "another resource type", resource: withProp(blob, "isLocalUserEnabled", true) },
    ],
    violations: [
      {
        title: "true",
        resource: withProp(account, "isLocalUserEnabled", true),
        messages: [
          /^isLocalUserEnabled is true: local users can sign in with passwords, SSH keys or shared keys outside Microsoft Entra ID; set it to false\.$/,
        ],
      },
      {
        title: "absent (no documented default)",
        resource: withProp(account, "isLocalUserEnabled", undefined),
        messages: [/^isLocalUserEnabled is not set \(the API documents no default\): local users can sign in/],
      },
    ],
    unknown: [
      { title: "isLocalUserEnabled unknown", resource: withProp(account, "isLocalUserEnabled", UNKNOWN.boolean) },
    ],
  },
  {
    policy: "storage-sftp-disabled",
    compliant: [
      { title: "isSftpEnabled false", resource: account },
      { title: "another resource type", resource: withProp(files, "isSftpEnabled", true) },
    ],
    violations: [
      {
        title: "true",
        resource: withProp(account, "isSftpEnabled", true),
        messages: [
          /^isSftpEnabled is true: the account serves an SFTP endpoint that authenticates local users, not Microsoft Entra ID; set it to false\.$/,
        ],
      },
      {
        title: "absent (no documented default)",
        resource: withProp(account, "isSftpEnabled", undefined),
        messages: [/^isSftpEnabled is not set \(the API documents no default\): the account serves an SFTP endpoint/],
      },
    ],
    unknown: [{ title: "isSftpEnabled unknown", resource: withProp(account, "isSftpEnabled", UNKNOWN.boolean) }],
  },
  {
    policy: "storage-file-share-soft-delete",
    compliant: [
      { title: "enabled for 30 days", resource: files },
      { title: "exactly the minimum", resource: withProp(files, "shareDeleteRetentionPolicy.days", 7) },
      { title: "30 days with the prod 30-day minimum", resource: files, config: { minRetentionDays: 30 } },
      {
        title: "a blob service is not checked",
        resource: withProp(blob, "shareDeleteRetentionPolicy", { enabled: false }),
      },
    ],
    violations: [
      {
        title: "disabled",
        resource: withProp(files, "shareDeleteRetentionPolicy.enabled", false),
        messages: [
          /^shareDeleteRetentionPolicy.enabled is false: deleted file shares cannot be recovered; set it to true with shareDeleteRetentionPolicy.days of at least 7\.$/,
        ],
      },
      {
        title: "too short",
        resource: withProp(files, "shareDeleteRetentionPolicy.days", 6),
        messages: [
          /^shareDeleteRetentionPolicy.days is 6: deleted file shares must stay recoverable for at least 7 days/,
        ],
      },
      {
        title: "days absent",
        resource: withProp(files, "shareDeleteRetentionPolicy.days", undefined),
        messages: [/^shareDeleteRetentionPolicy.days is not set/],
      },
      {
        title: "policy absent (off by default)",
        resource: withProp(files, "shareDeleteRetentionPolicy", undefined),
        messages: [/^shareDeleteRetentionPolicy is not set \(soft delete is off by default\): deleted file shares/],
      },
      {
        title: "below a configured minimum",
        resource: files,
        config: { minRetentionDays: 60 },
        messages: [/^shareDeleteRetentionPolicy.days is 30: .*at least 60 days/],
      },
    ],
    unknown: [
      { title: "policy unknown", resource: withProp(files, "shareDeleteRetentionPolicy", UNKNOWN.object) },
      { title: "enabled unknown", resource: withProp(files, "shareDeleteRetentionPolicy.enabled", UNKNOWN.boolean) },
      { title: "days unknown", resource: withProp(files, "shareDeleteRetentionPolicy.days", UNKNOWN.string) },
    ],
  },
  {
    policy: "storage-infrastructure-encryption",
    compliant: [{ title: "requireInfrastructureEncryption true", resource: account }],
    violations: [
      {
        title: "false",
        resource: withProp(account, "encryption.requireInfrastructureEncryption", false),
        messages: [/^encryption.requireInfrastructureEncryption is false: data at rest has a single encryption layer/],
      },
      {
        title: "absent",
        resource: withProp(account, "encryption.requireInfrastructureEncryption", undefined),
        messages: [/^encryption.requireInfrastructureEncryption is not set \(off by default\)/],
      },
      {
        title: "encryption absent",
        resource: withProp(account, "encryption", undefined),
        messages: [/^encryption.requireInfrastructureEncryption is not set/],
      },
    ],
    unknown: [{ title: "encryption unknown", resource: withProp(account, "encryption", UNKNOWN.object) }],
  },
  {
    policy: "storage-blob-soft-delete",
    compliant: [
      { title: "enabled for 30 days", resource: blob },
      { title: "exactly the minimum", resource: withProp(blob, "deleteRetentionPolicy.days", 7) },
      { title: "30 days with a 30-day minimum", resource: blob, config: { minRetentionDays: 30 } },
    ],
    violations: [
      {
        title: "disabled",
        resource: withProp(blob, "deleteRetentionPolicy.enabled", false),
        messages: [/^deleteRetentionPolicy.enabled is false: deleted blobs cannot be recovered/],
      },
      {
        title: "too short",
        resource: withProp(blob, "deleteRetentionPolicy.days", 3),
        messages: [/^deleteRetentionPolicy.days is 3: deleted blobs must stay recoverable for at least 7 days/],
      },
      {
        title: "days absent",
        resource: withProp(blob, "deleteRetentionPolicy.days", undefined),
        messages: [/^deleteRetentionPolicy.days is not set/],
      },
      {
        title: "policy absent (off by default)",
        resource: withProp(blob, "deleteRetentionPolicy", undefined),
        messages: [/^deleteRetentionPolicy is not set \(soft delete is off by default\)/],
      },
      {
        title: "below a configured minimum",
        resource: blob,
        config: { minRetentionDays: 60 },
        messages: [/^deleteRetentionPolicy.days is 30: .*at least 60 days/],
      },
    ],
    unknown: [
      { title: "enabled unknown", resource: withProp(blob, "deleteRetentionPolicy.enabled", UNKNOWN.boolean) },
      { title: "days unknown", resource: withProp(blob, "deleteRetentionPolicy.days", UNKNOWN.string) },
    ],
  },
  {
    policy: "storage-container-soft-delete",
    compliant: [
      { title: "enabled for 30 days", resource: blob },
      {
        title: "another resource type",
        resource: withProp(account, "containerDeleteRetentionPolicy", { enabled: false }),
      },
    ],
    violations: [
      {
        title: "disabled",
        resource: withProp(blob, "containerDeleteRetentionPolicy.enabled", false),
        messages: [/^containerDeleteRetentionPolicy.enabled is false: deleted containers cannot be recovered/],
      },
      {
        title: "too short",
        resource: withProp(blob, "containerDeleteRetentionPolicy.days", 1),
        messages: [/^containerDeleteRetentionPolicy.days is 1: .*at least 7 days/],
      },
      {
        title: "policy absent (off by default)",
        resource: withProp(blob, "containerDeleteRetentionPolicy", undefined),
        messages: [/^containerDeleteRetentionPolicy is not set/],
      },
    ],
    unknown: [{ title: "policy unknown", resource: withProp(blob, "containerDeleteRetentionPolicy", UNKNOWN.object) }],
  },
  {
    policy: "storage-blob-versioning",
    compliant: [{ title: "isVersioningEnabled true", resource: blob }],
    violations: [
      {
        title: "false",
        resource: withProp(blob, "isVersioningEnabled", false),
        messages: [/^isVersioningEnabled is false: .*set it to true/],
      },
      {
        title: "absent (off by default)",
        resource: withProp(blob, "isVersioningEnabled", undefined),
        messages: [/^isVersioningEnabled is not set \(off by default\)/],
      },
    ],
    unknown: [
      { title: "isVersioningEnabled unknown", resource: withProp(blob, "isVersioningEnabled", UNKNOWN.boolean) },
    ],
  },
  {
    policy: "storage-container-private",
    compliant: [
      { title: "publicAccess None", resource: container },
      { title: "publicAccess absent (Azure: None)", resource: withProp(container, "publicAccess", undefined) },
    ],
    violations: [
      {
        title: "Blob",
        resource: withProp(container, "publicAccess", "Blob"),
        messages: [/^publicAccess is "Blob": anyone on the internet can read the container's blobs; set it to "None"/],
      },
      {
        title: "Container",
        resource: withProp(container, "publicAccess", "Container"),
        messages: [/^publicAccess is "Container": .* and list them/],
      },
    ],
    unknown: [{ title: "publicAccess unknown", resource: withProp(container, "publicAccess", UNKNOWN.string) }],
  },
];

describeMlRules("storage", /^storage-/, storagePolicies, table);

describe("storage rules on the shipped stacks", () => {
  let plans: Plan[];
  beforeAll(async () => {
    plans = [await planStackFile("dev"), await planStackFile("prod")];
  });

  it("find no mandatory violation in dev or prod", async () => {
    for (const plan of plans) expect(await mandatoryViolations(plan, storagePolicies)).toEqual([]);
  });

  it("find nothing at all, and can check every storage resource", async () => {
    for (const plan of plans) {
      expect(plan.resources.some((r) => r.type === "azure-native:storage:StorageAccount")).toBe(true);
      expect(await planViolations(plan, storagePolicies)).toEqual([]);
    }
  });

  it("find nothing at all on a dev stack that publishes to prod's registry (its storage admits the registry)", async () => {
    const publishing = await planStackFile("dev", undefined, {
      "secure-azureml:mlRegistry": JSON.stringify({
        enabled: true,
        mode: "publish",
        existingRegistryId: REGISTRY_ID.replace(
          "00000000-0000-0000-0000-000000000000",
          "5d1c3b2a-9e8f-4a7b-8c6d-1e2f3a4b5c6d",
        ),
        shareFromWorkspace: true,
      }),
    });
    expect(
      publishing.resources.find((r) => r.type === "azure-native:storage:StorageAccount")?.inputs.publicNetworkAccess,
    ).toBe("Enabled");
    expect(await planViolations(publishing, storagePolicies)).toEqual([]);
    // Without the exception, the same stack is a violation of storage-public-network-disabled only.
    const strict = await planViolations(publishing, storagePolicies, {
      "storage-public-network-disabled": { allowMlRegistryResourceAccess: false },
    });
    expect(strict.map((v) => v.policy)).toEqual(["storage-public-network-disabled"]);
  });

  it("hold with the prod policy thresholds (30-day soft delete)", async () => {
    const config = {
      "storage-blob-soft-delete": { minRetentionDays: 30 },
      "storage-container-soft-delete": { minRetentionDays: 30 },
      "storage-file-share-soft-delete": { minRetentionDays: 30 },
    };
    expect(await planViolations(plans[1], storagePolicies, config)).toEqual([]);
  });
});

describe("storage rules the baseline needs blocking", () => {
  it.each([
    "storage-local-users-disabled",
    "storage-sftp-disabled",
    "storage-file-share-soft-delete",
    "storage-infrastructure-encryption",
  ])("%s is mandatory", (name) => {
    expect(storagePolicies.find((p) => p.name === name)?.enforcementLevel).toBe("mandatory");
  });
});
