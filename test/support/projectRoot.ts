import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "vitest";

/** Project roots made by this test file, removed when the file's tests end. */
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A temporary project root holding these files (path relative to the root -> contents). */
export function temporaryProjectRoot(files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), "aml-project-"));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A temporary project root holding the churn-inference conda spec, as the repository would. */
export function projectWithCondaSpec(spec: string): string {
  return temporaryProjectRoot({ "assets/environments/churn-inference/conda.yaml": spec });
}
