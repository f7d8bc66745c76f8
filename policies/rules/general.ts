import { BaselineResourcePolicy, MANDATORY } from "../support/baseline";
import { includesText, normaliseRegion, shown } from "../support/ml";

interface LocationConfig {
  allowedLocations: string[];
}

/** Rules that apply to every Azure resource, whatever its family. */
export const generalPolicies: BaselineResourcePolicy[] = [
  {
    name: "azure-location-allowed",
    description:
      "Azure resources are created only in approved regions (data residency); `global` (private DNS zones, action groups) is always allowed. With an empty allow-list (the default) the rule checks nothing: set allowedLocations in the policy config.",
    enforcementLevel: MANDATORY,
    severity: "high",
    remediationSteps:
      "Set the resource's `location` to one of the regions in the policy config's allowedLocations (for this project: the `location` stack config key), or add the region to allowedLocations after a data-residency review.",
    configSchema: {
      properties: {
        allowedLocations: {
          type: "array",
          items: { type: "string" },
          default: [],
          description: "Approved Azure region names, e.g. westeurope. Empty: no restriction.",
        },
      },
    },
    validateResource: (args, report) => {
      if (!args.type.startsWith("azure-native:")) return;
      const { allowedLocations } = args.getConfig<LocationConfig>();
      if (allowedLocations.length === 0) return;
      const location: unknown = args.props.location;
      if (typeof location !== "string") return;
      const normalised = normaliseRegion(location);
      if (normalised === "global" || includesText(allowedLocations.map(normaliseRegion), normalised)) return;
      report(
        `location is ${shown(location)}, which is not an approved region (${allowedLocations.join(", ")}); deploy to an approved region.`,
      );
    },
  },
];
