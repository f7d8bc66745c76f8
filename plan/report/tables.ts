import { renderTextTable } from "../terminal/table";

/** Output formats of the plan tools: console tables, or GitHub-flavoured markdown for PR comments. */
export type TextFormat = "text" | "markdown";

function markdownCell(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

/**
 * A table in the chosen format: a markdown pipe table, or the console table of `npm start`
 * (plan/terminal/table.ts), at most `width` columns wide when one is given.
 */
export function renderTable(head: string[], rows: string[][], format: TextFormat, width?: number): string {
  if (format === "text") return renderTextTable(head, rows, { width });
  const line = (cells: string[]) => `| ${cells.map(markdownCell).join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

/** `code` in markdown, plain in text. */
export function code(text: string, format: TextFormat): string {
  return format === "markdown" ? `\`${text.replace(/`/g, "'")}\`` : text;
}

/** A section heading. */
export function heading(text: string, format: TextFormat, level = 3): string {
  return format === "markdown" ? `${"#".repeat(level)} ${text}` : text;
}

/** USD, with cents for amounts of a dollar or more and up to four decimals below. */
export function usd(amount: number): string {
  if (Math.abs(amount) >= 1)
    return `$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (amount === 0) return "$0.00";
  // Two decimals at least, more for small rates ($0.016, $0.0001), trailing zeros beyond two dropped.
  const decimals = Math.min(6, Math.max(2, 2 - Math.floor(Math.log10(Math.abs(amount)))));
  return `$${amount.toFixed(decimals).replace(/(\.\d\d\d*?)0+$/, "$1")}`;
}
