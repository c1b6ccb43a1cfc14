/**
 * Offsets are the truth: every node, finding and edit carries a half-open [start, end) range of
 * UTF-16 code-unit offsets into the original text (what JavaScript strings index). Lines and
 * columns are derived from them only for people, as ESLint's `range` vs `loc`.
 */
export interface Range {
  readonly start: number;
  readonly end: number;
}

export interface Position {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in UTF-16 code units. */
  readonly column: number;
}

export interface Location {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export function range(start: number, end: number): Range {
  if (start < 0 || end < start) throw new RangeError(`bad range [${start}, ${end})`);
  return { start, end };
}

/** Maps offsets to 1-based line/column and back, with a binary search over line starts. */
export class LineIndex {
  /** Offset of the first character of each line; lineStarts[0] is always 0. */
  readonly lineStarts: readonly number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1); // lone CR ends a line too
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - this.lineStarts[lo]! + 1 };
  }

  location(r: Range): Location {
    const a = this.position(r.start);
    const b = this.position(r.end);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  /** Offset of the start of a 1-based line (the text length past the last line). */
  offsetOfLine(line: number): number {
    return this.lineStarts[line - 1] ?? this.text.length;
  }

  /** The range of a 1-based line without its line break. */
  lineRange(line: number): Range {
    const start = this.offsetOfLine(line);
    let end = line < this.lineStarts.length ? this.lineStarts[line]! : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return { start, end };
  }

  /** The range of a whole 1-based line including its line break. */
  fullLineRange(line: number): Range {
    const start = this.offsetOfLine(line);
    const end = line < this.lineStarts.length ? this.lineStarts[line]! : this.text.length;
    return { start, end };
  }
}

/** The text detectEol answered last, and its answer: rules ask once per edit, mostly of the same file. */
let eolText: string | undefined;
let eolAnswer: '\n' | '\r\n' = '\n';
/** How many texts detectEol has read through (not answered from the last one): tests count them. */
export let eolScans = 0;

/** The line break a file mostly uses, so that inserted text matches it. */
export function detectEol(text: string): '\n' | '\r\n' {
  if (text === eolText) return eolAnswer;
  eolScans++;
  // Counted in place (no split into arrays of lines): an LF after a CR is a CRLF, any other a bare LF.
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  eolText = text;
  eolAnswer = crlf > lf ? '\r\n' : '\n';
  return eolAnswer;
}

/**
 * How many bare LF, CRLF and lone CR line breaks a text has, counted in one pass. detectEol only
 * asks LF against CRLF (the readers' question); the writers of job confs and galaxy.yml also need
 * the lone CRs, which PyYAML and expat break lines at and uWSGI does not.
 */
export function lineBreakCounts(text: string): { lf: number; crlf: number; cr: number } {
  let lf = 0;
  let crlf = 0;
  let cr = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) lf++;
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else cr++;
    }
  }
  return { lf, crlf, cr };
}
