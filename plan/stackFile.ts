import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** Config read from a `Pulumi.<stack>.yaml`-format file, flattened the way Pulumi hands it to a program. */
export interface StackFileConfig {
  /** `<namespace>:<key>` -> string (structured values as JSON). */
  config: Record<string, string>;
  /** Keys that held `secure:` values. */
  secretKeys: string[];
}

/** The stand-in for a `secure:` value: it cannot be decrypted without the stack's secrets provider. */
export function secretPlaceholder(key: string): string {
  return `[secret placeholder for ${key}: not decrypted offline]`;
}

export class StackFileError extends Error {}

function isSecure(value: unknown): value is { secure: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    "secure" in value
  );
}

/** Replace every `secure:` leaf with a placeholder; report whether any was found. */
function withPlaceholders(key: string, value: unknown): { value: unknown; secret: boolean } {
  if (isSecure(value)) return { value: secretPlaceholder(key), secret: true };
  if (Array.isArray(value)) {
    const items = value.map((item, i) => withPlaceholders(`${key}[${i}]`, item));
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [k, withPlaceholders(`${key}.${k}`, v)] as const);
    return {
      value: Object.fromEntries(entries.map(([k, r]) => [k, r.value])),
      secret: entries.some(([, r]) => r.secret),
    };
  }
  return { value, secret: false };
}

export function readStackFile(path: string): StackFileConfig {
  let document: unknown;
  try {
    document = parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new StackFileError(`cannot read stack config ${path}: ${(error as Error).message}`);
  }
  const configSection: unknown =
    document && typeof document === "object" && "config" in document ? document.config : {};
  if (typeof configSection !== "object" || configSection === null || Array.isArray(configSection)) {
    throw new StackFileError(`${path}: "config" must be a mapping of <namespace>:<key> to values`);
  }
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, raw] of Object.entries(configSection)) {
    if (!key.includes(":"))
      throw new StackFileError(`${path}: config key "${key}" has no namespace; write it as <project>:${key}`);
    const { value, secret } = withPlaceholders(key, raw);
    if (secret) secretKeys.push(key);
    // The Pulumi CLI passes a top-level YAML null (`key: null`, `key: ~`, `key:`) as an empty string (pulumi/pulumi#19483).
    config[key] = typeof value === "string" ? value : value === null ? "" : JSON.stringify(value);
  }
  return { config, secretKeys };
}
