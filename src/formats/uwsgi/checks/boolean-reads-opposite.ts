import { BOOLEAN_FLAGS, uwsgiReadsFalse } from '../options.js';
import type { LineCheck } from './types.js';
import { shown } from './types.js';

/**
 * A boolean flag is off only for `false`, `off`, `no` (any case) or exactly `0`; anything else
 * turns it on (core/uwsgi.c uwsgi_opt_true). `master: "false"` (quotes kept), `master: 'no'`, or
 * `master: false` in a CRLF file (the CR is kept) therefore switch the flag ON, the opposite of
 * what the author wrote.
 */
export const booleanReadsOpposite: LineCheck = (input) => {
  const v = input.value;
  const words = v
    .replace(/^[ \t\r]+|[ \t\r]+$/g, '')
    .replace(/^(["'])(.*)\1$/s, '$2')
    .trim()
    .toLowerCase();
  const falseWord = words === 'false' || words === 'off' || words === 'no';
  const zero = words === '0';
  if (!falseWord && !(zero && BOOLEAN_FLAGS.has(input.key))) return undefined;
  if (uwsgiReadsFalse(v)) return undefined;
  return {
    ruleId: 'uwsgi/boolean-reads-opposite',
    severity: 'warning',
    file: input.file,
    range: input.valueRange,
    message:
      `uWSGI turns \`${input.key}\` ON: it reads the value as ${shown(v)}, and only \`false\`, \`off\`, \`no\` or \`0\` ` +
      `exactly turn a flag off; write ${shown(words)} without quotes${v.endsWith('\r') ? ' and with Unix line endings' : ''}`,
  };
};
