import { makeDocument, type Document, type ParseIssue, type SourceFile } from '../../core/document.js';
import type { ReadHost } from '../../core/host.js';
import { detectEol } from '../../core/range.js';
import { CONFIGPARSER, readIni, type IniAst, type IniEntry, type IniSection } from '../ini/lossless.js';
import { readUwsgiConfig, type UwsgiReadResult } from '../uwsgi/index.js';

/**
 * A Paste-era galaxy.ini (or universe_wsgi.ini), read two ways, as the two programs that read it did:
 * - `[app:main]`, `[server:*]`, `[filter:*]` and `[DEFAULT]` the way Galaxy and PasteDeploy read them:
 *   Python's `configparser` (see CONFIGPARSER in ../ini/lossless.ts: whole-line comments only, so a
 *   `#` or `;` inside a password stays, continuation lines, case kept), with `%(here)s` /
 *   `%(__file__)s` interpolation applied by `interpolate` (the rules choose `here`);
 * - `[uwsgi]` the way uWSGI reads it (`--ini-paste`), with the uWSGI dialect reader, which applies
 *   no ConfigParser interpolation and keeps repeated keys.
 * The file's bytes are never re-printed: rules splice or create files.
 */
export interface GalaxyIniAst {
  readonly ini: IniAst;
  readonly eol: '\n' | '\r\n';
  /** The file holds Jinja (an ansible `galaxy.ini.j2`): its keys and sections are only known after rendering. */
  readonly templated: boolean;
  /** Where the file is on this machine (what Paste's `%(here)s` would start from), when known. */
  readonly absPath?: string;
  /** The `[uwsgi]` section as uWSGI reads it, when there is one. */
  readonly uwsgi?: UwsgiReadResult;
}

export function parseGalaxyIni(file: SourceFile, host: ReadHost): Document<GalaxyIniAst> {
  const { ast, errors } = readIni(file.text, CONFIGPARSER);
  const issues: ParseIssue[] = [...errors];
  const templated = /\{\{|\{%|\{#/.test(file.text);
  // Python's ConfigParser is strict: a repeated section or a repeated key in one section stops
  // Galaxy (DuplicateSectionError / DuplicateOptionError). uWSGI's own [uwsgi] allows both.
  if (!templated) {
    const seen = new Map<string, IniSection>();
    for (const s of ast.sections) {
      if (s.name === 'uwsgi') continue;
      if (seen.has(s.name)) {
        issues.push({ message: `section [${s.name}] appears twice: Python's ConfigParser (Galaxy, Paste) stops with DuplicateSectionError`, range: s.header, severity: 'error' });
      } else seen.set(s.name, s);
      const keys = new Set<string>();
      for (const e of s.entries) {
        if (keys.has(e.name)) {
          issues.push({ message: `\`${e.key}\` is set twice in [${s.name}]: Python's ConfigParser (Galaxy, Paste) stops with DuplicateOptionError`, range: e.keyRange, severity: 'error' });
        }
        keys.add(e.name);
      }
    }
  }
  const absPath = host.realpath(file.path);
  let uwsgi: UwsgiReadResult | undefined;
  if (ast.sections.some((s) => s.name.trim() === 'uwsgi')) {
    uwsgi = readUwsgiConfig(file.path, { host, section: 'uwsgi', format: 'ini', text: file.text });
    issues.push(...uwsgi.issues);
    if (uwsgi.fatal) {
      issues.push({
        message: `uWSGI would stop reading this configuration: ${uwsgi.fatal.message}`,
        range: uwsgi.fatal.range,
        ruleId: 'uwsgi/read-error',
        severity: 'error',
        ...(uwsgi.fatal.file !== file.path ? { file: uwsgi.fatal.file } : {}),
      });
    }
  }
  return makeDocument(
    file,
    'galaxy-ini',
    { ini: ast, eol: detectEol(file.text), templated, ...(absPath ? { absPath } : {}), ...(uwsgi ? { uwsgi } : {}) },
    issues,
  );
}

/** The section ConfigParser uses for a name (the first one: a second is an error anyway). */
export function iniSection(ast: GalaxyIniAst, name: string): IniSection | undefined {
  return ast.ini.sections.find((s) => s.name.trim() === name);
}

export function iniSections(ast: GalaxyIniAst, prefix: string): IniSection[] {
  return ast.ini.sections.filter((s) => s.name.trim().startsWith(prefix));
}

/** The last entry of a key in a section (ConfigParser: a repeated key is an error, uWSGI: the last wins). */
export function iniValue(section: IniSection | undefined, key: string): IniEntry | undefined {
  if (!section) return undefined;
  let found: IniEntry | undefined;
  for (const e of section.entries) if (e.name === key) found = e;
  return found;
}

export interface Interpolated {
  readonly value: string;
  /** Why Python's ConfigParser would stop on this value (the raw value is kept). */
  readonly error?: string;
  /** The names it expanded (`here`, `__file__`, other options). */
  readonly used: readonly string[];
}

/** configparser.MAX_INTERPOLATION_DEPTH */
const MAX_DEPTH = 10;

/**
 * Python's `BasicInterpolation` as ConfigParser applies it on `get()`: `%(name)s` is replaced by the
 * (interpolated) value of `name` in the section or its defaults, `%%` by `%`; any other `%` is an
 * error, as is an unknown name or a chain deeper than 10.
 */
export function interpolate(raw: string, lookup: (name: string) => string | undefined): Interpolated {
  const used: string[] = [];
  const run = (rest: string, depth: number): string => {
    if (depth > MAX_DEPTH) throw new Error(`interpolation deeper than ${MAX_DEPTH} levels (InterpolationDepthError)`);
    let out = '';
    while (rest !== '') {
      const p = rest.indexOf('%');
      if (p < 0) return out + rest;
      out += rest.slice(0, p);
      rest = rest.slice(p);
      const c = rest[1];
      if (c === '%') {
        out += '%';
        rest = rest.slice(2);
      } else if (c === '(') {
        const m = /^%\(([^)]+)\)s/.exec(rest);
        if (!m) throw new Error(`bad interpolation variable reference ${JSON.stringify(rest)} (InterpolationSyntaxError)`);
        const name = m[1]!;
        rest = rest.slice(m[0].length);
        const v = lookup(name);
        if (v === undefined) throw new Error(`\`%(${name})s\` names no option of the section or [DEFAULT] (InterpolationMissingOptionError)`);
        used.push(name);
        out += v.includes('%') ? run(v, depth + 1) : v;
      } else {
        throw new Error(`'%' must be followed by '%' or '(' (InterpolationSyntaxError): ${JSON.stringify(rest.slice(0, 20))}`);
      }
    }
    return out;
  };
  try {
    return { value: run(raw, 1), used };
  } catch (e) {
    return { value: raw, error: (e as Error).message, used };
  }
}

/**
 * The options of a section as ConfigParser's `items(section)` gives them: `[DEFAULT]` values and
 * the `here`/`__file__` defaults under the section's own, each interpolated.
 */
export function sectionItems(
  ast: GalaxyIniAst,
  name: string,
  defaults: Readonly<Record<string, string>>,
): { key: string; entry?: IniEntry; raw: string; value: Interpolated; fromDefault: boolean }[] {
  const section = iniSection(ast, name);
  const dflt = iniSection(ast, 'DEFAULT');
  const map = new Map<string, string>(Object.entries(defaults));
  for (const e of dflt?.entries ?? []) map.set(e.name, e.value);
  for (const e of section?.entries ?? []) map.set(e.name, e.value);
  const lookup = (n: string): string | undefined => map.get(n) ?? map.get(n.toLowerCase());
  const out: { key: string; entry?: IniEntry; raw: string; value: Interpolated; fromDefault: boolean }[] = [];
  const own = new Map<string, IniEntry>();
  for (const e of section?.entries ?? []) own.set(e.name, e);
  for (const [key, entry] of own) out.push({ key, entry, raw: entry.value, value: interpolate(entry.value, lookup), fromDefault: false });
  for (const e of dflt?.entries ?? []) {
    if (own.has(e.name) || out.some((o) => o.key === e.name)) continue;
    out.push({ key: e.name, entry: e, raw: e.value, value: interpolate(e.value, lookup), fromDefault: true });
  }
  return out;
}
