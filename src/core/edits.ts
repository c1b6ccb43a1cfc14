import type { Edit } from './finding.js';

export class EditConflictError extends Error {}

export function sortEdits(edits: readonly Edit[]): Edit[] {
  return [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** True when two sets of edits touch overlapping text (insertions at the same point overlap too). */
export function editsOverlap(a: readonly Edit[], b: readonly Edit[]): boolean {
  for (const x of a) {
    for (const y of b) {
      if (x.start < y.end && y.start < x.end) return true;
      if (x.start === y.start && (x.start === x.end || y.start === y.end)) return true;
    }
  }
  return false;
}

/**
 * Writing is splicing: the output is the original text with non-overlapping edits applied, so
 * every byte no edit touches stays as it was (comments, quoting, CRLF, BOM).
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = sortEdits(edits);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new EditConflictError(`overlapping edits at offset ${e.start}`);
    if (e.end > text.length) throw new EditConflictError(`edit past the end of the text (${e.end} > ${text.length})`);
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}
