import type { LineCheck } from './types.js';
import { shown } from './types.js';

/**
 * uWSGI's YAML reader cuts every line at its first `#`, wherever it is: inside quotes, inside a
 * word (`a#b`), in a URL fragment. YAML itself only starts a comment at a `#` after a blank and
 * outside quotes, so `brand: "Galaxy #1"` or `route: ^/#x` lose their tail in uWSGI only. A `#`
 * after a blank outside quotes is a comment for both readers and is not reported.
 */
export const inlineCommentCutsValue: LineCheck = (input) => {
  if (input.format !== 'yaml' || input.valueLine === undefined || input.cutAt === undefined || input.cutAt < 0) return undefined;
  const line = input.valueLine;
  const cut = input.cutAt;
  if (!cutsInsideValue(line, cut)) return undefined;
  const meant = yamlValue(line);
  const read = input.value;
  return {
    ruleId: 'uwsgi/inline-comment-cuts-value',
    severity: 'warning',
    file: input.file,
    range: input.valueLineRange ?? input.valueRange,
    message:
      `\`#\` starts a comment anywhere in uWSGI's YAML reader, even inside quotes or a word: ` +
      `\`${input.key}\` is read as ${shown(read)}, not ${shown(meant)}`,
  };
};

/** True when the `#` at `cut` is not a YAML comment: inside quotes, or glued to the text before it. */
function cutsInsideValue(line: string, cut: number): boolean {
  const q = line[0];
  if (q === '"' || q === "'") {
    const close = line.indexOf(q, 1);
    if (close < 0 || close > cut) return true;
  }
  if (cut === 0) return false;
  const before = line[cut - 1];
  return before !== ' ' && before !== '\t';
}

/** The value as YAML would read it (roughly): up to a `#` after a blank outside quotes, trimmed. */
function yamlValue(line: string): string {
  let inQuote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inQuote) {
      if (c === inQuote) inQuote = undefined;
      continue;
    }
    if (i === 0 && (c === '"' || c === "'")) {
      inQuote = c;
      continue;
    }
    if (c === '#' && i > 0 && (line[i - 1] === ' ' || line[i - 1] === '\t')) return line.slice(0, i).replace(/[ \t\r]+$/, '');
  }
  return line.replace(/[ \t\r]+$/, '');
}
