import { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { ADVISORY, BaselineResourcePolicy, MANDATORY } from "../support/baseline";
import {
  DEFAULT_ALLOWED_INSTANCE_TYPES,
  DEFAULT_INSTANCE_TYPE,
  TYPES,
  forType,
  includesText,
  isTrue,
  modelSource,
  propertiesAt,
  shown,
} from "../support/ml";
import { managedIdentityProblem, sameText } from "../support/props";

/**
 * Azure ML online endpoint and deployment rules (`azure-native:machinelearningservices:OnlineEndpoint`
 * and `...:OnlineDeployment`). Both keep their settings in a `properties` object
 * (`properties.authMode`, `properties.egressPublicNetworkAccess`, ...); the identity of an
 * endpoint is at the top (`identity`).
 */

/** Managed online deployments (`properties.endpointComputeType` Managed, the only kind when absent). */
function forManagedDeployment(
  check: (args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation {
  return forType(TYPES.onlineDeployment, (args, report) => {
    const computeType = propertiesAt(args, "endpointComputeType");
    if (computeType === undefined || sameText(computeType, "Managed")) check(args, report);
  });
}

interface AuthConfig {
  allowedAuthModes: string[];
}

interface RegistryConfig {
  allowedModelRegistries: string[];
}

interface InstanceTypeConfig {
  allowedInstanceTypes: string[];
}

export const endpointsPolicies: BaselineResourcePolicy[] = [
  {
    name: "aml-online-endpoint-public-network-disabled",
    description:
      "Azure ML online endpoints must disable public network access for scoring (properties.publicNetworkAccess Disabled); an absent value is treated as Enabled, the service and SDK default.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `properties.publicNetworkAccess: "Disabled"` on the azure-native:machinelearningservices:OnlineEndpoint and score through the workspace private endpoint.',
    validateResource: forType(TYPES.onlineEndpoint, (args, report) => {
      const value = propertiesAt(args, "publicNetworkAccess");
      if (sameText(value, "Disabled")) return;
      report(
        `properties.publicNetworkAccess is ${value === undefined ? "not set (Azure defaults to Enabled)" : shown(value)}: the scoring URI is reachable from the internet; set it to "Disabled".`,
      );
    }),
  },
  {
    name: "aml-online-endpoint-token-auth",
    description:
      "Azure ML online endpoints must authenticate callers with tokens (properties.authMode in config allowedAuthModes, default AADToken and AMLToken), never static keys; an absent authMode is treated as Key, the Azure ML CLI and SDK default.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `properties.authMode: "AADToken"` on the azure-native:machinelearningservices:OnlineEndpoint and give callers the AzureML Data Scientist role (or a custom role with the score action) on the workspace.',
    configSchema: {
      properties: {
        allowedAuthModes: {
          type: "array",
          items: { type: "string", enum: ["AADToken", "AMLToken", "Key"] },
          default: ["AADToken", "AMLToken"],
          description:
            "Authentication modes endpoints may use. AADToken (Microsoft Entra tokens) is preferred; AMLToken tokens expire but are issued by the workspace.",
        },
      },
    },
    validateResource: forType(TYPES.onlineEndpoint, (args, report) => {
      const { allowedAuthModes } = args.getConfig<AuthConfig>();
      const value = propertiesAt(args, "authMode");
      if (value !== undefined && includesText(allowedAuthModes, value)) return;
      const why =
        value === undefined || sameText(value, "Key")
          ? ": callers authenticate with long-lived keys that are not tied to an identity"
          : "";
      report(
        `properties.authMode is ${value === undefined ? "not set (the Azure ML CLI and SDK default to Key)" : shown(value)}${why}; set it to one of ${allowedAuthModes.join(", ")}.`,
      );
    }),
  },
  {
    name: "aml-online-endpoint-identity",
    description:
      "Azure ML online endpoints must declare their managed identity (identity.type UserAssigned or SystemAssigned, with at least one user-assigned identity for UserAssigned); an absent identity is a violation because Azure then creates a system-assigned identity and grants it roles outside the program.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Set `identity: { type: "UserAssigned", userAssignedIdentities: [<identity id>] }` on the azure-native:machinelearningservices:OnlineEndpoint and grant that identity AcrPull, Storage Blob Data Reader and AzureML Metrics Writer explicitly.',
    validateResource: forType(TYPES.onlineEndpoint, (args, report) => {
      const identity: unknown = args.props.identity;
      if (identity === undefined) {
        report(
          'identity is not set: Azure gives the endpoint a system-assigned identity and grants it access outside this program; set identity.type to "UserAssigned" with the endpoint identity.',
        );
        return;
      }
      const problem = managedIdentityProblem(
        identity,
        "identity",
        'the endpoint has no managed identity to pull images and read models with; set it to "UserAssigned".',
      );
      if (problem) report(problem);
    }),
  },
  {
    name: "aml-online-deployment-egress-disabled",
    description:
      'Managed online deployments must not open public egress (properties.egressPublicNetworkAccess "Enabled" is a violation). The flag belongs to the legacy network isolation method: with a workspace managed network (which aml-workspace-managed-network-approved-outbound requires) outbound traffic follows the workspace\'s outbound rules, and Microsoft says "Avoid setting this flag" (Network isolation with managed online endpoints), so leaving it unset passes; "Disabled" passes too (Microsoft requires it for models from an Azure ML registry).',
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Remove `properties.egressPublicNetworkAccess` (workspace managed network), or set it to "Disabled" (a model from an Azure ML registry, or the legacy isolation method).',
    validateResource: forManagedDeployment((args, report) => {
      const value = propertiesAt(args, "egressPublicNetworkAccess");
      if (value === undefined || sameText(value, "Disabled")) return;
      report(
        `properties.egressPublicNetworkAccess is ${shown(value)}: the deployment's container can reach the internet (a path to exfiltrate data); remove it (workspace managed network) or set it to "Disabled".`,
      );
    }),
  },
  {
    name: "aml-online-deployment-app-insights",
    description:
      "Online deployments should send their logs and metrics to Application Insights (properties.appInsightsEnabled true); an absent value is treated as false, the service default. Advisory on purpose: with local authentication off on Application Insights only Microsoft Entra-authenticated telemetry is ingested, which Microsoft does not document for managed online deployments; such stacks rely on Azure Monitor metrics and the workspace's diagnostic logs instead.",
    enforcementLevel: ADVISORY,
    severity: "low",
    remediationSteps:
      "Set `properties.appInsightsEnabled: true` on the azure-native:machinelearningservices:OnlineDeployment.",
    validateResource: forType(TYPES.onlineDeployment, (args, report) => {
      const value = propertiesAt(args, "appInsightsEnabled");
      if (isTrue(value)) return;
      report(
        `properties.appInsightsEnabled is ${value === undefined ? "not set (Azure defaults to false)" : shown(value)}: scoring requests, errors and latency are not recorded; set it to true.`,
      );
    }),
  },
  {
    name: "aml-online-deployment-model-allowed-registries",
    description:
      "Online deployments must serve registered models from their workspace (azureml:<name>:<version> or a workspace model id) or from a registry in config allowedModelRegistries (azureml://registries/<name>/..., default none); other references (datastore paths, job outputs, URLs) are violations. A deployment without properties.model is not checked.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Register the model in the workspace (or an approved registry) and set `properties.model` on the azure-native:machinelearningservices:OnlineDeployment to its id, e.g. `<workspace id>/models/<name>/versions/<version>`; to allow a registry, add its name to this policy's `allowedModelRegistries`.",
    configSchema: {
      properties: {
        allowedModelRegistries: {
          type: "array",
          items: { type: "string" },
          default: [],
          description:
            "Azure ML registry names deployments may take models from (e.g. `azureml` for Microsoft's curated models). Default: none, only workspace models.",
        },
      },
    },
    validateResource: forType(TYPES.onlineDeployment, (args, report) => {
      const model = propertiesAt(args, "model");
      if (model === undefined) return;
      if (typeof model !== "string") {
        report(`properties.model is ${shown(model)}, not a model reference; set it to a registered model id.`);
        return;
      }
      const source = modelSource(model);
      if (source.kind === "workspace") return;
      const { allowedModelRegistries } = args.getConfig<RegistryConfig>();
      if (source.kind === "registry") {
        if (includesText(allowedModelRegistries, source.registry)) return;
        report(
          `properties.model ${shown(model)} comes from registry ${shown(source.registry)}, which is not in allowedModelRegistries; register the model in the workspace or approve the registry.`,
        );
        return;
      }
      report(
        `properties.model ${shown(model)} is not a registered workspace or registry model (unversioned and unreviewed content); register the model and reference its id.`,
      );
    }),
  },
  {
    name: "aml-online-deployment-instance-type-allowed",
    description:
      "Managed online deployments must use an instance type from config allowedInstanceTypes (case-insensitive); an absent instanceType is checked as Standard_F4s_v2, the service default.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      "Set `properties.instanceType` on the azure-native:machinelearningservices:OnlineDeployment to an allowed size, or add the size to this policy's `allowedInstanceTypes` in the stack's policy config.",
    configSchema: {
      properties: {
        allowedInstanceTypes: {
          type: "array",
          items: { type: "string" },
          default: [...DEFAULT_ALLOWED_INSTANCE_TYPES],
          description:
            "VM sizes managed online deployments may use (case-insensitive). Default: the managed online endpoint sizes of the project's catalogue.",
        },
      },
    },
    validateResource: forManagedDeployment((args, report) => {
      const value = propertiesAt(args, "instanceType");
      const effective = value === undefined ? DEFAULT_INSTANCE_TYPE : value;
      const { allowedInstanceTypes } = args.getConfig<InstanceTypeConfig>();
      if (includesText(allowedInstanceTypes, effective)) return;
      report(
        `properties.instanceType is ${value === undefined ? `not set (Azure uses ${DEFAULT_INSTANCE_TYPE})` : shown(value)}, which is not in allowedInstanceTypes; use an allowed size or add it to the policy config.`,
      );
    }),
  },
];
