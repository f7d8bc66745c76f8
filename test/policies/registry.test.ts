import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { registryPolicies } from "../../policies/rules/registry";
import { planStackFile } from "../support/stack";
import { UNKNOWN } from "./support/harness";
import { mandatoryViolations, planViolations, registry, storageAccount, withProp } from "./fixtures/data";
import { MlRuleCases, describeMlRules } from "./fixtures/mlCases";

const acr = registry();

const table: MlRuleCases[] = [
  {
    policy: "acr-admin-user-disabled",
    compliant: [
      { title: "adminUserEnabled false", resource: acr },
      { title: "absent (Azure and SDK: false)", resource: withProp(acr, "adminUserEnabled", undefined) },
    ],
    violations: [
      {
        title: "adminUserEnabled true",
        resource: withProp(acr, "adminUserEnabled", true),
        messages: [/^adminUserEnabled is true: anyone with the admin password can push and pull; set it to false/],
      },
    ],
    unknown: [{ title: "adminUserEnabled unknown", resource: withProp(acr, "adminUserEnabled", UNKNOWN.boolean) }],
  },
  {
    policy: "acr-anonymous-pull-disabled",
    compliant: [
      { title: "anonymousPullEnabled false", resource: acr },
      { title: "absent (Azure and SDK: false)", resource: withProp(acr, "anonymousPullEnabled", undefined) },
    ],
    violations: [
      {
        title: "anonymousPullEnabled true",
        resource: withProp(acr, "anonymousPullEnabled", true),
        messages: [/^anonymousPullEnabled is true: anyone who can reach the registry can pull/],
      },
    ],
    unknown: [
      { title: "anonymousPullEnabled unknown", resource: withProp(acr, "anonymousPullEnabled", UNKNOWN.boolean) },
    ],
  },
  {
    policy: "acr-premium-sku",
    compliant: [
      { title: "Premium", resource: acr },
      { title: "any case", resource: withProp(acr, "sku.name", "premium") },
    ],
    violations: [
      {
        title: "Standard",
        resource: withProp(acr, "sku.name", "Standard"),
        messages: [/^sku.name is "Standard": only Premium registries can be reached privately/],
      },
      { title: "Basic", resource: withProp(acr, "sku.name", "Basic"), messages: [/^sku.name is "Basic"/] },
    ],
    unknown: [{ title: "sku unknown", resource: withProp(acr, "sku", UNKNOWN.object) }],
  },
  {
    policy: "acr-public-network-disabled",
    compliant: [
      { title: "Disabled", resource: acr },
      { title: "another type is ignored", resource: withProp(storageAccount(), "publicNetworkAccess", "Enabled") },
    ],
    violations: [
      {
        title: "Enabled",
        resource: withProp(acr, "publicNetworkAccess", "Enabled"),
        messages: [/^publicNetworkAccess is "Enabled": the registry's public endpoint is reachable/],
      },
      {
        title: "absent (Azure and SDK: Enabled)",
        resource: withProp(acr, "publicNetworkAccess", undefined),
        messages: [/^publicNetworkAccess is not set \(Azure defaults to Enabled\)/],
      },
    ],
    unknown: [{ title: "publicNetworkAccess unknown", resource: withProp(acr, "publicNetworkAccess", UNKNOWN.string) }],
  },
  {
    policy: "acr-export-disabled",
    compliant: [
      { title: "disabled", resource: acr },
      { title: "any case", resource: withProp(acr, "policies.exportPolicy.status", "Disabled") },
    ],
    violations: [
      {
        title: "enabled",
        resource: withProp(acr, "policies.exportPolicy.status", "enabled"),
        messages: [/^policies.exportPolicy.status is "enabled": images can be exported/],
      },
      {
        title: "status absent (SDK: enabled)",
        resource: withProp(acr, "policies.exportPolicy.status", undefined),
        messages: [/^policies.exportPolicy.status is not set \(Azure defaults to enabled\)/],
      },
      {
        title: "policies absent",
        resource: withProp(acr, "policies", undefined),
        messages: [/^policies.exportPolicy.status is not set/],
        alsoTrips: ["acr-arm-audience-token-disabled"],
      },
    ],
    unknown: [{ title: "exportPolicy unknown", resource: withProp(acr, "policies.exportPolicy", UNKNOWN.object) }],
  },
  {
    policy: "acr-arm-audience-token-disabled",
    compliant: [
      { title: "disabled", resource: acr },
      { title: "any case", resource: withProp(acr, "policies.azureADAuthenticationAsArmPolicy.status", "Disabled") },
      {
        title: "another resource type",
        resource: withProp(storageAccount(), "policies.azureADAuthenticationAsArmPolicy.status", "enabled"),
      },
    ],
    violations: [
      {
        title: "enabled",
        resource: withProp(acr, "policies.azureADAuthenticationAsArmPolicy.status", "enabled"),
        messages: [
          /^policies.azureADAuthenticationAsArmPolicy.status is "enabled": the registry accepts any Entra token issued for Azure Resource Manager, .*set it to "disabled"\.$/,
        ],
      },
      {
        title: "status absent (API and SDK: enabled)",
        resource: withProp(acr, "policies.azureADAuthenticationAsArmPolicy.status", undefined),
        messages: [/^policies.azureADAuthenticationAsArmPolicy.status is not set \(Azure defaults to enabled\)/],
      },
      {
        title: "policy absent",
        resource: withProp(acr, "policies.azureADAuthenticationAsArmPolicy", undefined),
        messages: [/^policies.azureADAuthenticationAsArmPolicy.status is not set \(Azure defaults to enabled\)/],
      },
      {
        title: "no policies at all",
        resource: withProp(acr, "policies", undefined),
        messages: [/^policies.azureADAuthenticationAsArmPolicy.status is not set/],
        alsoTrips: ["acr-export-disabled"],
      },
    ],
    unknown: [
      {
        title: "status unknown",
        resource: withProp(acr, "policies.azureADAuthenticationAsArmPolicy.status", UNKNOWN.string),
      },
      { title: "policies unknown", resource: withProp(acr, "policies", UNKNOWN.object) },
    ],
  },
  {
    policy: "acr-network-default-deny",
    compliant: [
      { title: "Deny", resource: acr },
      {
        title: "no network rule set (left to public network access)",
        resource: withProp(acr, "networkRuleSet", undefined),
      },
    ],
    violations: [
      {
        title: "Allow",
        resource: withProp(acr, "networkRuleSet.defaultAction", "Allow"),
        messages: [/^networkRuleSet.defaultAction is "Allow": requests from any network pass the registry firewall/],
      },
      {
        title: "defaultAction absent (SDK: Allow)",
        resource: withProp(acr, "networkRuleSet.defaultAction", undefined),
        messages: [/^networkRuleSet.defaultAction is not set \(the SDK defaults it to Allow\)/],
      },
    ],
    unknown: [{ title: "networkRuleSet unknown", resource: withProp(acr, "networkRuleSet", UNKNOWN.object) }],
  },
];

describeMlRules("registry", /^acr-/, registryPolicies, table);

describe("container registry rules the baseline needs blocking", () => {
  it("acr-arm-audience-token-disabled is mandatory", () => {
    expect(registryPolicies.find((p) => p.name === "acr-arm-audience-token-disabled")?.enforcementLevel).toBe(
      "mandatory",
    );
  });
});

describe("container registry rules on the shipped stacks", () => {
  let plans: Plan[];
  beforeAll(async () => {
    plans = [await planStackFile("dev"), await planStackFile("prod")];
  });

  it("find no mandatory violation in dev or prod", async () => {
    for (const plan of plans) expect(await mandatoryViolations(plan, registryPolicies)).toEqual([]);
  });

  it("see the program disable ARM-audience tokens on the registry", () => {
    for (const plan of plans) {
      const registries = plan.resources.filter((r) => r.type === "azure-native:containerregistry:Registry");
      expect(registries.length).toBeGreaterThan(0);
      for (const registry of registries)
        expect((registry.inputs.policies as Record<string, unknown>).azureADAuthenticationAsArmPolicy).toEqual({
          status: "disabled",
        });
    }
  });

  it("find nothing at all, and see the registry", async () => {
    for (const plan of plans) {
      expect(plan.resources.some((r) => r.type === "azure-native:containerregistry:Registry")).toBe(true);
      expect(await planViolations(plan, registryPolicies)).toEqual([]);
    }
  });
});
