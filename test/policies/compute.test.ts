import { describe, expect, it } from "vitest";
import { computePolicies } from "../../policies/rules/compute";
import { DEFAULT_ALLOWED_VM_SIZES, isoDurationSeconds } from "../../policies/support/ml";
import { UNKNOWN } from "./support/harness";
import {
  COMPUTE_SUBNET,
  amlCluster,
  attachedKubernetes,
  computeInstance,
  mlWorkspace,
  withProp,
  withProps,
} from "./fixtures/ml";
import { firing } from "./fixtures/data";
import { MlRuleCases, describeMlRules, describeShippedStacks } from "./fixtures/mlCases";

const cluster = amlCluster();
const instance = computeInstance();
const other = attachedKubernetes();

const table: MlRuleCases[] = [
  {
    policy: "aml-compute-local-auth-disabled",
    compliant: [
      { title: "cluster: true", resource: cluster },
      { title: "instance: true", resource: instance },
      { title: "an attached compute type is not checked", resource: other },
      { title: "a workspace is not checked", resource: mlWorkspace() },
    ],
    violations: [
      {
        title: "cluster: false",
        resource: withProp(cluster, "properties.disableLocalAuth", false),
        messages: [/^properties.disableLocalAuth is false: the compute cluster accepts local .*set it to true/],
      },
      {
        title: "cluster: absent (Azure: false)",
        resource: withProp(cluster, "properties.disableLocalAuth", undefined),
        messages: [/^properties.disableLocalAuth is not set \(Azure defaults to false\)/],
      },
      {
        title: "instance: absent",
        resource: withProp(instance, "properties.disableLocalAuth", undefined),
        messages: [/^properties.disableLocalAuth is not set .*the compute instance accepts/],
      },
    ],
    unknown: [
      { title: "value unknown", resource: withProp(cluster, "properties.disableLocalAuth", UNKNOWN.boolean) },
      { title: "compute type unknown", resource: withProp(cluster, "properties.computeType", UNKNOWN.string) },
    ],
  },
  {
    policy: "aml-compute-network-isolated",
    compliant: [
      { title: "cluster on the workspace managed network (no subnet)", resource: cluster },
      { title: "instance on the workspace managed network (no subnet)", resource: instance },
      {
        title: "cluster in a subnet",
        resource: withProp(cluster, "properties.properties.subnet", { id: COMPUTE_SUBNET }),
      },
      {
        title: "instance in a subnet, managed networks not assumed",
        resource: withProp(instance, "properties.properties.subnet", { id: COMPUTE_SUBNET }),
        config: { managedNetworkWorkspaces: false },
      },
    ],
    violations: [
      {
        title: "no subnet when workspaces have no managed network",
        resource: cluster,
        config: { managedNetworkWorkspaces: false },
        messages: [
          /^properties.properties.subnet is not set and managedNetworkWorkspaces is false: the compute cluster is not in a virtual network/,
        ],
      },
      {
        title: "a subnet without an id",
        resource: withProp(instance, "properties.properties.subnet", { id: "" }),
        messages: [/^properties.properties.subnet.id is "": the compute instance names no subnet/],
      },
    ],
    unknown: [
      {
        title: "subnet id unknown",
        resource: withProp(cluster, "properties.properties.subnet", { id: UNKNOWN.string }),
      },
    ],
  },
  {
    policy: "aml-compute-no-node-public-ip",
    compliant: [
      { title: "cluster: false", resource: cluster },
      { title: "instance: false", resource: instance },
    ],
    violations: [
      {
        title: "cluster: true",
        resource: withProp(cluster, "properties.properties.enableNodePublicIp", true),
        messages: [/^properties.properties.enableNodePublicIp is true: the compute cluster's nodes get public IP/],
      },
      {
        title: "instance: absent (Azure: true)",
        resource: withProp(instance, "properties.properties.enableNodePublicIp", undefined),
        messages: [
          /^properties.properties.enableNodePublicIp is not set \(Azure defaults to true\): the compute instance's/,
        ],
      },
    ],
    unknown: [
      {
        title: "value unknown",
        resource: withProp(cluster, "properties.properties.enableNodePublicIp", UNKNOWN.boolean),
      },
    ],
  },
  {
    policy: "aml-compute-cluster-remote-login-disabled",
    compliant: [
      { title: "Disabled", resource: cluster },
      {
        title: "any case",
        resource: withProp(cluster, "properties.properties.remoteLoginPortPublicAccess", "disabled"),
      },
      {
        title: "instances are checked by the SSH rule",
        resource: withProp(instance, "properties.properties.remoteLoginPortPublicAccess", "Enabled"),
      },
    ],
    violations: [
      {
        title: "Enabled",
        resource: withProp(cluster, "properties.properties.remoteLoginPortPublicAccess", "Enabled"),
        messages: [/^properties.properties.remoteLoginPortPublicAccess is "Enabled": .*set it to "Disabled"/],
      },
      {
        title: "NotSpecified",
        resource: withProp(cluster, "properties.properties.remoteLoginPortPublicAccess", "NotSpecified"),
        messages: [/is "NotSpecified"/],
      },
      {
        title: "absent (Azure: NotSpecified)",
        resource: withProp(cluster, "properties.properties.remoteLoginPortPublicAccess", undefined),
        messages: [/^properties.properties.remoteLoginPortPublicAccess is not set \(Azure defaults to NotSpecified/],
      },
    ],
    unknown: [
      {
        title: "value unknown",
        resource: withProp(cluster, "properties.properties.remoteLoginPortPublicAccess", UNKNOWN.string),
      },
    ],
  },
  {
    policy: "aml-compute-instance-ssh-disabled",
    compliant: [
      { title: "Disabled", resource: instance },
      {
        title: "sshSettings absent (Azure: Disabled)",
        resource: withProp(instance, "properties.properties.sshSettings", undefined),
      },
      {
        title: "sshPublicAccess absent (Azure: Disabled)",
        resource: withProp(instance, "properties.properties.sshSettings", { adminPublicKey: "ssh-rsa AAAA" }),
      },
      {
        title: "clusters are checked by the remote login rule",
        resource: withProp(cluster, "properties.properties.sshSettings", { sshPublicAccess: "Enabled" }),
      },
    ],
    violations: [
      {
        title: "Enabled",
        resource: withProp(instance, "properties.properties.sshSettings", {
          sshPublicAccess: "Enabled",
          adminPublicKey: "ssh-rsa AAAA",
        }),
        messages: [/^properties.properties.sshSettings.sshPublicAccess is "Enabled": .*set it to "Disabled"/],
      },
    ],
    unknown: [
      {
        title: "value unknown",
        resource: withProp(instance, "properties.properties.sshSettings.sshPublicAccess", UNKNOWN.string),
      },
    ],
  },
  {
    policy: "aml-compute-instance-applications-personal",
    compliant: [
      { title: "Personal", resource: instance },
      { title: "any case", resource: withProp(instance, "properties.properties.applicationSharingPolicy", "personal") },
      {
        title: "clusters have no applications to share",
        resource: withProp(cluster, "properties.properties.applicationSharingPolicy", "Shared"),
      },
      { title: "an attached compute type is not checked", resource: other },
    ],
    violations: [
      {
        title: "Shared",
        resource: withProp(instance, "properties.properties.applicationSharingPolicy", "Shared"),
        messages: [
          /^properties.properties.applicationSharingPolicy is "Shared": other workspace users can open the instance's applications and act as its owner; set it to "Personal"\.$/,
        ],
      },
      {
        title: "absent (Azure and SDK: Shared)",
        resource: withProp(instance, "properties.properties.applicationSharingPolicy", undefined),
        messages: [/^properties.properties.applicationSharingPolicy is not set \(Azure defaults to Shared\)/],
      },
    ],
    unknown: [
      {
        title: "value unknown",
        resource: withProp(instance, "properties.properties.applicationSharingPolicy", UNKNOWN.string),
      },
    ],
  },
  {
    policy: "aml-compute-cluster-min-nodes-zero",
    compliant: [
      { title: "0", resource: cluster },
      {
        title: "minNodeCount absent (Azure: 0)",
        resource: withProp(cluster, "properties.properties.scaleSettings.minNodeCount", undefined),
      },
      { title: "scaleSettings absent", resource: withProp(cluster, "properties.properties.scaleSettings", undefined) },
    ],
    violations: [
      {
        title: "2 warm nodes",
        resource: withProp(cluster, "properties.properties.scaleSettings.minNodeCount", 2),
        messages: [/^properties.properties.scaleSettings.minNodeCount is 2: .*set it to 0/],
      },
    ],
    unknown: [
      {
        title: "value unknown",
        resource: withProp(cluster, "properties.properties.scaleSettings.minNodeCount", UNKNOWN.string),
      },
    ],
  },
  {
    policy: "aml-compute-instance-idle-shutdown",
    compliant: [
      { title: "PT30M", resource: instance },
      {
        title: "exactly the limit, in hours",
        resource: withProp(instance, "properties.properties.idleTimeBeforeShutdown", "PT1H"),
      },
      {
        title: "a longer limit in config",
        resource: withProp(instance, "properties.properties.idleTimeBeforeShutdown", "PT3H"),
        config: { maxIdleTimeBeforeShutdown: "PT4H" },
      },
      { title: "clusters are not checked", resource: cluster },
    ],
    violations: [
      {
        title: "absent (never shuts down)",
        resource: withProp(instance, "properties.properties.idleTimeBeforeShutdown", undefined),
        messages: [/^properties.properties.idleTimeBeforeShutdown is not set \(Azure never shuts/],
      },
      {
        title: "too long",
        resource: withProp(instance, "properties.properties.idleTimeBeforeShutdown", "P1D"),
        messages: [/^properties.properties.idleTimeBeforeShutdown is "P1D", longer than the allowed PT60M/],
      },
      {
        title: "not a duration",
        resource: withProp(instance, "properties.properties.idleTimeBeforeShutdown", "30 minutes"),
        messages: [/is "30 minutes", not an ISO 8601 duration/],
      },
      {
        title: "over a stricter limit",
        resource: instance,
        config: { maxIdleTimeBeforeShutdown: "PT15M" },
        messages: [/is "PT30M", longer than the allowed PT15M/],
      },
    ],
    unknown: [
      {
        title: "value unknown",
        resource: withProp(instance, "properties.properties.idleTimeBeforeShutdown", UNKNOWN.string),
      },
    ],
  },
  {
    policy: "aml-compute-identity-assigned",
    compliant: [
      { title: "cluster: user-assigned", resource: cluster },
      { title: "instance: system-assigned", resource: withProp(instance, "identity", { type: "SystemAssigned" }) },
      { title: "both kinds", resource: withProp(cluster, "identity.type", "SystemAssigned,UserAssigned") },
    ],
    violations: [
      {
        title: "identity absent",
        resource: withProp(cluster, "identity", undefined),
        messages: [/^identity is not set: the compute cluster has no managed identity/],
      },
      {
        title: "None",
        resource: withProp(instance, "identity", { type: "None" }),
        messages: [/^identity.type is "None": the compute instance has no managed identity/],
      },
      {
        title: "UserAssigned without identities",
        resource: withProp(cluster, "identity.userAssignedIdentities", []),
        messages: [/^identity.type is "UserAssigned" but identity.userAssignedIdentities is \[\]/],
      },
    ],
    unknown: [{ title: "identity unknown", resource: withProp(cluster, "identity", UNKNOWN.object) }],
  },
  {
    policy: "aml-compute-vm-size-allowed",
    compliant: [
      { title: "cluster: Standard_DS3_v2", resource: cluster },
      { title: "instance: Standard_E4s_v3", resource: instance },
      { title: "any case", resource: withProp(cluster, "properties.properties.vmSize", "STANDARD_NC24ADS_A100_V4") },
      {
        title: "a size added in config",
        resource: withProp(cluster, "properties.properties.vmSize", "Standard_ND96isr_MI300X_v5"),
        config: { allowedVmSizes: ["Standard_ND96isr_MI300X_v5"] },
      },
    ],
    violations: [
      {
        title: "a size not allowed",
        resource: withProp(cluster, "properties.properties.vmSize", "Standard_M128ms"),
        messages: [/^properties.properties.vmSize is "Standard_M128ms", which is not in allowedVmSizes/],
      },
      {
        title: "a retired size",
        resource: withProp(instance, "properties.properties.vmSize", "Standard_NC6s_v3"),
        messages: [/is "Standard_NC6s_v3", which is not in allowedVmSizes/],
      },
      {
        title: "absent",
        resource: withProp(cluster, "properties.properties.vmSize", undefined),
        messages: [
          /^properties.properties.vmSize is not set: the size Azure picks for the compute cluster cannot be checked/,
        ],
      },
    ],
    unknown: [{ title: "value unknown", resource: withProp(cluster, "properties.properties.vmSize", UNKNOWN.string) }],
  },
];

describeMlRules("compute", /^aml-compute-/, computePolicies, table);

describe("compute helpers", () => {
  it("parse ISO 8601 durations", () => {
    expect(isoDurationSeconds("PT60M")).toBe(3600);
    expect(isoDurationSeconds("PT1H30M")).toBe(5400);
    expect(isoDurationSeconds("P1DT2H")).toBe(93_600);
    expect(isoDurationSeconds("pt15m")).toBe(900);
    expect(isoDurationSeconds("PT0.5S")).toBe(0.5);
    expect(isoDurationSeconds("P")).toBeUndefined();
    expect(isoDurationSeconds("PT")).toBeUndefined();
    expect(isoDurationSeconds("60")).toBeUndefined();
  });

  it("default VM sizes allow the general-purpose cluster sizes and leave out retired NCv3", () => {
    expect(DEFAULT_ALLOWED_VM_SIZES).toEqual(
      expect.arrayContaining(["Standard_DS3_v2", "Standard_D4s_v3", "Standard_E4s_v3", "Standard_F4s_v2"]),
    );
    for (const retired of ["Standard_NC6s_v3", "Standard_NC12s_v3", "Standard_NC24s_v3"])
      expect(DEFAULT_ALLOWED_VM_SIZES).not.toContain(retired);
  });
});

describeShippedStacks("compute", computePolicies, { dev: [], prod: [] });

describe("compute rules the baseline needs blocking", () => {
  it.each([
    "aml-compute-instance-applications-personal",
    "aml-compute-instance-ssh-disabled",
    "aml-compute-no-node-public-ip",
    "aml-compute-local-auth-disabled",
  ])("%s is mandatory", (name) => {
    expect(computePolicies.find((p) => p.name === name)?.enforcementLevel).toBe("mandatory");
  });
});

// The same resource failing two compute rules reports both, each with its own message.
describe("several compute findings", () => {
  it("a cluster with public IP and public SSH fails both rules", async () => {
    const bad = withProps(cluster, {
      "properties.properties.enableNodePublicIp": true,
      "properties.properties.remoteLoginPortPublicAccess": "Enabled",
    });
    expect((await firing(computePolicies, bad)).sort()).toEqual([
      "aml-compute-cluster-remote-login-disabled",
      "aml-compute-no-node-public-ip",
    ]);
  });
});
