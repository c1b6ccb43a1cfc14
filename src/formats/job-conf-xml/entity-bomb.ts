import type { ParseIssue } from '../../core/document.js';
import { LineIndex } from '../../core/range.js';
import type { XmlDoctype } from './reader.js';

/** Characters an entity may expand to before the file is an entity bomb ("billion laughs"). */
export const ENTITY_EXPANSION_LIMIT = 1_000_000;
/** How deep entities may nest in one another (so a chain of declarations cannot overflow the stack). */
export const ENTITY_DEPTH_LIMIT = 1_000;

/** Read from the declaration's start in the text: its value may hold a `>` that ends the listed range early. */
const DECL = /<!ENTITY\s+(%\s+)?([^\s>]+)\s+(?:"([^"]*)"|'([^']*)')/y;
const REF = /&([A-Za-z_:][\w.:-]*);/g;

/**
 * This reader never expands entities (reader.ts), but Galaxy's XML reader does: a DOCTYPE whose
 * entities nest into billions of characters, or refer to themselves, is a file Galaxy cannot load
 * (an XML reader that expands entities either runs out of memory or refuses it). Such a file is
 * reported as unreadable, at the DOCTYPE, naming the entity and its line. Each entity's size is
 * counted once from its declared text, so the check itself costs next to nothing.
 */
export function entityBombIssue(text: string, doctype: XmlDoctype): ParseIssue | undefined {
  const bodies = new Map<string, { body: string; start: number }>();
  for (const e of doctype.entities) {
    if (e.external || e.parameter) continue;
    DECL.lastIndex = e.range.start;
    const m = DECL.exec(text);
    if (m) bodies.set(m[2]!, { body: m[3] ?? m[4] ?? '', start: e.range.start });
  }
  if (!bodies.size) return undefined;

  const size = new Map<string, number>();
  const looping = new Set<string>();
  let loop: string | undefined;
  let tooDeep: string | undefined;
  // A loop is caught on the way down; so is a chain nested deeper than anyone writes by hand.
  const sizeOf = (name: string, depth: number): number => {
    const known = size.get(name);
    if (known !== undefined) return known;
    const decl = bodies.get(name);
    if (!decl) return name.length + 2; // predefined or undeclared: left as written
    if (looping.has(name)) {
      loop ??= name;
      return Number.POSITIVE_INFINITY;
    }
    if (depth > ENTITY_DEPTH_LIMIT) {
      tooDeep ??= name;
      return Number.POSITIVE_INFINITY;
    }
    looping.add(name);
    let total = decl.body.length;
    for (const r of decl.body.matchAll(REF)) total += sizeOf(r[1]!, depth + 1) - r[0].length;
    looping.delete(name);
    size.set(name, total);
    return total;
  };

  const lines = new LineIndex(text);
  for (const [name, decl] of bodies) {
    const n = sizeOf(name, 0);
    if (n <= ENTITY_EXPANSION_LIMIT) continue;
    const line = lines.position(decl.start).line;
    const what = loop
      ? `&${loop}; refers back to itself (an entity loop), so expanding it never ends`
      : tooDeep
        ? `&${name}; (line ${line}) nests entities more than ${ENTITY_DEPTH_LIMIT.toLocaleString('en-US')} deep`
        : `&${name}; (line ${line}) expands to ${n >= 1e15 ? 'more than 10^15' : n.toLocaleString('en-US')} characters, more than ${ENTITY_EXPANSION_LIMIT.toLocaleString('en-US')}`;
    return {
      message: `XML: an entity bomb in the DOCTYPE: ${what}. An XML reader that expands entities (Galaxy's) runs out of memory or refuses the file: it is not migrated`,
      range: { start: doctype.range.start, end: Math.min(doctype.range.end, text.length) },
    };
  }
  return undefined;
}
