import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PackManifest,
  buildPolicyPack,
  ensurePolicyPackBuild,
  packBuildStatus,
  sha256,
} from "../../plan/policy/packBuild";

/**
 * The prebuilt JavaScript pack (plan/policy/packBuild.ts) and its loader (policies/load.js), on a
 * small pack of their own: a build is used only while every input is unchanged, a change makes
 * the loader take the sources (or refuse without a TypeScript loader) until the next build, and a
 * pack with type errors is never built. The pack lives under node_modules/.cache so that its
 * tsconfig finds @types/node the way policies/ does.
 */
const ROOT = resolve(__dirname, "../..");
const LOADER = join(ROOT, "policies", "load.js");

let packDir: string;

function writePack(rule: string): void {
  writeFileSync(join(packDir, "rule.ts"), rule);
}

/** Loads the pack folder in a fresh node (as run-policy-pack does); `tsLoader` registers tsx's .ts loader first. */
function loadPack(options: { tsLoader?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const script = [
    options.tsLoader ? 'require("tsx/cjs");' : "",
    `require(${JSON.stringify(packDir)});`,
    `console.log("files " + Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(packDir)})).map((f) => f.slice(${String(packDir.length + 1)})).sort().join(","));`,
  ].join("\n");
  const result = spawnSync(process.execPath, ["-e", script], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, POLICY_PACK_FROM_SOURCE: "", ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  const parent = join(ROOT, "node_modules", ".cache", "secure-azureml", "test-packs");
  mkdirSync(parent, { recursive: true });
  packDir = mkdtempSync(join(parent, "pack-"));
  writeFileSync(
    join(packDir, "package.json"),
    JSON.stringify({ name: "test-pack", version: "1.0.0", main: "load.js" }, null, 2),
  );
  copyFileSync(join(ROOT, "policies", "tsconfig.json"), join(packDir, "tsconfig.json"));
  copyFileSync(LOADER, join(packDir, "load.js"));
  writeFileSync(
    join(packDir, "index.ts"),
    'import { answer } from "./rule";\n\nconsole.log(`answer ${String(answer)}`);\n',
  );
  writePack("export const answer = 42;\n");
});

afterAll(() => rmSync(packDir, { recursive: true, force: true }));

describe("the prebuilt policy pack", () => {
  it("is stale before the first build, and load.js then needs a TypeScript loader for the sources", () => {
    expect(packBuildStatus(packDir)).toEqual({
      state: "stale",
      reason: expect.stringContaining("does not exist (the pack was never built)") as string,
    });
    const plain = loadPack();
    expect(plain.status).not.toBe(0);
    expect(plain.stderr).toContain("cannot be used (not built) and no TypeScript loader is registered");
    const withTs = loadPack({ tsLoader: true });
    expect(withTs.stdout).toContain("answer 42");
    expect(withTs.stdout).toContain("files index.ts,load.js,rule.ts");
  });

  it("builds a type-checked bundle and a manifest of every input's SHA-256, which load.js then loads", async () => {
    const result = await buildPolicyPack(packDir);
    expect(result.state).toBe("fresh");
    const manifest = JSON.parse(readFileSync(join(packDir, "bin", "manifest.json"), "utf8")) as PackManifest;
    expect(Object.keys(manifest.inputs)).toEqual(["index.ts", "package.json", "rule.ts", "tsconfig.json"]);
    expect(manifest.inputs["rule.ts"]).toBe(sha256("export const answer = 42;\n"));
    expect(manifest.bundle).toBe(`pack-${manifest.fingerprint.slice(0, 16)}.js`);
    expect(manifest.typeCheckedWith).toMatch(/^(tsgo|tsc) /);
    expect(packBuildStatus(packDir).state).toBe("fresh");
    // No TypeScript loader needed: only load.js and the bundle are loaded.
    const loaded = loadPack();
    expect(loaded.status).toBe(0);
    expect(loaded.stdout).toContain("answer 42");
    expect(loaded.stdout).toContain(`files bin/${manifest.bundle},load.js`);
  });

  it("never uses a stale build: after a source change load.js refuses it, or loads the sources with a notice", () => {
    writePack("export const answer = 43;\n");
    expect(packBuildStatus(packDir)).toEqual({ state: "stale", reason: "rule.ts changed since the build" });
    const plain = loadPack();
    expect(plain.status).not.toBe(0);
    expect(plain.stdout).not.toContain("answer 42");
    expect(plain.stderr).toContain("cannot be used (rule.ts changed since the build)");
    const withTs = loadPack({ tsLoader: true });
    expect(withTs.stdout).toContain("answer 43");
    expect(withTs.stdout).toContain("files index.ts,load.js,rule.ts");
    expect(withTs.stderr).toContain(
      "policy pack: loading the TypeScript sources, the prebuilt bin/ is out of date (rule.ts changed since the build)",
    );
  });

  it("rebuilds a stale build on demand (what the planner does before starting the pack)", async () => {
    const before = (JSON.parse(readFileSync(join(packDir, "bin", "manifest.json"), "utf8")) as PackManifest).bundle;
    const result = await ensurePolicyPackBuild(packDir);
    expect(result).toMatchObject({ state: "fresh", built: true });
    const after = (JSON.parse(readFileSync(join(packDir, "bin", "manifest.json"), "utf8")) as PackManifest).bundle;
    expect(after).not.toBe(before);
    expect(loadPack().stdout).toContain("answer 43");
    // Fresh: nothing is rebuilt.
    expect(await ensurePolicyPackBuild(packDir)).toMatchObject({ state: "fresh", built: false, buildMs: 0 });
  });

  it("treats a changed tsconfig.json or package.json as a source change", () => {
    const tsconfig = readFileSync(join(packDir, "tsconfig.json"), "utf8");
    writeFileSync(join(packDir, "tsconfig.json"), tsconfig.replace('"strict": true', '"strict": false'));
    expect(packBuildStatus(packDir)).toEqual({ state: "stale", reason: "tsconfig.json changed since the build" });
    writeFileSync(join(packDir, "tsconfig.json"), tsconfig);
    expect(packBuildStatus(packDir).state).toBe("fresh");
  });

  it("loads the sources when POLICY_PACK_FROM_SOURCE=1, even with a fresh build", () => {
    const loaded = loadPack({ tsLoader: true, env: { POLICY_PACK_FROM_SOURCE: "1" } });
    expect(loaded.stdout).toContain("files index.ts,load.js,rule.ts");
    expect(loaded.stderr).not.toContain("out of date");
  });

  it("does not build a pack with type errors: the compiler's message comes back and the sources stay in use", async () => {
    writePack('export const answer: number = "forty-four";\n');
    const result = await buildPolicyPack(packDir);
    expect(result.state).toBe("failed");
    expect(result.state === "failed" && result.reason).toMatch(/does not type-check[\s\S]*rule\.ts[\s\S]*TS2322/);
    expect(packBuildStatus(packDir)).toEqual({ state: "stale", reason: "rule.ts changed since the build" });
    writePack("export const answer = 43;\n");
  });

  it("leaves a pack whose main is not load.js to the CLI's loader", async () => {
    const other = mkdtempSync(join(packDir, "..", "plain-"));
    try {
      writeFileSync(join(other, "package.json"), JSON.stringify({ name: "p", version: "1.0.0", main: "index.ts" }));
      expect(packBuildStatus(other).state).toBe("unsupported");
      expect(await ensurePolicyPackBuild(other)).toMatchObject({ state: "unsupported" });
      expect(existsSync(join(other, "bin"))).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
