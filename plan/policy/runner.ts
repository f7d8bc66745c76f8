import { ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { parse as parseYaml } from "yaml";
import { Plan, PlannedResource } from "../contract";
import {
  EnforcementLevel,
  PolicyConfigError,
  PolicyDefaults,
  PolicyPackConfig,
  readPolicyPackConfig,
  reconcilePolicyPackConfig,
} from "./config";
import { PolicyRemediation, PolicyReport, PolicyViolation, Severity, countByLevel, sortViolations } from "./report";
import { PackBuildResult, ensurePolicyPackBuild } from "./packBuild";
import { analyzeRequest, analyzeStackRequest, toStruct } from "./request";
import { recordNote, recordPhase } from "./timings";

/**
 * Runs a policy pack exactly the way the Pulumi CLI does for `pulumi preview --policy-pack DIR`
 * (sdk/go/common/resource/plugin/analyzer_plugin.go, `NewPolicyAnalyzer`): it starts
 * `node <@pulumi/pulumi/cmd/run-policy-pack> <engine-address> .` in the pack directory (resolving
 * the script from the pack directory, like the `pulumi-analyzer-policy` shim), reads the port
 * it prints, and speaks the Analyzer gRPC service to it: Handshake, ConfigureStack,
 * GetAnalyzerInfo, Configure, then Remediate + Analyze per resource and AnalyzeStack once.
 * The pack is loaded by the SDK's own loader (ts-node with type checking, compiled files cached
 * by content hash in ts-node's cache directory), so a pack that fails here fails in the CLI.
 *
 * Faster, same protocol: a pack prebuilt to JavaScript (plan/policy/packBuild.ts; policies/ is one)
 * is type-checked once when built, and its fresh build is served by servePack.cjs, which is
 * run-policy-pack without ts-node and the V8 inspector: the same `require` of the pack folder, the
 * same @pulumi/policy Analyzer gRPC server, the same requests below. A stale build is rebuilt
 * first; a pack that cannot be built (type errors, no compiler) loads through run-policy-pack.
 * PLAN_POLICY_PACK_LOADER=run-policy-pack (or `loader`) keeps the CLI's own loader throughout.
 */

/** The repository root (plan/policy/ is two levels down). */
export const REPO_ROOT = resolve(__dirname, "..", "..");
/** The security baseline pack that ships with this repository. */
export const DEFAULT_PACK_DIR = join(REPO_ROOT, "policies");

/**
 * run-policy-pack drops its first argument (the engine address) and never dials it; the policy
 * SDK only talks to an engine named by PULUMI_NODEJS_ENGINE, which the CLI does not set for
 * analyzers. A pack's log calls therefore go to its stdout/stderr, which the session collects.
 */
const UNUSED_ENGINE_ADDRESS = "127.0.0.1:0";

/** How the pack process is started: see the comment at the top. `auto` prefers a fresh prebuilt pack. */
export type PackLoader = "auto" | "prebuilt" | "run-policy-pack";
export const PACK_LOADERS: readonly PackLoader[] = ["auto", "prebuilt", "run-policy-pack"];

/** The loader named by PLAN_POLICY_PACK_LOADER, else `auto`; an unknown value is an error naming the variable. */
export function packLoaderFromEnv(env: NodeJS.ProcessEnv = process.env): PackLoader {
  const value = env.PLAN_POLICY_PACK_LOADER;
  if (value === undefined || value === "") return "auto";
  if ((PACK_LOADERS as readonly string[]).includes(value)) return value as PackLoader;
  throw new PolicyPackError(
    `PLAN_POLICY_PACK_LOADER is "${value}"; accepted: ${PACK_LOADERS.join(", ")} (auto: the prebuilt JavaScript pack when it can be built, else run-policy-pack)`,
  );
}

/** servePack.cjs, beside this module (the planner bundle keeps this module's directory). */
const SERVE_PACK_SCRIPT = join(__dirname, "servePack.cjs");

/** The policy SDK's server accepts messages up to 400 MB; accept as much from it. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

export interface StartOptions {
  /** The policy pack directory (holds PulumiPolicy.yaml). */
  packDir?: string;
  /** Passed to the pack as PULUMI_PROJECT / PULUMI_NODEJS_PROJECT and with ConfigureStack. */
  project?: string;
  /** Passed to the pack as PULUMI_STACK / PULUMI_NODEJS_STACK and with ConfigureStack. */
  stack?: string;
  /** The stack's config (`<namespace>:<key>` -> string), passed as PULUMI_CONFIG like the CLI does. */
  stackConfig?: Record<string, string>;
  /** Keys of `stackConfig` that are secrets. */
  stackSecretKeys?: string[];
  /** How long the pack may take to load and print its port (type checking a cold pack takes seconds). */
  startTimeoutMs?: number;
  /** Deadline for each gRPC call. */
  callTimeoutMs?: number;
  /** Aborting while the pack is loading stops it (e.g. when planning failed meanwhile). */
  signal?: AbortSignal;
  /** Optional. How to start the pack; default: PLAN_POLICY_PACK_LOADER, else `auto`. */
  loader?: PackLoader;
}

/** How a session's pack was loaded. */
export interface PackLoad {
  /** `prebuilt`: servePack.cjs with the fresh JavaScript build; `run-policy-pack`: the CLI's loader. */
  kind: "prebuilt" | "run-policy-pack";
  /** Why the prebuilt pack was not used (auto mode), or that it was rebuilt first. */
  note?: string;
  /** Milliseconds spent checking or rebuilding the build before starting the pack. */
  buildMs: number;
}

/** A failure of the pack itself: it did not start, crashed, or a rule threw. */
export class PolicyPackError extends Error {}

export interface PackPolicyInfo {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  severity: Severity;
  kind: "resource" | "stack" | "unknown";
  remediationSteps: string;
  configSchema?: { properties: Record<string, Record<string, unknown>>; required: string[] };
}

export interface PackInfo {
  name: string;
  version: string;
  supportsConfig: boolean;
  policies: PackPolicyInfo[];
  initialConfig: PolicyPackConfig;
}

export interface AnalysisResult {
  violations: PolicyViolation[];
  remediations: PolicyRemediation[];
  resourceCount: number;
  analyzeMs: number;
}

const LEVELS: Partial<Record<number, EnforcementLevel>> = {
  [analyzerpb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerpb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerpb.EnforcementLevel.DISABLED]: "disabled",
  [analyzerpb.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_CODES: Record<EnforcementLevel, analyzerpb.EnforcementLevel> = {
  advisory: analyzerpb.EnforcementLevel.ADVISORY,
  mandatory: analyzerpb.EnforcementLevel.MANDATORY,
  disabled: analyzerpb.EnforcementLevel.DISABLED,
  remediate: analyzerpb.EnforcementLevel.REMEDIATE,
};
const SEVERITIES: Partial<Record<number, Severity>> = {
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED]: "",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

function level(code: number): EnforcementLevel {
  const value = LEVELS[code];
  if (!value) throw new PolicyPackError(`the pack answered with an unknown enforcement level ${code}`);
  return value;
}

interface PolicyProject {
  runtime: string;
  options: Record<string, unknown>;
  version?: string;
}

/** PulumiPolicy.yaml: runtime (name or { name, options }) and an optional version that wins over package.json's. */
function loadPolicyProject(packDir: string): PolicyProject {
  const path = join(packDir, "PulumiPolicy.yaml");
  let document: unknown;
  try {
    document = parseYaml(readFileSync(path, "utf8"));
  } catch (error) {
    throw new PolicyPackError(
      `failed to load Pulumi policy project located at "${packDir}": ${(error as Error).message}`,
    );
  }
  const doc = (document ?? {}) as { runtime?: unknown; version?: unknown };
  const runtime =
    typeof doc.runtime === "string"
      ? { name: doc.runtime, options: {} }
      : ((doc.runtime ?? {}) as { name?: string; options?: Record<string, unknown> });
  if (runtime.name !== "nodejs")
    throw new PolicyPackError(
      `${path}: runtime "${runtime.name ?? ""}" is not supported offline; only nodejs packs are served here`,
    );
  return {
    runtime: runtime.name,
    options: runtime.options ?? {},
    version: typeof doc.version === "string" && doc.version ? doc.version : undefined,
  };
}

type Unary<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: (error: grpc.ServiceError | null, response: Res) => void,
) => grpc.ClientUnaryCall;

/** A running policy pack and a gRPC client connected to it. Always `close()` it. */
export class PolicyPackSession {
  /** Milliseconds from spawning the pack to reading its port. */
  readonly startMs: number;
  /** How the pack was loaded (set by `start`). */
  load: PackLoad = { kind: "run-policy-pack", buildMs: 0 };
  private readonly output: string[];
  private closed = false;
  private infoCache?: PackInfo;
  /** Whether any policy runs at the `remediate` level; if none does, Remediate has nothing to do. */
  private remediating = true;

  private constructor(
    readonly packDir: string,
    private readonly child: ChildProcess,
    private readonly client: AnalyzerClient,
    private readonly project: PolicyProject,
    private readonly options: Required<Pick<StartOptions, "callTimeoutMs">> & StartOptions,
    startMs: number,
    output: string[],
    private readonly onExit: () => void,
  ) {
    this.startMs = startMs;
    this.output = output;
  }

  /** Start the pack and connect; performs the CLI's Handshake and ConfigureStack. */
  static async start(options: StartOptions = {}): Promise<PolicyPackSession> {
    const begun = performance.now();
    const packDir = resolve(options.packDir ?? DEFAULT_PACK_DIR);
    const project = loadPolicyProject(packDir);
    const load = await choosePackLoad(packDir, project, options.loader ?? packLoaderFromEnv());
    recordPhase("packBuild", begun);
    recordNote("packLoader", load.note ? `${load.kind} (${load.note})` : load.kind);
    // Planning may have failed while the build was checked or rebuilt: start nothing then.
    if (options.signal?.aborted) throw new PolicyPackError("policy pack start aborted");
    let script: string;
    try {
      script = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    } catch {
      throw new PolicyPackError(
        `it looks like the policy pack's dependencies are not installed; try running npm install in "${packDir}"`,
      );
    }
    const args = load.kind === "prebuilt" ? [SERVE_PACK_SCRIPT] : [script, UNUSED_ENGINE_ADDRESS, "."];
    for (const [key, value] of load.kind === "prebuilt" ? [] : Object.entries(project.options)) {
      // Go formats each option with %v.
      const text =
        typeof value === "string" || typeof value === "number" || typeof value === "boolean"
          ? String(value)
          : value == null
            ? ""
            : JSON.stringify(value);
      if (text !== "") args.push(`-${key}=${text}`);
    }
    const env: NodeJS.ProcessEnv = { ...process.env };
    const setEnv = (key: string, value: string | undefined) => {
      if (value) env[key] = value;
    };
    if (options.stackConfig && Object.keys(options.stackConfig).length > 0)
      setEnv("PULUMI_CONFIG", JSON.stringify(options.stackConfig));
    for (const prefix of ["PULUMI_NODEJS_", "PULUMI_"]) {
      setEnv(`${prefix}PROJECT`, options.project);
      setEnv(`${prefix}STACK`, options.stack);
      // A preview: the CLI sets the dry-run flag for policy packs during `pulumi preview`.
      setEnv(`${prefix}DRY_RUN`, "true");
    }

    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: packDir, env, stdio: ["ignore", "pipe", "pipe"] });
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);
    const output: string[] = [];
    const stderr: string[] = [];
    const startTimeoutMs = options.startTimeoutMs ?? 180_000;

    let port: number;
    try {
      port = await new Promise<number>((resolvePort, reject) => {
        let buffered = "";
        let found = false;
        const timer = setTimeout(
          () =>
            reject(
              new PolicyPackError(
                `the policy pack in ${packDir} did not print its port within ${startTimeoutMs / 1000} s${tail(stderr)}`,
              ),
            ),
          startTimeoutMs,
        );
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          buffered += chunk;
          let newline: number;
          while ((newline = buffered.indexOf("\n")) >= 0) {
            const line = plain(buffered.slice(0, newline));
            buffered = buffered.slice(newline + 1);
            if (found) {
              output.push(line);
            } else {
              found = true;
              clearTimeout(timer);
              const value = Number(line.trim());
              if (!Number.isInteger(value) || value <= 0)
                reject(
                  new PolicyPackError(
                    `the policy pack in ${packDir} printed "${line}" instead of its port${tail(stderr)}`,
                  ),
                );
              else resolvePort(value);
            }
          }
        });
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
          const lines = chunk
            .split("\n")
            .filter((l) => l.length > 0)
            .map(plain);
          (found ? output : stderr).push(...lines);
        });
        child.once("error", (error) => {
          clearTimeout(timer);
          reject(new PolicyPackError(`cannot start the policy pack in ${packDir}: ${error.message}`));
        });
        child.once("exit", (code, signal) => {
          clearTimeout(timer);
          if (!found)
            reject(
              new PolicyPackError(
                `the policy pack in ${packDir} failed to start (exit ${String(code ?? signal)})${tail(stderr)}`,
              ),
            );
        });
        if (options.signal?.aborted) reject(new PolicyPackError("policy pack start aborted"));
        options.signal?.addEventListener("abort", () => reject(new PolicyPackError("policy pack start aborted")), {
          once: true,
        });
      });
    } catch (error) {
      process.off("exit", killOnExit);
      await stop(child);
      throw error;
    }
    const startMs = performance.now() - started;
    recordPhase("packStart", started);
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    });
    const session = new PolicyPackSession(
      packDir,
      child,
      client,
      project,
      { ...options, callTimeoutMs: options.callTimeoutMs ?? 120_000 },
      startMs,
      output,
      () => process.off("exit", killOnExit),
    );
    session.load = load;
    try {
      await session.handshake();
      await session.configureStack();
    } catch (error) {
      await session.close();
      throw error;
    }
    recordPhase("packReady", begun);
    return session;
  }

  private call<Req, Res>(method: Unary<Req, Res>, request: Req, what: string): Promise<Res> {
    return new Promise((resolveCall, reject) => {
      method(request, new grpc.Metadata(), { deadline: Date.now() + this.options.callTimeoutMs }, (error, response) => {
        if (error)
          reject(
            Object.assign(
              new PolicyPackError(`${what} failed: ${error.details || error.message}${tail(this.output)}`),
              { code: error.code },
            ),
          );
        else resolveCall(response);
      });
    });
  }

  /** Calls an RPC the pack may not implement (older policy SDKs): UNIMPLEMENTED is not an error. */
  private async optionalCall<Req, Res>(method: Unary<Req, Res>, request: Req, what: string): Promise<Res | undefined> {
    try {
      return await this.call(method, request, what);
    } catch (error) {
      if ((error as { code?: number }).code === grpc.status.UNIMPLEMENTED) return undefined;
      throw error;
    }
  }

  private async handshake(): Promise<void> {
    const request = new analyzerpb.AnalyzerHandshakeRequest()
      .setEngineAddress(UNUSED_ENGINE_ADDRESS)
      .setRootDirectory(this.packDir)
      .setProgramDirectory(this.packDir);
    await this.optionalCall(this.client.handshake.bind(this.client), request, "Handshake");
  }

  private async configureStack(): Promise<void> {
    const request = new analyzerpb.AnalyzerStackConfigureRequest()
      .setStack(this.options.stack ?? "")
      .setProject(this.options.project ?? "")
      .setOrganization("")
      .setDryRun(true)
      .setConfigSecretKeysList(this.options.stackSecretKeys ?? []);
    for (const [key, value] of Object.entries(this.options.stackConfig ?? {})) request.getConfigMap().set(key, value);
    await this.optionalCall(this.client.configureStack.bind(this.client), request, "ConfigureStack");
  }

  /** GetAnalyzerInfo: the pack's name, version (PulumiPolicy.yaml's wins, as in the CLI) and policies. */
  async info(): Promise<PackInfo> {
    if (this.infoCache) return this.infoCache;
    const response = await this.call(this.client.getAnalyzerInfo.bind(this.client), new Empty(), "GetAnalyzerInfo");
    const policies = response.getPoliciesList().map((p): PackPolicyInfo => {
      const schema = p.getConfigschema();
      return {
        name: p.getName(),
        description: p.getDescription(),
        enforcementLevel: level(p.getEnforcementlevel()),
        severity: SEVERITIES[p.getSeverity()] ?? "",
        kind:
          p.getPolicyType() === analyzerpb.PolicyType.POLICY_TYPE_RESOURCE
            ? "resource"
            : p.getPolicyType() === analyzerpb.PolicyType.POLICY_TYPE_STACK
              ? "stack"
              : "unknown",
        remediationSteps: p.getRemediationSteps(),
        configSchema: schema
          ? {
              properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, Record<string, unknown>>,
              required: schema.getRequiredList(),
            }
          : undefined,
      };
    });
    const initialConfig: PolicyPackConfig = {};
    response.getInitialconfigMap().forEach((value, key) => {
      const properties = value.getProperties()?.toJavaScript();
      initialConfig[key] = {
        enforcementLevel: level(value.getEnforcementlevel()),
        properties: properties && Object.keys(properties).length > 0 ? properties : undefined,
      };
    });
    this.infoCache = {
      name: response.getName(),
      version: this.project.version ?? response.getVersion(),
      supportsConfig: response.getSupportsconfig(),
      policies: [...policies].sort((a, b) => a.name.localeCompare(b.name)),
      initialConfig,
    };
    return this.infoCache;
  }

  /**
   * Configure: the pack defaults, the pack's initial config and `fileConfig`, reconciled and
   * validated as the CLI does. Replaces any earlier configuration. Returns warnings.
   */
  async configure(fileConfig: PolicyPackConfig = {}): Promise<string[]> {
    const info = await this.info();
    const label = `${info.name} ${info.version}`;
    if (!info.supportsConfig) {
      if (Object.keys(fileConfig).length > 0)
        throw new PolicyConfigError(`the policy pack ${label} does not support config`);
      return [];
    }
    const defaults: PolicyDefaults[] = info.policies.map((p) => ({
      name: p.name,
      enforcementLevel: p.enforcementLevel,
      configSchema: p.configSchema,
    }));
    const { config, warnings } = reconcilePolicyPackConfig(defaults, info.initialConfig, fileConfig, label);
    this.remediating = Object.values(config).some((c) => c.enforcementLevel === "remediate");
    if (Object.keys(config).length === 0) return warnings;
    const request = new analyzerpb.ConfigureAnalyzerRequest();
    for (const [name, value] of Object.entries(config)) {
      request
        .getPolicyconfigMap()
        .set(
          name,
          new analyzerpb.PolicyConfig()
            .setEnforcementlevel(LEVEL_CODES[value.enforcementLevel])
            .setProperties(toStruct(value.properties)),
        );
    }
    await this.call(this.client.configure.bind(this.client), request, "Configure");
    return warnings;
  }

  /** Remediate + Analyze every resource of the plan (on its inputs), then AnalyzeStack (on outputs). */
  async analyze(plan: Plan): Promise<AnalysisResult> {
    const started = performance.now();
    const violations: PolicyViolation[] = [];
    const remediations: PolicyRemediation[] = [];
    await inParallel(plan.resources, 16, async (resource) => {
      const result = await this.analyzeResource(resource);
      violations.push(...result.violations);
      remediations.push(...result.remediations);
    });
    const stack = await this.call(
      this.client.analyzeStack.bind(this.client),
      analyzeStackRequest(plan.resources),
      "AnalyzeStack",
    );
    for (const d of stack.getDiagnosticsList()) violations.push(this.violation(d, d.getUrn(), "stack"));
    return {
      violations: sortViolations(violations),
      remediations,
      resourceCount: plan.resources.length,
      analyzeMs: performance.now() - started,
    };
  }

  private async analyzeResource(
    resource: PlannedResource,
  ): Promise<{ violations: PolicyViolation[]; remediations: PolicyRemediation[] }> {
    const violations: PolicyViolation[] = [];
    const remediations: PolicyRemediation[] = [];
    let inputs = resource.inputs;
    // First pass, as in the engine: remediations, so analysis sees the remediated inputs. The
    // policy SDK only runs policies configured at the remediate level there, so with none the
    // call is skipped (its answer would be empty).
    const remediated = this.remediating
      ? await this.optionalCall(
          this.client.remediate.bind(this.client),
          analyzeRequest(resource, inputs),
          `Remediate ${resource.urn}`,
        )
      : undefined;
    for (const r of remediated?.getRemediationsList() ?? []) {
      if (r.getDiagnostic()) {
        remediations.push({ policy: r.getPolicyname(), urn: resource.urn, diagnostic: r.getDiagnostic() });
        violations.push({
          policy: r.getPolicyname(),
          enforcementLevel: "advisory",
          severity: "",
          urn: resource.urn,
          message: r.getDiagnostic(),
          stage: "resource",
        });
      } else if (r.getProperties()) {
        remediations.push({ policy: r.getPolicyname(), urn: resource.urn });
        inputs = (r.getProperties() as Struct).toJavaScript();
      }
    }
    const analyzed = await this.call(
      this.client.analyze.bind(this.client),
      analyzeRequest(resource, inputs),
      `Analyze ${resource.urn}`,
    );
    // The engine attributes every Analyze diagnostic to the resource analyzed.
    for (const d of analyzed.getDiagnosticsList()) violations.push(this.violation(d, resource.urn, "resource"));
    return { violations, remediations };
  }

  private violation(d: analyzerpb.AnalyzeDiagnostic, urn: string, stage: PolicyViolation["stage"]): PolicyViolation {
    let enforcementLevel = level(d.getEnforcementlevel());
    // Stack policies cannot remediate; the engine reports them as mandatory.
    if (stage === "stack" && enforcementLevel === "remediate") enforcementLevel = "mandatory";
    return {
      policy: d.getPolicyname(),
      enforcementLevel,
      severity: SEVERITIES[d.getSeverity()] ?? "",
      urn,
      message: d.getMessage(),
      stage,
    };
  }

  /** Lines the pack printed after its port (its logs), and on stderr. */
  packOutput(): string[] {
    return [...this.output];
  }

  /** Close the client and stop the pack process (SIGTERM, then SIGKILL). Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
    this.onExit();
    await stop(this.child);
  }
}

/**
 * Whether the pack can be served prebuilt: `auto` rebuilds a stale build and falls back to
 * run-policy-pack when the pack cannot be built; `prebuilt` fails instead of falling back.
 */
async function choosePackLoad(packDir: string, project: PolicyProject, loader: PackLoader): Promise<PackLoad> {
  if (loader === "run-policy-pack") return { kind: "run-policy-pack", note: "chosen", buildMs: 0 };
  const refuse = (note: string): PackLoad => {
    if (loader === "prebuilt")
      throw new PolicyPackError(`the policy pack in ${packDir} cannot be served prebuilt: ${note}`);
    return { kind: "run-policy-pack", note, buildMs: 0 };
  };
  // Runtime options are run-policy-pack's to interpret: such a pack keeps the CLI's loader.
  if (Object.keys(project.options).length > 0) return refuse("PulumiPolicy.yaml sets runtime options");
  let build: PackBuildResult;
  try {
    build = await ensurePolicyPackBuild(packDir);
  } catch (error) {
    return refuse(`building it failed: ${(error as Error).message}`);
  }
  if (build.state !== "fresh") return { ...refuse(build.reason), buildMs: build.buildMs };
  return {
    kind: "prebuilt",
    note: build.built ? `rebuilt in ${(build.buildMs / 1000).toFixed(1)} s` : undefined,
    buildMs: build.buildMs,
  };
}

/** A line of the pack's output without colour codes or a trailing CR. */
function plain(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\x1b\[[0-9;]*m/g, "").replace(/\r$/, "");
}

function tail(lines: string[]): string {
  const text = lines.join("\n").trim();
  if (!text) return "";
  const last = text.split("\n").slice(-40).join("\n");
  return `:\n${last}`;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolveStop) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(force);
      resolveStop();
    });
    child.kill("SIGTERM");
  });
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}

/** Where a policy config comes from: an explicit file, the stack's default file, or the pack defaults. */
export function defaultPolicyConfigPath(stack: string, root = REPO_ROOT): string | null {
  const path = join(root, `policy-config.${stack}.json`);
  return existsSync(path) ? path : null;
}

/** Run the configured pack on a plan in an open session and build the report. */
export async function checkPlan(
  session: PolicyPackSession,
  plan: Plan,
  config: { source: string | null; config: PolicyPackConfig },
): Promise<PolicyReport> {
  const started = performance.now();
  const warnings = await session.configure(config.config);
  const info = await session.info();
  const result = await session.analyze(plan);
  recordPhase("analysis", started);
  return {
    pack: { name: info.name, version: info.version },
    policyCount: info.policies.length,
    resourceCount: result.resourceCount,
    configSource: config.source,
    violations: result.violations,
    counts: countByLevel(result.violations),
    remediations: result.remediations,
    warnings,
    packOutput: session.packOutput(),
    timings: { startMs: session.startMs, analyzeMs: result.analyzeMs, buildMs: session.load.buildMs },
    packLoad: session.load,
  };
}

export interface PolicyCheckOptions extends Omit<StartOptions, "project" | "stack"> {
  /** A `--policy-pack-config` file; `null` for the pack defaults; absent for the stack's default file. */
  configFile?: string | null;
}

/** Start the pack, check the plan, stop the pack. */
export async function runPolicyCheck(plan: Plan, options: PolicyCheckOptions = {}): Promise<PolicyReport> {
  const source = options.configFile === undefined ? defaultPolicyConfigPath(plan.stack) : options.configFile;
  const config = source ? readPolicyPackConfig(source) : {};
  const session = await PolicyPackSession.start({ ...options, project: plan.project, stack: plan.stack });
  try {
    return await checkPlan(session, plan, { source, config });
  } finally {
    await session.close();
  }
}
