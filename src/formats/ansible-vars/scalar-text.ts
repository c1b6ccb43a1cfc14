import type { Scalar } from 'yaml';

/**
 * A scalar's value as ansible hands it on: a plain scalar as written (`0o22`, `yes`, `{{ x }}` keep
 * their text, not the YAML 1.1 reading of them), a quoted one decoded, an empty one ''.
 */
export function scalarText(text: string, s: Scalar): string {
  if (s.value === null || s.value === undefined) return '';
  if (s.type === 'PLAIN' && s.range) return text.slice(s.range[0], s.range[1]);
  return String(s.value);
}
