import { BaselineStackPolicy, MANDATORY } from "../support/baseline";
import { ROLE_IDS } from "./identity";
import { validateAssetsExistBeforeUse } from "./readiness/assets";
import { validateDataCollectionContainer } from "./readiness/dataCollection";
import { validateRequiredServiceRoles } from "./readiness/serviceRoles";
import { validateTrafficNamesExistingDeployments } from "./readiness/traffic";

/**
 * Deploy readiness: what Azure accepts only in a certain state, checked before `pulumi up` so a
 * first deploy from an empty subscription does not fail halfway, and what Azure ML needs granted
 * so that the deployed features work. The checks live in `readiness/`; this module documents them.
 */
export const readinessPolicies: BaselineStackPolicy[] = [
  {
    name: "stack-traffic-names-existing-deployments",
    description:
      "Traffic may name only deployments that already exist. An OnlineEndpoint whose properties.traffic or properties.mirrorTraffic, or a BatchEndpoint whose properties.defaults.deploymentName, names a deployment resource of the stack is a violation (the deployment depends on its endpoint, so it is created after it; Microsoft's online endpoint YAML reference: traffic \"can't be set during online endpoint creation, as the deployments under that endpoint must be created before traffic can be set\"). The project's traffic resource (a pulumi-nodejs:dynamic:Resource with resourceKind secure-azureml:EndpointTraffic, endpointId, endpointKind online|batch, traffic, mirrorTraffic, defaultDeployment) must depend, directly or transitively, on every OnlineDeployment/BatchDeployment of that endpoint it names. A named deployment no resource of the stack creates is not checked (advisory note): it can exist only if it was created outside the stack on an endpoint that already exists.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Create the azure-native:machinelearningservices:OnlineEndpoint with properties.traffic {} and mirrorTraffic {} (BatchEndpoint: no properties.defaults.deploymentName), and set the split from a traffic resource (in this project: the EndpointTraffic dynamic resource) whose dependsOn lists every deployment it names.",
    validateStack: validateTrafficNamesExistingDeployments,
  },
  {
    name: "stack-assets-exist-before-use",
    description:
      "Deployments and scheduled jobs reference only asset versions that exist. A reference (OnlineDeployment properties.model, environmentId, codeConfiguration.codeId; BatchDeployment properties.model.assetId, environmentId, codeConfiguration.codeId; a CreateJob Schedule's properties.action.jobDefinition environmentId, codeId and inputs' uri) to a version inside a workspace (.../workspaces/<ws>/models|environments|codes|data/<name>/versions/<v>, or azureml:<name>:<version> in the resource's own workspace) or an ML registry (azureml://registries/<reg>/... or the ARM id) that the same stack creates is a violation unless a resource of the stack creates that version (ModelVersion, EnvironmentVersion, CodeVersion, DataVersion, Registry*Version) and the referencing resource depends on it: on a first deploy the workspace or registry is new and empty (Microsoft: \"You can deploy only registered models to online endpoints\"). References into workspaces and registries created elsewhere are left to the serving layer's run-time checks.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Create the asset version in the stack (e.g. azure-native:machinelearningservices:EnvironmentVersion) and pass its id to the deployment, which then depends on it; or move deployments and jobs that use registered models to a serving layer deployed after the models are registered.",
    validateStack: validateAssetsExistBeforeUse,
  },
  {
    name: "stack-data-collection-container-matches-isolation",
    description:
      'A role assignment scoped to a workspace blob container (.../storageAccounts/<sa>/blobServices/default/containers/<c>) of a storage account that is the storageAccount of a Workspace in the stack names the container in the form the workspace\'s enableDataIsolation gives it: <workspaceGuid>-azureml-blobstore with data isolation, azureml-blobstore-<workspaceGuid> without (Microsoft, "Set up authentication between Azure Machine Learning and other services", Data isolation for shared resources: container names are prefixed with the workspace GUID). Otherwise the assignment targets a container that does not exist and grants nothing (data collection cannot write). Unknown while the workspace GUID is unknown (preview).',
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Build the container scope from the workspace's workspaceId output and its enableDataIsolation setting (`${workspaceId}-azureml-blobstore` when true, `azureml-blobstore-${workspaceId}` when false), or grant the role on the storage account.",
    validateStack: validateDataCollectionContainer,
  },
  {
    name: "stack-required-service-roles",
    description:
      "The roles Azure ML's identities need are granted in the stack, each check citing its source: (a) a workspace's user-assigned identity holds Contributor on the workspace or an enclosing scope (Microsoft, identity-based service authentication, user-assigned identity table); (b) with a managed network, Azure AI Enterprise Network Connection Approver (b556d68e-0be0-4f35-a333-ad7ee1ce17ea) on the workspace's resource group or broader (Microsoft, managed network isolation); (c) for a managed-network PrivateEndpoint outbound rule to an ML registry (subresourceTarget amlregistry), a role with Microsoft.MachineLearningServices/registries/privateEndpointConnectionsApproval/action on the registry: Contributor or Owner, or a custom role in registryApprovalRoleIds (the approver role and Azure AI Administrator have no registries actions, Azure built-in roles for AI + machine learning); (d) an online endpoint's user-assigned identity holds AcrPull on the workspace's container registry, Storage Blob Data Reader (or Contributor/Owner) on its storage account and AzureML Metrics Writer on the workspace (Microsoft, access Azure resources from an online endpoint); (e) for batch deployments, the compute cluster identity holds Storage Queue Data Contributor and Storage Table Data Contributor on the workspace storage account (Microsoft, disable shared key authorization: Parallel Run Step), and the workspace's managed network has PrivateEndpoint outbound rules to that account's queue and table (Microsoft, managed network: Scenario: Use batch endpoints). Identities or scopes outside the stack are not checked (advisory note).",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Add azure-native:authorization:RoleAssignment resources (principalType ServicePrincipal) for the missing roles at the resource scope named in the message, and, for batch endpoints, workspace managedNetwork.outboundRules of type PrivateEndpoint to the storage account's queue and table sub-resources.",
    configSchema: {
      properties: {
        registryApprovalRoleIds: {
          type: "array",
          items: { type: "string" },
          default: [ROLE_IDS.contributor, ROLE_IDS.owner],
          description:
            "Role definition guids that include Microsoft.MachineLearningServices/registries/privateEndpointConnectionsApproval/action (default: Contributor and Owner); add a custom role's guid to accept it on the registry.",
        },
      },
    },
    validateStack: validateRequiredServiceRoles,
  },
];
