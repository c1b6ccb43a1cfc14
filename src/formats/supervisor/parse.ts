import { makeDocument, type Document, type SourceFile } from '../../core/document.js';
import type { Range } from '../../core/range.js';
import { lastEntry, readIni, SUPERVISOR, type IniAst, type IniEntry, type IniSection } from '../ini/lossless.js';

/**
 * supervisord configuration files (`supervisord.conf`, `conf.d/*.conf`, ansible `supervisor/*.j2`),
 * read losslessly with supervisord's own INI rules (see SUPERVISOR in ../ini/lossless.ts).
 * Values are kept as written: `%(ENV_PATH)s`, `%(process_num)s`, `%(program_name)s` and `%(here)s`
 * are expanded by supervisord per process, so they stay in the text and `expandSupervisor` applies
 * them where a rule needs the per-process value.
 */

export type ProgramKind = 'program' | 'fcgi-program' | 'eventlistener';

export interface SupervisorProgram {
  readonly kind: ProgramKind;
  /** The name after `program:` as written (may hold Jinja, `zergling{{ i }}`). */
  readonly name: string;
  readonly section: IniSection;
}

export interface SupervisorGroup {
  readonly name: string;
  readonly section: IniSection;
  /** The `programs =` entry, if any. */
  readonly programsEntry?: IniEntry;
  /** Its comma-separated names, each with its range in the file. */
  readonly programs: readonly { readonly name: string; readonly range: Range }[];
}

export interface SupervisorAst extends IniAst {
  readonly programs: readonly SupervisorProgram[];
  readonly groups: readonly SupervisorGroup[];
  /** `[include] files = …` patterns. */
  readonly includes: readonly string[];
}

const PROGRAM = /^(program|fcgi-program|eventlistener):(.+)$/;

export function parseSupervisor(file: SourceFile): Document<SupervisorAst> {
  const { ast, errors } = readIni(file.text, SUPERVISOR);
  const programs: SupervisorProgram[] = [];
  const groups: SupervisorGroup[] = [];
  const includes: string[] = [];
  for (const s of ast.sections) {
    const name = s.name.trim();
    const m = PROGRAM.exec(name);
    if (m) {
      programs.push({ kind: m[1] as ProgramKind, name: m[2]!.trim(), section: s });
      continue;
    }
    if (name.startsWith('group:')) {
      const entry = lastEntry(s, 'programs', SUPERVISOR);
      groups.push({ name: name.slice(6).trim(), section: s, ...(entry ? { programsEntry: entry } : {}), programs: entry ? listItems(file.text, entry) : [] });
      continue;
    }
    if (name === 'include') {
      const files = lastEntry(s, 'files', SUPERVISOR);
      if (files) includes.push(...files.value.split(/\s+/).filter((f) => f !== ''));
    }
  }
  return makeDocument(file, 'supervisor', { ...ast, programs, groups, includes }, errors);
}

/** The comma-separated items of a one-line or continued value, with file ranges (blanks trimmed). */
export function listItems(text: string, entry: IniEntry): { name: string; range: Range }[] {
  const out: { name: string; range: Range }[] = [];
  for (const part of entry.parts) {
    let at = part.range.start;
    for (const piece of part.text.split(',')) {
      const lead = piece.length - piece.trimStart().length;
      const name = piece.trim();
      if (name !== '') out.push({ name, range: { start: at + lead, end: at + lead + name.length } });
      at += piece.length + 1;
    }
  }
  void text;
  return out;
}

/** The value supervisord uses for a program key (the last one wins), or undefined. */
export function programSetting(program: SupervisorProgram, key: string): IniEntry | undefined {
  return lastEntry(program.section, key, SUPERVISOR);
}

/**
 * supervisord's `%(name)s` expansion (Python `%` formatting with a dict): `%(process_num)s`,
 * `%(process_num)02d`, `%(ENV_PATH)s`, `%%`. Names not in `vars` are left as written, and so is a
 * field wider than MAX_FIELD_WIDTH: `%(process_num)99999999999999999999s` threw from padStart and
 * stopped the whole plan (fuzz seed 106); Python itself refuses such a width.
 */
/** Wider than any name a process manager shows; the real widths are 2 or 3 (`%(process_num)02d`). */
const MAX_FIELD_WIDTH = 256;

export function expandSupervisor(value: string, vars: Readonly<Record<string, string | number>>): string {
  return value.replace(/%%|%\(([^)]+)\)([-#0 +]*)(\d*)(?:\.\d+)?([sdri])/g, (all, name: string | undefined, flags: string, width: string, conv: string) => {
    if (all === '%%') return '%';
    const v = vars[name!];
    if (v === undefined) return all;
    let s = conv === 's' || conv === 'r' ? String(v) : String(Math.trunc(Number(v)));
    const w = width ? Number(width) : 0;
    if (w > MAX_FIELD_WIDTH) return all;
    if (s.length < w) s = flags.includes('-') ? s.padEnd(w) : flags.includes('0') && conv !== 's' ? s.padStart(w, '0') : s.padStart(w);
    return s;
  });
}

/**
 * `environment = A="x",B=y` as supervisord reads it (`dict_of_key_value_pairs`: shlex with `=` and
 * `,` as punctuation, quotes removed). Values keep `%(ENV_X)s` and Jinja as written.
 */
export function parseSupervisorEnvironment(value: string): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  let i = 0;
  const n = value.length;
  const skipBlanks = (): void => {
    while (i < n && /\s/.test(value[i]!)) i++;
  };
  const word = (stop: string): string => {
    let s = '';
    while (i < n && !stop.includes(value[i]!)) {
      const c = value[i]!;
      if (c === '{' && value[i + 1] === '{') {
        const close = value.indexOf('}}', i + 2);
        const end = close < 0 ? n : close + 2;
        s += value.slice(i, end);
        i = end;
        continue;
      }
      if (c === '"' || c === "'") {
        const close = value.indexOf(c, i + 1);
        const end = close < 0 ? n : close;
        s += value.slice(i + 1, end);
        i = end + 1;
        continue;
      }
      if (/\s/.test(c)) break;
      s += c;
      i++;
    }
    return s;
  };
  while (i < n) {
    skipBlanks();
    if (i >= n) break;
    const key = word('=,');
    skipBlanks();
    let v = '';
    if (value[i] === '=') {
      i++;
      skipBlanks();
      v = word(',');
    }
    skipBlanks();
    if (value[i] === ',') i++;
    if (key !== '') out.push({ key, value: v });
    else if (i < n && !/[\s,=]/.test(value[i]!)) i++;
    else if (i < n) i++;
  }
  return out;
}
