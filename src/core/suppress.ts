import type { FileKind } from './document.js';
import type { Finding } from './finding.js';
import { LineIndex } from './range.js';

/**
 * Inline suppression, in each file kind's own comment syntax, on a line of its own directly above
 * the line it silences (hadolint's `# hadolint ignore=`, ESLint's `eslint-disable-next-line`):
 *
 *   # galaxy-migrate-disable-next-line uwsgi/listeners, uwsgi/mules -- proxied by the old box
 *   ; galaxy-migrate-disable-next-line uwsgi/listeners          (INI kinds also take `;`)
 *   <!-- galaxy-migrate-disable-next-line job-conf/handlers -->  (XML)
 *
 * Without rule ids it silences every rule on that line. Directives stack: a run of directive lines
 * applies to the first line after the run. `parse-error` cannot be silenced: a file that does not
 * parse is never migrated quietly.
 */
export const DIRECTIVE = 'galaxy-migrate-disable-next-line';
export const UNUSED_DIRECTIVE_RULE = 'unused-disable-directive';

export interface Directive {
  readonly file: string;
  /** 1-based line of the comment. */
  readonly line: number;
  readonly column: number;
  /** 1-based line it silences. */
  readonly target: number;
  /** Rule ids, or undefined for every rule. */
  readonly ruleIds?: readonly string[];
}

const HASH = /^([ \t]*)#[ \t]*galaxy-migrate-disable-next-line\b(.*)$/;
const HASH_OR_SEMI = /^([ \t]*)[#;][ \t]*galaxy-migrate-disable-next-line\b(.*)$/;
const XML = /^([ \t]*)<!--[ \t]*galaxy-migrate-disable-next-line\b(.*?)-->[ \t]*$/;

/** The comment forms a file kind understands; undefined kind (an included file) takes them all. */
function patternsFor(kind: FileKind | undefined): RegExp[] {
  switch (kind) {
    case 'job-conf-xml':
      return [XML];
    case 'uwsgi-ini':
    case 'galaxy-ini':
    case 'supervisor':
    case 'systemd':
      return [HASH_OR_SEMI];
    case undefined:
      return [HASH_OR_SEMI, XML];
    default:
      return [HASH];
  }
}

export function findDirectives(file: string, text: string, kind: FileKind | undefined): Directive[] {
  if (!text.includes(DIRECTIVE)) return [];
  const patterns = patternsFor(kind);
  const idx = new LineIndex(text);
  const parsed: ({ column: number; ruleIds?: string[] } | undefined)[] = [];
  for (let line = 1; line <= idx.lineCount; line++) {
    const r = idx.lineRange(line);
    const src = text.slice(r.start, r.end).replace(/^\uFEFF/, '');
    let hit: { column: number; ruleIds?: string[] } | undefined;
    for (const re of patterns) {
      const m = re.exec(src);
      if (!m) continue;
      const body = (m[2] ?? '').split(/\s--\s|\s--$/)[0] ?? '';
      const ids = body.split(/[\s,]+/).filter(Boolean);
      hit = { column: (m[1] ?? '').length + 1, ...(ids.length ? { ruleIds: ids } : {}) };
      break;
    }
    parsed.push(hit);
  }
  const out: Directive[] = [];
  for (let i = 0; i < parsed.length; i++) {
    const d = parsed[i];
    if (!d) continue;
    let t = i + 1;
    while (t < parsed.length && parsed[t]) t++;
    out.push({ file, line: i + 1, column: d.column, target: t + 1, ...(d.ruleIds ? { ruleIds: d.ruleIds } : {}) });
  }
  return out;
}

export interface SuppressResult {
  readonly kept: Finding[];
  readonly suppressed: Finding[];
  /** Directives that silenced nothing (a rule id that did not fire there, or a typo). */
  readonly unused: Directive[];
}

/**
 * Drops the findings a directive silences. Works on the file texts, after the engine, so every
 * rule gets it without doing anything.
 */
export function applySuppressions(
  findings: readonly Finding[],
  files: ReadonlyMap<string, { readonly text: string }>,
  kindOf: (file: string) => FileKind | undefined,
): SuppressResult {
  const byFile = new Map<string, Directive[]>();
  const used = new Set<Directive>();
  const directivesOf = (file: string): Directive[] => {
    let list = byFile.get(file);
    if (!list) {
      const text = files.get(file)?.text;
      list = text === undefined ? [] : findDirectives(file, text, kindOf(file));
      byFile.set(file, list);
    }
    return list;
  };
  for (const f of files.keys()) directivesOf(f);

  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of findings) {
    const hit =
      f.ruleId === 'parse-error'
        ? undefined
        : directivesOf(f.file).find((d) => d.target === f.location.line && (!d.ruleIds || d.ruleIds.includes(f.ruleId)));
    if (hit) {
      used.add(hit);
      suppressed.push(f);
    } else kept.push(f);
  }
  const unused: Directive[] = [];
  for (const list of byFile.values()) for (const d of list) if (!used.has(d)) unused.push(d);
  return { kept, suppressed, unused };
}

/** An unused directive as an `info` finding, so it can be cleaned up (ESLint's unused disable). */
export function unusedDirectiveFinding(d: Directive, text: string): Finding {
  const idx = new LineIndex(text);
  const r = idx.lineRange(d.line);
  const what = d.ruleIds ? d.ruleIds.join(', ') : 'every rule';
  return {
    ruleId: UNUSED_DIRECTIVE_RULE,
    severity: 'info',
    file: d.file,
    range: r,
    location: idx.location(r),
    message: `${DIRECTIVE} for ${what} silences nothing on line ${d.target}; remove it`,
  };
}
