import { PlannedResource } from "../contract";
import { PlanIndex, asRecord, asString, valueAt } from "../planIndex";

/**
 * Typical provisioning time of a cold create, per resource type, in minutes.
 *
 * Sources:
 * [ML-MANAGED-NET] Microsoft Learn, "Workspace managed virtual network isolation"
 *   (azure-ai-docs articles/machine-learning/how-to-managed-network.md): when the network is
 *   provisioned with the first compute "it can take around 30 minutes to create the first
 *   compute resource as it is also provisioning the network"; FQDN outbound rules add an Azure
 *   Firewall, created only when the first FQDN rule is added.
 * [DESIGN] /work/shared/DESIGN.md "Facts that bite": first managed-network provisioning ~30 min,
 *   ~10 min more for the first FQDN rule (the firewall); online deployments need the network.
 * [ISSUE-5] The project's issue 5: online deployment ~10-15 min, private endpoint ~1-2 min,
 *   managed network ~30 min on first provisioning.
 * [ML-REGISTRY] Azure ML registry create: Microsoft publishes no typical duration. Creating one
 *   provisions a storage account per region and a Premium container registry replicated to every
 *   region (Microsoft Learn, "Manage Azure Machine Learning registries"). Observed: Azure/
 *   azureml-examples PR #3248 (2024-06-18) reports the registry creation notebook failing because
 *   the SDK's 720 s polling timeout "is not enough to deploy the registry"; terraform-provider-
 *   azurerm PR #32613 (2026-07-21) lists acceptance tests that create, read and delete a registry
 *   with one replication region in 250-300 s. 10 min is a round estimate between the two, not a
 *   measurement.
 * [ESTIMATE] No published figure: a typical ARM create of a control-plane-only resource
 *   (seconds to a minute); the number is a round estimate, and these resources are rarely on
 *   the critical path.
 */

export interface TypicalDuration {
  minutes: number;
  /** The source tag from the list above, with a word on what the number covers. */
  basis: string;
}

const ESTIMATE = (minutes: number, what = "control-plane create"): TypicalDuration => ({
  minutes,
  basis: `[ESTIMATE] ${what}`,
});

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
  "network:PrivateEndpoint": { minutes: 1.5, basis: "[ISSUE-5] ~1-2 min" },
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
    basis: "[ISSUE-5] ~10-15 min (instances, image pull, probes)",
  },
  "machinelearningservices:Registry": {
    minutes: 10,
    basis:
      "[ESTIMATE][ML-REGISTRY] registry with its storage accounts and replicated Premium container registry; observed from under 5 to over 12 min",
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
    basis: `[ML-MANAGED-NET][DESIGN] workspace ~3 + managed network provisioned now ~${MANAGED_NETWORK_MINUTES}${firewall ? ` + firewall for FQDN rules ~${firewall}` : ""}`,
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
    basis: `${base.basis} + [ML-MANAGED-NET] managed network created with the first compute`,
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
