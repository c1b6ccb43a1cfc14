import type { NginxDirective, NginxNode } from '../../src/formats/nginx/index.js';

/** Every directive below `nodes`, in text order, not entering Lua blocks. */
export function* directives(nodes: readonly NginxNode[]): Generator<NginxDirective> {
  for (const n of nodes) {
    if (n.type !== 'directive') continue;
    yield n;
    if (n.block && !n.rawBody) yield* directives(n.block.children);
  }
}
