import { z } from "zod";
import { PROJECT_NAME } from "../validate";
import { SERVING_MODELS_KEY, SERVING_PROJECT_NAME, SERVING_SECTIONS } from "../layers";
import { stackConfigSchema } from "../stack";

/**
 * The rows of the configuration reference, read from the schema's JSON Schema (input side, so
 * defaults are the values a user may omit): one row per key a user writes, with its stack file,
 * type, default and the description given with `.describe()` in `config/sections/*`.
 */

/** The part of a JSON Schema node the reference reads. */
interface JsonNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonNode>;
  required?: string[];
  additionalProperties?: JsonNode | boolean;
  items?: JsonNode;
  oneOf?: JsonNode[];
  anyOf?: JsonNode[];
  allOf?: JsonNode[];
}

/** One key of the reference. */
export interface KeyRow {
  /** The key as written in its stack file, without namespace. */
  key: string;
  /** Which stack file holds the key. */
  layer: "platform" | "serving";
  /** Type and accepted values, as Markdown. */
  type: string;
  /** The default, `required`, or `none`, as Markdown. */
  defaultValue: string;
  /** The description from the schema; empty when the schema gives none. */
  description: string;
}

const code = (text: string) => `\`${text}\``;

/** Zod's whole numbers carry the safe-integer bounds; they are no limit a user meets. */
const unbounded = (value: number | undefined) =>
  value !== undefined && Math.abs(value) >= Number.MAX_SAFE_INTEGER ? undefined : value;

function describeNumber(node: JsonNode): string {
  const whole = node.type === "integer";
  node = { ...node, minimum: unbounded(node.minimum), maximum: unbounded(node.maximum) };
  const low = node.minimum ?? (node.exclusiveMinimum !== undefined ? `> ${node.exclusiveMinimum}` : undefined);
  const high = node.maximum ?? (node.exclusiveMaximum !== undefined ? `< ${node.exclusiveMaximum}` : undefined);
  const name = whole ? "whole number" : "number";
  if (typeof low === "number" && typeof high === "number") return `${name} ${low}-${high}`;
  const bounds = [
    low === undefined ? undefined : typeof low === "number" ? `≥ ${low}` : low,
    high === undefined ? undefined : typeof high === "number" ? `≤ ${high}` : high,
  ].filter(Boolean);
  return bounds.length ? `${name}, ${bounds.join(" and ")}` : name;
}

function describeString(node: JsonNode): string {
  if (node.pattern?.startsWith("^\\/subscriptions")) return "Azure resource id";
  const length =
    node.minLength !== undefined && node.maxLength !== undefined
      ? `, ${node.minLength}-${node.maxLength} characters`
      : node.maxLength !== undefined
        ? `, at most ${node.maxLength} characters`
        : "";
  return `string${length}`;
}

/** The type of a node, as Markdown. */
function describeType(node: JsonNode): string {
  if (node.enum) return node.enum.map((value) => code(String(value))).join(" \\| ");
  if (node.const !== undefined) return code(typeof node.const === "string" ? node.const : JSON.stringify(node.const));
  const options = node.oneOf ?? node.anyOf;
  if (options) return [...new Set(options.map(describeType))].join(" or ");
  switch (node.type) {
    case "string":
      return describeString(node);
    case "integer":
    case "number":
      return describeNumber(node);
    case "boolean":
      return "boolean";
    case "array":
      return `list of ${node.items ? describeType(node.items) : "values"}${node.maxItems !== undefined ? ` (at most ${node.maxItems})` : ""}`;
    case "object":
      if (node.properties) return "map of " + Object.keys(node.properties).map(code).join(", ");
      if (typeof node.additionalProperties === "object")
        return `map of names to ${describeType(node.additionalProperties)}`;
      return "map";
    default:
      return "see below";
  }
}

function formatDefault(node: JsonNode, required: boolean): string {
  const value = node.default;
  if (typeof value === "string") return code(/^[\d.]+$/.test(value) ? `"${value}"` : value);
  if (value !== undefined)
    return code(
      JSON.stringify(value)
        .replace(/"([A-Za-z_]\w*)":/g, "$1: ")
        .replace(/,/g, ", "),
    );
  return required ? "required" : "none";
}

/** Key as written: serving sections keep their name, `assets.models` is the serving key `models`. */
function written(path: readonly string[]): { key: string; layer: KeyRow["layer"] } {
  if ((SERVING_SECTIONS as readonly string[]).includes(path[0])) return { key: path.join("."), layer: "serving" };
  if (path[0] === "assets" && path[1] === "models")
    return { key: [SERVING_MODELS_KEY, ...path.slice(2)].join("."), layer: "serving" };
  return { key: path.join("."), layer: "platform" };
}

const isObjectWithKeys = (node: JsonNode) =>
  node.type === "object" && node.properties !== undefined && Object.keys(node.properties).length > 0;
const isRecordOfObjects = (node: JsonNode) =>
  node.type === "object" &&
  !node.properties &&
  typeof node.additionalProperties === "object" &&
  isExpandable(node.additionalProperties);
const isListOfObjects = (node: JsonNode) =>
  node.type === "array" && node.items !== undefined && isExpandable(node.items);

function isExpandable(node: JsonNode): boolean {
  const options = node.oneOf ?? node.anyOf;
  if (options) return options.every(isExpandable);
  return isObjectWithKeys(node) || isRecordOfObjects(node);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Name segment for the values of a record, after its key. */
function recordName(key: string): string {
  if (key === "endpoints" || key === "batchEndpoints") return "<endpoint>";
  if (key === "deployments") return "<deployment>";
  return "<name>";
}

/** The rows below one node. A node's own row is emitted when it is a leaf or carries a description. */
function rowsOf(path: string[], node: JsonNode, required: boolean, rows: KeyRow[]): void {
  const parentDefault = isPlainObject(node.default) ? node.default : undefined;
  const options = node.oneOf ?? node.anyOf;
  const expandable = isExpandable(node) || isListOfObjects(node);
  if (path.length > 0 && (!expandable || node.description)) {
    rows.push({
      ...written(path),
      type: describeType(node),
      defaultValue: formatDefault(node, required),
      description: node.description ?? "",
    });
  }
  if (options && expandable) {
    for (const option of options)
      rowsOf(path, { ...option, description: undefined, default: option.default ?? node.default }, false, rows);
    return;
  }
  if (isObjectWithKeys(node)) {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const inherited =
        child.default === undefined && parentDefault?.[key] !== undefined
          ? { ...child, default: parentDefault[key] }
          : child;
      rowsOf([...path, key], inherited, (node.required ?? []).includes(key) && inherited.default === undefined, rows);
    }
  } else if (isRecordOfObjects(node)) {
    rowsOf(
      [...path, recordName(path[path.length - 1])],
      { ...(node.additionalProperties as JsonNode), description: undefined },
      false,
      rows,
    );
  } else if (isListOfObjects(node)) {
    const items = node.items as JsonNode;
    rowsOf([...path.slice(0, -1), `${path[path.length - 1]}[]`], { ...items, description: undefined }, false, rows);
  }
}

/** Merge rows of the same key (the options of a discriminated union): their types are joined, the first description kept. */
function merged(rows: readonly KeyRow[]): KeyRow[] {
  const byKey = new Map<string, KeyRow>();
  for (const row of rows) {
    const seen = byKey.get(row.key);
    if (!seen) {
      byKey.set(row.key, { ...row });
      continue;
    }
    const types = [...new Set([...seen.type.split(" \\| "), ...row.type.split(" \\| ")])];
    seen.type = types.join(" \\| ");
    if (!seen.description) seen.description = row.description;
    if (seen.defaultValue !== row.defaultValue)
      seen.defaultValue =
        seen.defaultValue === "none" || seen.defaultValue === "required" ? row.defaultValue : seen.defaultValue;
  }
  return [...byKey.values()];
}

/** Every key of the stack configuration, in schema order. */
export function configKeyRows(): KeyRow[] {
  const schema = z.toJSONSchema(stackConfigSchema, {
    io: "input",
    unrepresentable: "any",
    reused: "inline",
  }) as JsonNode;
  const rows: KeyRow[] = [];
  rowsOf([], schema, true, rows);
  return merged(rows);
}

/** The namespace a row's key is written under. */
export function namespaceOf(row: KeyRow): string {
  return row.layer === "serving" ? SERVING_PROJECT_NAME : PROJECT_NAME;
}
