import { OffsetMap, type Piece } from './offset-map.js';

/**
 * Magic variables (`%d`, `%n`, `%%`, ...): uWSGI replaces every `%` + character over the whole text
 * of a file before parsing it (core/utils.c magic_sub), in one left-to-right scan whose output is
 * not rescanned. A character without a value (`%y`, `% `, `%` + newline) makes both characters
 * vanish: that is how a `%` at the end of a line joins it with the next one.
 */

/** The per-file variables (core/uwsgi.c config_magic_table_fill). */
export interface FileMagic {
  /** `%o`: the name as given (without `:section`). */
  readonly o: string;
  /** `%p`: absolute path. */
  readonly p: string;
  readonly s: string;
  /** `%d`: directory of `%p`, with a trailing `/`. */
  readonly d: string;
  readonly e: string;
  readonly n: string;
  readonly c: string;
  /** `%0`..`%9`: components of `%d`. */
  readonly parts: readonly string[];
  /** `%x`: the section asked with `file:section`. */
  readonly x: string;
}

export const EMPTY_FILE_MAGIC: FileMagic = { o: '', p: '', s: '', d: '', e: '', n: '', c: '', parts: [], x: '' };

/** Builds the per-file variables for `given` (no section) whose absolute path is `abs`. */
export function fileMagic(given: string, abs: string, section: string): FileMagic {
  const slash = abs.lastIndexOf('/');
  const s = abs.slice(slash + 1);
  const d = abs.slice(0, slash + 1);
  const dNoSlash = d.endsWith('/') ? d.slice(0, -1) : d;
  const lastSlash = dNoSlash.lastIndexOf('/');
  const c = lastSlash >= 0 ? dNoSlash.slice(lastSlash + 1) : '';
  const parts = dNoSlash.split('/').filter((x) => x !== '').slice(0, 10);
  // %e is taken after the last '.' of the name as given, %n from the file-name part (as uWSGI does)
  const givenDot = given.lastIndexOf('.');
  const e = givenDot >= 0 ? given.slice(givenDot + 1) : '';
  const sDot = s.lastIndexOf('.');
  const n = sDot >= 0 ? s.slice(0, sDot) : '';
  return { o: given, p: abs, s, d, e, n, c, parts, x: section };
}

/** Values that depend on the machine uWSGI runs on: we do not know them, we say so. */
export const RUNTIME_MAGIC = new Set(['h', 'k', 't', 'T', 'u', 'U', 'g', 'G', 'i', 'b']);

export interface MagicContext {
  readonly file: FileMagic;
  /** The first config file's variables (`%D %N ...`), empty until one was loaded by `--ini`/`--yaml`. */
  readonly first: FileMagic | undefined;
  /** `%v`: the working directory. */
  readonly cwd: string;
  /** Values for machine-dependent variables we can guess (from the environment), else ''. */
  readonly runtime: Readonly<Record<string, string>>;
}

export const UWSGI_VERSION = '2.0.21';

/** Characters that make a magic variable (digits too); any other `%x` vanishes. */
const KNOWN_MAGIC = new Set([...'%(opsdenxcjOPSDENXCJvV[', ...RUNTIME_MAGIC]);

export function magicValue(ctx: MagicContext, ch: string): string {
  const f = ctx.file;
  const F = ctx.first ?? EMPTY_FILE_MAGIC;
  switch (ch) {
    case '%':
      return '%';
    case '(':
      return '%(';
    case 'o':
      return f.o;
    case 'p':
      return f.p;
    case 's':
      return f.s;
    case 'd':
      return f.d;
    case 'e':
      return f.e;
    case 'n':
      return f.n;
    case 'c':
      return f.c;
    case 'x':
      return f.x;
    case 'j':
      return f.p ? djb33x(f.p).toString(16).padStart(8, '0') : '';
    case 'O':
      return F.o;
    case 'P':
      return F.p;
    case 'S':
      return F.s;
    case 'D':
      return F.d;
    case 'E':
      return F.e;
    case 'N':
      return F.n;
    case 'C':
      return F.c;
    case 'X':
      return F.x;
    case 'J':
      return F.p ? djb33x(F.p).toString(16).padStart(8, '0') : '';
    case 'v':
      return ctx.cwd;
    case 'V':
      return UWSGI_VERSION;
    case '[':
      return '\u001b';
    default:
      if (ch >= '0' && ch <= '9') return f.parts[ch.charCodeAt(0) - 48] ?? '';
      if (RUNTIME_MAGIC.has(ch)) return ctx.runtime[ch] ?? '';
      return '';
  }
}

/** uWSGI's djb33x hash (core/hash.c): bytes of the UTF-8 path, `char` being signed. */
export function djb33x(s: string): number {
  let hash = 5381;
  for (const b of new TextEncoder().encode(s)) {
    const signed = b >= 0x80 ? b - 0x100 : b;
    hash = (((hash << 5) + hash) ^ signed) >>> 0;
  }
  return hash >>> 0;
}

/** A `%` at the end of a line: the `%` and the line break vanish and the next line is glued on. */
export interface PercentJoin {
  /** Offset of the `%` in the original text. */
  readonly percentAt: number;
  /** Start of the line holding the `%`. */
  readonly lineStart: number;
  /** The swallowed line (original offsets, without its line break). */
  readonly nextStart: number;
  readonly nextEnd: number;
}

export interface MagicResult {
  readonly text: string;
  readonly map: OffsetMap;
  readonly joins: readonly PercentJoin[];
  /** `%` + a character without a value (both vanish), other than a line break (see `joins`). */
  readonly vanished: readonly { readonly at: number; readonly ch: string }[];
  /** Machine-dependent variables met, with the offset of their first use. */
  readonly runtimeUsed: ReadonlyMap<string, number>;
}

export function substituteMagic(original: string, ctx: MagicContext): MagicResult {
  const pieces: Piece[] = [];
  const joins: PercentJoin[] = [];
  const vanished: { at: number; ch: string }[] = [];
  const runtimeUsed = new Map<string, number>();
  let out = '';
  let copyFrom = 0;
  const flushCopy = (to: number): void => {
    if (to > copyFrom) {
      pieces.push({ s: out.length, sLen: to - copyFrom, o: copyFrom, oLen: to - copyFrom, copy: true });
      out += original.slice(copyFrom, to);
    }
  };
  let i = 0;
  const len = original.length;
  while (i < len) {
    const at = original.indexOf('%', i);
    if (at < 0) break;
    flushCopy(at);
    if (at + 1 >= len) {
      // '%' as the very last character eats uWSGI's terminating NUL: it vanishes.
      pieces.push({ s: out.length, sLen: 0, o: at, oLen: 1, copy: false });
      vanished.push({ at, ch: '' });
      copyFrom = len;
      i = len;
      break;
    }
    const ch = original[at + 1]!;
    const value = magicValue(ctx, ch);
    if (RUNTIME_MAGIC.has(ch) && !runtimeUsed.has(ch)) runtimeUsed.set(ch, at);
    if (!KNOWN_MAGIC.has(ch) && !(ch >= '0' && ch <= '9') && ch !== '\n') vanished.push({ at, ch });
    if (ch === '\n') {
      const lineStart = original.lastIndexOf('\n', at - 1) + 1;
      let nextEnd = original.indexOf('\n', at + 2);
      if (nextEnd < 0) nextEnd = len;
      joins.push({ percentAt: at, lineStart, nextStart: at + 2, nextEnd });
    }
    pieces.push({ s: out.length, sLen: value.length, o: at, oLen: 2, copy: false });
    out += value;
    i = at + 2;
    copyFrom = i;
  }
  flushCopy(len);
  return { text: out, map: new OffsetMap(pieces, out.length, len), joins, vanished, runtimeUsed };
}
