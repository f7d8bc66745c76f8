import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { v5 as uuidv5 } from "uuid";
import {
  FAKE_CLIENT_OBJECT_ID,
  FAKE_SUBSCRIPTION_ID,
  FAKE_TENANT_ID,
  fakeAzureId,
  fakeComputedOutputs,
  physicalName,
} from "./azureIds";
import { Plan, PlannedResource, SECRET_VALUE } from "./contract";

/* Internal Pulumi runtime modules: the mock monitor and the synchronous registration hook. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeSettings = require("@pulumi/pulumi/runtime/settings") as {
  getMonitor(): MonitorLike;
  waitForRPCs(): Promise<void>;
  cacheDynamicProviders: () => boolean;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeResource = require("@pulumi/pulumi/runtime/resource") as {
  registerResource: (...args: unknown[]) => void;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as {
  serializeFunction: (...args: unknown[]) => Promise<{ text: string; exportName: string; containsSecrets: boolean }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
  debuggablePromise: <T>(promise: Promise<T>, context: unknown) => Promise<T>;
};
const resourceClass = pulumi.Resource as unknown as { callsites: () => unknown[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
  deserializeProperties(s: unknown): Record<string, unknown>;
  specialSigKey: string;
  specialSecretSig: string;
};

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): unknown;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
  getProtect(): boolean | undefined;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getDeletebeforereplace(): boolean;
  getRetainondelete(): boolean | undefined;
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}
interface RegisterResponse {
  getUrn(): string;
  getObject(): unknown;
}
interface MonitorLike {
  registerResource(req: RegisterRequest, callback: (err: Error | null, resp?: RegisterResponse) => void): Promise<void>;
}

const GUID_NAMESPACE = "0d5d7c3e-4a5b-4d64-9c1e-6a4f2e8b9d01";

/** A deterministic GUID for invented ids (principal ids, client ids, ...). */
export function stableGuid(seed: string): string {
  return uuidv5(seed, GUID_NAMESPACE);
}

/** A deterministic stand-in for `@pulumi/random` results, so names are stable across runs. */
function fakeRandomString(seed: string, length: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = createHash("sha256").update(seed).digest();
  let text = alphabet[bytes[0] % 26];
  for (let i = 1; i < length; i++) text += alphabet[bytes[i % bytes.length] % alphabet.length];
  return text;
}

/** The type every Pulumi dynamic resource registers with. */
const DYNAMIC_RESOURCE_TYPE = "pulumi-nodejs:dynamic:Resource";

/** What the plan records for a dynamic resource's serialized provider code (`__provider`). */
export const DYNAMIC_PROVIDER_MARKER = "[serialized dynamic provider]";

/** Whether PLAN_EXACT_RUNTIME=1 asks for the Pulumi runtime's full work (see `skipUnusedRuntimeWork`). */
function exactRuntimeFromEnv(): boolean {
  return process.env.PLAN_EXACT_RUNTIME === "1";
}

/**
 * Work the Pulumi runtime does for `pulumi up` that a plan never uses, skipped while a program is
 * planned (about 0.8 s of a dev plan on one core) unless `exactRuntime` / PLAN_EXACT_RUNTIME=1:
 * - serializing dynamic providers' code: the plan records only DYNAMIC_PROVIDER_MARKER, and
 *   serializing opens a V8 inspector session over every loaded module and parses the closure with
 *   the TypeScript compiler (test/components/endpointTraffic.test.ts serializes the project's
 *   provider and runs the result);
 * - a stack trace for every runtime promise, kept only for the leak report that
 *   PULUMI_DEBUG_PROMISE_LEAKS prints, and one per resource for its source position, which the
 *   mock monitor drops. Errors keep their stack traces.
 * Returns the function that puts the runtime back.
 */
function skipUnusedRuntimeWork(): () => void {
  const { serializeFunction } = closure;
  const { debuggablePromise } = debuggable;
  const { callsites } = resourceClass;
  const { cacheDynamicProviders } = runtimeSettings;
  closure.serializeFunction = () =>
    Promise.resolve({ text: DYNAMIC_PROVIDER_MARKER, exportName: "handler", containsSecrets: false });
  // The runtime caches each provider's serialization: the marker must not outlive this run.
  runtimeSettings.cacheDynamicProviders = () => false;
  debuggable.debuggablePromise = <T>(promise: Promise<T>, context: unknown): Promise<T> => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return debuggablePromise(promise, context);
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
  resourceClass.callsites = () => [];
  return () => {
    closure.serializeFunction = serializeFunction;
    runtimeSettings.cacheDynamicProviders = cacheDynamicProviders;
    debuggable.debuggablePromise = debuggablePromise;
    resourceClass.callsites = callsites;
  };
}

/** Asset version reads of the serving layer's existence check: offline, every referenced asset is taken as registered. */
const ASSET_READ_TOKENS = /^azure-native:machinelearningservices:get(Registry)?(Model|Environment|Code|Data)Version$/;

class FakeAzure implements pulumi.runtime.Mocks {
  /**
   * @param stackOutputs Outputs of other stacks by name, which StackReferences read (the platform plan's, for the serving layer).
   * @param assetRegistered Whether an asset version read finds the asset (default: every one, as `npm start` assumes).
   */
  constructor(
    private readonly stackOutputs: Readonly<Record<string, Record<string, unknown>>> = {},
    private readonly assetRegistered: (token: string, inputs: Record<string, unknown>) => boolean = () => true,
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    const inputs = args.inputs as Record<string, unknown>;
    if (args.type === "pulumi:pulumi:StackReference") {
      const name = typeof inputs.name === "string" ? inputs.name : args.name;
      const outputs = this.stackOutputs[name] as Record<string, unknown> | undefined;
      if (!outputs) throw new Error(`the offline engine has no plan of stack ${name} to answer this StackReference`);
      return { id: name, state: { name, outputs, secretOutputNames: [] } };
    }
    if (!args.custom) return { id: "", state: inputs };
    if (args.type === DYNAMIC_RESOURCE_TYPE) {
      // The project's dynamic resources (EndpointTraffic) use their endpoint id as their own id.
      const { __provider: _provider, ...state } = inputs;
      const id =
        typeof inputs.endpointId === "string"
          ? `${inputs.endpointId}#${inputs.endpointKind === "batch" ? "defaultDeployment" : "traffic"}`
          : args.name;
      return { id, state: { ...state, id } };
    }
    if (args.type === "random:index/randomString:RandomString") {
      const result = fakeRandomString(`${pulumi.getStack()}/${args.name}`, Number(inputs.length ?? 8));
      return { id: result, state: { ...inputs, id: result, result } };
    }
    const id = fakeAzureId(args.type, args.name, inputs);
    const name = physicalName(args.type, args.name, inputs);
    return { id, state: { ...inputs, name, id, ...fakeComputedOutputs(args.type, id, inputs, stableGuid) } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    if (args.token === "azure-native:authorization:getClientConfig") {
      return {
        clientId: stableGuid("client"),
        objectId: FAKE_CLIENT_OBJECT_ID,
        subscriptionId: FAKE_SUBSCRIPTION_ID,
        tenantId: FAKE_TENANT_ID,
      };
    }
    const inputs = args.inputs as Record<string, unknown>;
    if (ASSET_READ_TOKENS.test(args.token)) {
      const assetName = [inputs.name, inputs.modelName, inputs.environmentName, inputs.codeName].find(
        (n): n is string => typeof n === "string",
      );
      if (!this.assetRegistered(args.token, inputs)) {
        const message = `ResourceNotFound: ${assetName ?? "asset"} version ${JSON.stringify(inputs.version)} was not found (404)`;
        throw Object.assign(new Error(message), { details: message });
      }
      return { id: `offline:${args.token}`, name: assetName ?? "", properties: {} };
    }
    if (args.token === "azure-native:machinelearningservices:getOnlineDeployment") {
      // Offline, no deployment exists yet: the configured instance count applies.
      const message = `offline: online deployment ${JSON.stringify(inputs.deploymentName)} not found (404)`;
      throw Object.assign(new Error(message), { details: message });
    }
    // The SDK rebuilds invoke errors from gRPC's `details` field, so the message goes there too.
    const message = `the offline engine does not answer the invoke ${args.token}; add it to plan/engine.ts`;
    throw Object.assign(new Error(message), { details: message });
  }
}

/** Replace Pulumi's secret envelopes with a marker, recursively, for JSON output. */
function revealShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealShape);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[rpc.specialSigKey] === rpc.specialSecretSig) return SECRET_VALUE;
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, revealShape(v)]));
  }
  return value;
}

/** The stack outputs, resolved; secret outputs are kept apart so the plan can show them masked. */
async function resolveOutputs(exported: unknown): Promise<{ values: Record<string, unknown>; secretKeys: string[] }> {
  if (!exported || typeof exported !== "object") return { values: {}, secretKeys: [] };
  const entries = await Promise.all(
    Object.entries(exported as Record<string, unknown>)
      .filter(([key]) => key !== "default" && key !== "__esModule")
      .map(async ([key, value]) => {
        const output: pulumi.Output<unknown> = pulumi.output(value as pulumi.Input<string>);
        const resolved = await new Promise<unknown>((resolve) => output.apply((v) => resolve(v)));
        return [key, resolved, await pulumi.isSecret(output)] as const;
      }),
  );
  return {
    values: Object.fromEntries(entries.map(([key, value]) => [key, value])),
    secretKeys: entries.filter(([, , secret]) => secret).map(([key]) => key),
  };
}

/** Run the program; on failure, let in-flight registrations finish before rethrowing. */
async function settle(program: () => unknown): Promise<unknown> {
  try {
    return await program();
  } catch (error) {
    await runtimeSettings.waitForRPCs();
    throw error;
  }
}

export interface PlanOptions {
  project: string;
  stack: string;
  /** Full config map (`<namespace>:<key>` -> string), as Pulumi passes it to a program. */
  config: Record<string, string>;
  /** Keys of `config` that hold secrets. */
  secretKeys?: string[];
  /** Keys whose secret values were replaced by placeholders. */
  secretPlaceholders?: string[];
  /** Runs the program and returns its exports (the stack outputs). */
  program: () => unknown;
  /** Optional. Receives every registration as it happens, also when the program fails. */
  recorder?: PlannedResource[];
  /** Optional. Outputs of other stacks by fully qualified name, answered to StackReferences (unmasked). Default: none. */
  stackOutputs?: Readonly<Record<string, Record<string, unknown>>>;
  /** Optional. Whether an asset version read (azure-native get functions) finds the asset. Default: every asset is registered. */
  assetRegistered?: (token: string, inputs: Record<string, unknown>) => boolean;
  /** Optional. Let the Pulumi runtime do all its `pulumi up` work (see `skipUnusedRuntimeWork`). Default: PLAN_EXACT_RUNTIME=1, else the unused work is skipped. */
  exactRuntime?: boolean;
}

/** A plan with the program's outputs as resolved, secrets included: what a StackReference to this stack would read. */
export interface PlanWithOutputs {
  plan: Plan;
  /** The stack outputs, secret ones unmasked (never written anywhere; fed to the next layer's StackReference). */
  rawOutputs: Record<string, unknown>;
}

/**
 * Run a Pulumi program under the mock engine and record what `pulumi up` would create:
 * every registration with its exact inputs, parent, dependencies and options.
 */
export async function planProgram(options: PlanOptions): Promise<Plan> {
  return (await planProgramWithOutputs(options)).plan;
}

/** `planProgram`, also returning the outputs unmasked (see `PlanWithOutputs`). */
export async function planProgramWithOutputs(options: PlanOptions): Promise<PlanWithOutputs> {
  pulumi.runtime.setAllConfig(options.config, options.secretKeys);
  await pulumi.runtime.setMocks(
    new FakeAzure(options.stackOutputs, options.assetRegistered),
    options.project,
    options.stack,
    false,
  );

  const recorded: PlannedResource[] = options.recorder ?? [];
  const failures: Error[] = [];
  const monitor = runtimeSettings.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, resp) => {
      if (err || !resp) {
        failures.push(err ?? new Error(`no response registering ${req.getType()} ${req.getName()}`));
      } else {
        recorded.push(toPlannedResource(req, resp));
      }
      callback(err, resp);
    });

  // A failed registration also rejects the resource's own promises; collect those rejections
  // instead of letting them crash the process, and report the first failure below.
  const onUnhandled = (reason: unknown) => failures.push(reason instanceof Error ? reason : new Error(String(reason)));
  process.on("unhandledRejection", onUnhandled);

  let programReturned = false;
  const lateNames: string[] = [];
  const restoreRuntime = (options.exactRuntime ?? exactRuntimeFromEnv()) ? () => undefined : skipUnusedRuntimeWork();
  const originalRegister = runtimeResource.registerResource;
  runtimeResource.registerResource = (...args: unknown[]) => {
    if (programReturned) lateNames.push(`${String(args[2])}::${String(args[3])}`);
    originalRegister(...args);
  };
  try {
    const exported = await settle(options.program);
    programReturned = true;
    const { values: outputs, secretKeys } = await resolveOutputs(exported);
    await runtimeSettings.waitForRPCs();
    if (failures.length > 0) throw failures[0];
    recorded.sort((a, b) => a.urn.localeCompare(b.urn));
    const lateRegistrations = recorded.filter((r) => lateNames.includes(`${r.type}::${r.name}`)).map((r) => r.urn);
    const masked = Object.fromEntries(
      Object.entries(outputs).map(([key, value]) => [key, secretKeys.includes(key) ? SECRET_VALUE : value]),
    );
    const plan: Plan = {
      version: 1,
      project: options.project,
      stack: options.stack,
      resources: recorded,
      outputs: revealShape(masked) as Record<string, unknown>,
      secretPlaceholders: options.secretPlaceholders ?? [],
      lateRegistrations,
    };
    return { plan, rawOutputs: outputs };
  } finally {
    runtimeResource.registerResource = originalRegister;
    restoreRuntime();
    // Rejections of failed registrations surface a tick later; let them land before detaching.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onUnhandled);
  }
}

function toPlannedResource(req: RegisterRequest, resp: RegisterResponse): PlannedResource {
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((value, key) => {
    const urns = value.getUrnsList();
    if (urns.length > 0) propertyDependencies[key] = [...urns].sort();
  });
  const timeouts = req.getCustomtimeouts();
  const inputs = revealShape(rpc.deserializeProperties(req.getObject())) as Record<string, unknown>;
  // A dynamic resource's serialized provider code is not reviewable input: keep a marker instead.
  if (typeof inputs.__provider === "string") inputs.__provider = DYNAMIC_PROVIDER_MARKER;
  const outputs = revealShape(rpc.deserializeProperties(resp.getObject())) as Record<string, unknown>;
  return {
    urn: resp.getUrn(),
    type: req.getType(),
    name: req.getName(),
    custom: req.getCustom(),
    parent: req.getParent() || null,
    dependencies: [...new Set(req.getDependenciesList())].sort(),
    propertyDependencies,
    inputs,
    outputs,
    options: {
      protect: req.getProtect() === true,
      ignoreChanges: req.getIgnorechangesList(),
      replaceOnChanges: req.getReplaceonchangesList(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
      retainOnDelete: req.getRetainondelete() === true,
      ...(timeouts && (timeouts.getCreate() || timeouts.getUpdate() || timeouts.getDelete())
        ? {
            customTimeouts: {
              create: timeouts.getCreate() || undefined,
              update: timeouts.getUpdate() || undefined,
              delete: timeouts.getDelete() || undefined,
            },
          }
        : {}),
    },
  };
}
