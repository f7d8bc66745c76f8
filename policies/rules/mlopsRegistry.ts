import { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { ADVISORY, BaselineResourcePolicy, MANDATORY } from "../support/baseline";
import { TYPES, forType, normaliseRegion, shown } from "../support/ml";
import { sameText, valueAt } from "../support/props";

/**
 * Rules for the Azure ML registry and the versioned assets of the MLOps promotion path
 * (azure-native v3). `Registry` inputs are flattened (`publicNetworkAccess`, `regionDetails`);
 * `EnvironmentVersion`, `RegistryEnvironmentVersion` and `DataVersion` keep a `properties` object
 * (`properties.image`, `properties.build`, `properties.dataUri`).
 */

/** Registries environment images may come from by default: Microsoft's curated images and the project's own ACRs (`cr<prefix><suffix>`). */
export const DEFAULT_ALLOWED_IMAGE_REGISTRIES: readonly string[] = ["mcr.microsoft.com", "cr*.azurecr.io"];

/** The registry host of an image reference; Docker Hub when the first segment is not a host (`python:3.11`, `library/python`). */
export function imageHost(image: string): string {
  const first = image.trim().split("/")[0];
  const isHost = image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return (isHost ? first.replace(/:\d+$/, "") : "docker.io").toLowerCase();
}

/** Whether a host matches an allow-list entry: exact, or with `*` matching within one DNS label (`cr*.azurecr.io`, `*.azurecr.io`). */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => {
    const pattern = entry
      .trim()
      .toLowerCase()
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join("[^.]*");
    return new RegExp(`^${pattern}$`).test(host.toLowerCase());
  });
}

/** True when the image names a tag other than `latest`, or a digest. */
export function imagePinned(image: string): boolean {
  if (/@sha256:[a-f0-9]{64}$/i.test(image.trim())) return true;
  const lastSegment = image.trim().split("/").pop() ?? "";
  const tag = lastSegment.includes(":") ? lastSegment.split(":").pop() : undefined;
  return tag !== undefined && tag !== "" && tag.toLowerCase() !== "latest";
}

/** Runs `check` for workspace and registry environment versions. */
function forEnvironmentVersions(check: (args: ResourceValidationArgs, report: ReportViolation) => void) {
  return (args: ResourceValidationArgs, report: ReportViolation) => {
    if (args.type === TYPES.environmentVersion || args.type === TYPES.registryEnvironmentVersion) check(args, report);
  };
}

interface ReplicationConfig {
  allowedReplicationRegions: string[];
}

interface ImageConfig {
  allowedImageRegistries: string[];
}

const DATASTORE_URI = /^azureml:\/\/datastores\/[^/?#]+\/paths\/[^?#]+$/i;

export const mlopsRegistryPolicies: BaselineResourcePolicy[] = [
  {
    name: "mlops-registry-public-network-disabled",
    description:
      "Azure ML registries must not be reachable from public networks (publicNetworkAccess Disabled, reached through a private endpoint with group id amlregistry); an absent publicNetworkAccess counts as Enabled, the service default.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      'Set `publicNetworkAccess: "Disabled"` on the azure-native:machinelearningservices:Registry and create a private endpoint with groupIds ["amlregistry"] in the privatelink.api.azureml.ms zone.',
    validateResource: forType(TYPES.mlRegistry, (args, report) => {
      const value = valueAt(args.props, "publicNetworkAccess");
      if (sameText(value, "Disabled")) return;
      const shownValue = value === undefined ? "not set (Azure defaults to Enabled)" : shown(value);
      report(
        `publicNetworkAccess is ${shownValue}: the registry's models and environments can be reached from the internet; set it to "Disabled" and use a private endpoint.`,
      );
    }),
  },
  {
    name: "mlops-registry-replication-regions-allowed",
    description:
      "Azure ML registries replicate models and environments only to approved regions: every regionDetails[].location is the registry's own location or in config allowedReplicationRegions (default none: the registry stays in its primary region).",
    enforcementLevel: MANDATORY,
    severity: "medium",
    remediationSteps:
      "Remove the region from `regionDetails` of the azure-native:machinelearningservices:Registry (the `mlRegistry.replicationRegions` stack config key), or add it to this policy's allowedReplicationRegions after a data-residency review.",
    configSchema: {
      properties: {
        allowedReplicationRegions: {
          type: "array",
          items: { type: "string" },
          default: [],
          description:
            "Region names a registry may replicate to besides its own location, e.g. northeurope. Default: none.",
        },
      },
    },
    validateResource: forType(TYPES.mlRegistry, (args, report) => {
      const { allowedReplicationRegions } = args.getConfig<ReplicationConfig>();
      const location = valueAt(args.props, "location");
      const allowed = new Set(
        [...allowedReplicationRegions, ...(typeof location === "string" ? [location] : [])].map(normaliseRegion),
      );
      const regions = valueAt(args.props, "regionDetails");
      if (!Array.isArray(regions)) return;
      regions.forEach((_, index) => {
        const region = valueAt(args.props, `regionDetails.${index}.location`);
        if (typeof region === "string" && allowed.has(normaliseRegion(region))) return;
        report(
          `regionDetails.${index}.location is ${shown(region)}, not the registry's location (${shown(location)}) nor an approved replication region (${allowedReplicationRegions.join(", ") || "none approved"}): registry assets would be copied there; remove the region or approve it.`,
        );
      });
    }),
  },
  {
    name: "mlops-environment-image-allowed-registries",
    description:
      "Azure ML environment versions (workspace and registry) are built only from base images in approved registries (config allowedImageRegistries, default mcr.microsoft.com and the project's container registries cr*.azurecr.io); a Docker build context cannot be checked and counts as a violation.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Set `properties.image` of the azure-native:machinelearningservices:EnvironmentVersion to a curated image such as mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:<tag> (or an image in the workspace's own registry) with `properties.condaFile` for packages, instead of `properties.build`; or add the registry to allowedImageRegistries after review.",
    configSchema: {
      properties: {
        allowedImageRegistries: {
          type: "array",
          items: { type: "string" },
          default: [...DEFAULT_ALLOWED_IMAGE_REGISTRIES],
          description:
            "Registry hosts base images may come from; `*` matches within one DNS label (cr*.azurecr.io). Default: mcr.microsoft.com and cr*.azurecr.io.",
        },
      },
    },
    validateResource: forEnvironmentVersions((args, report) => {
      const { allowedImageRegistries } = args.getConfig<ImageConfig>();
      const image = valueAt(args.props, "properties.image");
      if (image === undefined) {
        const build = valueAt(args.props, "properties.build");
        report(
          build === undefined
            ? "properties.image is not set: the environment has no base image to check; set properties.image to an image from an approved registry."
            : "properties.image is not set and properties.build names a Docker build context: its base image (FROM) cannot be checked against allowedImageRegistries; use properties.image with properties.condaFile.",
        );
        return;
      }
      if (typeof image !== "string") {
        report(
          `properties.image is ${shown(image)}, not an image reference; set it to an image from an approved registry.`,
        );
        return;
      }
      const host = imageHost(image);
      if (hostAllowed(host, allowedImageRegistries)) return;
      report(
        `properties.image ${shown(image)} comes from registry ${host}, which is not in allowedImageRegistries (${allowedImageRegistries.join(", ")}): unreviewed base images can carry anything into training and scoring.`,
      );
    }),
  },
  {
    name: "mlops-environment-image-pinned",
    description:
      "Azure ML environment versions name their base image by a tag other than latest, or by digest, so one version is always built from the same image (a version with a moving tag changes underneath its users). Advisory: reproducibility, not access; a stack's policy config can raise it.",
    enforcementLevel: ADVISORY,
    severity: "medium",
    remediationSteps:
      "Set `properties.image` of the azure-native:machinelearningservices:EnvironmentVersion to `<registry>/<repository>:<dated tag>` (e.g. mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20250601.v1) or `<registry>/<repository>@sha256:<digest>`.",
    validateResource: forEnvironmentVersions((args, report) => {
      const image = valueAt(args.props, "properties.image");
      if (typeof image !== "string" || imagePinned(image)) return;
      report(
        `properties.image ${shown(image)} has no tag, or the tag latest: the image behind this environment version can change; pin a dated tag or a digest.`,
      );
    }),
  },
  {
    name: "mlops-data-version-datastore-uri",
    description:
      "Azure ML data assets point only at workspace datastores (properties.dataUri azureml://datastores/<datastore>/paths/<path>), which are read with Entra ID identities; public URLs (https, wasbs, abfss), and any URI with a query string such as a SAS token, are violations.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Set `properties.dataUri` of the azure-native:machinelearningservices:DataVersion to azureml://datastores/<identity-based datastore>/paths/<path> (for this project: the `assets.data` stack config key with datastore and path), never a URL with a SAS token.",
    validateResource: forType(TYPES.dataVersion, (args, report) => {
      const uri = valueAt(args.props, "properties.dataUri");
      if (typeof uri === "string" && DATASTORE_URI.test(uri.trim())) return;
      if (typeof uri !== "string") {
        report(
          `properties.dataUri is ${shown(uri)}: a data asset must point at azureml://datastores/<datastore>/paths/<path>.`,
        );
        return;
      }
      const sas = /[?&](sig|sv|se)=/i.test(uri)
        ? " and carries a SAS token (a bearer credential stored in the asset)"
        : "";
      report(
        `properties.dataUri ${shown(uri.replace(/([?&]sig=)[^&]*/i, "$1<redacted>"))} is not a workspace datastore URI${sas}: point the asset at azureml://datastores/<datastore>/paths/<path> of an identity-based datastore.`,
      );
    }),
  },
];
