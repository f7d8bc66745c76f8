import { readFileSync } from "node:fs";
import { z } from "zod";
import { Plan } from "../contract";

/** Reading a plan written by `npm start -- --json PATH` (the contract in plan/contract.ts). */

export class PlanFileError extends Error {}

const urns = z.array(z.string());
const plannedResource = z.object({
  urn: z.string().startsWith("urn:pulumi:"),
  type: z.string(),
  name: z.string(),
  custom: z.boolean(),
  parent: z.string().nullable(),
  dependencies: urns,
  propertyDependencies: z.record(z.string(), urns),
  inputs: z.record(z.string(), z.unknown()),
  outputs: z.record(z.string(), z.unknown()),
  options: z.object({
    protect: z.boolean(),
    ignoreChanges: z.array(z.string()),
    replaceOnChanges: z.array(z.string()),
    deleteBeforeReplace: z.boolean(),
    customTimeouts: z
      .object({ create: z.string().optional(), update: z.string().optional(), delete: z.string().optional() })
      .optional(),
  }),
});
const planSchema = z.object({
  version: z.literal(1),
  project: z.string(),
  stack: z.string(),
  resources: z.array(plannedResource),
  outputs: z.record(z.string(), z.unknown()),
  secretPlaceholders: z.array(z.string()),
  lateRegistrations: z.array(z.string()),
});

/** Parse and check a plan; errors name the file and the offending path. */
export function parsePlan(text: string, source: string): Plan {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new PlanFileError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = planSchema.safeParse(document);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `  - ${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new PlanFileError(
      `${source} is not a plan written by \`npm start -- --json\` (plan contract version 1):\n${issues.join("\n")}`,
    );
  }
  return parsed.data;
}

export function readPlanFile(path: string): Plan {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PlanFileError(
      code === "ENOENT"
        ? `plan file ${path} does not exist (write one with \`npm start -- --json ${path}\`)`
        : `cannot read plan file ${path}: ${(error as Error).message}`,
    );
  }
  return parsePlan(text, path);
}
