import * as pulumi from "@pulumi/pulumi";
import { ConfigValidationError, PROJECT_NAME, StackConfig, configWarnings, rawConfigFromPulumi, validateStackConfig } from "./components/config";
import { SecureMlEnvironment } from "./components/environment";

/** Read and validate this stack's configuration; throws before any resource exists. */
export function loadStackConfig(): StackConfig {
  const result = validateStackConfig(rawConfigFromPulumi(pulumi.runtime.allConfig(), PROJECT_NAME));
  if (!result.ok) throw new ConfigValidationError(result.issues);
  for (const warning of configWarnings(result.config, PROJECT_NAME)) void pulumi.log.warn(`${warning.key}: ${warning.message}`);
  return result.config;
}

/** The program: validated config -> one environment component -> the outputs a user needs. */
export function buildProgram() {
  const config = loadStackConfig();
  const env = new SecureMlEnvironment(config.namePrefix, { config });
  const privateEndpointIds = pulumi.all({
    workspace: env.workspace.privateEndpoint.id,
    ...Object.fromEntries(Object.entries(env.storage.privateEndpoints).map(([group, pe]) => [`storage-${group}`, pe.id])),
    keyVault: env.keyVault.privateEndpoints.vault.id,
    registry: env.registry.privateEndpoints.registry.id,
    ...Object.fromEntries(Object.entries(env.mlops.registry?.privateEndpoints ?? {}).map(([group, pe]) => [`mlRegistry-${group}`, pe.id])),
  });
  return {
    resourceGroupName: env.resourceGroupName,
    workspaceName: env.workspace.name,
    workspaceId: env.workspace.id,
    storageAccountName: env.storage.name,
    keyVaultName: env.keyVault.name,
    containerRegistryName: env.registry.name,
    containerRegistryLoginServer: env.registry.loginServer,
    logAnalyticsWorkspaceId: env.monitoring.logAnalyticsWorkspaceId,
    applicationInsightsId: env.monitoring.applicationInsightsId,
    virtualNetworkId: env.network.virtualNetworkId,
    privateEndpointSubnetId: env.network.privateEndpointSubnetId,
    computeSubnetId: env.network.computeSubnetId,
    privateEndpointIds,
    computeClusters: env.compute.clusterNames,
    imageBuildCompute: env.compute.imageBuilder.name,
    computeInstances: Object.fromEntries(Object.entries(env.compute.instances).map(([key, instance]) => [key, instance.name])),
    onlineEndpoints: Object.fromEntries(Object.entries(env.onlineEndpoints).map(([key, endpoint]) => [key, { name: endpoint.name, id: endpoint.id, scoringUri: endpoint.scoringUri }])),
    alertActionGroupId: env.endpointMonitoring.actionGroup?.id,
    modelMonitors: Object.fromEntries(Object.entries(env.modelOperations.monitors).map(([key, schedule]) => [key, schedule.name])),
    retrainingSchedule: env.modelOperations.retraining ? { name: env.modelOperations.retraining.name, enabled: config.retraining?.enabled } : undefined,
    batchEndpoints: Object.fromEntries(
      Object.entries(env.modelOperations.batchEndpoints).map(([key, endpoint]) => [
        key,
        {
          name: endpoint.name,
          id: endpoint.id,
          scoringUri: endpoint.scoringUri,
          outputPaths: Object.fromEntries(Object.entries(config.batchEndpoints[key].deployments).map(([deployment, d]) => [deployment, d.output.path])),
        },
      ]),
    ),
    mlRegistry: env.mlops.registry ? { name: env.mlops.registry.name, id: env.mlops.registry.id } : undefined,
    assets: {
      environments: Object.fromEntries(Object.entries(env.mlops.assets.environments).map(([key, version]) => [key, version.reference])),
      data: Object.fromEntries(Object.entries(env.mlops.assets.data).map(([key, version]) => [key, { reference: version.reference, uri: version.uri }])),
      models: env.mlops.assets.modelReferences,
    },
    identities: {
      workspace: { id: env.identities.workspace.id, clientId: env.identities.workspace.clientId, principalId: env.identities.workspace.principalId },
      compute: { id: env.identities.compute.id, clientId: env.identities.compute.clientId, principalId: env.identities.compute.principalId },
      endpoints: { id: env.identities.endpoints.id, clientId: env.identities.endpoints.clientId, principalId: env.identities.endpoints.principalId },
    },
  };
}
