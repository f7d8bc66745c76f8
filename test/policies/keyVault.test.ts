import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { keyVaultPolicies } from "../../policies/rules/keyVault";
import { planStackFile } from "../support/stack";
import { UNKNOWN } from "./support/harness";
import {
  epochInDays,
  key,
  mandatoryViolations,
  planViolations,
  secret,
  storageAccount,
  vault,
  withProp,
} from "./fixtures/data";
import { MlRuleCases, describeMlRules, shippedPolicyConfig } from "./fixtures/mlCases";

const kv = vault();
const cmk = key();
const token = secret();

const table: MlRuleCases[] = [
  {
    policy: "keyvault-rbac-authorization",
    compliant: [
      { title: "enableRbacAuthorization true", resource: kv },
      {
        title: "flattened property on another type is ignored",
        resource: withProp(storageAccount(), "properties.enableRbacAuthorization", false),
      },
    ],
    violations: [
      {
        title: "false (access policies)",
        resource: withProp(kv, "properties.enableRbacAuthorization", false),
        messages: [/^properties.enableRbacAuthorization is false: data access is governed by vault access policies/],
      },
      {
        title: "absent (API 2024-11-01: false)",
        resource: withProp(kv, "properties.enableRbacAuthorization", undefined),
        messages: [/^properties.enableRbacAuthorization is not set \(the API defaults to false\)/],
      },
      {
        title: "set at the top level instead of in properties",
        resource: withProp(
          withProp(kv, "properties.enableRbacAuthorization", undefined),
          "enableRbacAuthorization",
          true,
        ),
        messages: [/^properties.enableRbacAuthorization is not set/],
      },
    ],
    unknown: [
      {
        title: "enableRbacAuthorization unknown",
        resource: withProp(kv, "properties.enableRbacAuthorization", UNKNOWN.boolean),
      },
    ],
  },
  {
    policy: "keyvault-purge-protection",
    compliant: [{ title: "enablePurgeProtection true", resource: kv }],
    violations: [
      {
        title: "false",
        resource: withProp(kv, "properties.enablePurgeProtection", false),
        messages: [/^properties.enablePurgeProtection is false: a deleted vault or secret can be purged at once/],
      },
      {
        title: "absent (off by default)",
        resource: withProp(kv, "properties.enablePurgeProtection", undefined),
        messages: [/^properties.enablePurgeProtection is not set \(off by default\)/],
      },
    ],
    unknown: [{ title: "properties unknown", resource: withProp(kv, "properties", UNKNOWN.object) }],
  },
  {
    policy: "keyvault-soft-delete",
    compliant: [
      { title: "on, 90 days", resource: kv },
      {
        title: "enableSoftDelete absent (Azure: true)",
        resource: withProp(kv, "properties.enableSoftDelete", undefined),
      },
      {
        title: "retention absent (Azure: 90 days)",
        resource: withProp(kv, "properties.softDeleteRetentionInDays", undefined),
        config: { minRetentionDays: 90 },
      },
      { title: "7 days with the default minimum", resource: withProp(kv, "properties.softDeleteRetentionInDays", 7) },
      { title: "90 days with a 90-day minimum (our stacks)", resource: kv, config: { minRetentionDays: 90 } },
    ],
    violations: [
      {
        title: "enableSoftDelete false",
        resource: withProp(kv, "properties.enableSoftDelete", false),
        messages: [/^properties.enableSoftDelete is false: deleted vaults, keys and secrets cannot be recovered/],
      },
      {
        title: "retention below a configured minimum",
        resource: withProp(kv, "properties.softDeleteRetentionInDays", 30),
        config: { minRetentionDays: 90 },
        messages: [/^properties.softDeleteRetentionInDays is 30: .*at least 90 days/],
      },
      {
        title: "retention below the default minimum",
        resource: withProp(kv, "properties.softDeleteRetentionInDays", 5),
        messages: [/^properties.softDeleteRetentionInDays is 5: .*at least 7 days/],
      },
    ],
    unknown: [
      { title: "enableSoftDelete unknown", resource: withProp(kv, "properties.enableSoftDelete", UNKNOWN.boolean) },
      { title: "retention unknown", resource: withProp(kv, "properties.softDeleteRetentionInDays", UNKNOWN.string) },
    ],
  },
  {
    policy: "keyvault-public-network-disabled",
    compliant: [
      { title: "Disabled", resource: kv },
      { title: "lower case", resource: withProp(kv, "properties.publicNetworkAccess", "disabled") },
    ],
    violations: [
      {
        title: "enabled (the SDK default, lower case)",
        resource: withProp(kv, "properties.publicNetworkAccess", "enabled"),
        messages: [/^properties.publicNetworkAccess is "enabled": the vault's public endpoint is reachable/],
      },
      {
        title: "absent (Azure: enabled)",
        resource: withProp(kv, "properties.publicNetworkAccess", undefined),
        messages: [/^properties.publicNetworkAccess is not set \(Azure defaults to enabled\)/],
      },
    ],
    unknown: [
      {
        title: "publicNetworkAccess unknown",
        resource: withProp(kv, "properties.publicNetworkAccess", UNKNOWN.string),
      },
    ],
  },
  {
    policy: "keyvault-network-acl-deny",
    compliant: [{ title: "Deny", resource: kv }],
    violations: [
      {
        title: "Allow",
        resource: withProp(kv, "properties.networkAcls.defaultAction", "Allow"),
        messages: [/^properties.networkAcls.defaultAction is "Allow": requests from any network pass the firewall/],
      },
      {
        title: "defaultAction absent",
        resource: withProp(kv, "properties.networkAcls.defaultAction", undefined),
        messages: [/^properties.networkAcls.defaultAction is not set \(Azure defaults to Allow\)/],
      },
      {
        title: "networkAcls absent (Azure: Allow)",
        resource: withProp(kv, "properties.networkAcls", undefined),
        messages: [/^properties.networkAcls is not set \(Azure defaults to defaultAction Allow\)/],
      },
    ],
    unknown: [{ title: "networkAcls unknown", resource: withProp(kv, "properties.networkAcls", UNKNOWN.object) }],
  },
  {
    policy: "keyvault-key-expiry",
    compliant: [
      { title: "expires in 180 days", resource: cmk },
      {
        title: "expires in 30 days with a 30-day maximum",
        resource: withProp(cmk, "properties.attributes.expires", epochInDays(30)),
        config: { maxValidityDays: 30 },
      },
      {
        title: "valid from notBefore (in 100 days) for 300 days",
        resource: withProp(
          withProp(cmk, "properties.attributes.notBefore", epochInDays(100)),
          "properties.attributes.expires",
          epochInDays(400),
        ),
      },
      { title: "a secret is not a key", resource: withProp(token, "properties.attributes", {}) },
    ],
    violations: [
      {
        title: "expires absent (never expires)",
        resource: withProp(cmk, "properties.attributes.expires", undefined),
        messages: [/^properties.attributes.expires is not set: the key never expires; .*at most 365 days ahead/],
      },
      {
        title: "attributes absent",
        resource: withProp(cmk, "properties.attributes", undefined),
        messages: [/^properties.attributes.expires is not set/],
      },
      {
        title: "expires in 2 years",
        resource: withProp(cmk, "properties.attributes.expires", epochInDays(730)),
        messages: [
          /^properties.attributes.expires is \d+ \(\d{4}-\d\d-\d\d\), 730 days after the key becomes valid: set it to at most 365 days ahead/,
        ],
      },
      {
        title: "beyond a configured maximum",
        resource: cmk,
        config: { maxValidityDays: 90 },
        messages: [/180 days after the key becomes valid: set it to at most 90 days ahead/],
      },
      {
        title: "not a number",
        resource: withProp(cmk, "properties.attributes.expires", "2030-01-01"),
        messages: [/^properties.attributes.expires is "2030-01-01": it must be a number of seconds/],
      },
    ],
    unknown: [{ title: "expires unknown", resource: withProp(cmk, "properties.attributes.expires", UNKNOWN.string) }],
  },
  {
    policy: "keyvault-secret-expiry",
    compliant: [
      { title: "expires in 60 days", resource: token },
      { title: "a key is not a secret", resource: withProp(cmk, "properties.attributes", {}) },
    ],
    violations: [
      {
        title: "expires absent (never expires)",
        resource: withProp(token, "properties.attributes.expires", undefined),
        messages: [/^properties.attributes.expires is not set: the secret never expires/],
      },
      {
        title: "expires in 5 years",
        resource: withProp(token, "properties.attributes.expires", epochInDays(1825)),
        messages: [/1825 days after the secret becomes valid/],
      },
    ],
    unknown: [{ title: "attributes unknown", resource: withProp(token, "properties.attributes", UNKNOWN.object) }],
  },
];

describeMlRules("keyVault", /^keyvault-/, keyVaultPolicies, table);

describe("Key Vault rules on the shipped stacks", () => {
  let plans: Plan[];
  beforeAll(async () => {
    plans = [await planStackFile("dev"), await planStackFile("prod")];
  });

  it("find no mandatory violation in prod; in dev only purge protection, which policy-config.dev.json makes advisory (deploy-audit M8)", async () => {
    const [dev, prod] = plans;
    expect(await mandatoryViolations(prod, keyVaultPolicies)).toEqual([]);
    expect((await mandatoryViolations(dev, keyVaultPolicies)).map((v) => v.split(" ")[0])).toEqual([
      "keyvault-purge-protection",
    ]);
    expect(shippedPolicyConfig("dev")["keyvault-purge-protection"]).toEqual({ enforcementLevel: "advisory" });
    expect(shippedPolicyConfig("prod")["keyvault-purge-protection"]).toBeUndefined();
  });

  it("find nothing else, even with the 90-day soft-delete minimum our stacks use", async () => {
    const [dev, prod] = plans;
    for (const plan of plans) expect(plan.resources.some((r) => r.type === "azure-native:keyvault:Vault")).toBe(true);
    expect(await planViolations(prod, keyVaultPolicies, { "keyvault-soft-delete": { minRetentionDays: 90 } })).toEqual(
      [],
    );
    expect(
      (await planViolations(dev, keyVaultPolicies, { "keyvault-soft-delete": { minRetentionDays: 90 } })).map(
        (v) => v.policy,
      ),
    ).toEqual(["keyvault-purge-protection"]);
  });
});
