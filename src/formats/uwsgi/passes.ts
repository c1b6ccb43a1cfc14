/**
 * The three expansion passes uWSGI runs over option values once the command line is read
 * (core/utils.c uwsgi_apply_config_pass): `$(VAR)`, then `@(file)`, then `%(name)`. One scanner
 * serves all three; its quirks are uWSGI's: parentheses nest, a new symbol inside a reference
 * restarts it, `S()` is left alone, an unknown name is left as is, and after every substitution the
 * scan restarts at index 1 of the new value, so a reference that lands at index 0 is not expanded
 * again while one landing anywhere else is (which is how self-references loop forever).
 */

/** Returns the replacement, or null to leave the reference as written. */
export type PassHook = (name: string) => string | null;

export interface ExpandResult {
  readonly value: string;
  /** True when the expansion was cut short because it never ends (self-reference). */
  readonly runaway: boolean;
}

export const MAX_SUBSTITUTIONS = 2_000;
export const MAX_VALUE_LENGTH = 256 * 1024;

export function expandValue(
  value: string,
  symbol: '$' | '@' | '%',
  hook: PassHook,
  onChange?: (v: string) => void,
): ExpandResult {
  let v = value;
  let hasSymbol = 0;
  let depth = 0;
  let keyStart = -1;
  let count = 0;
  for (let j = 0; j < v.length; j++) {
    const c = v[j];
    if (c === symbol) {
      hasSymbol = 1;
    } else if (c === '(' && hasSymbol === 1) {
      hasSymbol = 2;
      depth = 0;
      keyStart = j + 1;
    } else if (hasSymbol > 1) {
      if (c === '(') {
        hasSymbol++;
        depth++;
      } else if (c === ')') {
        if (depth > 0) {
          hasSymbol++;
          depth--;
          continue;
        }
        if (hasSymbol <= 2) {
          keyStart = -1;
          hasSymbol = 0;
          continue;
        }
        const name = v.slice(keyStart, keyStart + hasSymbol - 2);
        const replacement = hook(name);
        if (replacement === null) {
          keyStart = -1;
          hasSymbol = 0;
          continue;
        }
        v = v.slice(0, keyStart - 2) + replacement + v.slice(keyStart + hasSymbol - 1);
        onChange?.(v);
        keyStart = -1;
        hasSymbol = 0;
        count++;
        if (count > MAX_SUBSTITUTIONS || v.length > MAX_VALUE_LENGTH) return { value: v, runaway: true };
        j = 0; // the loop's j++ makes it 1: index 0 is never looked at again
      } else {
        hasSymbol++;
      }
    } else {
      hasSymbol = 0;
    }
  }
  return { value: v, runaway: false };
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** C's strtoll(s, NULL, 10): leading blanks, a sign, digits; 0 when none; saturates on overflow. */
export function strtoll(s: string): bigint {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)/.exec(s);
  if (!m) return 0n;
  let n = BigInt(m[2]!);
  if (m[1] === '-') n = -n;
  if (n > INT64_MAX) return INT64_MAX;
  if (n < INT64_MIN) return INT64_MIN;
  return n;
}

const isNumber = (t: string): boolean => /^[0-9]*$/.test(t);

/**
 * `%(a op b ...)`, a name with a blank in it (core/uwsgi.c uwsgi_manage_placeholder): tokens
 * separated by runs of blanks, evaluated left to right without precedence. Digits are numbers, any
 * other token is the value of the first option of that name (empty when none); without an operator
 * values are concatenated; with one, both sides are read as 64-bit integers.
 */
export function placeholderMath(expr: string, lookup: (name: string) => string | null): string | null {
  type State = 'concat' | 'sum' | 'sub' | 'mul' | 'div';
  let state: State = 'concat';
  let current: string | null = null;
  for (const p of expr.split(' ')) {
    if (p === '') continue;
    let value: string;
    if (isNumber(p)) value = p;
    else if (p === '+') {
      state = 'sum';
      continue;
    } else if (p === '-') {
      state = 'sub';
      continue;
    } else if (p === '*') {
      state = 'mul';
      continue;
    } else if (p === '/') {
      state = 'div';
      continue;
    } else if (p === '++' || p === '--') {
      if (current !== null) current = BigInt.asIntN(64, strtoll(current) + (p === '++' ? 1n : -1n)).toString();
      state = 'concat';
      continue;
    } else value = lookup(p) ?? '';

    if (state === 'concat') current = (current ?? '') + value;
    else {
      const a = current !== null ? strtoll(current) : 0n;
      const b = strtoll(value);
      let r: bigint;
      if (state === 'sum') r = a + b;
      else if (state === 'sub') r = a - b;
      else if (state === 'mul') r = a * b;
      else r = b === 0n ? 0n : a / b;
      current = BigInt.asIntN(64, r).toString();
    }
    state = 'concat';
  }
  return current;
}

/** uwsgi_substitute: every occurrence of `what`, left to right; a null `withText` changes nothing. */
export function substituteAll(src: string, what: string, withText: string | null): string {
  if (withText === null) return src;
  return src.split(what).join(withText);
}
