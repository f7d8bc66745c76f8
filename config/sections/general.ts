import { z } from "zod";
import {
  CLOUDS,
  CLOUD_NAMES,
  RESERVED_NAME_WORDS,
  RESERVED_NAME_SOURCE,
  TAG_LIMITS,
  TAG_LIMITS_SOURCE,
  reservedWordsIn,
} from "secure-azureml-facts";
import { cloudOf, cloudSchema, normaliseLocation } from "../shared/cloud";
import type { ConfigProblem, ConfigRule } from "../shared/errors";
import { TAG_NAME_FORBIDDEN } from "../shared/patterns";
import { matching } from "../shared/primitives";
import { RawRecord, isRecord, recordAt } from "../shared/raw";
import { parseWith } from "../shared/rawParse";

/** The top-level keys that place and name the stack: `location`, `cloud`, `namePrefix`, `resourceGroupName`, `tags`, and their rules. */

/**
 * Tags the program sets on every resource besides the configured ones: the names of
 * {@link programTags}, which the platform applies (platform/environment.ts).
 */
export const PROGRAM_TAG_NAMES = ["workload", "managed-by", "pulumi-stack"] as const;
export type ProgramTagName = (typeof PROGRAM_TAG_NAMES)[number];

/**
 * The tags the program adds to the configured ones on every resource of a stack, in this order
 * after them. Typed by {@link PROGRAM_TAG_NAMES}, so the names the config's tag rules reserve and
 * count are exactly the ones set.
 */
export function programTags(stack: string): Record<ProgramTagName, string> {
  return { workload: "azure-ml", "managed-by": "pulumi", "pulumi-stack": stack };
}

// Every tag lands on the storage account, whose tag names Azure limits to 128 characters (512 elsewhere).
const TAG_NAME_MESSAGE = `tag names are 1-${TAG_LIMITS.maxStorageAccountNameLength} characters (every tag goes on the storage account, where Azure accepts at most ${TAG_LIMITS.maxStorageAccountNameLength})`;

const tags = z.record(
  z
    .string()
    .min(1, TAG_NAME_MESSAGE)
    .max(TAG_LIMITS.maxStorageAccountNameLength, TAG_NAME_MESSAGE)
    .refine((k) => !TAG_NAME_FORBIDDEN.test(k), "tag names cannot contain < > % & \\ ? /"),
  z
    .string("tag values must be strings (quote numbers and booleans)")
    .max(TAG_LIMITS.maxValueLength, `tag values are at most ${TAG_LIMITS.maxValueLength} characters`),
);

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

/** Where the name prefix appears in names with a public host name (platform/naming.ts). */
const PREFIX_IN_PUBLIC_NAMES = (prefix: string) =>
  `Key Vault kv-${prefix}-<suffix>.vault.azure.net, workspace mlw-${prefix}-<suffix>, storage account st${prefix}<suffix>, container registry cr${prefix}<suffix>`;

const RESERVED_WORDS_ACCEPTED = `a prefix that is none of ${RESERVED_NAME_WORDS.reserved.filter((w) => /^[A-Z0-9]+$/.test(w)).join(", ")} and does not contain ${RESERVED_NAME_WORDS.substring.join(" or ")} (${RESERVED_NAME_SOURCE})`;

/**
 * Names of resources with a public host name cannot use words Azure reserves (ReservedResourceName).
 * The prefix is a whole `-`-separated word of the Key Vault and workspace names, and part of the
 * storage account and registry names; no such name starts with it (LOGIN is allowed later in a name).
 */
function reservedNameRule(raw: RawRecord): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const prefix = parseWith(namePrefixSchema, raw.namePrefix);
  if (prefix !== undefined) {
    const uses = reservedWordsIn(prefix).filter((use) => use.rule !== "start");
    if (uses.length > 0)
      problems.push({
        path: ["namePrefix"],
        message: `puts the reserved word ${uses.map((u) => u.word).join(", ")} into names with a public host name (${PREFIX_IN_PUBLIC_NAMES(prefix)}), which Azure refuses (ReservedResourceName); choose ${RESERVED_WORDS_ACCEPTED}`,
      });
  }
  const registryName = recordAt(raw, "mlRegistry")?.name;
  if (typeof registryName === "string") {
    const uses = reservedWordsIn(registryName);
    if (uses.length > 0)
      problems.push({
        path: ["mlRegistry", "name"],
        message: `uses the reserved word ${uses.map((u) => u.word).join(", ")} in an ML registry name (it has a public host name), which Azure refuses (ReservedResourceName); choose a name that is no reserved word, has none as a -separated part, does not contain ${RESERVED_NAME_WORDS.substring.join(" or ")} and does not start with ${RESERVED_NAME_WORDS.start.join(", ")} (${RESERVED_NAME_SOURCE})`,
      });
  }
  return problems;
}

/** Whether the stack creates private DNS zones and their VNet links, which carry every tag (`privateDns.mode` create, the default). */
function createsPrivateDnsZones(raw: RawRecord): boolean {
  const mode = raw.privateDns === undefined ? "create" : recordAt(raw, "privateDns")?.mode;
  return mode === "create";
}

/**
 * Tags the resources carrying them accept: the configured tags plus the program's own
 * (`PROGRAM_TAG_NAMES`) go on every resource, so together they must fit the smallest limit, 15 on
 * private DNS zones and virtual network links when the stack creates them, 50 elsewhere. Tag names
 * are case-insensitive in Azure: two that differ only in case, or one that matches a program tag,
 * would collide.
 */
function tagRules(raw: RawRecord): ConfigProblem[] {
  if (!isRecord(raw.tags)) return [];
  const names = Object.keys(raw.tags);
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const lower = name.toLowerCase();
    const programTag = PROGRAM_TAG_NAMES.find((t) => t === lower);
    const earlier = seen.get(lower);
    if (programTag !== undefined) {
      problems.push({
        path: ["tags", name],
        message: `is a tag the program sets on every resource (${PROGRAM_TAG_NAMES.join(", ")}; tag names are case-insensitive in Azure); choose another name`,
      });
    } else if (earlier !== undefined) {
      problems.push({
        path: ["tags", name],
        message: `names the same tag as ${JSON.stringify(earlier)}: Azure tag names are case-insensitive; keep one of them`,
      });
    }
    if (earlier === undefined) seen.set(lower, name);
  }
  const total = new Set([...names.map((n) => n.toLowerCase()), ...PROGRAM_TAG_NAMES]).size;
  const dns = createsPrivateDnsZones(raw);
  const limit = dns ? TAG_LIMITS.maxTagsPerPrivateDnsResource : TAG_LIMITS.maxTagsPerResource;
  if (total > limit) {
    const where = dns
      ? `the private DNS zones and virtual network links this stack creates (privateDns.mode create) accept at most ${limit}`
      : `Azure accepts at most ${limit} on a resource`;
    problems.push({
      path: ["tags"],
      message: `has ${names.length} tags, and with the program's ${PROGRAM_TAG_NAMES.length} (${PROGRAM_TAG_NAMES.join(", ")}) every resource would carry ${total}; ${where}: give at most ${limit - PROGRAM_TAG_NAMES.length} tags (${TAG_LIMITS_SOURCE})`,
    });
  }
  return problems;
}

/** Every rule of the general keys. */
export const GENERAL_RULES: readonly ConfigRule[] = [regionRule, reservedNameRule, tagRules];
