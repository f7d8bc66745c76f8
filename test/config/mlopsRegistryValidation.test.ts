import { describe, expect, it } from "vitest";
import { ConfigIssue } from "../../config";
import { dataVersion, environmentVersion } from "../../components/shared/assetVersions";
import { condaFilePath, loadEnvironmentSpecs, readCondaSpec } from "../../config";
import { mlRegistryName, modelReferenceUri, sharesFromWorkspace } from "../../config";
import { issuesOf, validConfig } from "../support/config";
import { temporaryProjectRoot } from "../support/projectRoot";

/** Config validation of `mlRegistry` and `assets`: every bad value is reported at its key, saying what is accepted. */

const MINIMUM = { location: "westeurope", namePrefix: "amlprod" } as const;
const SUB = "3f2a6c1e-8b4d-4e9a-9c7f-2d1b0e5a6f80";
const SHARED_REGISTRY_ID = `/subscriptions/${SUB}/resourceGroups/rg-ml-shared/providers/Microsoft.MachineLearningServices/registries/mlr-contoso-shared`;
const IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20250601.v1";
/** A conda spec shipped in the repository. */
const SHIPPED_ENV = { "churn-inference": { image: IMAGE } };

/** The one issue of a config, which must be at `key`. */
function onlyIssue(raw: Record<string, unknown>, key: string): ConfigIssue {
  const issues = issuesOf({ ...MINIMUM, ...raw });
  expect(issues.map((i) => i.key)).toEqual([`secure-azureml:${key}`]);
  return issues[0];
}

describe("mlRegistry and assets: defaults and valid settings", () => {
  it("defaults to no registry (consume mode, primary region only, zone-redundant storage) and no assets", () => {
    const config = validConfig(MINIMUM);
    expect(config.mlRegistry).toEqual({
      enabled: false,
      mode: "consume",
      replicationRegions: [],
      storageAccountType: "Standard_ZRS",
    });
    expect(config.assets).toEqual({ environments: {}, data: {}, models: {} });
  });

  it("accepts a created registry with replication, and every kind of asset, keeping every value", () => {
    const raw = {
      ...MINIMUM,
      mlRegistry: {
        enabled: true,
        mode: "publish",
        name: "mlr-contoso",
        replicationRegions: ["northeurope", "swedencentral"],
        storageAccountType: "Standard_GZRS",
      },
      assets: {
        environments: {
          "churn-inference": {
            image: IMAGE,
            condaFile: "assets/environments/churn-inference/conda.yaml",
            description: "scoring",
          },
        },
        data: {
          "churn-training": {
            type: "uri_folder",
            datastore: "workspaceblobstore",
            path: "churn/training/2026-06/",
            description: "June",
          },
          "churn-labels": { type: "uri_file", datastore: "workspaceartifactstore", path: "churn/labels/2026-06.csv" },
        },
        models: { churn: { version: "3", from: "registry" }, fraud: { version: "12", from: "workspace" } },
      },
    };
    const config = validConfig(raw);
    expect(config.mlRegistry).toEqual(raw.mlRegistry);
    expect(config.assets).toEqual(raw.assets);
  });

  it("accepts an existing shared registry in publish mode, digest-pinned ACR images, and normalises nothing it should not", () => {
    const config = validConfig({
      ...MINIMUM,
      mlRegistry: { enabled: true, mode: "publish", existingRegistryId: SHARED_REGISTRY_ID },
      assets: {
        environments: { "churn-inference": { image: `cramlprod1ab2c.azurecr.io/ml/base@sha256:${"0".repeat(64)}` } },
      },
    });
    expect(config.mlRegistry.existingRegistryId).toBe(SHARED_REGISTRY_ID);
    expect(config.assets.environments["churn-inference"].condaFile).toBeUndefined();
  });

  it("accepts the primary region among the replication regions (it is always included)", () => {
    expect(
      validConfig({ ...MINIMUM, mlRegistry: { enabled: true, replicationRegions: ["westeurope", "North Europe"] } })
        .mlRegistry.replicationRegions,
    ).toEqual(["westeurope", "North Europe"]);
  });
});

describe("mlRegistry: each bad value is reported at its key", () => {
  it("rejects a region that does not exist, naming the accepted ones", () => {
    const issue = onlyIssue(
      { mlRegistry: { enabled: true, replicationRegions: ["westeuropa"] } },
      "mlRegistry.replicationRegions[0]",
    );
    expect(issue.value).toBe('"westeuropa"');
    expect(issue.message).toMatch(/^is not an Azure region of AzureCloud; accepted: australiaeast, .*westeurope/);
  });

  it("rejects a region of another cloud", () => {
    expect(
      onlyIssue(
        { mlRegistry: { enabled: true, replicationRegions: ["usgovvirginia"] } },
        "mlRegistry.replicationRegions[0]",
      ).message,
    ).toMatch(/^is not an Azure region of AzureCloud/);
    expect(
      onlyIssue(
        {
          location: "usgovvirginia",
          cloud: "AzureUSGovernment",
          mlRegistry: { enabled: true, replicationRegions: ["northeurope"] },
        },
        "mlRegistry.replicationRegions[0]",
      ).message,
    ).toBe("is not an Azure region of AzureUSGovernment; accepted: usgovarizona, usgovtexas, usgovvirginia");
  });

  it("rejects a region listed twice", () => {
    expect(
      onlyIssue(
        { mlRegistry: { enabled: true, replicationRegions: ["northeurope", "NorthEurope"] } },
        "mlRegistry.replicationRegions[1]",
      ).message,
    ).toBe("is listed twice; list each region once");
  });

  it("rejects a registry id that is not an Azure ML registry (a workspace, a container registry, a bad name)", () => {
    for (const id of [
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/mlw-prod`,
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/crprod`,
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.MachineLearningServices/registries/-bad`,
      "mlr-amlprod",
    ]) {
      const issue = onlyIssue(
        { mlRegistry: { enabled: true, existingRegistryId: id } },
        "mlRegistry.existingRegistryId",
      );
      expect(issue.message).toMatch(
        /must be an Azure ML registry resource id: \/subscriptions\/<id>\/resourceGroups\/<rg>\/providers\/Microsoft.MachineLearningServices\/registries\/<name>/,
      );
    }
  });

  it("rejects settings of a created registry next to an existing registry id", () => {
    const issues = issuesOf({
      ...MINIMUM,
      mlRegistry: {
        enabled: true,
        existingRegistryId: SHARED_REGISTRY_ID,
        name: "mlr-mine",
        replicationRegions: ["northeurope"],
        storageAccountType: "Standard_LRS",
      },
    });
    expect(issues.map((i) => i.key).sort()).toEqual([
      "secure-azureml:mlRegistry.name",
      "secure-azureml:mlRegistry.replicationRegions",
      "secure-azureml:mlRegistry.storageAccountType",
    ]);
    for (const issue of issues)
      expect(issue.message).toMatch(
        /^applies only to a registry this stack creates, but existingRegistryId references an existing one/,
      );
  });

  it("rejects registry settings while the registry is off (they would silently do nothing)", () => {
    const issue = onlyIssue(
      { mlRegistry: { mode: "publish", existingRegistryId: SHARED_REGISTRY_ID } },
      "mlRegistry.enabled",
    );
    expect(issue.value).toBe("(missing)");
    expect(issue.message).toBe(
      "is false (the default), so mlRegistry.mode, mlRegistry.existingRegistryId has no effect; set enabled: true or remove those keys",
    );
  });

  it("rejects a bad mode, name, storage type and an unknown key, saying what is accepted", () => {
    expect(onlyIssue({ mlRegistry: { enabled: true, mode: "promote" } }, "mlRegistry.mode").message).toBe(
      'is not accepted; expected one of "publish", "consume"',
    );
    expect(onlyIssue({ mlRegistry: { enabled: true, name: "ml registry" } }, "mlRegistry.name").message).toMatch(
      /^must be 3-32 letters, digits, _ or -/,
    );
    expect(onlyIssue({ mlRegistry: { enabled: true, name: "x".repeat(33) } }, "mlRegistry.name").message).toMatch(
      /^must be 3-32/,
    );
    expect(
      onlyIssue({ mlRegistry: { enabled: true, storageAccountType: "Premium_LRS" } }, "mlRegistry.storageAccountType")
        .message,
    ).toMatch(/^is not accepted; expected one of "Standard_LRS", "Standard_ZRS"/);
    expect(
      onlyIssue({ mlRegistry: { enabled: true, replicationRegion: ["northeurope"] } }, "mlRegistry.replicationRegion")
        .message,
    ).toMatch(/^is not a known key; did you mean replicationRegions\?/);
    expect(onlyIssue({ mlRegistry: { enabled: "yes" } }, "mlRegistry.enabled").message).toMatch(
      /^has the wrong type: expected boolean/,
    );
  });
});

describe("mlRegistry.shareFromWorkspace: the workspace storage account admits the registry", () => {
  const registry = (raw: Record<string, unknown>) => validConfig({ ...MINIMUM, mlRegistry: raw }).mlRegistry;

  it("is off unless asked for: by default in publish mode, in consume mode and without a registry", () => {
    expect(
      sharesFromWorkspace(registry({ enabled: true, mode: "publish", existingRegistryId: SHARED_REGISTRY_ID })),
    ).toBe(false);
    expect(sharesFromWorkspace(registry({ enabled: true, mode: "publish" }))).toBe(false);
    expect(sharesFromWorkspace(registry({ enabled: true, mode: "consume" }))).toBe(false);
    expect(sharesFromWorkspace(registry({ enabled: true }))).toBe(false);
    expect(sharesFromWorkspace(validConfig(MINIMUM).mlRegistry)).toBe(false);
    expect(validConfig(MINIMUM).mlRegistry.shareFromWorkspace).toBeUndefined();
  });

  it("is on only with true in publish mode; false is accepted (and does nothing) in either mode", () => {
    expect(
      sharesFromWorkspace(
        registry({ enabled: true, mode: "publish", existingRegistryId: SHARED_REGISTRY_ID, shareFromWorkspace: false }),
      ),
    ).toBe(false);
    expect(sharesFromWorkspace(registry({ enabled: true, mode: "publish", shareFromWorkspace: true }))).toBe(true);
    expect(sharesFromWorkspace(registry({ enabled: true, mode: "consume", shareFromWorkspace: false }))).toBe(false);
  });

  it("rejects true in consume mode (explicit or the default), naming the key, the value and what is accepted", () => {
    for (const mode of ["consume", undefined]) {
      const issue = onlyIssue(
        { mlRegistry: { enabled: true, mode, shareFromWorkspace: true } },
        "mlRegistry.shareFromWorkspace",
      );
      expect(issue.value).toBe("true");
      expect(issue.message).toBe(
        `is true, but mlRegistry.mode is consume${mode === undefined ? " (the default)" : ""}: only a publishing stack shares assets into the registry, and a consuming one would open its workspace storage account for nothing; set mode: publish or remove shareFromWorkspace (accepted: true only with enabled: true and mode: publish; false or unset (the default: off))`,
      );
    }
  });

  it("rejects true without an enabled registry, at this key as well as at enabled", () => {
    for (const enabled of [false, undefined]) {
      const issues = issuesOf({ ...MINIMUM, mlRegistry: { enabled, mode: "publish", shareFromWorkspace: true } });
      expect(issues.map((i) => i.key).sort()).toEqual([
        "secure-azureml:mlRegistry.enabled",
        "secure-azureml:mlRegistry.shareFromWorkspace",
      ]);
      const issue = issues.find((i) => i.key === "secure-azureml:mlRegistry.shareFromWorkspace") as ConfigIssue;
      expect(issue.value).toBe("true");
      expect(issue.message).toMatch(
        /^is true, but mlRegistry\.enabled is false: there is no registry to share into, .*; accepted: true only with enabled: true and mode: publish; false or unset \(the default: off\)$/,
      );
    }
  });

  it("rejects a value that is not a boolean, saying so", () => {
    expect(
      onlyIssue(
        { mlRegistry: { enabled: true, mode: "publish", shareFromWorkspace: "yes" } },
        "mlRegistry.shareFromWorkspace",
      ).message,
    ).toMatch(/^has the wrong type: expected boolean/);
  });
});

describe("assets: each bad value is reported at its key", () => {
  it("rejects an environment whose conda spec is missing from the repository, naming the default path", () => {
    const issue = onlyIssue(
      { assets: { environments: { "fraud-train": { image: IMAGE } } } },
      "assets.environments.fraud-train.condaFile",
    );
    expect(issue.value).toBe("(missing)");
    expect(issue.message).toBe(
      "names assets/environments/fraud-train/conda.yaml, which does not exist in the repository (paths are relative to the project root)",
    );
  });

  it("rejects a spec outside the repository, an absolute path and a directory", () => {
    const at = (condaFile: string) =>
      onlyIssue(
        { assets: { environments: { churn: { image: IMAGE, condaFile } } } },
        "assets.environments.churn.condaFile",
      ).message;
    expect(at("../secrets/conda.yaml")).toMatch(
      /^is \.\.\/secrets\/conda.yaml, outside the repository; keep the spec in the repository/,
    );
    expect(at("/etc/conda.yaml")).toMatch(/outside the repository/);
    expect(at("assets/environments")).toBe(
      "names assets/environments, which is not a file; give the path of the conda YAML file",
    );
  });

  it("rejects base images that are unpinned, from unapproved registries or malformed", () => {
    const at = (image: unknown) =>
      onlyIssue({ assets: { environments: SHIPPED_ENV_WITH(image) } }, "assets.environments.churn-inference.image")
        .message;
    expect(at("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest")).toMatch(
      /^uses the tag latest, which changes without a config change; must be a pinned image/,
    );
    expect(at("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04")).toMatch(
      /^must be a pinned image from mcr.microsoft.com or an Azure container registry/,
    );
    expect(at("docker.io/library/python:3.11")).toMatch(/^comes from registry docker.io; must be a pinned image/);
    expect(at("python:3.11")).toMatch(/^must be a pinned image/);
    expect(at(42)).toMatch(/^has the wrong type: expected string, got number; must be a pinned image/);
  });

  it("rejects data assets on other datastores, with URLs, SAS tokens, escaping paths or a folder path for a file", () => {
    const at = (asset: Record<string, unknown>, field: string) =>
      onlyIssue({ assets: { data: { training: { path: "churn/", ...asset } } } }, `assets.data.training.${field}`)
        .message;
    expect(at({ datastore: "contoso_sas_store" }, "datastore")).toBe(
      'is not accepted; expected one of "workspaceblobstore", "workspaceartifactstore"',
    );
    expect(at({ path: "https://st.blob.core.windows.net/c/churn?sig=abc" }, "path")).toMatch(
      /no \? or #, no SAS tokens/,
    );
    expect(at({ path: "wasbs://c@st.blob.core.windows.net/churn/" }, "path")).toMatch(
      /^is a URL; must be a path inside the datastore/,
    );
    expect(at({ path: "/churn/" }, "path")).toMatch(
      /^must be a path inside the datastore such as churn\/training\/2026-06\//,
    );
    expect(at({ path: "churn/../../other/" }, "path")).toMatch(/no \.\. segments/);
    expect(at({ type: "uri_file", path: "churn/training/" }, "path")).toBe(
      "ends with / but type is uri_file: name one file, or use type uri_folder",
    );
    expect(at({ type: "mltable" }, "type")).toBe('is not accepted; expected one of "uri_folder", "uri_file"');
  });

  it("rejects a registry model while the registry is off, a label for a version, and a bad asset name", () => {
    expect(
      onlyIssue({ assets: { models: { churn: { version: "3", from: "registry" } } } }, "assets.models.churn.from")
        .message,
    ).toBe(
      "is registry, but mlRegistry.enabled is false: enable the registry (mlRegistry.enabled: true) or use from: workspace",
    );
    expect(
      onlyIssue({ assets: { models: { churn: { version: "latest" } } } }, "assets.models.churn.version").message,
    ).toMatch(/^must pin a version, not latest/);
    expect(onlyIssue({ assets: { models: { churn: { version: 3 } } } }, "assets.models.churn.version").message).toMatch(
      /quote it in YAML/,
    );
    expect(onlyIssue({ assets: { models: { churn: {} } } }, "assets.models.churn.version").message).toMatch(
      /^is required/,
    );
    const bad = issuesOf({ ...MINIMUM, assets: { data: { "-bad": { path: "churn/" } } } });
    expect(bad.map((i) => [i.key, i.value])).toEqual([["secure-azureml:assets.data.-bad", '"-bad"']]);
    expect(bad[0].message).toMatch(/must be 1-64 letters, digits, _, - or \., starting with a letter or digit/);
  });

  it("reports every problem of both keys in one run", () => {
    const issues = issuesOf({
      ...MINIMUM,
      mlRegistry: { enabled: true, replicationRegions: ["atlantis"], existingRegistryId: "nope" },
      assets: {
        environments: { ghost: { image: IMAGE } },
        data: { d: { path: "/abs" } },
        models: { m: { version: "latest" } },
      },
    });
    expect(issues.map((i) => i.key).sort()).toEqual(
      [
        "mlRegistry.existingRegistryId",
        "mlRegistry.replicationRegions[0]",
        "assets.environments.ghost.condaFile",
        "assets.data.d.path",
        "assets.models.m.version",
      ]
        .map((k) => `secure-azureml:${k}`)
        .sort(),
    );
  });
});

/** The shipped environment with another image. */
function SHIPPED_ENV_WITH(image: unknown): Record<string, unknown> {
  return { "churn-inference": { ...SHIPPED_ENV["churn-inference"], image } };
}

describe("conda specs and content-derived versions", () => {
  const root = temporaryProjectRoot({
    "assets/environments/a/conda.yaml": "channels: [conda-forge]\ndependencies:\n  - python=3.11\n",
    "assets/environments/crlf/conda.yaml": "channels: [conda-forge]\r\ndependencies:\r\n  - python=3.11\r\n",
    "bad/yaml.yaml": "dependencies: [python=3.11\n",
    "bad/empty.yaml": "name: x\n",
    "bad/list.yaml": "- python\n",
  });

  it("reads a spec from the default path and derives a 10-hex-digit version from image and spec", () => {
    expect(condaFilePath("a", {})).toBe("assets/environments/a/conda.yaml");
    const specs = loadEnvironmentSpecs({ a: { image: IMAGE } }, root);
    expect(specs.a).toEqual({
      image: IMAGE,
      condaFile: "channels: [conda-forge]\ndependencies:\n  - python=3.11\n",
      description: undefined,
    });
    expect(environmentVersion(specs.a.image, specs.a.condaFile)).toMatch(/^[0-9a-f]{10}$/);
  });

  it("gives a new version when the spec or the image changes, and the same one for the same content with Windows line endings", () => {
    const versionOf = (spec: { image: string; condaFile: string }) => environmentVersion(spec.image, spec.condaFile);
    const base = versionOf(loadEnvironmentSpecs({ a: { image: IMAGE } }, root).a);
    expect(
      versionOf(
        loadEnvironmentSpecs({ a: { image: IMAGE, condaFile: "assets/environments/crlf/conda.yaml" } }, root).a,
      ),
    ).toBe(base);
    expect(
      environmentVersion(
        IMAGE.replace("20250601", "20250701"),
        "channels: [conda-forge]\ndependencies:\n  - python=3.11\n",
      ),
    ).not.toBe(base);
    expect(environmentVersion(IMAGE, "channels: [conda-forge]\ndependencies:\n  - python=3.12\n")).not.toBe(base);
  });

  it("gives a data asset a new version when its type, datastore or path changes", () => {
    const asset = { type: "uri_folder", datastore: "workspaceblobstore", path: "churn/2026-06/" } as const;
    const version = dataVersion(asset);
    expect(version).toMatch(/^[0-9a-f]{10}$/);
    expect(dataVersion({ ...asset })).toBe(version);
    expect(
      new Set([
        version,
        dataVersion({ ...asset, path: "churn/2026-07/" }),
        dataVersion({ ...asset, datastore: "workspaceartifactstore" }),
        dataVersion({ ...asset, type: "uri_file" }),
      ]).size,
    ).toBe(4);
  });

  it("rejects invalid YAML, a spec without dependencies and a spec that is not a mapping", () => {
    expect(readCondaSpec(root, "bad/yaml.yaml")).toEqual({
      ok: false,
      problem: expect.stringMatching(/^names bad\/yaml.yaml, which is not valid YAML: /) as unknown,
    });
    expect(readCondaSpec(root, "bad/empty.yaml")).toEqual({
      ok: false,
      problem:
        "names bad/empty.yaml, which has no dependencies list: a conda environment file lists the packages to install under dependencies",
    });
    expect(readCondaSpec(root, "bad/list.yaml")).toEqual({
      ok: false,
      problem:
        "names bad/list.yaml, which is not a conda environment file: expected a YAML mapping with a dependencies list",
    });
    expect(() => loadEnvironmentSpecs({ x: { image: IMAGE, condaFile: "bad/empty.yaml" } }, root)).toThrow(
      /^assets.environments.x.condaFile names bad\/empty.yaml, which has no dependencies list/,
    );
  });

  it("names the registry and builds model references", () => {
    expect(mlRegistryName("amlprod", {})).toBe("mlr-amlprod");
    expect(mlRegistryName("amlprod", { name: "mlr-contoso" })).toBe("mlr-contoso");
    expect(mlRegistryName("amlprod", { name: "ignored", existingRegistryId: SHARED_REGISTRY_ID })).toBe(
      "mlr-contoso-shared",
    );
    expect(modelReferenceUri("churn", { version: "3", from: "workspace" })).toBe("azureml:churn:3");
    expect(modelReferenceUri("churn", { version: "3", from: "registry" }, "mlr-amlprod")).toBe(
      "azureml://registries/mlr-amlprod/models/churn/versions/3",
    );
    expect(() => modelReferenceUri("churn", { version: "3", from: "registry" })).toThrow(/no ML registry is enabled/);
  });
});
