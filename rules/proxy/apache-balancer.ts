import type { Edit } from '../../src/core/finding.js';
import type { Deployment, GunicornInstance } from '../../src/core/model.js';
import { detectEol } from '../../src/core/range.js';
import type { Target } from '../../src/core/target.js';
import { walkApache, type ApacheDirective, type ApacheSection } from '../../src/formats/apache/index.js';
import { plannedInstances } from '../../src/model/zerg.js';
import { connectHost } from './addresses.js';
import { apacheDirectives, type ApacheFile, type ApacheModel, type UwsgiSite } from './apache-model.js';
import { indentAt } from './text-edits.js';

/**
 * Several gunicorn instances (a zerg setup, src/model/zerg.ts) behind Apache: the Apache form of
 * nginx-gunicorn-upstream.ts. mod_proxy_balancer spreads requests over one `BalancerMember` per
 * bind and, when a member refuses the connection (its instance is being restarted by
 * `galaxyctl graceful`), sends the request to another, so Galaxy keeps answering as the zerg pool
 * did. Galaxy's `ProxyPass`/`ProxyPassMatch`/`ProxyPassReverse` then name `balancer://<name>`; the
 * `<Proxy "balancer://<name>">` block is added once per virtual host (or per file at server
 * level), before the first Galaxy ProxyPass there, and travels in that ProxyPass's fix.
 *
 * A unix-socket member is `unix:/path|http://gunicornN`, each with a host name of its own: Apache
 * keys a worker by its URL without the socket, so members that differ only in the socket
 * (`unix:/a.sock|http://localhost`, `unix:/b.sock|http://localhost`) are one worker and every
 * request goes to the first socket (seen with Apache 2.4 here). The name is never resolved, and
 * ProxyPreserveHost On (proxy/apache-preserve-host) keeps it out of the Host header.
 *
 * mod_proxy_balancer needs mod_slotmem_shm and an lbmethod module (byrequests is the default);
 * `apache2 -t` accepts the file without them but Apache then refuses to start (AH01177, AH02432),
 * and a site file cannot load them, so the finding names them.
 */
export interface GunicornBalancer {
  readonly name: string;
  readonly instances: readonly GunicornInstance[];
  /** The BalancerMember URLs, one per instance, in gravity.gunicorn's order. */
  readonly members: readonly string[];
  /** The Galaxy sites whose fix adds the `<Proxy>` block, with the edit that adds it. */
  readonly carriers: ReadonlyMap<UwsgiSite, Edit>;
  /** Where each block is inserted (file → offsets), so no other fix inserts at the same point. */
  readonly insertions: ReadonlyMap<string, ReadonlySet<number>>;
  /** Modules the balancer needs that no LoadModule of the files read loads. */
  readonly missingModules: readonly string[];
}

/** The modules `balancer://` needs beside mod_proxy and mod_proxy_http (mod_proxy_balancer docs). */
export const BALANCER_MODULES = ['proxy_balancer', 'lbmethod_byrequests', 'slotmem_shm'] as const;

const cache = new WeakMap<Deployment, Map<string, GunicornBalancer | undefined>>();

/** The balancer for the deployment's gunicorn instances, when a plan for `target` writes several. */
export function gunicornBalancer(d: Deployment, model: ApacheModel, target: Target): GunicornBalancer | undefined {
  let byTarget = cache.get(d);
  if (!byTarget) cache.set(d, (byTarget = new Map()));
  if (byTarget.has(target.galaxy)) return byTarget.get(target.galaxy);
  const out = build(model, plannedInstances(d.decisions, target));
  byTarget.set(target.galaxy, out);
  return out;
}

/** True for a Galaxy site that names the balancer instead of one address. */
export function isBalanced(site: UwsgiSite): boolean {
  const t = site.url.target;
  return site.verdict.galaxy && site.node.type === 'directive' && /^proxypass(match|reverse)?$/i.test(site.node.name) && (t.kind === 'unix' || t.kind === 'tcp');
}

/** `http://127.0.0.1:4001`, or `unix:/path|http://gunicornN` (see the module comment). */
export function memberUrl(instance: GunicornInstance, index: number): string {
  const a = instance.address;
  return a.kind === 'unix' ? `unix:${a.path}|http://gunicorn${index}` : `http://${connectHost(a.host)}:${a.port}`;
}

/** Balancer names the files already use (`balancer://NAME` anywhere). */
function usedNames(model: ApacheModel): Set<string> {
  const used = new Set<string>();
  for (const f of model.files.values()) {
    for (const n of walkApache(f.nodes)) {
      if (n.type !== 'directive' && n.type !== 'section') continue;
      for (const a of n.args) {
        const m = /^balancer:\/\/([^/\s]+)/i.exec(a.value);
        if (m) used.add(m[1]!.toLowerCase());
      }
    }
  }
  return used;
}

function freeName(model: ApacheModel): string {
  const used = usedNames(model);
  for (const n of ['galaxy', 'galaxy_gunicorn', 'gunicorn']) if (!used.has(n)) return n;
  let k = 2;
  while (used.has(`galaxy${k}`)) k++;
  return `galaxy${k}`;
}

/** Sections a `<Proxy>` block may sit in (the server config containers): others are stepped out of. */
const OPEN_TO_PROXY = /^(virtualhost|ifmodule|ifdefine|ifversion|ifdirective|ifsection|iffile)$/i;

/** The node the block goes before: the site, or the outermost `<Location>`/`<Directory>`/… around it. */
function anchorOf(site: UwsgiSite): ApacheDirective | ApacheSection {
  let anchor: ApacheDirective | ApacheSection = site.node;
  for (let p = site.node.parent; p && !/^virtualhost$/i.test(p.name); p = p.parent) if (!OPEN_TO_PROXY.test(p.name)) anchor = p;
  return anchor;
}

function build(model: ApacheModel, instances: readonly GunicornInstance[]): GunicornBalancer | undefined {
  if (instances.length < 2) return undefined;
  const name = freeName(model);
  const members = instances.map(memberUrl);
  const carriers = new Map<UwsgiSite, Edit>();
  const insertions = new Map<string, Set<number>>();
  const placed = new Set<unknown>();
  for (const site of model.sites) {
    if (!isBalanced(site)) continue;
    const scope = site.vhost ?? `server:${site.file.path}`;
    if (placed.has(scope)) continue;
    placed.add(scope);
    const edit = blockBefore(site.file, anchorOf(site), name, members);
    carriers.set(site, edit);
    let set = insertions.get(site.file.path);
    if (!set) insertions.set(site.file.path, (set = new Set()));
    set.add(edit.start);
  }
  const loaded = new Set([...apacheDirectives(model, 'LoadModule')].map((l) => l.node.args[0]?.value));
  const missingModules = BALANCER_MODULES.filter((m) => !loaded.has(`${m}_module`));
  return { name, instances, members, carriers, insertions, missingModules };
}

function lineStart(text: string, at: number): number {
  let s = at;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  return s;
}

/**
 * The `<Proxy>` block before the line `anchor` starts on, above the comment lines right over it
 * (they describe the ProxyPass, so they stay next to it), indented like the anchor.
 */
function blockBefore(file: ApacheFile, anchor: ApacheDirective | ApacheSection, name: string, members: readonly string[]): Edit {
  const text = file.text;
  const eol = detectEol(text);
  let s = lineStart(text, anchor.range.start);
  while (s > 0) {
    const prev = lineStart(text, s - 1 - (text[s - 2] === '\r' && text[s - 1] === '\n' ? 1 : 0));
    if (!/^[ \t]*#/.test(text.slice(prev, s))) break;
    s = prev;
  }
  const indent = indentAt(text, anchor.range.start);
  const step = indent.includes('\t') || (!indent && /^\t/m.test(text)) ? '\t' : '    ';
  const lines = [
    '# gunicorn instances of gravity.gunicorn, restarted one at a time by galaxyctl graceful (galaxy-migrate)',
    `<Proxy "balancer://${name}">`,
    ...members.map((m) => `${step}BalancerMember ${m}`),
    '</Proxy>',
  ];
  return { start: s, end: s, text: lines.map((l) => indent + l + eol).join('') };
}
