import type { Range } from '../core/range.js';

/**
 * Configuration files are often Ansible templates (`job_conf.xml.j2`, `galaxy.yml.j2`): `{{ expr }}`, `{% stmt %}` and
 * `{# comment #}` sit inside tags, attribute values, keys and between elements. They are opaque
 * text to us: the readers parse a *masked* copy of the file in which every Jinja span is replaced
 * by filler of exactly the same length (line breaks kept), so every offset into the masked text is
 * an offset into the original, and edits are spliced into the original text unchanged.
 */
export interface JinjaMask {
  /** The text with each Jinja span replaced by same-length filler. */
  readonly masked: string;
  /** The Jinja spans, in order, as ranges into the original text. */
  readonly spans: readonly Range[];
}

const JINJA = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g;

/**
 * `expressionFill` is the character that replaces the inside of `{{ }}` (YAML wants a letter so
 * that `key: {{ v }}` stays a string rather than becoming null); statements and comments always
 * become spaces, which XML and YAML both read as nothing.
 */
export function maskJinja(text: string, expressionFill = ' '): JinjaMask {
  const spans: Range[] = [];
  if (!text.includes('{{') && !text.includes('{%') && !text.includes('{#')) return { masked: text, spans };
  let out = '';
  let at = 0;
  JINJA.lastIndex = 0;
  for (const m of text.matchAll(JINJA)) {
    const start = m.index;
    const end = start + m[0].length;
    // An expression alone on its line renders unknown lines (a macro call, a block of text):
    // it is read as nothing, like a statement.
    const fill = m[0].startsWith('{{') && !aloneOnLine(text, start, end) ? expressionFill : ' ';
    out += text.slice(at, start) + m[0].replace(/[^\r\n]/g, fill);
    spans.push({ start, end });
    at = end;
  }
  return { masked: out + text.slice(at), spans };
}

/** True when [start, end) overlaps a Jinja span (the value there is only known after rendering). */
export function touchesJinja(spans: readonly Range[], r: Range): boolean {
  const end = Math.max(r.end, r.start + 1);
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid]!;
    if (s.end <= r.start) lo = mid + 1;
    else if (s.start >= end) hi = mid - 1;
    else return true;
  }
  return false;
}

/** True when [start, end) is all its line holds but blanks. */
function aloneOnLine(text: string, start: number, end: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const nl = text.indexOf('\n', end);
  const lineEnd = nl < 0 ? text.length : nl;
  return /^[ \t]*$/.test(text.slice(lineStart, start)) && /^[ \t\r]*$/.test(text.slice(end, lineEnd));
}

/*
 * Configuration files that are Ansible templates (`galaxy.yml.j2`, templates/galaxy/config/*.yml)
 * are rendered by Jinja before Galaxy or uWSGI read them: `{% if %}` lines vanish, a `{{ var |
 * to_nice_yaml }}` alone on its line becomes lines nobody can know here. Inline expressions
 * (`mount: {{ prefix }}=app`) are part of a value and stay text.
 */

const LOGIC = /\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g;
const EXPRESSION = /\{\{[\s\S]*?\}\}/g;

/** Jinja statements and comments, and expressions alone on their line: what rendering adds or removes lines with. */
export function jinjaLogicSpans(text: string): Range[] {
  if (!text.includes('{%') && !text.includes('{#') && !text.includes('{{')) return [];
  const spans: Range[] = [];
  for (const m of text.matchAll(LOGIC)) spans.push({ start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(EXPRESSION)) {
    if (aloneOnLine(text, m.index, m.index + m[0].length)) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return spans.sort((a, b) => a.start - b.start);
}

/**
 * The text with every logic span blanked (line breaks kept, so offsets and lines stay the file's).
 * A span that starts its line becomes a `#` comment there: a line of spaces is not nothing to
 * every reader (uWSGI's YAML reader counts it as a line of the block).
 */
export function blankJinjaLogic(text: string, spans: readonly Range[] = jinjaLogicSpans(text)): string {
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    const blank = text.slice(s.start, s.end).replace(/[^\r\n]/g, ' ');
    const startsLine = /(^|\n)[ \t]*$/.test(text.slice(Math.max(0, s.start - 200), s.start));
    out += text.slice(at, s.start) + (startsLine ? `#${blank.slice(1)}` : blank);
    at = s.end;
  }
  return out + text.slice(at);
}

/** The first logic span inside `range`, if any: a section holding one has no fixed set of lines. */
export function jinjaLogicWithin(spans: readonly Range[], range: Range): Range | undefined {
  return spans.find((s) => s.start < range.end && s.end > range.start);
}

/** True when a value holds a Jinja expression or statement: only rendering knows what it is. */
export function hasJinja(value: string): boolean {
  return value.includes('{{') || value.includes('{%');
}
