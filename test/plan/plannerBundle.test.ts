import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The planner bundle behind `npm start` (scripts/planner.cjs), on a small project of its own: a
 * bundle runs only while every input is unchanged, a change rebuilds it, each module keeps its own
 * __dirname, npm packages stay requires, and a source esbuild cannot build gives no bundle (the
 * launcher then runs through tsx, which reports the error).
 */
const ROOT = resolve(__dirname, "../..");

interface Bundle {
  freshBundle(why?: { reason?: string }): Record<string, string> | undefined;
  buildBundle(): Promise<Record<string, string>>;
  ensureBundle(): Promise<Record<string, string> | undefined>;
  manifestPath: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createBundle } = require("../../scripts/planner.cjs") as {
  createBundle: (options: {
    root: string;
    outDir: string;
    entries: Record<string, string>;
    configInputs: string[];
  }) => Bundle;
};

let project: string;
let bundle: Bundle;

interface Entry {
  where: string;
  value: string;
  helperDir: string;
  yamlParse: string;
}

function loadFresh(file: string): Entry {
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete
  delete require.cache[file];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as Entry;
}

beforeAll(() => {
  const parent = join(ROOT, "node_modules", ".cache", "secure-azureml", "test-bundles");
  mkdirSync(parent, { recursive: true });
  project = mkdtempSync(join(parent, "project-"));
  mkdirSync(join(project, "lib", "deep"), { recursive: true });
  writeFileSync(join(project, "tsconfig.json"), '{ "compilerOptions": { "target": "ES2022", "strict": true } }\n');
  writeFileSync(
    join(project, "entry.ts"),
    [
      'import { parse } from "yaml";',
      'import { helperDir, value } from "./lib/deep/helper";',
      "export const where = __dirname;",
      "export { helperDir, value };",
      "export const yamlParse = typeof parse;",
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(project, "lib", "deep", "helper.ts"),
    'export const value: string = "one";\nexport const helperDir = __dirname;\n',
  );
  bundle = createBundle({
    root: project,
    outDir: join(project, "out"),
    entries: { entry: "entry.ts" },
    configInputs: ["tsconfig.json"],
  });
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("the planner bundle", () => {
  it("builds on first use, keeps each module's own __dirname and leaves npm packages to require", async () => {
    const why: { reason?: string } = {};
    expect(bundle.freshBundle(why)).toBeUndefined();
    expect(why.reason).toBe("not built");
    const outputs = await bundle.ensureBundle();
    expect(outputs?.entry).toMatch(/out\/entry-[0-9a-f]{16}\.js$/);
    const loaded = loadFresh(outputs?.entry ?? "");
    expect(loaded).toMatchObject({
      value: "one",
      where: project,
      helperDir: join(project, "lib", "deep"),
      yamlParse: "function",
    });
    const code = readFileSync(outputs?.entry ?? "", "utf8");
    expect(code).toContain('require("yaml")');
    const manifest = JSON.parse(readFileSync(bundle.manifestPath, "utf8")) as { inputs: Record<string, string> };
    expect(Object.keys(manifest.inputs)).toEqual(["entry.ts", "lib/deep/helper.ts", "tsconfig.json"]);
  });

  it("is fresh while nothing changed, and stale as soon as an imported module or a config input changes", async () => {
    expect(bundle.freshBundle()).toBeDefined();
    writeFileSync(
      join(project, "lib", "deep", "helper.ts"),
      'export const value = "two";\nexport const helperDir = __dirname;\n',
    );
    const why: { reason?: string } = {};
    expect(bundle.freshBundle(why)).toBeUndefined();
    expect(why.reason).toBe("lib/deep/helper.ts changed");
    const outputs = await bundle.ensureBundle();
    expect(loadFresh(outputs?.entry ?? "").value).toBe("two");
    expect(bundle.freshBundle()).toEqual(outputs);

    writeFileSync(join(project, "tsconfig.json"), '{ "compilerOptions": { "target": "ES2020", "strict": true } }\n');
    expect(bundle.freshBundle(why)).toBeUndefined();
    expect(why.reason).toBe("tsconfig.json changed");
    await bundle.ensureBundle();
    expect(bundle.freshBundle()).toBeDefined();
  });

  it("gives no bundle for a source esbuild cannot build, so the launcher falls back to tsx", async () => {
    writeFileSync(join(project, "lib", "deep", "helper.ts"), "export const value = ;\n");
    await expect(bundle.buildBundle()).rejects.toThrow(/helper\.ts/);
    expect(await bundle.ensureBundle()).toBeUndefined();
    expect(bundle.freshBundle()).toBeUndefined();
  });
});
