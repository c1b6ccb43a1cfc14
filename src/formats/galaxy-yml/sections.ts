import type { LineIndex, Range } from '../../core/range.js';

/**
 * The top-level sections of a galaxy.yml, found line by line rather than through a YAML parser:
 * a `uwsgi:` block is written in uWSGI's dialect (`key:value`, repeated keys, values YAML would
 * read differently), so the file is often not valid YAML, and the section boundaries must be
 * found anyway.
 *
 * A section starts at a line whose first character begins a mapping key (`name:` followed by a
 * blank or the end of the line) and runs over the indented lines that follow it. It ends at its
 * last indented line (content or comment): blank lines and column-0 comments after that belong
 * to the gap before the next section (such comments usually introduce the next section, as in
 * Galaxy's own samples).
 */
export interface TopSection {
  /** The key, unquoted. */
  readonly name: string;
  /** From the header line's start (after a BOM) to the end of its last line, line break included. */
  readonly range: Range;
  /** The key as written (quotes included). */
  readonly keyRange: Range;
  /** The header line without its line break. */
  readonly headerRange: Range;
  /** Text after the `:` on the header line, comment removed, trimmed (`{}`, `~`, `''` or empty). */
  readonly inlineValue: string;
  /** 1-based line of the header. */
  readonly line: number;
  /** The column of the first indented content line (not a comment), when there is one. */
  readonly childIndent?: number;
}

const KEY = /^(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)'|([^\s#'"\-?:,[\]{}&*!|>%@`][^\n]*?|-[^\s\n][^\n]*?))[ \t]*:(?=[ \t]|$)/;

export function findTopSections(lines: LineIndex): TopSection[] {
  const text = lines.text;
  const out: TopSection[] = [];
  let open: { name: string; keyRange: Range; headerRange: Range; inlineValue: string; line: number; start: number; lastEnd: number; childIndent?: number } | undefined;

  const close = (): void => {
    if (!open) return;
    out.push({
      name: open.name,
      range: { start: open.start, end: open.lastEnd },
      keyRange: open.keyRange,
      headerRange: open.headerRange,
      inlineValue: open.inlineValue,
      line: open.line,
      ...(open.childIndent !== undefined ? { childIndent: open.childIndent } : {}),
    });
    open = undefined;
  };

  for (let n = 1; n <= lines.lineCount; n++) {
    const full = lines.fullLineRange(n);
    const content = lines.lineRange(n);
    let start = content.start;
    if (n === 1 && text.charCodeAt(0) === 0xfeff) start++;
    const line = text.slice(start, content.end);
    if (full.start === full.end) break; // past the last line
    const first = line.charAt(0);

    if (line.trim() === '') continue;
    if (first === ' ' || first === '\t') {
      // Indented: content or comment of the open section.
      if (open) {
        open.lastEnd = full.end;
        if (open.childIndent === undefined && !/^[ \t]*#/.test(line)) {
          open.childIndent = line.length - line.replace(/^ +/, '').length;
        }
      }
      continue;
    }
    if (first === '#') continue; // column-0 comment: belongs to the gap
    // Any other column-0 line ends the open section.
    close();
    if (line.startsWith('---') || line.startsWith('...') || first === '%') continue;
    const m = KEY.exec(line);
    if (!m) continue; // a list item, a flow collection or a stray scalar at column 0: no section
    const name = m[1] !== undefined ? unescapeDouble(m[1]) : m[2] !== undefined ? m[2].replace(/''/g, "'") : (m[3] ?? '').trimEnd();
    const keyText = line.slice(0, m[0].length).replace(/[ \t]*:$/, '');
    const after = line.slice(m[0].length);
    open = {
      name,
      keyRange: { start, end: start + keyText.length },
      headerRange: { start, end: content.end },
      inlineValue: stripComment(after).trim(),
      line: n,
      start,
      lastEnd: full.end,
    };
  }
  close();
  return out;
}

/** Removes a YAML comment (` #…`) from a line fragment, outside quotes. */
export function stripComment(s: string): string {
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || s[i - 1] === ' ' || s[i - 1] === '\t')) return s.slice(0, i);
  }
  return s;
}

function unescapeDouble(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

/**
 * The text with the given ranges blanked: every character but line breaks becomes a space, so a
 * YAML parser reads the rest of the file with every offset unchanged.
 */
export function maskRanges(text: string, ranges: readonly Range[]): string {
  if (ranges.length === 0) return text;
  let out = '';
  let at = 0;
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    if (r.start < at) continue;
    out += text.slice(at, r.start) + text.slice(r.start, r.end).replace(/[^\r\n]/g, ' ');
    at = r.end;
  }
  return out + text.slice(at);
}
