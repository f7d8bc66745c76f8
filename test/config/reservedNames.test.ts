import { RESERVED_NAME_WORDS, reservedWordsIn } from "secure-azureml-facts";
import { describe, expect, it } from "vitest";
import { issuesOf, validConfig } from "../support/config";

/** Words Azure refuses in names with a public host name (Microsoft Learn, "Resolve errors for reserved resource names"). */

const MINIMUM = { location: "westeurope", namePrefix: "amldev" };

describe("the reserved word catalogue", () => {
  it("applies each of the document's three rules", () => {
    expect(reservedWordsIn("azure")).toEqual([{ word: "AZURE", rule: "reserved" }]);
    expect(reservedWordsIn("kv-Xbox-a1b2c3")).toEqual([{ word: "XBOX", rule: "reserved" }]);
    expect(reservedWordsIn("stmywindows01")).toEqual([{ word: "WINDOWS", rule: "substring" }]);
    expect(reservedWordsIn("loginregistry")).toEqual([{ word: "LOGIN", rule: "start" }]);
    // A reserved word inside a longer word, and LOGIN later in a name, are accepted.
    expect(reservedWordsIn("stazuredata01")).toEqual([]);
    expect(reservedWordsIn("mlr-login")).toEqual([]);
  });

  it("holds the document's lists", () => {
    expect(RESERVED_NAME_WORDS.reserved).toHaveLength(38);
    expect(RESERVED_NAME_WORDS.reserved).toEqual(
      expect.arrayContaining(["AZURE", "OFFICE", "OFFICE365", "XBOX", "WEB.CONFIG"]),
    );
    expect(RESERVED_NAME_WORDS.substring).toEqual(["MICROSOFT", "WINDOWS"]);
    expect(RESERVED_NAME_WORDS.start).toEqual(["LOGIN"]);
  });
});

describe("namePrefix: names with a public host name cannot carry a reserved word", () => {
  it.each([
    ["azure", "AZURE"],
    ["office", "OFFICE"],
    ["office36", undefined],
    ["xbox", "XBOX"],
    ["windows", "WINDOWS"],
    ["awindows", "WINDOWS"],
  ])("%s", (prefix, word) => {
    if (word === undefined) {
      expect(validConfig({ ...MINIMUM, namePrefix: prefix }).namePrefix).toBe(prefix);
      return;
    }
    const issues = issuesOf({ ...MINIMUM, namePrefix: prefix });
    expect(issues.map((i) => [i.key, i.value])).toEqual([["secure-azureml:namePrefix", JSON.stringify(prefix)]]);
    expect(issues[0].message).toContain(
      `puts the reserved word ${word} into names with a public host name (Key Vault kv-${prefix}-<suffix>.vault.azure.net, workspace mlw-${prefix}-<suffix>`,
    );
    expect(issues[0].message).toContain(
      "Azure refuses (ReservedResourceName); choose a prefix that is none of ACCESS, AZURE, BING",
    );
    expect(issues[0].message).toContain("does not contain MICROSOFT or WINDOWS");
  });

  it("accepts a reserved word inside the prefix and LOGIN (no public name starts with the prefix)", () => {
    expect(validConfig({ ...MINIMUM, namePrefix: "myazure" }).namePrefix).toBe("myazure");
    expect(validConfig({ ...MINIMUM, namePrefix: "login" }).namePrefix).toBe("login");
  });
});

describe("mlRegistry.name", () => {
  it.each(["azure", "login-models", "microsoft-ml", "team-xbox"])("%s is rejected", (name) => {
    const issues = issuesOf({ ...MINIMUM, mlRegistry: { enabled: true, name } });
    expect(issues.map((i) => i.key)).toEqual(["secure-azureml:mlRegistry.name"]);
    expect(issues[0].message).toMatch(/^uses the reserved word (AZURE|LOGIN|MICROSOFT|XBOX) in an ML registry name/);
  });

  it("accepts a name with a reserved word inside a longer word", () => {
    expect(validConfig({ ...MINIMUM, mlRegistry: { enabled: true, name: "azureml-shared" } }).mlRegistry.name).toBe(
      "azureml-shared",
    );
  });
});
