import type { Range } from '../../core/range.js';

/**
 * Job confs are often Ansible templates (`job_conf.xml.j2`): `{{ expr }}`, `{% stmt %}` and
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
    const lineStart = Math.max(text.lastIndexOf('\n', start - 1) + 1, 0);
    const nl = text.indexOf('\n', end);
    const lineEnd = nl < 0 ? text.length : nl;
    const alone = /^[ \t]*$/.test(text.slice(lineStart, start)) && /^[ \t\r]*$/.test(text.slice(end, lineEnd));
    const fill = m[0].startsWith('{{') && !alone ? expressionFill : ' ';
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
