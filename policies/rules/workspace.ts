import { ResourceValidationArgs } from "@pulumi/policy";
import { ADVISORY, BaselineResourcePolicy, MANDATORY } from "../support/baseline";
import {
  DEFAULT_APPROVED_FQDNS,
  TYPES,
  forType,
  fqdnApproved,
  isNonEmptyString,
  isTrue,
  sameArmId,
  shown,
} from "../support/ml";
import { SHARED_SERVICE_DOMAINS, broadWildcardReason } from "../support/outboundWildcards";
import { sameText, valueAt } from "../support/props";

/**
 * Azure Machine Learning workspace rules (`azure-native:machinelearningservices:Workspace`,
 * Machine Learning Services API as shipped in azure-native v3). Workspace inputs are flattened:
 * `publicNetworkAccess`, `managedNetwork`, `identity`, ... sit at the top of the property bag.
 */

interface CmkConfig {
  requireCmkForHbi: boolean;
  requireCmkForAll: boolean;
}

interface FqdnConfig {
  approvedFqdns: string[];
}

interface SharedDomainsConfig {
  sharedServiceDomains: string[];
}

/**
 * A standalone outbound rule resource (azure-native 3.28.0 `ManagedNetworkSettingsRule`:
 * `ruleName`, `workspaceName` and the rule in `properties`), the other model besides the
 * workspace's inline `managedNetwork.outboundRules`.
 */
const MANAGED_NETWORK_RULE = "azure-native:machinelearningservices:ManagedNetworkSettingsRule";

/** An FQDN outbound rule with the label messages use. */
interface LabelledFqdnRule {
  label: string;
  destination: string;
}

/**
 * The FQDN outbound rules a resource declares: a workspace's inline
 * `managedNetwork.outboundRules.<name>` entries of type FQDN, or a standalone
 * ManagedNetworkSettingsRule whose `properties.type` is FQDN. Empty for other resources.
 */
function fqdnRulesOf(args: ResourceValidationArgs): LabelledFqdnRule[] {
  if (args.type === MANAGED_NETWORK_RULE) {
    const rule: unknown = args.props.properties;
    if (!sameText(valueAt(rule, "type"), "FQDN")) return [];
    const destination = valueAt(rule, "destination");
    const name: unknown = args.props.ruleName;
    const label = typeof name === "string" ? `outbound rule "${name}"` : `outbound rule ${args.name}`;
    return typeof destination === "string" ? [{ label, destination }] : [];
  }
  if (args.type !== TYPES.mlWorkspace) return [];
  const network: unknown = args.props.managedNetwork;
  const rules = network === undefined ? undefined : valueAt(network, "outboundRules");
  if (rules === undefined || rules === null || typeof rules !== "object") return [];
  return Object.entries(rules as Record<string, unknown>).flatMap(([name, rule]) => {
    if (!sameText(valueAt(rule, "type"), "FQDN")) return [];
    const destination = valueAt(rule, "destination");
    return typeof destination === "string" ? [{ label: `managedNetwork.outboundRules.${name}`, destination }] : [];
  });
}

export const workspacePolicies: BaselineResourcePolicy[] = [
  {
    name: "aml-workspace-public-network-disabled",
    description:
      "Azure ML workspaces must disable public network access; an absent publicNetworkAccess is treated as Enabled, the service default.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `publicNetworkAccess: "Disabled"` on the azure-native:machinelearningservices:Workspace and reach it through a private endpoint (group id `amlworkspace`).',
    validateResource: forType(TYPES.mlWorkspace, (args, report) => {
      const value: unknown = args.props.publicNetworkAccess;
      if (sameText(value, "Disabled")) return;
      report(
        `publicNetworkAccess is ${value === undefined ? "not set (Azure defaults to Enabled)" : shown(value)}: the workspace API and studio are reachable from the internet; set it to "Disabled".`,
      );
    }),
  },
  {
    name: "aml-workspace-no-public-access-behind-vnet",
    description:
      "Azure ML workspaces must not allow public access while behind a private endpoint (allowPublicAccessWhenBehindVnet true); absent means false, the service default.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Remove `allowPublicAccessWhenBehindVnet` or set it to `false` on the azure-native:machinelearningservices:Workspace.",
    validateResource: forType(TYPES.mlWorkspace, (args, report) => {
      const value: unknown = args.props.allowPublicAccessWhenBehindVnet;
      if (!isTrue(value)) return;
      report(
        `allowPublicAccessWhenBehindVnet is ${shown(value)}: the workspace accepts public traffic despite its private endpoint; set it to false.`,
      );
    }),
  },
  {
    name: "aml-workspace-managed-network-approved-outbound",
    description:
      "Azure ML workspaces must use a managed network in AllowOnlyApprovedOutbound mode; an absent managedNetwork or isolationMode is treated as Disabled (no managed network), the service default, and AllowInternetOutbound is a violation too.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `managedNetwork: { isolationMode: "AllowOnlyApprovedOutbound", outboundRules: {...} }` on the azure-native:machinelearningservices:Workspace (one-way: the isolation mode cannot be relaxed once set; plan the allowlist first).',
    validateResource: forType(TYPES.mlWorkspace, (args, report) => {
      const network: unknown = args.props.managedNetwork;
      const mode = network === undefined ? undefined : valueAt(network, "isolationMode");
      if (sameText(mode, "AllowOnlyApprovedOutbound")) return;
      const what =
        mode === undefined
          ? `managedNetwork${network === undefined ? "" : ".isolationMode"} is not set (Azure defaults to Disabled: no managed network, computes reach the internet freely)`
          : `managedNetwork.isolationMode is ${shown(mode)}${sameText(mode, "AllowInternetOutbound") ? " (any internet destination is reachable, so data can be exfiltrated)" : ""}`;
      report(`${what}; set managedNetwork.isolationMode to "AllowOnlyApprovedOutbound".`);
    }),
  },
  {
    name: "aml-workspace-user-assigned-identity",
    description:
      "Azure ML workspaces must use only a user-assigned identity (identity.type UserAssigned) that is also their primaryUserAssignedIdentity; an absent identity is a violation because Azure then creates a system-assigned one.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Set `identity: { type: "UserAssigned", userAssignedIdentities: [<identity id>] }` and `primaryUserAssignedIdentity: <the same identity id>` on the azure-native:machinelearningservices:Workspace, and grant that identity its roles before the workspace is created.',
    validateResource: forType(TYPES.mlWorkspace, (args, report) => {
      const identity: unknown = args.props.identity;
      if (identity === undefined) {
        report(
          'identity is not set (Azure creates a system-assigned identity, whose roles Azure grants itself and which dies with the workspace); set identity.type to "UserAssigned" with primaryUserAssignedIdentity.',
        );
        return;
      }
      const type = valueAt(identity, "type");
      if (!sameText(type, "UserAssigned")) {
        report(
          `identity.type is ${shown(type)}: the workspace must use a user-assigned identity only; set identity.type to "UserAssigned".`,
        );
        return;
      }
      const primary: unknown = args.props.primaryUserAssignedIdentity;
      if (!isNonEmptyString(primary)) {
        report(
          `primaryUserAssignedIdentity is ${shown(primary)}: without it Azure cannot tell which user-assigned identity the workspace acts as; set it to the identity's resource id.`,
        );
        return;
      }
      const listed = valueAt(identity, "userAssignedIdentities");
      const ids = Array.isArray(listed) ? (listed as unknown[]) : [];
      if (ids.some((id) => sameArmId(id, primary))) return;
      report(
        `primaryUserAssignedIdentity ${shown(primary)} is not in identity.userAssignedIdentities (${shown(listed)}); list it there.`,
      );
    }),
  },
  {
    name: "aml-workspace-identity-based-datastores",
    description:
      "Azure ML workspaces must reach their system datastores with the workspace identity (systemDatastoresAuthMode Identity); an absent value is treated as AccessKey, the service default.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `systemDatastoresAuthMode: "Identity"` on the azure-native:machinelearningservices:Workspace (and give the workspace identity Storage Blob Data Contributor and Storage File Data Privileged Contributor on its storage account).',
    validateResource: forType(TYPES.mlWorkspace, (args, report) => {
      const value: unknown = args.props.systemDatastoresAuthMode;
      if (sameText(value, "Identity")) return;
      report(
        `systemDatastoresAuthMode is ${value === undefined ? "not set (Azure defaults to AccessKey)" : shown(value)}: the workspace's datastores authenticate with storage account keys or SAS; set it to "Identity".`,
      );
    }),
  },
  {
    name: "aml-workspace-cmk-for-hbi",
    description:
      "Azure ML workspaces flagged high business impact (hbiWorkspace true) should encrypt their data with a customer-managed key (encryption.status Enabled with keyVaultProperties); absent encryption means Microsoft-managed keys. Advisory: data is encrypted at rest either way, and a CMK is a one-way choice at creation that adds a Key Vault key and Azure-managed Cosmos DB, AI Search and storage resources billed to the subscription.",
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps:
      'When creating the azure-native:machinelearningservices:Workspace, set `encryption: { status: "Enabled", identity: { userAssignedIdentity: <workspace identity id> }, keyVaultProperties: { keyVaultArmId: <vault id>, keyIdentifier: <key URI> } }` (vault with purge protection; the identity needs Key Vault Crypto Service Encryption User). Existing workspaces need a new workspace. To make this blocking for a stack, set its enforcementLevel to "mandatory" in that stack\'s policy config.',
    configSchema: {
      properties: {
        requireCmkForHbi: { type: "boolean", default: true, description: "Check workspaces with hbiWorkspace true." },
        requireCmkForAll: { type: "boolean", default: false, description: "Check every workspace, HBI or not." },
      },
    },
    validateResource: forType(TYPES.mlWorkspace, (args, report) => {
      const { requireCmkForHbi, requireCmkForAll } = args.getConfig<CmkConfig>();
      if (!requireCmkForAll) {
        if (!requireCmkForHbi) return;
        if (!isTrue(args.props.hbiWorkspace)) return;
      }
      const reason = requireCmkForAll ? "every workspace must use a customer-managed key" : "hbiWorkspace is true";
      const encryption: unknown = args.props.encryption;
      if (encryption === undefined) {
        report(
          `encryption is not set (Microsoft-managed keys) but ${reason}; set encryption.status to "Enabled" with encryption.keyVaultProperties.`,
        );
        return;
      }
      const status = valueAt(encryption, "status");
      if (!sameText(status, "Enabled")) {
        report(
          `encryption.status is ${shown(status)} but ${reason}; set it to "Enabled" with encryption.keyVaultProperties.`,
        );
        return;
      }
      const keyVaultArmId = valueAt(encryption, "keyVaultProperties.keyVaultArmId");
      const keyIdentifier = valueAt(encryption, "keyVaultProperties.keyIdentifier");
      if (isNonEmptyString(keyVaultArmId) && isNonEmptyString(keyIdentifier)) return;
      report(
        `encryption.keyVaultProperties is incomplete (keyVaultArmId ${shown(keyVaultArmId)}, keyIdentifier ${shown(keyIdentifier)}); set both to the Key Vault id and the key URI.`,
      );
    }),
  },
  {
    name: "aml-workspace-serverless-no-public-ip",
    description:
      "Azure ML workspaces must run serverless compute without public IPs (serverlessComputeSettings.serverlessComputeNoPublicIP true); an absent value is treated as false, the service default.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Set `serverlessComputeSettings: { serverlessComputeNoPublicIP: true }` on the azure-native:machinelearningservices:Workspace.",
    validateResource: forType(TYPES.mlWorkspace, (args, report) => {
      const settings: unknown = args.props.serverlessComputeSettings;
      const value = settings === undefined ? undefined : valueAt(settings, "serverlessComputeNoPublicIP");
      if (isTrue(value)) return;
      report(
        `serverlessComputeSettings.serverlessComputeNoPublicIP is ${value === undefined ? "not set (Azure defaults to false)" : shown(value)}: serverless job nodes get public IP addresses; set it to true.`,
      );
    }),
  },
  {
    name: "aml-workspace-approved-outbound-fqdns",
    description:
      "Azure ML workspace managed networks should allow outbound FQDN rules (managedNetwork.outboundRules of type FQDN, and standalone ManagedNetworkSettingsRule resources) only to approved destinations (config approvedFqdns; a `*.` entry covers every host below it); no outbound rules is compliant. Advisory on purpose: which package hosts a team may reach is a per-stack review decision (the default list is the project's outbound presets); the destinations that defeat approved-outbound-only whatever the team decides (`*`, shared Azure service domains) are blocked by the mandatory aml-workspace-outbound-no-broad-wildcard. A stack's policy config can raise it to mandatory.",
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps:
      "Remove the unapproved FQDN rules from `managedNetwork.outboundRules` on the azure-native:machinelearningservices:Workspace (or the standalone rule resource), or add the destination to this policy's `approvedFqdns` in the stack's policy config after review.",
    configSchema: {
      properties: {
        approvedFqdns: {
          type: "array",
          items: { type: "string" },
          default: [...DEFAULT_APPROVED_FQDNS],
          description:
            "Host names outbound FQDN rules may target; `*.example.com` covers every host below example.com, `*` covers everything. Default: the FQDNs of the project's outbound presets (2026.11).",
        },
      },
    },
    validateResource: (args, report) => {
      const rules = fqdnRulesOf(args);
      if (rules.length === 0) return;
      const { approvedFqdns } = args.getConfig<FqdnConfig>();
      for (const { label, destination } of rules) {
        if (fqdnApproved(destination, approvedFqdns)) continue;
        report(
          `${label} allows FQDN ${shown(destination)}, which is not in approvedFqdns; remove the rule or approve the destination.`,
        );
      }
    },
  },
  {
    name: "aml-workspace-outbound-no-broad-wildcard",
    description:
      "Azure ML workspace managed networks must not allow an FQDN outbound rule of `*`, a wildcard over a top-level domain, or a wildcard over a shared Azure service domain (storage, Key Vault, Container Registry and Azure ML domains of every cloud in the facts catalogue, their parent domains, and config sharedServiceDomains): such a rule reaches every customer's resources of that service, an attacker's included, and defeats AllowOnlyApprovedOutbound. Checks inline managedNetwork.outboundRules of the Workspace and standalone ManagedNetworkSettingsRule resources; exact host names are left to aml-workspace-approved-outbound-fqdns.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Remove the FQDN rule. To reach one Azure resource (a storage account, key vault, registry), add a private endpoint outbound rule to it (`type: "PrivateEndpoint"`, `destination: { serviceResourceId, subresourceTarget }`); for a third-party package host, name its host names or a wildcard below its own domain (e.g. `*.anaconda.org`).',
    configSchema: {
      properties: {
        sharedServiceDomains: {
          type: "array",
          items: { type: "string" },
          default: [...SHARED_SERVICE_DOMAINS],
          description:
            "Domains under which every customer's resources have host names; a wildcard at, below or above one is refused. Default: the storage, Key Vault, Container Registry and Azure ML domains of every cloud in the facts catalogue, their registrable domains, and azure.com, azurewebsites.net, cloudapp.net, trafficmanager.net, azure-api.net and azurefd.net.",
        },
      },
    },
    validateResource: (args, report) => {
      const rules = fqdnRulesOf(args);
      if (rules.length === 0) return;
      const { sharedServiceDomains } = args.getConfig<SharedDomainsConfig>();
      for (const { label, destination } of rules) {
        const reason = broadWildcardReason(destination, sharedServiceDomains);
        if (reason === undefined) continue;
        report(
          `${label} allows FQDN ${shown(destination)}: ${reason}, so approved-outbound-only no longer limits where data can go; remove it and use a private endpoint outbound rule for Azure resources.`,
        );
      }
    },
  },
  {
    name: "aml-workspace-v1-legacy-mode-off",
    description:
      "Azure ML workspaces should not enable v1LegacyMode, which blocks the v2 API (managed online endpoints, CLI and SDK v2) to keep the network isolation of the v1 API, deprecated since 31 March 2025; absent means false, the default since API 2022-05-01. Advisory: the mode is not itself insecure.",
    enforcementLevel: ADVISORY,
    severity: "low",
    remediationSteps:
      "Remove `v1LegacyMode` or set it to `false` on the azure-native:machinelearningservices:Workspace; to keep the metadata of Azure Resource Manager calls off public networks, use an Azure Resource Manager private link (resource management private link) instead.",
    validateResource: forType(TYPES.mlWorkspace, (args, report) => {
      const value: unknown = args.props.v1LegacyMode;
      if (!isTrue(value)) return;
      report(
        `v1LegacyMode is ${shown(value)}: the workspace refuses v2 API operations (managed online endpoints, CLI and SDK v2) and depends on the deprecated v1 API; set it to false.`,
      );
    }),
  },
];
