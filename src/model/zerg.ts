import { hasJinja } from '../formats/jinja.js';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document } from '../core/document.js';
import type { Address, GunicornInstance, LegacyListener, MigrationDecisions, UwsgiConfig, ZergDecision } from '../core/model.js';
import type { Range } from '../core/range.js';
import { hasGravity1, type Target } from '../core/target.js';
import type { GalaxyYmlAst } from '../formats/galaxy-yml/ast.js';
import { programSetting } from '../formats/supervisor/parse.js';
import type { DecisionMaker } from './build.js';
import { chooseBind, LISTENER_OPTIONS, listenersOf } from './decide.js';
import { gravityBindAddress } from './gravity-bind.js';
import { MAX_PROCESSES, tooManyProcesses } from './limits.js';
import { analyseProcesses, type LegacyService } from './processes.js';
import { all, clean, formatAddress, parseAddress } from './uwsgi-options.js';

/**
 * uWSGI zerg mode → several gunicorn instances (docs/galaxy-target.md §2.3, Gravity
 * docs/advanced_usage.rst "Zero-Downtime Restarts").
 *
 * Under uWSGI a zerg pool (`zerg-pool: <pool socket>:<address>`) or a zerg server (an instance
 * with its own `socket` and `zerg-server: <pool socket>`) owned the address the proxy connected
 * to, and zerglings (`zerg: <pool socket>`) attached to it: a new zergling could take over before
 * the old one stopped. Gunicorn has no shared socket; Gravity ≥ 1.0 gets the same effect from a
 * `gravity.gunicorn` list, one bind per instance, that `galaxyctl graceful` restarts one at a time
 * while the proxy balances over every bind. So the setup becomes N instances, N being the number of
 * zerglings the old setup ran and at least 2 (one stays up while the other restarts):
 *
 * - a TCP pool address keeps its address for instance 0 (the proxy already points there) and the
 *   next instances take the next ports not used elsewhere in the deployment; TCP stays TCP because
 *   the proxy may be on another host;
 * - a unix-socket pool address becomes `gunicorn0.sock`, `gunicorn1.sock`, … beside it, the names
 *   Gravity's own documentation uses (a numbered name per instance, nothing to confuse with the
 *   single-instance `gunicorn.sock`).
 *
 * A setup is understood only when exactly one pool address is known literally (not from a Jinja
 * expression) and the zerglings attach to that pool; otherwise the decision says why not, and
 * nothing about the bind is changed.
 */

interface PoolFact {
  /** The pool socket zerglings attach to (absent for a zerg server, whose socket is implied). */
  readonly socket?: string;
  /** The address the pool listens on, as written. */
  readonly raw: string;
  readonly address?: Address;
  readonly file: string;
  readonly range: Range;
  /** Where it was read, for messages. */
  readonly where: string;
}

interface AttachFact {
  readonly socket: string;
  readonly file: string;
}


/** Gravity's default ports of services it may start beside gunicorn (§1.6–§1.8). */
const GX_IT_PROXY_PORT = 4002;

/** The pool sockets of a `zerg` value (comma-separated; a Jinja expression stays whole). */
function socketsOf(value: string): string[] {
  const v = clean(value).trim();
  if (hasJinja(v)) return [v];
  return v.split(/[\s,]+/).filter(Boolean);
}

/** The pool facts of a `zerg-pool` value: `<pool socket>:<address>` (one address). */
function poolOf(value: string, file: string, range: Range, where: string): PoolFact {
  const v = clean(value).trim();
  const colon = v.indexOf(':');
  const socket = colon > 0 ? v.slice(0, colon) : undefined;
  const raw = colon > 0 ? v.slice(colon + 1) : v;
  const address = hasJinja(raw) || raw.includes(',') ? undefined : parseAddress(raw);
  return { ...(socket ? { socket } : {}), raw, ...(address ? { address } : {}), file, range, where };
}

function sameSocket(a: string, b: string): boolean {
  const norm = (p: string): string => p.replace(/\/{2,}/g, '/').replace(/^unix:/, '');
  return norm(a) === norm(b);
}

/** Options whose values are addresses something listens on (for the ports already in use). */
const ADDRESS_OPTIONS = new Set([...Object.keys(LISTENER_OPTIONS), 'stats', 'shared-socket', 'zerg-pool']);

/** TCP ports the deployment's uWSGI configurations and command lines already listen on. */
function usedPorts(configs: readonly UwsgiConfig[], services: readonly LegacyService[]): Map<number, string> {
  const used = new Map<number, string>();
  const note = (key: string, value: string, where: string): void => {
    if (!ADDRESS_OPTIONS.has(key) || hasJinja(value)) return;
    const v = key === 'zerg-pool' ? poolOf(value, where, { start: 0, end: 0 }, '').raw : clean(value).split(',')[0] ?? '';
    const a = parseAddress(v);
    if (a?.kind === 'tcp' && !used.has(a.port)) used.set(a.port, `\`${key}\` in ${where}`);
  };
  for (const c of configs) for (const o of c.options) note(o.key, o.value, o.file);
  for (const s of services) {
    const r = s.classified.role;
    if (r.role === 'uwsgi') for (const o of r.options) note(o.key, o.value, `[${s.name}] of ${s.file}`);
  }
  return used;
}

function interactiveToolsOn(documents: readonly Document[]): boolean {
  return documents.some((d) => {
    if (d.kind !== 'galaxy-yml' || !d.ast) return false;
    const v = (d.ast as GalaxyYmlAst).galaxy.get('interactivetools_enable')?.value;
    return v === true || (typeof v === 'string' && /^(true|yes|on)$/i.test(v));
  });
}

/** The Jinja `{% for … in … %}` loop a template section sits in: how many times it repeats, when literal. */
export function loopCount(text: string, offset: number): number | undefined | null {
  const stack: string[] = [];
  for (const m of text.slice(0, offset).matchAll(/\{%-?\s*(for|endfor)\b([^%]*)%\}/g)) {
    if (m[1] === 'for') stack.push(m[2]!);
    else stack.pop();
  }
  const inner = stack[stack.length - 1];
  if (inner === undefined) return null;
  const iter = /\bin\s+(.+?)\s*-?$/.exec(inner.trim())?.[1]?.trim() ?? '';
  const list = /^\[(.*)\]$/.exec(iter);
  if (list) return list[1]!.trim() === '' ? 0 : list[1]!.split(',').length;
  const range = /^range\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$/.exec(iter);
  if (range) return range[2] !== undefined ? Math.max(0, Number(range[2]) - Number(range[1])) : Number(range[1]);
  return undefined;
}

/** How many zerglings the process manager ran: per program `numprocs` or its Jinja loop; undefined when unknown. */
function countZerglings(services: readonly LegacyService[], documents: readonly Document[]): { n?: number; why: string } {
  const lings = services.filter((s) => s.role === 'zergling');
  if (!lings.length) return { why: 'no supervisord program or systemd unit that runs the zerglings was read' };
  let n = 0;
  const parts: string[] = [];
  for (const s of lings) {
    if (s.manager === 'systemd') {
      return { why: `\`${s.name}\` is a systemd unit: how many instances were enabled is not in the files read` };
    }
    const np = s.program ? programSetting(s.program, 'numprocs')?.value.trim() : undefined;
    if (np !== undefined && !/^\d+$/.test(np)) return { why: `\`[program:${s.name}]\` sets \`numprocs = ${np}\`` };
    const text = documents.find((d) => d.file.path === s.file)?.file.text ?? '';
    const loop = s.section ? loopCount(text, s.section.extent.start) : null;
    if (loop === undefined) return { why: `\`[program:${s.name}]\` is repeated by a Jinja loop over a variable` };
    const k = (np !== undefined ? Number(np) : 1) * (loop ?? 1);
    n += k;
    if (tooManyProcesses(n)) return { why: `\`[program:${s.name}]\` runs ${n} zerglings, more processes than galaxy-migrate expands (${MAX_PROCESSES}): check the value` };
    parts.push(`\`[program:${s.name}]\`${k > 1 ? ` ×${k}` : ''}`);
  }
  return { n, why: parts.join(', ') };
}

/** The binds of `n` instances that take over a pool's address (see the module comment). */
export function instanceBinds(pool: Address, n: number, used: ReadonlyMap<number, string>): { instances: GunicornInstance[]; skipped: string[] } {
  const instances: GunicornInstance[] = [];
  const skipped: string[] = [];
  if (pool.kind === 'unix') {
    const slash = pool.path.lastIndexOf('/');
    const dir = slash >= 0 ? pool.path.slice(0, slash + 1) : '';
    for (let i = 0; i < n; i++) {
      const address: Address = { kind: 'unix', path: `${dir}gunicorn${i}.sock` };
      instances.push({ bind: formatAddress(address), address });
    }
    return { instances, skipped };
  }
  const host = pool.host === '' || pool.host === '*' ? '0.0.0.0' : pool.host;
  let port = pool.port;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      port++;
      while (used.has(port) && port < 65535) {
        skipped.push(`${port} (${used.get(port)})`);
        port++;
      }
    }
    const address: Address = { kind: 'tcp', host, port };
    instances.push({ bind: formatAddress(address), address });
  }
  return { instances, skipped };
}

export interface ZergAnalysis {
  readonly decision: ZergDecision;
  readonly instances?: readonly GunicornInstance[];
  readonly listener?: LegacyListener;
}

/** The zerg setup of a deployment, or undefined when it has none. */
export function analyseZerg(documents: readonly Document[], configs: readonly UwsgiConfig[], decisions: MigrationDecisions): ZergAnalysis | undefined {
  const { services } = analyseProcesses(documents);
  const pools: PoolFact[] = [];
  const attaches: AttachFact[] = [];
  for (const c of configs) {
    for (const o of all(c, 'zerg-pool')) pools.push(poolOf(o.value, o.file, o.range, `\`zerg-pool: ${clean(o.value).trim()}\` in ${o.file}`));
    for (const o of all(c, 'zerg-server')) {
      const chosen = chooseBind(listenersOf(c));
      const from = chosen?.from;
      pools.push({
        socket: clean(o.value).trim(),
        raw: from ? formatAddress(from.address) : '',
        ...(from ? { address: from.address } : {}),
        file: from?.file ?? o.file,
        range: from?.range ?? o.range,
        where: from ? `\`${from.option}: ${formatAddress(from.address)}\` beside \`zerg-server\` in ${from.file}` : `\`zerg-server\` in ${o.file}`,
      });
    }
    for (const o of all(c, 'zerg')) for (const x of socketsOf(o.value)) attaches.push({ socket: x, file: o.file });
  }
  for (const s of services) {
    const r = s.classified.role;
    if (r.role !== 'uwsgi') continue;
    const at = s.command.valueRange;
    for (const o of r.options) {
      const program = s.manager === 'supervisor' ? `[program:${s.name}]` : s.name;
      if (o.key === 'zerg-pool') pools.push(poolOf(o.value, s.file, at, `\`--zerg-pool ${o.value}\` of \`${program}\` in ${s.file}`));
      if (o.key === 'zerg') for (const x of socketsOf(o.value)) attaches.push({ socket: x, file: s.file });
    }
  }
  const zergServices = services.filter((s) => s.role === 'zerg-pool' || s.role === 'zergling');
  if (!pools.length && !attaches.length && !zergServices.length) return undefined;
  const refuse = (why: string): ZergAnalysis => ({ decision: { understood: false, why } });

  const written = existingInstances(documents);
  if (written) {
    return {
      decision: { understood: true, pool: written[0]!.address, poolFrom: 'the `gravity.gunicorn` list already written', notes: [`the \`gravity.gunicorn\` list already written wins: ${written.map((i) => `\`${i.bind}\``).join(', ')}`] },
      instances: written,
    };
  }
  const existing = existingGunicorn(documents);
  if (existing) return refuse(`\`gravity.gunicorn\` is already set in ${existing}, and what Gravity will run wins; to keep rolling restarts, make it a list of instances with one bind each and list every bind in the proxy`);
  const templated = pools.find((p) => !p.address && hasJinja(p.raw));
  if (templated) return refuse(`the zerg pool's address is set by a template (\`${templated.raw}\` in ${templated.file}), so the binds of the gunicorn instances cannot be derived from it`);
  if (!pools.length) {
    const to = attaches[0] ? ` (the zerglings attach to \`${attaches[0].socket}\`)` : '';
    return refuse(`no zerg pool (\`zerg-pool\`) or zerg server (\`zerg-server\` beside its own \`socket\`) was found in the files read${to}, so the address the proxy connected to is not known; plan the files that start the pool too`);
  }
  const unreadable = pools.find((p) => !p.address);
  if (unreadable) return refuse(`the zerg pool's address \`${unreadable.raw}\` (${unreadable.file}) is not one address galaxy-migrate can read`);
  const distinct = [...new Map(pools.map((p) => [formatAddress(p.address!), p])).values()];
  if (distinct.length > 1) return refuse(`there are several zerg pools (${distinct.map((p) => `\`${formatAddress(p.address!)}\``).join(', ')}); which one the proxy uses for Galaxy is not known`);
  const pool = distinct[0]!;
  const literal = attaches.filter((a) => !hasJinja(a.socket));
  const poolSockets = pools.map((p) => p.socket).filter((s): s is string => !!s && !hasJinja(s));
  if (literal.length && poolSockets.length && !literal.some((a) => poolSockets.some((s) => sameSocket(a.socket, s)))) {
    return refuse(`the zerglings attach to \`${literal[0]!.socket}\` while the zerg pool hands out \`${poolSockets[0]}\`, so they are not one setup`);
  }

  const count = countZerglings(services, documents);
  const n = Math.max(2, count.n ?? 2);
  const used = usedPorts(configs, services);
  used.delete(pool.address!.kind === 'tcp' ? pool.address!.port : -1);
  if (interactiveToolsOn(documents) && !used.has(GX_IT_PROXY_PORT)) used.set(GX_IT_PROXY_PORT, "Gravity's gx-it-proxy, on by `interactivetools_enable`");
  const { instances, skipped } = instanceBinds(pool.address!, n, used);
  const notes: string[] = [];
  notes.push(
    count.n !== undefined
      ? `${n} gunicorn instance${n === 1 ? '' : 's'}: the old setup ran ${count.n} zergling${count.n === 1 ? '' : 's'} (${count.why})${count.n < 2 ? ', and at least 2 are needed so that one keeps serving while `galaxyctl graceful` restarts the other' : ''}`
      : `2 gunicorn instances, the fewest that keep one serving while \`galaxyctl graceful\` restarts the other: the number of zerglings is not known (${count.why}); add list items for more`,
  );
  notes.push(
    pool.address!.kind === 'unix'
      ? `binds: ${instances.map((i) => `\`${i.bind}\``).join(', ')}: numbered sockets beside the pool's socket \`${pool.address!.path}\`, as in Gravity's docs/advanced_usage.rst`
      : `binds: ${instances.map((i) => `\`${i.bind}\``).join(', ')}: the first keeps the pool's address, the others take the next ports${skipped.length ? ` not used elsewhere (skipped ${skipped.join(', ')})` : ''}; check that they are free on the host`,
  );
  notes.push('each instance runs `workers` web workers, and all instances run all the time (zerglings often ran one at a time): size `workers` for that');
  const procs = decisions.processes;
  if (!decisions.handlers.length && !procs?.handlers.length && !procs?.staticHandlers.length && !services.some((s) => s.role === 'handler')) {
    notes.push(
      'caution (Gravity docs): every gunicorn instance has the same server name and handles jobs unless separate job handlers are configured; configure `gravity.handlers` (webless handlers) and an explicit assignment method before starting',
    );
  }
  const decision: ZergDecision = {
    understood: true,
    pool: pool.address!,
    poolFrom: pool.where,
    ...(count.n !== undefined ? { zerglings: count.n } : {}),
    notes,
  };
  const listener: LegacyListener = { option: 'zerg-pool', protocol: 'uwsgi', address: pool.address!, file: pool.file, range: pool.range };
  return { decision, instances, listener };
}

/** `gravity.gunicorn` of a Galaxy galaxy.yml, where set: `file` (a single map) — a list is read by existingInstances. */
function existingGunicorn(documents: readonly Document[]): string | undefined {
  for (const d of documents) {
    if (d.kind !== 'galaxy-yml' || !d.ast) continue;
    const g = (d.ast as GalaxyYmlAst).gravity?.map?.get('gunicorn');
    if (g !== undefined && g !== null) return `\`${d.file.path}\``;
  }
  return undefined;
}

/** A `gravity.gunicorn` list already written (two or more binds): the instances Gravity will run. */
export function existingInstances(documents: readonly Document[]): GunicornInstance[] | undefined {
  for (const d of documents) {
    if (d.kind !== 'galaxy-yml' || !d.ast) continue;
    const g = (d.ast as GalaxyYmlAst).gravity?.map?.get('gunicorn');
    if (!isSeq(g)) continue;
    const out: GunicornInstance[] = [];
    for (const item of g.items) {
      const b = isMap(item) ? item.get('bind', true) : undefined;
      const bind = isScalar(b) && typeof b.value === 'string' ? b.value : undefined;
      if (!bind) return undefined;
      const address = gravityBindAddress(bind);
      if (!address) return undefined;
      out.push({ bind, address });
    }
    if (out.length >= 2) return out;
  }
  return undefined;
}

/**
 * Adds the zerg decision to the model: an understood zerg setup gives the gunicorn instances (the
 * first is `gunicornBind`, which the single-bind readers keep using) and the pool's address as a
 * legacy listener (so the proxy rules know the old target is Galaxy's); a `gravity.gunicorn` list
 * already written gives the instances too, so a second plan agrees with the first.
 */
export function withZerg(decide: DecisionMaker): DecisionMaker {
  return (parts) => {
    const d = decide(parts);
    const z = analyseZerg(parts.documents, parts.uwsgi, d);
    if (!z) {
      const list = existingInstances(parts.documents);
      return list ? { ...d, gunicornInstances: list } : d;
    }
    if (!z.instances) return { ...d, zerg: z.decision };
    const first = z.instances[0]!;
    const pool = z.listener;
    const listeners = !pool || d.legacyListeners.some((l) => formatAddress(l.address) === formatAddress(pool.address)) ? d.legacyListeners : [...d.legacyListeners, pool];
    return {
      ...d,
      gunicornBind: first.bind,
      gunicornAddress: first.address,
      forwardedAllowAll: first.address.kind === 'unix',
      gunicornInstances: z.instances,
      legacyListeners: listeners,
      zerg: z.decision,
    };
  };
}

/**
 * The instances a plan for `target` writes: a `gunicorn` list needs Gravity ≥ 1.0 (Galaxy 23.0,
 * §1.2); before that only the first bind is written, and the proxy points at it alone.
 */
export function plannedInstances(d: MigrationDecisions, target: Target): readonly GunicornInstance[] {
  const list = d.gunicornInstances ?? [];
  return list.length > 1 && hasGravity1(target) ? list : [];
}
