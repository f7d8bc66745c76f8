import { readFileSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { datastoreUri } from "secure-azureml-facts";
import { parse } from "yaml";

/**
 * Versioned assets from code: where an environment's conda spec lives in the repository, how it
 * is read (synchronously, once, at program start), and how asset versions are derived from
 * content, so that changing a spec produces a new version and never rewrites an existing one.
 */

/** What this module reads of an `assets.environments` entry (the section's schema produces it). */
export interface EnvironmentSpecSource {
  readonly image: string;
  readonly condaFile?: string;
  readonly description?: string;
}

/** The project root (the directory holding Pulumi.yaml); spec paths in config are relative to it. */
export const PROJECT_ROOT = resolve(__dirname, "..", "..");

/** The spec path of an environment: its `condaFile`, or `assets/environments/<name>/conda.yaml`. */
export function condaFilePath(name: string, environment: Pick<EnvironmentSpecSource, "condaFile">): string {
  return environment.condaFile ?? `assets/environments/${name}/conda.yaml`;
}

/** A spec read from the repository, or why it cannot be used. */
export type SpecResult = { ok: true; content: string } | { ok: false; problem: string };

/** The absolute path of a spec inside the repository, or undefined when the path leaves it. */
function insideRepository(root: string, path: string): string | undefined {
  if (isAbsolute(path)) return undefined;
  const absolute = resolve(root, path);
  const fromRoot = relative(root, absolute);
  return fromRoot === "" || fromRoot.startsWith(`..${sep}`) || fromRoot === ".." || isAbsolute(fromRoot)
    ? undefined
    : absolute;
}

/** Why a parsed conda file is not an environment spec, or undefined when it is one. */
function condaShapeProblem(spec: unknown): string | undefined {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec))
    return "is not a conda environment file: expected a YAML mapping with a dependencies list";
  const dependencies = (spec as Record<string, unknown>).dependencies;
  if (!Array.isArray(dependencies) || dependencies.length === 0)
    return "has no dependencies list: a conda environment file lists the packages to install under dependencies";
  return undefined;
}

/**
 * Read an environment's conda spec from the repository (relative to `root`). Line endings are
 * normalised so a checkout on Windows yields the same content, and the same version.
 */
export function readCondaSpec(root: string, path: string): SpecResult {
  const absolute = insideRepository(root, path);
  if (absolute === undefined)
    return {
      ok: false,
      problem: `is ${path}, outside the repository; keep the spec in the repository and give its path relative to the project root`,
    };
  let text: string;
  try {
    if (!statSync(absolute).isFile())
      return { ok: false, problem: `names ${path}, which is not a file; give the path of the conda YAML file` };
    text = readFileSync(absolute, "utf8");
  } catch {
    return {
      ok: false,
      problem: `names ${path}, which does not exist in the repository (paths are relative to the project root)`,
    };
  }
  const content = text.replace(/\r\n/g, "\n");
  let spec: unknown;
  try {
    spec = parse(content);
  } catch (error) {
    return { ok: false, problem: `names ${path}, which is not valid YAML: ${(error as Error).message.split("\n")[0]}` };
  }
  const shape = condaShapeProblem(spec);
  return shape ? { ok: false, problem: `names ${path}, which ${shape}` } : { ok: true, content };
}

export { datastoreUri };

/** What this module reads of an `assets.data` entry. */
export interface DataAssetLocation {
  readonly type: "uri_folder" | "uri_file";
  readonly datastore: string;
  readonly path: string;
}

/** An environment ready to create: its base image, conda spec content and description (the library derives its version from the content). */
export interface EnvironmentSpec {
  image: string;
  condaFile: string;
  description?: string;
}

/**
 * Read every environment's spec, synchronously, before any resource exists. Config validation
 * has already checked the files; a problem here (a file deleted since) throws.
 */
export function loadEnvironmentSpecs(
  environments: Readonly<Record<string, EnvironmentSpecSource>>,
  root = PROJECT_ROOT,
): Record<string, EnvironmentSpec> {
  return Object.fromEntries(
    Object.entries(environments).map(([name, environment]) => {
      const path = condaFilePath(name, environment);
      const spec = readCondaSpec(root, path);
      if (!spec.ok) throw new Error(`assets.environments.${name}.condaFile ${spec.problem}`);
      return [
        name,
        {
          image: environment.image,
          condaFile: spec.content,
          description: environment.description,
        },
      ];
    }),
  );
}
