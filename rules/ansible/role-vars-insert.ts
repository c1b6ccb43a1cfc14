import { isMap, isScalar } from 'yaml';
import type { Document } from '../../src/core/document.js';
import type { AnsibleVarsAst, Assignment } from '../../src/formats/ansible-vars/index.js';
import { yamlScalar } from '../../src/formats/galaxy-yml/write.js';

/**
 * Where new top-level role variables go: on their own lines just above the variable that holds the
 * replaced block, and above the comment lines that introduce it, so they stay with it.
 */
export function aboveVariable(doc: Document<AnsibleVarsAst>, variable: string): { at: number; column: number } | undefined {
  const top = doc.ast.yaml.contents;
  if (!isMap(top) || top.flow) return undefined;
  const pair = top.items.find((p) => isScalar(p.key) && p.key.value === variable);
  const start = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
  if (start === undefined) return undefined;
  const text = doc.file.text;
  let at = text.lastIndexOf('\n', start - 1) + 1;
  const column = start - at;
  while (at > 0) {
    const prev = text.lastIndexOf('\n', at - 2) + 1;
    if (!text.slice(prev, at).trim().startsWith('#')) break;
    at = prev;
  }
  return { at, column };
}

/**
 * `galaxy_systemd_mode: gravity` and/or `galaxy_systemd_env` (one `KEY=VALUE` word, as written, per
 * item: the role writes each as an `Environment=` line of galaxy.service), then a blank line.
 */
export function roleVarsText(mode: boolean, env: readonly Assignment[] | undefined, column: number, eol: string): string {
  const pad = ' '.repeat(column);
  let out = '';
  if (mode) out += `${pad}galaxy_systemd_mode: gravity${eol}`;
  if (env?.length) {
    out += `${pad}galaxy_systemd_env:${eol}`;
    for (const a of env) out += `${pad}  - ${yamlScalar(a.raw)}${eol}`;
  }
  return out ? out + eol : '';
}
