import * as ml from "@pulumi/azure-native/machinelearningservices";
import * as pulumi from "@pulumi/pulumi";
import { EnvironmentSpec, dataVersion, datastoreUri } from "./config/assetSpecs";
import type { DataAssetConfig, ModelReferenceConfig } from "./config/mlopsRegistrySchema";
import { modelReferenceUri } from "./config/mlopsRegistryRules";

/** A created asset version and the reference jobs and deployments use for it. */
export interface AssetVersionRef {
  /** The asset name. */
  name: string;
  /** The content-derived version. */
  version: string;
  /** `azureml:<name>:<version>`. */
  reference: string;
  /** The version's resource id. */
  id: pulumi.Output<string>;
}

export interface VersionedAssetsArgs {
  /** Required. Resource group of the workspace. */
  resourceGroupName: pulumi.Input<string>;
  /** Required. The workspace the environments and data assets are registered in. */
  workspaceName: pulumi.Input<string>;
  /**
   * Optional. Environments by name, with their conda spec already read from the repository
   * (`loadEnvironmentSpecs`) and a version derived from image and spec. A changed spec is a new
   * version (a new resource); the old version is never overwritten and stays in the workspace
   * (`retainOnDelete`). Default: none.
   */
  environments?: Readonly<Record<string, EnvironmentSpec>>;
  /**
   * Optional. Data assets by name, each pointing at `azureml://datastores/<datastore>/paths/<path>`
   * of an identity-based datastore; the version is a hash of type and URI, so pointing an asset
   * elsewhere creates a new version and keeps the old one. Default: none.
   */
  data?: Readonly<Record<string, DataAssetConfig>>;
  /** Optional. Model references by name (pinned version, workspace or registry). Default: none. */
  models?: Readonly<Record<string, ModelReferenceConfig>>;
  /** Conditional. Name of the ML registry; required when a model reference comes `from: registry`. */
  registryName?: string;
  /**
   * Optional. The compute cluster the private workspace builds environment images on: environment
   * versions wait for it, so the first job or deployment that uses one can be built. Default: none.
   */
  imageBuilder?: pulumi.Resource;
  /** Optional. Tags on every asset version. Default: none. */
  tags?: Record<string, string>;
}

/**
 * Versioned Azure ML assets from code: environment versions built from a curated base image and a
 * conda spec kept in the repository, data assets on identity-based datastores, and the pinned
 * model references deployments use. Versions are content hashes: a changed spec or path is a new
 * version with a new logical name; old versions are retained, never rewritten in place.
 */
export class VersionedAssets extends pulumi.ComponentResource {
  /** Environment versions by environment name. */
  public readonly environments: Readonly<Record<string, AssetVersionRef>>;
  /** Data asset versions by asset name, with the datastore URI each points at. */
  public readonly data: Readonly<Record<string, AssetVersionRef & { uri: string }>>;
  /** Model references by model name: `azureml:<name>:<version>` or `azureml://registries/<registry>/models/<name>/versions/<version>`. */
  public readonly modelReferences: Readonly<Record<string, string>>;

  constructor(name: string, args: VersionedAssetsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-azureml:assets:VersionedAssets", name, {}, opts);
    // Checked before anything is created, so a wiring mistake creates nothing.
    const orphan = Object.entries(args.models ?? {}).find(([, reference]) => reference.from === "registry" && args.registryName === undefined);
    if (orphan) throw new pulumi.ResourceError(`model reference ${orphan[0]} comes from the registry, but no registryName was given`, this);
    const placement = { resourceGroupName: args.resourceGroupName, workspaceName: args.workspaceName };
    // Asset versions are immutable in Azure ML; a new version gets a new logical name, and the old one is kept when it leaves the program.
    const keep: pulumi.CustomResourceOptions = { parent: this, retainOnDelete: true };

    this.environments = Object.fromEntries(
      Object.entries(args.environments ?? {}).map(([environment, spec]) => {
        const resource = new ml.EnvironmentVersion(
          `${name}-env-${environment}-${spec.version}`,
          {
            ...placement,
            name: environment,
            version: spec.version,
            properties: {
              image: spec.image,
              condaFile: spec.condaFile,
              osType: ml.OperatingSystemType.Linux,
              // Reproducible: a version is one image; a newer base image is a config change and a new version.
              autoRebuild: ml.AutoRebuildSetting.Disabled,
              description: spec.description,
              tags: args.tags,
            },
          },
          { ...keep, dependsOn: args.imageBuilder ? [args.imageBuilder] : [] },
        );
        return [environment, { name: environment, version: spec.version, reference: `azureml:${environment}:${spec.version}`, id: resource.id }];
      }),
    );

    this.data = Object.fromEntries(
      Object.entries(args.data ?? {}).map(([asset, config]) => {
        const version = dataVersion(config);
        const uri = datastoreUri(config.datastore, config.path);
        const common = { dataUri: uri, description: config.description, tags: args.tags };
        const properties = config.type === "uri_file" ? { ...common, dataType: ml.DataType.Uri_file } : { ...common, dataType: ml.DataType.Uri_folder };
        const resource = new ml.DataVersion(`${name}-data-${asset}-${version}`, { ...placement, name: asset, version, properties }, keep);
        return [asset, { name: asset, version, reference: `azureml:${asset}:${version}`, id: resource.id, uri }];
      }),
    );

    this.modelReferences = Object.fromEntries(Object.entries(args.models ?? {}).map(([model, reference]) => [model, modelReferenceUri(model, reference, args.registryName)]));

    this.registerOutputs({ modelReferences: this.modelReferences });
  }
}
