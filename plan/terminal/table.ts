import Table from "cli-table3";
import { shortenArmIdsIn } from "./armIds";
import { wrapText } from "./text";

/**
 * Console tables that fit the terminal: cli-table3 with column widths chosen so the whole table is
 * at most `width` columns, every cell wrapped to its column (long words broken, not cut), and ARM
 * ids shortened in the middle. Without a width the table takes its natural size.
 */

export interface TextTableOptions {
  /** Optional. The widest the table may be, borders included; default: its natural width. */
  width?: number;
}

/** A column is never squeezed below this (cell padding included), unless its content is narrower. */
const MIN_COLUMN = 8;
/** cli-table3 pads each cell with one space on either side. */
const PADDING = 2;

const STYLE = { head: [], border: [], compact: true };

function naturalWidth(cells: string[]): number {
  return Math.max(1, ...cells.flatMap((cell) => cell.split("\n").map((line) => line.length))) + PADDING;
}

/** The longest word of any cell, padding included: below it a column breaks words. */
function longestWord(cells: string[]): number {
  return Math.max(1, ...cells.flatMap((cell) => cell.split(/\s+/).map((word) => word.length))) + PADDING;
}

/**
 * Column widths (padding included) whose sum fits `available`. An even share first (water-filling:
 * columns narrower than their share keep their natural width, the others split what is left);
 * then a wrapping column whose longest word is shorter than its share gives the difference to the
 * wrapping columns that break words or wrap most, in proportion to what they lack. No column is
 * squeezed below `MIN_COLUMN` unless its content is narrower.
 */
export function fitColumns(natural: number[], available: number, words: number[] = natural): number[] {
  const total = (widths: number[]) => widths.reduce((sum, w) => sum + w, 0);
  if (total(natural) <= available) return natural;
  const widths = [...natural];
  let remaining = available;
  const order = natural.map((width, index) => ({ width, index })).sort((a, b) => a.width - b.width);
  order.forEach(({ width, index }, position) => {
    const share = Math.floor(remaining / (order.length - position));
    widths[index] = Math.max(Math.min(width, MIN_COLUMN), Math.min(width, share));
    remaining -= widths[index];
  });
  const wrapping = widths.map((width, i) => width < natural[i]);
  // Wrapping columns shrink to their longest word, and the room saved is shared out again.
  const floor = widths.map((width, i) => (wrapping[i] ? Math.max(MIN_COLUMN, Math.min(width, words[i])) : width));
  const lacking = natural.map((width, i) => (wrapping[i] ? width - floor[i] : 0));
  const spare = available - total(floor);
  if (spare <= 0 || total(lacking) === 0) return widths;
  const fitted = floor.map((width, i) => width + Math.floor((spare * lacking[i]) / total(lacking)));
  // Rounding leaves a few columns over: they go to the columns that lack the most.
  let left = available - total(fitted);
  for (const i of lacking.map((_, i) => i).sort((a, b) => lacking[b] - lacking[a])) {
    if (left <= 0) break;
    if (fitted[i] < natural[i]) {
      fitted[i] += 1;
      left -= 1;
    }
  }
  return fitted;
}

/** The table as text, at most `options.width` columns wide when the columns can shrink that far. */
export function renderTextTable(head: string[], rows: string[][], options: TextTableOptions = {}): string {
  const showHead = head.some((h) => h !== "");
  const cells = rows.map((row) => row.map((cell) => shortenArmIdsIn(cell)));
  const columns = Math.max(head.length, ...cells.map((row) => row.length));
  const column = (i: number) => [...(showHead ? [head[i] ?? ""] : []), ...cells.map((row) => row[i] ?? "")];
  const indexes = Array.from({ length: columns }, (_, i) => i);
  const natural = indexes.map((i) => naturalWidth(column(i)));
  const words = indexes.map((i) => longestWord(column(i)));
  // Borders: one character left of each column and one at the right edge.
  const widths = options.width === undefined ? natural : fitColumns(natural, options.width - (columns + 1), words);
  const wrap = (text: string, i: number) => wrapText(text, widths[i] - PADDING).join("\n");
  const table = new Table({
    head: showHead ? head.map(wrap) : [],
    colWidths: widths,
    wordWrap: true,
    style: STYLE,
  });
  for (const row of cells) table.push(row.map(wrap));
  return table.toString();
}
