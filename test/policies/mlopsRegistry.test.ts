import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../plan/contract";
import { hostAllowed, imageHost, imagePinned, mlopsRegistryPolicies } from "../../policies/rules/mlopsRegistry";
import { planStackFile } from "../support/stack";
import { UNKNOWN, runResourcePolicy } from "./support/harness";
import { expectOneViolation, planViolations, policyNamed, withProp } from "./fixtures/data";
import { MlRuleCases, describeMlRules } from "./fixtures/mlCases";
import {
  CURATED_IMAGE,
  dataVersion,
  environmentVersion,
  mlRegistry,
  registryEnvironmentVersion,
  replicatedRegistry,
} from "./fixtures/mlopsRegistry";

const registry = mlRegistry();
const env = environmentVersion();
const data = dataVersion();
const SAS_URL = "https://stdata.blob.core.windows.net/churn/training?sv=2024-05-04&se=2026-12-31&sig=c2VjcmV0";

const table: MlRuleCases[] = [
  {
    policy: "mlops-registry-public-network-disabled",
    compliant: [
      { title: "Disabled", resource: registry },
      { title: "any case", resource: withProp(registry, "publicNetworkAccess", "disabled") },
      { title: "another type is ignored", resource: withProp(env, "publicNetworkAccess", "Enabled") },
    ],
    violations: [
      {
        title: "Enabled",
        resource: withProp(registry, "publicNetworkAccess", "Enabled"),
        messages: [
          /^publicNetworkAccess is "Enabled": the registry's models and environments can be reached from the internet/,
        ],
      },
      {
        title: "absent (Azure: Enabled)",
        resource: withProp(registry, "publicNetworkAccess", undefined),
        messages: [/^publicNetworkAccess is not set \(Azure defaults to Enabled\): .* set it to "Disabled"/],
      },
    ],
    unknown: [
      { title: "publicNetworkAccess unknown", resource: withProp(registry, "publicNetworkAccess", UNKNOWN.string) },
    ],
  },
  {
    policy: "mlops-registry-replication-regions-allowed",
    compliant: [
      { title: "only the primary region (default: nothing approved)", resource: registry },
      {
        title: "an approved second region",
        resource: replicatedRegistry("northeurope"),
        config: { allowedReplicationRegions: ["northeurope"] },
      },
      {
        title: "region names compared without case and spaces",
        resource: replicatedRegistry("North Europe"),
        config: { allowedReplicationRegions: ["NorthEurope"] },
      },
      { title: "no regionDetails (nothing replicated)", resource: withProp(registry, "regionDetails", undefined) },
    ],
    violations: [
      {
        title: "a second region nobody approved",
        resource: replicatedRegistry("eastus"),
        messages: [
          /^regionDetails\.1\.location is "eastus", not the registry's location \("westeurope"\) nor an approved replication region \(none approved\)/,
        ],
      },
      {
        title: "a region outside the configured list",
        resource: replicatedRegistry("eastus"),
        config: { allowedReplicationRegions: ["northeurope"] },
        messages: [/^regionDetails\.1\.location is "eastus", .*approved replication region \(northeurope\)/],
      },
      {
        title: "a region without a location",
        resource: withProp(replicatedRegistry(), "regionDetails.1.location", undefined),
        messages: [/^regionDetails\.1\.location is not set, not the registry's location/],
      },
    ],
    unknown: [
      {
        title: "a region's location unknown",
        resource: withProp(replicatedRegistry(), "regionDetails.1.location", UNKNOWN.string),
      },
      { title: "regionDetails unknown", resource: withProp(registry, "regionDetails", UNKNOWN.object) },
    ],
  },
  {
    policy: "mlops-environment-image-allowed-registries",
    compliant: [
      { title: "a curated mcr.microsoft.com image", resource: env },
      {
        title: "the project's own registry (cr*.azurecr.io)",
        resource: withProp(env, "properties.image", "cramlprodsei2l.azurecr.io/churn/base:1.4.0"),
      },
      { title: "a registry environment version from mcr", resource: registryEnvironmentVersion() },
      {
        title: "a configured registry",
        resource: withProp(env, "properties.image", "registry.contoso.com/ml/base:2026.06"),
        config: { allowedImageRegistries: ["registry.contoso.com"] },
      },
      { title: "a data version is ignored", resource: data },
    ],
    violations: [
      {
        title: "Docker Hub (implicit host)",
        resource: withProp(env, "properties.image", "python:3.11-slim"),
        messages: [
          /^properties.image "python:3.11-slim" comes from registry docker.io, which is not in allowedImageRegistries \(mcr.microsoft.com, cr\*.azurecr.io\)/,
        ],
      },
      {
        title: "another ACR that does not follow the project's naming",
        resource: withProp(env, "properties.image", "contosoml.azurecr.io/base:1"),
        messages: [/comes from registry contosoml.azurecr.io/],
      },
      {
        title: "a look-alike host",
        resource: withProp(env, "properties.image", "mcr.microsoft.com.evil.io/azureml/base:1"),
        messages: [/comes from registry mcr.microsoft.com.evil.io/],
      },
      {
        title: "a registry environment version from ghcr.io",
        resource: withProp(registryEnvironmentVersion(), "properties.image", "ghcr.io/someone/image:1.0"),
        messages: [/comes from registry ghcr.io/],
      },
      {
        title: "a Docker build context instead of an image",
        resource: withProp(withProp(env, "properties.image", undefined), "properties.build", {
          contextUri: "https://st.blob.core.windows.net/ctx/",
          dockerfilePath: "Dockerfile",
        }),
        messages: [
          /^properties.image is not set and properties.build names a Docker build context: its base image \(FROM\) cannot be checked/,
        ],
      },
      {
        title: "no image at all",
        resource: withProp(env, "properties.image", undefined),
        messages: [/^properties.image is not set: the environment has no base image to check/],
      },
    ],
    unknown: [
      { title: "image unknown", resource: withProp(env, "properties.image", UNKNOWN.string) },
      { title: "properties unknown", resource: withProp(env, "properties", UNKNOWN.object) },
    ],
  },
  {
    policy: "mlops-environment-image-pinned",
    compliant: [
      { title: "a dated tag", resource: env },
      {
        title: "a digest",
        resource: withProp(env, "properties.image", `mcr.microsoft.com/azureml/base@sha256:${"a".repeat(64)}`),
      },
      {
        title: "a registry host with a port and a tag",
        resource: withProp(env, "properties.image", "cramlprod1.azurecr.io:443/base:1.0"),
      },
      { title: "no image (the registry rule reports it)", resource: withProp(env, "properties.image", undefined) },
    ],
    violations: [
      {
        title: "latest",
        resource: withProp(env, "properties.image", "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest"),
        messages: [/^properties.image ".*:latest" has no tag, or the tag latest: .* pin a dated tag or a digest/],
      },
      {
        title: "no tag",
        resource: withProp(env, "properties.image", "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"),
        messages: [/has no tag, or the tag latest/],
      },
    ],
    unknown: [{ title: "image unknown", resource: withProp(env, "properties.image", UNKNOWN.string) }],
  },
  {
    policy: "mlops-data-version-datastore-uri",
    compliant: [
      { title: "a folder on an identity-based datastore", resource: data },
      {
        title: "a file on a datastore",
        resource: withProp(
          data,
          "properties.dataUri",
          "azureml://datastores/workspaceartifactstore/paths/churn/2026-06/train.parquet",
        ),
      },
      { title: "an environment version is ignored", resource: env },
    ],
    violations: [
      {
        title: "a public https URL with a SAS token (the token is not echoed)",
        resource: withProp(data, "properties.dataUri", SAS_URL),
        messages: [/^properties.dataUri ".*sig=<redacted>" is not a workspace datastore URI and carries a SAS token/],
      },
      {
        title: "a wasbs URL",
        resource: withProp(data, "properties.dataUri", "wasbs://churn@stdata.blob.core.windows.net/training/"),
        messages: [
          /^properties.dataUri "wasbs:\/\/churn@stdata.blob.core.windows.net\/training\/" is not a workspace datastore URI: point the asset at azureml:\/\/datastores/,
        ],
      },
      {
        title: "a datastore URI with a query string",
        resource: withProp(
          data,
          "properties.dataUri",
          "azureml://datastores/workspaceblobstore/paths/churn/?sv=1&sig=abc",
        ),
        messages: [/is not a workspace datastore URI and carries a SAS token/],
      },
      {
        title: "dataUri absent",
        resource: withProp(data, "properties.dataUri", undefined),
        messages: [/^properties.dataUri is not set: a data asset must point at azureml:\/\/datastores/],
      },
    ],
    unknown: [{ title: "dataUri unknown", resource: withProp(data, "properties.dataUri", UNKNOWN.string) }],
  },
];

describeMlRules("mlopsRegistry", /^mlops-/, mlopsRegistryPolicies, table);

describe("image helpers", () => {
  it("find the registry host of an image reference (Docker Hub when implicit)", () => {
    expect(imageHost(CURATED_IMAGE)).toBe("mcr.microsoft.com");
    expect(imageHost("python:3.11")).toBe("docker.io");
    expect(imageHost("library/python:3.11")).toBe("docker.io");
    expect(imageHost("localhost:5000/x:1")).toBe("localhost");
    expect(imageHost("CRabc12.azurecr.io/x:1")).toBe("crabc12.azurecr.io");
  });

  it("match * within one DNS label only", () => {
    expect(hostAllowed("cramlprod1.azurecr.io", ["cr*.azurecr.io"])).toBe(true);
    expect(hostAllowed("evil.cr1.azurecr.io", ["cr*.azurecr.io"])).toBe(false);
    expect(hostAllowed("cr1.azurecr.io.evil.com", ["cr*.azurecr.io"])).toBe(false);
    expect(hostAllowed("mcrxmicrosoft.com", ["mcr.microsoft.com"])).toBe(false);
  });

  it("treat a tag other than latest and a digest as pinned", () => {
    expect(imagePinned("a.io/b:1")).toBe(true);
    expect(imagePinned("a.io:5000/b")).toBe(false);
    expect(imagePinned("a.io/b:LATEST")).toBe(false);
  });
});

describe("mlopsRegistry rules on the shipped stacks, with the shipped policy configs", () => {
  const policyConfig = (stack: string) =>
    JSON.parse(readFileSync(resolve(__dirname, `../../policy-config.${stack}.json`), "utf8")) as Record<
      string,
      Record<string, unknown>
    >;
  let plans: Record<"dev" | "prod", Plan>;
  beforeAll(async () => {
    plans = { dev: await planStackFile("dev"), prod: await planStackFile("prod") };
  });

  it("find nothing in dev (assets, no registry) or prod (registry replicated to an approved region)", async () => {
    for (const stack of ["dev", "prod"] as const)
      expect(await planViolations(plans[stack], mlopsRegistryPolicies, policyConfig(stack))).toEqual([]);
  });

  it("see the resources they judge: environment and data versions in both stacks, the registry in prod", () => {
    const types = (stack: "dev" | "prod") => new Set(plans[stack].resources.map((r) => r.type));
    for (const stack of ["dev", "prod"] as const) {
      expect(types(stack).has("azure-native:machinelearningservices:EnvironmentVersion")).toBe(true);
      expect(types(stack).has("azure-native:machinelearningservices:DataVersion")).toBe(true);
    }
    expect(types("prod").has("azure-native:machinelearningservices:Registry")).toBe(true);
  });

  it("would stop prod's replication to northeurope without the approval in policy-config.prod.json", async () => {
    const registryInputs =
      plans.prod.resources.find((r) => r.type === "azure-native:machinelearningservices:Registry")?.inputs ?? {};
    const policy = policyNamed(mlopsRegistryPolicies, "mlops-registry-replication-regions-allowed");
    expectOneViolation(
      await runResourcePolicy(policy, { type: "azure-native:machinelearningservices:Registry", props: registryInputs }),
      /^regionDetails\.1\.location is "northeurope"/,
    );
  });
});
