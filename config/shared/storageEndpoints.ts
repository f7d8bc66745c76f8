import { STORAGE_SUB_RESOURCES, StorageSubResource } from "secure-azureml-facts";
import { RawRecord, recordAt } from "./raw";
import { stringEntries } from "./rawParse";

/** `storage.privateEndpoints` when absent: the two endpoints every private workspace needs. */
export const DEFAULT_STORAGE_ENDPOINTS: readonly StorageSubResource[] = ["blob", "file"];

/** The valid storage sub-resources the raw config asks endpoints for (the default when absent; the schema reports invalid entries). */
export function storageEndpointsToCheck(raw: RawRecord): StorageSubResource[] {
  const value = recordAt(raw, "storage")?.privateEndpoints;
  if (value === undefined) return [...DEFAULT_STORAGE_ENDPOINTS];
  const valid = new Set(stringEntries(value).map(([s]) => s));
  return STORAGE_SUB_RESOURCES.filter((s) => valid.has(s));
}
