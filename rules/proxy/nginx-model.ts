import type { Document } from '../../src/core/document.js';
import type { Address, Deployment, LegacyListener } from '../../src/core/model.js';
import {
  includedFiles,
  walkDirectives,
  type NginxAst,
  type NginxDirective,
  type NginxInclude,
  type NginxNode,
} from '../../src/formats/nginx/index.js';
import {
  addressKey,
  proxyPassAddress,
  GALAXY_UWSGI_TEMPLATE,
  galaxyListeners,
  listenerFor,
  parseHostPort,
  reaches,
  showAddress,
  userMark,
  type ProxyTarget,
} from './addresses.js';
import { OTHER_APP_PATHS } from './tables.js';
import { inventoryAddresses, inventoryBind } from '../../src/model/ansible-decide.js';

/**
 * One reading of every nginx file of the deployment (documents and what they include, each once),
 * shared by the nginx proxy rules so that they agree on which locations are Galaxy's.
 */

export interface NginxFile {
  readonly path: string;
  readonly text: string;
  readonly ast: NginxAst;
}

export interface Verdict {
  readonly galaxy: boolean;
  /** False when the answer is a guess (no uWSGI config, or an address in a template). */
  readonly confident: boolean;
  readonly why: string;
  /** Not taken as Galaxy's, but it may well be (Galaxy's main location is already on HTTP). */
  readonly suspect?: boolean;
  /**
   * Galaxy's uWSGI socket in a template shared by an inventory's hosts whose uWSGI blocks give
   * gunicorn different binds: why no one address can be written (`galaxy` is false, so that no
   * rule half-converts the location).
   */
  readonly undecided?: string;
}

export interface PassSite {
  readonly file: NginxFile;
  readonly directive: NginxDirective;
  readonly target: ProxyTarget;
  readonly verdict: Verdict;
  /** The `location` the pass serves (through `if` blocks and includes). */
  readonly location: NginxDirective | undefined;
  /** The statement directly in `location` that holds the pass (the pass itself, or its `if`). */
  readonly statement: NginxDirective;
}

export interface UpstreamServer {
  readonly directive: NginxDirective;
  readonly target: ProxyTarget | undefined;
}

export interface Upstream {
  readonly file: NginxFile;
  readonly directive: NginxDirective;
  readonly name: string;
  readonly servers: readonly UpstreamServer[];
}

export interface NginxModel {
  readonly files: ReadonlyMap<string, NginxFile>;
  readonly upstreams: ReadonlyMap<string, Upstream>;
  readonly passes: readonly PassSite[];
  /** The block holding `d`, through includes (an included file's top sits where it is included). */
  parentOf(d: NginxDirective): NginxDirective | undefined;
  /** The nearest enclosing `location`. */
  locationOf(d: NginxDirective): NginxDirective | undefined;
  /** The statements of a block with includes replaced by the included files' statements. */
  childrenOf(block: NginxDirective): NginxNode[];
  /** uwsgi_pass sites below a block (all of them for undefined: the top of a file is http level). */
  passesUnder(block: NginxDirective | undefined): PassSite[];
  /** The uwsgi_pass sites whose location is `location`, in `passes` order. */
  passesIn(location: NginxDirective | undefined): readonly PassSite[];
  /** Galaxy's pass in a location, if the location has one. */
  galaxyPassIn(location: NginxDirective): PassSite | undefined;
  /** What an `include` directive of these files resolved to. */
  includeOf(include: NginxDirective): NginxInclude | undefined;
  fileOf(d: NginxDirective): NginxFile;
}

const cache = new WeakMap<Deployment, NginxModel>();

export function nginxModel(d: Deployment): NginxModel {
  let m = cache.get(d);
  if (!m) cache.set(d, (m = build(d)));
  return m;
}

/** `uwsgi_pass`'s argument as a target (`unix:`, `uwsgi://`, `host:port`, an upstream name). */
export function passTarget(value: string, templated: boolean, upstreams: ReadonlyMap<string, unknown>): ProxyTarget {
  if (templated) return { kind: 'template', raw: value };
  if (value.includes('$')) return { kind: 'variable', raw: value };
  const v = value.replace(/^s?uwsgi:\/\//, '').replace(/^(https?|grpcs?):\/\//, '');
  if (v.startsWith('unix:')) return parseHostPort(v)!;
  const a = parseHostPort(v);
  if (a) return a;
  const name = v.replace(/\/.*$/, '');
  if (upstreams.has(name) || /^[A-Za-z0-9_.-]+$/.test(name)) return { kind: 'upstream', name };
  return { kind: 'variable', raw: value };
}

function build(d: Deployment): NginxModel {
  const files = new Map<string, NginxFile>();
  for (const doc of d.documents) {
    if (doc.kind !== 'nginx' || !doc.ast) continue;
    const ast = (doc as Document<NginxAst>).ast;
    if (!files.has(doc.file.path)) files.set(doc.file.path, { path: doc.file.path, text: doc.file.text, ast });
  }
  for (const f of [...files.values()]) {
    for (const inc of includedFiles(f.ast)) if (!files.has(inc.path)) files.set(inc.path, { path: inc.path, text: inc.text, ast: inc.ast });
  }

  const includeSites = new Map<string, NginxDirective>();
  // Each include by its directive, looked up once per include statement by the rules (a search of
  // the file's includes each time was quadratic in a file with an include in every location).
  const includeByDirective = new Map<NginxDirective, NginxInclude>();
  for (const f of files.values()) {
    for (const inc of f.ast.includes) {
      for (const g of inc.files) if (!includeSites.has(g.path)) includeSites.set(g.path, inc.directive);
      if (!includeByDirective.has(inc.directive)) includeByDirective.set(inc.directive, inc);
    }
  }

  const parentOf = (x: NginxDirective): NginxDirective | undefined => {
    let cur: NginxDirective | undefined = x;
    for (let hops = 0; cur && hops < 64; hops++) {
      if (cur.parent) return cur.parent;
      cur = includeSites.get(cur.file);
    }
    return undefined;
  };
  const locationOf = (x: NginxDirective): NginxDirective | undefined => {
    for (let p = parentOf(x), hops = 0; p && hops < 256; p = parentOf(p), hops++) if (p.name === 'location') return p;
    return undefined;
  };
  const childrenOf = (block: NginxDirective): NginxNode[] => {
    const out: NginxNode[] = [];
    const add = (nodes: readonly NginxNode[], depth: number): void => {
      for (const n of nodes) {
        // `include uwsgi_params` stays one statement: what it gave is read by the location plan.
        if (n.type === 'directive' && n.name === 'include' && depth < 16 && !isParamsFileInclude(n)) {
          const inc = includeByDirective.get(n);
          if (inc && inc.files.length) {
            for (const g of inc.files) add(files.get(g.path)?.ast.nodes ?? [], depth + 1);
            continue;
          }
        }
        out.push(n);
      }
    };
    add(block.block?.children ?? [], 0);
    return out;
  };

  const upstreams = new Map<string, Upstream>();
  for (const f of files.values()) {
    for (const u of walkDirectives(f.ast.nodes)) {
      if (u.name !== 'upstream' || !u.block || !u.args[0]) continue;
      const servers: UpstreamServer[] = [];
      for (const s of walkDirectives(u.block.children)) {
        if (s.name !== 'server' || !s.args[0]) continue;
        const arg = s.args[0];
        servers.push({ directive: s, target: arg.templated ? { kind: 'template', raw: arg.value } : parseHostPort(arg.value) });
      }
      if (!upstreams.has(u.args[0].value)) upstreams.set(u.args[0].value, { file: f, directive: u, name: u.args[0].value, servers });
    }
  }

  const raw: { file: NginxFile; directive: NginxDirective; target: ProxyTarget; location: NginxDirective | undefined; statement: NginxDirective }[] = [];
  for (const f of files.values()) {
    for (const p of walkDirectives(f.ast.nodes)) {
      if (p.name !== 'uwsgi_pass' || !p.args[0]) continue;
      const location = locationOf(p);
      let statement = p;
      for (let q = parentOf(p); q && q !== location; q = parentOf(q)) statement = q;
      raw.push({ file: f, directive: p, target: passTarget(p.args[0].value, p.args[0].templated, upstreams), location, statement });
    }
  }

  // The target of Galaxy's main location (`/` or the URL prefix), for deciding without uWSGI config.
  const prefix = d.decisions.urlPrefix;
  const rootLike = (loc: NginxDirective | undefined): boolean => {
    if (!loc) return false;
    const path = loc.args[loc.args.length - 1];
    if (!path || loc.args.length > 2 || (loc.args.length === 2 && !['=', '^~'].includes(loc.args[0]!.value))) return false;
    const v = path.value.replace(/\/$/, '');
    if (v === '' || (prefix && v === prefix.replace(/\/$/, ''))) return true;
    return path.templated && /^\/?\{\{[^}]*\}\}$/.test(v);
  };
  // Galaxy's main location per server block (`location /` or the prefix): its uwsgi_pass, or the
  // proxy_pass of a location already migrated, says where Galaxy is when no uWSGI config was read.
  const serverOf = (x: NginxDirective): NginxDirective | undefined => {
    for (let p = parentOf(x), hops = 0; p && hops < 256; p = parentOf(p), hops++) if (p.name === 'server') return p;
    return undefined;
  };
  interface Main {
    readonly key: string;
    readonly shown: string;
    readonly where: string;
    readonly http: boolean;
  }
  const mains = new Map<NginxDirective | undefined, Main>();
  let firstMain: Main | undefined;
  for (const f of files.values()) {
    for (const x of walkDirectives(f.ast.nodes)) {
      if ((x.name !== 'uwsgi_pass' && x.name !== 'proxy_pass') || !x.args[0]) continue;
      const loc = locationOf(x);
      if (!rootLike(loc)) continue;
      const t = x.name === 'uwsgi_pass' ? passTarget(x.args[0].value, x.args[0].templated, upstreams) : x.args[0].templated ? undefined : proxyPassAddress(x.args[0].value);
      if (!t) continue;
      const m: Main = { key: addressKey(t), shown: showAddress(t), where: `${f.path}:${lineOf(f.text, x.range.start)}`, http: x.name === 'proxy_pass' };
      const srv = serverOf(x);
      if (!mains.has(srv)) mains.set(srv, m);
      firstMain ??= m;
    }
  }
  const mainFor = (x: NginxDirective): Main | undefined => mains.get(serverOf(x)) ?? firstMain;

  const verdictOf = (t: ProxyTarget, location: NginxDirective | undefined, x: NginxDirective): Verdict => {
    const said = userMark(files.get(x.file)?.text ?? '', x.range.start, ...(location && location.file === x.file ? [location.range.start] : []));
    if (said) return { galaxy: said === 'galaxy', confident: true, why: `a "# galaxy-migrate: ${said}" comment says so` };
    const listeners = galaxyListeners(d);
    const shown = showAddress(t);
    if (t.kind === 'unix' || t.kind === 'tcp') {
      const l = listenerFor(d, t);
      const undecided = undecidedInventory(d, t, l);
      if (undecided) return undecided;
      if (l) return { galaxy: true, confident: true, why: `Galaxy's uWSGI listens there (${l.option}: ${showAddress(l.address)} in ${l.file})` };
      if (listeners.length) {
        return { galaxy: false, confident: true, why: `no uWSGI socket of this deployment's Galaxy is at ${shown} (Galaxy's: ${listeners.map((x) => showAddress(x.address)).join(', ')})` };
      }
    }
    if (t.kind === 'upstream') {
      const u = upstreams.get(t.name);
      const concrete = (u?.servers ?? []).map((s) => s.target).filter((x): x is Extract<ProxyTarget, { kind: 'unix' | 'tcp' }> => !!x && (x.kind === 'unix' || x.kind === 'tcp'));
      const hit = concrete.find((a) => listeners.some((l) => reaches(a, l.address)));
      if (hit) return { galaxy: true, confident: true, why: `upstream "${t.name}" holds Galaxy's uWSGI socket ${showAddress(hit)}` };
      if (listeners.length && concrete.length && concrete.length === (u?.servers.length ?? 0)) {
        return { galaxy: false, confident: true, why: `upstream "${t.name}" holds no uWSGI socket of this deployment's Galaxy` };
      }
    }
    if (t.kind === 'template' && GALAXY_UWSGI_TEMPLATE.test(t.raw)) {
      return { galaxy: true, confident: true, why: `${t.raw} is Galaxy's uWSGI socket setting` };
    }
    const bindNow = galaxyBindOnly(d, t);
    if (bindNow) return bindNow;
    const path = location?.args[location.args.length - 1]?.value ?? '';
    const main = mainFor(x);
    if (main) {
      const same = addressKey(t) === main.key;
      return {
        galaxy: same,
        confident: false,
        ...(!same && main.http ? { suspect: true } : {}),
        why: same
          ? `it is the address Galaxy's main location uses (${main.shown}, ${main.where})`
          : main.http
            ? `Galaxy's main location already proxies over HTTP to ${main.shown} (${main.where}); if this location is Galaxy's too, point it there`
            : `Galaxy's main location uses ${main.shown} (${main.where}), not ${shown}`,
      };
    }
    if (OTHER_APP_PATHS.test(path)) return { galaxy: false, confident: false, why: `location ${path} serves another application` };
    return { galaxy: true, confident: false, why: 'no uWSGI configuration of Galaxy was read and nothing marks it as another application' };
  };

  const passes: PassSite[] = raw.map((r) => ({ ...r, verdict: verdictOf(r.target, r.location, r.directive) }));

  // The passes below each block and in each location, in `passes` order, listed once: the rules
  // ask per directive, and a filter of every pass per question was quadratic in a large file.
  const under = new Map<NginxDirective, PassSite[]>();
  const byLocation = new Map<NginxDirective | undefined, PassSite[]>();
  for (const p of passes) {
    const set = new Set<NginxDirective>();
    for (let q = parentOf(p.directive), hops = 0; q && hops < 256; q = parentOf(q), hops++) set.add(q);
    for (const q of set) listIn(under, q).push(p);
    listIn(byLocation, p.location).push(p);
  }

  const fileOf = (x: NginxDirective): NginxFile => files.get(x.file)!;
  return {
    files,
    upstreams,
    passes,
    parentOf,
    locationOf,
    childrenOf,
    fileOf,
    passesUnder: (block) => [...(block ? (under.get(block) ?? []) : passes)],
    passesIn: (location) => byLocation.get(location) ?? [],
    galaxyPassIn: (location) => byLocation.get(location)?.find((p) => p.verdict.galaxy),
    includeOf: (include) => includeByDirective.get(include),
  };
}

function listIn<K, V>(m: Map<K, V[]>, k: K): V[] {
  let list = m.get(k);
  if (!list) m.set(k, (list = []));
  return list;
}

/**
 * A literal address in a template an inventory's hosts share, when their blocks give gunicorn
 * different binds (src/model/ansible-decide.ts): Galaxy's uWSGI socket, or (once the blocks are
 * `gravity:`) one of the hosts' gunicorn binds.
 */
function undecidedInventory(d: Deployment, t: Address, l: LegacyListener | undefined): Verdict | undefined {
  if (d.decisions.gunicornBind) return undefined;
  const inventory = inventoryBind(d.documents);
  if (inventory.kind !== 'undecided') return undefined;
  if (l) return { galaxy: false, confident: true, why: `Galaxy's uWSGI socket (${l.option}: ${showAddress(l.address)} in ${l.file})`, undecided: inventory.why };
  const bound = inventoryAddresses(d.documents).find((a) => reaches(t, a));
  if (bound) return { galaxy: false, confident: true, why: `one of the gunicorn binds of the inventory (${showAddress(bound)})`, undecided: inventory.why };
  return undefined;
}

/** `include uwsgi_params` (any directory): nginx's stock parameter file or the deployment's copy of it. */
export function isParamsFileInclude(x: NginxDirective): boolean {
  return x.name === 'include' && x.args.length === 1 && /(^|\/)uwsgi_params$/.test(x.args[0]!.value);
}

/** A copy of nginx's stock uwsgi_params: read for what it passes, never rewritten. */
export function isParamsFile(path: string): boolean {
  return /(^|\/)uwsgi_params$/.test(path);
}

/** The verdict once Galaxy's own config already runs gunicorn and nothing ties this target to Galaxy. */
export function alreadyGunicorn(bind: string): Verdict {
  return {
    galaxy: false,
    confident: false,
    suspect: true,
    why: `Galaxy's configuration already runs gunicorn (gravity.gunicorn.bind: ${bind}) and has no uWSGI socket, and nothing here ties this address to Galaxy; if it is Galaxy's, point it at ${bind}`,
  };
}

/**
 * When Galaxy's configuration already runs gunicorn (a gravity: bind, no uWSGI listener left), no
 * guess is made: only a target at gunicorn's own address is Galaxy's (a uwsgi_pass to an HTTP
 * server); anything else is reported with the bind to use. This keeps a second plan empty.
 */
export function galaxyBindOnly(d: Deployment, t: ProxyTarget): Verdict | undefined {
  const bind = d.decisions.gunicornBind;
  if (!bind || galaxyListeners(d).length) return undefined;
  const addr = d.decisions.gunicornAddress ?? parseHostPort(bind);
  if (addr && (t.kind === 'unix' || t.kind === 'tcp') && reaches(t, addr)) {
    return { galaxy: true, confident: true, why: `it is gunicorn's bind (${bind}), which speaks HTTP` };
  }
  return alreadyGunicorn(bind);
}

export function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** `name value` of a directive as it reads (for messages). */
export function showDirective(x: NginxDirective): string {
  return [x.name, ...x.args.map((a) => a.raw)].join(' ');
}
