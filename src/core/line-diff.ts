import { createTwoFilesPatch, diffArrays, formatPatch, type StructuredPatchHunk } from 'diff';

/**
 * Unified diffs that stay linear in the size of a file. jsdiff's Myers diff costs O((N+M)·D): fine
 * for the few lines most fixes change, quadratic when a fix rewrites thousands of lines (a job conf
 * with thousands of tool mappings took seconds, and ten times the file a hundred times that). Up
 * to EXACT_EDITS changed lines the output is jsdiff's own, byte for byte; past that, the texts are
 * cut at lines that occur once in each (patience diff's anchors) and each piece is diffed on its
 * own, so a fix's scattered line edits cost what they touch. Either way the patch applies to
 * `before` and gives `after` exactly.
 */
export const EXACT_EDITS = 200;
/** A gap between anchors smaller than this (old × new lines) is diffed exactly; larger ones are replaced whole. */
const GAP_CELLS = 250_000;
const MAX_DEPTH = 64;

export function twoFilesPatch(from: string, to: string, before: string, after: string, context = 3, exactEdits = EXACT_EDITS): string {
  const exact = createTwoFilesPatch(from, to, before, after, undefined, undefined, { context, maxEditLength: exactEdits });
  if (exact !== undefined) return exact;
  const ops = anchoredDiff(splitLines(before), splitLines(after));
  return formatPatch({ oldFileName: from, newFileName: to, oldHeader: undefined, newHeader: undefined, hunks: hunksOf(ops, context) });
}

interface Op {
  readonly kind: 'same' | 'removed' | 'added';
  readonly lines: string[];
}

/** Lines with their line break, as jsdiff's line tokens (the last one may have none). */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const out = text.split('\n').map((l) => `${l}\n`);
  if (text.endsWith('\n')) out.pop();
  else out[out.length - 1] = out[out.length - 1]!.slice(0, -1);
  return out;
}

export function anchoredDiff(a: readonly string[], b: readonly string[]): Op[] {
  const ops: Op[] = [];
  const push = (kind: Op['kind'], lines: readonly string[]): void => {
    if (!lines.length) return;
    const last = ops[ops.length - 1];
    if (last && last.kind === kind) last.lines.push(...lines);
    else ops.push({ kind, lines: [...lines] });
  };

  const replace = (aLo: number, aHi: number, bLo: number, bHi: number): void => {
    if ((aHi - aLo) * (bHi - bLo) <= GAP_CELLS) {
      for (const c of diffArrays(a.slice(aLo, aHi), b.slice(bLo, bHi))) push(c.added ? 'added' : c.removed ? 'removed' : 'same', c.value);
    } else {
      push('removed', a.slice(aLo, aHi));
      push('added', b.slice(bLo, bHi));
    }
  };

  const range = (aLo: number, aHi: number, bLo: number, bHi: number, depth: number): void => {
    const start = aLo;
    while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
      aLo++;
      bLo++;
    }
    push('same', a.slice(start, aLo));
    let aEnd = aHi;
    let bEnd = bHi;
    while (aEnd > aLo && bEnd > bLo && a[aEnd - 1] === b[bEnd - 1]) {
      aEnd--;
      bEnd--;
    }
    if (aLo === aEnd || bLo === bEnd) {
      push('removed', a.slice(aLo, aEnd));
      push('added', b.slice(bLo, bEnd));
    } else {
      const anchors = depth < MAX_DEPTH ? uniqueAnchors(a, aLo, aEnd, b, bLo, bEnd) : [];
      if (!anchors.length) replace(aLo, aEnd, bLo, bEnd);
      else {
        let i = aLo;
        let j = bLo;
        for (const [ai, bj] of anchors) {
          range(i, ai, j, bj, depth + 1);
          push('same', [a[ai]!]);
          i = ai + 1;
          j = bj + 1;
        }
        range(i, aEnd, j, bEnd, depth + 1);
      }
    }
    push('same', a.slice(aEnd, aHi));
  };

  range(0, a.length, 0, b.length, 0);
  return ops;
}

/** Lines that occur exactly once in each range, matched, cut to their longest run in the same order. */
function uniqueAnchors(a: readonly string[], aLo: number, aHi: number, b: readonly string[], bLo: number, bHi: number): [number, number][] {
  const count = new Map<string, { a: number; b: number; ai: number; bj: number }>();
  for (let i = aLo; i < aHi; i++) {
    const e = count.get(a[i]!);
    if (e) e.a++;
    else count.set(a[i]!, { a: 1, b: 0, ai: i, bj: -1 });
  }
  for (let j = bLo; j < bHi; j++) {
    const e = count.get(b[j]!);
    if (e) {
      e.b++;
      e.bj = j;
    }
  }
  const pairs: [number, number][] = [];
  for (const e of count.values()) if (e.a === 1 && e.b === 1) pairs.push([e.ai, e.bj]);
  pairs.sort((x, y) => x[0] - y[0]);
  return longestIncreasing(pairs);
}

/** Longest subsequence increasing in the second index (patience sorting), O(n log n). */
function longestIncreasing(pairs: readonly [number, number][]): [number, number][] {
  const tails: number[] = [];
  const prev: number[] = new Array(pairs.length).fill(-1);
  for (let k = 0; k < pairs.length; k++) {
    const v = pairs[k]![1];
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]!]![1] < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[k] = tails[lo - 1]!;
    tails[lo] = k;
  }
  const out: [number, number][] = [];
  for (let k = tails.length ? tails[tails.length - 1]! : -1; k >= 0; k = prev[k]!) out.push(pairs[k]!);
  return out.reverse();
}

/** Hunks with `context` lines around each change, as jsdiff's structuredPatch builds them. */
function hunksOf(ops: readonly Op[], context: number): StructuredPatchHunk[] {
  const hunks: StructuredPatchHunk[] = [];
  const all = [...ops, { kind: 'same' as const, lines: [] }];
  const ctx = (lines: readonly string[]): string[] => lines.map((l) => ` ${l}`);
  let oldStart = 0;
  let newStart = 0;
  let cur: string[] = [];
  let oldLine = 1;
  let newLine = 1;
  for (let i = 0; i < all.length; i++) {
    const op = all[i]!;
    if (op.kind !== 'same') {
      if (!oldStart) {
        const prev = all[i - 1];
        oldStart = oldLine;
        newStart = newLine;
        if (prev) {
          cur = context > 0 ? ctx(prev.lines.slice(-context)) : [];
          oldStart -= cur.length;
          newStart -= cur.length;
        }
      }
      for (const l of op.lines) cur.push((op.kind === 'added' ? '+' : '-') + l);
      if (op.kind === 'added') newLine += op.lines.length;
      else oldLine += op.lines.length;
    } else {
      if (oldStart) {
        if (op.lines.length <= context * 2 && i < all.length - 2) cur.push(...ctx(op.lines));
        else {
          const size = Math.min(op.lines.length, context);
          cur.push(...ctx(op.lines.slice(0, size)));
          hunks.push({ oldStart, oldLines: oldLine - oldStart + size, newStart, newLines: newLine - newStart + size, lines: cur });
          oldStart = 0;
          newStart = 0;
          cur = [];
        }
      }
      oldLine += op.lines.length;
      newLine += op.lines.length;
    }
  }
  for (const h of hunks) {
    for (let i = 0; i < h.lines.length; i++) {
      if (h.lines[i]!.endsWith('\n')) h.lines[i] = h.lines[i]!.slice(0, -1);
      else {
        h.lines.splice(i + 1, 0, '\\ No newline at end of file');
        i++;
      }
    }
  }
  return hunks;
}
