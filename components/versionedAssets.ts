import * as ml from "@pulumi/azure-native/machinelearningservices";
import * as pulumi from "@pulumi/pulumi";
import { datastoreUri, modelReferenceUri } from "secure-azureml-facts";
import { dataVersion, environmentVersion } from "./shared/assetVersions";

/** What a data asset points at: a folder of files or one file. */
export const DataAssetType = { UriFolder: "uri_folder", UriFile: "uri_file" } as const;
export type DataAssetType = (typeof DataAssetType)[keyof typeof DataAssetType];

/** The workspace's identity-based datastores a data asset may point into. */
export const IdentityDatastore = {
  WorkspaceBlobStore: "workspaceblobstore",
  WorkspaceArtifactStore: "workspaceartifactstore",
} as const;
export type IdentityDatastore = (typeof IdentityDatastore)[keyof typeof IdentityDatastore];

/** Where a pinned model comes from: this stack's workspace or its ML registry. */
export const ModelSource = { Workspace: "workspace", Registry: "registry" } as const;
export type ModelSource = (typeof ModelSource)[keyof typeof ModelSource];

/** An environment version to create. */
export interface EnvironmentAssetArgs {
  /** Required. The pinned base image (a curated Azure ML image, by digest or fixed tag). */
  image: string;
  /** Required. The conda spec's contents (YAML text), read by the caller: the component reads no files. */
  condaFile: string;
  /** Optional. The version. Default: a hash of `image` and `condaFile`, so a changed spec is a new version. */
  version?: string;
  /** Optional. Description of the environment version. Default: none. */
  description?: string;
}

/** A data asset on an identity-based datastore. */
export interface DataAssetArgs {
  /** Required. A folder (`uri_folder`) or one file (`uri_file`). */
  type: DataAssetType;
  /** Required. The datastore the path is in. */
  datastore: IdentityDatastore;
  /** Required. Path inside the datastore; use dated or otherwise immutable paths (a version points at a location, not a copy). */
  path: string;
  /** Optional. Description of the data version. Default: none. */
  description?: string;
}

/** A pinned model reference. */
export interface ModelReferenceArgs {
  /** Required. The pinned model version (never a label such as `latest`). */
  version: string;
  /** Required. Where the model is registered; `registry` needs `registryName`. */
  from: ModelSource;
}

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

/** A created data asset version, with the datastore URI it points at. */
export interface DataVersionRef extends AssetVersionRef {
  /** `azureml://datastores/<datastore>/paths/<path>`. */
  uri: string;
}

export interface VersionedAssetsArgs {
  /** Required. Resource group of the workspace. */
  resourceGroupName: pulumi.Input<string>;
  /** Required. The workspace the environments and data assets are registered in. */
  workspaceName: pulumi.Input<string>;
  /**
   * Optional. Environments by name, each with its base image and the contents of its conda spec
   * (the caller reads the file). A changed spec is a new version (a new resource); the old
   * version is never overwritten and stays in the workspace (`retainOnDelete`). Default: none.
   */
  environments?: Record<string, EnvironmentAssetArgs>;
  /**
   * Optional. Data assets by name, each pointing at `azureml://datastores/<datastore>/paths/<path>`
   * of an identity-based datastore; the version is a hash of type and URI, so pointing an asset
   * elsewhere creates a new version and keeps the old one. Default: none.
   */
  data?: Record<string, DataAssetArgs>;
  /** Optional. Model references by name (pinned version, workspace or registry). Default: none. */
  models?: Record<string, ModelReferenceArgs>;
  /** Conditional. Name of the ML registry; required when a model reference comes `from: registry`. */
  registryName?: string;
  /**
   * Optional. The compute cluster the private workspace builds environment images on: environment
   * versions wait for it, so the first job or deployment that uses one can be built. Default: none.
   */
  imageBuilder?: ml.Compute;
  /** Optional. Tags on every asset version. Default: none. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * Versioned Azure ML assets from code: environment versions built from a curated base image and a
 * conda spec kept in the repository, data assets on identity-based datastores, and the pinned
 * model references deployments use. Versions are content hashes: a changed spec or path is a new
 * version with a new logical name; old versions are retained, never rewritten in place.
 */
export class VersionedAssets extends pulumi.ComponentResource {
  /** Environment versions by environment name. */
  public readonly environments: Record<string, AssetVersionRef>;
  /** Data asset versions by asset name, with the datastore URI each points at. */
  public readonly data: Record<string, DataVersionRef>;
  /** Model references by model name: `azureml:<name>:<version>` or `azureml://registries/<registry>/models/<name>/versions/<version>`. */
  public readonly modelReferences: Record<string, string>;

  constructor(name: string, args: VersionedAssetsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "secure-azureml:index:VersionedAssets",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ type: "secure-azureml:assets:VersionedAssets" }] }),
    );
    // Checked before anything is created, so a wiring mistake creates nothing.
    const orphan = Object.entries(args.models ?? {}).find(
      ([, reference]) => reference.from === "registry" && args.registryName === undefined,
    );
    if (orphan)
      throw new pulumi.ResourceError(
        `model reference ${orphan[0]} comes from the registry, but no registryName was given`,
        this,
      );
    const placement = { resourceGroupName: args.resourceGroupName, workspaceName: args.workspaceName };
    // Asset versions are immutable in Azure ML; a new version gets a new logical name, and the old one is kept when it leaves the program.
    const keep: pulumi.CustomResourceOptions = { parent: this, retainOnDelete: true };

    this.environments = Object.fromEntries(
      Object.entries(args.environments ?? {}).map(([environment, asset]) => {
        const spec = { ...asset, version: asset.version ?? environmentVersion(asset.image, asset.condaFile) };
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
        return [
          environment,
          {
            name: environment,
            version: spec.version,
            reference: `azureml:${environment}:${spec.version}`,
            id: resource.id,
          },
        ];
      }),
    );

    this.data = Object.fromEntries(
      Object.entries(args.data ?? {}).map(([asset, config]) => {
        const version = dataVersion(config);
        const uri = datastoreUri(config.datastore, config.path);
        const common = { dataUri: uri, description: config.description, tags: args.tags };
        const properties =
          config.type === "uri_file"
            ? { ...common, dataType: ml.DataType.Uri_file }
            : { ...common, dataType: ml.DataType.Uri_folder };
        const resource = new ml.DataVersion(
          `${name}-data-${asset}-${version}`,
          { ...placement, name: asset, version, properties },
          keep,
        );
        return [asset, { name: asset, version, reference: `azureml:${asset}:${version}`, id: resource.id, uri }];
      }),
    );

    this.modelReferences = Object.fromEntries(
      Object.entries(args.models ?? {}).map(([model, reference]) => [
        model,
        modelReferenceUri(model, reference, args.registryName),
      ]),
    );

    this.registerOutputs({ modelReferences: this.modelReferences });
  }
}
