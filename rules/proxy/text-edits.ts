import type { Edit } from '../../src/core/finding.js';
import { detectEol, type Range } from '../../src/core/range.js';

/**
 * Line-aware splices for proxy files: new lines take the indentation of the line they replace or
 * follow, and the file's own line break; a removed statement takes its line with it only when the
 * line holds nothing else (a comment after it stays). Every byte not named here stays as it was.
 */

function lineStart(text: string, at: number): number {
  let i = at;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

function lineEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** The end of the line break at `at` (or `at` when there is none). */
function pastBreak(text: string, at: number): number {
  if (text[at] === '\r' && text[at + 1] === '\n') return at + 2;
  if (text[at] === '\n' || text[at] === '\r') return at + 1;
  return at;
}

/** The indentation of the line `at` is on (its leading blanks). */
export function indentAt(text: string, at: number): string {
  const s = lineStart(text, at);
  let i = s;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(s, i);
}

/** True when only blanks stand before `r` on its line and only blanks after it. */
function aloneOnLine(text: string, r: Range): boolean {
  const s = lineStart(text, r.start);
  const e = lineEnd(text, r.end);
  return /^[ \t]*$/.test(text.slice(s, r.start)) && /^[ \t]*$/.test(text.slice(r.end, e));
}

/** Removes a statement: its whole line when it is alone there, else itself and the blanks after it. */
export function removeStatement(text: string, r: Range): Edit {
  if (aloneOnLine(text, r)) {
    const s = lineStart(text, r.start);
    return { start: s, end: pastBreak(text, lineEnd(text, r.end)), text: '' };
  }
  let e = r.end;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  return { start: r.start, end: e, text: '' };
}

/** Replaces a statement by one or more lines, the later ones indented like the first. */
export function replaceStatement(text: string, r: Range, lines: readonly string[]): Edit {
  const eol = detectEol(text);
  const indent = indentAt(text, r.start);
  return { start: r.start, end: r.end, text: lines.join(eol + indent) };
}

/** Inserts whole lines after the line that `r` ends on, indented like the line `r` starts on. */
export function insertLinesAfter(text: string, r: Range, lines: readonly string[], indent = indentAt(text, r.start)): Edit {
  const eol = detectEol(text);
  const e = lineEnd(text, r.end);
  const at = pastBreak(text, e);
  const body = lines.map((l) => indent + l).join(eol);
  // At the end of a file without a final line break, the new lines need one before them.
  return at === e ? { start: at, end: at, text: eol + body } : { start: at, end: at, text: body + eol };
}

/** Inserts whole lines before the line `r` starts on, with that line's indentation. */
export function insertLinesBefore(text: string, r: Range, lines: readonly string[]): Edit {
  const eol = detectEol(text);
  const s = lineStart(text, r.start);
  const indent = indentAt(text, r.start);
  return { start: s, end: s, text: lines.map((l) => indent + l + eol).join('') };
}
