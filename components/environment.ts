import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { TrainingCompute } from "./compute";
import { DnsZoneKey } from "./config/catalogues/clouds";
import { sharesFromWorkspace } from "./config/mlopsRegistryRules";
import { requiredZoneKeys } from "./config/rules";
import { StackConfig } from "./config/schema";
import { EndpointMonitoring } from "./endpointMonitoring";
import { Identities } from "./identity";
import { KeyVault } from "./keyVault";
import { Monitoring } from "./monitoring";
import { Network } from "./network";
import { ML_REGISTRY_GROUP_ID } from "./mlRegistry";
import { clusterJobsUseRegistry } from "./mlRegistry";
import { MlopsRegistry, createMlRegistry, registryEndpointPlacement } from "./mlopsRegistry";
import { ModelDataCollection } from "./modelMonitoring";
import { ModelOperations, monitoredDeployments } from "./modelOperations";
import { ManagedOnlineEndpoint, endpointName } from "./onlineEndpoint";
import { PrivateDns } from "./privateDns";
import { ContainerRegistry } from "./registry";
import { RoleAssignments, computeIdentityGrants, endpointIdentityGrants, personaGrants, workspaceIdentityGrants } from "./rbac";
import { declaredAssets } from "./shared/assetReferences";
import { addDeleteLock } from "./shared/lock";
import { resourceNames } from "./shared/naming";
import { Storage } from "./storage";
import { MachineLearningWorkspace } from "./workspace";

export interface SecureMlEnvironmentArgs {
  /** Required. The validated stack configuration (see `validateStackConfig`). */
  config: StackConfig;
}

/**
 * The whole private, key-less, least-privilege Azure ML environment: network, private DNS,
 * identities, storage, Key Vault, registry, monitoring, the workspace and its RBAC, training
 * compute, managed online endpoints and their alerts and autoscale.
 * Data flows one way: validated config in, child components built from plain values.
 */
export class SecureMlEnvironment extends pulumi.ComponentResource {
  public readonly resourceGroupName: pulumi.Output<string>;
  public readonly resourceGroupId: pulumi.Output<string>;
  public readonly network: Network;
  public readonly privateDns: PrivateDns;
  public readonly identities: Identities;
  public readonly monitoring: Monitoring;
  public readonly storage: Storage;
  public readonly keyVault: KeyVault;
  public readonly registry: ContainerRegistry;
  public readonly workspace: MachineLearningWorkspace;
  public readonly workspaceIdentityAccess: RoleAssignments;
  public readonly workloadAccess: RoleAssignments;
  public readonly compute: TrainingCompute;
  /** Managed online endpoints by config key. */
  public readonly onlineEndpoints: Readonly<Record<string, ManagedOnlineEndpoint>>;
  public readonly endpointMonitoring: EndpointMonitoring;
  /** The data assets monitored deployments collect into, and the endpoint identity's write access. */
  public readonly dataCollection: ModelDataCollection;
  /** Model monitoring schedules, the retraining schedule and batch endpoints. */
  public readonly modelOperations: ModelOperations;
  /** The optional ML registry and the versioned assets (environments, data, model references). */
  public readonly mlops: MlopsRegistry;

  constructor(name: string, args: SecureMlEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-azureml:environment:SecureMlEnvironment", name, {}, opts);
    const { config } = args;
    const child = { parent: this };
    const tags = { ...config.tags, workload: "azure-ml", "managed-by": "pulumi", "pulumi-stack": pulumi.getStack() };
    // Locks are added last (see addDataLocks), so components get only `protect`.
    const protection = { protect: config.protection.protect };
    const client = authorization.getClientConfigOutput({ parent: this });

    const suffix = new random.RandomString(`${name}-suffix`, { length: 5, lower: true, upper: false, numeric: true, special: false }, child);
    const names = resourceNames(config.namePrefix, suffix.result);

    const group = new resources.ResourceGroup(`${name}-rg`, { resourceGroupName: config.resourceGroupName ?? `rg-${config.namePrefix}`, location: config.location, tags }, child);
    this.resourceGroupName = group.name;
    this.resourceGroupId = group.id;
    const placement = { resourceGroupName: group.name, location: config.location, tags };

    this.monitoring = new Monitoring(
      `${name}-monitoring`,
      {
        ...placement,
        ...protection,
        logAnalyticsName: names.logAnalytics,
        applicationInsightsName: names.applicationInsights,
        retentionDays: config.monitoring.logRetentionDays,
        dailyQuotaGb: config.monitoring.dailyQuotaGb,
      },
      child,
    );
    const diagnostics = { logAnalyticsWorkspaceId: this.monitoring.logAnalyticsWorkspaceId };

    this.network = new Network(`${name}-network`, { ...placement, config: config.network, namePrefix: config.namePrefix, diagnostics }, child);

    const zoneKeys = requiredZoneKeys(config.storage.privateEndpoints);
    this.privateDns = new PrivateDns(
      `${name}-dns`,
      { resourceGroupName: group.name, tags, config: config.privateDns, cloud: config.cloud, zoneKeys, virtualNetworkId: this.network.virtualNetworkId, namePrefix: config.namePrefix },
      child,
    );
    const endpointPlacement = (groups: readonly DnsZoneKey[]) => ({
      subnetId: this.network.privateEndpointSubnetId,
      zoneIdsByGroup: this.privateDns.zoneIds === undefined ? undefined : Object.fromEntries(groups.map((g) => [g, this.privateDns.zoneIdsFor([g]) as pulumi.Output<string>[]])),
    });

    this.identities = new Identities(`${name}-identities`, { ...placement, namePrefix: config.namePrefix }, child);

    // The optional ML registry (promotion path) exists before the storage account, which admits it
    // when this stack shares assets into it (az ml model share), and before the workspace, whose
    // managed network reaches it through a private endpoint rule (jobs read registry models and environments).
    const mlopsRegistryArgs = {
      ...placement,
      location: config.location,
      tags,
      namePrefix: config.namePrefix,
      mlRegistry: config.mlRegistry,
      principals: {
        workspace: this.identities.workspace.principalId,
        compute: this.identities.compute.principalId,
        endpoints: this.identities.endpoints.principalId,
        mlEngineerGroups: config.personas.mlEngineers,
        computeReads: clusterJobsUseRegistry({
          batchDeployments: Object.values(config.batchEndpoints).flatMap((endpoint) => Object.values(endpoint.deployments)),
          retraining: config.retraining?.job,
          models: config.assets.models,
        }),
      },
      subscriptionId: client.subscriptionId,
      privateEndpoints: registryEndpointPlacement(this.network.privateEndpointSubnetId, (keys) => this.privateDns.zoneIdsFor(keys)),
      lock: config.protection.locks,
      protect: config.protection.protect,
    };
    const mlRegistry = createMlRegistry(`${name}-mlops-registry-registry`, mlopsRegistryArgs, child);
    // Sharing (publish mode): the registry reads model files from this account (see StorageArgs.registryAccess).
    const registryAccess = mlRegistry && sharesFromWorkspace(config.mlRegistry) ? { registryIds: [mlRegistry.id], tenantId: client.tenantId } : undefined;

    this.storage = new Storage(
      `${name}-storage`,
      {
        ...placement,
        ...protection,
        accountName: names.storageAccount,
        sku: config.storage.sku,
        softDeleteRetentionDays: config.storage.softDeleteRetentionDays,
        privateEndpointGroups: config.storage.privateEndpoints,
        privateEndpoints: endpointPlacement(config.storage.privateEndpoints),
        diagnostics,
        registryAccess,
      },
      child,
    );
    this.keyVault = new KeyVault(
      `${name}-keyvault`,
      {
        ...placement,
        ...protection,
        vaultName: names.keyVault,
        tenantId: client.tenantId,
        sku: config.keyVault.sku,
        softDeleteRetentionDays: config.keyVault.softDeleteRetentionDays,
        privateEndpoints: endpointPlacement(["vault"]),
        diagnostics,
      },
      child,
    );
    this.registry = new ContainerRegistry(
      `${name}-registry`,
      {
        ...placement,
        ...protection,
        registryName: names.containerRegistry,
        zoneRedundancy: config.registry.zoneRedundancy,
        untaggedRetentionDays: config.registry.untaggedRetentionDays,
        privateEndpoints: endpointPlacement(["registry"]),
        diagnostics,
      },
      child,
    );

    const scopes = {
      resourceGroupId: group.id,
      storageAccountId: this.storage.id,
      keyVaultId: this.keyVault.id,
      containerRegistryId: this.registry.id,
      applicationInsightsId: this.monitoring.applicationInsightsId,
      customerManagedKeyVaultId: config.workspace.customerManagedKey?.keyVaultId,
    };
    this.workspaceIdentityAccess = new RoleAssignments(
      `${name}-workspace-identity-access`,
      { grants: workspaceIdentityGrants(this.identities.workspace.principalId, scopes), subscriptionId: client.subscriptionId },
      child,
    );

    this.workspace = new MachineLearningWorkspace(
      `${name}-workspace`,
      {
        ...placement,
        ...protection,
        workspaceName: names.workspace,
        identityId: this.identities.workspace.id,
        storageAccountId: this.storage.id,
        keyVaultId: this.keyVault.id,
        containerRegistryId: this.registry.id,
        applicationInsightsId: this.monitoring.applicationInsightsId,
        config: config.workspace,
        privateEndpoint: { subnetId: this.network.privateEndpointSubnetId, zoneIds: this.privateDns.zoneIdsFor(["amlApi", "amlNotebooks"]) },
        diagnostics,
        privateEndpointTargets: mlRegistry ? { "pe-ml-registry": { resourceId: mlRegistry.id, subresource: ML_REGISTRY_GROUP_ID } } : {},
        dependsOn: [this.workspaceIdentityAccess],
      },
      child,
    );

    const computeGrants = computeIdentityGrants(this.identities.compute.principalId, scopes);
    const endpointGrants = endpointIdentityGrants(this.identities.endpoints.principalId, { ...scopes, workspaceId: this.workspace.id });
    this.workloadAccess = new RoleAssignments(
      `${name}-workload-access`,
      {
        grants: [...computeGrants, ...endpointGrants, ...personaGrants(config.personas, { workspaceId: this.workspace.id, storageAccountId: this.storage.id })],
        subscriptionId: client.subscriptionId,
      },
      child,
    );
    const assignmentsOf = (grants: readonly { key: string }[]) => grants.map((grant) => this.workloadAccess.assignments[grant.key]);

    // Computes start pulling images and reading data at once: they wait for the workspace's
    // private endpoint, the registry (and its private endpoint) and every role of their identity.
    this.compute = new TrainingCompute(
      `${name}-compute`,
      {
        ...placement,
        workspaceName: this.workspace.name,
        config: config.compute,
        identityId: this.identities.compute.id,
        tenantId: client.tenantId,
        instanceNameSeed: `${pulumi.getProject()}/${pulumi.getStack()}/${config.namePrefix}`,
        dependsOn: [this.workspace.privateEndpoint, this.registry, ...assignmentsOf(computeGrants)],
      },
      child,
    );

    // Optional ML registry (promotion path) and the versioned assets built from code. Created before
    // the deployments and jobs that name them by key (assets.models / assets.environments keys):
    // a model key resolves to its pinned reference, an environment key to the id of the environment
    // version created here, so those deployments and jobs depend on that version.
    this.mlops = new MlopsRegistry(
      `${name}-mlops-registry`,
      {
        ...mlopsRegistryArgs,
        assets: config.assets,
        registry: mlRegistry,
        workspaceName: this.workspace.name,
        imageBuilder: this.compute.imageBuilder,
      },
      child,
    );
    const assets = declaredAssets(this.mlops.assets);

    // Monitored deployments collect their inputs and outputs into data assets (created first).
    this.dataCollection = new ModelDataCollection(
      `${name}-data-collection`,
      {
        resourceGroupName: group.name,
        workspaceName: this.workspace.name,
        storageAccountId: this.storage.id,
        workspaceGuid: this.workspace.workspace.workspaceId,
        endpointIdentity: { principalId: this.identities.endpoints.principalId, clientId: this.identities.endpoints.clientId },
        subscriptionId: client.subscriptionId,
        deployments: monitoredDeployments(config, (key) => endpointName(key, suffix.result)),
      },
      child,
    );

    // The endpoint identity gets nothing automatically: each endpoint waits for its three roles.
    // Deployments wait for the image builder (their environment images are built on it).
    this.onlineEndpoints = Object.fromEntries(
      Object.entries(config.endpoints).map(([key, endpointConfig]) => [
        key,
        new ManagedOnlineEndpoint(
          `${name}-endpoint-${key}`,
          {
            ...placement,
            workspaceName: this.workspace.name,
            workspaceId: this.workspace.id,
            endpointName: endpointName(key, suffix.result),
            config: endpointConfig,
            identityId: this.identities.endpoints.id,
            dependsOn: [...assignmentsOf(endpointGrants), ...this.mlops.endpointAccess],
            deploymentDependsOn: [this.compute.imageBuilder],
            dataCollection: this.dataCollection.forEndpoint(key),
            assets,
          },
          child,
        ),
      ]),
    );
    this.endpointMonitoring = new EndpointMonitoring(
      `${name}-endpoint-monitoring`,
      {
        ...placement,
        namePrefix: config.namePrefix,
        receivers: config.alerts,
        endpoints: Object.fromEntries(Object.entries(this.onlineEndpoints).map(([key, endpoint]) => [key, { endpoint, config: config.endpoints[key] }])),
      },
      child,
    );

    this.modelOperations = new ModelOperations(
      `${name}-model-operations`,
      {
        ...placement,
        workspaceName: this.workspace.name,
        workspaceId: this.workspace.id,
        config,
        onlineDeployments: Object.fromEntries(Object.entries(this.onlineEndpoints).map(([key, endpoint]) => [key, endpoint.deployments])),
        dataCollection: this.dataCollection,
        monitoringIdentityId: this.identities.workspace.id,
        clusters: this.compute.clusters,
        computeIdentityClientId: this.identities.compute.clientId,
        nameSuffix: suffix.result,
        batchDeploymentDependsOn: [this.compute.imageBuilder, ...this.mlops.endpointAccess],
        assets,
        actionGroupId: this.endpointMonitoring.actionGroup?.id,
        namePrefix: config.namePrefix,
        imageBuilder: this.compute.imageBuilder,
      },
      child,
    );

    if (config.protection.locks) this.addDataLocks(name, config.protection.lockWorkspace);
    this.registerOutputs({ workspaceId: this.workspace.id, resourceGroupName: this.resourceGroupName });
  }

  /**
   * `CanNotDelete` locks on the data-bearing resources, created after everything that lives
   * under them (private endpoints, diagnostic settings, role assignments), so that a
   * deliberate `pulumi destroy` removes each lock first: Azure refuses to delete a role
   * assignment or private endpoint connection under a locked resource.
   *
   * The workspace is locked only on request: a lock on the workspace is inherited by its
   * compute clusters and online endpoints, so replacing a cluster (e.g. a VM size change)
   * would fail. The workspace is protected by `protect` and by its 14-day soft delete.
   */
  private addDataLocks(name: string, lockWorkspace: boolean): void {
    const lockAfter = [this.workspaceIdentityAccess, this.workloadAccess, this.dataCollection];
    // A workspace lock covers its computes and endpoints: it comes after them, so a destroy removes it first.
    const workspaceChildren = [this.compute, ...Object.values(this.onlineEndpoints), this.modelOperations];
    const targets: [string, pulumi.Output<string>, pulumi.Resource][] = [
      ["storage", this.storage.id, this.storage],
      ["keyvault", this.keyVault.id, this.keyVault],
      ["registry", this.registry.id, this.registry],
      ["log-analytics", this.monitoring.logAnalyticsWorkspaceId, this.monitoring],
    ];
    for (const [key, id, component] of targets) addDeleteLock(`${name}-${key}`, id, this, [component, ...lockAfter]);
    if (lockWorkspace) addDeleteLock(`${name}-workspace`, this.workspace.id, this, [this.workspace, ...lockAfter, ...workspaceChildren]);
  }
}
