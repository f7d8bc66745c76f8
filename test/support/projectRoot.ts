import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/** Project roots made by this test file, removed when the file's tests end. */
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A temporary project root holding the churn-inference conda spec, as the repository would. */
export function projectWithCondaSpec(spec: string): string {
  const root = mkdtempSync(join(tmpdir(), "aml-project-"));
  roots.push(root);
  mkdirSync(join(root, "assets/environments/churn-inference"), { recursive: true });
  writeFileSync(join(root, "assets/environments/churn-inference/conda.yaml"), spec);
  return root;
}
