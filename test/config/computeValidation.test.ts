import { describe, expect, it } from "vitest";
import { configWarnings } from "../../config";
import { assetReferenceProblem, deploymentReferenceProblem } from "../../config";
import { issuesOf, validConfig } from "../support/config";

const MINIMUM = { location: "westeurope", namePrefix: "amldev" } as const;
const SUB = "3f2a6c1e-8b4d-4e9a-9c7f-2d1b0e5a6f80";
const ALICE = "4e8a2c61-7b3d-4f19-8a5e-1c9d0b7e6f42";
const BOB = "8c1f5a3e-2d7b-4e60-9f1a-5b3c7d2e8a14";
const SUBNET_ID = `/subscriptions/${SUB}/resourceGroups/rg-network-spoke/providers/Microsoft.Network/virtualNetworks/vnet-ml-spoke/subnets/snet-compute`;
const WORKSPACE_ID = `/subscriptions/${SUB}/resourceGroups/rg-amlprd1/providers/Microsoft.MachineLearningServices/workspaces/mlw-amlprd1`;

const K = (key: string) => `secure-azureml:${key}`;
/** A curated base image for environments declared in `assets` (the spec is the shipped one, assets/environments/churn-inference/conda.yaml). */
const BASE_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20250601.v1";

// --- Fixtures: the smallest valid pieces each bad case changes one thing in. -------------------

const BLUE = { instanceType: "Standard_E4s_v3", model: "azureml:churn:3", environment: "azureml:sklearn-env:2" };
const GREEN = { ...BLUE, model: "azureml:churn:4" };

/** One endpoint `scoring` with blue (90%) and green (10%), with overrides of the endpoint's keys. */
function withEndpoint(overrides: Record<string, unknown>) {
  return {
    endpoints: {
      scoring: { deployments: { blue: BLUE, green: GREEN }, traffic: { blue: 90, green: 10 }, ...overrides },
    },
  };
}

/** The endpoint above, with overrides of the blue deployment's keys. */
function withBlue(overrides: Record<string, unknown>) {
  return withEndpoint({ deployments: { blue: { ...BLUE, ...overrides }, green: GREEN } });
}

/** Blue and green take live traffic; shadow1 and shadow2 take none. */
function withMirror(mirrorTraffic: Record<string, unknown>) {
  return withEndpoint({ deployments: { blue: BLUE, green: GREEN, shadow1: GREEN, shadow2: GREEN }, mirrorTraffic });
}

/** One cluster `gpu`, with overrides. */
function withCluster(overrides: Record<string, unknown>) {
  return { compute: { clusters: { gpu: { vmSize: "Standard_NC24ads_A100_v4", maxNodes: 2, ...overrides } } } };
}

/** One compute instance `alice`, with overrides. */
function withInstance(overrides: Record<string, unknown>) {
  return {
    compute: { instances: { alice: { vmSize: "Standard_DS3_v2", assignedUserObjectId: ALICE, ...overrides } } },
  };
}

interface BadCase {
  readonly problem: string;
  readonly raw: Record<string, unknown>;
  /** The one key the issue must name. */
  readonly key: string;
  /** A fragment of the message saying what is accepted. */
  readonly accepted: string;
}

const CLUSTER = "compute.clusters.gpu";
const BLUE_KEY = "endpoints.scoring.deployments.blue";

const BAD_CASES: BadCase[] = [
  // Compute clusters: sizes.
  {
    problem: "unknown cluster VM size",
    raw: withCluster({ vmSize: "Standard_NC6" }),
    key: K(`${CLUSTER}.vmSize`),
    accepted:
      "Standard_NC6 is not a VM size this project knows; nearest valid choices for Azure ML compute clusters and instances: Standard_NC4as_T4_v3",
  },
  {
    problem: "misspelt cluster VM size",
    raw: withCluster({ vmSize: "Standard_DS3_v3" }),
    key: K(`${CLUSTER}.vmSize`),
    accepted: "nearest valid choices for Azure ML compute clusters and instances: Standard_DS3_v2",
  },
  {
    problem: "ND MI300X v5 for a cluster",
    raw: withCluster({ vmSize: "Standard_ND96isr_MI300X_v5", maxNodes: 4 }),
    key: K(`${CLUSTER}.vmSize`),
    accepted: "Standard_ND96isr_MI300X_v5 is not supported for Azure ML compute clusters and instances",
  },
  {
    problem: "NV A10 v5 for a cluster",
    raw: withCluster({ vmSize: "standard_nv36ads_a10_v5" }),
    key: K(`${CLUSTER}.vmSize`),
    accepted:
      "Standard_NV36ads_A10_v5 is not supported for Azure ML compute clusters and instances (not a VM series Azure ML supports",
  },
  {
    problem: "retired NCv3 cluster",
    raw: withCluster({ vmSize: "Standard_NC6s_v3" }),
    key: K(`${CLUSTER}.vmSize`),
    accepted:
      "Standard_NC6s_v3 was retired by Azure on 2025-09-30 and can no longer be deployed; use Standard_NC24ads_A100_v4",
  },
  {
    problem: "InfiniBand size with maxNodes 1",
    raw: withCluster({ vmSize: "Standard_ND96isr_H100_v5", maxNodes: 1 }),
    key: K(`${CLUSTER}.vmSize`),
    accepted: "raise maxNodes to 2 or more, or pick a single-node GPU size: Standard_NC80adis_H100_v5",
  },
  // Compute clusters: scale and network.
  {
    problem: "minNodes above maxNodes",
    raw: withCluster({ minNodes: 3, maxNodes: 2 }),
    key: K(`${CLUSTER}.minNodes`),
    accepted: "minNodes must be at most maxNodes",
  },
  {
    problem: "maxNodes of 0",
    raw: withCluster({ maxNodes: 0 }),
    key: K(`${CLUSTER}.maxNodes`),
    accepted: "must be a whole number from 1 to 1000",
  },
  {
    problem: "cluster without maxNodes",
    raw: { compute: { clusters: { gpu: { vmSize: "Standard_NC24ads_A100_v4" } } } },
    key: K(`${CLUSTER}.maxNodes`),
    accepted: "is required: must be a whole number from 1 to 1000",
  },
  {
    problem: "unknown cluster tier",
    raw: withCluster({ tier: "Spot" }),
    key: K(`${CLUSTER}.tier`),
    accepted: 'expected one of "Dedicated", "LowPriority"',
  },
  {
    problem: "cluster in a customer subnet (managed network)",
    raw: withCluster({ subnetId: SUBNET_ID }),
    key: K(`${CLUSTER}.subnetId`),
    accepted:
      "compute in this workspace runs in Microsoft's managed virtual network (workspace.outbound.mode is always a managed mode), and Azure ML does not support customer subnets",
  },
  {
    problem: "typo in a cluster key",
    raw: withCluster({ maxNode: 2 }),
    key: K(`${CLUSTER}.maxNode`),
    accepted: "is not a known key; did you mean maxNodes?",
  },
  {
    problem: "cluster name with capitals",
    raw: { compute: { clusters: { GPU: { vmSize: "Standard_NC24ads_A100_v4", maxNodes: 2 } } } },
    key: K("compute.clusters.GPU"),
    accepted: "must be 2-16 lowercase letters, digits or hyphens",
  },
  {
    problem: "cluster named like the image builder",
    raw: { compute: { clusters: { "image-builder": { vmSize: "Standard_DS3_v2", maxNodes: 2 } } } },
    key: K("compute.clusters.image-builder"),
    accepted: "is reserved for the image-build cluster (configure it under compute.imageBuilder)",
  },
  // Compute instances.
  {
    problem: "instance with a misspelt size",
    raw: withInstance({ vmSize: "Standard_E4s_v4" }),
    key: K("compute.instances.alice.vmSize"),
    accepted: "nearest valid choices for Azure ML compute clusters and instances: Standard_E4s_v3",
  },
  {
    problem: "instance on an A10 partition",
    raw: withInstance({ vmSize: "Standard_NV6ads_A10_v5" }),
    key: K("compute.instances.alice.vmSize"),
    accepted: "is not supported for Azure ML compute clusters and instances",
  },
  {
    problem: "instance in a customer subnet",
    raw: withInstance({ subnetId: SUBNET_ID }),
    key: K("compute.instances.alice.subnetId"),
    accepted: "does not support customer subnets for managed network compute; remove subnetId",
  },
  {
    problem: "instance without an owner",
    raw: withInstance({ assignedUserObjectId: undefined }),
    key: K("compute.instances.alice.assignedUserObjectId"),
    accepted: "is required: must be a Microsoft Entra object id (GUID)",
  },
  {
    problem: "instance idle shutdown under 15 minutes",
    raw: withInstance({ idleShutdownMinutes: 5 }),
    key: K("compute.instances.alice.idleShutdownMinutes"),
    accepted: "must be a whole number from 15 to 4320",
  },
  {
    problem: "instance idle shutdown over 3 days",
    raw: withInstance({ idleShutdownMinutes: 10_080 }),
    key: K("compute.instances.alice.idleShutdownMinutes"),
    accepted: "must be a whole number from 15 to 4320",
  },
  {
    problem: "instance named like a cluster",
    raw: {
      compute: {
        clusters: { alice: { vmSize: "Standard_DS3_v2", maxNodes: 1 } },
        instances: { alice: { vmSize: "Standard_DS3_v2", assignedUserObjectId: ALICE } },
      },
    },
    key: K("compute.instances.alice"),
    accepted: "every name must be unique",
  },
  // Image builder.
  {
    problem: "GPU image builder",
    raw: { compute: { imageBuilder: { vmSize: "Standard_NC4as_T4_v3" } } },
    key: K("compute.imageBuilder.vmSize"),
    accepted: "environment images are built on CPU; accepted: a CPU size: Standard_DS2_v2, Standard_DS3_v2",
  },
  {
    problem: "unknown image builder size",
    raw: { compute: { imageBuilder: { vmSize: "Standard_B2s" } } },
    key: K("compute.imageBuilder.vmSize"),
    accepted: "Standard_B2s is not a VM size this project knows; nearest valid choices",
  },
  // Endpoints: instance types.
  {
    problem: "unknown deployment instance type",
    raw: withBlue({ instanceType: "Standard_NC6" }),
    key: K(`${BLUE_KEY}.instanceType`),
    accepted: "nearest valid choices for managed online endpoints: Standard_NC4as_T4_v3",
  },
  {
    problem: "ND H200 v5 deployment",
    raw: withBlue({ instanceType: "Standard_ND96isr_H200_v5" }),
    key: K(`${BLUE_KEY}.instanceType`),
    accepted:
      "is not supported for managed online endpoints (not in Microsoft's managed online endpoints SKU list); nearest valid choices: Standard_ND96isr_H100_v5",
  },
  {
    problem: "ND MI300X v5 deployment",
    raw: withBlue({ instanceType: "Standard_ND96isr_MI300X_v5" }),
    key: K(`${BLUE_KEY}.instanceType`),
    accepted: "not in Microsoft's managed online endpoints SKU list",
  },
  {
    problem: "Standard_D4s_v3 deployment (not on the endpoint SKU list)",
    raw: withBlue({ instanceType: "Standard_D4s_v3" }),
    key: K(`${BLUE_KEY}.instanceType`),
    accepted: "nearest valid choices: Standard_DS3_v2",
  },
  {
    problem: "retired NCv3 deployment",
    raw: withBlue({ instanceType: "Standard_NC24s_v3" }),
    key: K(`${BLUE_KEY}.instanceType`),
    accepted: "use Standard_NC96ads_A100_v4 (Microsoft's replacement)",
  },
  // Endpoints: auth.
  {
    problem: "key auth without allowKeyAuth",
    raw: withEndpoint({ authMode: "Key" }),
    key: K("endpoints.scoring.authMode"),
    accepted: "accepted: AADToken (default, Microsoft Entra tokens) or AMLToken, or set allowKeyAuth: true",
  },
  {
    problem: "unknown auth mode",
    raw: withEndpoint({ authMode: "None" }),
    key: K("endpoints.scoring.authMode"),
    accepted: 'expected one of "AADToken", "AMLToken", "Key"',
  },
  // Endpoints: traffic and mirroring.
  {
    problem: "traffic summing to 90",
    raw: withEndpoint({ traffic: { blue: 80, green: 10 } }),
    key: K("endpoints.scoring.traffic"),
    accepted: "sums to 90%; the live traffic shares must sum to 100, or to 0 while no deployment takes traffic yet",
  },
  {
    problem: "traffic to an unknown deployment",
    raw: withEndpoint({ traffic: { blue: 90, red: 10 } }),
    key: K("endpoints.scoring.traffic.red"),
    accepted: "names no deployment of this endpoint; accepted: blue, green",
  },
  {
    problem: "traffic share above 100",
    raw: withEndpoint({ traffic: { blue: 110, green: 0 } }),
    key: K("endpoints.scoring.traffic.blue"),
    accepted: "must be a whole percentage from 0 to 100",
  },
  {
    problem: "traffic on an endpoint without deployments",
    raw: { endpoints: { scoring: { traffic: { blue: 100 } } } },
    key: K("endpoints.scoring.traffic.blue"),
    accepted: "this endpoint has no deployments yet",
  },
  {
    problem: "mirroring more than 50% in total",
    raw: withMirror({ shadow1: 30, shadow2: 30 }),
    key: K("endpoints.scoring.mirrorTraffic"),
    accepted: "and 60% in total, above the 50% at most; accepted: one deployment, at most 50% of live traffic",
  },
  {
    problem: "mirroring to two deployments",
    raw: withMirror({ shadow1: 10, shadow2: 10 }),
    key: K("endpoints.scoring.mirrorTraffic"),
    accepted: "mirrors to 2 deployments (shadow1, shadow2); accepted: one deployment",
  },
  {
    problem: "mirroring 60% to one deployment",
    raw: withMirror({ shadow1: 60 }),
    key: K("endpoints.scoring.mirrorTraffic.shadow1"),
    accepted: "Azure mirrors at most 50% of live traffic",
  },
  {
    problem: "mirroring to a deployment that takes live traffic",
    raw: withEndpoint({ mirrorTraffic: { green: 10 } }),
    key: K("endpoints.scoring.mirrorTraffic.green"),
    accepted: "which takes 10% of live traffic; a deployment receives live or mirrored traffic, not both",
  },
  {
    problem: "mirroring to an unknown deployment",
    raw: withEndpoint({ mirrorTraffic: { shadow: 10 } }),
    key: K("endpoints.scoring.mirrorTraffic.shadow"),
    accepted: "names no deployment of this endpoint; accepted: blue, green",
  },
  // Deployments: probes, autoscale, request settings.
  {
    problem: "liveness probe timing out no sooner than its period",
    raw: withBlue({ livenessProbe: { timeoutSeconds: 10 } }),
    key: K(`${BLUE_KEY}.livenessProbe.timeoutSeconds`),
    accepted: "is 10s, not below periodSeconds 10s",
  },
  {
    problem: "readiness probe timeout above its period",
    raw: withBlue({ readinessProbe: { periodSeconds: 5, timeoutSeconds: 30 } }),
    key: K(`${BLUE_KEY}.readinessProbe.timeoutSeconds`),
    accepted: "accepted: a timeout shorter than periodSeconds",
  },
  {
    problem: "probe period of 0",
    raw: withBlue({ readinessProbe: { periodSeconds: 0 } }),
    key: K(`${BLUE_KEY}.readinessProbe.periodSeconds`),
    accepted: "must be a whole number from 1 to 3600",
  },
  {
    problem: "autoscale minimum above maximum",
    raw: withBlue({ autoscale: { minInstances: 5, maxInstances: 3 } }),
    key: K(`${BLUE_KEY}.autoscale.minInstances`),
    accepted: "minInstances must be at most maxInstances",
  },
  {
    problem: "instance count above the autoscale maximum",
    raw: withBlue({ instanceCount: 5, autoscale: { minInstances: 1, maxInstances: 3 } }),
    key: K(`${BLUE_KEY}.instanceCount`),
    accepted: "is 5, outside autoscale 1-3: autoscale starts from instanceCount",
  },
  {
    problem: "default instance count below the autoscale minimum",
    raw: withBlue({ autoscale: { minInstances: 2, maxInstances: 4 } }),
    key: K(`${BLUE_KEY}.instanceCount`),
    accepted: "is 1 (the default), outside autoscale 2-4",
  },
  {
    problem: "CPU scale-in threshold not below scale-out",
    raw: withBlue({ autoscale: { minInstances: 1, maxInstances: 3, cpuScaleOutPercent: 60, cpuScaleInPercent: 60 } }),
    key: K(`${BLUE_KEY}.autoscale.cpuScaleInPercent`),
    accepted: "the scale-in threshold must be below the scale-out threshold",
  },
  {
    problem: "request timeout under a second",
    raw: withBlue({ requestSettings: { requestTimeoutMs: 200 } }),
    key: K(`${BLUE_KEY}.requestSettings.requestTimeoutMs`),
    accepted: "must be a whole number from 1000 to 180000",
  },
  // Deployments: model and environment references.
  {
    problem: "model label instead of a version",
    raw: withBlue({ model: "azureml:churn@latest" }),
    key: K(`${BLUE_KEY}.model`),
    accepted: "pin a version instead of a label",
  },
  {
    problem: "model key without any assets.models",
    raw: withBlue({ model: "churn" }),
    key: K(`${BLUE_KEY}.model`),
    accepted:
      "is churn, which is not a key of assets.models (assets.models declares none); name a declared model, or give a pinned reference such as azureml:churn:3",
  },
  {
    problem: "model key that assets.models does not declare",
    raw: {
      ...withBlue({ model: "churn-v2" }),
      assets: { models: { churn: { version: "3" }, fraud: { version: "1" } } },
    },
    key: K(`${BLUE_KEY}.model`),
    accepted: "is churn-v2, which is not a key of assets.models (declared: churn, fraud)",
  },
  {
    problem: "environment key that assets.environments does not declare",
    raw: {
      ...withBlue({ environment: "sklearn-env" }),
      assets: { environments: { "churn-inference": { image: BASE_IMAGE } } },
    },
    key: K(`${BLUE_KEY}.environment`),
    accepted: "is sklearn-env, which is not a key of assets.environments (declared: churn-inference)",
  },
  {
    problem: "model version without the azureml: prefix",
    raw: withBlue({ model: "churn:3" }),
    key: K(`${BLUE_KEY}.model`),
    accepted:
      "must be azureml:<name>:<version> (e.g. azureml:churn:3), azureml://registries/<registry>/models/<name>/versions/<version>, or a model version resource id .../providers/Microsoft.MachineLearningServices/{workspaces|registries}/<name>/models/<name>/versions/<version>, or the key of an assets.models entry (e.g. churn)",
  },
  {
    problem: "registry model URI without a version",
    raw: withBlue({ model: "azureml://registries/shared-models/models/churn" }),
    key: K(`${BLUE_KEY}.model`),
    accepted: "azureml://registries/<registry>/models/<name>/versions/<version>",
  },
  {
    problem: "environment version resource id given as a model",
    raw: withBlue({ model: `${WORKSPACE_ID}/environments/sklearn-env/versions/2` }),
    key: K(`${BLUE_KEY}.model`),
    accepted: "or a model version resource id",
  },
  {
    problem: "container image as the environment",
    raw: withBlue({ environment: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest" }),
    key: K(`${BLUE_KEY}.environment`),
    accepted:
      "must be azureml:<name>:<version> (e.g. azureml:sklearn-env:2), azureml://registries/<registry>/environments/<name>/versions/<version>",
  },
  {
    problem: "code given as a path, not a code asset",
    raw: withBlue({ code: { codeId: "./src", scoringScript: "score.py" } }),
    key: K(`${BLUE_KEY}.code.codeId`),
    accepted: "azureml:<name>:<version> (e.g. azureml:churn-score:1)",
  },
  {
    problem: "code without a scoring script",
    raw: withBlue({ code: { codeId: "azureml:churn-score:1", scoringScript: "" } }),
    key: K(`${BLUE_KEY}.code.scoringScript`),
    accepted: "must be the scoring script's path inside the code asset",
  },
  {
    problem: "deployment without a model",
    raw: withBlue({ model: undefined }),
    key: K(`${BLUE_KEY}.model`),
    accepted: "is required: must be azureml:<name>:<version>",
  },
  {
    problem: "deployment name with capitals",
    raw: withEndpoint({ deployments: { blue: BLUE, green: GREEN, Canary: GREEN } }),
    key: K("endpoints.scoring.deployments.Canary"),
    accepted: "must be 3-32 lowercase letters, digits or hyphens",
  },
  // Alerts.
  {
    problem: "receiver name used by an e-mail and a webhook receiver",
    raw: {
      alerts: {
        emailReceivers: [{ name: "oncall", email: "oncall@contoso.com" }],
        webhookReceivers: [{ name: "OnCall", serviceUri: "https://hooks.contoso.com/aml" }],
      },
    },
    key: K("alerts.webhookReceivers[0].name"),
    accepted: "every receiver of the action group (email and webhook) needs its own name",
  },
  {
    problem: "empty receiver name",
    raw: { alerts: { emailReceivers: [{ name: "", email: "oncall@contoso.com" }] } },
    key: K("alerts.emailReceivers[0].name"),
    accepted: "must be a receiver name of 1-128 characters",
  },
  {
    problem: "endpoint description over 1024 characters",
    raw: withEndpoint({ description: "x".repeat(1025) }),
    key: K("endpoints.scoring.description"),
    accepted: "must be at most 1024 characters",
  },
  {
    problem: "plain-http webhook",
    raw: { alerts: { webhookReceivers: [{ name: "pager", serviceUri: "http://hooks.contoso.com/aml" }] } },
    key: K("alerts.webhookReceivers[0].serviceUri"),
    accepted: "must be an https:// URL",
  },
  {
    problem: "malformed e-mail receiver",
    raw: { alerts: { emailReceivers: [{ name: "oncall", email: "oncall-at-contoso" }] } },
    key: K("alerts.emailReceivers[0].email"),
    accepted: "must be an e-mail address",
  },
];

/** Merge a case over the minimum; a nested `undefined` removes that key. */
function withOverrides(overrides: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ ...MINIMUM, ...overrides })) as Record<string, unknown>;
}

describe("compute and endpoint configuration: each bad configuration is reported once, at its key, saying what is accepted", () => {
  it("has at least 25 distinct cases", () => {
    expect(new Set(BAD_CASES.map((c) => c.problem)).size).toBe(BAD_CASES.length);
    expect(BAD_CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(BAD_CASES)("$problem -> $key", ({ raw, key, accepted }) => {
    const issues = issuesOf(withOverrides(raw));
    expect(issues.map((i) => `${i.key}: ${i.message}`)).toHaveLength(1);
    expect(issues[0].key).toBe(key);
    expect(issues[0].message).toContain(accepted);
  });

  it("rejects a subnetId on clusters and instances with why (managed network compute), not as an unknown key, whatever the value or its case", () => {
    for (const raw of [
      withCluster({ subnetId: SUBNET_ID }),
      withCluster({ subnetId: "" }),
      withInstance({ subnetID: SUBNET_ID }),
    ]) {
      const [issue, ...others] = issuesOf(withOverrides(raw));
      expect(others).toEqual([]);
      expect(issue.key).toMatch(/^secure-azureml:compute\.(clusters\.gpu|instances\.alice)\.subnet(Id|ID)$/);
      expect(issue.message).toMatch(
        /^is not accepted: compute in this workspace runs in Microsoft's managed virtual network .*customer subnets.*; remove subnetId/,
      );
      expect(issue.message).not.toContain("is not a known key");
    }
  });

  it("shows the size as given and names it canonically in the message", () => {
    const [issue] = issuesOf(withOverrides(withBlue({ instanceType: "standard_nd96isr_h200_v5" })));
    expect(issue.value).toBe('"standard_nd96isr_h200_v5"');
    expect(issue.message).toMatch(/^Standard_ND96isr_H200_v5 is not supported for managed online endpoints/);
  });

  it("reports every compute and endpoint problem of one configuration at once", () => {
    const issues = issuesOf({
      ...MINIMUM,
      compute: {
        clusters: {
          gpu: { vmSize: "Standard_ND96asr_v4", maxNodes: 1, minNodes: 2, subnetId: SUBNET_ID },
          cpu: { vmSize: "Standard_DS3_v3", maxNodes: 2 },
        },
        instances: { cpu: { vmSize: "Standard_NV6ads_A10_v5", assignedUserObjectId: ALICE } },
        imageBuilder: { vmSize: "Standard_NC4as_T4_v3" },
      },
      endpoints: {
        scoring: {
          authMode: "Key",
          deployments: {
            blue: {
              ...BLUE,
              instanceType: "Standard_ND96isr_H200_v5",
              model: "churn",
              livenessProbe: { timeoutSeconds: 20 },
            },
            green: { ...GREEN, autoscale: { minInstances: 4, maxInstances: 2 } },
          },
          traffic: { blue: 50, green: 30, red: 10 },
          mirrorTraffic: { green: 10 },
        },
      },
    });
    expect(issues.map((i) => i.key).sort()).toEqual(
      [
        "compute.clusters.gpu.vmSize",
        "compute.clusters.gpu.minNodes",
        "compute.clusters.gpu.subnetId",
        "compute.clusters.cpu.vmSize",
        "compute.instances.cpu",
        "compute.instances.cpu.vmSize",
        "compute.imageBuilder.vmSize",
        "endpoints.scoring.authMode",
        "endpoints.scoring.deployments.blue.instanceType",
        "endpoints.scoring.deployments.blue.model",
        "endpoints.scoring.deployments.blue.livenessProbe.timeoutSeconds",
        "endpoints.scoring.deployments.green.autoscale.minInstances",
        "endpoints.scoring.traffic",
        "endpoints.scoring.traffic.red",
        "endpoints.scoring.mirrorTraffic.green",
      ]
        .map(K)
        .sort(),
    );
  });
});

/** Every compute and endpoint option used: a CPU and two GPU clusters, an instance, and a blue/green endpoint at 90/10 mirroring to a shadow. */
const MAXIMAL_COMPUTE = {
  compute: {
    clusters: {
      cpu: { vmSize: "standard_d4s_v3", tier: "Dedicated", minNodes: 0, maxNodes: 4, idleSecondsBeforeScaleDown: 600 },
      "gpu-a100": {
        vmSize: "Standard_NC24ads_A100_v4",
        tier: "Dedicated",
        minNodes: 0,
        maxNodes: 2,
        idleSecondsBeforeScaleDown: 1800,
      },
      "gpu-h100-ib": { vmSize: "STANDARD_ND96ISR_H100_V5", maxNodes: 4 },
    },
    instances: {
      alice: { vmSize: "Standard_E4s_v3", assignedUserObjectId: ALICE, idleShutdownMinutes: 60 },
      bob: { vmSize: "standard_nc4as_t4_v3", assignedUserObjectId: BOB },
    },
    imageBuilder: { vmSize: "Standard_E4s_v3", maxNodes: 3 },
  },
  endpoints: {
    scoring: {
      description: "Churn scoring, blue/green",
      authMode: "AADToken",
      allowKeyAuth: false,
      deployments: {
        blue: {
          instanceType: "Standard_NC4as_T4_v3",
          instanceCount: 2,
          model: "azureml:churn:3",
          environment: "azureml://registries/contoso-shared/environments/torch-infer/versions/7",
          code: { codeId: `${WORKSPACE_ID}/codes/score/versions/1`, scoringScript: "score.py" },
          livenessProbe: {
            initialDelaySeconds: 30,
            periodSeconds: 15,
            timeoutSeconds: 5,
            failureThreshold: 10,
            successThreshold: 1,
          },
          readinessProbe: {
            initialDelaySeconds: 10,
            periodSeconds: 5,
            timeoutSeconds: 2,
            failureThreshold: 3,
            successThreshold: 2,
          },
          requestSettings: { requestTimeoutMs: 10_000, maxConcurrentRequestsPerInstance: 4 },
          autoscale: {
            minInstances: 2,
            maxInstances: 6,
            cpuScaleOutPercent: 75,
            cpuScaleInPercent: 25,
            latencyScaleOutMs: 800,
          },
        },
        green: {
          instanceType: "standard_nc8as_t4_v3",
          model: "azureml://registries/contoso-shared/models/churn/versions/4",
          environment: `${WORKSPACE_ID}/environments/torch-infer/versions/8`,
        },
        shadow: {
          instanceType: "Standard_E4s_v3",
          model: `${WORKSPACE_ID}/models/churn/versions/5`,
          environment: "azureml:sklearn-env:2",
        },
      },
      traffic: { blue: 90, green: 10, shadow: 0 },
      mirrorTraffic: { shadow: 20 },
      alerts: { latencyP95Ms: 500, serverErrorsPerMinute: 3, gpuUtilizationPercent: 85 },
    },
    "scoring-next": {
      authMode: "AMLToken",
      deployments: {
        candidate: { instanceType: "Standard_E8s_v3", model: "azureml:churn:6", environment: "azureml:sklearn-env:3" },
      },
    },
  },
  alerts: {
    emailReceivers: [{ name: "ml-oncall", email: "ml-oncall@contoso.com" }],
    webhookReceivers: [{ name: "pager", serviceUri: "https://hooks.contoso.com/aml" }],
  },
};

describe("compute and endpoint configuration: a valid maximal configuration", () => {
  const config = validConfig({ ...MINIMUM, ...MAXIMAL_COMPUTE });

  it("keeps the blue/green split at 90/10 and the mirror to the shadow deployment", () => {
    expect(config.endpoints.scoring.traffic).toEqual({ blue: 90, green: 10, shadow: 0 });
    expect(config.endpoints.scoring.mirrorTraffic).toEqual({ shadow: 20 });
    expect(Object.keys(config.endpoints.scoring.deployments)).toEqual(["blue", "green", "shadow"]);
  });

  it("normalises every VM size to its canonical name, whatever the case given", () => {
    expect(Object.fromEntries(Object.entries(config.compute.clusters).map(([name, c]) => [name, c.vmSize]))).toEqual({
      cpu: "Standard_D4s_v3",
      "gpu-a100": "Standard_NC24ads_A100_v4",
      "gpu-h100-ib": "Standard_ND96isr_H100_v5",
    });
    expect(config.compute.instances.bob.vmSize).toBe("Standard_NC4as_T4_v3");
    expect(config.endpoints.scoring.deployments.green.instanceType).toBe("Standard_NC8as_T4_v3");
    expect(
      validConfig({ ...MINIMUM, compute: { imageBuilder: { vmSize: "standard_e8s_v3" } } }).compute.imageBuilder.vmSize,
    ).toBe("Standard_E8s_v3");
  });

  it("applies the secure defaults to what it leaves out", () => {
    expect(config.compute.clusters["gpu-h100-ib"]).toEqual({
      vmSize: "Standard_ND96isr_H100_v5",
      tier: "Dedicated",
      minNodes: 0,
      maxNodes: 4,
      idleSecondsBeforeScaleDown: 900,
    });
    expect(config.compute.instances.bob.idleShutdownMinutes).toBe(30);
    expect(config.endpoints["scoring-next"]).toMatchObject({
      authMode: "AMLToken",
      allowKeyAuth: false,
      traffic: {},
      mirrorTraffic: {},
    });
    expect(config.endpoints.scoring.deployments.green).toMatchObject({
      instanceCount: 1,
      livenessProbe: {
        initialDelaySeconds: 10,
        periodSeconds: 10,
        timeoutSeconds: 2,
        failureThreshold: 30,
        successThreshold: 1,
      },
      requestSettings: { requestTimeoutMs: 5000, maxConcurrentRequestsPerInstance: 1 },
    });
    expect(config.endpoints.scoring.deployments.green.autoscale).toBeUndefined();
  });

  it("keeps every other value as given", () => {
    expect(config.endpoints.scoring.deployments.blue).toEqual(MAXIMAL_COMPUTE.endpoints.scoring.deployments.blue);
    expect(config.endpoints.scoring.alerts).toEqual({
      latencyP95Ms: 500,
      serverErrorsPerMinute: 3,
      gpuUtilizationPercent: 85,
    });
    expect(config.alerts).toEqual(MAXIMAL_COMPUTE.alerts);
    expect(config.compute.imageBuilder).toEqual({ vmSize: "Standard_E4s_v3", maxNodes: 3 });
  });

  it("accepts the rollout steps as plain config changes: canary, promote, roll back", () => {
    const withTraffic = (traffic: Record<string, number>) =>
      withOverrides({
        ...MAXIMAL_COMPUTE,
        endpoints: { scoring: { ...MAXIMAL_COMPUTE.endpoints.scoring, traffic, mirrorTraffic: {} } },
      });
    const steps: Record<string, number>[] = [
      { blue: 90, green: 10 },
      { blue: 0, green: 100 },
      { blue: 100, green: 0 },
      { blue: 100 },
    ];
    for (const traffic of steps) {
      expect(validConfig(withTraffic(traffic)).endpoints.scoring.traffic).toEqual(traffic);
    }
  });

  it("accepts an endpoint whose deployments take no traffic yet (sum 0)", () => {
    expect(
      validConfig(withOverrides(withEndpoint({ traffic: { blue: 0, green: 0 } }))).endpoints.scoring.traffic,
    ).toEqual({ blue: 0, green: 0 });
  });

  it("has nothing to warn about", () => {
    expect(configWarnings(config)).toEqual([]);
  });
});

describe("configWarnings", () => {
  it("accepts key auth when explicitly allowed, and warns about it", () => {
    const config = validConfig(
      withOverrides({ ...withEndpoint({ authMode: "Key", allowKeyAuth: true }), alerts: MAXIMAL_COMPUTE.alerts }),
    );
    const warnings = configWarnings(config);
    expect(warnings.map((w) => w.key)).toEqual([K("endpoints.scoring.authMode")]);
    expect(warnings[0].message).toContain("key auth is allowed (allowKeyAuth: true)");
  });

  it("warns about clusters that keep nodes while idle, and endpoint alerts nobody receives", () => {
    const config = validConfig(withOverrides({ ...withCluster({ minNodes: 1 }), ...withEndpoint({}) }));
    const warnings = configWarnings(config, "ml");
    expect(warnings.map((w) => w.key)).toEqual(["ml:compute.clusters.gpu.minNodes", "ml:alerts"]);
    expect(warnings[0].message).toBe(
      "keeps 1 node(s) of Standard_NC24ads_A100_v4 running and billed while idle; 0 lets the cluster scale to zero",
    );
    expect(warnings[1].message).toContain("has no receivers");
  });

  it("says nothing about the minimum configuration", () => {
    expect(configWarnings(validConfig({ ...MINIMUM }))).toEqual([]);
  });
});

describe("model and environment references", () => {
  const RG = `/subscriptions/${SUB}/resourceGroups/rg-shared/providers/Microsoft.MachineLearningServices`;

  it.each([
    ["models", "azureml:churn:3"],
    ["models", "azureml:churn_model.v2:12"],
    ["models", "azureml://registries/contoso-shared/models/churn/versions/3"],
    ["models", `${RG}/workspaces/mlw-shared/models/churn/versions/3`],
    ["models", `${RG}/registries/contoso-shared/models/churn/versions/3`],
    ["environments", "azureml:sklearn-env:2"],
    ["environments", "azureml://registries/azureml/environments/sklearn-1.5/versions/14"],
    ["environments", `${RG}/registries/contoso-shared/environments/torch-infer/versions/7`],
    ["codes", "azureml:churn-score:1"],
    ["codes", `${RG}/workspaces/mlw-shared/codes/churn-score/versions/1`],
  ] as const)("accepts %s reference %s", (kind, reference) => {
    expect(assetReferenceProblem(reference, kind)).toBeUndefined();
  });

  it.each([
    ["models", "azureml:churn@latest", "pin a version instead of a label"],
    ["models", "azureml://registries/contoso-shared/models/churn/labels/latest", "pin a version instead of a label"],
    [
      "models",
      "azureml://registries/contoso-shared/environments/churn/versions/3",
      "azureml://registries/<registry>/models/<name>/versions/<version>",
    ],
    ["environments", "azureml:sklearn-env", "azureml:<name>:<version> (e.g. azureml:sklearn-env:2)"],
    ["environments", `${RG}/workspaces/mlw-shared/environments/torch-infer`, "environment version resource id"],
  ] as const)("rejects %s reference %s", (kind, reference, accepted) => {
    expect(assetReferenceProblem(reference, kind)).toContain(accepted);
  });

  it("lets deployments name a declared model or environment by key, never code (a key has no : and no leading /)", () => {
    expect(deploymentReferenceProblem("churn", "models")).toBeUndefined();
    expect(deploymentReferenceProblem("churn-inference", "environments")).toBeUndefined();
    expect(deploymentReferenceProblem("azureml:churn:3", "models")).toBeUndefined();
    expect(deploymentReferenceProblem("churn-score", "codes")).toContain(
      "must be azureml:<name>:<version> (e.g. azureml:churn-score:1)",
    );
    expect(deploymentReferenceProblem("azureml:churn", "models")).toMatch(
      /, or the key of an assets\.models entry \(e\.g\. churn\)$/,
    );
    expect(deploymentReferenceProblem("/churn", "environments")).toMatch(
      /, or the key of an assets\.environments entry \(e\.g\. churn-inference\)$/,
    );
  });

  it("accepts deployments that name declared assets by key and keeps the keys as given (resolved when the program runs)", () => {
    const config = validConfig(
      withOverrides({
        ...withEndpoint({
          deployments: { blue: { ...BLUE, model: "churn", environment: "churn-inference" }, green: GREEN },
        }),
        assets: { environments: { "churn-inference": { image: BASE_IMAGE } }, models: { churn: { version: "3" } } },
      }),
    );
    expect(config.endpoints.scoring.deployments.blue).toMatchObject({ model: "churn", environment: "churn-inference" });
  });
});
