import { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { ADVISORY, BaselineResourcePolicy, MANDATORY } from "../support/baseline";
import {
  DEFAULT_ALLOWED_VM_SIZES,
  TYPES,
  includesText,
  isFalse,
  isNonEmptyString,
  isTrue,
  isoDurationSeconds,
  shown,
} from "../support/ml";
import { managedIdentityProblem, sameText, valueAt } from "../support/props";

/**
 * Azure ML compute rules (`azure-native:machinelearningservices:Compute`) for compute clusters
 * (`properties.computeType` AmlCompute) and compute instances (ComputeInstance); other compute
 * types (attached Kubernetes, Databricks, ...) are not checked. The inputs are wrapped twice:
 * `properties` holds computeType, disableLocalAuth and a second `properties` with the
 * cluster or instance settings (`properties.properties.enableNodePublicIp`, ...). The identity
 * is at the top (`identity`).
 */

type ComputeKind = "AmlCompute" | "ComputeInstance";

/** The compute type, or undefined for types these rules do not cover. */
function kindOf(props: Record<string, unknown>): ComputeKind | undefined {
  const outer = props.properties;
  if (outer === undefined) return undefined;
  const type = valueAt(outer, "computeType");
  if (sameText(type, "AmlCompute")) return "AmlCompute";
  if (sameText(type, "ComputeInstance")) return "ComputeInstance";
  return undefined;
}

const LABEL: Record<ComputeKind, string> = { AmlCompute: "compute cluster", ComputeInstance: "compute instance" };

/** A validation that runs on ML computes of the given kinds only. */
function forCompute(
  kinds: readonly ComputeKind[],
  check: (args: ResourceValidationArgs, report: ReportViolation, kind: ComputeKind) => void,
): ResourceValidation {
  return (args, report) => {
    if (args.type !== TYPES.compute) return;
    const kind = kindOf(args.props);
    if (kind && kinds.includes(kind)) check(args, report, kind);
  };
}

/** `properties.properties.<path>` of a compute, or undefined. */
function inner(args: ResourceValidationArgs, path: string): unknown {
  const properties = valueAt(args.props, "properties.properties");
  return properties === undefined ? undefined : valueAt(properties, path);
}

const BOTH: readonly ComputeKind[] = ["AmlCompute", "ComputeInstance"];

interface NetworkConfig {
  managedNetworkWorkspaces: boolean;
}

interface IdleConfig {
  maxIdleTimeBeforeShutdown: string;
}

interface SizeConfig {
  allowedVmSizes: string[];
}

export const computePolicies: BaselineResourcePolicy[] = [
  {
    name: "aml-compute-local-auth-disabled",
    description:
      "Azure ML compute clusters and instances must disable local authentication (properties.disableLocalAuth true); an absent value is treated as false, the service default.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Set `properties.disableLocalAuth: true` on the azure-native:machinelearningservices:Compute (next to `computeType`).",
    validateResource: forCompute(BOTH, (args, report, kind) => {
      const value = valueAt(args.props, "properties.disableLocalAuth");
      if (isTrue(value)) return;
      report(
        `properties.disableLocalAuth is ${value === undefined ? "not set (Azure defaults to false)" : shown(value)}: the ${LABEL[kind]} accepts local (key and SSH credential) authentication; set it to true so only Microsoft Entra ID is accepted.`,
      );
    }),
  },
  {
    name: "aml-compute-network-isolated",
    description:
      "Azure ML compute clusters and instances must run in a virtual network: either in a subnet (properties.properties.subnet.id) or, when config managedNetworkWorkspaces is true (the default), on the workspace's managed network, which is what a compute without a subnet joins; a resource rule cannot see the workspace, so the stack rules and aml-workspace-managed-network-approved-outbound check that the workspace really has one.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Create the compute in a workspace whose `managedNetwork.isolationMode` is "AllowOnlyApprovedOutbound" and leave `properties.properties.subnet` unset, or set `properties.properties.subnet: { id: <subnet id> }` on the azure-native:machinelearningservices:Compute. If your workspaces do not use managed networks, set this policy\'s `managedNetworkWorkspaces` to false.',
    configSchema: {
      properties: {
        managedNetworkWorkspaces: {
          type: "boolean",
          default: true,
          description:
            "The stack's workspaces use a managed network, so a compute without a subnet runs on it. Set to false to require a subnet on every compute.",
        },
      },
    },
    validateResource: forCompute(BOTH, (args, report, kind) => {
      const subnet = inner(args, "subnet");
      const id = subnet === undefined ? undefined : valueAt(subnet, "id");
      if (isNonEmptyString(id)) return;
      const { managedNetworkWorkspaces } = args.getConfig<NetworkConfig>();
      if (subnet === undefined && managedNetworkWorkspaces) return;
      report(
        subnet === undefined
          ? `properties.properties.subnet is not set and managedNetworkWorkspaces is false: the ${LABEL[kind]} is not in a virtual network; set properties.properties.subnet.id to a subnet.`
          : `properties.properties.subnet.id is ${shown(id)}: the ${LABEL[kind]} names no subnet; set it to a subnet's resource id or remove subnet to use the workspace's managed network.`,
      );
    }),
  },
  {
    name: "aml-compute-no-node-public-ip",
    description:
      "Azure ML compute clusters and instances must not have public IPs (properties.properties.enableNodePublicIp false); an absent value is treated as true, the service default.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Set `properties.properties.enableNodePublicIp: false` on the azure-native:machinelearningservices:Compute (one-way: a new compute is needed to change it).",
    validateResource: forCompute(BOTH, (args, report, kind) => {
      const value = inner(args, "enableNodePublicIp");
      if (isFalse(value)) return;
      report(
        `properties.properties.enableNodePublicIp is ${value === undefined ? "not set (Azure defaults to true)" : shown(value)}: the ${LABEL[kind]}'s nodes get public IP addresses; set it to false.`,
      );
    }),
  },
  {
    name: "aml-compute-cluster-remote-login-disabled",
    description:
      "Azure ML compute clusters must close the public SSH port (properties.properties.remoteLoginPortPublicAccess Disabled); an absent value is treated as NotSpecified, the service default, which leaves the port open on clusters outside a virtual network.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `properties.properties.remoteLoginPortPublicAccess: "Disabled"` on the azure-native:machinelearningservices:Compute with computeType AmlCompute.',
    validateResource: forCompute(["AmlCompute"], (args, report) => {
      const value = inner(args, "remoteLoginPortPublicAccess");
      if (sameText(value, "Disabled")) return;
      report(
        `properties.properties.remoteLoginPortPublicAccess is ${value === undefined ? "not set (Azure defaults to NotSpecified: open unless the cluster is in a virtual network)" : shown(value)}: the cluster's SSH port may be reachable publicly; set it to "Disabled".`,
      );
    }),
  },
  {
    name: "aml-compute-instance-ssh-disabled",
    description:
      "Azure ML compute instances must not open public SSH (properties.properties.sshSettings.sshPublicAccess Disabled); an absent value is compliant because Azure defaults it to Disabled.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `properties.properties.sshSettings: { sshPublicAccess: "Disabled" }` (or leave it unset) on the azure-native:machinelearningservices:Compute with computeType ComputeInstance (one-way: set at creation).',
    validateResource: forCompute(["ComputeInstance"], (args, report) => {
      const ssh = inner(args, "sshSettings");
      const value = ssh === undefined ? undefined : valueAt(ssh, "sshPublicAccess");
      if (value === undefined || sameText(value, "Disabled")) return;
      report(
        `properties.properties.sshSettings.sshPublicAccess is ${shown(value)}: the instance accepts SSH from its network; set it to "Disabled" and connect through the studio, VS Code or Azure Bastion.`,
      );
    }),
  },
  {
    name: "aml-compute-instance-applications-personal",
    description:
      "Azure ML compute instances must keep their applications (Jupyter, JupyterLab, VS Code, RStudio, terminal) to the assigned user (properties.properties.applicationSharingPolicy Personal); an absent value is a violation because Azure defaults it to Shared (the Azure ML REST API's ComputeInstanceProperties default; azure-native passes a Compute's properties as given, without filling it), which lets any workspace user with the right role open them and act with the instance's identity and the files of its owner.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `properties.properties.applicationSharingPolicy: "Personal"` (with `personalComputeInstanceSettings.assignedUser`) on the azure-native:machinelearningservices:Compute with computeType ComputeInstance.',
    validateResource: forCompute(["ComputeInstance"], (args, report) => {
      // Default Shared: Microsoft.MachineLearningServices REST spec, ComputeInstanceProperties.applicationSharingPolicy
      // ("default": "Shared"; @pulumi/azure-native 3.28.0 types/input.js computeInstancePropertiesArgsProvideDefaults
      // mirrors it, but Compute passes its `properties` union unchanged, so an unset value reaches the rule as absent).
      const value = inner(args, "applicationSharingPolicy");
      if (sameText(value, "Personal")) return;
      report(
        `properties.properties.applicationSharingPolicy is ${value === undefined ? "not set (Azure defaults to Shared)" : shown(value)}: other workspace users can open the instance's applications and act as its owner; set it to "Personal".`,
      );
    }),
  },
  {
    name: "aml-compute-cluster-min-nodes-zero",
    description:
      "Azure ML compute clusters should scale to zero when idle (properties.properties.scaleSettings.minNodeCount 0); an absent value is compliant because Azure defaults it to 0. Advisory on purpose: warm nodes cost money but expose nothing; policy-config.prod.json raises it to mandatory.",
    enforcementLevel: ADVISORY,
    severity: "low",
    remediationSteps:
      "Set `properties.properties.scaleSettings.minNodeCount: 0` on the azure-native:machinelearningservices:Compute with computeType AmlCompute (warm nodes cost money around the clock).",
    validateResource: forCompute(["AmlCompute"], (args, report) => {
      const scale = inner(args, "scaleSettings");
      const value = scale === undefined ? undefined : valueAt(scale, "minNodeCount");
      if (value === undefined || Number(value) === 0) return;
      report(
        `properties.properties.scaleSettings.minNodeCount is ${shown(value)}: the cluster keeps nodes running (and billed) while idle; set it to 0.`,
      );
    }),
  },
  {
    name: "aml-compute-instance-idle-shutdown",
    description:
      "Azure ML compute instances should shut down when idle (properties.properties.idleTimeBeforeShutdown, an ISO 8601 duration no longer than config maxIdleTimeBeforeShutdown); an absent value is a violation because Azure then never stops the instance. Advisory on purpose: an idle instance costs money but exposes nothing its SSH, public IP, local-auth and application-sharing rules do not already block; a stack's policy config can raise it to mandatory.",
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps:
      'Set `properties.properties.idleTimeBeforeShutdown` (e.g. "PT30M"; Azure accepts 15 minutes to 3 days) on the azure-native:machinelearningservices:Compute with computeType ComputeInstance.',
    configSchema: {
      properties: {
        maxIdleTimeBeforeShutdown: {
          type: "string",
          pattern: "^P(\\d+W)?(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+S)?)?$",
          default: "PT60M",
          description:
            "Longest idle time an instance may run before shutting down, as an ISO 8601 duration (e.g. PT60M, PT2H).",
        },
      },
    },
    validateResource: forCompute(["ComputeInstance"], (args, report) => {
      const { maxIdleTimeBeforeShutdown } = args.getConfig<IdleConfig>();
      const limit = isoDurationSeconds(maxIdleTimeBeforeShutdown) ?? 3600;
      const value = inner(args, "idleTimeBeforeShutdown");
      if (value === undefined) {
        report(
          `properties.properties.idleTimeBeforeShutdown is not set (Azure never shuts the instance down when idle); set it to ${maxIdleTimeBeforeShutdown} or less.`,
        );
        return;
      }
      const seconds = isoDurationSeconds(value);
      if (seconds === undefined) {
        report(
          `properties.properties.idleTimeBeforeShutdown is ${shown(value)}, not an ISO 8601 duration; set it to e.g. "PT30M" (at most ${maxIdleTimeBeforeShutdown}).`,
        );
        return;
      }
      if (seconds <= limit) return;
      report(
        `properties.properties.idleTimeBeforeShutdown is ${shown(value)}, longer than the allowed ${maxIdleTimeBeforeShutdown}: an idle instance keeps running (and billing); shorten it.`,
      );
    }),
  },
  {
    name: "aml-compute-identity-assigned",
    description:
      "Azure ML compute clusters and instances must have a managed identity (identity.type SystemAssigned or UserAssigned, with at least one user-assigned identity for UserAssigned); an absent identity or None is a violation, since jobs then fall back to credentials stored in the workspace.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      'Set `identity: { type: "UserAssigned", userAssignedIdentities: [<identity id>] }` on the azure-native:machinelearningservices:Compute and grant that identity AcrPull on the registry and the storage data roles it needs.',
    validateResource: forCompute(BOTH, (args, report, kind) => {
      const identity: unknown = args.props.identity;
      if (identity === undefined) {
        report(
          `identity is not set: the ${LABEL[kind]} has no managed identity, so jobs cannot use identity-based data access or pull images without stored credentials; set identity.type to "UserAssigned".`,
        );
        return;
      }
      const problem = managedIdentityProblem(
        identity,
        "identity",
        `the ${LABEL[kind]} has no managed identity; set it to "UserAssigned" (or "SystemAssigned").`,
      );
      if (problem) report(problem);
    }),
  },
  {
    name: "aml-compute-vm-size-allowed",
    description:
      "Azure ML compute clusters and instances must use a VM size from config allowedVmSizes (case-insensitive); an absent vmSize is a violation because the size Azure would pick cannot be checked. Mandatory because GPU sizes are the costliest resource an ML platform creates and a favourite of stolen credentials.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      "Set `properties.properties.vmSize` on the azure-native:machinelearningservices:Compute to an allowed size, or add the size to this policy's `allowedVmSizes` in the stack's policy config.",
    configSchema: {
      properties: {
        allowedVmSizes: {
          type: "array",
          items: { type: "string" },
          default: [...DEFAULT_ALLOWED_VM_SIZES],
          description:
            "VM sizes compute clusters and instances may use (case-insensitive). Default: general-purpose CPU sizes and current NC/ND GPU sizes.",
        },
      },
    },
    validateResource: forCompute(BOTH, (args, report, kind) => {
      const value = inner(args, "vmSize");
      const { allowedVmSizes } = args.getConfig<SizeConfig>();
      if (isNonEmptyString(value) && includesText(allowedVmSizes, value)) return;
      report(
        value === undefined
          ? `properties.properties.vmSize is not set: the size Azure picks for the ${LABEL[kind]} cannot be checked; set it to one of allowedVmSizes.`
          : `properties.properties.vmSize is ${shown(value)}, which is not in allowedVmSizes; use an allowed size or add it to the policy config.`,
      );
    }),
  },
];
