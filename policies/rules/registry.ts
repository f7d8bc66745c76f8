import { BaselineResourcePolicy, MANDATORY } from "../support/baseline";
import { isTrue, sameText, shown, valueAt } from "../support/props";
import { TYPES } from "secure-azureml-facts";

/**
 * Container registry rules (azure-native v3, ACR API 2023-01-01-preview). Registry inputs are
 * flattened: `adminUserEnabled`, `sku.name`, `policies.exportPolicy.status`, ... (ARM:
 * `properties.policies`, specification/containerregistry/.../preview/2023-01-01-preview/containerregistry.json
 * `Policies`). Microsoft Learn, "Disable authentication as ARM template" (container registry):
 * with azureADAuthenticationAsArmPolicy disabled only ACR-audience tokens sign in.
 */

const REGISTRY = TYPES.registry;

export const registryPolicies: BaselineResourcePolicy[] = [
  {
    name: "acr-admin-user-disabled",
    description:
      "Container registries must not enable the admin user (a shared username and password); an absent adminUserEnabled is compliant because Azure and the SDK default it to false.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Set `adminUserEnabled: false` on the azure-native:containerregistry:Registry and pull with Entra ID identities holding AcrPull.",
    validateResource: (args, report) => {
      if (args.type !== REGISTRY) return;
      const value = valueAt(args.props, "adminUserEnabled");
      if (value === undefined || !isTrue(value)) return;
      report(`adminUserEnabled is ${shown(value)}: anyone with the admin password can push and pull; set it to false.`);
    },
  },
  {
    name: "acr-anonymous-pull-disabled",
    description:
      "Container registries must not allow anonymous (unauthenticated) pulls; an absent anonymousPullEnabled is compliant because Azure and the SDK default it to false.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps: "Set `anonymousPullEnabled: false` on the azure-native:containerregistry:Registry.",
    validateResource: (args, report) => {
      if (args.type !== REGISTRY) return;
      const value = valueAt(args.props, "anonymousPullEnabled");
      if (value === undefined || !isTrue(value)) return;
      report(
        `anonymousPullEnabled is ${shown(value)}: anyone who can reach the registry can pull its images; set it to false.`,
      );
    },
  },
  {
    name: "acr-premium-sku",
    description:
      "Container registries must use the Premium SKU, the only tier with private endpoints, network rules and a controllable export policy.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps: 'Set `sku: { name: "Premium" }` on the azure-native:containerregistry:Registry.',
    validateResource: (args, report) => {
      if (args.type !== REGISTRY) return;
      const value = valueAt(args.props, "sku.name");
      if (sameText(value, "Premium")) return;
      report(
        `sku.name is ${shown(value)}: only Premium registries can be reached privately and closed to the public network; set it to "Premium".`,
      );
    },
  },
  {
    name: "acr-public-network-disabled",
    description:
      "Container registries must disable public network access; an absent publicNetworkAccess is treated as Enabled, the service and SDK default.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `publicNetworkAccess: "Disabled"` on the azure-native:containerregistry:Registry and reach it through a private endpoint (group `registry`).',
    validateResource: (args, report) => {
      if (args.type !== REGISTRY) return;
      const value = valueAt(args.props, "publicNetworkAccess");
      if (sameText(value, "Disabled")) return;
      report(
        `publicNetworkAccess is ${value === undefined ? "not set (Azure defaults to Enabled)" : shown(value)}: the registry's public endpoint is reachable; set it to "Disabled".`,
      );
    },
  },
  {
    name: "acr-export-disabled",
    description:
      "Container registries must disable artifact export (pipelines and `az acr import` out of the registry); an absent policies.exportPolicy.status is treated as enabled, the service and SDK default.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Set `policies: { exportPolicy: { status: "disabled" } }` on the azure-native:containerregistry:Registry (Azure requires publicNetworkAccess Disabled first).',
    validateResource: (args, report) => {
      if (args.type !== REGISTRY) return;
      const value = valueAt(args.props, "policies.exportPolicy.status");
      if (sameText(value, "disabled")) return;
      report(
        `policies.exportPolicy.status is ${value === undefined ? "not set (Azure defaults to enabled)" : shown(value)}: images can be exported out of the private network; set it to "disabled".`,
      );
    },
  },
  {
    name: "acr-arm-audience-token-disabled",
    description:
      'Container registries must refuse Microsoft Entra tokens issued for Azure Resource Manager (policies.azureADAuthenticationAsArmPolicy.status disabled), so that only tokens whose audience is the registry itself can sign in (Azure built-in policy 42781ec6-6127-4c30-bdfa-fb423a0047d3, "Container registries should have ARM audience token authentication disabled"); an absent value is treated as enabled, the default of the ContainerRegistry API (2023-01-01-preview, AzureADAuthenticationAsArmPolicy.status) and of the SDK.',
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Set `policies: { azureADAuthenticationAsArmPolicy: { status: "disabled" }, ... }` on the azure-native:containerregistry:Registry (`az acr config authentication-as-arm update --status disabled` on an existing registry). Clients that sign in with an ARM token (some services pulling with a managed identity) then need ACR-audience tokens.',
    validateResource: (args, report) => {
      if (args.type !== REGISTRY) return;
      const value = valueAt(args.props, "policies.azureADAuthenticationAsArmPolicy.status");
      if (sameText(value, "disabled")) return;
      report(
        `policies.azureADAuthenticationAsArmPolicy.status is ${value === undefined ? "not set (Azure defaults to enabled)" : shown(value)}: the registry accepts any Entra token issued for Azure Resource Manager, so a token leaked for management calls also pushes and pulls images; set it to "disabled".`,
      );
    },
  },
  {
    name: "acr-network-default-deny",
    description:
      "A container registry network rule set, when present, must deny by default; an absent defaultAction inside it is treated as Allow, the SDK default (registries without a rule set are left to acr-public-network-disabled).",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Set `networkRuleSet: { defaultAction: "Deny" }` on the azure-native:containerregistry:Registry (or remove the rule set and keep publicNetworkAccess Disabled).',
    validateResource: (args, report) => {
      if (args.type !== REGISTRY) return;
      const ruleSet = valueAt(args.props, "networkRuleSet");
      if (ruleSet === undefined || ruleSet === null) return;
      const action = valueAt(ruleSet, "defaultAction");
      if (sameText(action, "Deny")) return;
      report(
        `networkRuleSet.defaultAction is ${action === undefined ? "not set (the SDK defaults it to Allow)" : shown(action)}: requests from any network pass the registry firewall; set it to "Deny".`,
      );
    },
  },
];
