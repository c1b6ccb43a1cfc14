import type { Document } from '../../src/core/document.js';
import type { Deployment } from '../../src/core/model.js';
import { walkApache, type ApacheAst, type ApacheDirective, type ApacheNode, type ApacheSection, type ApacheWord } from '../../src/formats/apache/index.js';
import { addressKey, galaxyListeners, listenerFor, normalizePath, parseHostPort, showAddress, userMark, type ProxyTarget } from './addresses.js';
import { OTHER_APP_PATHS } from './tables.js';
import { galaxyBindOnly, type Verdict } from './nginx-model.js';

/**
 * Every Apache file of the deployment (documents and what they include, each once) and every
 * place a uwsgi:// URL appears: ProxyPass/ProxyPassMatch/ProxyPassReverse, BalancerMember,
 * SetHandler "proxy:…", <Proxy uwsgi://…>. mod_proxy_uwsgi's default port is 3031.
 */

export interface ApacheFile {
  readonly path: string;
  readonly text: string;
  readonly nodes: readonly ApacheNode[];
}

export interface UwsgiUrl {
  /** The socket: unix path or host:port. */
  readonly target: ProxyTarget;
  /** The path after the authority of the uwsgi:// URL (may be empty). */
  readonly path: string;
  /** `proxy:` prefix of SetHandler kept aside. */
  readonly handlerPrefix: string;
}

export interface UwsgiSite {
  readonly file: ApacheFile;
  readonly node: ApacheDirective | ApacheSection;
  readonly word: ApacheWord;
  readonly url: UwsgiUrl;
  /** The local path the URL serves (ProxyPass's first argument or the enclosing <Location>). */
  readonly localPath: string | undefined;
  readonly verdict: Verdict;
  /** The VirtualHost (or undefined: main server) the site is in. */
  readonly vhost: ApacheSection | undefined;
}

export interface ApacheModel {
  readonly files: ReadonlyMap<string, ApacheFile>;
  readonly sites: readonly UwsgiSite[];
}

const cache = new WeakMap<Deployment, ApacheModel>();

export function apacheModel(d: Deployment): ApacheModel {
  let m = cache.get(d);
  if (!m) cache.set(d, (m = build(d)));
  return m;
}

/** `unix:/p|uwsgi://h/x`, `uwsgi://h:p/x`, with an optional `proxy:` (SetHandler) in front. */
export function parseUwsgiUrl(value: string): UwsgiUrl | undefined {
  // [\s\S]: a quoted Apache word may hold a line break (a continued line), which `.` does not match.
  const pm = /^(proxy:)?([\s\S]*)$/i.exec(value)!;
  const handlerPrefix = pm[1] ?? '';
  const v = pm[2]!;
  const unix = /^unix:([^|]*)\|uwsgi:\/\/([^/]*)(.*)$/i.exec(v);
  if (unix) return { target: { kind: 'unix', path: normalizePath(unix[1]!) }, path: unix[3] ?? '', handlerPrefix };
  const tcp = /^uwsgi:\/\/([^/]*)(.*)$/i.exec(v);
  if (!tcp) return undefined;
  const auth = tcp[1]!;
  const a = parseHostPort(/:\d+$/.test(auth) ? auth : `${auth}:3031`);
  const target: ProxyTarget = auth.includes('{{') || auth.includes('${') ? { kind: 'template', raw: auth } : (a ?? { kind: 'variable', raw: auth });
  return { target, path: tcp[2] ?? '', handlerPrefix };
}

export function vhostOf(n: ApacheDirective | ApacheSection): ApacheSection | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.name.toLowerCase() === 'virtualhost') return p;
  return undefined;
}

function locationPath(n: ApacheDirective | ApacheSection): string | undefined {
  for (let p = n.parent; p; p = p.parent) if (/^location$/i.test(p.name)) return p.args[0]?.value;
  return undefined;
}

function build(d: Deployment): ApacheModel {
  const files = new Map<string, ApacheFile>();
  for (const doc of d.documents) {
    if (doc.kind !== 'apache' || !doc.ast) continue;
    const ast = (doc as Document<ApacheAst>).ast;
    if (!files.has(doc.file.path)) files.set(doc.file.path, { path: doc.file.path, text: doc.file.text, nodes: ast.nodes });
    for (const inc of ast.included) if (!files.has(inc.path)) files.set(inc.path, { path: inc.path, text: inc.text, nodes: inc.nodes });
  }
  const raw: Omit<UwsgiSite, 'verdict'>[] = [];
  const prefix = d.decisions.urlPrefix?.replace(/\/$/, '');
  /** How surely a local path is Galaxy's main one: its URL prefix (2), `/` (1), or neither (0). */
  const mainRank = (p: string | undefined): number => {
    const v = p?.replace(/\/$/, '');
    return v === undefined ? 0 : prefix && v === prefix ? 2 : v === '' ? 1 : 0;
  };
  /**
   * The ProxyPass lines at a main path, over uwsgi:// or already over HTTP, in the files' order:
   * where Galaxy is when no uWSGI configuration was read. Both kinds count, so that once Galaxy's
   * own line is over HTTP (an earlier apply, or by hand) another uwsgi:// line is not promoted to
   * Galaxy's main by the next plan.
   */
  const mains: MainPass[] = [];
  for (const f of files.values()) {
    for (const n of walkApache(f.nodes)) {
      const name = n.name.toLowerCase();
      if (n.type === 'directive' && name === 'proxypass') {
        const inLoc = locationPath(n);
        const [a0, a1] = n.args;
        const http = a0 && inLoc !== undefined && /^https?:\/\//i.test(a0.value) ? { url: a0.value, at: inLoc } : a0 && a1 && /^https?:\/\//i.test(a1.value) ? { url: a1.value, at: a0.value } : undefined;
        if (http && mainRank(http.at) > 0) mains.push({ rank: mainRank(http.at), vhost: vhostOf(n), http: http.url });
      }
      let word: ApacheWord | undefined;
      let localPath: string | undefined;
      if (n.type === 'directive' && ['proxypass', 'proxypassmatch', 'proxypassreverse'].includes(name)) {
        const inLoc = locationPath(n);
        const first = n.args[0];
        if (first && inLoc !== undefined && /^(unix:|uwsgi:)/i.test(first.value)) {
          word = first;
          localPath = inLoc;
        } else {
          word = n.args[1];
          localPath = first?.value;
        }
      } else if (n.type === 'directive' && name === 'balancermember') word = n.args[0];
      else if (n.type === 'directive' && name === 'sethandler') word = n.args[0];
      else if (n.type === 'section' && (name === 'proxy' || name === 'proxymatch')) word = n.args[0];
      if (!word) continue;
      const url = parseUwsgiUrl(word.value);
      if (!url) continue;
      raw.push({ file: f, node: n, word, url, localPath, vhost: vhostOf(n) });
      if (mainRank(localPath) > 0) mains.push({ rank: mainRank(localPath), vhost: vhostOf(n), uwsgi: url.target });
    }
  }
  const mainOf = mainPassFinder(mains);
  const verdictOf = (r: Omit<UwsgiSite, 'verdict'>): Verdict => {
    const t = r.url.target;
    const sectionStart = r.node.parent && /^location/i.test(r.node.parent.name) ? [r.node.parent.open.start] : [];
    const said = userMark(r.file.text, r.node.type === 'section' ? r.node.open.start : r.node.range.start, ...sectionStart);
    if (said) return { galaxy: said === 'galaxy', confident: true, why: `a "# galaxy-migrate: ${said}" comment says so` };
    const listeners = galaxyListeners(d);
    if (t.kind === 'unix' || t.kind === 'tcp') {
      const l = listenerFor(d, t);
      if (l) return { galaxy: true, confident: true, why: `Galaxy's uWSGI listens there (${l.option}: ${showAddress(l.address)} in ${l.file})` };
      if (listeners.length) {
        return { galaxy: false, confident: true, why: `no uWSGI socket of this deployment's Galaxy is at ${showAddress(t)}` };
      }
    }
    const bindNow = galaxyBindOnly(d, t);
    if (bindNow) return bindNow;
    const main = mainOf(r.vhost);
    if (main?.uwsgi) {
      const same = addressKey(t) === addressKey(main.uwsgi);
      return { galaxy: same, confident: false, why: same ? `it is the socket Galaxy's main ProxyPass uses` : `Galaxy's main ProxyPass uses ${showAddress(main.uwsgi)}` };
    }
    if (main?.http) {
      return { galaxy: false, confident: false, why: `Galaxy's main ProxyPass already proxies over HTTP to ${main.http}; if this one is Galaxy's too, point it there` };
    }
    if (r.localPath && OTHER_APP_PATHS.test(r.localPath)) return { galaxy: false, confident: false, why: `${r.localPath} serves another application` };
    return { galaxy: true, confident: false, why: 'no uWSGI configuration of Galaxy was read and nothing marks it as another application' };
  };
  return { files, sites: raw.map((r) => ({ ...r, verdict: verdictOf(r) })) };
}

/** A ProxyPass at a main path (mainRank): to a uWSGI socket, or already to an HTTP URL. */
interface MainPass {
  readonly rank: number;
  readonly vhost: ApacheSection | undefined;
  readonly uwsgi?: ProxyTarget;
  readonly http?: string;
}

/**
 * Galaxy's main ProxyPass as seen from a site: the surest (then first) of its own VirtualHost, or of
 * all files for a site outside any VirtualHost (or in one without a main ProxyPass).
 */
function mainPassFinder(mains: readonly MainPass[]): (vhost: ApacheSection | undefined) => MainPass | undefined {
  const better = (a: MainPass | undefined, b: MainPass): MainPass => (a && a.rank >= b.rank ? a : b);
  const byVhost = new Map<ApacheSection, MainPass>();
  let overall: MainPass | undefined;
  for (const m of mains) {
    overall = better(overall, m);
    if (m.vhost) byVhost.set(m.vhost, better(byVhost.get(m.vhost), m));
  }
  return (vhost) => (vhost && byVhost.get(vhost)) || overall;
}

/** Directives named `name` (case-insensitive) in every Apache file. */
export function* apacheDirectives(m: ApacheModel, name: string): Generator<{ file: ApacheFile; node: ApacheDirective }> {
  for (const f of m.files.values()) {
    for (const n of walkApache(f.nodes)) if (n.type === 'directive' && n.name.toLowerCase() === name.toLowerCase()) yield { file: f, node: n };
  }
}

export function* apacheSections(m: ApacheModel, name: string): Generator<{ file: ApacheFile; node: ApacheSection }> {
  for (const f of m.files.values()) {
    for (const n of walkApache(f.nodes)) if (n.type === 'section' && n.name.toLowerCase() === name.toLowerCase()) yield { file: f, node: n };
  }
}

/** A word's new text in the quoting it had. */
export function requote(word: ApacheWord, value: string): string {
  return word.quote ? `${word.quote}${value}${word.quote}` : value;
}

export function showApache(n: ApacheDirective | ApacheSection): string {
  return [n.name, ...n.args.map((a) => a.raw)].join(' ');
}
