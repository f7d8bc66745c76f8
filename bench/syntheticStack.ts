import { parse, stringify } from "yaml";

/**
 * Synthetic stacks for the scaling benchmark: the dev stack with its training clusters and online
 * endpoints multiplied (or removed), everything else unchanged. Keys keep the config schema's
 * naming rules: compute keys are at most 16 characters, endpoint keys at most 32.
 */

type Mapping = Record<string, unknown>;

const COMPUTE_KEY_MAX = 16;
const ENDPOINT_KEY_MAX = 32;

/** Used when the source stack has no cluster or no endpoint, so that scaling still means something. */
const SEED_CLUSTER: Mapping = { vmSize: "Standard_D4s_v3", maxNodes: 2 };
const SEED_ENDPOINT: Mapping = {
  description: "Benchmark seed endpoint",
  deployments: {
    blue: {
      instanceType: "Standard_E4s_v3",
      instanceCount: 1,
      model: "azureml:bench-model:1",
      environment: "azureml:bench-env:1",
    },
  },
  traffic: { blue: 100 },
};

export interface ScaledStack {
  /** The platform stack file's text (Pulumi.<stack>.yaml format). */
  yaml: string;
  /** The serving stack file's text (serving/Pulumi.<stack>.yaml format). */
  servingYaml: string;
  clusters: number;
  endpoints: number;
}

export interface SourceShape {
  /** The platform config namespace (the project name), e.g. `secure-azureml`. */
  namespace: string;
  /** The serving config namespace, e.g. `secure-azureml-serving`. */
  servingNamespace: string;
  clusters: Mapping;
  endpoints: Mapping;
  /** Entries that came from the seed because the source had none. */
  seeded: string[];
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The `n`-th copy of a key: the key itself for the first, `<key>-<n>` (shortened to fit) after. */
function copyKey(key: string, copy: number, maxLength: number): string {
  if (copy === 1) return key;
  const suffix = `-${String(copy)}`;
  return `${key.slice(0, maxLength - suffix.length).replace(/-+$/, "")}${suffix}`;
}

function replicate(entries: Mapping, factor: number, maxLength: number): Mapping {
  const scaled: Mapping = {};
  for (let copy = 1; copy <= factor; copy += 1) {
    for (const [key, value] of Object.entries(entries)) scaled[copyKey(key, copy, maxLength)] = structuredClone(value);
  }
  return scaled;
}

function configOf(document: unknown): Mapping {
  const config = isMapping(document) ? document.config : undefined;
  if (!isMapping(config)) throw new Error("the stack file has no `config` mapping");
  return config;
}

/** The namespaces, the platform's clusters and the serving stack's endpoints (seeded when absent). */
export function sourceShape(stackYaml: string, servingYaml: string): SourceShape {
  const config = configOf(parse(stackYaml));
  const servingConfig = configOf(parse(servingYaml));
  const namespaced = Object.keys(config).find((key) => key.endsWith(":namePrefix"));
  if (!namespaced) throw new Error("the stack file has no `<project>:namePrefix` key");
  const namespace = namespaced.slice(0, namespaced.indexOf(":"));
  const compute = config[`${namespace}:compute`];
  const clusters = isMapping(compute) && isMapping(compute.clusters) ? compute.clusters : {};
  const servingNamespace = `${namespace}-serving`;
  const endpointsValue = servingConfig[`${servingNamespace}:endpoints`];
  const endpoints = isMapping(endpointsValue) ? endpointsValue : {};
  const seeded: string[] = [];
  const clustersOrSeed =
    Object.keys(clusters).length > 0 ? clusters : (seeded.push("cluster"), { bench: SEED_CLUSTER });
  const endpointsOrSeed =
    Object.keys(endpoints).length > 0 ? endpoints : (seeded.push("endpoint"), { "bench-endpoint": SEED_ENDPOINT });
  return { namespace, servingNamespace, clusters: clustersOrSeed, endpoints: endpointsOrSeed, seeded };
}

/** The stack files with `factor` times the source's clusters and endpoints (0 removes them all). */
export function scaledStack(stackYaml: string, servingYaml: string, factor: number): ScaledStack {
  const document = parse(stackYaml) as Mapping;
  const config = configOf(document);
  const servingDocument = parse(servingYaml) as Mapping;
  const servingConfig = configOf(servingDocument);
  const shape = sourceShape(stackYaml, servingYaml);
  const computeKey = `${shape.namespace}:compute`;
  const existingCompute = config[computeKey];
  const compute: Mapping = isMapping(existingCompute) ? { ...existingCompute } : {};
  compute.clusters = replicate(shape.clusters, factor, COMPUTE_KEY_MAX);
  const endpoints = replicate(shape.endpoints, factor, ENDPOINT_KEY_MAX);
  config[computeKey] = compute;
  // Model monitors, the retraining trigger and batch endpoints refer to clusters and endpoints by
  // name; the scaling benchmark measures clusters and endpoints alone, so it leaves them out.
  const dependent = new Set(
    ["modelMonitoring", "retraining", "batchEndpoints"].map((key) => `${shape.servingNamespace}:${key}`),
  );
  const kept = Object.fromEntries(Object.entries(servingConfig).filter(([key]) => !dependent.has(key)));
  kept[`${shape.servingNamespace}:endpoints`] = endpoints;
  (servingDocument as { config: Mapping }).config = kept;
  return {
    yaml: stringify(document),
    servingYaml: stringify(servingDocument),
    clusters: Object.keys(compute.clusters as Mapping).length,
    endpoints: Object.keys(endpoints).length,
  };
}
