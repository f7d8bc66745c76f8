import { createHash } from "node:crypto";
import * as ml from "@pulumi/azure-native/machinelearningservices";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";
import { isoDuration } from "./trainingCompute";
import { isAssetKey } from "secure-azureml-facts";
import { DeploymentDataCollectionArgs, dataCollectorProperties } from "./modelDataCollection";
import { AssetReferencesArgs, OnlineDeploymentArgs, ProbeSettingsArgs, dependencyList } from "./serving/deploymentArgs";
import { EndpointTraffic } from "./serving/endpointTraffic";
import { DeclaredAssets, resolveReference, undeclaredAssetKey } from "./shared/assetReferences";
import { PlacementArgs } from "./shared/interfaces";

/**
 * A managed online endpoint, its deployments and its traffic, private and key-less, in one
 * `pulumi up`:
 *
 *   endpoint (no traffic) -> deployments, one after another -> traffic (EndpointTraffic)
 *
 * Azure accepts traffic and mirror traffic only for deployments that exist (Microsoft, "CLI (v2)
 * online endpoint YAML schema", traffic: "you can't set this field during online endpoint
 * creation"), so the endpoint resource never carries them: a separate `EndpointTraffic` resource
 * applies the split after every deployment it names exists. Unchanged config leaves live traffic
 * alone (that resource's diff is empty). Removing a deployment from config moves its traffic first:
 * Pulumi updates the traffic resource during the run and deletes removed resources at its end.
 */

/** Endpoint creation is quick; deployments build images and provision instances (10-30 minutes). */
export const ENDPOINT_TIMEOUTS: pulumi.CustomTimeouts = { create: "30m", update: "30m", delete: "30m" };
export const DEPLOYMENT_TIMEOUTS: pulumi.CustomTimeouts = { create: "60m", update: "60m", delete: "30m" };

/** Endpoint names are unique in the Azure region (they form the scoring host name): 3-32 characters. */
export const MAX_ENDPOINT_NAME_LENGTH = 32;

/** `<key>-<suffix>`, with the key shortened so the whole name fits in 32 characters (a plain value: the suffix is the platform's, read before anything is created). */
export function endpointName(key: string, suffix: string): string {
  return `${key.slice(0, MAX_ENDPOINT_NAME_LENGTH - suffix.length - 1).replace(/-+$/, "")}-${suffix}`;
}

// Kept here for the modules and tests that import it from the endpoint module.
export { resolveAssetReference } from "./shared/assetReferences";

type ProbeSettings = azureInputs.machinelearningservices.ProbeSettingsArgs;
type ManagedDeploymentProperties = azureInputs.machinelearningservices.ManagedOnlineDeploymentArgs;

/** Probe timings from seconds to the ISO 8601 durations the API takes. */
export function probeSettings(probe: ProbeSettingsArgs): ProbeSettings {
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
export function managedDeploymentProperties(
  deployment: OnlineDeploymentArgs,
  workspaceId: pulumi.Input<string>,
  assets?: DeclaredAssets,
): ManagedDeploymentProperties {
  return {
    endpointComputeType: "Managed",
    instanceType: deployment.instanceType,
    model: resolveReference(deployment.model, "models", workspaceId, assets),
    environmentId: resolveReference(deployment.environment, "environments", workspaceId, assets),
    ...(deployment.code
      ? {
          codeConfiguration: {
            codeId: resolveReference(deployment.code.codeId, "codes", workspaceId),
            scoringScript: deployment.code.scoringScript,
          },
        }
      : {}),
    // Legacy network isolation flag. With a workspace managed network Microsoft says "Avoid setting this
    // flag" (Network isolation with managed online endpoints), except for a model from an ML registry:
    // "the deployment must have egress_public_network_access=disabled" (Network isolation with Azure
    // Machine Learning registries). Set only in that case (deploy-audit M4).
    ...(isRegistryModel(deployment.model, assets)
      ? { egressPublicNetworkAccess: ml.EgressPublicNetworkAccessType.Disabled }
      : {}),
    // Off: Application Insights has local auth disabled, so only Microsoft Entra-authenticated telemetry is
    // ingested (Azure Monitor, "Microsoft Entra authentication for Application Insights"), and Microsoft
    // documents no Entra ingestion for managed online deployments' built-in telemetry (deploy-audit R4).
    // Metrics go to Azure Monitor (alerts, autoscale); console, traffic and event logs reach Log Analytics
    // through the workspace's diagnostic setting (AmlOnlineEndpointConsoleLog and others).
    appInsightsEnabled: false,
    livenessProbe: probeSettings(deployment.livenessProbe),
    readinessProbe: probeSettings(deployment.readinessProbe),
    requestSettings: {
      requestTimeout: isoDuration(deployment.requestSettings.requestTimeoutMs / 1000),
      maxConcurrentRequestsPerInstance: deployment.requestSettings.maxConcurrentRequestsPerInstance,
    },
    scaleSettings: { scaleType: "Default" },
  };
}

/** A model reference that names an Azure ML registry (directly, or through a declared model key). */
function isRegistryModel(model: string, assets?: DeclaredAssets): boolean {
  const reference = isAssetKey(model) ? assets?.models[model] : model;
  return reference?.startsWith("azureml://registries/") === true;
}

/** How clients authenticate to an online endpoint (`properties.authMode`). */
export const OnlineEndpointAuthMode = {
  /** Microsoft Entra tokens (the default and the recommended mode). */
  AADToken: "AADToken",
  /** Azure ML tokens, short-lived and issued to an Entra identity. */
  AMLToken: "AMLToken",
  /** Endpoint keys: they never expire and are not tied to an identity (warned about). */
  Key: "Key",
} as const;
export type OnlineEndpointAuthMode = (typeof OnlineEndpointAuthMode)[keyof typeof OnlineEndpointAuthMode];

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
  assets?: AssetReferencesArgs;
  /**
   * Required. Endpoint name, unique in the Azure region (3-32 characters; see `endpointName`).
   * One-way: a new name is a new endpoint with a new scoring URI.
   */
  endpointName: pulumi.Input<string>;
  /** Optional. How clients authenticate. Default: `AADToken`. `Key` is accepted with a warning. */
  authMode?: OnlineEndpointAuthMode;
  /** Optional. Description of the endpoint (at most 1024 characters). Default: none. */
  description?: string;
  /** Required. Deployments by key (the key is the deployment's Azure name), created one after another in key order. */
  deployments: Record<string, OnlineDeploymentArgs>;
  /**
   * Required. Percent of live traffic by deployment key; sums to 100, or is empty while no deployment
   * takes traffic. A deployment must exist before the traffic names it (see the module comment).
   */
  traffic: Record<string, number>;
  /** Optional. Percent of live traffic copied to a deployment that takes none (at most 50). Default: none. */
  mirrorTraffic?: Record<string, number>;
  /**
   * Required. Resource id of the user-assigned identity the endpoint and its deployments run
   * as. It receives nothing automatically: it needs AcrPull on the registry, Storage Blob Data
   * Reader on the storage account and AzureML Metrics Writer on the workspace before the first
   * deployment (pass those role assignments, and the image-build cluster, in the component's
   * `dependsOn` option: the endpoint and every deployment wait for them).
   */
  identityId: pulumi.Input<string>;
  /** Required. ARM endpoint the traffic resource calls (the cloud's Resource Manager URL, see `armEndpointOf`). */
  armEndpoint: string;
  /**
   * Optional. The live instance count of existing deployments with autoscale, by deployment key
   * (read before the run). It is sent instead of the configured count, so that a rollout of a new
   * model or environment does not reset what autoscale chose (deploy-audit M5). Default: none.
   */
  liveCapacity?: Record<string, number>;
  /**
   * Optional. Model data collection by deployment key, for the deployments model monitoring
   * watches (see `ModelDataCollection.dataCollectionFor`): their inputs and outputs are collected to
   * the workspace blob store. Default: none (no deployment collects data).
   */
  dataCollection?: Record<string, DeploymentDataCollectionArgs>;
}

/** One managed online endpoint with its deployments and, after them, its traffic. */
export class ManagedOnlineEndpoint extends pulumi.ComponentResource {
  public readonly endpoint: ml.OnlineEndpoint;
  /** Deployments by key (the key is the deployment name). */
  public readonly deployments: Record<string, ml.OnlineDeployment>;
  public readonly id: pulumi.Output<string>;
  public readonly name: pulumi.Output<string>;
  /** The private scoring URI (reachable only through the workspace's private endpoint). */
  public readonly scoringUri: pulumi.Output<string>;

  constructor(name: string, args: ManagedOnlineEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    // Type token of the component package; the alias keeps stacks created under the old token (an update, not a replacement).
    super(
      "secure-azureml:index:ManagedOnlineEndpoint",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:onlineEndpoint:ManagedOnlineEndpoint" }] }),
    );
    const authMode = args.authMode ?? OnlineEndpointAuthMode.AADToken;
    // Checked before anything is created, so a wiring mistake creates nothing.
    for (const [key, deployment] of Object.entries(args.deployments)) {
      const problem =
        undeclaredAssetKey(deployment.model, "models", args.assets) ??
        undeclaredAssetKey(deployment.environment, "environments", args.assets);
      if (problem) throw new pulumi.ResourceError(`deployment ${key}: ${problem}`, this);
    }
    // The component's own dependencies (the identity's role assignments, the image-build cluster): the endpoint and every deployment wait for them.
    const dependencies = dependencyList(opts?.dependsOn);
    if (authMode === OnlineEndpointAuthMode.Key) {
      void pulumi.log.warn(
        `online endpoint ${name}: key authentication is on (allowKeyAuth). Keys never expire and are not tied to an identity; prefer AADToken.`,
        this,
      );
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
          authMode,
          description: args.description,
          publicNetworkAccess: ml.PublicNetworkAccessType.Disabled,
          // No traffic here: EndpointTraffic sets it once the deployments exist.
        },
      },
      // Traffic belongs to EndpointTraffic: a refresh that reads the live split must not plan it away here.
      {
        parent: this,
        dependsOn: dependencies,
        customTimeouts: ENDPOINT_TIMEOUTS,
        ignoreChanges: ["properties.traffic", "properties.mirrorTraffic"],
      },
    );
    this.id = this.endpoint.id;
    this.name = this.endpoint.name;
    this.scoringUri = this.endpoint.properties.apply((p) => p.scoringUri);

    // Deployments are created one after another, in key order: two deployments never compete
    // for the endpoint and the region's quota at once, and a failing one stops the next.
    const deployments: Record<string, ml.OnlineDeployment> = {};
    let previous: ml.OnlineDeployment | undefined;
    for (const [key, deployment] of Object.entries(args.deployments)) {
      previous = this.deployment(`${name}-${key}`, key, deployment, args, dependencies, previous);
      deployments[key] = previous;
    }
    this.deployments = deployments;

    // Traffic and mirror traffic, applied after every deployment exists.
    new EndpointTraffic(
      `${name}-traffic`,
      {
        endpointId: this.endpoint.id,
        endpointKind: "online",
        traffic: { ...args.traffic },
        mirrorTraffic: { ...args.mirrorTraffic },
        armEndpoint: args.armEndpoint,
        // An endpoint update is a PUT of the whole endpoint: re-apply the split after it.
        revision: endpointRevision({ authMode, description: args.description }),
      },
      { parent: this, dependsOn: Object.values(deployments) },
    );

    this.registerOutputs({ id: this.id, name: this.name, scoringUri: this.scoringUri });
  }

  private deployment(
    logicalName: string,
    key: string,
    deployment: OnlineDeploymentArgs,
    args: ManagedOnlineEndpointArgs,
    dependencies: pulumi.Input<pulumi.Resource>[],
    previous?: ml.OnlineDeployment,
  ): ml.OnlineDeployment {
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
        sku: {
          name: "Default",
          capacity: (deployment.autoscale ? args.liveCapacity?.[key] : undefined) ?? deployment.instanceCount,
        },
        properties: {
          ...managedDeploymentProperties(deployment, args.workspaceId, args.assets),
          ...(collection ? { dataCollector: dataCollectorProperties(collection) } : {}),
        },
      },
      {
        parent: this,
        dependsOn: [this.endpoint, ...dependencies, ...(previous ? [previous] : [])],
        customTimeouts: DEPLOYMENT_TIMEOUTS,
      },
    );
  }
}

/** A hash of what the endpoint resource itself sends: when it changes, the endpoint is PUT again and traffic is re-applied. */
export function endpointRevision(config: { authMode?: string; description?: string }): string {
  return createHash("sha256")
    .update(JSON.stringify({ authMode: config.authMode ?? null, description: config.description ?? null }))
    .digest("hex")
    .slice(0, 16);
}
