import { z } from "zod";
import { assetsSchema, mlRegistrySchema } from "./sections/assets";
import { computeSchema } from "./sections/compute";
import { keyVaultSchema, monitoringSchema, protectionSchema, registrySchema, storageSchema } from "./sections/dataServices";
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
  location: locationSchema,
  cloud: cloudSchema,
  namePrefix: namePrefixSchema,
  resourceGroupName: resourceGroupNameSchema.optional(),
  tags: tagsSchema.default({}),
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
