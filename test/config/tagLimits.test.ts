import { TAG_LIMITS } from "secure-azureml-facts";
import { describe, expect, it } from "vitest";
import { PROGRAM_TAG_NAMES } from "../../config";
import { issuesOf, validConfig } from "../support/config";
import { planStackFile } from "../support/stack";

/** Tags within what the resources carrying them accept (Microsoft Learn, "Use tags to organize your Azure resources", Limitations). */

const MINIMUM = { location: "westeurope", namePrefix: "amldev" };
const tagsOf = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`tag${i}`, "x"]));

describe("tag limits", () => {
  it("holds the documented limits", () => {
    expect(TAG_LIMITS).toEqual({
      maxTagsPerResource: 50,
      maxTagsPerPrivateDnsResource: 15,
      maxNameLength: 512,
      maxStorageAccountNameLength: 128,
      maxValueLength: 256,
    });
  });

  it("accepts 12 tags with created private DNS zones (15 with the program's 3)", () => {
    expect(Object.keys(validConfig({ ...MINIMUM, tags: tagsOf(12) }).tags)).toHaveLength(12);
  });

  it("rejects 13 tags with created private DNS zones, naming the limit of zones and links", () => {
    const issues = issuesOf({ ...MINIMUM, tags: tagsOf(13) });
    expect(issues.map((i) => i.key)).toEqual(["secure-azureml:tags"]);
    expect(issues[0].message).toBe(
      'has 13 tags, and with the program\'s 3 (workload, managed-by, pulumi-stack) every resource would carry 16; the private DNS zones and virtual network links this stack creates (privateDns.mode create) accept at most 15: give at most 12 tags (Microsoft Learn, "Use tags to organize your Azure resources and management hierarchy", Limitations (checked 2026-12-04))',
    );
  });

  it("accepts 47 tags when the stack creates no private DNS zone, and rejects 48", () => {
    const dns = { privateDns: { mode: "azurePolicy" } };
    expect(Object.keys(validConfig({ ...MINIMUM, ...dns, tags: tagsOf(47) }).tags)).toHaveLength(47);
    expect(issuesOf({ ...MINIMUM, ...dns, tags: tagsOf(48) })[0].message).toContain(
      "every resource would carry 51; Azure accepts at most 50 on a resource: give at most 47 tags",
    );
  });

  it("rejects a tag name longer than the storage account accepts (128), though other resources take 512", () => {
    const name = "n".repeat(129);
    const issues = issuesOf({ ...MINIMUM, tags: { [name]: "x" } });
    expect(issues.map((i) => [i.key, i.value])).toEqual([
      [`secure-azureml:tags.${name}`, JSON.stringify(name).slice(0, 77) + "..."],
    ]);
    expect(issues[0].message).toBe(
      "tag names are 1-128 characters (every tag goes on the storage account, where Azure accepts at most 128)",
    );
    expect(validConfig({ ...MINIMUM, tags: { ["n".repeat(128)]: "x" } }).tags).toEqual({ ["n".repeat(128)]: "x" });
  });

  it.each(["a<b", "a>b", "50%", "r&d", "a\\b", "why?", "a/b"])("rejects the tag name %j", (name) => {
    expect(issuesOf({ ...MINIMUM, tags: { [name]: "x" } })[0].message).toBe("tag names cannot contain < > % & \\ ? /");
  });

  it("rejects a value longer than 256 characters", () => {
    expect(issuesOf({ ...MINIMUM, tags: { owner: "v".repeat(257) } })[0].message).toBe(
      "tag values are at most 256 characters",
    );
  });

  it("rejects two names that differ only in case (Azure tag names are case-insensitive)", () => {
    const issues = issuesOf({ ...MINIMUM, tags: { Environment: "dev", environment: "prod" } });
    expect(issues.map((i) => [i.key, i.message])).toEqual([
      [
        "secure-azureml:tags.environment",
        'names the same tag as "Environment": Azure tag names are case-insensitive; keep one of them',
      ],
    ]);
  });

  it.each(["workload", "Managed-By", "PULUMI-STACK"])("rejects the program's own tag %s", (name) => {
    const issues = issuesOf({ ...MINIMUM, tags: { [name]: "x" } });
    expect(issues.map((i) => i.key)).toEqual([`secure-azureml:tags.${name}`]);
    expect(issues[0].message).toContain(
      "is a tag the program sets on every resource (workload, managed-by, pulumi-stack",
    );
  });
});

describe("the program's own tags", () => {
  it("are exactly PROGRAM_TAG_NAMES on every tagged platform resource of the dev stack, besides the configured ones", async () => {
    const plan = await planStackFile("dev");
    const configured = ["environment", "cost-center"];
    const tagged = plan.resources.filter(
      (r) => r.urn.includes("::secure-azureml::") && r.inputs.tags !== undefined && typeof r.inputs.tags === "object",
    );
    expect(tagged.length).toBeGreaterThan(10);
    for (const resource of tagged)
      expect(Object.keys(resource.inputs.tags as object).sort()).toEqual([...configured, ...PROGRAM_TAG_NAMES].sort());
  });
});
