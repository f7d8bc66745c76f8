import type { PluginBuild } from "esbuild";

/** Types of plan/bundleFiles.cjs (shared by scripts/planner.cjs and plan/policy/packBuild.ts). */
export const MISSING: "missing";
export function sha256(content: Buffer | string): string;
export function hashFile(file: string): string | undefined;
export function staleInput(baseDir: string, inputs: Record<string, string>): string | undefined;
export function writeAtomically(file: string, content: Buffer | string | Uint8Array): void;
export function removeOldBundles(outDir: string, keep: ReadonlySet<string>, pattern: RegExp): void;
export function workspacePackages(root: string): Set<string>;
export function keepNpmPackagesExternal(build: PluginBuild, workspaces: ReadonlySet<string>): void;
