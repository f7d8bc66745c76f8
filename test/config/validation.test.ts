import { describe, expect, it } from "vitest";
import {
  alertsSchema,
  autoscaleSchema,
  clusterSchema,
  computeSchema,
  deploymentSchema,
  endpointSchema,
  imageBuilderSchema,
  instanceSchema,
  probeSchema,
} from "../../config";
import {
  assetsSchema,
  dataAssetSchema,
  environmentAssetSchema,
  mlRegistrySchema,
  modelReferenceSchema,
} from "../../config";
import { monitorSchema, retrainingSchema } from "../../config";
import {
  CONFIG_KEYS,
  keyVaultSchema,
  monitoringSchema,
  outboundSchema,
  personasSchema,
  protectionSchema,
  rawConfigFromPulumi,
  registrySchema,
  storageSchema,
  workspaceSchema,
} from "../../config";
import { CLOUDS, DNS_ZONE_KEYS } from "secure-azureml-facts";
import { issuesOf, validConfig } from "../support/config";

const MINIMUM = { location: "westeurope", namePrefix: "amldev" } as const;

const SPOKE_SUB = "3f2a6c1e-8b4d-4e9a-9c7f-2d1b0e5a6f80";
const HUB_SUB = "9b1d4e2f-6a3c-4f7e-8d5b-0c2e1f4a7b93";
const VNET_ID = `/subscriptions/${SPOKE_SUB}/resourceGroups/rg-network-spoke/providers/Microsoft.Network/virtualNetworks/vnet-ml-spoke`;
const CMK_VAULT_ID = `/subscriptions/${SPOKE_SUB}/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv-cmk-prod`;
const CMK_KEY_URI = "https://kv-cmk-prod.vault.azure.net/keys/aml-cmk/0123456789abcdef0123456789abcdef";
const GROUP_A = "7d3e1a52-3c4b-4f0e-9a61-0b5c2d8e4f11";
const GROUP_B = "2b9f6c14-8e2d-4a7b-b3c5-6d1e0f9a8b22";
const GROUP_C = "9c4d2e73-5f1a-4b8c-a2d6-3e7f1b0c9d33";

function zoneId(zoneName: string): string {
  return `/subscriptions/${HUB_SUB}/resourceGroups/rg-dns-hub/providers/Microsoft.Network/privateDnsZones/${zoneName}`;
}

/** Ids of every private DNS zone of a cloud, named correctly, as a hub would hold them. */
function hubZoneIds(cloud: keyof typeof CLOUDS): Record<string, string> {
  return Object.fromEntries(DNS_ZONE_KEYS.map((key) => [key, zoneId(CLOUDS[cloud].dnsZones[key])]));
}

/** Hub zone ids for a cloud with one key removed. */
function hubZoneIdsWithout(cloud: keyof typeof CLOUDS, missing: string): Record<string, string> {
  return Object.fromEntries(Object.entries(hubZoneIds(cloud)).filter(([key]) => key !== missing));
}

const WORKSPACE_ID = `/subscriptions/${SPOKE_SUB}/resourceGroups/rg-ml-platform-prod/providers/Microsoft.MachineLearningServices/workspaces/mlw-amlprd1`;
const ENGINEER = "5a7c9e1b-3d5f-4a8c-9e2b-4d6f8a0c2e55";

const CREATE_NETWORK = { mode: "create", addressSpace: "10.40.0.0/16", privateEndpointSubnet: "10.40.0.0/24" } as const;
const EXISTING_NETWORK = {
  mode: "existing",
  virtualNetworkId: VNET_ID,
  privateEndpointSubnetId: `${VNET_ID}/subnets/snet-pe`,
} as const;

/** Probes and request settings of both MAXIMAL deployments, each value different from its default. */
const SERVING_SETTINGS = {
  livenessProbe: {
    initialDelaySeconds: 60,
    periodSeconds: 20,
    timeoutSeconds: 5,
    failureThreshold: 5,
    successThreshold: 1,
  },
  readinessProbe: {
    initialDelaySeconds: 30,
    periodSeconds: 10,
    timeoutSeconds: 3,
    failureThreshold: 5,
    successThreshold: 2,
  },
  requestSettings: { requestTimeoutMs: 15_000, maxConcurrentRequestsPerInstance: 8 },
};

/** Every top-level key and every option used, with values that differ from the defaults. */
const MAXIMAL = {
  location: "northeurope",
  cloud: "AzureCloud",
  namePrefix: "amlprd1",
  resourceGroupName: "rg-ml-platform-prod",
  tags: { environment: "prod", "cost-center": "ml-platform", "data-classification": "confidential" },
  network: EXISTING_NETWORK,
  privateDns: { mode: "existing", zoneIds: hubZoneIds("AzureCloud") },
  workspace: {
    friendlyName: "ML platform (production)",
    description: "Private Azure ML workspace for the fraud models",
    highBusinessImpact: true,
    customerManagedKey: { keyVaultId: CMK_VAULT_ID, keyUri: CMK_KEY_URI },
    outbound: {
      mode: "AllowOnlyApprovedOutbound",
      presetVersion: "2026.11",
      presets: ["pypi", "mcr", "vscode", "azure-open-datasets"],
      extraFqdns: ["packages.contoso.com", "*.blob.contoso.net"],
      extraServiceTags: [
        { serviceTag: "Storage.NorthEurope", protocol: "TCP", portRanges: "443" },
        { serviceTag: "AzureMonitor", protocol: "*", portRanges: "80,443,8000-8080" },
      ],
      firewallSku: "Basic",
    },
    batchScoring: true,
  },
  personas: { dataScientists: [GROUP_A, GROUP_B], mlEngineers: [GROUP_B], readers: [GROUP_C] },
  // No scope of its own: MAXIMAL's hub DNS zones (privateDns existing) refuse one (monitoring.privateLinkScope).
  monitoring: { logRetentionDays: 365, dailyQuotaGb: 5, privateLinkScope: false, privateLinkAccessMode: "Open" },
  storage: {
    sku: "Standard_GZRS",
    privateEndpoints: ["blob", "file", "dfs", "queue", "table"],
    softDeleteRetentionDays: 30,
  },
  keyVault: { sku: "premium", softDeleteRetentionDays: 30, purgeProtection: false, privateEndpoint: true },
  registry: { zoneRedundancy: false, untaggedRetentionDays: 30, privateEndpoint: true },
  protection: { locks: true, protect: false, lockWorkspace: true },
  compute: {
    clusters: {
      // tier: LowPriority is rejected since its retirement (test/config/retirements.test.ts): the accepted value, written out.
      cpu: { vmSize: "Standard_F8s_v2", tier: "Dedicated", minNodes: 0, maxNodes: 8, idleSecondsBeforeScaleDown: 600 },
      "gpu-h100": {
        vmSize: "Standard_ND96isr_H100_v5",
        tier: "Dedicated",
        minNodes: 0,
        maxNodes: 4,
        idleSecondsBeforeScaleDown: 1800,
      },
    },
    instances: { engineer: { vmSize: "Standard_E4s_v3", assignedUserObjectId: ENGINEER, idleShutdownMinutes: 60 } },
    imageBuilder: { vmSize: "Standard_DS4_v2", maxNodes: 4 },
  },
  endpoints: {
    fraud: {
      description: "Fraud scoring (blue/green)",
      authMode: "AMLToken",
      allowKeyAuth: false,
      deployments: {
        blue: {
          instanceType: "Standard_NC24ads_A100_v4",
          instanceCount: 3,
          model: "azureml://registries/contoso-shared/models/fraud/versions/12",
          environment: "azureml:fraud-infer:4",
          code: { codeId: `${WORKSPACE_ID}/codes/fraud-score/versions/3`, scoringScript: "score.py" },
          ...SERVING_SETTINGS,
          autoscale: {
            minInstances: 3,
            maxInstances: 10,
            cpuScaleOutPercent: 65,
            cpuScaleInPercent: 20,
            latencyScaleOutMs: 400,
          },
        },
        green: {
          instanceType: "Standard_NC24ads_A100_v4",
          instanceCount: 3,
          model: `${WORKSPACE_ID}/models/fraud/versions/13`,
          environment: "azureml:fraud-infer:5",
          ...SERVING_SETTINGS,
        },
      },
      traffic: { blue: 100, green: 0 },
      mirrorTraffic: { green: 20 },
      alerts: { latencyP95Ms: 300, serverErrorsPerMinute: 3, gpuUtilizationPercent: 80 },
    },
  },
  alerts: {
    emailReceivers: [{ name: "ml-platform-oncall", email: "ml-oncall@contoso.com" }],
    webhookReceivers: [{ name: "incident-bridge", serviceUri: "https://hooks.contoso.com/azure-monitor" }],
  },
  mlRegistry: {
    enabled: true,
    mode: "publish",
    name: "mlr-contoso-fraud",
    replicationRegions: ["westeurope", "swedencentral"],
    storageAccountType: "Standard_GZRS",
    shareFromWorkspace: true,
  },
  assets: {
    environments: {
      "churn-inference": {
        image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20250601.v1",
        condaFile: "assets/environments/churn-inference/conda.yaml",
        description: "Scoring runtime",
      },
    },
    data: {
      "fraud-training": {
        type: "uri_file",
        datastore: "workspaceartifactstore",
        path: "fraud/training/2026-06.parquet",
        description: "June snapshot",
      },
    },
    models: { fraud: { version: "12", from: "registry" } },
  },
  modelMonitoring: {
    "fraud-blue": {
      endpoint: "fraud",
      deployment: "blue",
      taskType: "Classification",
      cron: "0 5 * * *",
      lookbackDays: 2,
      samplingRate: 0.2,
      trainingData: "azureml:fraud-training-table:4",
      engine: "job",
      signals: {
        dataDrift: {
          numerical: { metric: "PopulationStabilityIndex", threshold: 0.2 },
          categorical: { metric: "JensenShannonDistance", threshold: 0.15 },
        },
        predictionDrift: {
          numerical: { metric: "JensenShannonDistance", threshold: 0.05 },
          categorical: { metric: "PopulationStabilityIndex", threshold: 0.1 },
        },
        dataQuality: { nullValueRate: 0.01, dataTypeErrorRate: 0, outOfBoundsRate: 0.02 },
      },
      compute: { cluster: "cpu" },
      notify: true,
    },
  },
  retraining: {
    enabled: true,
    cron: "30 1 * * 0,3",
    cluster: "cpu",
    experimentName: "fraud-retraining",
    job: {
      command: "python train.py --data ${{inputs.transactions}} --epochs ${{inputs.epochs}}",
      environment: "azureml:fraud-train:2",
      code: `${WORKSPACE_ID}/codes/fraud-train/versions/5`,
      inputs: {
        transactions: {
          type: "uri_folder",
          path: "azureml://datastores/workspaceblobstore/paths/fraud/transactions/",
          mode: "Download",
        },
        epochs: { type: "literal", value: "20" },
      },
      timeoutMinutes: 600,
    },
  },
  // Batch deployments are not supported in CMK workspaces (MAXIMAL has a CMK): every batch key is in test/config/mlopsServingValidation.test.ts.
  batchEndpoints: {},
};

describe("validateStackConfig: valid configurations", () => {
  it("turns the minimum input into exactly the documented secure defaults", () => {
    expect(validConfig(MINIMUM)).toEqual({
      location: "westeurope",
      cloud: "AzureCloud",
      namePrefix: "amldev",
      tags: {},
      network: { mode: "create", addressSpace: "10.40.0.0/16", privateEndpointSubnet: "10.40.0.0/24" },
      privateDns: { mode: "create" },
      workspace: {
        highBusinessImpact: true,
        outbound: {
          mode: "AllowOnlyApprovedOutbound",
          // presets absent: the pinned version's default list (enabledOutboundPresets).
          presetVersion: "2026.12",
          extraFqdns: [],
          extraServiceTags: [],
          firewallSku: "Standard",
        },
        batchScoring: false,
      },
      personas: { dataScientists: [], mlEngineers: [], readers: [] },
      monitoring: { logRetentionDays: 90, privateLinkScope: false },
      storage: { sku: "Standard_ZRS", privateEndpoints: ["blob", "file"], softDeleteRetentionDays: 14 },
      keyVault: { sku: "standard", softDeleteRetentionDays: 90, purgeProtection: true, privateEndpoint: true },
      registry: { zoneRedundancy: true, untaggedRetentionDays: 7, privateEndpoint: true },
      protection: { locks: true, protect: true, lockWorkspace: false },
      compute: { clusters: {}, instances: {}, imageBuilder: { vmSize: "Standard_D4s_v3", maxNodes: 2 } },
      endpoints: {},
      alerts: { emailReceivers: [], webhookReceivers: [] },
      mlRegistry: { enabled: false, mode: "consume", replicationRegions: [], storageAccountType: "Standard_ZRS" },
      assets: { environments: {}, data: {}, models: {} },
      modelMonitoring: {},
      batchEndpoints: {},
    });
  });

  it("leaves optional keys without a secure default unset (no resource group name, no CMK, no daily cap)", () => {
    const config = validConfig(MINIMUM);
    expect(config.resourceGroupName).toBeUndefined();
    expect(config.workspace.customerManagedKey).toBeUndefined();
    expect(config.workspace.friendlyName).toBeUndefined();
    expect(config.monitoring.dailyQuotaGb).toBeUndefined();
    expect("jumpboxSubnet" in config.network).toBe(false);
  });

  it("uses every key of every section in the maximal fixture (so a new key must be added here)", () => {
    expect(Object.keys(MAXIMAL).sort()).toEqual([...CONFIG_KEYS].sort());
    const sections: [object, { shape: object }][] = [
      [MAXIMAL.workspace, workspaceSchema],
      [MAXIMAL.workspace.outbound, outboundSchema],
      [MAXIMAL.personas, personasSchema],
      [MAXIMAL.monitoring, monitoringSchema],
      [MAXIMAL.storage, storageSchema],
      [MAXIMAL.keyVault, keyVaultSchema],
      [MAXIMAL.registry, registrySchema],
      [MAXIMAL.protection, protectionSchema],
      [MAXIMAL.compute, computeSchema],
      [MAXIMAL.compute.imageBuilder, imageBuilderSchema],
      [MAXIMAL.endpoints.fraud, endpointSchema],
      [MAXIMAL.endpoints.fraud.alerts, endpointSchema.shape.alerts.unwrap()],
      [MAXIMAL.endpoints.fraud.deployments.blue, deploymentSchema],
      [MAXIMAL.endpoints.fraud.deployments.blue.livenessProbe, probeSchema],
      [MAXIMAL.endpoints.fraud.deployments.blue.requestSettings, deploymentSchema.shape.requestSettings.unwrap()],
      [MAXIMAL.endpoints.fraud.deployments.blue.autoscale, autoscaleSchema],
      [MAXIMAL.alerts, alertsSchema],
      [MAXIMAL.assets, assetsSchema],
      [MAXIMAL.assets.environments["churn-inference"], environmentAssetSchema],
      [MAXIMAL.assets.data["fraud-training"], dataAssetSchema],
      [MAXIMAL.assets.models.fraud, modelReferenceSchema],
      [MAXIMAL.modelMonitoring["fraud-blue"], monitorSchema],
      [MAXIMAL.modelMonitoring["fraud-blue"].signals, monitorSchema.shape.signals.unwrap()],
      [MAXIMAL.retraining, retrainingSchema],
      [MAXIMAL.retraining.job, retrainingSchema.shape.job],
    ];
    for (const [fixture, schema] of sections)
      expect(Object.keys(fixture).sort()).toEqual(Object.keys(schema.shape).sort());
    // MAXIMAL's workspace allows only approved outbound, so its monitor runs on the job engine: the Spark keys of the builtin engine are covered by test/config/mlopsServingValidation.test.ts.
    const monitorCompute = Object.keys(monitorSchema.shape.compute.unwrap().shape).filter(
      (key) => key !== "instanceType" && key !== "runtimeVersion",
    );
    expect(Object.keys(MAXIMAL.modelMonitoring["fraud-blue"].compute)).toEqual(monitorCompute);
    expect(Object.keys(MAXIMAL.compute.clusters.cpu).sort()).toEqual(Object.keys(clusterSchema.shape).sort());
    expect(Object.keys(MAXIMAL.compute.instances.engineer).sort()).toEqual(Object.keys(instanceSchema.shape).sort());
    expect(Object.keys(MAXIMAL.privateDns.zoneIds).sort()).toEqual([...DNS_ZONE_KEYS].sort());
    // existingRegistryId excludes name, replicationRegions and storageAccountType (a registry is
    // either created or referenced); test/config/mlopsRegistryValidation.test.ts covers it.
    expect(Object.keys(MAXIMAL.mlRegistry).sort()).toEqual(
      Object.keys(mlRegistrySchema.shape)
        .filter((key) => key !== "existingRegistryId")
        .sort(),
    );
  });

  it("accepts the maximal configuration (existing network, hub DNS zones, CMK, extra outbound, personas, compute, endpoints) and keeps every value", () => {
    expect(validConfig(MAXIMAL)).toEqual(MAXIMAL);
  });

  it("accepts a created network with a jump-box subnet and private DNS left to Azure Policy", () => {
    const raw = {
      ...MINIMUM,
      network: { ...CREATE_NETWORK, jumpboxSubnet: "10.40.1.0/27" },
      privateDns: { mode: "azurePolicy" },
    };
    const config = validConfig(raw);
    expect(config.network).toEqual({ ...CREATE_NETWORK, jumpboxSubnet: "10.40.1.0/27" });
    expect(config.privateDns).toEqual({ mode: "azurePolicy" });
  });

  it("accepts the sovereign clouds with their own regions, DNS zone names and Key Vault suffix", () => {
    const gov = validConfig({
      location: "usgovvirginia",
      cloud: "AzureUSGovernment",
      namePrefix: "amlgov",
      privateDns: { mode: "existing", zoneIds: hubZoneIds("AzureUSGovernment") },
      workspace: {
        customerManagedKey: {
          keyVaultId: CMK_VAULT_ID,
          keyUri: "https://kv-cmk-prod.vault.usgovcloudapi.net/keys/aml-cmk",
        },
      },
    });
    expect(gov.cloud).toBe("AzureUSGovernment");
    const china = validConfig({ location: "chinanorth3", cloud: "AzureChinaCloud", namePrefix: "amlcn" });
    expect(china.location).toBe("chinanorth3");
  });

  it("normalises a display-name location ('West Europe') to the region name", () => {
    expect(validConfig({ ...MINIMUM, location: "West Europe" }).location).toBe("westeurope");
  });

  it("needs zone ids only for the storage endpoints in use (no dfs/queue/table zones by default)", () => {
    const zoneIds = Object.fromEntries(
      Object.entries(hubZoneIds("AzureCloud")).filter(([key]) => !["dfs", "queue", "table"].includes(key)),
    );
    expect(validConfig({ ...MINIMUM, privateDns: { mode: "existing", zoneIds } }).privateDns).toEqual({
      mode: "existing",
      zoneIds,
    });
  });

  it("accepts a one-character resource group name and 100.64.0.0/10 shared address space", () => {
    expect(validConfig({ ...MINIMUM, resourceGroupName: "a" }).resourceGroupName).toBe("a");
    const network = {
      mode: "create",
      addressSpace: "100.64.0.0/16",
      privateEndpointSubnet: "100.64.0.0/24",
      jumpboxSubnet: "100.64.4.0/27",
    };
    expect(validConfig({ ...MINIMUM, network }).network).toEqual(network);
  });
});

interface BadCase {
  /** What is wrong, as the test name. */
  readonly problem: string;
  /** Raw config merged over the minimum valid input (a key set to undefined is removed). */
  readonly raw: Record<string, unknown>;
  /** The fully qualified key the issue must name. */
  readonly key: string;
  /** A fragment of the message that says what is accepted. */
  readonly accepted: string | RegExp;
}

const withOutbound = (outbound: Record<string, unknown>) => ({ workspace: { outbound } });
const withNetwork = (network: Record<string, unknown>) => ({ network: { ...CREATE_NETWORK, ...network } });
const withCmk = (cmk: Record<string, unknown>) => ({
  workspace: { customerManagedKey: { keyVaultId: CMK_VAULT_ID, keyUri: CMK_KEY_URI, ...cmk } },
});
const K = (key: string) => `secure-azureml:${key}`;
/** The keys network mode create accepts, as an unknown key's message lists them. */
const CREATE_NETWORK_KEYS = "accepted keys here: mode, addressSpace, privateEndpointSubnet, jumpboxSubnet";
const LOG_RETENTION_RANGE = "must be a whole number from 30 to 730";

const BAD_CASES: BadCase[] = [
  // Network, mode create: CIDR syntax and layout.
  {
    problem: "malformed CIDR",
    raw: withNetwork({ addressSpace: "10.40.0/16" }),
    key: K("network.addressSpace"),
    accepted: "expected an IPv4 CIDR such as 10.40.0.0/24",
  },
  {
    problem: "CIDR with host bits set (suggests the canonical one)",
    raw: withNetwork({ jumpboxSubnet: "10.40.4.1/22" }),
    key: K("network.jumpboxSubnet"),
    accepted: "host bits are set; did you mean 10.40.4.0/22?",
  },
  {
    problem: "CIDR with a leading-zero (octal-looking) octet",
    raw: withNetwork({ addressSpace: "010.40.0.0/16" }),
    key: K("network.addressSpace"),
    accepted: "without leading zeros",
  },
  {
    problem: "public address space",
    raw: withNetwork({ addressSpace: "20.40.0.0/16", privateEndpointSubnet: "20.40.0.0/24" }),
    key: K("network.addressSpace"),
    accepted: "private range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10",
  },
  {
    problem: "overlapping subnets",
    raw: withNetwork({ jumpboxSubnet: "10.40.0.0/22" }),
    key: K("network.jumpboxSubnet"),
    accepted: "overlaps network.privateEndpointSubnet 10.40.0.0/24; subnets must not overlap",
  },
  {
    problem: "subnet outside the address space",
    raw: withNetwork({ jumpboxSubnet: "10.41.4.0/27" }),
    key: K("network.jumpboxSubnet"),
    accepted: "outside network.addressSpace 10.40.0.0/16",
  },
  {
    problem: "compute subnet (removed: compute runs in the managed virtual network, deploy-audit M6)",
    raw: withNetwork({ computeSubnet: "10.40.4.0/22" }),
    key: K("network.computeSubnet"),
    accepted:
      "is no longer accepted: compute runs in the workspace's managed virtual network, and Azure ML cannot place managed-network compute in a customer subnet",
  },
  {
    problem: "compute subnet id in mode existing (removed, deploy-audit M6)",
    raw: { network: { ...EXISTING_NETWORK, computeSubnetId: `${VNET_ID}/subnets/snet-compute` } },
    key: K("network.computeSubnetId"),
    accepted: "the compute subnet was never used; remove this key (only privateEndpointSubnetId is used)",
  },
  {
    problem: "subnet smaller than /29",
    raw: withNetwork({ jumpboxSubnet: "10.40.1.0/30" }),
    key: K("network.jumpboxSubnet"),
    accepted: "prefix length between /8 and /29",
  },
  {
    problem: "network mode unknown",
    raw: { network: { ...CREATE_NETWORK, mode: "hubAndSpoke" } },
    key: K("network.mode"),
    accepted: 'expected one of "create", "existing"',
  },
  {
    problem: "network mode missing",
    raw: { network: { addressSpace: "10.40.0.0/16" } },
    key: K("network.mode"),
    accepted: 'is required: one of "create", "existing"',
  },
  {
    problem: "mode create missing a subnet",
    raw: { network: { mode: "create", addressSpace: "10.40.0.0/16" } },
    key: K("network.privateEndpointSubnet"),
    accepted: "is required: must be an IPv4 CIDR such as 10.40.0.0/24",
  },
  // Network, mode existing.
  {
    problem: "existing network with a malformed subnet id",
    raw: { network: { ...EXISTING_NETWORK, privateEndpointSubnetId: "snet-pe" } },
    key: K("network.privateEndpointSubnetId"),
    accepted:
      "must be a subnet resource id: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>",
  },
  {
    problem: "existing subnet in another virtual network",
    raw: { network: { ...EXISTING_NETWORK, privateEndpointSubnetId: `${VNET_ID}-other/subnets/snet-pe` } },
    key: K("network.privateEndpointSubnetId"),
    accepted: "must be a subnet of network.virtualNetworkId",
  },
  {
    problem: "existing network given a subnet where the VNet id belongs",
    raw: { network: { ...EXISTING_NETWORK, virtualNetworkId: `${VNET_ID}/subnets/snet-pe` } },
    key: K("network.virtualNetworkId"),
    accepted: "must be a virtual network resource id",
  },
  // Region and cloud.
  {
    problem: "unknown location",
    raw: { location: "westeuropa" },
    key: K("location"),
    accepted: /is not an Azure region of AzureCloud; accepted: .*westeurope/,
  },
  {
    problem: "location of another cloud (usgovvirginia with AzureCloud)",
    raw: { location: "usgovvirginia" },
    key: K("location"),
    accepted: "is a region of AzureUSGovernment, not of AzureCloud (set cloud: AzureUSGovernment",
  },
  {
    problem: "public-cloud location with AzureChinaCloud",
    raw: { cloud: "AzureChinaCloud" },
    key: K("location"),
    accepted:
      /region of AzureCloud, not of AzureChinaCloud.*accepted: chinaeast2, chinaeast3, chinanorth2, chinanorth3/,
  },
  {
    problem: "unknown cloud",
    raw: { cloud: "AzureGermanCloud" },
    key: K("cloud"),
    accepted: 'expected one of "AzureCloud", "AzureUSGovernment", "AzureChinaCloud"',
  },
  {
    problem: "missing location",
    raw: { location: undefined },
    key: K("location"),
    accepted: "is required: must be an Azure region name of the chosen cloud, e.g. westeurope",
  },
  // Names.
  {
    problem: "missing namePrefix",
    raw: { namePrefix: undefined },
    key: K("namePrefix"),
    accepted: "is required: must be 2-8 lowercase letters or digits, starting with a letter",
  },
  {
    problem: "namePrefix with uppercase letters",
    raw: { namePrefix: "AmlDev" },
    key: K("namePrefix"),
    accepted: "2-8 lowercase letters or digits, starting with a letter",
  },
  {
    problem: "namePrefix too long",
    raw: { namePrefix: "amldevelop" },
    key: K("namePrefix"),
    accepted: "2-8 lowercase letters or digits",
  },
  {
    problem: "namePrefix starting with a digit",
    raw: { namePrefix: "1aml" },
    key: K("namePrefix"),
    accepted: "starting with a letter",
  },
  {
    problem: "resource group name ending in a period",
    raw: { resourceGroupName: "rg-ml." },
    key: K("resourceGroupName"),
    accepted: "1-90 letters, digits, - _ . ( ), not ending in a period",
  },
  // Personas.
  {
    problem: "bad group object id in dataScientists",
    raw: { personas: { dataScientists: ["ml-data-scientists"] } },
    key: K("personas.dataScientists[0]"),
    accepted: "Microsoft Entra object id (GUID)",
  },
  {
    problem: "bad group object id in mlEngineers",
    raw: { personas: { mlEngineers: [GROUP_A, "2b9f6c14-8e2d-4a7b-b3c5"] } },
    key: K("personas.mlEngineers[1]"),
    accepted: "Microsoft Entra object id (GUID)",
  },
  {
    problem: "bad group object id in readers",
    raw: { personas: { readers: ["{9c4d2e73-5f1a-4b8c-a2d6-3e7f1b0c9d33}"] } },
    key: K("personas.readers[0]"),
    accepted: "Microsoft Entra object id (GUID)",
  },
  {
    problem: "duplicate persona group id (different case)",
    raw: { personas: { dataScientists: [GROUP_A, GROUP_A.toUpperCase()] } },
    key: K("personas.dataScientists[1]"),
    accepted: "is listed twice; list each group once",
  },
  {
    problem: "unknown persona",
    raw: { personas: { admins: [GROUP_A] } },
    key: K("personas.admins"),
    accepted: "accepted keys here: dataScientists, mlEngineers, readers",
  },
  // Outbound.
  {
    problem: "unknown outbound preset",
    raw: withOutbound({ presets: ["pypi", "npm"] }),
    key: K("workspace.outbound.presets[1]"),
    accepted:
      "is not an outbound preset in version 2026.12; accepted: pypi, conda, pytorch, tensorflow, huggingface, dockerhub, github, vscode, azure-open-datasets",
  },
  {
    problem: "duplicate outbound preset",
    raw: withOutbound({ presets: ["pypi", "pypi"] }),
    key: K("workspace.outbound.presets[1]"),
    accepted: "list each preset once",
  },
  {
    problem: "unknown preset version",
    raw: withOutbound({ presetVersion: "2025.01" }),
    key: K("workspace.outbound.presetVersion"),
    accepted: 'expected one of "2026.11", "2026.12"',
  },
  {
    problem: "preset version written as a YAML number",
    raw: withOutbound({ presetVersion: 2026.11 }),
    key: K("workspace.outbound.presetVersion"),
    accepted: 'write it as a quoted string: "2026.11"',
  },
  {
    problem: "unknown outbound mode",
    raw: withOutbound({ mode: "Disabled" }),
    key: K("workspace.outbound.mode"),
    accepted: 'expected one of "AllowOnlyApprovedOutbound", "AllowInternetOutbound"',
  },
  {
    problem: "extraFqdns with a URL instead of a host name",
    raw: withOutbound({ extraFqdns: ["https://packages.contoso.com"] }),
    key: K("workspace.outbound.extraFqdns[0]"),
    accepted: "must be a host name like example.com or *.example.com",
  },
  {
    problem: "extraFqdns with an underscore host name",
    raw: withOutbound({ extraFqdns: ["pypi_mirror.contoso.com"] }),
    key: K("workspace.outbound.extraFqdns[0]"),
    accepted: "must be a host name like example.com",
  },
  {
    problem: "extraFqdns with AllowInternetOutbound",
    raw: withOutbound({ mode: "AllowInternetOutbound", extraFqdns: ["packages.contoso.com"] }),
    key: K("workspace.outbound.mode"),
    accepted: "use AllowOnlyApprovedOutbound or remove extraFqdns/extraServiceTags",
  },
  {
    problem: "service tag port above 65535",
    raw: withOutbound({ extraServiceTags: [{ serviceTag: "Storage", portRanges: "70000" }] }),
    key: K("workspace.outbound.extraServiceTags[0].portRanges"),
    accepted: "ports 1-65535 and ascending ranges",
  },
  {
    problem: "service tag port range descending",
    raw: withOutbound({ extraServiceTags: [{ serviceTag: "Storage", portRanges: "8080-8000" }] }),
    key: K("workspace.outbound.extraServiceTags[0].portRanges"),
    accepted: "e.g. 443, 80,443 or 8000-8080",
  },
  {
    problem: "service tag name with a space",
    raw: withOutbound({ extraServiceTags: [{ serviceTag: "Azure Monitor" }] }),
    key: K("workspace.outbound.extraServiceTags[0].serviceTag"),
    accepted: "Azure service tag name, e.g. AzureOpenDatasets or Storage.WestEurope",
  },
  {
    problem: "unknown firewall SKU",
    raw: withOutbound({ firewallSku: "Premium" }),
    key: K("workspace.outbound.firewallSku"),
    accepted: 'expected one of "Standard", "Basic"',
  },
  // Monitoring.
  {
    problem: "log retention below 30",
    raw: { monitoring: { logRetentionDays: 29 } },
    key: K("monitoring.logRetentionDays"),
    accepted: LOG_RETENTION_RANGE,
  },
  {
    problem: "log retention above 730",
    raw: { monitoring: { logRetentionDays: 731 } },
    key: K("monitoring.logRetentionDays"),
    accepted: LOG_RETENTION_RANGE,
  },
  {
    problem: "log retention not an integer",
    raw: { monitoring: { logRetentionDays: 90.5 } },
    key: K("monitoring.logRetentionDays"),
    accepted: LOG_RETENTION_RANGE,
  },
  {
    problem: "string where a number is expected",
    raw: { monitoring: { logRetentionDays: "90" } },
    key: K("monitoring.logRetentionDays"),
    accepted: `expected number (unquoted), got string; ${LOG_RETENTION_RANGE}`,
  },
  {
    problem: "daily quota of zero",
    raw: { monitoring: { dailyQuotaGb: 0 } },
    key: K("monitoring.dailyQuotaGb"),
    accepted: "greater than 0 and at most 10000",
  },
  // Wrong types and unknown keys.
  {
    problem: "string where an object is expected",
    raw: { network: "10.40.0.0/16" },
    key: K("network"),
    accepted: "expected object (a map of keys), got string",
  },
  {
    problem: "string where a boolean is expected",
    raw: { workspace: { highBusinessImpact: "false" } },
    key: K("workspace.highBusinessImpact"),
    accepted: "expected boolean (true or false, unquoted), got string",
  },
  {
    problem: "array where an object is expected",
    raw: { personas: [GROUP_A] },
    key: K("personas"),
    accepted: "expected object (a map of keys), got array",
  },
  {
    problem: "string where a list is expected",
    raw: { storage: { privateEndpoints: "blob" } },
    key: K("storage.privateEndpoints"),
    accepted: "expected list, got string",
  },
  {
    problem: "unknown top-level key (typo)",
    raw: { netwrok: CREATE_NETWORK },
    key: K("netwrok"),
    accepted: /did you mean network\? accepted keys here: location, cloud, namePrefix, .*protection/,
  },
  {
    problem: "unknown nested key (typo in workspace)",
    raw: { workspace: { highBusinessImpakt: false } },
    key: K("workspace.highBusinessImpakt"),
    accepted: "did you mean highBusinessImpact?",
  },
  {
    problem: "unknown nested key in a network mode (wrong case)",
    raw: withNetwork({ jumpBoxSubnet: "10.40.1.0/27" }),
    key: K("network.jumpBoxSubnet"),
    accepted: `did you mean jumpboxSubnet? ${CREATE_NETWORK_KEYS}`,
  },
  {
    problem: "key of another network mode",
    raw: withNetwork({ virtualNetworkId: VNET_ID }),
    key: K("network.virtualNetworkId"),
    accepted: CREATE_NETWORK_KEYS,
  },
  // Private DNS.
  {
    problem: "private DNS mode unknown",
    raw: { privateDns: { mode: "hub" } },
    key: K("privateDns.mode"),
    accepted: 'expected one of "create", "existing", "azurePolicy"',
  },
  {
    problem: "existing DNS mode missing a zone id",
    raw: { privateDns: { mode: "existing", zoneIds: hubZoneIdsWithout("AzureCloud", "vault") } },
    key: K("privateDns.zoneIds.vault"),
    accepted: 'is required in mode "existing": the resource id of private DNS zone privatelink.vaultcore.azure.net',
  },
  {
    problem: "existing DNS mode missing the zone of an extra storage endpoint",
    raw: {
      storage: { privateEndpoints: ["blob", "file", "dfs"] },
      privateDns: { mode: "existing", zoneIds: hubZoneIdsWithout("AzureCloud", "dfs") },
    },
    key: K("privateDns.zoneIds.dfs"),
    accepted: "privatelink.dfs.core.windows.net",
  },
  {
    problem: "existing DNS mode without zoneIds",
    raw: { privateDns: { mode: "existing" } },
    key: K("privateDns.zoneIds"),
    accepted:
      "must map zone keys (amlApi, amlNotebooks, blob, file, dfs, queue, table, vault, registry) to private DNS zone resource ids",
  },
  {
    problem: "public-cloud zone id with AzureUSGovernment",
    raw: {
      location: "usgovvirginia",
      cloud: "AzureUSGovernment",
      privateDns: {
        mode: "existing",
        zoneIds: { ...hubZoneIds("AzureUSGovernment"), amlApi: zoneId("privatelink.api.azureml.ms") },
      },
    },
    key: K("privateDns.zoneIds.amlApi"),
    accepted: "must name zone privatelink.api.ml.azure.us for AzureUSGovernment",
  },
  {
    problem: "zone id that is a zone name, not a resource id",
    raw: {
      privateDns: {
        mode: "existing",
        zoneIds: { ...hubZoneIds("AzureCloud"), blob: "privatelink.blob.core.windows.net" },
      },
    },
    key: K("privateDns.zoneIds.blob"),
    accepted: "must be a private DNS zone resource id",
  },
  {
    problem: "zone ids in mode create",
    raw: { privateDns: { mode: "create", zoneIds: hubZoneIds("AzureCloud") } },
    key: K("privateDns.zoneIds"),
    accepted: "accepted keys here: mode",
  },
  // Customer-managed key.
  {
    problem: "CMK key URI malformed (http, no /keys/)",
    raw: withCmk({ keyUri: "http://kv-cmk-prod.vault.azure.net/aml-cmk" }),
    key: K("workspace.customerManagedKey.keyUri"),
    accepted: "must be a key URI https://<vault>.vault.azure.net/keys/<name>[/<32-hex-digit version>]",
  },
  {
    problem: "CMK key URI with a bad version",
    raw: withCmk({ keyUri: "https://kv-cmk-prod.vault.azure.net/keys/aml-cmk/v2" }),
    key: K("workspace.customerManagedKey.keyUri"),
    accepted: "https://<vault>.vault.azure.net/keys/<name>",
  },
  {
    problem: "CMK key URI of the public cloud in AzureChinaCloud",
    raw: { location: "chinanorth3", cloud: "AzureChinaCloud", ...withCmk({}) },
    key: K("workspace.customerManagedKey.keyUri"),
    accepted: "https://<vault>.vault.azure.cn/keys/<name>",
  },
  {
    problem: "CMK key URI vault differing from keyVaultId",
    raw: withCmk({ keyUri: "https://kv-other.vault.azure.net/keys/aml-cmk" }),
    key: K("workspace.customerManagedKey.keyUri"),
    accepted: "names vault kv-other but keyVaultId names kv-cmk-prod; the key must live in the vault keyVaultId names",
  },
  {
    problem: "CMK keyVaultId malformed",
    raw: withCmk({ keyVaultId: "kv-cmk-prod" }),
    key: K("workspace.customerManagedKey.keyVaultId"),
    accepted: "must be a Key Vault resource id",
  },
  {
    problem: "CMK without keyUri",
    raw: { workspace: { customerManagedKey: { keyVaultId: CMK_VAULT_ID } } },
    key: K("workspace.customerManagedKey.keyUri"),
    accepted: "is required: must be a key URI",
  },
  // Storage, Key Vault, registry, protection.
  {
    problem: "storage privateEndpoints without file",
    raw: { storage: { privateEndpoints: ["blob", "dfs"] } },
    key: K("storage.privateEndpoints"),
    accepted: "must include file: a private workspace reaches its storage over blob and file endpoints",
  },
  {
    problem: "storage privateEndpoints with an unknown sub-resource",
    raw: { storage: { privateEndpoints: ["blob", "file", "web"] } },
    key: K("storage.privateEndpoints[2]"),
    accepted: 'expected one of "blob", "file", "dfs", "queue", "table"',
  },
  {
    problem: "storage privateEndpoints listing one twice",
    raw: { storage: { privateEndpoints: ["blob", "file", "blob"] } },
    key: K("storage.privateEndpoints[2]"),
    accepted: "list each sub-resource once",
  },
  {
    problem: "unknown storage SKU",
    raw: { storage: { sku: "Premium_LRS" } },
    key: K("storage.sku"),
    accepted:
      'expected one of "Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_GZRS", "Standard_RAGRS", "Standard_RAGZRS"',
  },
  {
    problem: "storage soft delete of zero days",
    raw: { storage: { softDeleteRetentionDays: 0 } },
    key: K("storage.softDeleteRetentionDays"),
    accepted: "must be a whole number from 1 to 365",
  },
  {
    problem: "Key Vault soft delete retention 100",
    raw: { keyVault: { softDeleteRetentionDays: 100 } },
    key: K("keyVault.softDeleteRetentionDays"),
    accepted: "must be a whole number from 7 to 90",
  },
  {
    problem: "Key Vault SKU in the wrong case",
    raw: { keyVault: { sku: "Premium" } },
    key: K("keyVault.sku"),
    accepted: 'expected one of "standard", "premium"',
  },
  {
    problem: "registry untagged retention as a string",
    raw: { registry: { untaggedRetentionDays: "7" } },
    key: K("registry.untaggedRetentionDays"),
    accepted: "must be a whole number from 0 to 365",
  },
  {
    problem: "protection flag as a string",
    raw: { protection: { locks: "false" } },
    key: K("protection.locks"),
    accepted: "true or false, unquoted",
  },
  // Tags.
  {
    problem: "tag name with a forbidden character",
    raw: { tags: { "cost/center": "ml" } },
    key: K('tags["cost/center"]'),
    accepted: "tag names cannot contain < > % & \\ ? /",
  },
  {
    problem: "tag value longer than 256 characters",
    raw: { tags: { owner: "x".repeat(257) } },
    key: K("tags.owner"),
    accepted: "tag values are at most 256 characters",
  },
  {
    problem: "tag value that is a number",
    raw: { tags: { year: 2026 } },
    key: K("tags.year"),
    accepted: "tag values must be strings (quote numbers and booleans)",
  },
  {
    problem: "more than 12 tags while the stack creates private DNS zones (15 tags at most, 3 are the program's)",
    raw: { tags: Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`tag${i}`, "x"])) },
    key: K("tags"),
    accepted: "accept at most 15: give at most 12 tags",
  },
  {
    problem: "more than 47 tags with private DNS left to Azure Policy (50 tags at most, 3 are the program's)",
    raw: {
      privateDns: { mode: "azurePolicy" },
      tags: Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`tag${i}`, "x"])),
    },
    key: K("tags"),
    accepted: "Azure accepts at most 50 on a resource: give at most 47 tags",
  },
];

function withOverrides(overrides: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...MINIMUM, ...overrides };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
}

describe("validateStackConfig: each bad configuration is reported once, at its key, saying what is accepted", () => {
  it("has at least 30 distinct cases", () => {
    expect(new Set(BAD_CASES.map((c) => c.problem)).size).toBe(BAD_CASES.length);
    expect(BAD_CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(BAD_CASES)("$problem -> $key", ({ raw, key, accepted }) => {
    const issues = issuesOf(withOverrides(raw));
    // Exactly one problem was introduced, so exactly one issue, and nothing else is flagged.
    expect(issues.map((i) => i.key)).toEqual([key]);
    const issue = issues[0];
    if (typeof accepted === "string") expect(issue.message).toContain(accepted);
    else expect(issue.message).toMatch(accepted);
    expect(issue.value.length).toBeGreaterThan(0);
  });

  it("shows the offending value as JSON, or (missing)", () => {
    const [hostBits] = issuesOf(withOverrides(withNetwork({ jumpboxSubnet: "10.40.4.1/22" })));
    expect(hostBits.value).toBe('"10.40.4.1/22"');
    const [missing] = issuesOf(withOverrides({ location: undefined }));
    expect(missing.value).toBe("(missing)");
    const [retention] = issuesOf(withOverrides({ monitoring: { logRetentionDays: 731 } }));
    expect(retention.value).toBe("731");
    const [tagName] = issuesOf(withOverrides({ tags: { "cost/center": "ml" } }));
    expect(tagName.value).toBe('"cost/center"');
  });

  it("truncates long values so a message stays readable", () => {
    const [issue] = issuesOf(withOverrides({ tags: { owner: "x".repeat(257) } }));
    expect(issue.value.length).toBeLessThanOrEqual(80);
    expect(issue.value.endsWith("...")).toBe(true);
  });
});

describe("validateStackConfig: every problem at once", () => {
  it("reports one issue per problem, including cross-field rules next to schema errors and typos", () => {
    const issues = issuesOf({
      location: "usgovvirginia",
      namePrefix: "AML-Dev",
      tags: { "a<b": "x" },
      netwrok: {},
      network: {
        mode: "create",
        addressSpace: "8.8.0.0/16",
        privateEndpointSubnet: "8.8.0.1/24",
        jumpboxSubnet: "10.40.4.0/22",
        jumpBoxSubnet: "10.40.1.0/27",
      },
      privateDns: { mode: "existing", zoneIds: hubZoneIdsWithout("AzureCloud", "registry") },
      workspace: {
        highBusinessImpact: "yes",
        customerManagedKey: { keyVaultId: CMK_VAULT_ID, keyUri: "https://kv-other.vault.azure.net/keys/aml-cmk" },
        outbound: { mode: "AllowInternetOutbound", presets: ["pypi", "npm"], extraFqdns: ["bad_host"], modee: "x" },
      },
      personas: { dataScientists: [GROUP_A, GROUP_A], readers: ["not-a-guid"] },
      monitoring: { logRetentionDays: 10 },
      storage: { sku: "Premium_LRS", privateEndpoints: ["blob"] },
      keyVault: { softDeleteRetentionDays: 100 },
    });
    expect(issues.map((i) => i.key).sort()).toEqual(
      [
        "location",
        "namePrefix",
        'tags["a<b"]',
        "netwrok",
        "network.addressSpace",
        "network.privateEndpointSubnet",
        "network.jumpboxSubnet",
        "network.jumpBoxSubnet",
        "privateDns.zoneIds.registry",
        "workspace.highBusinessImpact",
        "workspace.customerManagedKey.keyUri",
        "workspace.outbound.mode",
        "workspace.outbound.presets[1]",
        "workspace.outbound.extraFqdns[0]",
        "workspace.outbound.modee",
        "personas.dataScientists[1]",
        "personas.readers[0]",
        "monitoring.logRetentionDays",
        "storage.sku",
        "storage.privateEndpoints",
        "keyVault.softDeleteRetentionDays",
      ]
        .map(K)
        .sort(),
    );
    const jumpboxSubnet = issues.find((i) => i.key === K("network.jumpboxSubnet"));
    expect(jumpboxSubnet?.message).toContain("outside network.addressSpace 8.8.0.0/16");
  });

  it("never reports the same key and message twice", () => {
    const issues = issuesOf({
      namePrefix: "X",
      network: {
        mode: "create",
        addressSpace: "8.8.0.0/16",
        privateEndpointSubnet: "10.0.0.0/24",
        jumpboxSubnet: "10.0.0.0/24",
      },
    });
    const pairs = issues.map((i) => `${i.key}|${i.message}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  });
});

describe("rawConfigFromPulumi", () => {
  it("keeps only keys of the project namespace and strips it", () => {
    const raw = rawConfigFromPulumi({
      "secure-azureml:location": "westeurope",
      "secure-azureml:namePrefix": "amldev",
      "azure-native:location": "eastus",
      "azure-native:subscriptionId": SPOKE_SUB,
      "other-project:namePrefix": "other",
    });
    expect(raw).toEqual({ location: "westeurope", namePrefix: "amldev" });
  });

  it("honours another project name", () => {
    expect(rawConfigFromPulumi({ "ml:location": "westeurope", "secure-azureml:location": "eastus" }, "ml")).toEqual({
      location: "westeurope",
    });
  });

  it("parses structured values (objects and lists) from Pulumi's JSON strings", () => {
    const raw = rawConfigFromPulumi({
      "secure-azureml:network": JSON.stringify(CREATE_NETWORK),
      "secure-azureml:personas": JSON.stringify({ readers: [GROUP_C] }),
      "secure-azureml:list": '  ["a", "b"]',
    });
    expect(raw).toEqual({ network: CREATE_NETWORK, personas: { readers: [GROUP_C] }, list: ["a", "b"] });
  });

  it('turns "true" and "false" into booleans', () => {
    expect(rawConfigFromPulumi({ "secure-azureml:a": "true", "secure-azureml:b": "false" })).toEqual({
      a: true,
      b: false,
    });
  });

  it("keeps names that look like numbers (or other JSON) as strings", () => {
    const raw = rawConfigFromPulumi({
      "secure-azureml:resourceGroupName": "2024",
      "secure-azureml:namePrefix": "1e3",
      "secure-azureml:octal": "0012",
      "secure-azureml:quoted": '"westeurope"',
    });
    expect(raw).toEqual({
      resourceGroupName: "2024",
      namePrefix: "1e3",
      octal: "0012",
      quoted: '"westeurope"',
    });
  });

  it("leaves malformed JSON as the original string, which validation then rejects by type", () => {
    const raw = rawConfigFromPulumi({
      "secure-azureml:location": "westeurope",
      "secure-azureml:namePrefix": "amldev",
      "secure-azureml:network": "{mode: create",
    });
    expect(raw.network).toBe("{mode: create");
    expect(issuesOf(raw).map((i) => i.key)).toEqual([K("network")]);
  });

  it("feeds validateStackConfig end to end, as the program does", () => {
    const raw = rawConfigFromPulumi({
      "secure-azureml:location": "westeurope",
      "secure-azureml:namePrefix": "amlprod",
      "secure-azureml:workspace": JSON.stringify({
        highBusinessImpact: true,
        outbound: { presetVersion: "2026.11", presets: ["pypi", "conda"] },
      }),
      "secure-azureml:protection": JSON.stringify({ locks: true, protect: true }),
    });
    const config = validConfig(raw);
    expect(config.workspace.outbound.presets).toEqual(["pypi", "conda"]);
    expect(config.protection).toEqual({ locks: true, protect: true, lockWorkspace: false });
  });
});
