"use strict";
/**
 * File helpers shared by the two esbuild bundles this repository keeps fresh by hashing their
 * inputs: the planner bundle (scripts/planner.cjs, plain CommonJS so it runs before any bundle or
 * TypeScript loader exists) and the prebuilt policy pack (plan/policy/packBuild.ts, which the
 * planner bundle includes). policies/load.js checks the pack's manifest on its own: the pack folder
 * must load with nothing from outside it.
 */
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

/** SHA-256 of the content, hex. */
function sha256(content) {
  return createHash("sha256").update(content).digest("hex");
}

/** SHA-256 of the file, or undefined when it cannot be read. */
function hashFile(file) {
  try {
    return sha256(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

/** What a manifest records for an input that did not exist at build time (never a SHA-256). */
const MISSING = "missing";

/**
 * The first input (path relative to `baseDir` -> SHA-256, or `MISSING`) that changed, appeared or
 * is gone, as a reason; undefined when every input is as recorded.
 */
function staleInput(baseDir, inputs) {
  for (const [file, hash] of Object.entries(inputs)) {
    const actual = hashFile(path.join(baseDir, file)) ?? MISSING;
    if (actual !== hash) return `${file} ${actual === MISSING ? "is gone" : "changed"}`;
  }
  return undefined;
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
function writeAtomically(file, content) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}

/** Deletes the files of `outDir` matching `pattern` except `keep`; each is kept a minute in case a process is loading it. */
function removeOldBundles(outDir, keep, pattern) {
  for (const file of fs.readdirSync(outDir)) {
    if (!pattern.test(file) || keep.has(file)) continue;
    try {
      const target = path.join(outDir, file);
      if (Date.now() - fs.statSync(target).mtimeMs > 60_000) fs.rmSync(target, { force: true });
    } catch {
      // already gone
    }
  }
}

/** The names of the npm workspaces of the repository at `root` (package.json `workspaces`). */
function workspacePackages(root) {
  const names = new Set();
  let manifest = {};
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  } catch {
    // no manifest: no workspaces
  }
  for (const workspace of Array.isArray(manifest.workspaces) ? manifest.workspaces : []) {
    try {
      const name = JSON.parse(fs.readFileSync(path.join(root, workspace, "package.json"), "utf8")).name;
      if (name) names.add(name);
    } catch {
      // a workspace without a manifest bundles nothing
    }
  }
  return names;
}

/** In an esbuild plugin's setup: every bare import stays a `require`, except the workspace packages, which are bundled. */
function keepNpmPackagesExternal(build, workspaces) {
  build.onResolve({ filter: /^[^./]/ }, (args) => {
    const parts = args.path.split("/");
    const name = args.path.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
    return workspaces.has(name) ? undefined : { external: true };
  });
}

module.exports = {
  MISSING,
  sha256,
  hashFile,
  staleInput,
  writeAtomically,
  removeOldBundles,
  workspacePackages,
  keepNpmPackagesExternal,
};
