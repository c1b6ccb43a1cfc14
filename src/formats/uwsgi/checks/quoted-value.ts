import type { LineCheck } from './types.js';
import { shown } from './types.js';

/**
 * Quotes are data for uWSGI, in YAML and INI alike: neither reader strips them. `umask: '027'`
 * sets the umask from the four characters `'027'`, `module: "app:x"` names a module starting with
 * a quote. Authors who write YAML the YAML way mean the unquoted value; Galaxy's own YAML loader
 * (which reads the same `uwsgi:` block) does strip them, so the two disagree silently.
 */
export const quotedValue: LineCheck = (input) => {
  const v = input.value.replace(/\r+$/, '');
  const q = v[0];
  if (q !== '"' && q !== "'") return undefined;
  const closed = v.length >= 2 && v.endsWith(q);
  // what a YAML reader makes of it: '' is an escaped quote inside single quotes
  const meant = closed ? (q === "'" && input.format === 'yaml' ? v.slice(1, -1).replace(/''/g, "'") : v.slice(1, -1)) : undefined;
  return {
    ruleId: 'uwsgi/quoted-value',
    severity: 'warning',
    file: input.file,
    range: input.valueRange,
    message:
      `uWSGI keeps quotes as part of the value: \`${input.key}\` is read as ${shown(v)}` +
      (meant !== undefined ? `, quotes included, not ${shown(meant)}` : ', quotes included') +
      '; write the value without quotes',
  };
};
