import type { Edit, FileChange } from '../../src/core/finding.js';
import type { Deployment, GunicornInstance } from '../../src/core/model.js';
import { detectEol } from '../../src/core/range.js';
import type { Target } from '../../src/core/target.js';
import type { NginxDirective } from '../../src/formats/nginx/index.js';
import { plannedInstances } from '../../src/model/zerg.js';
import { nginxServerAddress } from './addresses.js';
import type { NginxModel, PassSite } from './nginx-model.js';
import { indentAt } from './text-edits.js';

/**
 * Several gunicorn instances (a zerg setup, src/model/zerg.ts) are reached through one nginx
 * `upstream` that lists every bind, as Gravity's docs/advanced_usage.rst shows: nginx then sends
 * requests to the instances that are up while `galaxyctl graceful` restarts the others. A Galaxy
 * `uwsgi_pass` that named an address becomes `proxy_pass http://<upstream>`, and the upstream block
 * is added once per http context, before the first `server` block that uses it. The edit that adds
 * it travels in the fix of the first such pass, so the block and its first user are applied
 * together.
 */
export interface GunicornUpstream {
  readonly name: string;
  readonly instances: readonly GunicornInstance[];
  /** The upstream's server lines (`server 127.0.0.1:4001;`). */
  readonly servers: readonly string[];
  /** The pass sites whose fix adds the block, with the change that adds it. */
  readonly carriers: ReadonlyMap<PassSite, FileChange>;
  /** Sites with no enclosing `server` block in the files read: the upstream cannot be placed. */
  readonly unplaced: ReadonlySet<PassSite>;
}

const cache = new WeakMap<Deployment, Map<string, GunicornUpstream | undefined>>();

/** The upstream for the deployment's gunicorn instances, when a plan for `target` writes several. */
export function gunicornUpstream(d: Deployment, model: NginxModel, target: Target): GunicornUpstream | undefined {
  let byTarget = cache.get(d);
  if (!byTarget) cache.set(d, (byTarget = new Map()));
  if (byTarget.has(target.galaxy)) return byTarget.get(target.galaxy);
  const out = build(d, model, target);
  byTarget.set(target.galaxy, out);
  return out;
}

/** `upstream` names already used by the nginx files: the new one must not clash. */
function freeName(model: NginxModel): string {
  for (const n of ['galaxy', 'galaxy_gunicorn', 'gunicorn']) if (!model.upstreams.has(n)) return n;
  let k = 2;
  while (model.upstreams.has(`galaxy${k}`)) k++;
  return `galaxy${k}`;
}

function serverOf(model: NginxModel, x: NginxDirective): NginxDirective | undefined {
  for (let p = model.parentOf(x), hops = 0; p && hops < 256; p = model.parentOf(p), hops++) if (p.name === 'server') return p;
  return undefined;
}

function build(d: Deployment, model: NginxModel, target: Target): GunicornUpstream | undefined {
  const instances = plannedInstances(d.decisions, target);
  if (instances.length < 2) return undefined;
  const name = freeName(model);
  const servers = instances.map((i) => `server ${nginxServerAddress({ address: i.address, known: true, why: '' })};`);
  const carriers = new Map<PassSite, FileChange>();
  const unplaced = new Set<PassSite>();
  const placed = new Set<unknown>();
  for (const site of model.passes) {
    if (!site.verdict.galaxy || (site.target.kind !== 'unix' && site.target.kind !== 'tcp')) continue;
    const server = serverOf(model, site.directive);
    if (!server) {
      unplaced.add(site);
      continue;
    }
    // One upstream per http context: the server block's parent (through includes), or its file's top.
    const context = model.parentOf(server) ?? `top:${server.file}`;
    if (placed.has(context)) continue;
    placed.add(context);
    const file = model.fileOf(server);
    carriers.set(site, { kind: 'edit', file: file.path, edits: [blockBefore(file.text, server, name, servers)] });
  }
  return { name, instances, servers, carriers, unplaced };
}

/** `upstream NAME { server …; }` and a blank line, before the line the `server` block starts on. */
function blockBefore(text: string, server: NginxDirective, name: string, servers: readonly string[]): Edit {
  const eol = detectEol(text);
  let s = server.range.start;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  const indent = indentAt(text, server.range.start);
  const step = /\t/.test(indent) || /^\t/m.test(text) ? '\t' : '    ';
  const lines = [
    `${indent}# gunicorn instances of gravity.gunicorn, restarted one at a time by galaxyctl graceful (galaxy-migrate)`,
    `${indent}upstream ${name} {`,
    ...servers.map((l) => `${indent}${step}${l}`),
    `${indent}}`,
    '',
  ];
  return { start: s, end: s, text: lines.join(eol) + eol };
}
