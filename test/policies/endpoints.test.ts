import { describe, expect, it } from "vitest";
import { endpointsPolicies } from "../../policies/rules/endpoints";
import { DEFAULT_ALLOWED_INSTANCE_TYPES, modelSource } from "../../policies/support/ml";
import { UNKNOWN } from "./support/harness";
import {
  ENDPOINT_IDENTITY,
  SUBSCRIPTION,
  WORKSPACE_ID,
  onlineDeployment,
  onlineEndpoint,
  withProp,
} from "./fixtures/ml";
import { MlRuleCases, describeMlRules, describeShippedStacks } from "./fixtures/mlCases";

const endpoint = onlineEndpoint();
const deployment = onlineDeployment();
const kubernetes = withProp(
  withProp(deployment, "properties.endpointComputeType", "Kubernetes"),
  "properties.instanceType",
  "defaultinstancetype",
);
const REGISTRY_MODEL = "azureml://registries/azureml/models/phi-3-mini/versions/4";
const REGISTRY_ARM_MODEL = `${SUBSCRIPTION}/resourceGroups/rg-shared/providers/Microsoft.MachineLearningServices/registries/shared-models/models/churn/versions/7`;

const table: MlRuleCases[] = [
  {
    policy: "aml-online-endpoint-public-network-disabled",
    compliant: [
      { title: "Disabled", resource: endpoint },
      { title: "any case", resource: withProp(endpoint, "properties.publicNetworkAccess", "disabled") },
      {
        title: "a deployment is not checked",
        resource: withProp(deployment, "properties.publicNetworkAccess", "Enabled"),
      },
    ],
    violations: [
      {
        title: "Enabled",
        resource: withProp(endpoint, "properties.publicNetworkAccess", "Enabled"),
        messages: [/^properties.publicNetworkAccess is "Enabled": the scoring URI is reachable from the internet/],
      },
      {
        title: "absent (Azure: Enabled)",
        resource: withProp(endpoint, "properties.publicNetworkAccess", undefined),
        messages: [/^properties.publicNetworkAccess is not set \(Azure defaults to Enabled\)/],
      },
    ],
    unknown: [
      { title: "value unknown", resource: withProp(endpoint, "properties.publicNetworkAccess", UNKNOWN.string) },
      { title: "properties unknown", resource: withProp(endpoint, "properties", UNKNOWN.object) },
    ],
  },
  {
    policy: "aml-online-endpoint-token-auth",
    compliant: [
      { title: "AADToken", resource: endpoint },
      { title: "AMLToken", resource: withProp(endpoint, "properties.authMode", "AMLToken") },
      { title: "any case", resource: withProp(endpoint, "properties.authMode", "aadtoken") },
    ],
    violations: [
      {
        title: "Key",
        resource: withProp(endpoint, "properties.authMode", "Key"),
        messages: [
          /^properties.authMode is "Key": callers authenticate with long-lived keys.*set it to one of AADToken, AMLToken/,
        ],
      },
      {
        title: "absent (CLI and SDK: Key)",
        resource: withProp(endpoint, "properties.authMode", undefined),
        messages: [/^properties.authMode is not set \(the Azure ML CLI and SDK default to Key\)/],
      },
      {
        title: "AMLToken when only AADToken is allowed",
        resource: withProp(endpoint, "properties.authMode", "AMLToken"),
        config: { allowedAuthModes: ["AADToken"] },
        messages: [/^properties.authMode is "AMLToken"; set it to one of AADToken\.$/],
      },
    ],
    unknown: [{ title: "value unknown", resource: withProp(endpoint, "properties.authMode", UNKNOWN.string) }],
  },
  {
    policy: "aml-online-endpoint-identity",
    compliant: [
      { title: "user-assigned", resource: endpoint },
      { title: "system-assigned", resource: withProp(endpoint, "identity", { type: "SystemAssigned" }) },
    ],
    violations: [
      {
        title: "absent",
        resource: withProp(endpoint, "identity", undefined),
        messages: [/^identity is not set: Azure gives the endpoint a system-assigned identity/],
      },
      {
        title: "None",
        resource: withProp(endpoint, "identity", { type: "None" }),
        messages: [/^identity.type is "None": the endpoint has no managed identity/],
      },
      {
        title: "UserAssigned without identities",
        resource: withProp(endpoint, "identity.userAssignedIdentities", undefined),
        messages: [/^identity.type is "UserAssigned" but identity.userAssignedIdentities is not set/],
      },
    ],
    unknown: [
      { title: "type unknown", resource: withProp(endpoint, "identity.type", UNKNOWN.string) },
      { title: "identities unknown", resource: withProp(endpoint, "identity.userAssignedIdentities", UNKNOWN.object) },
    ],
  },
  {
    policy: "aml-online-deployment-egress-disabled",
    compliant: [
      { title: "Disabled", resource: deployment },
      {
        title: "absent: a workspace managed network applies its outbound rules (Microsoft: avoid setting the flag)",
        resource: withProp(deployment, "properties.egressPublicNetworkAccess", undefined),
      },
      {
        title: "a Kubernetes deployment is not checked",
        resource: withProp(kubernetes, "properties.egressPublicNetworkAccess", "Enabled"),
      },
      {
        title: "an endpoint is not checked",
        resource: withProp(endpoint, "properties.egressPublicNetworkAccess", "Enabled"),
      },
    ],
    violations: [
      {
        title: "Enabled",
        resource: withProp(deployment, "properties.egressPublicNetworkAccess", "Enabled"),
        messages: [
          /^properties.egressPublicNetworkAccess is "Enabled": the deployment's container can reach the internet/,
        ],
      },
      {
        title: "compute type absent (managed)",
        resource: withProp(
          withProp(deployment, "properties.endpointComputeType", undefined),
          "properties.egressPublicNetworkAccess",
          "Enabled",
        ),
        messages: [/^properties.egressPublicNetworkAccess is "Enabled"/],
      },
    ],
    unknown: [
      {
        title: "value unknown",
        resource: withProp(deployment, "properties.egressPublicNetworkAccess", UNKNOWN.string),
      },
    ],
  },
  {
    policy: "aml-online-deployment-app-insights",
    compliant: [
      { title: "true", resource: deployment },
      { title: "Kubernetes deployment, true", resource: kubernetes },
    ],
    violations: [
      {
        title: "false",
        resource: withProp(deployment, "properties.appInsightsEnabled", false),
        messages: [/^properties.appInsightsEnabled is false: .*set it to true/],
      },
      {
        title: "absent (Azure: false)",
        resource: withProp(deployment, "properties.appInsightsEnabled", undefined),
        messages: [/^properties.appInsightsEnabled is not set \(Azure defaults to false\)/],
      },
    ],
    unknown: [
      { title: "value unknown", resource: withProp(deployment, "properties.appInsightsEnabled", UNKNOWN.boolean) },
    ],
  },
  {
    policy: "aml-online-deployment-model-allowed-registries",
    compliant: [
      { title: "workspace model ARM id", resource: deployment },
      { title: "azureml:<name>:<version>", resource: withProp(deployment, "properties.model", "azureml:churn:3") },
      { title: "azureml:<name>@latest", resource: withProp(deployment, "properties.model", "azureml:churn@latest") },
      { title: "no model (custom container)", resource: withProp(deployment, "properties.model", undefined) },
      {
        title: "an allowed registry",
        resource: withProp(deployment, "properties.model", REGISTRY_MODEL),
        config: { allowedModelRegistries: ["AzureML"] },
      },
      {
        title: "an allowed registry by ARM id",
        resource: withProp(deployment, "properties.model", REGISTRY_ARM_MODEL),
        config: { allowedModelRegistries: ["shared-models"] },
      },
    ],
    violations: [
      {
        title: "a registry model (no registries allowed by default)",
        resource: withProp(deployment, "properties.model", REGISTRY_MODEL),
        messages: [
          /^properties.model "azureml:\/\/registries\/azureml\/models\/phi-3-mini\/versions\/4" comes from registry "azureml", which is not in allowedModelRegistries/,
        ],
      },
      {
        title: "a registry model by ARM id",
        resource: withProp(deployment, "properties.model", REGISTRY_ARM_MODEL),
        messages: [/comes from registry "shared-models", which is not in allowedModelRegistries/],
      },
      {
        title: "another registry than the allowed one",
        resource: withProp(deployment, "properties.model", REGISTRY_MODEL),
        config: { allowedModelRegistries: ["shared-models"] },
        messages: [/comes from registry "azureml"/],
      },
      {
        title: "a datastore path",
        resource: withProp(
          deployment,
          "properties.model",
          "azureml://datastores/workspaceblobstore/paths/models/churn/",
        ),
        messages: [/^properties.model "azureml:\/\/datastores\/.*" is not a registered workspace or registry model/],
      },
      {
        title: "a URL",
        resource: withProp(deployment, "properties.model", "https://example.com/model.pkl"),
        messages: [/^properties.model "https:\/\/example.com\/model.pkl" is not a registered/],
      },
      {
        title: "an unversioned short name",
        resource: withProp(deployment, "properties.model", "azureml:churn"),
        messages: [/^properties.model "azureml:churn" is not a registered/],
      },
    ],
    unknown: [
      {
        title: "model unknown (workspace id in preview)",
        resource: withProp(deployment, "properties.model", UNKNOWN.string),
      },
    ],
  },
  {
    policy: "aml-online-deployment-instance-type-allowed",
    compliant: [
      { title: "Standard_DS3_v2", resource: deployment },
      {
        title: "absent (Azure: Standard_F4s_v2)",
        resource: withProp(deployment, "properties.instanceType", undefined),
      },
      { title: "any case", resource: withProp(deployment, "properties.instanceType", "standard_nc4as_t4_v3") },
      { title: "Kubernetes instance types are cluster-defined and not checked", resource: kubernetes },
    ],
    violations: [
      {
        title: "a size not allowed",
        resource: withProp(deployment, "properties.instanceType", "Standard_M128ms"),
        messages: [/^properties.instanceType is "Standard_M128ms", which is not in allowedInstanceTypes/],
      },
      {
        title: "absent when the default size is not allowed",
        resource: withProp(deployment, "properties.instanceType", undefined),
        config: { allowedInstanceTypes: ["Standard_DS3_v2"] },
        messages: [
          /^properties.instanceType is not set \(Azure uses Standard_F4s_v2\), which is not in allowedInstanceTypes/,
        ],
      },
    ],
    unknown: [{ title: "value unknown", resource: withProp(deployment, "properties.instanceType", UNKNOWN.string) }],
  },
];

describeMlRules("online endpoint", /^aml-online-(endpoint|deployment)-/, endpointsPolicies, table);

describe("model references", () => {
  it("classify workspace, registry and other models", () => {
    expect(modelSource(`${WORKSPACE_ID}/models/churn/versions/3`)).toEqual({ kind: "workspace" });
    expect(modelSource("azureml://locations/westeurope/workspaces/0f1e2d3c/models/churn/versions/3")).toEqual({
      kind: "workspace",
    });
    expect(modelSource(REGISTRY_MODEL)).toEqual({ kind: "registry", registry: "azureml" });
    expect(modelSource("azureml://registries/shared/models/churn/labels/latest")).toEqual({
      kind: "registry",
      registry: "shared",
    });
    expect(modelSource("azureml://jobs/abc/outputs/artifacts/paths/model/")).toEqual({ kind: "other" });
    expect(modelSource(ENDPOINT_IDENTITY)).toEqual({ kind: "other" });
  });

  it("default instance types include Azure's default instance type, Standard_F4s_v2", () => {
    expect(DEFAULT_ALLOWED_INSTANCE_TYPES).toContain("Standard_F4s_v2");
  });
});

// With the shipped policy configs: prod deploys the model promoted to its own registry (assets.models.churn,
// from: registry), and policy-config.prod.json approves mlr-amlprod in aml-online-deployment-model-allowed-registries.
// App Insights telemetry is off on purpose (local auth off; deploy-audit R4): the advisory rule documents the gap.
describeShippedStacks(
  "online endpoint",
  endpointsPolicies,
  { dev: ["aml-online-deployment-app-insights"], prod: ["aml-online-deployment-app-insights"] },
  { shippedConfig: true },
);
