import { isMap, isScalar, type Node } from 'yaml';
import type { Document } from '../../src/core/document.js';
import { columnOf, type AnsibleVarsAst } from '../../src/formats/ansible-vars/index.js';
import { renderEntries, type Entry, type Scalar } from '../../src/formats/galaxy-yml/write.js';

export type GalaxyInsert =
  /** `text` goes at `at` (the end of the `galaxy:` map's last line); `present` were there with the same value. */
  | { readonly kind: 'insert'; readonly at: number; readonly text: string; readonly present: readonly string[] }
  | { readonly kind: 'blocked'; readonly why: string };

/** The end of the line `offset` is on (before its line break). */
export function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  const e = nl < 0 ? text.length : nl;
  return text[e - 1] === '\r' ? e - 1 : e;
}

/**
 * Galaxy options that came out of the uWSGI block (`galaxy_url_prefix` from `mount`, …) written
 * into the `galaxy:` key the same variable already has, after its last option, rather than into a
 * second `galaxy:` key (YAML would keep only one of them). An option the map already sets to the
 * same value is left as it is; one set to another value stops the rewrite, since either could be
 * the one the admin meant. Values are not printed: a galaxy: map holds secrets.
 */
export function intoExistingGalaxy(doc: Document<AnsibleVarsAst>, variable: string, entries: readonly Entry[], eol: string): GalaxyInsert {
  const text = doc.file.text;
  const top = doc.ast.yaml.contents;
  const parent = isMap(top) ? top.items.find((p) => isScalar(p.key) && p.key.value === variable)?.value : undefined;
  const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === 'galaxy') : undefined;
  const map = pair?.value as Node | null | undefined;
  if (!isMap(map) || map.flow || !map.items.length) {
    return { kind: 'blocked', why: `\`${variable}.galaxy\` is not a block mapping of options to add to` };
  }
  const present: string[] = [];
  const adding: Entry[] = [];
  for (const e of entries) {
    const existing = map.items.find((p) => isScalar(p.key) && p.key.value === e.key);
    if (!existing) {
      adding.push(e);
      continue;
    }
    const v = existing.value;
    if (isScalar(v) && v.value !== null && String(v.value) === String(e.value as Scalar)) present.push(e.key);
    else return { kind: 'blocked', why: `\`${variable}.galaxy.${e.key}\` is already set to another value than the uWSGI block gives it` };
  }
  const first = map.items[0]!.key as Node;
  const last = map.items[map.items.length - 1]!;
  const lastNode = (last.value ?? last.key) as Node;
  let end = lastNode.range?.[1] ?? 0;
  while (end > 0 && /\s/.test(text[end - 1] ?? '')) end--;
  const indent = columnOf(text, first.range?.[0] ?? 0);
  const step = Math.max(2, indent - columnOf(text, (pair!.key as Node).range?.[0] ?? 0));
  const rendered = adding.length ? eol + renderEntries(adding, indent, step, eol).replace(/\r?\n$/, '') : '';
  return { kind: 'insert', at: lineEnd(text, end), text: rendered, present };
}
