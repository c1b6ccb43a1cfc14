import { splitLines } from './yaml-lines.js';

/**
 * uWSGI's INI reader (core/ini.c), re-implemented line for line. No ConfigParser features: each
 * line is trimmed of space/TAB/CR, `[name]` switches section (the name is everything after `[`
 * minus the last character, whatever it is), `;` and `#` are comments only at the start of a line,
 * anything else is `key = value` split at the first `=` (no `=`: empty value). Only lines of the
 * asked section are kept, and a section may appear several times. Offsets are into the text after
 * magic substitution.
 */

export interface IniOption {
  readonly key: string;
  readonly value: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  readonly lineStart: number;
  readonly lineEnd: number;
}

export interface IniParse {
  readonly options: readonly IniOption[];
  /** True when a key line of the asked section was seen (uWSGI warns otherwise). */
  readonly found: boolean;
  /** Each occurrence of the section: header line start to the end of its last key line, `\n` included. */
  readonly spans: readonly { readonly start: number; readonly end: number }[];
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r';

/** The section name uWSGI takes from a header line (trimmed, starting with `[`); undefined if it can match no name. */
export function iniSectionName(trimmed: string): string | undefined {
  if (trimmed.length <= 1) return '';
  const last = trimmed.charCodeAt(trimmed.length - 1);
  // uWSGI drops the last *byte*: a non-ASCII last character leaves half a UTF-8 sequence behind,
  // a name no section asked on the command line can equal.
  if (last >= 0x80) return undefined;
  return trimmed.slice(1, -1);
}

export function parseIniLines(text: string, section: string): IniParse {
  const lines = splitLines(text, false);
  const options: IniOption[] = [];
  const spans: { start: number; end: number }[] = [];
  let current: string | undefined = '';
  let found = false;
  let open: { start: number; end: number } | undefined;
  const close = (): void => {
    if (open) spans.push(open);
    open = undefined;
  };

  for (const ln of lines) {
    let a = ln.start;
    let b = ln.cut;
    while (a < b && isBlank(text[a])) a++;
    while (b > a && isBlank(text[b - 1])) b--;
    if (a === b) continue;
    const first = text[a];
    if (first === '[') {
      close();
      current = iniSectionName(text.slice(a, b));
      if (current === section) open = { start: ln.start, end: Math.min(ln.end + 1, text.length) };
      continue;
    }
    if (first === ';' || first === '#') continue;
    if (current !== section) continue;
    found = true;
    const eq = text.indexOf('=', a);
    let keyEnd: number;
    let valueStart: number;
    let valueEnd: number;
    if (eq >= 0 && eq < b) {
      keyEnd = eq;
      while (keyEnd > a && isBlank(text[keyEnd - 1])) keyEnd--;
      valueStart = eq + 1;
      while (valueStart < b && isBlank(text[valueStart])) valueStart++;
      valueEnd = b;
    } else {
      keyEnd = b;
      valueStart = b;
      valueEnd = b;
    }
    options.push({
      key: text.slice(a, keyEnd),
      value: text.slice(valueStart, valueEnd),
      keyStart: a,
      keyEnd,
      valueStart,
      valueEnd,
      lineStart: ln.start,
      lineEnd: ln.end,
    });
    if (open) open.end = Math.min(ln.end + 1, text.length);
  }
  close();
  return { options, found, spans };
}
