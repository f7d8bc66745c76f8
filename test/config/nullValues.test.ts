import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rawConfigFromPulumi, validatePlatformConfig, validateServingConfig } from "../../config";
import { readStackFile } from "../../plan/stackFile";

/**
 * A key given as YAML null. The Pulumi CLI hands a top-level `key: null`, `key: ~` or `key:` to the
 * program as an empty string (pulumi/pulumi#19483, "Warn about empty config values"); the offline
 * planner used to hand it over as the word "null", which passed as a name prefix.
 */

function stackFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "null-config-"));
  const path = join(dir, "Pulumi.bad.yaml");
  writeFileSync(path, yaml);
  return path;
}

const EMPTY = "is empty (YAML null, ~ or no value after the colon)";

describe("a top-level YAML null", () => {
  it("reaches the program as an empty string, as the Pulumi CLI passes it", () => {
    const { config } = readStackFile(
      stackFile(
        "config:\n  secure-azureml:location: westeurope\n  secure-azureml:namePrefix: null\n  secure-azureml:tags: ~\n  secure-azureml:storage:\n",
      ),
    );
    expect(config).toEqual({
      "secure-azureml:location": "westeurope",
      "secure-azureml:namePrefix": "",
      "secure-azureml:tags": "",
      "secure-azureml:storage": "",
    });
  });

  it.each(["", "  ", "null", "Null", "NULL", "~"])("is read as null from %j", (value) => {
    expect(rawConfigFromPulumi({ "secure-azureml:namePrefix": value })).toEqual({ namePrefix: null });
  });

  it("keeps names and other strings as they are", () => {
    expect(
      rawConfigFromPulumi({ "secure-azureml:namePrefix": "nullx", "secure-azureml:location": "westeurope" }),
    ).toEqual({ namePrefix: "nullx", location: "westeurope" });
  });

  it("is rejected for a required key, naming the key and what is accepted (not taken as the name prefix null)", () => {
    const result = validatePlatformConfig(
      rawConfigFromPulumi(
        readStackFile(stackFile("config:\n  secure-azureml:location: westeurope\n  secure-azureml:namePrefix: null\n"))
          .config,
      ),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      {
        key: "secure-azureml:namePrefix",
        value: "null",
        message: `${EMPTY}: must be 2-8 lowercase letters or digits, starting with a letter (it is part of every resource name); give a value, or remove the key to use its default where it has one`,
      },
    ]);
  });

  it("is rejected for a key with a default (a section), rather than silently taking the default", () => {
    const result = validatePlatformConfig(
      rawConfigFromPulumi({
        "secure-azureml:location": "westeurope",
        "secure-azureml:namePrefix": "amldev",
        "secure-azureml:storage": "",
      }),
    );
    expect(result.ok ? [] : result.issues.map((i) => [i.key, i.message.slice(0, EMPTY.length)])).toEqual([
      ["secure-azureml:storage", EMPTY],
    ]);
  });

  it("is rejected inside a structured value too", () => {
    const result = validatePlatformConfig(
      rawConfigFromPulumi({
        "secure-azureml:location": "westeurope",
        "secure-azureml:namePrefix": "amldev",
        "secure-azureml:network": JSON.stringify({
          mode: "create",
          addressSpace: "10.0.0.0/16",
          privateEndpointSubnet: null,
        }),
      }),
    );
    expect(result.ok ? [] : result.issues.map((i) => i.key)).toEqual(["secure-azureml:network.privateEndpointSubnet"]);
    expect(result.ok ? "" : result.issues[0].message).toContain(EMPTY);
  });

  it("is rejected for the serving stack's platformStack, instead of silently using the default platform stack", () => {
    const platform = { location: "westeurope", namePrefix: "amldev" };
    const result = validateServingConfig(
      platform,
      rawConfigFromPulumi({ "secure-azureml-serving:platformStack": "" }, "secure-azureml-serving"),
    );
    expect(result.ok ? [] : result.issues.map((i) => [i.key, i.message.slice(0, EMPTY.length)])).toEqual([
      ["secure-azureml-serving:platformStack", EMPTY],
    ]);
  });
});
