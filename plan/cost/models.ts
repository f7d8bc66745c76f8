import { PlannedResource } from "../contract";
import { PlanIndex, asNumber, asRecord, asString, inputSources, valueAt } from "../planIndex";
import { CostItem, DAYS_PER_MONTH, HOURS_PER_MONTH } from "./types";

/**
 * What each resource type costs, as items that name the price they need. Types listed in
 * FREE_TYPES have no charge of their own; any other type without a model is reported as
 * unknown (never as free).
 */

/** A model's answer: the resource's cost items, or `free`. */
export type CostModelResult = CostItem[] | "free";
type CostModel = (resource: PlannedResource, plan: PlanIndex) => CostModelResult;

const AZ = "azure-native:";

/** Types Azure does not bill by themselves (their data, if any, is billed where it lands). */
const FREE_TYPES = new Set([
  "resources:ResourceGroup",
  "managedidentity:UserAssignedIdentity",
  "managedidentity:FederatedIdentityCredential",
  "authorization:RoleAssignment",
  "authorization:ManagementLockByScope",
  "authorization:ManagementLockAtResourceGroupLevel",
  "network:VirtualNetwork",
  "network:Subnet",
  "network:NetworkSecurityGroup",
  "network:SecurityRule",
  "network:PrivateDnsZoneGroup",
  "privatedns:VirtualNetworkLink",
  "privatedns:PrivateRecordSet",
  "monitor:DiagnosticSetting",
  "monitor:AutoscaleSetting",
  // An Azure Monitor Private Link Scope and its scoped resources have no billing meter (Microsoft Learn, "Azure
  // Monitor billing meter names"); its private endpoint and DNS zones are separate resources, priced as such.
  "monitor:PrivateLinkScope",
  "monitor:PrivateLinkScopedResource",
  "storage:BlobServiceProperties",
  "storage:FileServiceProperties",
  "storage:QueueServiceProperties",
  "storage:TableServiceProperties",
  "storage:BlobContainer",
  "storage:ManagementPolicy",
  // Billed through its deployments' instances.
  "machinelearningservices:OnlineEndpoint",
  // Billed through the compute their jobs run on (clusters, serverless Spark) and the storage they write.
  "machinelearningservices:BatchEndpoint",
  "machinelearningservices:BatchDeployment",
  "machinelearningservices:Schedule",
  // Asset versions: metadata; their files are billed in the workspace storage account.
  "machinelearningservices:EnvironmentVersion",
  "machinelearningservices:DataVersion",
]);

export const vmKey = (size: string, lowPriority: boolean) => `vm/${size}/${lowPriority ? "lowPriority" : "dedicated"}`;

const isGpuSize = (size: string) => /^Standard_N/i.test(size);
const sizeLabel = (size: string) => (isGpuSize(size) ? `${size} (GPU)` : size);

/** Image storage each container registry tier includes, in GiB (Microsoft Learn, "Azure Container Registry service tiers"). */
const ACR_INCLUDED_GIB: Record<string, number> = { Basic: 10, Standard: 100, Premium: 500 };

function registry(resource: PlannedResource): CostModelResult {
  const sku = asString(valueAt(resource.inputs, "sku.name")) ?? "Basic";
  return [
    {
      kind: "fixed",
      label: `${sku} registry unit`,
      priceKey: `containerRegistry/${sku}/day`,
      monthlyQuantity: DAYS_PER_MONTH,
    },
    {
      kind: "usage",
      label: `image storage over the included ${ACR_INCLUDED_GIB[sku] ?? "?"} GiB`,
      priceKey: "containerRegistry/storageOverIncludedGBMonth",
      usageUnit: "GB-month",
    },
  ];
}

/**
 * An Azure Machine Learning registry. The registry itself has no charge: Azure Machine Learning
 * bills nothing of its own, only the Azure services it uses (azure.microsoft.com/pricing/details/
 * machine-learning: "there is no additional charge to use Azure Machine Learning. However, along
 * with compute, you will incur separate charges for other Azure services consumed, including but
 * not limited to Azure Blob Storage, Azure Key Vault, Azure Container Registry and Azure
 * Application Insights"; quoted from that page, read 2026-08-04, in public project documentation:
 * the page itself was not readable here). Creating a
 * registry provisions "Azure blob storage accounts in each supported region" and "a single Azure
 * Container Registry with replication enabled to each supported region" (Microsoft Learn, "Manage
 * Azure Machine Learning registries"), in a managed resource group of the customer's subscription
 * (Microsoft Learn, "Network isolation with Azure Machine Learning registries"): billed to the
 * customer like any storage account and registry. The system-created registry is Premium (the
 * only SKU with geo-replication and private endpoints; terraform-provider-azurerm accepts only
 * Premium for `system_created_container_registry_sku`), and a geo-replicated registry incurs
 * "Premium registry fees for each region" (Microsoft Learn, "Geo-replication in Azure Container
 * Registry"): one Premium registry unit per region, priced in that region. Storage is billed per
 * GB stored, so it is a usage item. The private endpoints to the registry and its managed
 * resources are separate `network:PrivateEndpoint` resources, priced as such.
 */
function mlRegistry(resource: PlannedResource, plan: PlanIndex): CostModelResult {
  const primary = plan.regionOf(resource);
  const regions = ((resource.inputs.regionDetails as unknown[] | undefined) ?? []).map((r) => asRecord(r) ?? {});
  if (regions.length === 0) {
    return [
      {
        kind: "fixed",
        label: "managed container registry and storage accounts",
        note: "the plan names no regions: the service decides, so the amount is unknown",
      },
    ];
  }
  const items: CostItem[] = [];
  let acrs = 0;
  let acrSku = "Premium";
  for (const details of regions) {
    const region = (asString(details.location) ?? primary).toLowerCase().replace(/\s+/g, "");
    const role = region === primary ? "primary region" : "replication region";
    const acr = asRecord(valueAt(details, "acrDetails.0.systemCreatedAcrAccount"));
    if (acr) {
      const sku = asString(acr.acrAccountSku) ?? "Premium";
      if (acrs === 0) acrSku = sku;
      items.push({
        kind: "fixed",
        label: `managed container registry ${sku} registry unit in ${region} (${acrs === 0 ? role : `geo-replica, ${role}`})`,
        priceKey: `containerRegistry/${sku}/day`,
        monthlyQuantity: DAYS_PER_MONTH,
        region,
      });
      acrs += 1;
    }
    const storage = asRecord(valueAt(details, "storageAccountDetails.0.systemCreatedStorageAccount"));
    if (storage) {
      const sku = asString(storage.storageAccountType) ?? "Standard_LRS";
      items.push({
        kind: "usage",
        label: `managed storage account in ${region}: blob capacity, hot tier (${sku})`,
        priceKey: `storage/${sku}/hotGBMonth`,
        usageUnit: "GB-month",
        region,
        note: "plus per-operation charges",
      });
    }
  }
  if (acrs > 0) {
    items.push({
      kind: "usage",
      label: `managed container registry image storage over the included ${ACR_INCLUDED_GIB[acrSku] ?? "?"} GiB`,
      priceKey: "containerRegistry/storageOverIncludedGBMonth",
      usageUnit: "GB-month",
      region: primary,
    });
  }
  return items;
}

function privateEndpoint(): CostModelResult {
  return [
    { kind: "fixed", label: "private endpoint", priceKey: "privateEndpoint/hour", monthlyQuantity: HOURS_PER_MONTH },
    {
      kind: "usage",
      label: "data processed by private endpoints",
      priceKey: "privateEndpoint/dataProcessedGB",
      usageUnit: "GB each direction",
    },
  ];
}

function logAnalytics(resource: PlannedResource): CostModelResult {
  const retention = asNumber(resource.inputs.retentionInDays) ?? 30;
  const items: CostItem[] = [
    {
      kind: "usage",
      label: "log ingestion (Analytics Logs)",
      priceKey: "logAnalytics/ingestionGB",
      usageUnit: "GB ingested",
    },
  ];
  if (retention > 31)
    items.push({
      kind: "usage",
      label: `log retention beyond 31 days (${retention} days)`,
      priceKey: "logAnalytics/retentionGBMonth",
      usageUnit: "GB-month retained",
    });
  return items;
}

function appInsights(resource: PlannedResource, plan: PlanIndex): CostModelResult {
  const workspace = plan.byAzureId(resource.inputs.workspaceResourceId);
  const where = workspace ? `billed as ingestion into ${workspace.name}` : "billed per GB ingested";
  return [
    {
      kind: "usage",
      label: `telemetry ingestion (${where})`,
      priceKey: "logAnalytics/ingestionGB",
      usageUnit: "GB ingested",
    },
  ];
}

function keyVault(resource: PlannedResource): CostModelResult {
  const sku = asString(valueAt(resource.inputs, "properties.sku.name")) ?? "standard";
  const items: CostItem[] = [
    { kind: "usage", label: "vault operations", priceKey: "keyVault/operations10k", usageUnit: "10K operations" },
  ];
  if (sku === "premium")
    items.push({
      kind: "usage",
      label: "HSM-protected keys (premium)",
      usageUnit: "key-month",
      note: "no bundled price",
    });
  return items;
}

function storageAccount(resource: PlannedResource): CostModelResult {
  const sku = asString(valueAt(resource.inputs, "sku.name")) ?? "Standard_LRS";
  return [
    {
      kind: "usage",
      label: `blob capacity, hot tier (${sku})`,
      priceKey: `storage/${sku}/hotGBMonth`,
      usageUnit: "GB-month",
      note: "plus per-operation charges",
    },
  ];
}

/** Explicit FQDN / private endpoint outbound rules of a workspace: inline ones and separate rule resources. */
function outboundRules(workspace: PlannedResource, plan: PlanIndex): { fqdn: number; privateEndpoint: number } {
  const rules = Object.values(asRecord(valueAt(workspace.inputs, "managedNetwork.outboundRules")) ?? {}).map((rule) =>
    asString(asRecord(rule)?.type),
  );
  const workspaceName = asString(workspace.inputs.workspaceName);
  for (const resource of plan.custom) {
    if (
      resource.type !== `${AZ}machinelearningservices:OutboundRule` &&
      resource.type !== `${AZ}machinelearningservices:ManagedNetworkSettingsRule`
    )
      continue;
    if (asString(resource.inputs.workspaceName) === workspaceName)
      rules.push(asString(valueAt(resource.inputs, "properties.type")));
  }
  return {
    fqdn: rules.filter((t) => t === "FQDN").length,
    privateEndpoint: rules.filter((t) => t === "PrivateEndpoint").length,
  };
}

function mlWorkspace(resource: PlannedResource, plan: PlanIndex): CostModelResult {
  const isolation = asString(valueAt(resource.inputs, "managedNetwork.isolationMode")) ?? "Disabled";
  if (isolation === "Disabled") return "free";
  const items: CostItem[] = [];
  const rules = outboundRules(resource, plan);
  // The managed network's firewall exists only for FQDN rules in allow-only-approved mode (Microsoft Learn, "Managed virtual network isolation", Pricing).
  if (isolation === "AllowOnlyApprovedOutbound" && rules.fqdn > 0) {
    const sku = asString(valueAt(resource.inputs, "managedNetwork.firewallSku")) ?? "Standard";
    items.push({
      kind: "fixed",
      label: `managed network Azure Firewall (${sku}) for ${rules.fqdn} FQDN rules`,
      priceKey: `firewall/${sku}/hour`,
      monthlyQuantity: HOURS_PER_MONTH,
    });
    items.push({
      kind: "usage",
      label: `data processed by the managed network firewall (${sku})`,
      priceKey: `firewall/${sku}/dataProcessedGB`,
      usageUnit: "GB",
    });
  }
  if (rules.privateEndpoint > 0) {
    items.push({
      kind: "fixed",
      label: `managed network private endpoints for ${rules.privateEndpoint} private endpoint outbound rules`,
      priceKey: "privateEndpoint/hour",
      monthlyQuantity: HOURS_PER_MONTH * rules.privateEndpoint,
    });
  }
  items.push({
    kind: "fixed",
    label: "managed network's required private endpoints (workspace, storage, Key Vault, registry)",
    note: "billed per endpoint-hour like any private endpoint; the service decides how many, so the amount is unknown",
  });
  return items;
}

function duration(text: unknown): string | undefined {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?/.exec(asString(text) ?? "");
  if (!match) return undefined;
  const [, hours, mins] = match as (string | undefined)[];
  const minutes = Number(hours ?? 0) * 60 + Number(mins ?? 0);
  return `${minutes} min`;
}

function mlCompute(resource: PlannedResource): CostModelResult {
  const computeType = asString(valueAt(resource.inputs, "properties.computeType"));
  const size = asString(valueAt(resource.inputs, "properties.properties.vmSize"));
  if (computeType === "AmlCompute" && size) {
    const lowPriority = asString(valueAt(resource.inputs, "properties.properties.vmPriority")) === "LowPriority";
    const min = asNumber(valueAt(resource.inputs, "properties.properties.scaleSettings.minNodeCount")) ?? 0;
    const max = asNumber(valueAt(resource.inputs, "properties.properties.scaleSettings.maxNodeCount")) ?? 1;
    const tier = lowPriority ? "low-priority" : "dedicated";
    const items: CostItem[] = [];
    if (min > 0)
      items.push({
        kind: "fixed",
        label: `${min} always-on ${tier} nodes (minNodes) of ${sizeLabel(size)}`,
        priceKey: vmKey(size, lowPriority),
        monthlyQuantity: min * HOURS_PER_MONTH,
      });
    items.push({
      kind: "usage",
      label: `cluster nodes, ${tier} ${sizeLabel(size)}`,
      priceKey: vmKey(size, lowPriority),
      usageUnit: "node-hour",
      usageScale: { count: max, of: "nodes at most" },
      note: `idle nodes scale down after ${duration(valueAt(resource.inputs, "properties.properties.scaleSettings.nodeIdleTimeBeforeScaleDown")) ?? "the idle time"}`,
    });
    return items;
  }
  if (computeType === "ComputeInstance" && size) {
    const idle = duration(valueAt(resource.inputs, "properties.properties.idleTimeBeforeShutdown"));
    return [
      {
        kind: "usage",
        label: `compute instance ${sizeLabel(size)}`,
        priceKey: vmKey(size, false),
        usageUnit: "running hour",
        note: idle ? `shuts down after ${idle} idle` : "no idle shutdown set: bills until stopped",
      },
    ];
  }
  return [{ kind: "fixed", label: `${computeType ?? "unknown"} compute`, note: "no cost model for this compute type" }];
}

function autoscaleFor(deployment: PlannedResource, plan: PlanIndex): { minimum: number; maximum: number } | undefined {
  for (const setting of plan.ofType(`${AZ}monitor:AutoscaleSetting`)) {
    const targetsDeployment =
      plan.byAzureId(setting.inputs.targetResourceUri)?.urn === deployment.urn ||
      inputSources(setting, "targetResourceUri").includes(deployment.urn);
    if (!targetsDeployment) continue;
    const capacities = ((setting.inputs.profiles as unknown[] | undefined) ?? []).map((p) =>
      asRecord(asRecord(p)?.capacity),
    );
    const minimum = Math.min(...capacities.map((c) => asNumber(c?.minimum) ?? Infinity));
    const maximum = Math.max(...capacities.map((c) => asNumber(c?.maximum) ?? 0));
    if (Number.isFinite(minimum) && maximum > 0) return { minimum, maximum };
  }
  return undefined;
}

function onlineDeployment(resource: PlannedResource, plan: PlanIndex): CostModelResult {
  const size = asString(valueAt(resource.inputs, "properties.instanceType"));
  const count = asNumber(valueAt(resource.inputs, "sku.capacity")) ?? 1;
  if (!size)
    return [{ kind: "fixed", label: "online deployment instances", note: "instance type not set in the plan" }];
  const items: CostItem[] = [
    {
      kind: "fixed",
      label: `${count} always-on instance${count === 1 ? "" : "s"} of ${sizeLabel(size)}`,
      priceKey: vmKey(size, false),
      monthlyQuantity: count * HOURS_PER_MONTH,
    },
  ];
  const autoscale = autoscaleFor(resource, plan);
  if (autoscale && autoscale.maximum > count) {
    items.push({
      kind: "usage",
      label: `autoscale instances above ${count} of ${sizeLabel(size)}`,
      priceKey: vmKey(size, false),
      usageUnit: "instance-hour",
      usageScale: { count: autoscale.maximum - count, of: "extra instances at most" },
    });
  }
  return items;
}

function metricAlert(resource: PlannedResource): CostModelResult {
  const criteria = (valueAt(resource.inputs, "criteria.allOf") as unknown[] | undefined)?.length ?? 1;
  return [
    {
      kind: "fixed",
      label: `${criteria} monitored metric time series`,
      priceKey: "monitor/metricAlertTimeSeriesMonth",
      monthlyQuantity: criteria,
      note: "the first 10 per subscription are free",
    },
  ];
}

function logAlert(resource: PlannedResource): CostModelResult {
  const every = /^PT(\d+)M$/.exec(asString(resource.inputs.evaluationFrequency) ?? "")?.[1];
  return [
    {
      kind: "fixed",
      label: `log search alert rule${every ? ` evaluated every ${every} min` : ""}`,
      priceKey: every ? `monitor/logAlert/${every}min/month` : undefined,
      monthlyQuantity: 1,
    },
  ];
}

const MODELS: Partial<Record<string, CostModel>> = {
  "containerregistry:Registry": registry,
  "containerregistry:Replication": () => [
    {
      kind: "fixed",
      label: "geo-replica (Premium registry unit)",
      priceKey: "containerRegistry/Premium/day",
      monthlyQuantity: DAYS_PER_MONTH,
    },
  ],
  "network:PrivateEndpoint": privateEndpoint,
  "privatedns:PrivateZone": () => [
    { kind: "fixed", label: "private DNS zone", priceKey: "privateDnsZone/month", monthlyQuantity: 1 },
  ],
  "operationalinsights:Workspace": logAnalytics,
  "applicationinsights:Component": appInsights,
  "keyvault:Vault": keyVault,
  "storage:StorageAccount": storageAccount,
  "machinelearningservices:Workspace": mlWorkspace,
  "machinelearningservices:Registry": mlRegistry,
  "machinelearningservices:Compute": mlCompute,
  "machinelearningservices:OnlineDeployment": onlineDeployment,
  // Rule resources are priced on their workspace (firewall, managed private endpoints).
  "machinelearningservices:OutboundRule": () => "free",
  "machinelearningservices:ManagedNetworkSettingsRule": () => "free",
  "monitor:MetricAlert": metricAlert,
  "monitor:ScheduledQueryRule": logAlert,
  "monitor:ActionGroup": () => [
    { kind: "usage", label: "alert notifications", usageUnit: "notification", note: "no bundled price" },
  ],
};

/** The cost items of a resource, `free`, or undefined when the type has no model (unknown cost). */
export function costItemsOf(resource: PlannedResource, plan: PlanIndex): CostModelResult | undefined {
  if (!resource.custom || resource.type.startsWith("pulumi:providers:") || resource.type.startsWith("random:"))
    return "free";
  // The project's EndpointTraffic is no Azure resource: it sets a property of an endpoint.
  if (
    resource.type === "pulumi-nodejs:dynamic:Resource" &&
    resource.inputs.resourceKind === "secure-azureml:EndpointTraffic"
  )
    return "free";
  const type = resource.type.startsWith(AZ) ? resource.type.slice(AZ.length) : resource.type;
  if (FREE_TYPES.has(type)) return "free";
  return MODELS[type]?.(resource, plan);
}
