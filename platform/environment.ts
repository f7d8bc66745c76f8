import * as authorization from "@pulumi/azure-native/authorization";
import * as monitor from "@pulumi/azure-native/monitor";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { AZURE_MONITOR_PRIVATE_DNS_ZONES, DnsZoneKey } from "secure-azureml-facts";
import {
  PROJECT_ROOT,
  StackConfig,
  loadEnvironmentSpecs,
  mlRegistryName,
  programTags,
  requiredZoneKeys,
  sharesFromWorkspace,
  subnetEndpointChoicesOfConfig,
} from "../config";
import {
  ContainerRegistry,
  Identities,
  KeyVault,
  ML_REGISTRY_GROUP_ID,
  MachineLearningWorkspace,
  MlRegistry,
  MonitorPrivateLinkScope,
  Monitoring,
  Network,
  PrivateDns,
  PrivateEndpointPlacementArgs,
  RoleAssignments,
  Storage,
  TrainingCompute,
  VersionedAssets,
  WORKSPACE_DATA_ISOLATION,
  addDeleteLock,
  computeIdentityGrants,
  createAlertActionGroup,
  endpointIdentityGrants,
  imageBuilderComputeName,
  personaGrants,
  workspaceBlobContainerId,
  workspaceIdentityGrants,
  workspacePostCreateGrants,
} from "../components";
import { resourceNames } from "./naming";
import { CreatedSubnetEndpoints, assertSubnetEndpoints } from "./subnetEndpoints";
import { workspaceOutboundArgs } from "./workspaceOutbound";

/** The zone of each registry private endpoint group: the Azure ML API zone, and the storage blob and container registry zones. */
const ZONE_OF_GROUP: Readonly<Record<string, DnsZoneKey>> = {
  amlregistry: "amlApi",
  blob: "blob",
  registry: "registry",
};

/** Placement of the registry's private endpoints from the stack's private DNS (`zoneIdsFor` undefined: zone groups left to Azure Policy). */
export function registryEndpointPlacement(
  subnetId: pulumi.Input<string>,
  zoneIdsFor: (keys: readonly DnsZoneKey[]) => pulumi.Input<string>[] | undefined,
): PrivateEndpointPlacementArgs {
  const groups = Object.entries(ZONE_OF_GROUP).map(([group, zone]) => [group, zoneIdsFor([zone])] as const);
  return {
    subnetId,
    zoneIdsByGroup: groups.some(([, ids]) => ids === undefined) ? undefined : Object.fromEntries(groups),
  };
}

/** The MLOps promotion path's registry side: the optional ML registry and the versioned assets built from code. */
export interface MlopsResources {
  /** The ML registry, when `mlRegistry.enabled`. */
  registry?: MlRegistry;
  /** Environment versions and data asset versions. */
  assets: VersionedAssets;
}

export interface SecureMlEnvironmentArgs {
  /** Required. The validated stack configuration (see `validateStackConfig`). */
  config: StackConfig;
}

/**
 * The platform layer of a private, key-less, least-privilege Azure ML environment: network,
 * private DNS, identities and every role assignment (the endpoint identity's included), storage,
 * Key Vault, registry, monitoring and the alert action group, the workspace, training compute,
 * the optional ML registry and the versioned environments and data assets built from code.
 * It needs no ML asset to exist, so it comes up in one `pulumi up` from an empty subscription.
 * Endpoints, deployments, monitors, batch endpoints and retraining are the serving layer's
 * (`serving/`, see `SecureMlServing`), deployed once the models they name are registered.
 * Data flows one way: validated config in, child components built from plain values.
 */
export class SecureMlEnvironment extends pulumi.ComponentResource {
  public readonly resourceGroupName: pulumi.Output<string>;
  public readonly resourceGroupId: pulumi.Output<string>;
  public readonly network: Network;
  public readonly privateDns: PrivateDns;
  public readonly identities: Identities;
  public readonly monitoring: Monitoring;
  /** The Azure Monitor Private Link Scope, when `monitoring.privateLinkScope`. */
  public readonly monitorPrivateLinkScope?: MonitorPrivateLinkScope;
  public readonly storage: Storage;
  public readonly keyVault: KeyVault;
  public readonly registry: ContainerRegistry;
  public readonly workspace: MachineLearningWorkspace;
  public readonly workspaceIdentityAccess: RoleAssignments;
  public readonly workloadAccess: RoleAssignments;
  public readonly compute: TrainingCompute;
  /** The action group every alert of every serving stack notifies. */
  public readonly actionGroup: monitor.ActionGroup;
  /** The optional ML registry and the versioned assets built from code (environments, data). */
  public readonly mlops: MlopsResources;
  /** Every private endpoint the platform placed in its private-endpoint subnet, by owner (checked against the config's list). */
  public readonly subnetEndpoints: CreatedSubnetEndpoints;
  /** The stack's random name suffix (endpoint names of serving stacks end with it). */
  public readonly nameSuffix: pulumi.Output<string>;

  constructor(name: string, args: SecureMlEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-azureml:environment:SecureMlEnvironment", name, {}, opts);
    const { config } = args;
    const child = { parent: this };
    const tags = { ...config.tags, ...programTags(pulumi.getStack()) };
    // Locks are added last (see addDataLocks), so components get only `protect`.
    const protection = { protect: config.protection.protect };
    const client = authorization.getClientConfigOutput({ parent: this });

    const suffix = new random.RandomString(
      `${name}-suffix`,
      { length: 5, lower: true, upper: false, numeric: true, special: false },
      child,
    );
    const names = resourceNames(config.namePrefix, suffix.result);
    this.nameSuffix = suffix.result;

    const group = new resources.ResourceGroup(
      `${name}-rg`,
      { resourceGroupName: config.resourceGroupName ?? `rg-${config.namePrefix}`, location: config.location, tags },
      child,
    );
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
        // Public ingestion and query off only behind the scope (below); diagnostic settings deliver either way.
        publicNetworkAccess: config.monitoring.privateLinkScope ? "Disabled" : "Enabled",
      },
      child,
    );
    const diagnostics = { logAnalyticsWorkspaceId: this.monitoring.logAnalyticsWorkspaceId };

    const net = config.network;
    const networkMode =
      net.mode === "create"
        ? {
            create: {
              addressSpace: net.addressSpace,
              privateEndpointSubnet: net.privateEndpointSubnet,
              jumpboxSubnet: net.jumpboxSubnet,
            },
          }
        : {
            existing: { virtualNetworkId: net.virtualNetworkId, privateEndpointSubnetId: net.privateEndpointSubnetId },
          };
    this.network = new Network(
      `${name}-network`,
      { ...placement, ...networkMode, namePrefix: config.namePrefix, diagnostics },
      child,
    );

    // Which private endpoints go in the subnet, and so which zones they need: the config's choices,
    // which its subnet capacity rule counts (checked against what was created, at the end).
    const subnetEndpoints = subnetEndpointChoicesOfConfig(config);
    const zoneKeys = requiredZoneKeys(subnetEndpoints.storageEndpoints, subnetEndpoints);
    this.privateDns = new PrivateDns(
      `${name}-dns`,
      {
        resourceGroupName: group.name,
        tags,
        mode: config.privateDns.mode,
        existingZoneIds: config.privateDns.mode === "existing" ? config.privateDns.zoneIds : undefined,
        cloud: config.cloud,
        zoneKeys,
        virtualNetworkId: this.network.virtualNetworkId,
        namePrefix: config.namePrefix,
      },
      child,
    );
    const endpointPlacement = (groups: readonly DnsZoneKey[]) => ({
      subnetId: this.network.privateEndpointSubnetId,
      zoneIdsByGroup:
        this.privateDns.zoneIds === undefined
          ? undefined
          : Object.fromEntries(groups.map((g) => [g, this.privateDns.zoneIdsFor([g]) as pulumi.Output<string>[]])),
    });

    if (subnetEndpoints.monitorPrivateLinkScope) {
      // One scope per DNS: the config accepts it only with privateDns mode create (zones of this stack's VNet).
      const accessMode = config.monitoring.privateLinkAccessMode ?? "PrivateOnly";
      this.monitorPrivateLinkScope = new MonitorPrivateLinkScope(
        `${name}-monitor-pls`,
        {
          ...placement,
          scopeName: `ampls-${config.namePrefix}`,
          scopedResourceIds: {
            "log-analytics": this.monitoring.logAnalyticsWorkspaceId,
            "app-insights": this.monitoring.applicationInsightsId,
          },
          ingestionAccessMode: accessMode,
          queryAccessMode: accessMode,
          privateEndpoint: {
            subnetId: this.network.privateEndpointSubnetId,
            zoneIds: this.privateDns.zoneIdsFor(["blob"]),
          },
          privateDnsZones:
            config.privateDns.mode === "create"
              ? {
                  virtualNetworkId: this.network.virtualNetworkId,
                  namePrefix: config.namePrefix,
                  zoneNames: [...(AZURE_MONITOR_PRIVATE_DNS_ZONES[config.cloud] ?? [])],
                }
              : undefined,
        },
        child,
      );
    }

    this.identities = new Identities(`${name}-identities`, { ...placement, namePrefix: config.namePrefix }, child);

    // The optional ML registry (promotion path) exists before the storage account, which admits it
    // when this stack shares assets into it (az ml model share), and before the workspace, whose
    // managed network reaches it through a private endpoint rule (jobs read registry models and environments).
    const mlRegistry = config.mlRegistry.enabled
      ? new MlRegistry(
          `${name}-mlops-registry-registry`,
          {
            ...placement,
            mode: config.mlRegistry.mode,
            registryName: config.mlRegistry.existingRegistryId
              ? undefined
              : mlRegistryName(config.namePrefix, config.mlRegistry),
            existingRegistryId: config.mlRegistry.existingRegistryId,
            replicationRegions: config.mlRegistry.replicationRegions,
            storageAccountType: config.mlRegistry.storageAccountType,
            principals: {
              workspace: this.identities.workspace.principalId,
              compute: this.identities.compute.principalId,
              endpoints: this.identities.endpoints.principalId,
              mlEngineerGroups: config.personas.mlEngineers,
              // Batch deployments and retraining jobs of serving stacks may run registry assets on the clusters.
              computeReads: true,
            },
            subscriptionId: client.subscriptionId,
            // Only the zones the stack has: requiredZoneKeys creates the registry zone whenever an ML
            // registry endpoint registers in it, so a zone left out here belongs to an endpoint that is not created.
            privateEndpoints: registryEndpointPlacement(this.network.privateEndpointSubnetId, (keys) =>
              this.privateDns.zoneIdsFor(keys.filter((key) => zoneKeys.includes(key))),
            ),
            lock: config.protection.locks,
            protect: config.protection.protect,
          },
          child,
        )
      : undefined;
    // Sharing (publish mode): the registry reads model files from this account (see StorageArgs.registryAccess).
    const registryAccess =
      mlRegistry && sharesFromWorkspace(config.mlRegistry)
        ? { registryIds: [mlRegistry.id], tenantId: client.tenantId }
        : undefined;

    this.storage = new Storage(
      `${name}-storage`,
      {
        ...placement,
        ...protection,
        accountName: names.storageAccount,
        sku: config.storage.sku,
        softDeleteRetentionDays: config.storage.softDeleteRetentionDays,
        privateEndpointGroups: [...subnetEndpoints.storageEndpoints],
        privateEndpoints: endpointPlacement(subnetEndpoints.storageEndpoints),
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
        purgeProtection: config.keyVault.purgeProtection,
        // Optional client endpoint (keyVault.privateEndpoint). Without it the workspace's managed network
        // still reaches the vault: Azure ML creates private endpoints to the workspace's Key Vault, storage
        // and registry as required outbound rules (Microsoft, "Workspace managed network isolation", List of required rules).
        privateEndpoints: subnetEndpoints.keyVault ? endpointPlacement(["vault"]) : undefined,
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
        // Optional client endpoint (registry.privateEndpoint); the managed network's required rules reach it without one.
        privateEndpoints: subnetEndpoints.registry ? endpointPlacement(["registry"]) : undefined,
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
      {
        grants: workspaceIdentityGrants(this.identities.workspace.principalId, scopes),
        subscriptionId: client.subscriptionId,
      },
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
        friendlyName: config.workspace.friendlyName,
        description: config.workspace.description,
        highBusinessImpact: config.workspace.highBusinessImpact,
        customerManagedKey: config.workspace.customerManagedKey,
        outbound: workspaceOutboundArgs(config.workspace.outbound, [
          ...(mlRegistry
            ? [{ name: "pe-ml-registry", resourceId: mlRegistry.id, subresource: ML_REGISTRY_GROUP_ID }]
            : []),
          // Batch endpoints need the default storage's queue and table from the managed network
          // (Microsoft, "Workspace managed network isolation", Scenario: Use batch endpoints).
          ...(config.workspace.batchScoring
            ? [
                { name: "pe-storage-queue", resourceId: this.storage.id, subresource: "queue" },
                { name: "pe-storage-table", resourceId: this.storage.id, subresource: "table" },
              ]
            : []),
        ]),
        imageBuildComputeName: imageBuilderComputeName(config.compute),
        privateEndpoint: {
          subnetId: this.network.privateEndpointSubnetId,
          zoneIds: this.privateDns.zoneIdsFor(["amlApi", "amlNotebooks"]),
        },
        diagnostics,
      },
      { ...child, dependsOn: [this.workspaceIdentityAccess] },
    );

    const computeGrants = computeIdentityGrants(
      this.identities.compute.principalId,
      { ...scopes, workspaceId: this.workspace.id },
      { batchScoring: config.workspace.batchScoring },
    );
    const endpointGrants = endpointIdentityGrants(this.identities.endpoints.principalId, {
      ...scopes,
      workspaceId: this.workspace.id,
      workspaceBlobContainerId: workspaceBlobContainerId(
        this.storage.id,
        this.workspace.workspace.workspaceId,
        WORKSPACE_DATA_ISOLATION,
      ),
    });
    const postCreateGrants = workspacePostCreateGrants(this.identities.workspace.principalId, {
      workspaceId: this.workspace.id,
      storagePrivateEndpointIds: Object.fromEntries(
        Object.entries(this.storage.privateEndpoints).map(([group, pe]) => [group, pe.id]),
      ),
      mlRegistryId: mlRegistry && !config.mlRegistry.existingRegistryId ? mlRegistry.id : undefined,
    });
    this.workloadAccess = new RoleAssignments(
      `${name}-workload-access`,
      {
        grants: [
          ...postCreateGrants,
          ...computeGrants,
          ...endpointGrants,
          ...personaGrants(config.personas, { workspaceId: this.workspace.id, storageAccountId: this.storage.id }),
        ],
        subscriptionId: client.subscriptionId,
      },
      child,
    );
    const assignmentsOf = (grants: readonly { key: string }[]) =>
      grants.map((grant) => this.workloadAccess.assignments[grant.key]);

    // Computes start pulling images and reading data at once: they wait for the workspace's
    // private endpoint, the registry (and its private endpoint) and every role of their identity.
    this.compute = new TrainingCompute(
      `${name}-compute`,
      {
        ...placement,
        workspaceName: this.workspace.name,
        clusters: config.compute.clusters,
        instances: config.compute.instances,
        imageBuilder: config.compute.imageBuilder,
        identityId: this.identities.compute.id,
        tenantId: client.tenantId,
        instanceNameSeed: `${pulumi.getProject()}/${pulumi.getStack()}/${config.namePrefix}`,
      },
      {
        ...child,
        dependsOn: [
          this.workspace.privateEndpoint,
          ...(this.workspace.privateDnsZoneGroup ? [this.workspace.privateDnsZoneGroup] : []),
          this.registry,
          ...assignmentsOf(computeGrants),
          ...assignmentsOf(postCreateGrants),
        ],
      },
    );

    // Optional ML registry (promotion path) and the versioned assets built from code: environments
    // and data assets need nothing but the workspace. Model versions are pinned by serving stacks.
    // The conda specs are read here, synchronously, when the program starts: the component reads no files.
    const assets = new VersionedAssets(
      `${name}-mlops-registry-assets`,
      {
        resourceGroupName: group.name,
        workspaceName: this.workspace.name,
        environments: loadEnvironmentSpecs(config.assets.environments, PROJECT_ROOT),
        data: config.assets.data,
        models: {},
        registryName: config.mlRegistry.enabled ? mlRegistryName(config.namePrefix, config.mlRegistry) : undefined,
        imageBuilder: this.compute.imageBuilder,
        tags,
      },
      // Same URN as when the MlopsRegistry wrapper (now dissolved) was its parent.
      {
        ...child,
        aliases: [
          {
            type: "secure-azureml:assets:VersionedAssets",
            parent: pulumi.createUrn(`${name}-mlops-registry`, "secure-azureml:mlops:MlopsRegistry", this),
          },
        ],
      },
    );
    this.mlops = { registry: mlRegistry, assets };

    this.actionGroup = createAlertActionGroup(
      `${name}-action-group`,
      { resourceGroupName: group.name, tags, namePrefix: config.namePrefix, receivers: config.alerts },
      child,
    );

    this.subnetEndpoints = {
      workspace: this.workspace.privateEndpoint,
      storage: this.storage.privateEndpoints,
      keyVault: this.keyVault.privateEndpoints,
      registry: this.registry.privateEndpoints,
      mlRegistry: mlRegistry?.privateEndpoints,
      monitoring: this.monitorPrivateLinkScope?.privateEndpoint,
    };
    assertSubnetEndpoints(subnetEndpoints, this.subnetEndpoints, this);
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
   * compute clusters and by serving stacks' online endpoints, so replacing a cluster (e.g. a VM
   * size change) or removing an endpoint would fail. The workspace is protected by `protect` and by its 14-day soft delete.
   */
  private addDataLocks(name: string, lockWorkspace: boolean): void {
    const lockAfter = [this.workspaceIdentityAccess, this.workloadAccess];
    // A workspace lock covers its computes (and serving stacks' endpoints): it comes after them, so a destroy removes it first.
    const workspaceChildren = [this.compute, this.mlops.assets];
    const targets: [string, pulumi.Output<string>, pulumi.Resource][] = [
      ["storage", this.storage.id, this.storage],
      ["keyvault", this.keyVault.id, this.keyVault],
      ["registry", this.registry.id, this.registry],
      ["log-analytics", this.monitoring.logAnalyticsWorkspaceId, this.monitoring],
    ];
    for (const [key, id, component] of targets) addDeleteLock(`${name}-${key}`, id, this, [component, ...lockAfter]);
    if (lockWorkspace)
      addDeleteLock(`${name}-workspace`, this.workspace.id, this, [this.workspace, ...lockAfter, ...workspaceChildren]);
  }
}
