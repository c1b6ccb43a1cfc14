import type { Document, FileKind } from '../core/document.js';

/** Kinds that configure one Galaxy server's application: two of them mean two servers, or one. */
const APP_KINDS: ReadonlySet<FileKind> = new Set(['galaxy-yml', 'galaxy-ini', 'uwsgi-yaml', 'uwsgi-ini']);

/**
 * Splits the files of a walk into deployments, so that an inventory (`hosts/a/config/galaxy.yml`,
 * `hosts/b/config/galaxy.yml`) or a checkout of several projects is planned one server at a time:
 * each gets its own gunicorn bind and handler pools instead of the first server's.
 *
 * The split is at the shallowest directory whose sub-directories each hold their own Galaxy
 * configuration. Files of one directory are never split (galaxy.yml beside reports.yml is one
 * deployment, whose rules say which is Galaxy's), and a tree with at most one Galaxy configuration
 * stays whole, so a proxy snippet in `nginx/` still meets the galaxy.yml in `config/`. A
 * sub-directory without any Galaxy configuration (a proxy or process-manager repository of its
 * own) beside several that have one is a deployment of its own: joining it to one of them would
 * be a guess.
 */
export function partitionDocuments(docs: readonly Document[]): Document[][] {
  if (docs.length === 0) return [];
  const split = docs.map((d) => d.file.path.split('/').slice(0, -1));
  let common = split[0]!.length;
  for (const s of split) {
    let i = 0;
    while (i < common && s[i] === split[0]![i]) i++;
    common = i;
  }
  return partitionAt(docs.map((d, i) => ({ doc: d, dirs: split[i]!.slice(common) })));
}

interface Placed {
  readonly doc: Document;
  /** Directories of the file below the level being split. */
  readonly dirs: readonly string[];
}

/**
 * Directories ansible reads beside a playbook or inventory for every host it configures: the
 * directory holding them is one deployment with its templates/ and files/, however many Galaxy
 * configuration templates those hold (group_vars/host_vars decide which host gets which).
 */
const ANSIBLE_VARS_DIRS: ReadonlySet<string> = new Set(['group_vars', 'host_vars']);

function partitionAt(items: readonly Placed[]): Document[][] {
  const apps = items.filter((p) => APP_KINDS.has(p.doc.kind));
  const whole = [items.map((p) => p.doc)];
  if (items.some((p) => p.dirs.length > 0 && ANSIBLE_VARS_DIRS.has(p.dirs[0]!))) return whole;
  if (apps.length <= 1) return whole;
  if (apps.some((p) => p.dirs.length === 0)) return whole;
  const groups = new Map<string, Placed[]>();
  for (const p of items) {
    const key = p.dirs[0] ?? '';
    const list = groups.get(key) ?? [];
    list.push(p);
    groups.set(key, list);
  }
  const withApps = [...groups.values()].filter((g) => g.some((p) => APP_KINDS.has(p.doc.kind)));
  // Files directly in this directory belong to no one sub-directory: the tree stays whole.
  if (withApps.length <= 1 || groups.has('')) {
    if (withApps.length <= 1 && !groups.has('')) {
      // Only one sub-directory holds Galaxy's configuration: look deeper inside it, keeping the
      // others (proxy, process managers) apart only if that one splits further.
      const inner = partitionAt(withApps[0]!.map((p) => ({ doc: p.doc, dirs: p.dirs.slice(1) })));
      if (inner.length <= 1) return whole;
      const rest = [...groups.values()].filter((g) => g !== withApps[0]).map((g) => g.map((p) => p.doc));
      return [...inner, ...rest];
    }
    return whole;
  }
  const out: Document[][] = [];
  for (const g of groups.values()) {
    const shifted = g.map((p) => ({ doc: p.doc, dirs: p.dirs.slice(1) }));
    if (g.some((p) => APP_KINDS.has(p.doc.kind))) out.push(...partitionAt(shifted));
    else out.push(g.map((p) => p.doc));
  }
  return out;
}
