/**
 * uWSGI's embedded YAML reader (core/yaml.c without UWSGI_LIBYAML, the parser of pip's uWSGI that
 * Galaxy ran), re-implemented line for line. It is not YAML: it cuts every line at the first `#`,
 * reads only the first top-level `section:` mapping as one flat list of `key: value` lines, keeps
 * quotes and CRs as data, and silently stops reading the whole file at the first line it does not
 * understand. Offsets here are into the text after magic substitution.
 */

export interface LineOption {
  readonly key: string;
  readonly value: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  readonly lineStart: number;
  /** End of the line, without its `\n`. */
  readonly lineEnd: number;
  /** Offset of the `#` that cut the line, or -1. */
  readonly commentAt: number;
}

export type YamlStopReason = 'list-item' | 'flow' | 'no-blank' | 'bare-key' | 'no-colon';

export interface YamlStop {
  readonly reason: YamlStopReason;
  readonly lineStart: number;
  readonly lineEnd: number;
  /** The line as uWSGI saw it (comment cut). */
  readonly text: string;
  /** Keys on the block's later lines (this one included) that uWSGI never reads. */
  readonly lostKeys: readonly string[];
  /** The value of the option read just before (a `|` or `>` there means a block scalar). */
  readonly previousValue?: string;
}

export interface YamlParse {
  readonly options: readonly LineOption[];
  readonly found: boolean;
  readonly stop?: YamlStop;
  /** The section: header line start to the end of its block's last indented line, `\n` included. */
  readonly span?: { readonly start: number; readonly end: number };
  /** Later top-level lines naming the same section, which uWSGI never reaches. */
  readonly laterHeaders: readonly { readonly start: number; readonly end: number }[];
}

interface Line {
  readonly start: number;
  /** Without `\n`. */
  readonly end: number;
  /** End of the content uWSGI sees: cut at the first `#` (and at a NUL, as C strings are). */
  readonly cut: number;
  readonly commentAt: number;
}

export function splitLines(text: string, cutComments: boolean): Line[] {
  const lines: Line[] = [];
  let start = 0;
  const len = text.length;
  while (start < len) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = len;
    let commentAt = cutComments ? text.indexOf('#', start) : -1;
    if (commentAt >= end) commentAt = -1;
    let cut = commentAt >= 0 ? commentAt : end;
    const nul = text.indexOf('\0', start);
    if (nul >= 0 && nul < cut) cut = nul;
    lines.push({ start, end, cut, commentAt });
    start = end + 1;
  }
  return lines;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r';

/** Leading blanks uWSGI skips: space, TAB and CR. */
function lstripIndex(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && isBlank(text[i])) i++;
  return i;
}

/** Trailing blanks uWSGI trims from keys and values: space and TAB only (a CR stays). */
function rstripIndex(text: string, from: number, to: number): number {
  let i = to;
  while (i > from && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i;
}

export function parseYamlLines(text: string, section: string): YamlParse {
  const lines = splitLines(text, true);
  const options: LineOption[] = [];
  let inSection = false;
  let headerIndex = -1;
  let stop: YamlStop | undefined;
  let endIndex = lines.length; // index of the line that ended the section (or lines.length)

  for (let li = 0; li < lines.length; li++) {
    const ln = lines[li]!;
    if (ln.cut === ln.start) continue; // empty once the comment is cut
    const depth0 = !isBlank(text[ln.start]);
    if (depth0) {
      if (inSection) {
        endIndex = li;
        break;
      }
    } else if (!inSection) continue;

    const k = lstripIndex(text, ln.start, ln.cut);
    if (k === ln.cut) continue;
    const first = text[k];
    if (first === '-' || first === '[' || first === '{') {
      if (inSection) {
        stop = makeStop(text, lines, li, first === '-' ? 'list-item' : 'flow', options);
        endIndex = li;
        break;
      }
      continue;
    }
    if (!inSection) {
      const colon = text.indexOf(':', k);
      if (colon < 0 || colon >= ln.cut) continue;
      if (text.slice(k, colon) === section) {
        inSection = true;
        headerIndex = li;
      }
      continue;
    }
    let sep = text.indexOf(': ', k);
    if (sep < 0 || sep + 1 >= ln.cut) sep = -1;
    if (sep < 0) {
      sep = text.indexOf(':\t', k);
      if (sep < 0 || sep + 1 >= ln.cut) sep = -1;
    }
    if (sep < 0) {
      stop = makeStop(text, lines, li, classify(text.slice(k, ln.cut)), options);
      endIndex = li;
      break;
    }
    const keyEnd = rstripIndex(text, k, sep);
    const valueStart = lstripIndex(text, sep + 2, ln.cut);
    const valueEnd = rstripIndex(text, valueStart, ln.cut);
    options.push({
      key: text.slice(k, keyEnd),
      value: text.slice(valueStart, valueEnd),
      keyStart: k,
      keyEnd,
      valueStart,
      valueEnd,
      lineStart: ln.start,
      lineEnd: ln.end,
      commentAt: ln.commentAt,
    });
  }

  if (!inSection) return { options, found: false, laterHeaders: [] };

  const blockEnd = blockEndIndex(text, lines, headerIndex + 1);
  const header = lines[headerIndex]!;
  let lastLine = header;
  for (let li = headerIndex + 1; li < blockEnd; li++) {
    const ln = lines[li]!;
    const raw = text.slice(ln.start, ln.end);
    if (raw.trim() !== '' && isBlank(raw[0])) lastLine = ln;
  }
  const span = { start: header.start, end: Math.min(lastLine.end + 1, text.length) };

  const laterHeaders: { start: number; end: number }[] = [];
  for (let li = Math.max(endIndex, blockEnd); li < lines.length; li++) {
    const ln = lines[li]!;
    if (ln.cut === ln.start || isBlank(text[ln.start])) continue;
    const colon = text.indexOf(':', ln.start);
    if (colon < 0 || colon >= ln.cut) continue;
    if (text.slice(ln.start, colon) === section) laterHeaders.push({ start: ln.start, end: ln.end });
  }
  return { options, found: true, ...(stop ? { stop } : {}), span, laterHeaders };
}

function classify(t: string): YamlStopReason {
  if (!t.includes(':')) return 'no-colon';
  const trimmed = t.replace(/[ \t\r]+$/, '');
  if (trimmed.endsWith(':')) return 'bare-key';
  return 'no-blank';
}

/** Index of the first line after `from` that is a top-level line (ends the block). */
function blockEndIndex(text: string, lines: readonly Line[], from: number): number {
  for (let li = from; li < lines.length; li++) {
    const ln = lines[li]!;
    if (ln.cut === ln.start) continue;
    if (!isBlank(text[ln.start])) return li;
  }
  return lines.length;
}

function makeStop(text: string, lines: readonly Line[], li: number, reason: YamlStopReason, options: readonly LineOption[]): YamlStop {
  const ln = lines[li]!;
  const end = blockEndIndex(text, lines, li + 1);
  const lost: string[] = [];
  for (let i = li; i < end; i++) {
    const l = lines[i]!;
    const k = lstripIndex(text, l.start, l.cut);
    if (k === l.cut) continue;
    const c = text[k];
    if (c === '-' || c === '[' || c === '{') continue;
    const colon = text.indexOf(':', k);
    if (colon < 0 || colon >= l.cut) continue;
    const key = text.slice(k, rstripIndex(text, k, colon));
    if (key !== '' && !lost.includes(key)) lost.push(key);
  }
  const prev = options[options.length - 1];
  return {
    reason,
    lineStart: ln.start,
    lineEnd: ln.end,
    text: text.slice(ln.start, ln.cut),
    lostKeys: lost,
    ...(prev ? { previousValue: prev.value } : {}),
  };
}
