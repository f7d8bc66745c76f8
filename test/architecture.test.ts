import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Layer boundaries, from the imports of every .ts file (static, `export ... from`, dynamic
 * `import()` and `require()`, type-only imports included: TypeScript's own pre-processor finds them).
 * - components/ is the library: it never reaches the programs, their bridges (platform/, serving/), the planner or the pack.
 * - program.ts, serving/program.ts and the bridges in platform/ and serving/ are consumers of the library:
 *   they import it only through its public entry, components/index.ts.
 * - policies/ is the pack, publishable alone: it never reaches the library, the program or the planner.
 * - plan/: commands -> renderers -> estimators -> read model; nothing imports a layer above it.
 */
const ROOT = resolve(__dirname, "..");

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : tsFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Each import of a file, with the repository path it resolves to (without extension), or the package name. */
function importsOf(file: string): { specifier: string; target: string }[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return importedFiles.map(({ fileName: specifier }) => {
    if (!specifier.startsWith(".")) return { specifier, target: `package:${specifier}` };
    const path = relative(ROOT, resolve(dirname(file), specifier))
      .split(sep)
      .join("/");
    return { specifier, target: path.replace(/\.(ts|js|json)$/, "") };
  });
}

/** The repository's own package names a module could reach the program through. */
const PROGRAM_PACKAGE = /^package:secure-azureml(\/|$)/;

/** Imports of the files under `folder` that land in one of `forbidden` (top-level folders or root modules, no extension). */
function crossings(folder: string, forbidden: string[]): string[] {
  return tsFiles(join(ROOT, folder)).flatMap((file) =>
    importsOf(file)
      .filter(
        ({ target }) =>
          PROGRAM_PACKAGE.test(target) || forbidden.some((f) => target === f || target.startsWith(`${f}/`)),
      )
      .map(({ specifier }) => `${relative(ROOT, file).split(sep).join("/")} imports "${specifier}"`),
  );
}

describe("layer boundaries", () => {
  it("the scanner sees static and dynamic imports (here: the planner's known ones into the program)", () => {
    const planner = crossings("plan", ["config", "program"]);
    expect(planner).toContain('plan/commands/plan.ts imports "../../config"');
    expect(planner).toContain('plan/layers.ts imports "../program"');
  });

  it("components/ (the library) imports nothing from the planner, the pack, the programs or their bridges (platform/, serving/)", () => {
    expect(crossings("components", ["plan", "policies", "program", "platform", "serving", "index"])).toEqual([]);
  });

  it("components/ (the library) imports nothing from the program's config model (config/): bridges map config to Args", () => {
    expect(crossings("components", ["config"])).toEqual([]);
  });

  /** The programs and their bridges: consumers of the library, like any other program. */
  const CONSUMERS = [
    "program.ts",
    ...["platform", "serving"].flatMap((folder) =>
      tsFiles(join(ROOT, folder)).map((file) => relative(ROOT, file).split(sep).join("/")),
    ),
  ];

  it("the programs and their bridges (program.ts, platform/, serving/) import the library only through its public entry, components/index.ts", () => {
    const imports = CONSUMERS.flatMap((file) => importsOf(join(ROOT, file)).map((entry) => ({ file, ...entry })));
    const deep = imports
      .filter(
        ({ target }) =>
          (target.startsWith("components/") && target !== "components/index") ||
          target.startsWith("package:secure-azureml/"),
      )
      .map(({ file, specifier }) => `${file} imports "${specifier}"`);
    expect(CONSUMERS).toEqual(
      expect.arrayContaining([
        "program.ts",
        "platform/environment.ts",
        "serving/program.ts",
        "serving/environment.ts",
        "serving/assetChecks.ts",
      ]),
    );
    // Not vacuous: the bridges do use the library, through its entry.
    expect(imports.filter(({ target }) => target === "components").map(({ file }) => file)).toEqual(
      expect.arrayContaining(["platform/environment.ts", "serving/environment.ts", "serving/liveCapacity.ts"]),
    );
    expect(deep).toEqual([]);
  });

  it("policies/ (the pack, publishable alone) imports nothing from the library, the planner, the program or the serving layer", () => {
    expect(crossings("policies", ["components", "plan", "program", "serving", "index"])).toEqual([]);
  });

  /** The plan read model: the Plan JSON contract, the index over it, the policy result shape (with its enforcement levels). */
  const READ_MODEL = ["plan/contract", "plan/planIndex", "plan/policy/report", "plan/policy/config"];

  it("plan/: the read model imports nothing but itself", () => {
    const upward = READ_MODEL.flatMap((module) =>
      importsOf(join(ROOT, `${module}.ts`))
        .filter(({ target }) => !target.startsWith("package:") && !READ_MODEL.includes(target))
        .map(({ specifier }) => `${module}.ts imports "${specifier}"`),
    );
    expect(upward).toEqual([]);
  });

  it("plan/: estimators (cost, deploy time, diff) import no renderer", () => {
    const estimators = ["cost", "deployTime", "diff"]
      .flatMap((folder) => tsFiles(join(ROOT, "plan", folder)))
      .filter((file) => !/[/\\](render|index)\.ts$/.test(file));
    const upward = estimators.flatMap((file) =>
      importsOf(file)
        .filter(
          ({ target }) =>
            target.startsWith("plan/report/") ||
            target.endsWith("/render") ||
            target === "plan/summary" ||
            target.startsWith("plan/diagram"),
        )
        .map(({ specifier }) => `${relative(ROOT, file)} imports "${specifier}"`),
    );
    expect(estimators.length).toBeGreaterThan(5);
    expect(upward).toEqual([]);
  });

  it("plan/: only the CLI imports the commands (renderers, estimators and the read model never reach up)", () => {
    const below = tsFiles(join(ROOT, "plan")).filter(
      (file) =>
        !relative(ROOT, file).startsWith(join("plan", "commands")) && relative(ROOT, file) !== join("plan", "cli.ts"),
    );
    const upward = below.flatMap((file) =>
      importsOf(file)
        .filter(({ target }) => target === "plan/cli" || target.startsWith("plan/commands"))
        .map(({ specifier }) => `${relative(ROOT, file)} imports "${specifier}"`),
    );
    expect(upward).toEqual([]);
  });
});
