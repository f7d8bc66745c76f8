import { z } from "zod";
import { CLOUD_NAMES } from "secure-azureml-facts";
import type { RawRecord } from "./raw";

/** The Azure cloud the stack deploys to (`cloud`); several sections' rules depend on it. */
export const cloudSchema = z.enum(CLOUD_NAMES).default("AzureCloud");

/** The raw config's cloud (the default when absent); undefined when invalid (the schema reports it). */
export function cloudOf(raw: RawRecord): (typeof CLOUD_NAMES)[number] | undefined {
  const result = cloudSchema.safeParse(raw.cloud);
  return result.success ? result.data : undefined;
}

/** `West Europe` and `westeurope` name the same region. */
export function normaliseLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}
