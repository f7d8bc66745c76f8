import { BaselineResourcePolicy } from "../support/baseline";
import { computePolicies } from "./compute";
import { endpointsPolicies } from "./endpoints";
import { generalPolicies } from "./general";
import { mlopsRegistryPolicies } from "./mlopsRegistry";
import { mlopsServingPolicies } from "./mlopsServing";
import { keyVaultPolicies } from "./keyVault";
import { monitoringPolicies } from "./monitoring";
import { networkPolicies } from "./network";
import { rbacPolicies } from "./rbac";
import { registryPolicies } from "./registry";
import { storagePolicies } from "./storage";
import { workspacePolicies } from "./workspace";

/** Every resource rule of the pack, grouped by resource family. */
export const resourcePolicies: BaselineResourcePolicy[] = [
  ...workspacePolicies,
  ...computePolicies,
  ...endpointsPolicies,
  ...storagePolicies,
  ...keyVaultPolicies,
  ...registryPolicies,
  ...monitoringPolicies,
  ...networkPolicies,
  ...rbacPolicies,
  ...generalPolicies,
  ...mlopsRegistryPolicies,
  ...mlopsServingPolicies,
];
