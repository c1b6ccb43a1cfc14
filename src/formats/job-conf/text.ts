import { lineBreakCounts, type Range } from '../../core/range.js';

/** Small helpers for splicing lines of text: indentation, whole-line ranges, line breaks. */

/**
 * Where the line holding `offset` starts. The first line starts after a byte order mark: the BOM
 * is no column of it (a key after it is at column 0, as PyYAML and XML parsers read it), and a
 * line inserted or removed there leaves the BOM first in the file.
 */
export function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i === 0 && offset > 0 && text.charCodeAt(0) === 0xfeff ? 1 : i;
}

/** Offset just past the line break of the line holding `offset` (or the text length). */
export function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  if (text[i] === '\r' && text[i + 1] === '\n') return i + 2;
  if (i < text.length) return i + 1;
  return i;
}

/** Offset of the line break at the end of the line holding `offset` (before `\r\n` / `\n`). */
export function lineContentEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** The whitespace before `offset` on its line, when only whitespace precedes it; else undefined. */
export function indentBefore(text: string, offset: number): string | undefined {
  const ls = lineStartOf(text, offset);
  const lead = text.slice(ls, offset);
  return /^[ \t]*$/.test(lead) ? lead : undefined;
}

/**
 * The range to delete to remove `r`: whole lines when `r` is alone on them (its indentation and
 * its line break go too), otherwise `r` itself.
 */
export function wholeLines(text: string, r: Range): Range {
  const ls = lineStartOf(text, r.start);
  if (!/^[ \t]*$/.test(text.slice(ls, r.start))) return r;
  const ce = lineContentEnd(text, r.end);
  if (!/^[ \t]*$/.test(text.slice(r.end, ce))) return r;
  return { start: ls, end: lineEndOf(text, r.end) };
}

/** `\r\n` when the text mostly uses it, else `\n`. */
export function eolOf(text: string): string {
  const { lf, crlf, cr } = lineBreakCounts(text);
  // A lone CR (classic Mac) is a line break to PyYAML and expat too: new lines use it when it dominates.
  return cr > lf && cr > crlf ? '\r' : crlf > lf ? '\r\n' : '\n';
}

/** True when an insertion at `at` would fall at the start of, or inside, one of `removed`. */
export function insertionClashes(at: number, removed: readonly Range[]): boolean {
  return removed.some((r) => at >= r.start && at < r.end);
}
