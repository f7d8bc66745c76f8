import { PlannedResource } from "../contract";
import { PlanIndex, asRecord, asString, valueAt } from "../planIndex";

/**
 * Typical provisioning time of a cold create, per resource type, in minutes. Each number's
 * `basis` says what it covers and where it comes from, by a real document's title; the URLs are
 * in `DURATION_SOURCES`, which the deploy-time report lists under its table.
 *
 * - Managed network: Microsoft Learn, "Workspace Managed Virtual Network Isolation"
 *   (azure-ai-docs articles/machine-learning/how-to-managed-network.md): the network is created
 *   with the first compute unless provisioned up front, and "it can take around 30 minutes to
 *   create the first compute resource as it is also provisioning the network"; with FQDN outbound
 *   rules "the first FQDN rule adds around 10 minutes" (the managed Azure Firewall).
 * - Online deployment: Microsoft Learn, "Deploy and score a machine learning model by using an
 *   online endpoint" (how-to-deploy-online-endpoints.md): a deployment "might take up to 15
 *   minutes, depending on whether the underlying environment or image is being built for the
 *   first time". 12 min is taken as typical.
 * - Azure ML registry: Microsoft publishes no typical duration. Creating one provisions a storage
 *   account per region and a Premium container registry replicated to every region (Microsoft
 *   Learn, "Manage Azure Machine Learning registries"). Observed: Azure/azureml-examples PR #3248
 *   (2024-06-18) reports the registry notebook failing because the SDK's 720 s polling timeout
 *   "is not enough to deploy the registry"; hashicorp/terraform-provider-azurerm PR #32613
 *   (2026-07-21) lists acceptance tests that create, read and delete a registry with one
 *   replication region in 250-300 s. 10 min is a round estimate between the two.
 * - Private endpoint: Microsoft publishes no typical duration; 1.5 min is an estimate (a network
 *   interface plus the connection to the service). MicrosoftDocs/azure-docs issue #100940 reports
 *   a storage private endpoint working only 1-2 min after the portal showed it created.
 * - Everything else: no published figure. A control-plane create takes seconds to a minute; the
 *   numbers are round estimates, and these resources are rarely on the critical path.
 */

/** A document a typical duration comes from. */
export interface DurationSource {
  title: string;
  url: string;
}

export const DURATION_SOURCES = {
  managedNetwork: {
    title: 'Microsoft Learn, "Workspace Managed Virtual Network Isolation"',
    url: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network",
  },
  onlineDeployment: {
    title: 'Microsoft Learn, "Deploy and score a machine learning model by using an online endpoint"',
    url: "https://learn.microsoft.com/azure/machine-learning/how-to-deploy-online-endpoints",
  },
  mlRegistry: {
    title: 'Microsoft Learn, "Manage Azure Machine Learning registries"',
    url: "https://learn.microsoft.com/azure/machine-learning/how-to-manage-registries",
  },
} satisfies Record<string, DurationSource>;

export interface TypicalDuration {
  minutes: number;
  /** What the number covers and where it comes from (a document title, or "estimate"). */
  basis: string;
}

const ESTIMATE = (minutes: number, what = "control-plane create"): TypicalDuration => ({
  minutes,
  basis: `estimate: ${what}`,
});

/** The basis text citing a source by its title. */
const citing = (what: string, source: DurationSource) => `${what}; source: ${source.title}`;

const BY_TYPE: Partial<Record<string, TypicalDuration>> = {
  "resources:ResourceGroup": ESTIMATE(0.2),
  "managedidentity:UserAssignedIdentity": ESTIMATE(0.3),
  "managedidentity:FederatedIdentityCredential": ESTIMATE(0.2),
  "authorization:RoleAssignment": ESTIMATE(
    0.3,
    "create; Azure may take minutes more to apply it, which Pulumi does not wait for",
  ),
  "authorization:ManagementLockByScope": ESTIMATE(0.2),
  "network:VirtualNetwork": ESTIMATE(0.3),
  "network:Subnet": ESTIMATE(0.3),
  "network:NetworkSecurityGroup": ESTIMATE(0.3),
  "network:PrivateEndpoint": ESTIMATE(1.5, "network interface and connection to the service"),
  "network:PrivateDnsZoneGroup": ESTIMATE(0.5),
  "privatedns:PrivateZone": ESTIMATE(0.75, "global DNS zone create"),
  "privatedns:VirtualNetworkLink": ESTIMATE(0.75, "zone link create"),
  "storage:StorageAccount": ESTIMATE(0.5),
  "storage:BlobServiceProperties": ESTIMATE(0.2),
  "storage:FileServiceProperties": ESTIMATE(0.2),
  "keyvault:Vault": ESTIMATE(0.5),
  "containerregistry:Registry": ESTIMATE(1),
  "operationalinsights:Workspace": ESTIMATE(0.5),
  "applicationinsights:Component": ESTIMATE(0.3),
  "monitor:DiagnosticSetting": ESTIMATE(0.2),
  "monitor:AutoscaleSetting": ESTIMATE(0.3),
  "monitor:MetricAlert": ESTIMATE(0.3),
  "monitor:ActionGroup": ESTIMATE(0.3),
  "monitor:ScheduledQueryRule": ESTIMATE(0.5),
  "machinelearningservices:OnlineEndpoint": ESTIMATE(3, "endpoint create (no instances)"),
  "machinelearningservices:OnlineDeployment": {
    minutes: 12,
    basis: citing("up to 15 min (instances, image build or pull, probes)", DURATION_SOURCES.onlineDeployment),
  },
  "machinelearningservices:Registry": {
    minutes: 10,
    basis: citing(
      "estimate: registry with a storage account and a replicated Premium container registry per region; creates observed from under 5 to over 12 min",
      DURATION_SOURCES.mlRegistry,
    ),
  },
  "machinelearningservices:OutboundRule": ESTIMATE(1.5, "rule create, serialized per workspace"),
  "machinelearningservices:ManagedNetworkSettingsRule": ESTIMATE(1.5, "rule create, serialized per workspace"),
};

/** Used for a type missing above; the type is then listed as assumed. */
export const UNKNOWN_TYPE_MINUTES = 1;

const MANAGED_NETWORK_MINUTES = 30;
const FIREWALL_MINUTES = 10;

function managedNetwork(workspace: PlannedResource): { managed: boolean; provisionNow: boolean; fqdnRules: boolean } {
  const isolation = asString(valueAt(workspace.inputs, "managedNetwork.isolationMode")) ?? "Disabled";
  const rules = Object.values(asRecord(valueAt(workspace.inputs, "managedNetwork.outboundRules")) ?? {});
  return {
    managed: isolation !== "Disabled",
    provisionNow: workspace.inputs.provisionNetworkNow === true,
    fqdnRules: isolation === "AllowOnlyApprovedOutbound" && rules.some((r) => asRecord(r)?.type === "FQDN"),
  };
}

function mlWorkspace(workspace: PlannedResource): TypicalDuration {
  const network = managedNetwork(workspace);
  if (!network.managed || !network.provisionNow) return ESTIMATE(3, "workspace create");
  const firewall = network.fqdnRules ? FIREWALL_MINUTES : 0;
  return {
    minutes: 3 + MANAGED_NETWORK_MINUTES + firewall,
    basis: citing(
      `workspace ~3 min (estimate) + managed network provisioned now ~${MANAGED_NETWORK_MINUTES} min${firewall ? ` + first FQDN rule (firewall) ~${firewall} min` : ""}`,
      DURATION_SOURCES.managedNetwork,
    ),
  };
}

function mlCompute(compute: PlannedResource, plan: PlanIndex): TypicalDuration {
  const instance = asString(valueAt(compute.inputs, "properties.computeType")) === "ComputeInstance";
  const base = instance ? ESTIMATE(8, "compute instance create and start") : ESTIMATE(3, "cluster create with 0 nodes");
  const workspaceName = asString(compute.inputs.workspaceName);
  const workspace = plan
    .ofType("azure-native:machinelearningservices:Workspace")
    .find((w) => asString(w.inputs.workspaceName) === workspaceName);
  const network = workspace ? managedNetwork(workspace) : undefined;
  if (!network?.managed || network.provisionNow) return base;
  // The network is created with the first compute when the workspace does not provision it up front.
  return {
    minutes: base.minutes + MANAGED_NETWORK_MINUTES + (network.fqdnRules ? FIREWALL_MINUTES : 0),
    basis: citing(
      `${base.basis} + managed network created with the first compute ~${MANAGED_NETWORK_MINUTES} min${network.fqdnRules ? ` + first FQDN rule (firewall) ~${FIREWALL_MINUTES} min` : ""}`,
      DURATION_SOURCES.managedNetwork,
    ),
  };
}

/** The typical create time of one resource, and whether the number is only a default for an unknown type. */
export function typicalDuration(resource: PlannedResource, plan: PlanIndex): TypicalDuration & { assumed: boolean } {
  if (!resource.custom) return { minutes: 0, basis: "component (no cloud call)", assumed: false };
  if (resource.type.startsWith("random:") || resource.type.startsWith("pulumi:providers:"))
    return { minutes: 0, basis: "local", assumed: false };
  const type = resource.type.replace(/^azure-native:/, "");
  if (type === "machinelearningservices:Workspace") return { ...mlWorkspace(resource), assumed: false };
  if (type === "machinelearningservices:Compute") return { ...mlCompute(resource, plan), assumed: false };
  const known = BY_TYPE[type];
  return known
    ? { ...known, assumed: false }
    : { minutes: UNKNOWN_TYPE_MINUTES, basis: "no typical duration known for this type (assumed)", assumed: true };
}
