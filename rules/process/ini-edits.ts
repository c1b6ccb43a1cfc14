import type { Edit } from '../../src/core/finding.js';
import type { Range } from '../../src/core/range.js';
import type { IniAst, IniLine, IniSection } from '../../src/formats/ini/lossless.js';

/**
 * Removing whole INI sections by splicing, for supervisord files that are often ansible templates:
 * the section goes with the blank lines after it, a Jinja `{% for %}`/`{% if %}` that held only this
 * section goes too, and a removal that would leave a Jinja block unbalanced is refused (the caller
 * reports instead of breaking the template).
 */

const BLOCKS = new Set(['if', 'for', 'macro', 'block', 'filter', 'call', 'raw', 'with', 'autoescape', 'trans']);

/** The net depth change of the Jinja tags on a line (`{% if %}` +1, `{% endif %}` -1, both on one line 0). */
export function depthChange(text: string, line: IniLine): number {
  const t = text.slice(line.range.start, line.range.end);
  let d = 0;
  for (const m of t.matchAll(/\{%[-+]?\s*(\w+)([^%]*)%\}/g)) {
    const w = m[1]!;
    if (w.startsWith('end')) d--;
    else if (BLOCKS.has(w)) d++;
    // `{% set x %}…{% endset %}` is a block; `{% set x = … %}` a statement.
    else if (w === 'set' && !m[2]!.includes('=')) d++;
  }
  return d;
}

function tagOf(text: string, line: IniLine): 'open' | 'close' | 'other' {
  const d = depthChange(text, line);
  return d > 0 ? 'open' : d < 0 ? 'close' : 'other';
}

function lineIndexAt(ast: IniAst, offset: number): number {
  let lo = 0;
  let hi = ast.lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ast.lines[mid]!.full.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The index of the first line starting at or after `offset` (lines are in text order). */
function firstLineFrom(ast: IniAst, offset: number): number {
  let lo = 0;
  let hi = ast.lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ast.lines[mid]!.full.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when the template tags on the lines of [start, end) open and close in balance. */
export function balanced(text: string, ast: IniAst, r: Range): boolean {
  // Only the lines of the range are read (asked once per removed section: reading every line of
  // the file each time was quadratic in a file of thousands of programs).
  let depth = 0;
  for (let i = firstLineFrom(ast, r.start); i < ast.lines.length; i++) {
    const l = ast.lines[i]!;
    if (l.full.start >= r.end) break;
    if (l.kind !== 'template') continue;
    depth += depthChange(text, l);
    if (depth < 0) return false;
  }
  return depth === 0;
}

/**
 * The range that removes a section: its header to its last entry line, then the blank lines after
 * it; widened to a Jinja block around it when the block holds nothing else. Undefined when the
 * removal would cut a Jinja block in two.
 */
export function sectionRemoval(text: string, ast: IniAst, section: IniSection, keepTrailingBlanks = false): Range | undefined {
  let start = section.body.start;
  let end = section.body.end;
  const lines = ast.lines;
  if (!balanced(text, ast, { start, end })) {
    // `{% if %}` … `{% endif %}` around some of the section's own lines: take the closing tags
    // that follow the last entry (and only template or blank lines) along.
    let i = end >= text.length ? lines.length : lineIndexAt(ast, end);
    let found = false;
    while (i < lines.length && (lines[i]!.kind === 'template' || lines[i]!.kind === 'blank')) {
      end = lines[i]!.full.end;
      i++;
      if (balanced(text, ast, { start, end })) {
        found = true;
        break;
      }
    }
    if (!found) return undefined;
  }
  // Blank lines after the section.
  let j = lineIndexAt(ast, end);
  const afterBody = end >= text.length ? lines.length : j;
  let k = afterBody;
  while (k < lines.length && lines[k]!.kind === 'blank') k++;
  // A Jinja block that wraps only this section: `{% for i in … %}` above, `{% endfor %}` below.
  let p = lineIndexAt(ast, start) - 1;
  while (p >= 0 && lines[p]!.kind === 'blank') p--;
  const above = p >= 0 ? lines[p] : undefined;
  const below = k < lines.length ? lines[k] : undefined;
  if (above?.kind === 'template' && below?.kind === 'template' && tagOf(text, above) === 'open' && tagOf(text, below) === 'close') {
    start = above.full.start;
    end = below.full.end;
    j = lineIndexAt(ast, end);
    k = end >= text.length ? lines.length : j;
    while (k < lines.length && lines[k]!.kind === 'blank') k++;
    if (keepTrailingBlanks) return { start, end };
    return { start, end: k < lines.length ? lines[k]!.full.start : text.length };
  }
  if (keepTrailingBlanks) return { start, end };
  return { start, end: k < lines.length ? lines[k]!.full.start : text.length };
}

/** True when nothing but comments, blank and template lines would be left after removing `ranges`. */
export function leavesNoSection(ast: IniAst, removed: readonly Range[]): boolean {
  // A section is covered when some removal starting at or before it ends at or after it: with the
  // removals by start, the furthest end so far answers for each section in turn (no search of
  // every removal per section).
  const ranges = [...removed].sort((a, b) => a.start - b.start);
  const bodies = ast.sections.map((s) => s.body).sort((a, b) => a.start - b.start);
  let k = 0;
  let furthest = -Infinity;
  for (const b of bodies) {
    while (k < ranges.length && ranges[k]!.start <= b.start) furthest = Math.max(furthest, ranges[k++]!.end);
    if (furthest < b.end) return false;
  }
  return true;
}

/** `key = value` lines in the style of an existing section (aligned `=` or not). */
export function entryFormatter(text: string, section: IniSection | undefined): (key: string, value: string) => string {
  const first = section?.entries[0];
  let keyWidth = 0;
  let afterEq = ' ';
  let beforeEq = ' ';
  if (first) {
    const lineStart = text.lastIndexOf('\n', first.keyRange.start - 1) + 1;
    const eq = text.indexOf('=', first.keyRange.end);
    if (eq >= 0) {
      keyWidth = eq - lineStart;
      beforeEq = text.slice(first.keyRange.end, eq);
      afterEq = text.slice(eq + 1, first.valueRange.start);
    }
  }
  const aligned = beforeEq.length > 1;
  return (key, value) => {
    const left = aligned ? key.padEnd(Math.max(keyWidth, key.length + 1)) : `${key}${beforeEq}`;
    return `${left}=${afterEq}${value}`;
  };
}

export type { Edit };
