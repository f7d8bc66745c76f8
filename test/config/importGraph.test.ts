import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";

/** The config model's import graph: every relative import of every file under `config/`, as paths relative to `config/`. */
const CONFIG_DIR = resolve(__dirname, "../../config");

function importGraph(): Map<string, string[]> {
  const files = readdirSync(CONFIG_DIR, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith(".ts"));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(CONFIG_DIR, file), "utf8"), true, true);
    const targets = importedFiles
      .map((imported) => imported.fileName)
      .filter((name) => name.startsWith("."))
      .map((name) => relative(CONFIG_DIR, resolve(CONFIG_DIR, dirname(file), name)))
      .map((target) => (files.includes(`${target}.ts`) ? `${target}.ts` : join(target, "index.ts")));
    graph.set(file.split("\\").join("/"), targets);
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, "visiting");
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "visiting") found.push([...path.slice(path.indexOf(next)), next].join(" -> "));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe("config/ import graph", () => {
  const graph = importGraph();

  it("covers the sections, the shared shapes and the stack", () => {
    expect([...graph.keys()]).toEqual(
      expect.arrayContaining([
        "stack.ts",
        "validate.ts",
        "layers.ts",
        "sections/network.ts",
        "sections/compute.ts",
        "shared/errors.ts",
      ]),
    );
  });

  it("has no cycle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("keeps sections and shared shapes below the stack, validation and layers", () => {
    const upward = [...graph].flatMap(([file, targets]) =>
      /^(sections|shared)\//.test(file)
        ? targets
            .filter((target) => ["stack.ts", "validate.ts", "layers.ts", "index.ts", "warnings.ts"].includes(target))
            .map((t) => `${file} -> ${t}`)
        : [],
    );
    expect(upward).toEqual([]);
  });

  it("keeps shared free of sections, and sections free of each other", () => {
    const reaching = [...graph].flatMap(([file, targets]) => {
      if (file.startsWith("shared/"))
        return targets.filter((t) => !t.startsWith("shared/")).map((t) => `${file} -> ${t}`);
      if (file.startsWith("sections/"))
        return targets.filter((t) => !t.startsWith("shared/")).map((t) => `${file} -> ${t}`);
      return [];
    });
    expect(reaching).toEqual([]);
  });
});
