import { z } from "zod";
import { assetsSchema, mlRegistrySchema } from "./sections/assets";
import { computeSchema } from "./sections/compute";
import {
  keyVaultSchema,
  monitoringSchema,
  protectionSchema,
  registrySchema,
  storageSchema,
} from "./sections/dataServices";
import { alertsSchema, endpointsSchema } from "./sections/endpoints";
import { cloudSchema, locationSchema, namePrefixSchema, resourceGroupNameSchema, tagsSchema } from "./sections/general";
import { batchEndpointsSchema, modelMonitoringSchema, retrainingSchema } from "./sections/modelOperations";
import { networkSchema, privateDnsSchema } from "./sections/network";
import { personasSchema, workspaceSchema } from "./sections/workspace";

/**
 * The stack configuration schema: the sections composed, with their secure defaults. Each
 * section (`sections/*.ts`) holds its shapes and its cross-field rules; `validate.ts` runs both.
 */

/** The whole stack configuration, after defaults. */
export const stackConfigSchema = z.strictObject({
  location: locationSchema.describe(
    "Azure region of the chosen cloud, as az account list-locations prints it (westeurope); display names are normalised. Replaces every resource.",
  ),
  cloud: cloudSchema.describe(
    "Azure cloud: selects the accepted regions, the private DNS zone names and the Key Vault DNS suffix. Replaces every resource.",
  ),
  namePrefix: namePrefixSchema.describe(
    "2-8 lowercase letters or digits, starting with a letter; part of every resource name. Replaces every resource.",
  ),
  resourceGroupName: resourceGroupNameSchema
    .optional()
    .describe(
      "Resource group the stack creates and deploys into; default rg-<namePrefix>. 1-90 letters, digits, - _ . ( ), not ending in a period. Replaces every resource.",
    ),
  tags: tagsSchema
    .default({})
    .describe(
      "Tags applied to every resource that supports them, besides the program's workload, managed-by and pulumi-stack: at most 12 while the stack creates private DNS zones (15 per zone and link), else 47; names 1-128 characters without < > % & \\ ? /, unique ignoring case; values strings of at most 256 characters.",
    ),
  network: networkSchema,
  privateDns: privateDnsSchema.default({ mode: "create" }),
  workspace: workspaceSchema.prefault({}),
  personas: personasSchema.prefault({}),
  monitoring: monitoringSchema.prefault({}),
  storage: storageSchema.prefault({}),
  keyVault: keyVaultSchema.prefault({}),
  registry: registrySchema.prefault({}),
  protection: protectionSchema.prefault({}),
  compute: computeSchema.prefault({}),
  endpoints: endpointsSchema.default({}),
  alerts: alertsSchema.prefault({}),
  mlRegistry: mlRegistrySchema.prefault({}),
  assets: assetsSchema.prefault({}),
  modelMonitoring: modelMonitoringSchema.default({}),
  retraining: retrainingSchema.optional(),
  batchEndpoints: batchEndpointsSchema.default({}),
});

/** The validated configuration every component is built from. */
export type StackConfig = z.output<typeof stackConfigSchema>;
export type NetworkConfig = StackConfig["network"];
export type PrivateDnsConfig = StackConfig["privateDns"];
export type WorkspaceConfig = StackConfig["workspace"];
export type PersonasConfig = StackConfig["personas"];

/** Top-level config keys, in documentation order. */
export const CONFIG_KEYS = Object.keys(stackConfigSchema.shape) as (keyof StackConfig)[];
