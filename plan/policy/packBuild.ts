import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import {
  hashFile,
  keepNpmPackagesExternal,
  removeOldBundles,
  sha256,
  staleInput,
  workspacePackages,
  writeAtomically,
} from "../bundleFiles.cjs";

export { sha256 };

/**
 * The prebuilt JavaScript policy pack. A pack whose package.json `main` is `load.js` (policies/)
 * can be loaded without a TypeScript compile: `buildPolicyPack` type-checks the pack exactly once
 * (tsgo, else tsc 5.9; a pack with type errors is never built), bundles `index.ts` and the local
 * modules it imports (the `secure-azureml-facts` workspace included; npm packages stay `require`s)
 * into `bin/pack-<fingerprint>.js`, and writes `bin/manifest.json` listing every input file with
 * its SHA-256. `load.js` loads the bundle only while every listed input is unchanged, otherwise
 * the TypeScript sources (which the Pulumi CLI's loader, ts-node, compiles and type-checks), so a
 * stale build is never used: `npm ci` builds it (`prepare`), and the planner rebuilds it when a
 * source changed before it starts the pack.
 */

/** Bumped when the bundle's shape or the manifest's format changes; `load.js` checks the same number. */
export const PACK_BUILD_FORMAT = 1;
/** The build folder inside the pack, and its manifest. */
export const PACK_BUILD_DIR = "bin";
export const PACK_MANIFEST = "manifest.json";
/** The pack's entry for the Pulumi CLI (package.json `main`) that chooses between the build and the sources. */
export const PACK_LOADER = "load.js";
/** The TypeScript entry that the build bundles and `load.js` falls back to. */
export const PACK_SOURCE_ENTRY = "index.ts";

export interface PackManifest {
  format: number;
  /** SHA-256 over the inputs, the esbuild version and the format: the bundle's name carries it. */
  fingerprint: string;
  /** The bundle's file name inside `bin/`. */
  bundle: string;
  /** Every file the bundle was built from (paths relative to the pack folder) and its SHA-256. */
  inputs: Record<string, string>;
  /** The compiler that type-checked the inputs, e.g. `tsgo 7.0.0-dev...`. */
  typeCheckedWith: string;
}

export type PackBuildStatus =
  | { state: "fresh"; bundle: string; manifest: PackManifest }
  /** `load.js` would load the sources: no build yet, or an input changed (named in `reason`). */
  | { state: "stale"; reason: string }
  /** Not a prebuildable pack (its `main` is not `load.js`): always loaded from its sources. */
  | { state: "unsupported"; reason: string };

export type PackBuildResult =
  | { state: "fresh"; bundle: string; manifest: PackManifest; built: boolean; buildMs: number }
  | { state: "failed" | "unsupported"; reason: string; buildMs: number };

/** Whether the pack's package.json names `load.js` as its main module. */
function usesLoader(packDir: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(packDir, "package.json"), "utf8")) as { main?: unknown };
    return manifest.main === PACK_LOADER || manifest.main === `./${PACK_LOADER}`;
  } catch {
    return false;
  }
}

/** The decision `load.js` makes, made here without loading anything. */
export function packBuildStatus(packDir: string): PackBuildStatus {
  const dir = resolve(packDir);
  if (!usesLoader(dir))
    return { state: "unsupported", reason: `${join(dir, "package.json")} does not name ${PACK_LOADER} as main` };
  const manifestPath = join(dir, PACK_BUILD_DIR, PACK_MANIFEST);
  let manifest: Partial<PackManifest>;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Partial<PackManifest>;
  } catch {
    return {
      state: "stale",
      reason: `${relative(process.cwd(), manifestPath)} does not exist (the pack was never built)`,
    };
  }
  if (manifest.format !== PACK_BUILD_FORMAT || typeof manifest.bundle !== "string" || !manifest.inputs)
    return {
      state: "stale",
      reason: `${PACK_MANIFEST} has format ${String(manifest.format)}, not ${PACK_BUILD_FORMAT}`,
    };
  const bundle = join(dir, PACK_BUILD_DIR, manifest.bundle);
  if (!existsSync(bundle)) return { state: "stale", reason: `${manifest.bundle} is missing` };
  const stale = staleInput(dir, manifest.inputs);
  if (stale) return { state: "stale", reason: `${stale} since the build` };
  return { state: "fresh", bundle, manifest: manifest as PackManifest };
}

interface TypeChecker {
  label: string;
  command: string;
  args: string[];
}

/** tsgo (the native compiler, a devDependency) if installed, else tsc 5.9; none in a production install. */
function findTypeChecker(packDir: string): TypeChecker | undefined {
  const from = { paths: [packDir, __dirname] };
  try {
    const pkg = require.resolve("@typescript/native-preview/package.json", from);
    const { version } = JSON.parse(readFileSync(pkg, "utf8")) as { version: string };
    return { label: `tsgo ${version}`, command: process.execPath, args: [join(dirname(pkg), "bin", "tsgo")] };
  } catch {
    // fall through to tsc
  }
  try {
    const pkg = require.resolve("typescript/package.json", from);
    const { version } = JSON.parse(readFileSync(pkg, "utf8")) as { version: string };
    return { label: `tsc ${version}`, command: process.execPath, args: [join(dirname(pkg), "bin", "tsc")] };
  } catch {
    return undefined;
  }
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.once("error", (error) => done({ code: null, output: error.message }));
    child.once("close", (code) => done({ code, output }));
  });
}

/** Serializes concurrent builds of one pack (parallel test workers, two terminals). */
async function withLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      closeSync(openSync(lockPath, "wx"));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A lock older than two minutes belongs to a build that died.
      let age = 0;
      try {
        age = Date.now() - statSync(lockPath).mtimeMs;
      } catch {
        continue;
      }
      if (age > 120_000 || Date.now() > deadline) rmSync(lockPath, { force: true });
      else await new Promise((wait) => setTimeout(wait, 100));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

/**
 * Type-check and bundle the pack, then write the manifest (atomically, last). Returns `failed`
 * with the compiler's output when the pack has type errors or does not bundle: nothing is written
 * then, so `load.js` keeps loading the sources and the CLI reports the same errors.
 */
export async function buildPolicyPack(packDir: string): Promise<PackBuildResult> {
  const started = performance.now();
  const dir = resolve(packDir);
  const elapsed = () => performance.now() - started;
  if (!usesLoader(dir))
    return {
      state: "unsupported",
      reason: `${join(dir, "package.json")} does not name ${PACK_LOADER} as main`,
      buildMs: 0,
    };
  const checker = findTypeChecker(dir);
  if (!checker)
    return {
      state: "unsupported",
      reason: "no TypeScript compiler is installed to type-check the pack (tsgo or tsc); it is loaded from its sources",
      buildMs: elapsed(),
    };
  const outDir = join(dir, PACK_BUILD_DIR);
  mkdirSync(outDir, { recursive: true });
  return withLock(join(outDir, ".build.lock"), async () => {
    // Another process may have built it while this one waited for the lock.
    const current = packBuildStatus(dir);
    if (current.state === "fresh") return { ...current, built: false, buildMs: elapsed() };

    // esbuild comes with tsx (a dependency); loaded only when a build is needed.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require("esbuild") as typeof import("esbuild");
    // The repository's workspace packages are bundled like local modules; other packages stay requires.
    const workspaces = workspacePackages(join(dir, ".."));
    const bundling = esbuild.build({
      absWorkingDir: dir,
      entryPoints: [join(dir, PACK_SOURCE_ENTRY)],
      bundle: true,
      write: false,
      metafile: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      tsconfig: join(dir, "tsconfig.json"),
      outfile: join(outDir, "pack.js"),
      logLevel: "silent",
      plugins: [
        {
          name: "npm-packages-external",
          setup(build) {
            keepNpmPackagesExternal(build, workspaces);
          },
        },
      ],
    });
    // The type-check and the bundling run side by side; both must succeed.
    const [checked, bundled] = await Promise.all([
      run(checker.command, [...checker.args, "--noEmit", "-p", "tsconfig.json"], dir),
      bundling.then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      ),
    ]);
    if (checked.code !== 0)
      return {
        state: "failed",
        reason: `the pack does not type-check (${checker.label}):\n${checked.output.trim()}`,
        buildMs: elapsed(),
      };
    if ("error" in bundled)
      return {
        state: "failed",
        reason: `the pack does not bundle: ${bundled.error instanceof Error ? bundled.error.message : String(bundled.error)}`,
        buildMs: elapsed(),
      };
    const { result } = bundled;
    const code = result.outputFiles.find((f) => f.path.endsWith(".js"))?.contents;
    if (!code) return { state: "failed", reason: "esbuild produced no JavaScript", buildMs: elapsed() };

    const inputs: Record<string, string> = {};
    const files = [
      ...Object.keys(result.metafile.inputs).map((file) => resolve(dir, file)),
      join(dir, "tsconfig.json"),
      join(dir, "package.json"),
    ];
    for (const file of files.sort()) {
      const hash = hashFile(file);
      if (!hash) return { state: "failed", reason: `cannot read ${file}`, buildMs: elapsed() };
      inputs[relative(dir, file).split("\\").join("/")] = hash;
    }
    const fingerprint = sha256(
      JSON.stringify({ format: PACK_BUILD_FORMAT, esbuild: esbuild.version, inputs: Object.entries(inputs) }),
    );
    const bundle = `pack-${fingerprint.slice(0, 16)}.js`;
    const manifest: PackManifest = {
      format: PACK_BUILD_FORMAT,
      fingerprint,
      bundle,
      inputs,
      typeCheckedWith: checker.label,
    };
    const header = `// Generated by plan/policy/packBuild.ts from ${PACK_SOURCE_ENTRY} (type-checked with ${checker.label}). Do not edit: load.js only loads it while bin/${PACK_MANIFEST} matches the sources.\n`;
    writeAtomically(join(outDir, bundle), Buffer.concat([Buffer.from(header), Buffer.from(code)]));
    writeAtomically(join(outDir, PACK_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    removeOldBundles(outDir, new Set([bundle]), /^pack-[0-9a-f]+\.js$/);
    return { state: "fresh", bundle: join(outDir, bundle), manifest, built: true, buildMs: elapsed() };
  });
}

/** The build if it is fresh, else a new build (the planner calls this before starting the pack). */
export async function ensurePolicyPackBuild(packDir: string): Promise<PackBuildResult> {
  const status = packBuildStatus(packDir);
  if (status.state === "fresh") return { ...status, built: false, buildMs: 0 };
  if (status.state === "unsupported") return { ...status, buildMs: 0 };
  return buildPolicyPack(packDir);
}
