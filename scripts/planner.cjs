#!/usr/bin/env node
"use strict";
/**
 * `npm start` / `npm run policy`: runs the planner (plan/cli.ts) from a JavaScript bundle instead of
 * through tsx, which saves tsx's start, its per-module transform and cache lookups, and its
 * module-loader thread (about a second of a three-second run on 2 cores).
 *
 * The bundle (esbuild, the compiler tsx itself uses; npm packages stay `require`s, workspace
 * packages are bundled) lives in node_modules/.cache/secure-azureml/planner/ with a manifest of
 * every input file's SHA-256. Each run hashes the inputs (a few milliseconds) and rebuilds the
 * bundle when any changed, so a stale bundle is never run. `npm ci` builds it (`prepare`, with
 * --prepare, which also builds the prebuilt policy pack). If esbuild cannot build (e.g. a syntax
 * error), the planner runs through tsx as before, which reports the error the usual way.
 *
 * Each bundled module keeps its own __dirname/__filename (they locate the repository root).
 */
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const {
  MISSING,
  hashFile,
  keepNpmPackagesExternal,
  removeOldBundles,
  sha256,
  staleInput,
  workspacePackages,
  writeAtomically,
} = require("../plan/bundleFiles.cjs");

const ROOT = path.resolve(__dirname, "..");
/** Bumped when the build options below change. */
const FORMAT = 1;

/**
 * A bundle of `entries` (name -> path relative to `root`) in `outDir`. `configInputs`: files that
 * change how the sources compile though no module imports them. The repository's planner is
 * `PLANNER` below; tests build small projects with their own.
 */
function createBundle({ root, outDir, entries, configInputs }) {
  const manifestPath = path.join(outDir, "manifest.json");

  /** The bundle's files when every input is unchanged, else undefined (with the reason in `why`). */
  function freshBundle(why = {}) {
    let manifest;
    try {
      manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
    } catch {
      why.reason = "not built";
      return undefined;
    }
    if (manifest.format !== FORMAT || !manifest.inputs || !manifest.outputs) {
      why.reason = "old format";
      return undefined;
    }
    const stale = staleInput(root, manifest.inputs);
    if (stale) {
      why.reason = stale;
      return undefined;
    }
    const outputs = {};
    for (const [entry, file] of Object.entries(manifest.outputs)) {
      outputs[entry] = path.join(outDir, file);
      if (!fs.existsSync(outputs[entry])) {
        why.reason = `${file} is missing`;
        return undefined;
      }
    }
    return outputs;
  }

  /** Bundle the entries; returns their files. Throws esbuild's errors. */
  async function buildBundle() {
    const esbuild = require("esbuild");
    // Workspace packages are bundled like local modules; every other bare import stays a require.
    const workspaces = workspacePackages(root);
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: entries,
      bundle: true,
      write: false,
      metafile: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      outdir: outDir,
      logLevel: "silent",
      plugins: [
        {
          name: "planner",
          setup(build) {
            keepNpmPackagesExternal(build, workspaces);
            // A module that uses __dirname or __filename gets its own (one bundle has one of each).
            build.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
              const source = fs.readFileSync(args.path, "utf8");
              if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
              const prologue = `const __dirname = ${JSON.stringify(path.dirname(args.path))}, __filename = ${JSON.stringify(args.path)};`;
              return { contents: `${prologue}\n${source}`, loader: "ts", resolveDir: path.dirname(args.path) };
            });
          },
        },
      ],
    });
    const inputs = {};
    const files = [...Object.keys(result.metafile.inputs), ...configInputs].filter((f) => !f.includes("node_modules/"));
    for (const file of [...new Set(files)].sort()) inputs[file] = hashFile(path.join(root, file)) ?? MISSING;
    const fingerprint = sha256(JSON.stringify({ FORMAT, esbuild: esbuild.version, inputs })).slice(0, 16);
    fs.mkdirSync(outDir, { recursive: true });
    const outputs = {};
    for (const entry of Object.keys(entries)) {
      const output = result.outputFiles.find((f) => path.basename(f.path) === `${entry}.js`);
      const file = `${entry}-${fingerprint}.js`;
      writeAtomically(path.join(outDir, file), output.contents);
      outputs[entry] = file;
    }
    writeAtomically(manifestPath, `${JSON.stringify({ format: FORMAT, inputs, outputs }, null, 2)}\n`);
    removeOldBundles(outDir, new Set(Object.values(outputs)), /\.js$/);
    return Object.fromEntries(Object.entries(outputs).map(([entry, file]) => [entry, path.join(outDir, file)]));
  }

  /** The fresh bundle, building it if needed; undefined if it cannot be built. */
  async function ensureBundle() {
    const fresh = freshBundle();
    if (fresh) return fresh;
    try {
      return await buildBundle();
    } catch (error) {
      if (process.env.PLANNER_BUNDLE_DEBUG === "1") process.stderr.write(`planner bundle: ${error.message}\n`);
      return undefined;
    }
  }

  return { freshBundle, buildBundle, ensureBundle, manifestPath };
}

/** The planner: the CLI and the policy pack build (which `--prepare` runs). */
const PLANNER = createBundle({
  root: ROOT,
  outDir: path.join(ROOT, "node_modules", ".cache", "secure-azureml", "planner"),
  entries: { cli: "plan/cli.ts", packBuild: "plan/policy/packBuild.ts" },
  configInputs: ["tsconfig.json", "package.json", "scripts/planner.cjs", "plan/bundleFiles.cjs"],
});

/** Run `tsx plan/cli.ts`, exactly what the npm scripts ran before the bundle (also PLANNER_BUNDLE=0). */
function runWithTsx(args) {
  const tsx = path.join(path.dirname(require.resolve("tsx/package.json")), "dist", "cli.mjs");
  const result = spawnSync(process.execPath, [tsx, path.join("plan", "cli.ts"), ...args], { stdio: "inherit" });
  return result.status ?? 1;
}

async function prepare() {
  const bundle = await PLANNER.ensureBundle();
  if (!bundle) {
    process.stderr.write("prepare: the planner bundle could not be built; `npm start` will run through tsx.\n");
    return;
  }
  const { buildPolicyPack, packBuildStatus } = require(bundle.packBuild);
  const packDir = path.join(ROOT, "policies");
  if (packBuildStatus(packDir).state === "fresh") return;
  const result = await buildPolicyPack(packDir);
  if (result.state !== "fresh")
    process.stderr.write(
      `prepare: the policy pack was not prebuilt, so it loads from its TypeScript sources: ${result.reason}\n`,
    );
}

async function main(args) {
  // `--prepare` (npm ci): build the bundle and the prebuilt policy pack; never fails the install.
  if (args[0] === "--prepare") {
    await prepare().catch((error) => process.stderr.write(`prepare: ${error.message}\n`));
    return 0;
  }
  const bundle = process.env.PLANNER_BUNDLE === "0" ? undefined : await PLANNER.ensureBundle();
  if (!bundle) return runWithTsx(args);
  require("../plan/policy/lazyModules.cjs").deferPulumiSerializationModules();
  return require(bundle.cli).main(args);
}

module.exports = { createBundle, PLANNER };

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`plan/cli.ts failed: ${error.stack ?? error.message}\n`);
      process.exit(1);
    },
  );
}
