/**
 * Plain-text fitting for the terminal: colour escapes stripped (stripAnsi), truncation
 * with an ellipsis, and word wrapping that breaks a word longer than the line rather than losing it.
 * Widths count UTF-16 code units: the planner prints no wide (CJK) characters or emoji.
 */

/** The SGR escapes picocolors writes (`ESC [ ... m`). */
// eslint-disable-next-line no-control-regex
const ANSI_ESCAPE = /\u001b\[[0-9;]*m/g;

export const ELLIPSIS = "…";

/** The text without colour escapes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_ESCAPE, "");
}

/** The text cut to `width` columns, ending in `…` when cut. Expects plain text. */
export function truncateEnd(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? ELLIPSIS.slice(0, width) : `${text.slice(0, width - 1)}${ELLIPSIS}`;
}

/**
 * The text cut to `width` columns after a whole word, ending in `…` when cut; within a word only
 * when the last space is in the first 60% of the line.
 */
export function truncateWords(text: string, width: number): string {
  if (text.length <= width) return text;
  const space = text.lastIndexOf(" ", width - 1);
  return space > width * 0.6 ? `${text.slice(0, space).replace(/[\s,;:]+$/, "")}${ELLIPSIS}` : truncateEnd(text, width);
}

/** The text cut to `width` columns in the middle, keeping its start and (the larger part) its end. */
export function truncateMiddle(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return ELLIPSIS.slice(0, width);
  const head = Math.floor((width - 1) / 3);
  const tail = width - 1 - head;
  return `${text.slice(0, head)}${ELLIPSIS}${text.slice(text.length - tail)}`;
}

/**
 * Plain text wrapped to lines of at most `width` columns: at spaces where it can, inside a word
 * longer than a line where it must. Existing line breaks are kept. `indent` starts every line after
 * the first (a hanging indent); the first line starts with `firstIndent` (default none).
 */
export function wrapText(
  text: string,
  width: number,
  options: { indent?: string; firstIndent?: string } = {},
): string[] {
  const indent = options.indent ?? "";
  const lines: string[] = [];
  let prefix = options.firstIndent ?? "";
  for (const paragraph of text.split(/\r?\n/)) {
    let line = prefix;
    let empty = true;
    const flush = () => {
      lines.push(line.trimEnd());
      prefix = indent;
      line = prefix;
      empty = true;
    };
    for (const word of paragraph.split(/ +/).filter((w) => w !== "")) {
      const room = width - line.length - (empty ? 0 : 1);
      if (word.length <= room) {
        line += empty ? word : ` ${word}`;
        empty = false;
        continue;
      }
      if (!empty && word.length <= width - prefix.length) {
        flush();
        line += word;
        empty = false;
        continue;
      }
      // A word longer than a whole line: fill this line, then break it across the next ones.
      let rest = word;
      if (!empty) line += " ";
      while (rest.length > 0) {
        if (line.length >= width && !empty) flush();
        const space = Math.max(1, width - line.length);
        line += rest.slice(0, space);
        rest = rest.slice(space);
        empty = false;
        if (rest.length > 0) flush();
      }
    }
    flush();
  }
  return lines;
}

/** Each line of the text wrapped to `width`, continuation lines indented by `indent`. */
export function wrapLines(text: string, width: number, indent = "  "): string {
  return text
    .split("\n")
    .flatMap((line) => {
      if (line.length <= width) return [line];
      const lead = /^ */.exec(line)?.[0] ?? "";
      return wrapText(line.slice(lead.length), width, { firstIndent: lead, indent: `${lead}${indent}` });
    })
    .join("\n");
}

/**
 * `intro` and the items, comma-separated, on at most `maxLines` lines of `width`, each starting
 * with `indent`; whole items only: those that do not fit are counted as `+N more`.
 */
export function listWithin(
  intro: string,
  items: readonly string[],
  width: number,
  maxLines: number,
  indent: string,
): string[] {
  const lines: string[] = [];
  let line = `${indent}${intro}`;
  for (const [i, item] of items.entries()) {
    const left = items.length - i - 1;
    const piece = `${item}${left > 0 ? "," : ""}`;
    const lastLine = lines.length >= maxLines - 1;
    // On the last line, keep room for the "+N more" that may follow.
    const reserve = lastLine && left > 0 ? ` +${left} more`.length : 0;
    const gap = line.endsWith(" ") ? "" : " ";
    if (line.length + gap.length + piece.length + reserve <= width) {
      line += `${gap}${piece}`;
      continue;
    }
    if (lastLine) {
      lines.push(`${line.replace(/,$/, "")} +${items.length - i} more`);
      return lines;
    }
    lines.push(line);
    line = `${indent}${piece}`;
  }
  lines.push(line);
  return lines;
}
