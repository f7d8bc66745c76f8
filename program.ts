import * as pulumi from "@pulumi/pulumi";
import { PROJECT_NAME, StackConfig, configWarnings, readPulumiConfig } from "./config";
import { examplePersonaGroupChecks } from "./config";
import { configOrThrow, validatePlatformConfig } from "./config";
import { dottedPath } from "./config";
import { SecureMlEnvironment } from "./platform/environment";
import { PlatformOutputs } from "./platform/outputs";
import { subnetEndpointIds } from "./platform/subnetEndpoints";

/**
 * Whether the program runs under the offline planner: Pulumi's mock monitor answers it instead of
 * the engine (`npm start`, tests). Not an option a user sets, so a real preview or up cannot skip
 * the checks that only the offline plan relaxes.
 */
function runsOffline(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks") as { MockMonitor: new (...args: never[]) => unknown };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): unknown };
  return settings.getMonitor() instanceof MockMonitor;
}

/** Read and validate this platform stack's configuration; throws before any resource exists. */
export function loadStackConfig(): { config: StackConfig; raw: Record<string, unknown> } {
  const { raw, unreadKeys } = readPulumiConfig(pulumi.runtime.allConfig(), PROJECT_NAME);
  // The shipped example persona ids: planned offline with a warning, refused by a real preview or up (deploy-audit B4).
  const examples = examplePersonaGroupChecks(raw, { offline: runsOffline() });
  const config = configOrThrow(validatePlatformConfig(raw, { extraProblems: examples.problems, unreadKeys }));
  for (const warning of examples.warnings)
    void pulumi.log.warn(`${PROJECT_NAME}:${dottedPath(warning.path)}: ${warning.message}`);
  for (const warning of configWarnings(config, PROJECT_NAME))
    void pulumi.log.warn(`${warning.key}: ${warning.message}`);
  return { config, raw };
}

/** The platform program: validated config -> the platform component -> the outputs people and serving stacks use. */
export function buildProgram() {
  const { config, raw } = loadStackConfig();
  const env = new SecureMlEnvironment(config.namePrefix, { config });
  // Every endpoint in the private-endpoint subnet, the Azure Monitor scope's included (platform/subnetEndpoints.ts).
  const privateEndpointIds = pulumi.all(subnetEndpointIds(env.subnetEndpoints));
  // What every serving stack reads through its StackReference (see platform/outputs.ts).
  const serving: pulumi.Output<PlatformOutputs> = pulumi.output({
    // The platform's raw config, so serving stacks validate their sections against it; secret because alert webhooks may carry tokens.
    config: pulumi.secret(raw),
    resourceGroupName: env.resourceGroupName,
    location: config.location,
    cloud: config.cloud,
    namePrefix: config.namePrefix,
    nameSuffix: env.nameSuffix,
    workspace: { name: env.workspace.name, id: env.workspace.id, guid: env.workspace.workspace.workspaceId },
    identities: {
      workspace: { id: env.identities.workspace.id, clientId: env.identities.workspace.clientId },
      compute: { id: env.identities.compute.id, clientId: env.identities.compute.clientId },
      endpoints: { id: env.identities.endpoints.id, clientId: env.identities.endpoints.clientId },
    },
    clusters: pulumi.all(
      Object.fromEntries(
        Object.entries(env.compute.clusters).map(([key, cluster]) => [
          key,
          pulumi.all({ name: cluster.name, id: cluster.id }),
        ]),
      ),
    ),
    environments: pulumi.all(
      Object.fromEntries(Object.entries(env.mlops.assets.environments).map(([key, version]) => [key, version.id])),
    ),
    mlRegistryName: env.mlops.registry?.name,
    mlRegistryId: env.mlops.registry?.id,
    actionGroupId: env.actionGroup.id,
  }) as unknown as pulumi.Output<PlatformOutputs>;
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
    privateEndpointIds,
    computeClusters: env.compute.clusterNames,
    imageBuildCompute: env.compute.imageBuilder.name,
    computeInstances: Object.fromEntries(
      Object.entries(env.compute.instances).map(([key, instance]) => [key, instance.name]),
    ),
    alertActionGroupId: env.actionGroup.id,
    mlRegistry: env.mlops.registry ? { name: env.mlops.registry.name, id: env.mlops.registry.id } : undefined,
    assets: {
      environments: Object.fromEntries(
        Object.entries(env.mlops.assets.environments).map(([key, version]) => [key, version.reference]),
      ),
      data: Object.fromEntries(
        Object.entries(env.mlops.assets.data).map(([key, version]) => [
          key,
          { reference: version.reference, uri: version.uri },
        ]),
      ),
    },
    identities: {
      workspace: {
        id: env.identities.workspace.id,
        clientId: env.identities.workspace.clientId,
        principalId: env.identities.workspace.principalId,
      },
      compute: {
        id: env.identities.compute.id,
        clientId: env.identities.compute.clientId,
        principalId: env.identities.compute.principalId,
      },
      endpoints: {
        id: env.identities.endpoints.id,
        clientId: env.identities.endpoints.clientId,
        principalId: env.identities.endpoints.principalId,
      },
    },
    serving,
  };
}
