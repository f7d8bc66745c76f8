import { z } from "zod";
import { CLOUDS, CLOUD_NAMES } from "secure-azureml-facts";
import { cloudOf, cloudSchema, normaliseLocation } from "../shared/cloud";
import type { ConfigProblem, ConfigRule } from "../shared/errors";
import { TAG_NAME_FORBIDDEN } from "../shared/patterns";
import { matching } from "../shared/primitives";
import type { RawRecord } from "../shared/raw";
import { parseWith } from "../shared/rawParse";

/** The top-level keys that place and name the stack: `location`, `cloud`, `namePrefix`, `resourceGroupName`, `tags`, and their rules. */

const tags = z
  .record(
    z
      .string()
      .min(1, "tag names are 1-512 characters")
      .max(512, "tag names are 1-512 characters")
      .refine((k) => !TAG_NAME_FORBIDDEN.test(k), "tag names cannot contain < > % & \\ ? /"),
    z
      .string("tag values must be strings (quote numbers and booleans)")
      .max(256, "tag values are at most 256 characters"),
  )
  .refine((t) => Object.keys(t).length <= 45, "at most 45 tags (Azure allows 50; the project adds its own)");

const LOCATION_MESSAGE =
  "must be an Azure region name of the chosen cloud, e.g. westeurope (az account list-locations)";

export const locationSchema = z.string(LOCATION_MESSAGE).min(1, LOCATION_MESSAGE);
export { cloudSchema };
export const namePrefixSchema = matching(
  /^[a-z][a-z0-9]{1,7}$/,
  "must be 2-8 lowercase letters or digits, starting with a letter (it is part of every resource name)",
);
export const resourceGroupNameSchema = matching(
  /^[-\w.()]{0,89}[-\w()]$/,
  "must be 1-90 letters, digits, - _ . ( ), not ending in a period",
);
export const tagsSchema = tags;

function regionRule(raw: RawRecord): ConfigProblem[] {
  const cloud = cloudOf(raw);
  const location = parseWith(locationSchema, raw.location);
  if (!cloud || location === undefined) return [];
  const region = normaliseLocation(location);
  const regions = CLOUDS[cloud].regions;
  if (regions.includes(region)) return [];
  const otherCloud = CLOUD_NAMES.find((name) => CLOUDS[name].regions.includes(region));
  const why = otherCloud
    ? `is a region of ${otherCloud}, not of ${cloud} (set cloud: ${otherCloud}, or pick a region of ${cloud})`
    : `is not an Azure region of ${cloud}`;
  return [{ path: ["location"], message: `${why}; accepted: ${regions.join(", ")}` }];
}

/** Every rule of the general keys. */
export const GENERAL_RULES: readonly ConfigRule[] = [regionRule];
