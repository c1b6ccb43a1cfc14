import { isAlias, isCollection, isPair, isScalar, type Document as YamlDocument } from 'yaml';
import type { ParseIssue } from '../core/document.js';
import { LineIndex } from '../core/range.js';

/**
 * How many values aliases may add before a file is an alias bomb ("billion laughs"): a few `<<:
 * *defaults` merges add hundreds, a bomb adds billions. Ten times the file's own values is allowed
 * too, so that a large file that merges a block into every entry is never refused.
 */
export const ALIAS_EXPANSION_LIMIT = 1_000_000;

type Counted = object;

/**
 * Finds an alias bomb in a parsed YAML document without expanding anything: the size of every
 * anchored value is counted once (aliases inside it included), and each alias adds the size of
 * the value it repeats. PyYAML, which Galaxy and Ansible read these files with, would build every
 * repeated value, so such a file is reported as unreadable (an error) at the alias where the
 * count passes the limit, naming the anchor it repeats. The walk is iterative: a deeply nested
 * file cannot overflow the stack.
 */
export function aliasBombIssue(yaml: YamlDocument, text: string): ParseIssue | undefined {
  // No anchor, nothing to repeat (an alias without one is already a YAML error).
  if (!text.includes('&') || !text.includes('*')) return undefined;
  const root = yaml.contents as Counted | null;
  if (!root) return undefined;

  const size = new Map<Counted, number>();
  const anchors = new Map<string, Counted>();
  const aliases: { node: Counted; source: Counted; name: string; adds: number }[] = [];
  let own = 0;

  // Post-order: an anchored value is complete before any alias after it is met; an alias inside
  // the value it names (a recursive structure, which PyYAML builds once) counts as one.
  const stack: { node: Counted; children?: Counted[]; next: number }[] = [{ node: root, next: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const node = top.node as { anchor?: string };
    if (!top.children) {
      if (typeof node.anchor === 'string' && node.anchor) anchors.set(node.anchor, top.node);
      top.children = childrenOf(top.node);
    }
    if (top.next < top.children.length) {
      stack.push({ node: top.children[top.next++]!, next: 0 });
      continue;
    }
    stack.pop();
    if (isAlias(top.node)) {
      const source = anchors.get(top.node.source);
      const adds = source ? (size.get(source) ?? 1) : 1;
      size.set(top.node, adds);
      if (source) aliases.push({ node: top.node, source, name: top.node.source, adds });
      continue;
    }
    own += isPair(top.node) ? 0 : 1;
    let total = isPair(top.node) ? 0 : 1;
    for (const c of top.children) total += size.get(c) ?? 0;
    size.set(top.node, total);
  }
  if (!aliases.length) return undefined;

  const limit = Math.max(ALIAS_EXPANSION_LIMIT, 10 * own);
  let added = 0;
  for (const a of aliases) {
    added += a.adds;
    if (added <= limit) continue;
    const lines = new LineIndex(text);
    const range = rangeOf(a.node, text.length);
    const anchorLine = lines.position(rangeOf(a.source, text.length).start).line;
    return {
      message:
        `YAML: an alias bomb: its aliases expand this file to more than ${count(limit)} values (it holds ${count(own)} itself); ` +
        `*${a.name} here repeats &${a.name} (line ${anchorLine}), ${count(a.adds)} values at each use. ` +
        'PyYAML (Galaxy, Ansible) would build every copy and run out of memory: the file is not migrated',
      range,
    };
  }
  return undefined;
}

function childrenOf(node: Counted): Counted[] {
  if (isPair(node)) return [node.key, node.value].filter((x): x is Counted => typeof x === 'object' && x !== null);
  if (isCollection(node)) return (node.items as unknown[]).filter((x): x is Counted => typeof x === 'object' && x !== null);
  return [];
}

function rangeOf(node: Counted, max: number): { start: number; end: number } {
  const r = (isAlias(node) || isScalar(node) || isCollection(node) ? node.range : undefined) ?? [0, 0];
  const start = Math.min(Math.max(0, r[0]), max);
  return { start, end: Math.min(Math.max(start, r[1]), max) };
}

function count(n: number): string {
  return n >= 1e15 ? 'more than 10^15' : Math.round(n).toLocaleString('en-US');
}
