import type { NginxNode } from '../../../src/formats/nginx/index.js';

/**
 * Rebuilds the text from the tree alone: every node's and word's own text, and between them only
 * the whitespace the tree does not hold. Returns the first non-whitespace gap, so a test sees
 * exactly which bytes the reader did not account for (none, for a lossless reader).
 */
export function uncovered(text: string, nodes: readonly NginxNode[]): { at: number; gap: string } | undefined {
  const pieces: { start: number; end: number }[] = [];
  const visit = (ns: readonly NginxNode[]): void => {
    for (const n of ns) {
      if (n.type !== 'directive') {
        pieces.push(n.range);
        continue;
      }
      pieces.push(n.nameWord.range);
      for (const a of n.args) pieces.push(a.range);
      for (const c of n.comments) pieces.push(c.range);
      if (n.semicolon) pieces.push(n.semicolon);
      if (n.block) {
        pieces.push(n.block.open);
        if (n.rawBody) pieces.push(n.rawBody);
        else visit(n.block.children);
        if (n.block.close) pieces.push(n.block.close);
      }
    }
  };
  visit(nodes);
  pieces.sort((a, b) => a.start - b.start);
  let at = 0;
  for (const p of pieces) {
    if (p.start < at) return { at: p.start, gap: `overlap at ${p.start}` };
    const gap = text.slice(at, p.start);
    if (/\S/.test(gap)) return { at, gap };
    at = p.end;
  }
  const tail = text.slice(at);
  return /\S/.test(tail) ? { at, gap: tail } : undefined;
}
