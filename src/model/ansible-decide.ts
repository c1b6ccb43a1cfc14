import type { Document } from '../core/document.js';
import type { Address, Deployment, LegacyListener, MigrationDecisions } from '../core/model.js';
import type { InventoryPlace } from '../formats/ansible-vars/index.js';
import { ansibleGravityBindsOf, ansibleUwsgiConfigs, type AnsibleUwsgiConfig } from './ansible-uwsgi.js';
import { EMPTY_DECISIONS, type DecisionMaker } from './build.js';
import { decideFor, galaxyGravityFile, listenersOf, primaryConfig } from './decide.js';
import { gravityBindAddress } from './gravity-bind.js';
import { appOf } from './uwsgi-options.js';

/**
 * One inventory, one gunicorn bind for the templates it renders. The ansible role writes each
 * host's galaxy.yml from the `galaxy_config` that host gets, while a template such as
 * templates/nginx/galaxy.j2 is rendered for every host of the play. A host's own uWSGI block
 * (host_vars) wins over its groups' (group_vars), and a group's over group_vars/all: the precedence
 * src/formats/ansible-vars/inventory.ts gives every variable. Which hosts are in which group is
 * written in the inventory file, which is not read, so every block that applies to some host is
 * taken to apply to one: when they give gunicorn different binds, no single literal address in a
 * shared template is right, and the model says so instead of choosing.
 */

/** A block that applies to some host: the host's own, or its groups'. */
export interface InventoryTarget {
  /** `host web1.example.org`, `group galaxyservers`, or the vars file outside group_vars/host_vars. */
  readonly who: string;
  readonly file: string;
  /** `galaxy_config.uwsgi`, or `galaxy_config.gravity` when the inventory already runs Gravity. */
  readonly section: string;
  readonly place?: InventoryPlace;
  /** The uWSGI block, absent for a `gravity.gunicorn.bind` already written. */
  readonly config?: AnsibleUwsgiConfig;
  readonly decisions: MigrationDecisions;
}

export type InventoryBind =
  | { readonly kind: 'none' }
  /** Every block gives the same bind: `targets[0]` is the one the model decides from (a group's first). */
  | { readonly kind: 'agreed'; readonly targets: readonly InventoryTarget[] }
  /** The blocks give different binds: a literal address in a shared template cannot serve all of them. */
  | { readonly kind: 'undecided'; readonly targets: readonly InventoryTarget[]; readonly why: string };

const cache = new WeakMap<readonly Document[], InventoryBind>();

export function inventoryBind(documents: readonly Document[]): InventoryBind {
  const hit = cache.get(documents);
  if (hit) return hit;
  const out = decideInventory(documents);
  cache.set(documents, out);
  return out;
}

function decideInventory(documents: readonly Document[]): InventoryBind {
  const found: InventoryTarget[] = [];
  for (const c of ansibleUwsgiConfigs(documents)) {
    if (appOf(c) !== 'galaxy') continue;
    found.push({ who: '', file: c.file, section: c.section, ...(c.origin.place ? { place: c.origin.place } : {}), config: c, decisions: decideFor(c) });
  }
  for (const doc of documents) {
    for (const g of ansibleGravityBindsOf(doc)) {
      const address = gravityBindAddress(g.bind);
      const decisions: MigrationDecisions = { ...EMPTY_DECISIONS, gunicornBind: g.bind, ...(address ? { gunicornAddress: address } : {}), forwardedAllowAll: address?.kind === 'unix' };
      found.push({ who: '', file: g.file, section: `${g.variable}.gravity`, ...(g.place ? { place: g.place } : {}), decisions });
    }
  }
  if (!found.length) return { kind: 'none' };
  // host_vars: one per host, the last file of its directory (in name order) winning, as ansible reads them.
  const hosts = new Map<string, InventoryTarget>();
  const byPath = [...found].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const t of byPath) if (t.place?.scope === 'host') hosts.set(`${t.place.root}\0${t.place.name}`, { ...t, who: `host ${t.place.name}` });
  // Groups: group_vars/<group> over group_vars/all; a vars file outside both counts as a group's.
  const groups = found.filter((t) => !t.place || (t.place.scope === 'group' && t.place.name !== 'all'));
  const shared = (groups.length ? groups : found.filter((t) => t.place?.scope === 'group')).map((t) => ({ ...t, who: t.place ? `group ${t.place.name}` : t.file }));
  const targets = [...shared, ...hosts.values()];
  const binds = new Set(targets.map((t) => t.decisions.gunicornBind ?? ''));
  if (binds.size === 1) return { kind: 'agreed', targets };
  const why = targets.map((t) => `${t.who} (${t.file}, \`${t.section}\`) binds ${t.decisions.gunicornBind ?? 'nothing galaxy-migrate can read'}`).join('; ');
  return { kind: 'undecided', targets, why };
}

/** Every Galaxy uWSGI listener of the inventory's blocks (each host's, each group's). */
export function inventoryListeners(documents: readonly Document[]): LegacyListener[] {
  const inv = inventoryBind(documents);
  return inv.kind === 'none' ? [] : inv.targets.flatMap((t) => (t.config ? listenersOf(t.config) : []));
}

/** The bind address the inventory's blocks agree on, if they do. */
export function inventoryAddress(documents: readonly Document[]): Address | undefined {
  const inv = inventoryBind(documents);
  return inv.kind === 'agreed' ? inv.targets[0]!.decisions.gunicornAddress : undefined;
}

/** The gunicorn addresses of an undecided inventory's hosts and groups (what a shared template may point at). */
export function inventoryAddresses(documents: readonly Document[]): Address[] {
  const inv = inventoryBind(documents);
  return inv.kind === 'none' ? [] : inv.targets.flatMap((t) => (t.decisions.gunicornAddress ? [t.decisions.gunicornAddress] : []));
}

/**
 * The decisions of a deployment whose Galaxy uWSGI configuration lives in ansible variables: made
 * from the inventory's agreed block as from any uWSGI configuration. A galaxy.yml, uWSGI file or
 * galaxy.ini configuration read with it comes first (it is what runs). When the blocks disagree,
 * no bind is decided; their listeners are still Galaxy's, so the proxy knows its locations, and
 * what they all agree on (handler pools, URL prefix) is decided as usual.
 */
export function withAnsibleInventory(decide: DecisionMaker): DecisionMaker {
  return (parts) => {
    const inv = inventoryBind(parts.documents);
    // A galaxy.yml's gravity: section (written by an apply, or by hand) is what runs, as a uWSGI configuration read beside the inventory would be.
    if (inv.kind === 'none' || primaryConfig(parts.documents, parts.uwsgi) || galaxyGravityFile(parts.documents)) return decide(parts);
    if (inv.kind === 'agreed') {
      const primary = inv.targets[0]!;
      if (primary.config) return decide({ ...parts, uwsgi: [...parts.uwsgi, primary.config] });
      // Already on Gravity: its bind is what the proxy must point at, as for a galaxy.yml's gravity:.
      const d = decide(parts);
      if (d.gunicornBind) return d;
      const { gunicornBind, gunicornAddress, forwardedAllowAll } = primary.decisions;
      return { ...d, ...(gunicornBind ? { gunicornBind } : {}), ...(gunicornAddress ? { gunicornAddress } : {}), forwardedAllowAll };
    }
    const d = decide(parts);
    // What every host's block agrees on is still decided once (the job conf's pools, the prefix).
    const blocks = inv.targets.filter((t) => t.config).map((t) => t.decisions);
    const agreed = <T>(pick: (x: MigrationDecisions) => T): T | undefined => {
      const first = blocks[0] ? pick(blocks[0]) : undefined;
      return blocks.every((b) => JSON.stringify(pick(b)) === JSON.stringify(first)) ? first : undefined;
    };
    const handlers = d.handlers.length ? undefined : agreed((x) => x.handlers);
    const urlPrefix = d.urlPrefix ? undefined : agreed((x) => x.urlPrefix);
    return {
      ...d,
      legacyListeners: [...d.legacyListeners, ...inventoryListeners(parts.documents)],
      ...(handlers?.length ? { handlers } : {}),
      ...(urlPrefix ? { urlPrefix } : {}),
    };
  };
}

/**
 * The decisions for one block of the inventory: the deployment's when the model decided from this
 * block (so what the wrappers of src/model/wiring.ts add is honoured), otherwise the block's own —
 * a host's gravity: gets the bind of its own listener, and a block read beside a galaxy.yml's uWSGI
 * section (which the deployment's decisions come from) keeps its own.
 */
export function decisionsForBlock(d: Deployment, config: AnsibleUwsgiConfig): MigrationDecisions {
  const inv = inventoryBind(d.documents);
  const fromInventory = !primaryConfig(d.documents, d.uwsgi) && !galaxyGravityFile(d.documents);
  if (fromInventory && inv.kind === 'agreed' && inv.targets[0]!.config === config && d.decisions.gunicornBind) return d.decisions;
  if (inv.kind !== 'none') {
    const t = inv.targets.find((x) => x.config === config);
    if (t) return t.decisions;
  }
  return decideFor(config);
}
