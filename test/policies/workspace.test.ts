import { describe, expect, it } from "vitest";
import { workspacePolicies } from "../../policies/rules/workspace";
import { DEFAULT_APPROVED_FQDNS, fqdnApproved } from "../../policies/support/ml";
import { OUTBOUND_PRESETS, OutboundPreset } from "secure-azureml-facts";
import { SHARED_SERVICE_DOMAINS, broadWildcardReason } from "../../policies/support/outboundWildcards";
import { FakeResource, UNKNOWN } from "./support/harness";
import { WORKSPACE_IDENTITY, amlCluster, mlWorkspace, withProp, withProps } from "./fixtures/ml";
import { MlRuleCases, describeMlRules, describeShippedStacks } from "./fixtures/mlCases";

const ws = mlWorkspace();

/** An inline FQDN outbound rule. */
const fqdn = (destination: string) => ({ type: "FQDN", category: "UserDefined", destination });

/** A standalone outbound rule resource (the other model besides inline managedNetwork.outboundRules). */
const standaloneRule = (destination: string): FakeResource => ({
  type: "azure-native:machinelearningservices:ManagedNetworkSettingsRule",
  name: "rule",
  props: {
    resourceGroupName: "rg-ml",
    workspaceName: "mlw-test",
    ruleName: "allow-acr",
    properties: { type: "FQDN", category: "UserDefined", destination },
  },
});
const OTHER_IDENTITY = WORKSPACE_IDENTITY.replace("id-workspace", "id-other");

const table: MlRuleCases[] = [
  {
    policy: "aml-workspace-public-network-disabled",
    compliant: [
      { title: "Disabled", resource: ws },
      { title: "any case", resource: withProp(ws, "publicNetworkAccess", "disabled") },
      { title: "another resource type", resource: withProp(amlCluster(), "publicNetworkAccess", "Enabled") },
    ],
    violations: [
      {
        title: "Enabled",
        resource: withProp(ws, "publicNetworkAccess", "Enabled"),
        messages: [/^publicNetworkAccess is "Enabled": .*set it to "Disabled"/],
      },
      {
        title: "absent (Azure: Enabled)",
        resource: withProp(ws, "publicNetworkAccess", undefined),
        messages: [/^publicNetworkAccess is not set \(Azure defaults to Enabled\)/],
      },
    ],
    unknown: [{ title: "publicNetworkAccess unknown", resource: withProp(ws, "publicNetworkAccess", UNKNOWN.string) }],
  },
  {
    policy: "aml-workspace-no-public-access-behind-vnet",
    compliant: [
      { title: "false", resource: ws },
      { title: "absent (Azure: false)", resource: withProp(ws, "allowPublicAccessWhenBehindVnet", undefined) },
    ],
    violations: [
      {
        title: "true",
        resource: withProp(ws, "allowPublicAccessWhenBehindVnet", true),
        messages: [/^allowPublicAccessWhenBehindVnet is true: .*set it to false/],
      },
      {
        title: 'string "true"',
        resource: withProp(ws, "allowPublicAccessWhenBehindVnet", "true"),
        messages: [/^allowPublicAccessWhenBehindVnet is "true"/],
      },
    ],
    unknown: [{ title: "value unknown", resource: withProp(ws, "allowPublicAccessWhenBehindVnet", UNKNOWN.boolean) }],
  },
  {
    policy: "aml-workspace-managed-network-approved-outbound",
    compliant: [
      { title: "AllowOnlyApprovedOutbound", resource: ws },
      { title: "any case", resource: withProp(ws, "managedNetwork.isolationMode", "allowonlyapprovedoutbound") },
    ],
    violations: [
      {
        title: "AllowInternetOutbound",
        resource: withProp(ws, "managedNetwork.isolationMode", "AllowInternetOutbound"),
        messages: [
          /^managedNetwork.isolationMode is "AllowInternetOutbound" \(any internet destination is reachable.*set managedNetwork.isolationMode to "AllowOnlyApprovedOutbound"/,
        ],
      },
      {
        title: "Disabled",
        resource: withProp(ws, "managedNetwork.isolationMode", "Disabled"),
        messages: [/^managedNetwork.isolationMode is "Disabled"; set/],
      },
      {
        title: "isolationMode absent",
        resource: withProp(ws, "managedNetwork.isolationMode", undefined),
        messages: [/^managedNetwork.isolationMode is not set \(Azure defaults to Disabled/],
      },
      {
        title: "managedNetwork absent",
        resource: withProp(ws, "managedNetwork", undefined),
        messages: [/^managedNetwork is not set \(Azure defaults to Disabled: no managed network/],
      },
    ],
    unknown: [
      { title: "isolationMode unknown", resource: withProp(ws, "managedNetwork.isolationMode", UNKNOWN.string) },
      { title: "managedNetwork unknown", resource: withProp(ws, "managedNetwork", UNKNOWN.object) },
    ],
  },
  {
    policy: "aml-workspace-user-assigned-identity",
    compliant: [
      { title: "user-assigned and primary", resource: ws },
      {
        title: "ids differ only in case and a trailing slash",
        resource: withProp(ws, "primaryUserAssignedIdentity", `${WORKSPACE_IDENTITY.toUpperCase()}/`),
      },
      { title: "type in another case", resource: withProp(ws, "identity.type", "userassigned") },
    ],
    violations: [
      {
        title: "identity absent",
        resource: withProp(ws, "identity", undefined),
        messages: [/^identity is not set \(Azure creates a system-assigned identity/],
      },
      {
        title: "SystemAssigned",
        resource: withProp(ws, "identity.type", "SystemAssigned"),
        messages: [/^identity.type is "SystemAssigned": .*set identity.type to "UserAssigned"/],
      },
      {
        title: "SystemAssigned,UserAssigned",
        resource: withProp(ws, "identity.type", "SystemAssigned,UserAssigned"),
        messages: [/^identity.type is "SystemAssigned,UserAssigned"/],
      },
      {
        title: "primary absent",
        resource: withProp(ws, "primaryUserAssignedIdentity", undefined),
        messages: [/^primaryUserAssignedIdentity is not set: .*set it to the identity's resource id/],
      },
      {
        title: "primary not listed",
        resource: withProp(ws, "primaryUserAssignedIdentity", OTHER_IDENTITY),
        messages: [/^primaryUserAssignedIdentity ".*id-other" is not in identity.userAssignedIdentities/],
      },
    ],
    unknown: [
      { title: "identity type unknown", resource: withProp(ws, "identity.type", UNKNOWN.string) },
      {
        title: "primary identity unknown (new identity in preview)",
        resource: withProp(ws, "primaryUserAssignedIdentity", UNKNOWN.string),
      },
      {
        title: "listed identities unknown",
        resource: withProp(ws, "identity.userAssignedIdentities", [UNKNOWN.string]),
      },
    ],
  },
  {
    policy: "aml-workspace-identity-based-datastores",
    compliant: [
      { title: "Identity", resource: ws },
      { title: "API casing (identity)", resource: withProp(ws, "systemDatastoresAuthMode", "identity") },
    ],
    violations: [
      {
        title: "AccessKey",
        resource: withProp(ws, "systemDatastoresAuthMode", "AccessKey"),
        messages: [/^systemDatastoresAuthMode is "AccessKey": .*set it to "Identity"/],
      },
      {
        title: "UserDelegationSAS",
        resource: withProp(ws, "systemDatastoresAuthMode", "UserDelegationSAS"),
        messages: [/^systemDatastoresAuthMode is "UserDelegationSAS"/],
      },
      {
        title: "absent (Azure: AccessKey)",
        resource: withProp(ws, "systemDatastoresAuthMode", undefined),
        messages: [/^systemDatastoresAuthMode is not set \(Azure defaults to AccessKey\)/],
      },
    ],
    unknown: [{ title: "mode unknown", resource: withProp(ws, "systemDatastoresAuthMode", UNKNOWN.string) }],
  },
  {
    policy: "aml-workspace-cmk-for-hbi",
    compliant: [
      { title: "HBI with a customer-managed key", resource: ws },
      { title: "not HBI, no key", resource: withProps(ws, { hbiWorkspace: false, encryption: undefined }) },
      {
        title: "hbiWorkspace absent (false), no key",
        resource: withProps(ws, { hbiWorkspace: undefined, encryption: undefined }),
      },
      {
        title: "HBI without key when requireCmkForHbi is false",
        resource: withProp(ws, "encryption", undefined),
        config: { requireCmkForHbi: false },
      },
    ],
    violations: [
      {
        title: "HBI without encryption",
        resource: withProp(ws, "encryption", undefined),
        messages: [
          /^encryption is not set \(Microsoft-managed keys\) but hbiWorkspace is true; set encryption.status to "Enabled"/,
        ],
      },
      {
        title: "HBI with encryption Disabled",
        resource: withProp(ws, "encryption.status", "Disabled"),
        messages: [/^encryption.status is "Disabled" but hbiWorkspace is true/],
      },
      {
        title: "HBI with no key identifier",
        resource: withProp(ws, "encryption.keyVaultProperties.keyIdentifier", undefined),
        messages: [/^encryption.keyVaultProperties is incomplete \(keyVaultArmId ".*kv-cmk", keyIdentifier not set\)/],
      },
      {
        title: "not HBI, no key, requireCmkForAll",
        resource: withProps(ws, { hbiWorkspace: false, encryption: undefined }),
        config: { requireCmkForAll: true },
        messages: [
          /^encryption is not set \(Microsoft-managed keys\) but every workspace must use a customer-managed key/,
        ],
      },
    ],
    unknown: [
      { title: "hbiWorkspace unknown", resource: withProp(ws, "hbiWorkspace", UNKNOWN.boolean) },
      { title: "encryption status unknown", resource: withProp(ws, "encryption.status", UNKNOWN.string) },
      {
        title: "key URI unknown (new key in preview)",
        resource: withProp(ws, "encryption.keyVaultProperties.keyIdentifier", UNKNOWN.string),
      },
    ],
  },
  {
    policy: "aml-workspace-serverless-no-public-ip",
    compliant: [
      { title: "true", resource: ws },
      {
        title: 'string "true"',
        resource: withProp(ws, "serverlessComputeSettings.serverlessComputeNoPublicIP", "true"),
      },
    ],
    violations: [
      {
        title: "false",
        resource: withProp(ws, "serverlessComputeSettings.serverlessComputeNoPublicIP", false),
        messages: [/^serverlessComputeSettings.serverlessComputeNoPublicIP is false: .*set it to true/],
      },
      {
        title: "flag absent (Azure: false)",
        resource: withProp(ws, "serverlessComputeSettings.serverlessComputeNoPublicIP", undefined),
        messages: [/^serverlessComputeSettings.serverlessComputeNoPublicIP is not set \(Azure defaults to false\)/],
      },
      {
        title: "settings absent",
        resource: withProp(ws, "serverlessComputeSettings", undefined),
        messages: [/^serverlessComputeSettings.serverlessComputeNoPublicIP is not set/],
      },
    ],
    unknown: [
      {
        title: "flag unknown",
        resource: withProp(ws, "serverlessComputeSettings.serverlessComputeNoPublicIP", UNKNOWN.boolean),
      },
      { title: "settings unknown", resource: withProp(ws, "serverlessComputeSettings", UNKNOWN.object) },
    ],
  },
  {
    policy: "aml-workspace-approved-outbound-fqdns",
    compliant: [
      { title: "preset FQDNs, a wildcard preset and a service tag", resource: ws },
      { title: "no outbound rules", resource: withProp(ws, "managedNetwork.outboundRules", undefined) },
      { title: "no managed network", resource: withProp(ws, "managedNetwork", undefined) },
      {
        title: "a host below an approved wildcard",
        resource: withProp(ws, "managedNetwork.outboundRules.extra", {
          type: "FQDN",
          destination: "westeurope.data.mcr.microsoft.com",
        }),
      },
      {
        title: "a narrower wildcard below an approved one",
        resource: withProp(ws, "managedNetwork.outboundRules.extra", {
          type: "FQDN",
          destination: "*.weu.data.mcr.microsoft.com",
        }),
      },
      {
        title: "upper case and a trailing dot",
        resource: withProp(ws, "managedNetwork.outboundRules.extra", { type: "FQDN", destination: "PyPI.org." }),
      },
      {
        title: "a destination added to approvedFqdns",
        resource: withProp(ws, "managedNetwork.outboundRules.extra", {
          type: "FQDN",
          destination: "packages.example.com",
        }),
        config: { approvedFqdns: [...DEFAULT_APPROVED_FQDNS, "*.example.com"] },
      },
      { title: "a standalone ManagedNetworkSettingsRule to an approved host", resource: standaloneRule("pypi.org") },
      {
        title: "a private endpoint rule (its fqdns are not FQDN rules)",
        resource: withProp(ws, "managedNetwork.outboundRules.pe", {
          type: "PrivateEndpoint",
          destination: { serviceResourceId: "x", subresourceTarget: "blob" },
          fqdns: ["anything.example.com"],
        }),
      },
    ],
    violations: [
      {
        title: "a standalone ManagedNetworkSettingsRule to an unapproved host",
        resource: standaloneRule("paste.example.net"),
        messages: [/^outbound rule "allow-acr" allows FQDN "paste.example.net", which is not in approvedFqdns/],
      },
      {
        title: "an unapproved host",
        resource: withProp(ws, "managedNetwork.outboundRules.fqdn-evil", {
          type: "FQDN",
          category: "UserDefined",
          destination: "paste.example.net",
        }),
        messages: [
          /^managedNetwork.outboundRules.fqdn-evil allows FQDN "paste.example.net", which is not in approvedFqdns/,
        ],
      },
      {
        title: "a wildcard broader than the approved one",
        resource: withProp(ws, "managedNetwork.outboundRules.broad", { type: "FQDN", destination: "*.microsoft.com" }),
        messages: [/^managedNetwork.outboundRules.broad allows FQDN "\*.microsoft.com"/],
      },
      {
        title: "the parent of an approved wildcard",
        resource: withProp(ws, "managedNetwork.outboundRules.parent", {
          type: "FQDN",
          destination: "data.mcr.microsoft.com",
        }),
        messages: [/^managedNetwork.outboundRules.parent allows FQDN "data.mcr.microsoft.com"/],
      },
      {
        title: "two unapproved hosts",
        resource: withProps(ws, {
          "managedNetwork.outboundRules.a": { type: "FQDN", destination: "a.example.org" },
          "managedNetwork.outboundRules.b": { type: "fqdn", destination: "*" },
        }),
        messages: [/outboundRules.a allows FQDN "a.example.org"/, /outboundRules.b allows FQDN "\*"/],
        alsoTrips: ["aml-workspace-outbound-no-broad-wildcard"],
      },
      {
        title: "a preset host when approvedFqdns is narrowed",
        resource: ws,
        config: { approvedFqdns: ["pypi.org"] },
        messages: [
          /^managedNetwork.outboundRules.fqdnany-data_mcr_microsoft_com allows FQDN "\*.data.mcr.microsoft.com"/,
        ],
      },
    ],
    unknown: [
      {
        title: "a destination unknown",
        resource: withProp(ws, "managedNetwork.outboundRules.extra", { type: "FQDN", destination: UNKNOWN.string }),
      },
      { title: "the rules unknown", resource: withProp(ws, "managedNetwork.outboundRules", UNKNOWN.object) },
    ],
  },
  {
    policy: "aml-workspace-outbound-no-broad-wildcard",
    compliant: [
      { title: "exact hosts, a package wildcard and a service tag", resource: ws },
      { title: "no outbound rules", resource: withProp(ws, "managedNetwork.outboundRules", undefined) },
      { title: "no managed network", resource: withProp(ws, "managedNetwork", undefined) },
      {
        title: "one storage host by name (left to the approved list)",
        resource: withProp(ws, "managedNetwork.outboundRules.vscode", fqdn("vscode.blob.core.windows.net")),
      },
      {
        title: "documented third-party package wildcards",
        resource: withProps(ws, {
          "managedNetwork.outboundRules.conda": fqdn("*.anaconda.org"),
          "managedNetwork.outboundRules.hf": fqdn("*.hf.co"),
          "managedNetwork.outboundRules.cdn": fqdn("*.vscodeexperiments.azureedge.net"),
        }),
      },
      {
        title: "a private endpoint rule to one storage account",
        resource: withProp(ws, "managedNetwork.outboundRules.pe", {
          type: "PrivateEndpoint",
          destination: { serviceResourceId: "x", subresourceTarget: "blob" },
          fqdns: ["*.blob.core.windows.net"],
        }),
      },
      { title: "a standalone FQDN rule to a package host", resource: standaloneRule("*.pytorch.org") },
      {
        title: "a standalone private endpoint rule",
        resource: withProp(standaloneRule("x"), "properties", {
          type: "PrivateEndpoint",
          destination: { serviceResourceId: "x", subresourceTarget: "blob" },
        }),
      },
    ],
    violations: [
      {
        title: "every host (*)",
        resource: withProp(ws, "managedNetwork.outboundRules.any", fqdn("*")),
        messages: [
          /^managedNetwork.outboundRules.any allows FQDN "\*": it matches every host name, so approved-outbound-only no longer limits where data can go; remove it and use a private endpoint outbound rule for Azure resources\.$/,
        ],
        alsoTrips: ["aml-workspace-approved-outbound-fqdns"],
      },
      {
        title: "every storage account (*.blob.core.windows.net)",
        resource: withProp(ws, "managedNetwork.outboundRules.blobs", fqdn("*.blob.core.windows.net")),
        messages: [
          /^managedNetwork.outboundRules.blobs allows FQDN "\*.blob.core.windows.net": blob.core.windows.net is the shared service domain blob.core.windows.net, where every customer's resources have host names/,
        ],
        alsoTrips: ["aml-workspace-approved-outbound-fqdns"],
      },
      {
        title: "every registry's data endpoint in a region (*.westeurope.data.azurecr.io)",
        resource: withProp(ws, "managedNetwork.outboundRules.acr", fqdn("*.westeurope.data.azurecr.io")),
        messages: [
          /"\*.westeurope.data.azurecr.io": westeurope.data.azurecr.io is below the shared service domain azurecr.io/,
        ],
        alsoTrips: ["aml-workspace-approved-outbound-fqdns"],
      },
      {
        title: "every key vault, upper case with a trailing dot",
        resource: withProp(ws, "managedNetwork.outboundRules.kv", fqdn("*.Vault.Azure.NET.")),
        messages: [/"\*.Vault.Azure.NET.": vault.azure.net is the shared service domain vault.azure.net/],
        alsoTrips: ["aml-workspace-approved-outbound-fqdns"],
      },
      {
        title: "every storage service (*.core.windows.net)",
        resource: withProp(ws, "managedNetwork.outboundRules.core", fqdn("*.core.windows.net")),
        messages: [/core.windows.net is the shared service domain core.windows.net/],
        alsoTrips: ["aml-workspace-approved-outbound-fqdns"],
      },
      {
        title: "every host under azure.com",
        resource: withProp(ws, "managedNetwork.outboundRules.azure", fqdn("*.azure.com")),
        messages: [/azure.com is the shared service domain azure.com/],
        alsoTrips: ["aml-workspace-approved-outbound-fqdns"],
      },
      {
        title: "a whole top-level domain",
        resource: withProp(ws, "managedNetwork.outboundRules.org", fqdn("*.org")),
        messages: [/"\*.org": it matches every host of the top-level domain .org/],
        alsoTrips: ["aml-workspace-approved-outbound-fqdns"],
      },
      {
        title: "a wildcard in an inner label",
        resource: withProp(ws, "managedNetwork.outboundRules.inner", fqdn("st*.blob.core.windows.net")),
        messages: [/"st\*.blob.core.windows.net": blob.core.windows.net is the shared service domain/],
        alsoTrips: ["aml-workspace-approved-outbound-fqdns"],
      },
      {
        title: "a US Government cloud domain from the catalogue",
        resource: withProp(ws, "managedNetwork.outboundRules.gov", fqdn("*.blob.core.usgovcloudapi.net")),
        messages: [/blob.core.usgovcloudapi.net is the shared service domain blob.core.usgovcloudapi.net/],
        alsoTrips: ["aml-workspace-approved-outbound-fqdns"],
      },
      {
        title: "a standalone ManagedNetworkSettingsRule",
        resource: standaloneRule("*.azurecr.io"),
        messages: [
          /^outbound rule "allow-acr" allows FQDN "\*.azurecr.io": azurecr.io is the shared service domain azurecr.io/,
        ],
        alsoTrips: ["aml-workspace-approved-outbound-fqdns"],
      },
      {
        title: "a domain a stack adds to sharedServiceDomains",
        resource: withProp(ws, "managedNetwork.outboundRules.corp", fqdn("*.files.example.com")),
        config: { sharedServiceDomains: [...SHARED_SERVICE_DOMAINS, "example.com"] },
        messages: [/files.example.com is below the shared service domain example.com/],
      },
    ],
    unknown: [
      {
        title: "a destination unknown",
        resource: withProp(ws, "managedNetwork.outboundRules.x", fqdn(UNKNOWN.string)),
      },
      { title: "the rules unknown", resource: withProp(ws, "managedNetwork.outboundRules", UNKNOWN.object) },
      { title: "a standalone rule unknown", resource: withProp(standaloneRule("x"), "properties", UNKNOWN.object) },
    ],
  },
  {
    policy: "aml-workspace-v1-legacy-mode-off",
    compliant: [
      { title: "false", resource: ws },
      { title: "absent (Azure: false)", resource: withProp(ws, "v1LegacyMode", undefined) },
    ],
    violations: [
      {
        title: "true",
        resource: withProp(ws, "v1LegacyMode", true),
        messages: [/^v1LegacyMode is true: the workspace refuses v2 API operations/],
      },
    ],
    unknown: [{ title: "value unknown", resource: withProp(ws, "v1LegacyMode", UNKNOWN.boolean) }],
  },
];

describeMlRules("workspace", /^aml-workspace-/, workspacePolicies, table);

describe("approved FQDN defaults", () => {
  it("match wildcards the way Azure Firewall does", () => {
    expect(fqdnApproved("a.b.example.com", ["*.example.com"])).toBe(true);
    expect(fqdnApproved("example.com", ["*.example.com"])).toBe(false);
    expect(fqdnApproved("badexample.com", ["*.example.com"])).toBe(false);
    expect(fqdnApproved("*.example.com", ["*.example.com"])).toBe(true);
    expect(fqdnApproved("*.com", ["*.example.com"])).toBe(false);
    expect(fqdnApproved("anything.net", ["*"])).toBe(true);
  });
});

describe("broad outbound wildcards", () => {
  it("derive the shared service domains from the cloud catalogue (Azure Monitor's zones included), with their registrable domains", () => {
    for (const domain of [
      "blob.core.windows.net",
      "file.core.windows.net",
      "core.windows.net",
      "windows.net",
      "vault.azure.net",
      "vaultcore.azure.net",
      "azure.net",
      "azurecr.io",
      "api.azureml.ms",
      "azureml.ms",
      "notebooks.azure.net",
      "core.usgovcloudapi.net",
      "azurecr.us",
      "api.ml.azure.us",
      "azure.us",
      "core.chinacloudapi.cn",
      "azurecr.cn",
      "azure.cn",
      "azure.com",
      // Azure Monitor's private link zones (every workspace's agents and ingestion).
      "agentsvc.azure-automation.net",
      "azure-automation.net",
      "ods.opinsights.azure.com",
      "azure-automation.us",
    ])
      expect(SHARED_SERVICE_DOMAINS).toContain(domain);
    expect(SHARED_SERVICE_DOMAINS.some((domain) => domain.startsWith("privatelink."))).toBe(false);
  });

  it("leave exact hosts and wildcards below third-party or Microsoft CDN domains alone", () => {
    for (const destination of [
      "pypi.org",
      "vscode.blob.core.windows.net",
      "*.anaconda.org",
      "*.data.mcr.microsoft.com",
      "*.vo.msecnd.net",
      "*.vscodeexperiments.azureedge.net",
      "*.gallerycdn.vsassets.io",
    ])
      expect(broadWildcardReason(destination, SHARED_SERVICE_DOMAINS), destination).toBeUndefined();
  });

  it("find every FQDN of every shipped outbound preset, in every version, acceptable", () => {
    const versions: Readonly<Record<string, Readonly<Record<string, OutboundPreset>>>> = OUTBOUND_PRESETS;
    const fqdns: string[] = Object.values(versions).flatMap((presets) =>
      Object.values(presets).flatMap((preset) => [...preset.fqdns]),
    );
    expect(fqdns.length).toBeGreaterThan(20);
    expect(fqdns.filter((f) => broadWildcardReason(f, SHARED_SERVICE_DOMAINS) !== undefined)).toEqual([]);
  });
});

// HBI without a customer-managed key is the project default (advisory finding); see the rule's description.
describeShippedStacks("workspace", workspacePolicies, {
  dev: ["aml-workspace-cmk-for-hbi"],
  prod: ["aml-workspace-cmk-for-hbi"],
});

describe("workspace rules the baseline needs blocking", () => {
  it("aml-workspace-outbound-no-broad-wildcard is mandatory", () => {
    expect(workspacePolicies.find((p) => p.name === "aml-workspace-outbound-no-broad-wildcard")?.enforcementLevel).toBe(
      "mandatory",
    );
  });
});
