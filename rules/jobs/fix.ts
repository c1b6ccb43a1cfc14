import type { Edit, Fix } from '../../src/core/finding.js';

/** A fix that edits one file (the engine applies it whole or not at all). */
export function editFix(description: string, file: string, edits: readonly (Edit | undefined)[]): Fix | undefined {
  const list = edits.filter((e): e is Edit => e !== undefined);
  if (!list.length) return undefined;
  return { description, changes: [{ kind: 'edit', file, edits: list }] };
}

/** Sources every jobs/* rule cites (keys of docs/galaxy-target.md §0). */
export const SRC = {
  recipes: 'docs/galaxy-target.md §3.4 (recipes A–H)',
  modern: 'docs/galaxy-target.md §3.2 (GX-HANDLERS-NEW _get_is_handler, GX-SCALE-GU)',
  syntax: 'docs/galaxy-target.md §3.3 (GX-HANDLERS-NEW xml_to_dict, GX-JOBCONF-YML)',
  legacy: 'docs/galaxy-target.md §3.1 (GX-SCALE-UW, GX-STACK-UW server_name_template)',
  gravity: 'docs/galaxy-target.md §1.9 (GRAV config_manager.expand_handlers, create_static_handler_services)',
  releases: 'docs/galaxy-target.md §5.3 (GX-REL-2201/2205/2300)',
} as const;
