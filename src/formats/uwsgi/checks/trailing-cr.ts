import type { LineCheck } from './types.js';
import { shown } from './types.js';

/**
 * uWSGI's YAML reader splits lines on `\n` only and trims spaces and TABs, not CR: in a file with
 * Windows line endings every value ends with a carriage return (`processes: 4` is `4\r`), which
 * breaks paths, module names and socket addresses. (The INI reader trims CR; this is YAML only.)
 */
export const trailingCr: LineCheck = (input) => {
  if (input.format !== 'yaml' || !input.value.endsWith('\r')) return undefined;
  return {
    ruleId: 'uwsgi/trailing-cr',
    severity: 'warning',
    file: input.file,
    range: input.valueRange,
    message: `the file has Windows line endings: uWSGI keeps the carriage return, so \`${input.key}\` is read as ${shown(input.value)}`,
  };
};
