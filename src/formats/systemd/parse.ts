import { makeDocument, type Document, type SourceFile } from '../../core/document.js';
import { allEntries, lastEntry, readIni, SYSTEMD, type IniAst, type IniEntry, type IniSection } from '../ini/lossless.js';

/**
 * systemd unit files (`galaxy.service`, `galaxy-handler@.service`, ansible `*.service.j2`), read
 * losslessly with systemd's rules (see SYSTEMD in ../ini/lossless.ts). Specifiers (`%I`, `%i`, `%n`)
 * and `$MAINPID` stay as written; `expandSpecifiers` applies them for one instance.
 */

export interface SystemdAst extends IniAst {
  /** The unit name from the file name (`galaxy-handler@.service`), a `.j2` suffix dropped. */
  readonly unitName: string;
  /** True for a template unit (`name@.service`), whose instances are `name@<instance>.service`. */
  readonly template: boolean;
}

export function parseSystemd(file: SourceFile): Document<SystemdAst> {
  const { ast, errors } = readIni(file.text, SYSTEMD);
  const unitName = unitNameOf(file.path);
  return makeDocument(file, 'systemd', { ...ast, unitName, template: /@\.[a-z]+$/.test(unitName) }, errors);
}

export function unitNameOf(path: string): string {
  const base = path.split('/').pop() ?? path;
  return base.replace(/\.(j2|jinja2?|tmpl|template)$/i, '');
}

export function unitSection(ast: IniAst, name: string): IniSection | undefined {
  // systemd merges repeated sections; rules read the last one that has the key.
  const found = ast.sections.filter((s) => s.name === name);
  return found[found.length - 1];
}

/** The setting systemd applies for a single-valued key: the last assignment in any `[name]` section. */
export function unitSetting(ast: IniAst, section: string, key: string): IniEntry | undefined {
  let found: IniEntry | undefined;
  for (const s of ast.sections) if (s.name === section) found = lastEntry(s, key, SYSTEMD) ?? found;
  return found;
}

/** Every assignment of a list key (`Environment=`, `After=`) in `[section]`, in order. */
export function unitSettings(ast: IniAst, section: string, key: string): IniEntry[] {
  return ast.sections.filter((s) => s.name === section).flatMap((s) => allEntries(s, key, SYSTEMD));
}

/**
 * `Environment=` assignments as systemd splits them: whitespace-separated words, double or single
 * quotes grouping, each `KEY=VALUE`. A word without `=` is no assignment, and systemd ignores it
 * ("Invalid environment assignment, ignoring"), so it is left out. Jinja `{{ … }}` stays one
 * opaque word (its key is the text): rendering may make it assignments.
 */
export function parseSystemdEnvironment(value: string): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const w of splitWords(value)) {
    const eq = w.indexOf('=');
    if (w.startsWith('{{')) out.push({ key: w, value: '' });
    else if (eq > 0) out.push({ key: w.slice(0, eq), value: w.slice(eq + 1) });
  }
  return out;
}

function splitWords(value: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = value.length;
  while (i < n) {
    while (i < n && /\s/.test(value[i]!)) i++;
    if (i >= n) break;
    let w = '';
    while (i < n && !/\s/.test(value[i]!)) {
      const c = value[i]!;
      if (c === '{' && value[i + 1] === '{') {
        const close = value.indexOf('}}', i + 2);
        const end = close < 0 ? n : close + 2;
        w += value.slice(i, end);
        i = end;
      } else if (c === '"' || c === "'") {
        const close = value.indexOf(c, i + 1);
        const end = close < 0 ? n : close;
        w += value.slice(i + 1, end);
        i = end + 1;
      } else if (c === '\\' && i + 1 < n) {
        w += value[i + 1];
        i += 2;
      } else {
        w += c;
        i++;
      }
    }
    out.push(w);
  }
  return out;
}

/** systemd.unit(5) specifiers for one instance: `%i`/`%I` the instance, `%%` a percent sign. */
export function expandSpecifiers(value: string, instance: string): string {
  return value.replace(/%([%iI])/g, (_, c: string) => (c === '%' ? '%' : instance));
}

/**
 * Bytes from a systemd size (`16G`, `512M`, `1T`, a plain number of bytes; base 1024 as
 * systemd uses for memory), or undefined for `infinity`, percentages and templated values.
 */
export function parseSize(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGTPE]?)\s*$/i.exec(value);
  if (!m) return undefined;
  const exp = ' KMGTPE'.indexOf((m[2] ?? '').toUpperCase() || ' ');
  return Number(m[1]) * 1024 ** exp;
}
