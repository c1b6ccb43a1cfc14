import type { Document } from '../../src/core/document.js';
import {
  findUwsgiBlocks,
  inventoryPlace,
  resolveVariable,
  variableOf,
  type AnsibleVarsAst,
  type VariableSetting,
} from '../../src/formats/ansible-vars/index.js';

/**
 * Which file of an inventory switches `galaxy_systemd_mode` to gravity when uWSGI blocks are
 * replaced. A group whose own vars hold the `uwsgi:` block migrates as a whole: its mode is switched
 * where it is set (process/ansible-systemd-mode). When the blocks sit in host_vars (usegalaxy.org.au
 * moved them there to upgrade one host at a time), the group's `mule` still serves the hosts that
 * run uWSGI, so each migrated host gets `galaxy_systemd_mode: gravity` in its own host_vars
 * (ansible/galaxy-config-uwsgi) and the group keeps its mode.
 */
export const MODE_VARIABLE = 'galaxy_systemd_mode';
export const UWSGI_MODES: ReadonlySet<string> = new Set(['mule', 'zergling', 'zergpool']);

function ansibleDocs(docs: readonly Document[]): Document<AnsibleVarsAst>[] {
  return docs.filter((d): d is Document<AnsibleVarsAst> => d.kind === 'ansible-vars' && !!(d.ast as AnsibleVarsAst | undefined)?.yaml);
}

/** Whether the file holds a `uwsgi:` block of its own under a `*config*` variable. */
export function holdsUwsgiBlock(doc: Document<AnsibleVarsAst>): boolean {
  return !doc.ast.yamlErrors.length && findUwsgiBlocks(doc.ast, doc.file.text).length > 0;
}

const isRoleDefaults = (path: string): boolean => /(^|\/)defaults\/[^/]+$/.test(path);

/**
 * The other vars files of the inventory that inherit `setter`'s mode (they do not set it themselves)
 * and hold their own `uwsgi:` block: hosts (and, below group_vars/all, groups) migrated on their own.
 */
export function migratingAlone(docs: readonly Document[], setter: Document<AnsibleVarsAst>): Document<AnsibleVarsAst>[] {
  const place = inventoryPlace(setter.file.path);
  if (!place || place.scope !== 'group') return [];
  return ansibleDocs(docs).filter((d) => {
    const p = inventoryPlace(d.file.path);
    if (!p || p.root !== place.root || d === setter) return false;
    const below = p.scope === 'host' || (place.name === 'all' && p.name !== 'all');
    return below && p.name !== place.name && !variableOf(d, MODE_VARIABLE) && holdsUwsgiBlock(d);
  });
}

/** Whether the plan switches the mode where `setter` sets it (process/ansible-systemd-mode's fix). */
export function switchedWhereSet(docs: readonly Document[], setter: Document<AnsibleVarsAst>): boolean {
  if (isRoleDefaults(setter.file.path)) return false;
  return holdsUwsgiBlock(setter) || migratingAlone(docs, setter).length === 0;
}

export type ModePlan =
  /** Nothing to write here (set in this file, already gravity, or the role's default decides). */
  | { readonly kind: 'none'; readonly why: string }
  /** The group file that sets a uWSGI mode is switched in the same plan. */
  | { readonly kind: 'group-switched'; readonly setting: VariableSetting }
  /** The inherited uWSGI mode stays for other hosts: this file gets `galaxy_systemd_mode: gravity`. */
  | { readonly kind: 'write-here'; readonly settings: readonly VariableSetting[] };

/** What becomes of galaxy_systemd_mode for the hosts whose uwsgi block in `doc` is replaced. */
export function modePlanFor(docs: readonly Document[], doc: Document<AnsibleVarsAst>): ModePlan {
  const r = resolveVariable(docs, doc, MODE_VARIABLE);
  if (r.kind === 'unset') return { kind: 'none', why: 'unset' };
  const settings = r.kind === 'set' ? [r.setting] : r.settings;
  if (settings.some((s) => s.doc === doc)) return { kind: 'none', why: 'own' };
  const uwsgi = settings.filter((s) => UWSGI_MODES.has(s.scalar ?? ''));
  if (!uwsgi.length) return { kind: 'none', why: 'gravity' };
  if (r.kind === 'set' && switchedWhereSet(docs, r.setting.doc)) return { kind: 'group-switched', setting: r.setting };
  return { kind: 'write-here', settings: uwsgi };
}
