import type { Address, Deployment, LegacyListener } from '../../src/core/model.js';
import { inventoryListeners } from '../../src/model/ansible-decide.js';
import { listenersOf } from '../../src/model/decide.js';
import { appOf } from '../../src/model/uwsgi-options.js';

/**
 * Addresses as proxies write them, and the one question every proxy rule asks: is this the
 * Galaxy app's socket? (Issue: only Galaxy's locations change; a proxy to TIaaS or the Reports app
 * is reported and left alone.)
 */

/** Where a proxy directive sends requests. */
export type ProxyTarget =
  | Address
  | { readonly kind: 'upstream'; readonly name: string }
  | { readonly kind: 'template'; readonly raw: string }
  | { readonly kind: 'variable'; readonly raw: string };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', 'ip6-localhost']);
const WILDCARD = new Set(['', '*', '0.0.0.0', '::', '[::]']);

export function normalizePath(p: string): string {
  return p.replace(/\/{2,}/g, '/');
}

/** `host:port`, `[v6]:port`, `unix:/path`, `unix:///path`, `/path` → an Address. */
export function parseHostPort(s: string): Address | undefined {
  const v = s.trim();
  if (v.startsWith('unix:')) return { kind: 'unix', path: normalizePath(v.slice(5)) };
  if (v.startsWith('/')) return { kind: 'unix', path: normalizePath(v) };
  const m = /^(\[[^\]]*\]|[^:\s/]*):(\d+)$/.exec(v);
  if (!m) return undefined;
  return { kind: 'tcp', host: m[1]!, port: Number(m[2]) };
}

export function addressKey(a: ProxyTarget): string {
  switch (a.kind) {
    case 'unix':
      return `unix:${normalizePath(a.path)}`;
    case 'tcp':
      return `tcp:${LOOPBACK.has(a.host) ? 'loopback' : a.host}:${a.port}`;
    case 'upstream':
      return `upstream:${a.name}`;
    default:
      return `${a.kind}:${a.raw.replace(/\s+/g, '')}`;
  }
}

export function showAddress(a: ProxyTarget): string {
  switch (a.kind) {
    case 'unix':
      return `unix:${a.path}`;
    case 'tcp':
      return `${a.host}:${a.port}`;
    case 'upstream':
      return `upstream "${a.name}"`;
    default:
      return a.raw;
  }
}

/** True when a proxy connecting to `target` reaches a server listening on `listener`. */
export function reaches(target: Address, listener: Address): boolean {
  if (target.kind === 'unix' || listener.kind === 'unix') {
    return target.kind === 'unix' && listener.kind === 'unix' && normalizePath(target.path) === normalizePath(listener.path);
  }
  if (target.port !== listener.port) return false;
  if (WILDCARD.has(listener.host)) return true;
  if (target.host === listener.host) return true;
  return LOOPBACK.has(target.host) && LOOPBACK.has(listener.host);
}

const listenerCache = new WeakMap<Deployment, readonly LegacyListener[]>();

/**
 * The Galaxy app's legacy uWSGI listeners: the model's, and those of every other uWSGI section of
 * the deployment that loads Galaxy (a galaxy.ini [uwsgi] beside a galaxy.yml uwsgi:), so that the
 * answer does not change when a later plan no longer has the section the model chose.
 */
export function galaxyListeners(d: Deployment): readonly LegacyListener[] {
  let out = listenerCache.get(d);
  if (out) return out;
  const all = [...d.decisions.legacyListeners];
  for (const c of d.uwsgi) {
    if (appOf(c) !== 'galaxy') continue;
    for (const l of listenersOf(c)) if (!all.some((x) => addressKey(x.address) === addressKey(l.address))) all.push(l);
  }
  listenerCache.set(d, (out = all));
  return out;
}

export function listenerFor(d: Deployment, target: Address): LegacyListener | undefined {
  return galaxyListeners(d).find((l) => reaches(target, l.address));
}

/** Jinja2 references into the uWSGI settings of the Galaxy config (`{{ galaxy_config.uwsgi.socket }}`). */
export const GALAXY_UWSGI_TEMPLATE = /\{\{\s*galaxy_config(\.uwsgi\b|\[['"]uwsgi['"]\])|galaxy_uwsgi_(socket|listen)/;

/** The gunicorn address the proxy must point at, and whether the model decided it. */
export interface GunicornTarget {
  readonly address?: Address;
  /** A Jinja2 expression to write instead of a literal (ansible templates). */
  readonly template?: string;
  /** True when the bind comes from the model (uWSGI config or an existing `gravity:`). */
  readonly known: boolean;
  /** Why this address, for the finding's message. */
  readonly why: string;
}

/**
 * The gunicorn bind for a Galaxy proxy target. From the model when it has one (the bind written
 * into `gravity:`); otherwise the conventional choice for the old target, said so in the message:
 * a unix socket becomes `gunicorn.sock` beside it, a TCP address stays (§2.1, as the model does), a
 * Jinja2 reference into `galaxy_config.uwsgi` becomes `galaxy_config.gravity.gunicorn.bind`.
 */
export function gunicornTargetFor(d: Deployment, old: ProxyTarget): GunicornTarget {
  if (old.kind === 'template' && GALAXY_UWSGI_TEMPLATE.test(old.raw)) {
    return {
      template: '{{ galaxy_config.gravity.gunicorn.bind }}',
      known: true,
      why: 'the template reads the uWSGI socket from galaxy_config, so it now reads gunicorn\'s bind from galaxy_config.gravity',
    };
  }
  const dec = d.decisions;
  const addr = dec.gunicornAddress ?? (dec.gunicornBind ? parseHostPort(dec.gunicornBind) : undefined);
  if (addr) return { address: addr, known: true, why: `gunicorn's bind in gravity: is ${dec.gunicornBind ?? formatBind(addr)}` };
  if (old.kind === 'unix') {
    const slash = old.path.lastIndexOf('/');
    const path = `${slash >= 0 ? old.path.slice(0, slash + 1) : ''}gunicorn.sock`;
    return {
      address: { kind: 'unix', path },
      known: false,
      why: `no uWSGI configuration of Galaxy was read, so gunicorn's bind is not known; this assumes gravity.gunicorn.bind: "unix:${path}" (gunicorn.sock beside the old socket) — set exactly that in gravity: or change this line`,
    };
  }
  if (old.kind === 'tcp') {
    return {
      address: old,
      known: false,
      why: `no uWSGI configuration of Galaxy was read, so gunicorn's bind is not known; this assumes gravity.gunicorn.bind: "${formatBind(old)}" (the address uWSGI had) — set exactly that in gravity: or change this line`,
    };
  }
  if (old.kind === 'template' || old.kind === 'variable') {
    return {
      template: old.raw,
      known: false,
      why: `the address is ${old.raw}, which this tool cannot evaluate: it must now hold gunicorn's bind (gravity.gunicorn.bind), not the uWSGI socket`,
    };
  }
  return {
    address: { kind: 'tcp', host: 'localhost', port: 8080 },
    known: false,
    why: 'no uWSGI configuration of Galaxy was read, so gunicorn\'s bind is not known; this assumes Gravity\'s default bind localhost:8080 — set it in gravity: or change this line',
  };
}

/** An Address as gunicorn's `-b` takes it (`unix:/path`, `host:port`). */
export function formatBind(a: Address): string {
  return a.kind === 'unix' ? `unix:${a.path}` : `${a.host}:${a.port}`;
}

/** The host a proxy connects to for a listener bound on `host` (a wildcard means this machine). */
export function connectHost(host: string): string {
  if (host === '' || host === '*' || host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  if (host.includes(':') && !host.startsWith('[')) return `[${host}]`;
  return host;
}

/** nginx's form: `http://unix:/path` or `http://host:port` (GX-NGINX-GU §4.3). */
export function nginxHttpUrl(t: GunicornTarget): string {
  if (t.template) return `http://${t.template}`;
  const a = t.address!;
  return a.kind === 'unix' ? `http://unix:${a.path}` : `http://${connectHost(a.host)}:${a.port}`;
}

/** An nginx `upstream` `server` address: `unix:/path` or `host:port`. */
export function nginxServerAddress(t: GunicornTarget): string {
  if (t.template) return t.template;
  const a = t.address!;
  return a.kind === 'unix' ? `unix:${a.path}` : `${connectHost(a.host)}:${a.port}`;
}

/** True when gunicorn will not trust X-Forwarded-* from nginx by default (not loopback, not a socket). */
export function needsForwardedAllowIps(t: GunicornTarget): boolean {
  const a = t.address;
  return !!a && a.kind === 'tcp' && !LOOPBACK.has(connectHost(a.host)) && connectHost(a.host) !== '127.0.0.1';
}

/**
 * Apache's form (GX-APACHE-GU §4.4): `unix:/path|http://localhost<path>` for a unix socket,
 * `http://host:port<path>` for TCP.
 */
export function apacheHttpUrl(t: GunicornTarget, path: string): string {
  if (t.template) return `http://${t.template}${path}`;
  const a = t.address!;
  return a.kind === 'unix' ? `unix:${a.path}|http://localhost${path}` : `http://${connectHost(a.host)}:${a.port}${path}`;
}

/** `http://unix:/path[:uri]` or `http://host:port/…` → the address proxy_pass connects to. */
export function proxyPassAddress(url: string): Address | { readonly kind: 'upstream'; name: string } | undefined {
  const m = /^https?:\/\/(.*)$/.exec(url);
  if (!m) return undefined;
  const rest = m[1]!;
  if (rest.startsWith('unix:')) {
    const path = rest.slice(5).replace(/^\/+/, '/');
    const colon = path.indexOf(':');
    return { kind: 'unix', path: colon >= 0 ? path.slice(0, colon) : path };
  }
  const hostPort = rest.replace(/[/?].*$/, '');
  const a = parseHostPort(hostPort);
  if (a) return a;
  if (/^[A-Za-z0-9_.-]+$/.test(hostPort)) return { kind: 'upstream', name: hostPort };
  return undefined;
}


/**
 * The user's word on whose a proxy target is, as a comment on the line right above the directive
 * or above its location/section: `# galaxy-migrate: galaxy` or `# galaxy-migrate: not-galaxy`.
 */
export const USER_MARK = /^[ \t]*#[ \t]*galaxy-migrate:[ \t]*(galaxy|not-galaxy)\b/;

export function userMark(text: string, ...offsets: number[]): 'galaxy' | 'not-galaxy' | undefined {
  for (const at of offsets) {
    let s = at;
    while (s > 0 && text[s - 1] !== '\n') s--;
    if (s === 0) continue;
    let p = s - 1;
    if (p > 0 && text[p - 1] === '\r') p--;
    let q = p;
    while (q > 0 && text[q - 1] !== '\n') q--;
    const m = USER_MARK.exec(text.slice(q, p));
    if (m) return m[1] as 'galaxy' | 'not-galaxy';
  }
  return undefined;
}
