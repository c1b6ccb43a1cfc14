import { touchesJinja } from '../jinja.js';
import { isMap, isNode, isPair, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';
import type { Document } from '../../core/document.js';
import type { Edit } from '../../core/finding.js';
import type { GalaxyYmlAst } from './ast.js';
import type { TopSection } from './sections.js';
import { isEntries, renderEntries, sameValue, type Entry } from './write.js';

/**
 * Merging new keys into a mapping of a galaxy.yml by splicing text at node ranges: existing keys
 * and every byte around them stay as they are (comments, quoting, order); missing keys are written
 * at the end of their mapping's block with the mapping's own indentation; a key that already has a
 * different value is kept and reported, because what the admin wrote wins.
 */
export interface MergeResult {
  readonly edits: Edit[];
  /** Keys that already had a value other than the one the migration wanted (dotted paths). */
  readonly kept: { readonly path: string; readonly wanted: Entry['value'] }[];
  /** Why a part could not be merged (a flow mapping with content, a scalar where a mapping is needed). */
  readonly blocked: string[];
}

export function mergeIntoPair(doc: Document<GalaxyYmlAst>, pair: Pair, entries: readonly Entry[], path: string): MergeResult {
  const out: MergeResult = { edits: [], kept: [], blocked: [] };
  merge(doc, pair, entries, path, out);
  return out;
}

function merge(doc: Document<GalaxyYmlAst>, pair: Pair, entries: readonly Entry[], path: string, out: MergeResult): void {
  const text = doc.file.text;
  const { eol, indent: step } = doc.ast;
  const keyStart = rangeOf(pair.key)?.[0];
  if (keyStart === undefined) {
    out.blocked.push(`${path}: no position for the key`);
    return;
  }
  const keyIndent = doc.lines.position(keyStart).column - 1;
  const value = pair.value;
  const insertAt = blockEnd(doc, keyStart, keyIndent);

  if (isMap(value) && !value.flow) {
    const first = value.items.find(isPair);
    const firstStart = first ? rangeOf(first.key)?.[0] : undefined;
    const childIndent = firstStart !== undefined ? doc.lines.position(firstStart).column - 1 : keyIndent + step;
    const missing: Entry[] = [];
    for (const e of entries) {
      const existing = lastPair(value, e.key);
      if (!existing) missing.push(e);
      else if (isEntries(e.value)) merge(doc, existing, e.value, `${path}.${e.key}`, out);
      else if (!sameValue(jsOf(existing.value, doc), e.value)) out.kept.push({ path: `${path}.${e.key}`, wanted: e.value });
    }
    if (missing.length) out.edits.push(insertion(text, insertAt, renderEntries(missing, childIndent, step, eol), eol));
    return;
  }
  // No value yet: `key:` (only comments below), `key: ~`, `key: null` or `key: {}`.
  const empty = value === null || value === undefined || (isScalar(value) && value.value === null) || (isMap(value) && value.items.length === 0);
  if (empty) {
    const r = rangeOf(value);
    if (r && r[1] > r[0]) {
      // `key: ~` becomes `key:`, blanks before the value included.
      let from = r[0];
      while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
      out.edits.push({ start: from, end: r[1], text: '' });
    }
    out.edits.push(insertion(text, insertAt, renderEntries(entries, keyIndent + step, step, eol), eol));
    return;
  }
  out.blocked.push(`${path} is ${isMap(value) ? 'a flow mapping ({…})' : isSeq(value) ? 'a list' : 'a value'}, not a block mapping galaxy-migrate can add keys to`);
}

/** A new top-level section inserted before `before` (above the comment lines directly attached to it), or at the end. */
export function insertSection(doc: Document<GalaxyYmlAst>, name: string, entries: readonly Entry[], before: TopSection | undefined): Edit {
  const { eol, indent } = doc.ast;
  const body = `${name}:${eol}${renderEntries(entries, indent, indent, eol)}`;
  const text = doc.file.text;
  if (!before) return insertion(text, text.length, body, eol);
  let line = before.line;
  while (line > 1) {
    const prev = doc.lines.lineRange(line - 1);
    if (!/^#/.test(text.slice(prev.start, prev.end).replace(/^\uFEFF/, ''))) break;
    line--;
  }
  if (line === 1 && text.charCodeAt(0) === 0xfeff) {
    // uWSGI reads bytes: the byte order mark belongs to the first key (`\uFEFFuwsgi:` is no uwsgi
    // block to it). A section put above that key would take the mark away and change what uWSGI
    // reads there, so the new one goes after the first section instead.
    const next = doc.ast.sections.find((s) => s.range.start >= before.range.end);
    return next ? insertSection(doc, name, entries, next) : insertion(text, text.length, body, eol);
  }
  const at = doc.lines.offsetOfLine(line);
  return { start: at, end: at, text: `${body}${eol}` };
}

/**
 * Where a key's block ends: after the last following line indented deeper than the key (content
 * or comment), blank lines excluded. New keys of that mapping go there.
 */
export function blockEnd(doc: Document<GalaxyYmlAst>, keyStart: number, keyIndent: number): number {
  const text = doc.file.text;
  const startLine = doc.lines.position(keyStart).line;
  let end = doc.lines.fullLineRange(startLine).end;
  for (let n = startLine + 1; n <= doc.lines.lineCount; n++) {
    const r = doc.lines.lineRange(n);
    const line = text.slice(r.start, r.end);
    if (line.trim() === '') continue;
    const ind = line.length - line.replace(/^[ \t]+/, '').length;
    if (ind <= keyIndent) break;
    end = doc.lines.fullLineRange(n).end;
  }
  return end;
}

function insertion(text: string, at: number, body: string, eol: string): Edit {
  // At the end of a file without a final line break, start on a new line.
  const needsBreak = at === text.length && at > 0 && !/[\r\n]$/.test(text);
  return { start: at, end: at, text: needsBreak ? `${eol}${body}` : body };
}

function lastPair(map: YAMLMap, key: string): Pair | undefined {
  let found: Pair | undefined;
  for (const item of map.items) if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) found = item;
  return found;
}

function rangeOf(node: unknown): [number, number, number] | undefined {
  return isNode(node) ? (node.range ?? undefined) : undefined;
}

function jsOf(node: unknown, doc: Document<GalaxyYmlAst>): unknown {
  if (!isNode(node)) return node ?? null;
  // In a template, a value holding an expression is its template text, not the filler it was read as.
  const r = node.range;
  if (r && touchesJinja(doc.ast.jinja, { start: r[0], end: r[1] })) return doc.file.text.slice(r[0], r[1]);
  try {
    return node.toJS(doc.ast.yaml, { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}
