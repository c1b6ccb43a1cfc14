import type { Range } from '../../core/range.js';

/**
 * uWSGI substitutes magic variables over the whole text before parsing it, so the parsers work on
 * a text whose offsets are not the file's. An OffsetMap takes offsets in the substituted text back
 * to the original one, so every range we report points into the file as it is on disk.
 *
 * The substituted text is a sequence of pieces: runs copied verbatim from the original, and
 * replacements (a `%x` of 2 original characters giving 0..n characters). Inside a copied run the
 * map is 1:1; inside a replacement every offset maps to the replacement's start, its end to its
 * end. At a boundary where empty replacements sit (`a%yb`: `%y` vanished), a range start takes the
 * leftmost original position and a range end the rightmost, so ranges include vanished text.
 */
export interface Piece {
  /** Start in the substituted text. */
  readonly s: number;
  /** Length in the substituted text. */
  readonly sLen: number;
  /** Start in the original text. */
  readonly o: number;
  /** Length in the original text. */
  readonly oLen: number;
  /** True for a verbatim copy (sLen === oLen, 1:1). */
  readonly copy: boolean;
}

export class OffsetMap {
  private readonly pieces: Piece[];
  private readonly starts: number[];

  constructor(
    pieces: readonly Piece[],
    readonly substitutedLength: number,
    readonly originalLength: number,
  ) {
    this.pieces = [...pieces];
    this.starts = this.pieces.map((p) => p.s);
  }

  /** The identity map for a text no magic variable touched. */
  static identity(length: number): OffsetMap {
    return new OffsetMap(length > 0 ? [{ s: 0, sLen: length, o: 0, oLen: length, copy: true }] : [], length, length);
  }

  /** Original offset for a substituted offset; `bias` chooses at boundaries (see class comment). */
  toOriginal(pos: number, bias: 'left' | 'right'): number {
    // lo = index of the first piece starting at or after pos
    let lo = 0;
    let hi = this.pieces.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! < pos) lo = mid + 1;
      else hi = mid;
    }
    if (bias === 'left') {
      const prev = this.pieces[lo - 1];
      if (prev && prev.s + prev.sLen > pos) return prev.copy ? prev.o + (pos - prev.s) : prev.o;
      const at = this.pieces[lo];
      if (at && at.s === pos) return at.o;
      return this.originalLength;
    }
    let i = lo;
    while (i < this.pieces.length && this.pieces[i]!.s === pos && this.pieces[i]!.sLen === 0) i++;
    const cand = this.pieces[i - 1];
    if (!cand) return 0;
    if (cand.sLen === 0) return cand.o + cand.oLen;
    if (cand.copy) return cand.o + Math.min(pos - cand.s, cand.sLen);
    return cand.o + cand.oLen;
  }

  range(start: number, end: number): Range {
    const a = this.toOriginal(start, 'left');
    const b = Math.max(a, this.toOriginal(end, 'right'));
    return { start: a, end: b };
  }
}
