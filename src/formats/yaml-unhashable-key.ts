import { isCollection, isMap, isPair, isSeq, type Document as YamlDocument } from 'yaml';
import type { ParseIssue } from '../core/document.js';

/**
 * A mapping key that is itself a mapping or a list (`? - a`, `{a: 1}: b`, a `?` line a mutation
 * left in a job conf). YAML allows it; PyYAML, which Galaxy and Ansible read these files with,
 * stops with "found unhashable key", so the file is unreadable to them and reported as such (an
 * error, so no fix edits it). Without this, such a key is a mapping nobody reads, and a line
 * inserted after it by a fix can end up inside it or move a real key into it. The walk is
 * iterative: a deeply nested file cannot overflow the stack.
 */
export function unhashableKeyIssue(yaml: YamlDocument): ParseIssue | undefined {
  const stack: unknown[] = [yaml.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        if (isCollection(item.key)) {
          const [start, end] = item.key.range ?? [0, 0];
          return {
            message: `a mapping key that is itself a ${isSeq(item.key) ? 'list' : 'mapping'}: PyYAML (Galaxy, Ansible) stops reading the file here ("found unhashable key")`,
            range: { start, end: Math.max(start, end) },
          };
        }
        stack.push(item.value);
      }
    } else if (isSeq(node)) stack.push(...node.items);
  }
  return undefined;
}
