import type { ParseIssue } from '../../core/document.js';
import type { Range } from '../../core/range.js';

/**
 * A lossless reader for the INI dialects around a Galaxy deployment: Python `configparser` (Paste's
 * galaxy.ini, as Galaxy's `nice_config_parser` reads it), supervisord (configparser with inline
 * comments) and systemd unit files.
 *
 * Why not the `ini` npm package (docs/peers.md §1.9, §7): it cuts unquoted values at the first `#`
 * or `;` (a `database_connection` password or an `id_secret` containing one is silently truncated,
 * while Python keeps it), merges repeated keys, drops comments and blank lines, turns indented
 * continuation lines into bogus keys and keeps no positions. Galaxy's and uWSGI's INI must be read
 * the way Python and uWSGI read them, and rewritten by splicing, so every physical line is kept here
 * with its offsets and the rules edit ranges of the original text.
 *
 * Every line of the text belongs to exactly one `IniLine`; concatenating their `full` ranges gives
 * the text back byte for byte. Jinja2 (`{% %}`, `{# #}`, a line that is one `{{ }}`) is tolerated as
 * opaque text: such lines are kept as `template` lines and change no parser state, and `{{ }}` inside
 * keys and values is left as written.
 */

export interface IniDialect {
  readonly name: 'configparser' | 'supervisor' | 'systemd';
  /** Characters that make a whole line a comment (after leading whitespace). */
  readonly commentChars: string;
  /** Characters that start a comment inside a line when at column 0 or after whitespace ('' = none). */
  readonly inlineCommentChars: string;
  /** Characters that separate a key from its value: the first one on the line wins. */
  readonly delimiters: string;
  /** `indent`: a line indented deeper than its key goes on with the value (configparser);
   *  `backslash`: a line ending in `\` goes on on the next line (systemd). */
  readonly continuation: 'indent' | 'backslash';
  /** How keys compare: configparser's `optionxform` lowercases; systemd keys are case-sensitive. */
  readonly foldKey: (key: string) => string;
  /** The separator the dialect joins continued lines with in the logical value. */
  readonly joiner: string;
}

/**
 * Python 3 `configparser.ConfigParser` defaults as Galaxy and PasteDeploy use them: `#`/`;` comments
 * only as whole lines (`inline_comment_prefixes=None`, so `a = b ; c` keeps `; c`), `=` and `:`
 * delimiters, indented continuation lines joined with `\n`. Galaxy's `nice_config_parser` sets
 * `optionxform = str` (case kept), so keys are not folded.
 */
export const CONFIGPARSER: IniDialect = {
  name: 'configparser',
  commentChars: '#;',
  inlineCommentChars: '',
  delimiters: '=:',
  continuation: 'indent',
  foldKey: (k) => k,
  joiner: '\n',
};

/**
 * supervisord's `UnhosedConfigParser` (supervisor/options.py): a `RawConfigParser` with
 * `inline_comment_prefixes=(';', '#')` and `strict=False` (repeated keys: the last wins), keys
 * lowercased by `optionxform`.
 */
export const SUPERVISOR: IniDialect = {
  name: 'supervisor',
  commentChars: '#;',
  inlineCommentChars: ';#',
  delimiters: '=:',
  continuation: 'indent',
  foldKey: (k) => k.toLowerCase(),
  joiner: '\n',
};

/**
 * systemd.syntax(7): `#`/`;` start a comment line, `Key=Value` with blanks around both stripped,
 * a line ending in a backslash continues on the next one (the backslash becomes a space; comment
 * lines inside the continuation are skipped), keys are case-sensitive.
 */
export const SYSTEMD: IniDialect = {
  name: 'systemd',
  commentChars: '#;',
  inlineCommentChars: '',
  delimiters: '=',
  continuation: 'backslash',
  foldKey: (k) => k,
  joiner: ' ',
};

export type IniLineKind = 'blank' | 'comment' | 'section' | 'entry' | 'continuation' | 'template' | 'invalid';

export interface IniLine {
  readonly kind: IniLineKind;
  /** 1-based line number. */
  readonly line: number;
  /** The line without its line break. */
  readonly range: Range;
  /** The line with its line break. */
  readonly full: Range;
}

/** One physical line's share of a value: `text` is exactly the file's text at `range`. */
export interface IniValuePart {
  readonly text: string;
  readonly range: Range;
}

export interface IniEntry {
  /** The key as written (blanks around it trimmed). */
  readonly key: string;
  /** The key as the dialect compares it (lowercased for configparser/supervisor). */
  readonly name: string;
  readonly keyRange: Range;
  /** The logical value: the parts joined with the dialect's joiner (comments and trailing blank lines left out). */
  readonly value: string;
  readonly parts: readonly IniValuePart[];
  /** From the first to the last character of the value; an empty range just after the delimiter when empty. */
  readonly valueRange: Range;
  /** Inline comments (supervisor `; …`) on the entry's lines. */
  readonly comments: readonly Range[];
  /** Key start to value end. */
  readonly range: Range;
  /** The entry's whole lines, line breaks included (first line start to last continuation line end). */
  readonly lines: Range;
  /** 1-based line of the key. */
  readonly line: number;
}

export interface IniSection {
  /** The text between `[` and `]`. */
  readonly name: string;
  readonly nameRange: Range;
  /** The header line without its line break. */
  readonly header: Range;
  readonly entries: readonly IniEntry[];
  /** Header line start to the end (line break included) of the section's last entry or header. */
  readonly body: Range;
  /** Header line start to the start of the next section header line (or the end of the text). */
  readonly extent: Range;
  readonly line: number;
}

export interface IniAst {
  readonly dialect: IniDialect['name'];
  readonly lines: readonly IniLine[];
  readonly sections: readonly IniSection[];
  /** Entries before the first section header (an error for every dialect here). */
  readonly preamble: readonly IniEntry[];
}

export interface IniRead {
  readonly ast: IniAst;
  readonly errors: ParseIssue[];
}

interface RawLine {
  readonly start: number;
  /** End of the content (before CR/LF). */
  readonly end: number;
  /** Start of the next line. */
  readonly next: number;
}

/** Splits at LF, CRLF and lone CR, as LineIndex does. */
export function splitPhysicalLines(text: string): RawLine[] {
  const out: RawLine[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      const end = i > start && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
      out.push({ start, end, next: i + 1 });
      start = i + 1;
    } else if (c === 13 && text.charCodeAt(i + 1) !== 10) {
      out.push({ start, end: i, next: i + 1 });
      start = i + 1;
    }
  }
  if (start < text.length) out.push({ start, end: text.length, next: text.length });
  return out;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\r';

/**
 * Where a Jinja2 statement or comment that opens on this line closes: the index of the line that
 * holds the closing `%}`/`#}` (the same line for one-line tags), or undefined if the line does not
 * start with one. A line that is a single `{{ … }}` expression is a template line too.
 */
function templateSpan(text: string, lines: readonly RawLine[], i: number): number | undefined {
  const ln = lines[i]!;
  let a = ln.start;
  while (a < ln.end && isSpace(text[a])) a++;
  const open = text.slice(a, a + 2);
  if (open === '{{') {
    const close = text.indexOf('}}', a + 2);
    if (close >= 0 && close + 2 <= ln.end && text.slice(close + 2, ln.end).trim() === '') return i;
    return undefined;
  }
  if (open !== '{%' && open !== '{#') return undefined;
  const closer = open === '{%' ? '%}' : '#}';
  const at = text.indexOf(closer, a + 2);
  if (at < 0) return lines.length - 1;
  let j = i;
  while (j < lines.length - 1 && lines[j]!.next <= at) j++;
  return j;
}

/** Index of the first delimiter of the key part, skipping `{{ … }}` so a Jinja key can hold `=`. */
function delimiterAt(text: string, from: number, to: number, delimiters: string): number {
  for (let i = from; i < to; i++) {
    if (text[i] === '{' && text[i + 1] === '{') {
      const close = text.indexOf('}}', i + 2);
      if (close >= 0 && close < to) {
        i = close + 1;
        continue;
      }
    }
    if (delimiters.includes(text[i]!)) return i;
  }
  return -1;
}

/** Where an inline comment starts on [from, to): a comment char at `lineStart` or after whitespace. */
function inlineCommentAt(text: string, lineStart: number, from: number, to: number, chars: string): number {
  if (!chars) return -1;
  for (let i = from; i < to; i++) {
    if (chars.includes(text[i]!) && (i === lineStart || isSpace(text[i - 1]))) return i;
  }
  return -1;
}

function trimRange(text: string, start: number, end: number): Range {
  let a = start;
  let b = end;
  while (a < b && isSpace(text[a])) a++;
  while (b > a && isSpace(text[b - 1])) b--;
  return { start: a, end: b };
}

interface EntryDraft {
  key: string;
  keyRange: Range;
  delimiter: number;
  parts: IniValuePart[];
  comments: Range[];
  first: RawLine;
  last: RawLine;
  line: number;
  /** configparser: blank lines seen since the last part (dropped if nothing follows). */
  pendingBlank: number;
}

export function readIni(text: string, dialect: IniDialect): IniRead {
  const raw = splitPhysicalLines(text);
  const lines: IniLine[] = [];
  const errors: ParseIssue[] = [];
  const sections: IniSection[] = [];
  const preamble: IniEntry[] = [];

  interface SectionDraft {
    name: string;
    nameRange: Range;
    header: Range;
    headerLine: RawLine;
    entries: IniEntry[];
    line: number;
  }
  let section: SectionDraft | undefined;
  let entry: EntryDraft | undefined;
  let indentLevel = 0;
  /** systemd: the previous entry line ended with a backslash. */
  let continued = false;

  const finishEntry = (): void => {
    if (!entry) return;
    const e = entry;
    entry = undefined;
    const parts = e.parts;
    const firstPart = parts[0]!;
    const lastPart = parts[parts.length - 1]!;
    const value = parts.map((p) => p.text).join(dialect.joiner);
    const valueRange = { start: firstPart.range.start, end: lastPart.range.end };
    const done: IniEntry = {
      key: e.key,
      name: dialect.foldKey(e.key),
      keyRange: e.keyRange,
      value: dialect.continuation === 'backslash' ? value.trim() : value,
      parts,
      valueRange,
      comments: e.comments,
      range: { start: e.keyRange.start, end: valueRange.end },
      lines: { start: e.first.start, end: e.last.next },
      line: e.line,
    };
    if (section) section.entries.push(done);
    else preamble.push(done);
  };
  const finishSection = (nextStart: number): void => {
    finishEntry();
    if (!section) return;
    const s = section;
    const lastEntry = s.entries[s.entries.length - 1];
    sections.push({
      name: s.name,
      nameRange: s.nameRange,
      header: s.header,
      entries: s.entries,
      body: { start: s.headerLine.start, end: lastEntry ? lastEntry.lines.end : s.headerLine.next },
      extent: { start: s.headerLine.start, end: nextStart },
      line: s.line,
    });
    section = undefined;
  };
  const push = (kind: IniLineKind, ln: RawLine, n: number): void => {
    lines.push({ kind, line: n + 1, range: { start: ln.start, end: ln.end }, full: { start: ln.start, end: ln.next } });
  };

  for (let i = 0; i < raw.length; i++) {
    const ln = raw[i]!;
    // Jinja2 statements and comments: opaque, they change no parser state.
    const tEnd = templateSpan(text, raw, i);
    if (tEnd !== undefined) {
      for (let j = i; j <= tEnd; j++) push('template', raw[j]!, j);
      i = tEnd;
      continue;
    }
    // systemd skips a UTF-8 byte order mark before the first line (the text keeps it as U+FEFF);
    // configparser does not, and reports the header it hides.
    const bom = i === 0 && dialect.name === 'systemd' && text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const content = trimRange(text, ln.start + bom, ln.end);
    const firstChar = text[content.start];

    if (dialect.continuation === 'backslash') {
      if (continued && entry) {
        if (content.start < content.end && dialect.commentChars.includes(firstChar!)) {
          push('comment', ln, i);
          entry.last = ln;
          continue;
        }
        const endsWithBackslash = content.end > content.start && text[content.end - 1] === '\\';
        const partEnd = endsWithBackslash ? content.end - 1 : content.end;
        const part = { start: ln.start, end: partEnd };
        entry.parts.push({ text: text.slice(part.start, part.end), range: part });
        entry.last = ln;
        push('continuation', ln, i);
        continued = endsWithBackslash;
        if (!continued) finishEntry();
        continue;
      }
      if (content.start === content.end) {
        push('blank', ln, i);
        continue;
      }
      if (dialect.commentChars.includes(firstChar!)) {
        push('comment', ln, i);
        continue;
      }
    } else {
      // configparser: comments and blank lines never end a value (a deeper-indented line after
      // them still continues it); only the value's trailing blank lines are dropped.
      const commentStart = inlineCommentAt(text, ln.start, ln.start, ln.end, dialect.inlineCommentChars);
      const isWholeComment = content.start < content.end && dialect.commentChars.includes(firstChar!);
      const effectiveEnd = isWholeComment ? content.start : commentStart >= 0 ? commentStart : ln.end;
      const eff = trimRange(text, ln.start, effectiveEnd);
      if (eff.start === eff.end) {
        push(isWholeComment || commentStart >= 0 ? 'comment' : 'blank', ln, i);
        if (entry && !isWholeComment && commentStart < 0) entry.pendingBlank++;
        continue;
      }
      const indent = eff.start - ln.start;
      if (entry && indent > indentLevel) {
        for (; entry.pendingBlank > 0; entry.pendingBlank--) entry.parts.push({ text: '', range: { start: ln.start, end: ln.start } });
        entry.parts.push({ text: text.slice(eff.start, eff.end), range: eff });
        if (commentStart >= 0) entry.comments.push({ start: commentStart, end: content.end });
        entry.last = ln;
        push('continuation', ln, i);
        continue;
      }
      indentLevel = indent;
    }

    // A section header or a key line.
    const headerEnd = dialect.continuation === 'indent' ? effectiveContentEnd(text, ln, dialect) : content.end;
    const lineText = text.slice(content.start, headerEnd);
    if (lineText.startsWith('[') && lineText.lastIndexOf(']') > 1) {
      finishSection(ln.start);
      const close = content.start + lineText.lastIndexOf(']');
      section = {
        name: text.slice(content.start + 1, close),
        nameRange: { start: content.start + 1, end: close },
        header: { start: ln.start, end: ln.end },
        headerLine: ln,
        entries: [],
        line: i + 1,
      };
      push('section', ln, i);
      continue;
    }
    const d = delimiterAt(text, content.start, headerEnd, dialect.delimiters);
    if (d < 0) {
      // Like configparser, a line it cannot read does not end the value before it: a deeper
      // indented line after it still continues that value.
      push('invalid', ln, i);
      errors.push({
        message:
          dialect.name === 'systemd'
            ? `line ${i + 1} has no '=': systemd ignores it`
            : `line ${i + 1} is neither a [section], a key ${dialect.delimiters.split('').join(' or ')} value, nor a comment`,
        range: content,
        severity: dialect.name === 'systemd' ? 'warning' : 'error',
      });
      continue;
    }
    finishEntry();
    const keyRange = trimRange(text, content.start, d);
    if (!section) {
      errors.push({ message: `line ${i + 1}: a key before any [section] header`, range: content, severity: 'error' });
    }
    let valueEnd = headerEnd;
    const comments: Range[] = [];
    if (dialect.continuation === 'indent') {
      const c = inlineCommentAt(text, ln.start, d + 1, ln.end, dialect.inlineCommentChars);
      if (c >= 0) comments.push({ start: c, end: content.end });
    }
    let endsWithBackslash = false;
    if (dialect.continuation === 'backslash') {
      const v = trimRange(text, d + 1, content.end);
      endsWithBackslash = v.end > v.start && text[v.end - 1] === '\\';
      if (endsWithBackslash) valueEnd = v.end - 1;
    }
    let valueRange = trimRange(text, d + 1, valueEnd);
    if (endsWithBackslash) valueRange = { start: valueRange.start, end: valueEnd };
    if (valueRange.start === valueRange.end) {
      let at = d + 1;
      while (at < valueEnd && isSpace(text[at])) at++;
      valueRange = { start: at, end: at };
    }
    entry = {
      key: text.slice(keyRange.start, keyRange.end),
      keyRange,
      delimiter: d,
      parts: [{ text: text.slice(valueRange.start, valueRange.end), range: valueRange }],
      comments,
      first: ln,
      last: ln,
      line: i + 1,
      pendingBlank: 0,
    };
    push('entry', ln, i);
    if (dialect.continuation === 'backslash') {
      continued = endsWithBackslash;
      if (!continued) finishEntry();
    }
  }
  finishSection(text.length);
  // In a Jinja template, a line that reads as nothing here may be joined to a value by rendering
  // (`{%- if x %}` strips the line break before it): a warning, not an error.
  const templated = lines.some((l) => l.kind === 'template') || /\{\{|\{%/.test(text);
  const issues = templated
    ? errors.map((e) => (e.severity === 'error' ? { ...e, severity: 'warning' as const, message: `${e.message} (the file is a Jinja template: rendering may join this line to the value above)` } : e))
    : errors;
  return { ast: { dialect: dialect.name, lines, sections, preamble }, errors: issues };
}

function effectiveContentEnd(text: string, ln: RawLine, dialect: IniDialect): number {
  const c = inlineCommentAt(text, ln.start, ln.start, ln.end, dialect.inlineCommentChars);
  return trimRange(text, ln.start, c >= 0 ? c : ln.end).end;
}

/** The text again, from the lines (the round-trip tests check this is the identity). */
export function printIni(text: string, ast: IniAst): string {
  return ast.lines.map((l) => text.slice(l.full.start, l.full.end)).join('');
}

/** The last entry of a key in a section (configparser and supervisord: the last one wins). */
export function lastEntry(section: IniSection, name: string, dialect: IniDialect): IniEntry | undefined {
  const want = dialect.foldKey(name);
  let found: IniEntry | undefined;
  for (const e of section.entries) if (e.name === want) found = e;
  return found;
}

/** Every entry of a key in a section, in order (systemd's list settings such as `Environment=`). */
export function allEntries(section: IniSection, name: string, dialect: IniDialect): IniEntry[] {
  const want = dialect.foldKey(name);
  return section.entries.filter((e) => e.name === want);
}

/**
 * Maps an offset into an entry's logical value to an offset in the file (the end of the previous
 * part for an offset on a joiner).
 */
export function valueOffsetToFile(entry: IniEntry, joiner: string, offset: number): number {
  let at = 0;
  for (let i = 0; i < entry.parts.length; i++) {
    const p = entry.parts[i]!;
    if (offset <= at + p.text.length) return p.range.start + (offset - at);
    at += p.text.length;
    if (i < entry.parts.length - 1) {
      if (offset < at + joiner.length) return p.range.end;
      at += joiner.length;
    }
  }
  const lastPart = entry.parts[entry.parts.length - 1];
  return lastPart ? lastPart.range.end : entry.valueRange.end;
}
