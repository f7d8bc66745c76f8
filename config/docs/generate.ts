import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { format, resolveConfig } from "prettier";
import { KeyRow, configKeyRows, namespaceOf } from "./keyRows";

/**
 * `npm run docs:config`: writes `docs/configuration.md` from `config/docs/template.md` (the prose)
 * and the schema (every key's table row). `test/config/docsGenerated.test.ts` checks that the
 * committed file is this output.
 */

const ROOT = join(__dirname, "../..");
const TEMPLATE_PATH = join(__dirname, "template.md");
/** Where the reference is written. */
export const CONFIGURATION_REFERENCE_PATH = join(ROOT, "docs/configuration.md");
const KEYS_MARKER = "<!-- generated:keys -->";

const cell = (text: string) => text.replace(/\n/g, " ").replace(/(?<!\\)\|/g, "\\|");
/** Prose from the schema: placeholders such as `<name>` are not HTML. */
const prose = (text: string) => cell(text).replace(/</g, "&lt;").replace(/>/g, "&gt;");

function stackFile(row: KeyRow): string {
  return row.layer === "serving" ? `serving (\`${namespaceOf(row)}:\`)` : `platform (\`${namespaceOf(row)}:\`)`;
}

/** The table of every key. */
export function renderKeyTable(rows: readonly KeyRow[]): string {
  const header = [
    "| Key | Stack file | Type and accepted values | Default | Description |",
    "| --- | --- | --- | --- | --- |",
  ];
  const lines = rows.map(
    (row) =>
      `| \`${row.key}\` | ${stackFile(row)} | ${cell(row.type)} | ${cell(row.defaultValue)} | ${prose(row.description)} |`,
  );
  return [...header, ...lines].join("\n");
}

/** The whole configuration reference, formatted as prettier formats Markdown in this repository. */
export async function renderConfigurationReference(): Promise<string> {
  const template = readFileSync(TEMPLATE_PATH, "utf8");
  if (!template.includes(KEYS_MARKER)) throw new Error(`${TEMPLATE_PATH} lacks the marker ${KEYS_MARKER}`);
  const text = template.replace(KEYS_MARKER, renderKeyTable(configKeyRows()));
  const options = (await resolveConfig(CONFIGURATION_REFERENCE_PATH)) ?? {};
  return format(text, { ...options, parser: "markdown" });
}

async function main(): Promise<void> {
  writeFileSync(CONFIGURATION_REFERENCE_PATH, await renderConfigurationReference());
  console.log(`wrote ${CONFIGURATION_REFERENCE_PATH}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
