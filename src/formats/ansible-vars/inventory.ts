import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Document } from '../../core/document.js';
import type { Range } from '../../core/range.js';
import type { AnsibleVarsAst } from './parse.js';
import { scalarText } from './scalar-text.js';

/**
 * Where an ansible variables file sits in its inventory: `<root>/group_vars/<group>.yml` (or
 * `<root>/group_vars/<group>/<any>.yml`) and the same under `host_vars/<host>`. Ansible reads both
 * directories beside the inventory or playbook, so files of one `root` describe the same hosts.
 */
export interface InventoryPlace {
  readonly root: string;
  readonly scope: 'group' | 'host';
  /** The group or host name. */
  readonly name: string;
}

export function inventoryPlace(path: string): InventoryPlace | undefined {
  const parts = path.split('/');
  for (let i = parts.length - 2; i >= 0; i--) {
    const dir = parts[i];
    if (dir !== 'group_vars' && dir !== 'host_vars') continue;
    const below = parts.slice(i + 1);
    // `<name>.yml` directly below, or any file in the directory `<name>/`.
    const name = below.length === 1 ? below[0]!.replace(/\.(ya?ml|json)$/i, '') : below[0]!;
    if (!name) return undefined;
    return { root: parts.slice(0, i).join('/'), scope: dir === 'group_vars' ? 'group' : 'host', name };
  }
  return undefined;
}

/** A top-level variable as one file sets it. */
export interface VariableSetting {
  readonly doc: Document<AnsibleVarsAst>;
  readonly name: string;
  readonly node: Node | null;
  /** From the key to the end of the value. */
  readonly range: Range;
  /** The value's text as ansible gets it: plain scalars as written, quoted ones decoded. */
  readonly scalar?: string;
  /** A sequence of scalars, each as `scalar` is read. */
  readonly list?: readonly string[];
}

/** The top-level variable `name` of an ansible vars file (the last one when it is repeated, as ansible reads it). */
export function variableOf(doc: Document<AnsibleVarsAst>, name: string): VariableSetting | undefined {
  const top = doc.ast.yaml.contents;
  if (!isMap(top)) return undefined;
  let found: Pair | undefined;
  for (const p of top.items) if (isScalar(p.key) && p.key.value === name) found = p;
  if (!found || !isScalar(found.key) || !found.key.range) return undefined;
  const value = (found.value ?? null) as Node | null;
  const end = value?.range?.[1] ?? found.key.range[1];
  const text = doc.file.text;
  let stop = end;
  while (stop > found.key.range[0] && /\s/.test(text[stop - 1] ?? '')) stop--;
  const read = (n: unknown): string | undefined => (isScalar(n) ? scalarText(text, n) : undefined);
  const setting: VariableSetting = { doc, name, node: value, range: { start: found.key.range[0], end: stop } };
  if (value === null || isScalar(value)) return { ...setting, scalar: read(value) ?? '' };
  if (isSeq(value)) {
    const list = value.items.map(read);
    if (list.every((x): x is string => x !== undefined)) return { ...setting, list };
  }
  return setting;
}

/** What a host or group gets for one variable from the inventory's group_vars and host_vars. */
export type Resolved =
  | { readonly kind: 'set'; readonly setting: VariableSetting }
  | { readonly kind: 'unset' }
  /** Two groups set it differently and the inventory file (which says the host's groups) is not read. */
  | { readonly kind: 'ambiguous'; readonly settings: readonly VariableSetting[] };

/**
 * The value of `name` for the host or group whose vars file is `doc`, as ansible's precedence gives
 * it among the inventory's vars files: the host's own host_vars, then its groups' group_vars, then
 * group_vars/all. Which groups a host is in is written in the inventory file, which galaxy-migrate
 * does not read: every group of the inventory that sets the variable is taken to be the host's,
 * and groups that disagree make the value ambiguous rather than a guess. Files of one directory
 * (`host_vars/<host>/a.yml`, `b.yml`) are read in name order, the last one winning, as ansible does.
 * A file outside group_vars/host_vars is its own only source.
 */
export function resolveVariable(docs: readonly Document[], doc: Document<AnsibleVarsAst>, name: string): Resolved {
  const place = inventoryPlace(doc.file.path);
  if (!place) {
    const own = variableOf(doc, name);
    return own ? { kind: 'set', setting: own } : { kind: 'unset' };
  }
  const mates = docs
    // A file ansible cannot read (YAML errors) sets nothing it could use.
    .filter((d): d is Document<AnsibleVarsAst> => d.kind === 'ansible-vars' && !!(d.ast as AnsibleVarsAst | undefined)?.yaml && !(d.ast as AnsibleVarsAst).yamlErrors.length)
    .map((d) => ({ d, p: inventoryPlace(d.file.path) }))
    .filter((x) => x.p?.root === place.root)
    .sort((a, b) => (a.d.file.path < b.d.file.path ? -1 : a.d.file.path > b.d.file.path ? 1 : 0));
  const lastOf = (scope: 'group' | 'host', wanted: (n: string) => boolean): Map<string, VariableSetting> => {
    const byName = new Map<string, VariableSetting>();
    for (const { d, p } of mates) {
      if (p!.scope !== scope || !wanted(p!.name)) continue;
      const s = variableOf(d, name);
      if (s) byName.set(p!.name, s);
    }
    return byName;
  };
  const levels: Map<string, VariableSetting>[] =
    place.scope === 'host'
      ? [lastOf('host', (n) => n === place.name), lastOf('group', (n) => n !== 'all'), lastOf('group', (n) => n === 'all')]
      : [lastOf('group', (n) => n === place.name), ...(place.name === 'all' ? [] : [lastOf('group', (n) => n === 'all')])];
  for (const level of levels) {
    const settings = [...level.values()];
    if (!settings.length) continue;
    const texts = new Set(settings.map(valueText));
    return texts.size === 1 ? { kind: 'set', setting: settings[0]! } : { kind: 'ambiguous', settings };
  }
  return { kind: 'unset' };
}

function valueText(s: VariableSetting): string {
  return s.scalar ?? (s.list ? JSON.stringify(s.list) : s.doc.file.text.slice(s.range.start, s.range.end).replace(/^[^:]*:/, '').trim());
}
