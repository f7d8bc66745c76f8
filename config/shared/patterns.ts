/** Regular expressions and checks shared by the config schema. */

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export { armIdPattern } from "secure-azureml-facts";

/** A DNS name with an optional leading `*.` wildcard label. */
export const FQDN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Characters Azure does not accept in tag names. */
export { TAG_NAME_FORBIDDEN_CHARACTERS as TAG_NAME_FORBIDDEN } from "secure-azureml-facts";

/**
 * A port list for an outbound service-tag rule: `*`, or comma-separated ports and `low-high`
 * ranges, each port 1-65535 and each range ascending, e.g. `443`, `80,443`, `8000-8080`.
 */
export function isPortRangeList(value: string): boolean {
  if (value === "*") return true;
  return value.split(",").every((part) => {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    if (!match) return false;
    const lowText = match[1];
    const highText = match.at(2);
    const low = Number(lowText);
    const high = highText === undefined ? low : Number(highText);
    return low >= 1 && high <= 65535 && low <= high && !/^0/.test(lowText) && !/^0/.test(highText ?? "1");
  });
}
