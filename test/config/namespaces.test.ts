import { describe, expect, it } from "vitest";
import { SERVING_PROJECT_NAME, readPulumiConfig, validatePlatformConfig, validateServingConfig } from "../../config";

/**
 * Stack file keys no program reads: Pulumi passes every namespace's keys to a program
 * (`pulumi.runtime.allConfig()`), and a key under a near miss of the project's namespace would be
 * silently ignored.
 */

const VALID = { "secure-azureml:location": "westeurope", "secure-azureml:namePrefix": "amldev" };

function platformIssues(all: Record<string, string>) {
  const { raw, unreadKeys } = readPulumiConfig(all);
  const result = validatePlatformConfig(raw, { unreadKeys });
  return result.ok ? [] : result.issues;
}

describe("keys under a near miss of the platform namespace", () => {
  it.each(["secure-azurml", "secure_azureml", "Secure-AzureML", "secureazureml", "secure-azureml2", "secure-azure-ml"])(
    "%s:tags is rejected with the key to write instead",
    (namespace) => {
      const issues = platformIssues({ ...VALID, [`${namespace}:tags`]: '{"owner":"ml"}' });
      expect(issues).toEqual([
        {
          key: `${namespace}:tags`,
          value: JSON.stringify('{"owner":"ml"}'),
          message: `is never read: its namespace "${namespace}" is not the project's "secure-azureml", so Pulumi passes it to no program and the setting would be silently ignored; write it as secure-azureml:tags`,
        },
      ]);
    },
  );

  it("is reported with the rest: a misspelt required key also leaves it missing", () => {
    const issues = platformIssues({ "secure-azurml:location": "westeurope", "secure-azureml:namePrefix": "amldev" });
    expect(issues.map((i) => i.key)).toEqual(["secure-azurml:location", "secure-azureml:location"]);
  });

  it("leaves other tools' namespaces alone", () => {
    expect(
      platformIssues({ ...VALID, "azure-native:location": "westeurope", "azure:location": "x", "aws:region": "y" }),
    ).toEqual([]);
  });

  it("rejects serving keys in the platform stack file, saying where they go", () => {
    const issues = platformIssues({ ...VALID, "secure-azureml-serving:endpoints": "{}" });
    expect(issues.map((i) => [i.key, i.message])).toEqual([
      [
        "secure-azureml-serving:endpoints",
        "is never read here: the secure-azureml-serving project's namespace, which this secure-azureml stack does not read; serving keys go in serving/Pulumi.<stack>.yaml as secure-azureml-serving:endpoints",
      ],
    ]);
  });

  it("rejects a near miss of the serving namespace in the platform stack file too", () => {
    expect(platformIssues({ ...VALID, "secure-azureml-servng:models": "{}" }).map((i) => i.message)).toEqual([
      'is never read here: "secure-azureml-servng" looks like "secure-azureml-serving", the secure-azureml-serving project\'s namespace, which this secure-azureml stack does not read; serving keys go in serving/Pulumi.<stack>.yaml as secure-azureml-serving:models',
    ]);
  });
});

describe("keys under a near miss of the serving namespace", () => {
  const platform = { location: "westeurope", namePrefix: "amldev" };
  const servingIssues = (all: Record<string, string>) => {
    const { raw, unreadKeys } = readPulumiConfig(all, SERVING_PROJECT_NAME);
    const result = validateServingConfig(platform, raw, { unreadKeys });
    return result.ok ? [] : result.issues;
  };

  it.each(["secure-azureml-servng", "secure_azureml_serving", "secure-azureml-serve"])(
    "%s:endpoints is rejected",
    (namespace) => {
      expect(servingIssues({ [`${namespace}:endpoints`]: "{}" })).toEqual([
        {
          key: `${namespace}:endpoints`,
          value: '"{}"',
          message: `is never read: its namespace "${namespace}" is not the project's "secure-azureml-serving", so Pulumi passes it to no program and the setting would be silently ignored; write it as secure-azureml-serving:endpoints`,
        },
      ]);
    },
  );

  it("rejects platform keys in the serving stack file, saying where they go", () => {
    expect(servingIssues({ "secure-azureml:tags": '{"a":"b"}' }).map((i) => [i.key, i.message])).toEqual([
      [
        "secure-azureml:tags",
        "is never read here: the secure-azureml project's namespace, which this secure-azureml-serving stack does not read; platform keys go in the root Pulumi.<stack>.yaml as secure-azureml:tags",
      ],
    ]);
  });

  it("accepts the serving namespace and other tools' keys", () => {
    expect(servingIssues({ "azure-native:location": "westeurope", "secure-azureml-serving:endpoints": "{}" })).toEqual(
      [],
    );
  });
});

describe("keys of the serving stack file that are not serving keys", () => {
  const platform = { location: "westeurope", namePrefix: "amldev" };
  const servingIssues = (serving: Record<string, unknown>) => {
    const result = validateServingConfig(platform, serving);
    return result.ok ? [] : result.issues;
  };
  const ACCEPTED =
    "accepted keys: endpoints, batchEndpoints, modelMonitoring, retraining, models, platformStack (platform keys go in the root Pulumi.<stack>.yaml)";

  it("names a near miss of a serving key, and shows a long value cut like every other value", () => {
    expect(servingIssues({ endpoint: { churn: { description: "x".repeat(200) } } })).toEqual([
      {
        key: "secure-azureml-serving:endpoint",
        value: `${JSON.stringify({ churn: { description: "x".repeat(200) } }).slice(0, 77)}...`,
        message: `is not a serving key; did you mean endpoints? ${ACCEPTED}`,
      },
    ]);
  });

  it("lists the serving keys for a key close to none of them", () => {
    expect(servingIssues({ location: "westeurope" })).toEqual([
      { key: "secure-azureml-serving:location", value: '"westeurope"', message: `is not a serving key; ${ACCEPTED}` },
    ]);
  });

  it("says an empty platformStack is empty and what to give instead", () => {
    expect(servingIssues({ platformStack: null })).toEqual([
      {
        key: "secure-azureml-serving:platformStack",
        value: "null",
        message:
          "is empty (YAML null, ~ or no value after the colon): give the platform stack as <org>/secure-azureml/<stack>, or remove the key to use organization/secure-azureml/<this stack's name>",
      },
    ]);
  });
});
