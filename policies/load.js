"use strict";
/**
 * The pack's main module (package.json "main"), for the Pulumi CLI (`pulumi preview --policy-pack
 * policies`, which runs it through @pulumi/pulumi's run-policy-pack) and for the offline planner.
 *
 * It loads bin/pack-<fingerprint>.js, the pack prebuilt to JavaScript by plan/policy/packBuild.ts
 * (type-checked first; `npm ci` builds it, `npm start` rebuilds it when a source changed), only
 * while every file it was built from still has the SHA-256 that bin/manifest.json records.
 * Otherwise it loads the TypeScript sources (index.ts), which the CLI's loader (ts-node)
 * compiles and type-checks as it always did. A stale build is never used.
 * POLICY_PACK_FROM_SOURCE=1 forces the sources (the way the pack loaded before the build existed).
 */
const { createHash } = require("node:crypto");
const { existsSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

/** Must equal PACK_BUILD_FORMAT in plan/policy/packBuild.ts. */
const FORMAT = 1;

/** The bundle to load, or the reason to load the sources. */
function prebuilt() {
  if (process.env.POLICY_PACK_FROM_SOURCE === "1") return { reason: "POLICY_PACK_FROM_SOURCE=1" };
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(__dirname, "bin", "manifest.json"), "utf8"));
  } catch {
    return { reason: "not built" };
  }
  if (manifest.format !== FORMAT || typeof manifest.bundle !== "string" || !manifest.inputs)
    return { reason: `bin/manifest.json has format ${manifest.format}, not ${FORMAT}` };
  const bundle = join(__dirname, "bin", manifest.bundle);
  if (!existsSync(bundle)) return { reason: `bin/${manifest.bundle} is missing` };
  for (const [file, hash] of Object.entries(manifest.inputs)) {
    let actual;
    try {
      actual = createHash("sha256")
        .update(readFileSync(join(__dirname, file)))
        .digest("hex");
    } catch {
      return { reason: `${file} is gone since the build` };
    }
    if (actual !== hash) return { reason: `${file} changed since the build` };
  }
  return { bundle };
}

const choice = prebuilt();
if (choice.bundle) {
  require(choice.bundle);
} else if (require.extensions[".ts"]) {
  if (choice.reason !== "not built" && choice.reason !== "POLICY_PACK_FROM_SOURCE=1")
    process.stderr.write(
      `policy pack: loading the TypeScript sources, the prebuilt bin/ is out of date (${choice.reason}).\n`,
    );
  require("./index.ts");
} else {
  throw new Error(
    `policy pack: the prebuilt JavaScript in ${join(__dirname, "bin")} cannot be used (${choice.reason}) and no TypeScript loader is registered to load the sources; run \`npm run prepare\` to rebuild it`,
  );
}
