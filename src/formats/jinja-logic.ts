import type { Range } from '../core/range.js';

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
    const start = m.index;
    const end = start + m[0].length;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const nl = text.indexOf('\n', end);
    const lineEnd = nl < 0 ? text.length : nl;
    if (/^[ \t]*$/.test(text.slice(lineStart, start)) && /^[ \t\r]*$/.test(text.slice(end, lineEnd))) spans.push({ start, end });
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
