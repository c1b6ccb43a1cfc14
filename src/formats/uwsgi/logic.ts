/**
 * Logic blocks (core/config.c uwsgi_logic_opt_*): `for = a b c` ... `endfor`, `if-env = VAR` ...
 * `endif`, and friends. While a block is open every option added goes through its function, which
 * adds it zero, one or several times with `%(_)` replaced; the block is tested again for each
 * option. End keys (`end`, `endif`, `end-if`, `endfor`, `end-for`) close it and stay in the list.
 */

export type LogicKind =
  | 'for'
  | 'for-glob'
  | 'for-times'
  | 'for-readline'
  | 'if-opt'
  | 'if-not-opt'
  | 'if-env'
  | 'if-not-env'
  | 'if-reload'
  | 'if-not-reload'
  | 'if-exists'
  | 'if-not-exists'
  | 'if-file'
  | 'if-not-file'
  | 'if-dir'
  | 'if-not-dir'
  | 'if-plugin'
  | 'if-not-plugin'
  | 'if-hostname'
  | 'if-not-hostname'
  | 'if-hostname-match'
  | 'if-not-hostname-match';

/** Option name -> logic function (aliases included), as in uWSGI 2.0's option table. */
export const LOGIC_OPTIONS: ReadonlyMap<string, LogicKind> = new Map<string, LogicKind>([
  ['for', 'for'],
  ['for-glob', 'for-glob'],
  ['for-times', 'for-times'],
  ['for-readline', 'for-readline'],
  ['if-opt', 'if-opt'],
  ['if-not-opt', 'if-not-opt'],
  ['if-env', 'if-env'],
  ['ifenv', 'if-env'],
  ['if-not-env', 'if-not-env'],
  ['if-reload', 'if-reload'],
  ['if-not-reload', 'if-not-reload'],
  ['if-exists', 'if-exists'],
  ['ifexists', 'if-exists'],
  ['if-not-exists', 'if-not-exists'],
  ['if-file', 'if-file'],
  ['if-not-file', 'if-not-file'],
  ['if-dir', 'if-dir'],
  ['ifdir', 'if-dir'],
  ['if-directory', 'if-dir'],
  ['if-not-dir', 'if-not-dir'],
  ['if-plugin', 'if-plugin'],
  ['ifplugin', 'if-plugin'],
  ['if-not-plugin', 'if-not-plugin'],
  ['if-hostname', 'if-hostname'],
  ['if-not-hostname', 'if-not-hostname'],
  ['if-hostname-match', 'if-hostname-match'],
  ['if-not-hostname-match', 'if-not-hostname-match'],
]);

export const END_KEYS: ReadonlySet<string> = new Set(['end', 'endfor', 'endif', 'end-if', 'end-for']);

/** What a logic function may ask of the world. */
export interface LogicWorld {
  env(name: string): string | undefined;
  /** Value of the first option named so, null for a valueless one, undefined when absent. */
  option(name: string): string | null | undefined;
  /** access(R_OK) */
  exists(path: string): boolean;
  isFile(path: string): boolean;
  isDir(path: string): boolean;
  readText(path: string): string | undefined;
  /** glob(3) with GLOB_MARK | GLOB_NOCHECK; undefined when directories cannot be listed. */
  glob(pattern: string): string[] | undefined;
}

export interface LogicOutcome {
  /** One entry per time the option is added; each is the `%(_)` replacement (null: left alone). */
  readonly values: readonly (string | null)[];
  /** Something we could not know and assumed (plugins, hostname), or a file that was missing. */
  readonly note?: string;
}

/** uwsgi_foreach_token(s, " "): runs of spaces separate, empty tokens are skipped. */
const tokens = (s: string): string[] => s.split(' ').filter((t) => t !== '');

/** C's atoi. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = Number.parseInt(m[1]!, 10);
  return Math.max(-2147483648, Math.min(2147483647, n));
}

/** fgets(line, 1024) + uwsgi_chomp: lines of at most 1023 characters, trailing CR/LF removed. */
function readLines(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const nl = text.indexOf('\n', i);
    const stop = nl < 0 ? text.length : nl + 1;
    const end = Math.min(stop, i + 1023);
    out.push(text.slice(i, end).replace(/[\r\n]+$/, ''));
    i = end;
  }
  return out;
}

/** Splits `NAME=value` as the if-env/if-opt functions do. */
function nameAndExpected(arg: string): { name: string; expected: string | undefined } {
  const eq = arg.indexOf('=');
  return eq < 0 ? { name: arg, expected: undefined } : { name: arg.slice(0, eq), expected: arg.slice(eq + 1) };
}

export const MAX_LOOP_ITEMS = 10_000;

export function runLogic(kind: LogicKind, arg: string, world: LogicWorld): LogicOutcome {
  const pass = (ok: boolean, underscore: string | null): LogicOutcome => ({ values: ok ? [underscore] : [] });
  switch (kind) {
    case 'for':
      return { values: tokens(arg) };
    case 'for-times': {
      const n = Math.min(atoi(arg), MAX_LOOP_ITEMS);
      const values: string[] = [];
      for (let i = 1; i <= n; i++) values.push(String(i));
      return { values };
    }
    case 'for-glob': {
      const found = world.glob(arg);
      if (found) return { values: found };
      return { values: [arg], note: `the glob \`${arg}\` is not expanded (directories cannot be listed here); it is used as written` };
    }
    case 'for-readline': {
      const text = world.readText(arg);
      if (text === undefined) return { values: [], note: `\`${arg}\` cannot be opened: uWSGI logs the error and adds nothing` };
      return { values: readLines(text) };
    }
    case 'if-env':
    case 'if-not-env':
    case 'if-opt':
    case 'if-not-opt': {
      const { name, expected } = nameAndExpected(arg);
      const got = kind === 'if-env' || kind === 'if-not-env' ? world.env(name) : world.option(name);
      // a valueless (command-line flag) option counts as absent, as its NULL value does in uWSGI
      const present = got !== undefined && got !== null;
      const value = present ? got : null;
      if (kind === 'if-env' || kind === 'if-opt') {
        if (!present) return pass(false, null);
        if (expected !== undefined && expected !== value) return pass(false, null);
        return pass(true, value);
      }
      if (present) {
        if (expected === undefined) return pass(false, null);
        if (expected === value) return pass(false, null);
      }
      return pass(true, value);
    }
    case 'if-reload':
      return pass(false, null);
    case 'if-not-reload':
      return { values: [null] };
    case 'if-exists':
      return pass(world.exists(arg), arg);
    case 'if-not-exists':
      return pass(!world.exists(arg), arg);
    case 'if-file':
      return pass(world.isFile(arg), arg);
    case 'if-not-file':
      return pass(!world.isFile(arg), arg);
    case 'if-dir':
      return pass(world.isDir(arg), arg);
    case 'if-not-dir':
      return pass(!world.isDir(arg), arg);
    case 'if-plugin':
    case 'if-not-plugin':
      return {
        ...pass(kind === 'if-not-plugin', arg),
        note: `whether the plugin \`${arg}\` is loaded is not known here; assumed it is not`,
      };
    case 'if-hostname':
    case 'if-not-hostname':
    case 'if-hostname-match':
    case 'if-not-hostname-match':
      return {
        ...pass(kind.startsWith('if-not'), arg),
        note: `the host name uWSGI runs on is not known here; assumed it does not match \`${arg}\``,
      };
  }
}
