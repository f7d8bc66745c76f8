import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { sameText } from "../../support/props";
import {
  UNKNOWN,
  azureName,
  knownId,
  knownString,
  label,
  mustKnow,
  ofType,
  peek,
  resourceGroupOf,
  sourcesOf,
} from "../../support/stackGraph";
import { ML, Report, createdAfter, sameStack, workspaceOf } from "./shared";
import { TYPES } from "secure-azureml-facts";

/**
 * Rule stack-assets-exist-before-use: deployments and scheduled jobs may reference only asset
 * versions that exist when Azure receives them. An asset version inside a workspace or registry
 * that this same stack creates cannot exist on a first deploy unless a resource of the stack
 * creates it first (the referencing resource depends on it). References into workspaces and
 * registries created elsewhere are not judged here.
 *
 * Microsoft: how-to-deploy-mlflow-models-online-endpoints.md, "You can deploy only registered
 * models to online endpoints"; deployments and jobs reference assets by id
 * (reference-yaml-deployment-managed-online.md `model`, `environment`, `code_configuration.code`).
 */

type AssetKind = "models" | "environments" | "codes" | "data";

/** An asset version reference, or what an asset version resource creates (parts unknown are undefined). */
interface AssetVersion {
  home: "workspace" | "registry";
  /** Workspace or registry name (lower case). */
  container?: string;
  /** Resource group of the workspace, when the reference names it (lower case). */
  group?: string;
  kind: AssetKind;
  name?: string;
  version?: string;
}

const WORKSPACE_ASSET =
  /(?:resourcegroups\/([^/]+)\/(?:providers\/microsoft\.machinelearningservices\/)?)?workspaces\/([^/]+)\/(models|environments|codes|data)\/([^/]+)\/versions\/([^/]+)$/;
const REGISTRY_ASSET = /registries\/([^/]+)\/(models|environments|codes|data)\/([^/]+)\/versions\/([^/]+)$/;
const SHORT_ASSET = /^azureml:([^:@/\s]+):([^:@/\s]+)$/;

/** Parses a full asset version reference (ARM id, with or without an `azureml:` prefix, or an `azureml://` URI). */
function parseAssetId(text: string): AssetVersion | undefined {
  const value = text.trim().toLowerCase().replace(/\/+$/, "");
  const workspace = WORKSPACE_ASSET.exec(value);
  if (workspace)
    return {
      home: "workspace",
      group: workspace[1],
      container: workspace[2],
      kind: workspace[3] as AssetKind,
      name: workspace[4],
      version: workspace[5],
    };
  const registry = REGISTRY_ASSET.exec(value);
  if (registry)
    return {
      home: "registry",
      container: registry[1],
      kind: registry[2] as AssetKind,
      name: registry[3],
      version: registry[4],
    };
  return undefined;
}

/** Asset version resource types: what they create and where their names are. */
const CREATORS: Partial<Record<string, { home: AssetVersion["home"]; kind: AssetKind; nameKey: string }>> = {
  [TYPES.modelVersion]: { home: "workspace", kind: "models", nameKey: "name" },
  [TYPES.environmentVersion]: { home: "workspace", kind: "environments", nameKey: "name" },
  [TYPES.codeVersion]: { home: "workspace", kind: "codes", nameKey: "name" },
  [TYPES.dataVersion]: { home: "workspace", kind: "data", nameKey: "name" },
  [TYPES.registryModelVersion]: { home: "registry", kind: "models", nameKey: "modelName" },
  [TYPES.registryEnvironmentVersion]: { home: "registry", kind: "environments", nameKey: "environmentName" },
  [TYPES.registryCodeVersion]: { home: "registry", kind: "codes", nameKey: "codeName" },
  [TYPES.registryDataVersion]: { home: "registry", kind: "data", nameKey: "name" },
};

const lower = (value: string | undefined) => value?.toLowerCase();

/** What an asset version resource creates: from its id when known, else from its inputs. */
function created(resource: PolicyResource): AssetVersion | undefined {
  const shape = CREATORS[resource.type];
  if (!shape) return undefined;
  const id = knownId(resource);
  const parsed = id === undefined ? undefined : parseAssetId(id);
  if (parsed) return parsed;
  const container = knownString(peek(resource.props, shape.home === "workspace" ? "workspaceName" : "registryName"));
  return {
    home: shape.home,
    kind: shape.kind,
    container: lower(container),
    name: lower(knownString(peek(resource.props, shape.nameKey))),
    version: lower(knownString(peek(resource.props, "version"))),
  };
}

/** One asset reference of a resource: where it is and what kind of asset a short `azureml:<name>:<version>` there means. */
interface Site {
  path: string;
  kind: AssetKind;
}

const DEPLOYMENT_SITES: Site[] = [
  { path: "properties.environmentId", kind: "environments" },
  { path: "properties.codeConfiguration.codeId", kind: "codes" },
];
const MODEL_INPUT_TYPES = ["mlflow_model", "custom_model", "triton_model"];

/** The asset reference sites of a resource (schedules: only CreateJob actions; their inputs' `uri`). */
function sitesOf(resource: PolicyResource): Site[] {
  if (resource.type === ML.onlineDeployment) return [{ path: "properties.model", kind: "models" }, ...DEPLOYMENT_SITES];
  if (resource.type === ML.batchDeployment)
    return [{ path: "properties.model.assetId", kind: "models" }, ...DEPLOYMENT_SITES];
  if (resource.type !== ML.schedule) return [];
  const action = peek(resource.props, "properties.action.actionType");
  if (action === UNKNOWN) mustKnow(resource, "properties.action.actionType");
  if (!sameText(action, "CreateJob")) return [];
  const job = "properties.action.jobDefinition";
  const inputs = peek(resource.props, `${job}.inputs`);
  if (inputs === UNKNOWN) mustKnow(resource, `${job}.inputs`);
  const inputSites = Object.keys(inputs !== null && typeof inputs === "object" ? inputs : {}).map((key) => {
    const type = knownString(peek(resource.props, `${job}.inputs.${key}.jobInputType`));
    const kind: AssetKind = type !== undefined && MODEL_INPUT_TYPES.includes(type.toLowerCase()) ? "models" : "data";
    return { path: `${job}.inputs.${key}.uri`, kind };
  });
  return [
    { path: `${job}.environmentId`, kind: "environments" },
    { path: `${job}.codeId`, kind: "codes" },
    ...inputSites,
  ];
}

/** The stack's workspace or registry an asset reference points into, or undefined (created elsewhere). */
function containerInStack(
  resources: PolicyResource[],
  referrer: PolicyResource,
  asset: AssetVersion,
): PolicyResource | undefined {
  const type = asset.home === "workspace" ? ML.workspace : ML.registry;
  return ofType(resources, type).find((container) => {
    if (!sameStack(referrer, container)) return false;
    const name = azureName(container);
    if (name === undefined) return sourcesOf(referrer, "properties").some((s) => s.urn === container.urn);
    const group = resourceGroupOf(container);
    return (
      name.toLowerCase() === asset.container &&
      (asset.group === undefined || group === undefined || group.toLowerCase() === asset.group)
    );
  });
}

/** Whether an asset version resource creates the referenced version (a part unknown on either side counts when the referrer depends on it). */
function creates(resource: PolicyResource, wanted: AssetVersion, referrer: PolicyResource): boolean {
  const made = created(resource);
  if (!made || made.home !== wanted.home || made.kind !== wanted.kind) return false;
  const parts = [
    [made.container, wanted.container],
    [made.name, wanted.name],
    [made.version, wanted.version],
  ];
  if (parts.some(([a, b]) => a !== undefined && b !== undefined && a !== b)) return false;
  return parts.every(([a, b]) => a !== undefined && b !== undefined) || createdAfter(referrer, resource);
}

const KIND_NAMES: Record<AssetKind, string> = {
  models: "model",
  environments: "environment",
  codes: "code",
  data: "data",
};

/** Judges one reference: reports a violation, or returns quietly. */
function judgeReference(resources: PolicyResource[], referrer: PolicyResource, site: Site, report: Report): void {
  const value = peek(referrer.props, site.path);
  if (value === undefined || value === null) return;
  if (value === UNKNOWN) {
    const kinds = Object.entries(CREATORS)
      .filter(([, c]) => c?.kind === site.kind)
      .map(([type]) => type);
    const sources = sourcesOf(referrer, "properties");
    if (sources.some((s) => kinds.includes(s.type))) return;
    if (sources.length === 0 || sources.some((s) => s.type === ML.workspace || s.type === ML.registry))
      mustKnow(referrer, site.path);
    return;
  }
  const text = knownString(value);
  if (text === undefined) return;
  const short = SHORT_ASSET.exec(text.trim());
  let asset: AssetVersion | undefined;
  let container: PolicyResource | undefined;
  if (short) {
    container = workspaceOf(resources, referrer);
    if (container && !sameStack(referrer, container)) return;
    asset = {
      home: "workspace",
      kind: site.kind,
      container: lower(container && azureName(container)),
      name: short[1].toLowerCase(),
      version: short[2].toLowerCase(),
    };
  } else {
    asset = parseAssetId(text);
    if (!asset) return;
    container = containerInStack(resources, referrer, asset);
  }
  if (!container) return;
  const creators = resources.filter((r) => creates(r, asset, referrer));
  if (creators.some((c) => createdAfter(referrer, c))) return;
  const what = `${KIND_NAMES[asset.kind]} ${asset.name ?? "?"}:${asset.version ?? "?"}`;
  if (creators.length > 0) {
    report(
      `${label(referrer)} ${site.path} references ${what} (${text}), which ${creators.map(label).join(", ")} creates, but does not depend on it: both are created in parallel and Azure rejects a reference to an asset version that does not exist yet. Add the asset version resource to dependsOn.`,
      referrer.urn,
    );
    return;
  }
  report(
    `${label(referrer)} ${site.path} references ${what} (${text}) in ${label(container)}, which this stack creates, and no resource of the stack creates that version before it: on a first deploy the ${asset.home} is new and empty, so Azure rejects the reference. Create the asset version in the stack (and depend on it), or deploy the serving resources from a later layer once the asset is registered.`,
    referrer.urn,
  );
}

/** Rule: asset versions referenced inside workspaces and registries of the stack are created by the stack before their use. */
export function validateAssetsExistBeforeUse(args: StackValidationArgs, report: Report): void {
  for (const referrer of args.resources) {
    for (const site of sitesOf(referrer)) judgeReference(args.resources, referrer, site, report);
  }
}
