import { walkDirectives, type NginxDirective, type NginxNode } from '../../src/formats/nginx/index.js';

/**
 * Every directive below `nodes`, in text order, not entering Lua blocks (the reader gives a Lua
 * block no children, so this is the reader's own list, made once per file for all the rules).
 */
export function directives(nodes: readonly NginxNode[]): readonly NginxDirective[] {
  return walkDirectives(nodes);
}
