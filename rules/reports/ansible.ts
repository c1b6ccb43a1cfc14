import { isMap, isPair, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';
import type { Document } from '../../src/core/document.js';
import type { Range } from '../../src/core/range.js';
import { columnOf, type AnsibleVarsAst } from '../../src/formats/ansible-vars/index.js';

/**
 * The two places of an ansible-galaxy playbook's variables that Reports touches: the `gravity:`
 * block of `galaxy_config` (where `reports:` goes) and the `galaxy_config_templates` /
 * `galaxy_config_files` entry that deploys reports.yml (its `dest` is Gravity's `config_file`).
 */
export interface AnsibleGravityBlock {
  /** The top-level variable (`galaxy_config`, `host_galaxy_config` …). */
  readonly variable: string;
  readonly pair: Pair;
  /** The block mapping under `gravity:`, when it is one. */
  readonly map?: YAMLMap;
  /** Column of the `gravity` key and of its first child key. */
  readonly keyColumn: number;
  readonly childColumn: number;
  /** True when the same variable also has `uwsgi:` (ansible/galaxy-config-uwsgi's business). */
  readonly uwsgiSibling: boolean;
  readonly keyRange: Range;
}

function keyName(n: unknown): string | undefined {
  return isScalar(n) && typeof n.value === 'string' ? n.value : undefined;
}

/** `galaxy_config.gravity` (any top-level map variable named *config* with a `gravity` or `uwsgi` key). */
export function ansibleGravityBlock(doc: Document<AnsibleVarsAst>): AnsibleGravityBlock | undefined {
  const top = doc.ast.yaml.contents;
  if (!isMap(top) || doc.ast.yamlErrors.length) return undefined;
  for (const v of top.items) {
    const variable = keyName(v.key);
    if (!variable || !/config/i.test(variable) || !isMap(v.value)) continue;
    const keys = v.value.items.map((p) => keyName(p.key));
    const gravity = v.value.items.find((p) => keyName(p.key) === 'gravity');
    const uwsgiSibling = keys.includes('uwsgi');
    const holder = gravity ?? (uwsgiSibling ? v.value.items.find((p) => keyName(p.key) === 'uwsgi') : undefined);
    if (!holder || !isScalar(holder.key) || !holder.key.range) continue;
    const keyStart = holder.key.range[0];
    const keyColumn = columnOf(doc.file.text, keyStart);
    const map = gravity && isMap(gravity.value) && !gravity.value.flow ? gravity.value : undefined;
    const first = map?.items.find((p) => isScalar(p.key) && p.key.range);
    const childColumn = first ? columnOf(doc.file.text, (first.key as { range: [number, number, number] }).range[0]) : keyColumn + 2;
    return {
      variable,
      pair: holder,
      ...(map ? { map } : {}),
      keyColumn,
      childColumn,
      uwsgiSibling,
      keyRange: { start: keyStart, end: holder.key.range[1] },
    };
  }
  return undefined;
}

/**
 * The `dest` of the galaxy_config_templates / galaxy_config_files entry whose `src` is this
 * reports file, as ansible renders it: a whole-value `{{ var }}` naming a top-level string variable
 * of the same file is replaced by that variable's value (`{{ galaxy_reports_path }}` →
 * `{{ galaxy_config_dir }}/reports.yml`); anything else is kept as written.
 */
export function reportsTemplateDest(doc: Document<AnsibleVarsAst>, reportsPath: string): string | undefined {
  const top = doc.ast.yaml.contents;
  if (!isMap(top)) return undefined;
  const vars = new Map<string, string>();
  for (const p of top.items) {
    const k = keyName(p.key);
    if (k && isScalar(p.value) && typeof p.value.value === 'string') vars.set(k, p.value.value);
  }
  for (const p of top.items) {
    const k = keyName(p.key);
    if (!k || !/^galaxy_config_(templates|files)$/.test(k) || !isSeq(p.value)) continue;
    for (const item of p.value.items) {
      if (!isMap(item)) continue;
      const src = stringAt(item, 'src');
      const dest = stringAt(item, 'dest');
      if (!src || !dest || !samePath(reportsPath, src)) continue;
      const ref = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(dest.trim());
      return ref && vars.has(ref[1]!) ? vars.get(ref[1]!)! : dest;
    }
  }
  return undefined;
}

function stringAt(map: YAMLMap, key: string): string | undefined {
  for (const p of map.items) if (isPair(p) && keyName(p.key) === key && isScalar(p.value) && typeof p.value.value === 'string') return p.value.value;
  return undefined;
}

/** Does the file read at `path` (relative to the working directory) look like the playbook's `src`? */
function samePath(path: string, src: string): boolean {
  const s = src.replace(/^\.\//, '');
  return path === s || path.endsWith(`/${s}`);
}

/** Where a key's block ends: after the last following line indented deeper than the key (blank lines aside). */
export function blockEndAt(text: string, keyStart: number, keyColumn: number): number {
  let end = lineEndWithBreak(text, keyStart);
  let at = end;
  while (at < text.length) {
    const next = lineEndWithBreak(text, at);
    const line = text.slice(at, next).replace(/\r?\n$/, '');
    if (line.trim() !== '') {
      const indent = line.length - line.replace(/^[ \t]+/, '').length;
      if (indent <= keyColumn) break;
      end = next;
    }
    at = next;
  }
  return end;
}

function lineEndWithBreak(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl + 1;
}
