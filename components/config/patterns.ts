/** Regular expressions and checks shared by the config schema. */

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `/subscriptions/<guid>/resourceGroups/<rg>/providers/<Namespace>/<type>/<name>[/<type>/<name>...]` */
export function armIdPattern(providerType: string): RegExp {
  const segments = providerType.split("/");
  const namespace = segments[0].replace(/\./g, "\\.");
  const types = segments.slice(1).map((t) => `/${t}/[^/]+`).join("");
  return new RegExp(`^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/${namespace}${types}$`, "i");
}

/** A DNS name with an optional leading `*.` wildcard label. */
export const FQDN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Characters Azure does not accept in tag names. */
export const TAG_NAME_FORBIDDEN = /[<>%&\\?/]/;
