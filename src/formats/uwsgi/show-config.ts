import type { UwsgiOption } from '../../core/model.js';

/**
 * `--show-config` output as the oracle normalises it (uwsgi-dialect/uwsgi-oracle.sh): one
 * `key = value` line per option, in order, with `\` -> `\\`, CR -> `\r`, TAB -> `\t` and any other
 * control character -> `\xNN`, so that a value's CR or an embedded newline stays visible.
 */
export function formatShowConfig(options: readonly UwsgiOption[]): string {
  let out = '';
  for (const o of options) out += `${escapeShowConfig(o.key)} = ${escapeShowConfig(o.value)}\n`;
  return out;
}

export function escapeShowConfig(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\\\x00-\x1f\x7f]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
