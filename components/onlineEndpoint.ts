import * as ml from "@pulumi/azure-native/machinelearningservices";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";
import { isoDuration } from "./compute";
import type { DeploymentConfig, EndpointConfig } from "./config/computeSchema";
import { DeploymentDataCollection, dataCollectorProperties } from "./modelMonitoring";
import { DeclaredAssets, resolveReference, undeclaredAssetKey } from "./shared/assetReferences";
import { PlacementArgs } from "./shared/interfaces";

/**
 * A managed online endpoint and its deployments (blue/green), private and key-less.
 *
 * Traffic without a dependency cycle: the endpoint's `traffic` and `mirrorTraffic` are plain
 * values from config, and every deployment depends on the endpoint (never the reverse). Azure
 * accepts traffic only for deployments that already exist, and Pulumi creates and updates the
 * endpoint before its deployments. So a deployment must exist before the traffic names it:
 *
 *   1. add a deployment with no share of traffic (absent from `traffic`), `pulumi up`: it is
 *      created after the endpoint, alongside the live one;
 *   2. canary: give it a share (e.g. blue 90 / green 10), `pulumi up`: only the endpoint's
 *      traffic changes; mirror traffic works the same way (shadow the new deployment first);
 *   3. promote: green 100 / blue 0, `pulumi up`; then remove blue from config in a later
 *      `pulumi up` (Pulumi updates the endpoint before deleting the deployment, so removing a
 *      deployment and its traffic in one change also works);
 *   4. roll back at any point: put the traffic back on blue, `pulumi up` (one endpoint update).
 *
 * A new endpoint therefore starts with `traffic: {}` for its first `pulumi up` (the deployments
 * are created after the endpoint), and receives its split in the next one. For the same
 * reason, change a deployment (model, environment, size) and shift traffic to it in separate
 * `pulumi up`s: in one, the traffic would move before the deployment is updated.
 */

/** Endpoint creation is quick; deployments build images and provision instances (10-30 minutes). */
export const ENDPOINT_TIMEOUTS: pulumi.CustomTimeouts = { create: "30m", update: "30m", delete: "30m" };
export const DEPLOYMENT_TIMEOUTS: pulumi.CustomTimeouts = { create: "60m", update: "60m", delete: "30m" };

/** Endpoint names are unique in the Azure region (they form the scoring host name): 3-32 characters. */
export const MAX_ENDPOINT_NAME_LENGTH = 32;

/** `<key>-<suffix>`, with the key shortened so the whole name fits in 32 characters. */
export function endpointName(key: string, suffix: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(suffix).apply((s) => `${key.slice(0, MAX_ENDPOINT_NAME_LENGTH - s.length - 1).replace(/-+$/, "")}-${s}`);
}

// Kept here for the modules and tests that import it from the endpoint module.
export { resolveAssetReference } from "./shared/assetReferences";

type ProbeSettings = azureInputs.machinelearningservices.ProbeSettingsArgs;
type ManagedDeploymentProperties = azureInputs.machinelearningservices.ManagedOnlineDeploymentArgs;

/** Probe timings from seconds to the ISO 8601 durations the API takes. */
export function probeSettings(probe: DeploymentConfig["livenessProbe"]): ProbeSettings {
  return {
    initialDelay: isoDuration(probe.initialDelaySeconds),
    period: isoDuration(probe.periodSeconds),
    timeout: isoDuration(probe.timeoutSeconds),
    failureThreshold: probe.failureThreshold,
    successThreshold: probe.successThreshold,
  };
}

/**
 * A managed deployment: no public egress, App Insights on, probes and request limits from config.
 * A `model` or `environment` that is a key resolves through `assets` (see `resolveReference`).
 */
export function managedDeploymentProperties(deployment: DeploymentConfig, workspaceId: pulumi.Input<string>, assets?: DeclaredAssets): ManagedDeploymentProperties {
  return {
    endpointComputeType: "Managed",
    instanceType: deployment.instanceType,
    model: resolveReference(deployment.model, "models", workspaceId, assets),
    environmentId: resolveReference(deployment.environment, "environments", workspaceId, assets),
    ...(deployment.code ? { codeConfiguration: { codeId: resolveReference(deployment.code.codeId, "codes", workspaceId), scoringScript: deployment.code.scoringScript } } : {}),
    // Legacy network isolation flag: with the workspace managed network, outbound traffic follows
    // the workspace's outbound rules and Azure ignores it; disabled anyway as defence in depth.
    egressPublicNetworkAccess: ml.EgressPublicNetworkAccessType.Disabled,
    appInsightsEnabled: true,
    livenessProbe: probeSettings(deployment.livenessProbe),
    readinessProbe: probeSettings(deployment.readinessProbe),
    requestSettings: {
      requestTimeout: isoDuration(deployment.requestSettings.requestTimeoutMs / 1000),
      maxConcurrentRequestsPerInstance: deployment.requestSettings.maxConcurrentRequestsPerInstance,
    },
    scaleSettings: { scaleType: "Default" },
  };
}

export interface ManagedOnlineEndpointArgs extends PlacementArgs {
  /** Required. Name of the workspace the endpoint belongs to (its managed network must be provisioned). */
  workspaceName: pulumi.Input<string>;
  /** Required. Resource id of the workspace, to resolve `azureml:<name>:<version>` asset references. */
  workspaceId: pulumi.Input<string>;
  /**
   * Conditional. The stack's declared assets (`declaredAssets(VersionedAssets)`); required when a
   * deployment's `model` or `environment` is an `assets.models` / `assets.environments` key. A model
   * key becomes its pinned workspace or registry reference; an environment key becomes the id of the
   * environment version the stack creates, so the deployment depends on it and a changed spec (a new
   * version) updates the deployment in place. Default: none (only literal references).
   */
  assets?: DeclaredAssets;
  /**
   * Required. Endpoint name, unique in the Azure region (3-32 characters; see `endpointName`).
   * One-way: a new name is a new endpoint with a new scoring URI.
   */
  endpointName: pulumi.Input<string>;
  /**
   * Required. The validated endpoint config: auth mode (`AADToken` default; `Key` only when
   * `allowKeyAuth`, with a warning), deployments by key, traffic and mirror traffic in percent
   * (a deployment must exist before the traffic names it: see the module comment).
   */
  config: EndpointConfig;
  /**
   * Required. Resource id of the user-assigned identity the endpoint and its deployments run
   * as. It receives nothing automatically: it needs AcrPull on the registry, Storage Blob Data
   * Reader on the storage account and AzureML Metrics Writer on the workspace before the first
   * deployment (pass those role assignments in `dependsOn`).
   */
  identityId: pulumi.Input<string>;
  /** Optional. Resources the endpoint waits for (the identity's role assignments). Default: none. */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** Optional. Resources the deployments also wait for (the image-build cluster). Default: none. */
  deploymentDependsOn?: pulumi.Input<pulumi.Resource>[];
  /**
   * Optional. Model data collection by deployment key, for the deployments model monitoring
   * watches (see `ModelDataCollection`): their inputs and outputs are collected to the workspace
   * blob store. Default: none (no deployment collects data).
   */
  dataCollection?: Readonly<Record<string, DeploymentDataCollection>>;
}

/** One managed online endpoint with its deployments; traffic is set on the endpoint only. */
export class ManagedOnlineEndpoint extends pulumi.ComponentResource {
  public readonly endpoint: ml.OnlineEndpoint;
  /** Deployments by config key (the key is the deployment name). */
  public readonly deployments: Readonly<Record<string, ml.OnlineDeployment>>;
  public readonly id: pulumi.Output<string>;
  public readonly name: pulumi.Output<string>;
  /** The private scoring URI (reachable only through the workspace's private endpoint). */
  public readonly scoringUri: pulumi.Output<string>;

  constructor(name: string, args: ManagedOnlineEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-azureml:onlineEndpoint:ManagedOnlineEndpoint", name, {}, opts);
    const { config } = args;
    // Checked before anything is created, so a wiring mistake creates nothing.
    for (const [key, deployment] of Object.entries(config.deployments)) {
      const problem = undeclaredAssetKey(deployment.model, "models", args.assets) ?? undeclaredAssetKey(deployment.environment, "environments", args.assets);
      if (problem) throw new pulumi.ResourceError(`deployment ${key}: ${problem}`, this);
    }
    if (config.authMode === "Key") {
      void pulumi.log.warn(`online endpoint ${name}: key authentication is on (allowKeyAuth). Keys never expire and are not tied to an identity; prefer AADToken.`, this);
    }

    this.endpoint = new ml.OnlineEndpoint(
      name,
      {
        endpointName: args.endpointName,
        workspaceName: args.workspaceName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        identity: { type: ml.ManagedServiceIdentityType.UserAssigned, userAssignedIdentities: [args.identityId] },
        properties: {
          authMode: config.authMode,
          description: config.description,
          publicNetworkAccess: ml.PublicNetworkAccessType.Disabled,
          // Plain values: the endpoint never depends on its deployments (no cycle).
          traffic: { ...config.traffic },
          mirrorTraffic: { ...config.mirrorTraffic },
        },
      },
      { parent: this, dependsOn: args.dependsOn, customTimeouts: ENDPOINT_TIMEOUTS },
    );
    this.id = this.endpoint.id;
    this.name = this.endpoint.name;
    this.scoringUri = this.endpoint.properties.apply((p) => p.scoringUri);

    // Deployments are created one after another, in key order: two deployments never compete
    // for the endpoint and the region's quota at once, and a failing one stops the next.
    const deployments: Record<string, ml.OnlineDeployment> = {};
    let previous: ml.OnlineDeployment | undefined;
    for (const [key, deployment] of Object.entries(config.deployments)) {
      previous = this.deployment(`${name}-${key}`, key, deployment, args, previous);
      deployments[key] = previous;
    }
    this.deployments = deployments;

    this.registerOutputs({ id: this.id, name: this.name, scoringUri: this.scoringUri });
  }

  private deployment(logicalName: string, key: string, deployment: DeploymentConfig, args: ManagedOnlineEndpointArgs, previous?: ml.OnlineDeployment): ml.OnlineDeployment {
    const collection = args.dataCollection?.[key];
    return new ml.OnlineDeployment(
      logicalName,
      {
        deploymentName: key,
        endpointName: this.endpoint.name,
        workspaceName: args.workspaceName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        sku: { name: "Default", capacity: deployment.instanceCount },
        properties: { ...managedDeploymentProperties(deployment, args.workspaceId, args.assets), ...(collection ? { dataCollector: dataCollectorProperties(collection) } : {}) },
      },
      {
        parent: this,
        dependsOn: [this.endpoint, ...(args.deploymentDependsOn ?? []), ...(collection?.dependsOn ?? []), ...(previous ? [previous] : [])],
        customTimeouts: DEPLOYMENT_TIMEOUTS,
        // Autoscale owns the instance count once it is on; config sets only the starting count.
        ignoreChanges: deployment.autoscale ? ["sku.capacity"] : [],
      },
    );
  }
}
