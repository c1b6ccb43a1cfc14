import { editsOverlap } from './edits.js';
import type { Edit } from './finding.js';

/**
 * The edits a plan has taken for one file, answering editsOverlap(taken, edits) without a scan of
 * every taken edit: a plan folds one fix per tool mapping of a job conf (thousands per file), and
 * the scan made that quadratic.
 *
 * Kept sorted by (start, end). While the ends ascend with the starts ("tidy", always so for edits
 * that do not overlap each other, which is what a plan takes), the edit starting last before a new
 * edit's end reaches furthest, so one binary search decides. A set that is not tidy (a fix whose
 * own edits overlap) is answered by the scan, so the answer is always editsOverlap's.
 */
export class EditIndex {
  private readonly sorted: Edit[] = [];
  private tidy = true;

  add(edits: readonly Edit[]): void {
    for (const e of edits) {
      const at = this.firstAfter(e.start, e.end);
      const prev = this.sorted[at - 1];
      const next = this.sorted[at];
      if ((prev && prev.end > e.end) || (next && e.end > next.end)) this.tidy = false;
      this.sorted.splice(at, 0, e);
    }
  }

  /** Exactly editsOverlap(every edit added, edits). */
  overlaps(edits: readonly Edit[]): boolean {
    if (!this.tidy) return editsOverlap(this.sorted, edits);
    const s = this.sorted;
    for (const y of edits) {
      // Text overlap: the edit starting last before y ends reaches furthest.
      const last = this.firstStartAtOrAfter(y.end) - 1;
      if (last >= 0 && s[last]!.start < y.end && y.start < s[last]!.end) return true;
      // Same start, one of them an insertion.
      for (let k = this.firstStartAtOrAfter(y.start); k < s.length && s[k]!.start === y.start; k++) {
        if (y.start === y.end || s[k]!.start === s[k]!.end) return true;
      }
    }
    return false;
  }

  /** Index of the first edit whose start is >= `start`. */
  private firstStartAtOrAfter(start: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]!.start < start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index after every edit that sorts at or before (start, end). */
  private firstAfter(start: number, end: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.sorted[mid]!;
      if (m.start < start || (m.start === start && m.end <= end)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
