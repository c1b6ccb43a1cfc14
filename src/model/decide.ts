import { gravityBindAddress } from './gravity-bind.js';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document } from '../core/document.js';
import type { Address, LegacyListener, MigrationDecisions, UwsgiConfig } from '../core/model.js';
import type { DecisionMaker } from './build.js';
import { EMPTY_DECISIONS } from './build.js';
import { planHandlers } from './handlers.js';
import { all, appOf, clean, formatAddress, last, parseAddress, wholeNumber } from './uwsgi-options.js';
import type { GalaxyYmlAst } from '../formats/galaxy-yml/ast.js';
import type { UwsgiFileAst } from '../formats/uwsgi-file/parse.js';
import type { UwsgiFatal } from '../formats/uwsgi/load.js';

/**
 * The migration's decisions, made once for every rule (DESIGN.md "The deployment is one model"):
 * the address gunicorn binds (which the rewritten proxy points at), the URL prefix, the number of
 * web workers and the handler pools (which job_conf maps tools to). They come from the Galaxy
 * app's uWSGI configuration; a `gravity:` section the admin already wrote wins over them, because
 * that is what Gravity will run.
 */
export const decideMigration: DecisionMaker = ({ documents, uwsgi }) => {
  const primary = primaryConfig(documents, uwsgi);
  const existing = existingGravity(documents, primary);
  if (!primary) {
    // After the apply (or by hand): gravity's bind and galaxy_url_prefix, each on its own; a prefix
    // without a bind still tells the proxy rules where Galaxy's main location is.
    return {
      ...EMPTY_DECISIONS,
      ...(existing?.bind ? bindDecision(existing.bind, existing.extraArgs) : {}),
      ...(existing?.urlPrefix ? { urlPrefix: existing.urlPrefix } : {}),
    };
  }
  let d = decideFor(primary);
  if (existing?.bind) d = { ...d, ...bindDecision(existing.bind, existing.extraArgs) };
  if (existing?.urlPrefix) d = { ...d, urlPrefix: existing.urlPrefix };
  return d;
};

/** Decisions from one uWSGI configuration alone (the rules use it for a config that is not the primary one). */
export function decideFor(config: UwsgiConfig): MigrationDecisions {
  const legacyListeners = listenersOf(config);
  const bind = chooseBind(legacyListeners);
  const urlPrefix = urlPrefixOf(config);
  const procs = last(config, 'processes', 'workers');
  const webWorkers = procs ? wholeNumber(procs.value) : undefined;
  const handlers = planHandlers(config).groups;
  return {
    ...(bind ? { gunicornBind: formatAddress(bind.address), gunicornAddress: bind.address } : {}),
    forwardedAllowAll: bind?.address.kind === 'unix',
    ...(urlPrefix ? { urlPrefix } : {}),
    legacyListeners,
    handlers,
    ...(webWorkers !== undefined && webWorkers > 0 ? { webWorkers } : {}),
  };
}

/**
 * The Galaxy app's uWSGI configuration: the `uwsgi:` block of a galaxy.yml first (that is what
 * `run.sh` and `uwsgi --yaml galaxy.yml` read), then a standalone uWSGI file, then a galaxy.ini
 * `[uwsgi]` section; configurations that load the Reports or Tool Shed app never are, and an empty
 * block only when no other configuration has options.
 *
 * Once the Galaxy app's galaxy.yml has a `gravity:` section, only a `uwsgi:` block with options in
 * that same file is still to migrate (into it). A uWSGI file elsewhere is then what is left of the old setup
 * (uwsgi/section-to-gravity reports it), not a source: otherwise, with two configurations, each
 * apply would migrate the next one, and a plan applied then planned again would propose more.
 */
export function primaryConfig(documents: readonly Document[], uwsgi: readonly UwsgiConfig[]): UwsgiConfig | undefined {
  const docOf = new Map(documents.map((d) => [d.file.path, d]));
  const rank = (c: UwsgiConfig): number => {
    const doc = docOf.get(c.file);
    const kind = doc?.kind;
    // A configuration uWSGI stops reading with an error never ran (and no gravity: is written from
    // it): any other with options comes first. An empty block (`uwsgi:` with nothing under it, or a
    // file without one) configures nothing: any configuration with options comes first, even a
    // broken one, whose findings then say what to fix (a gravity: written from nothing would be
    // taken for the migration's result by the next plan).
    const fatal = uwsgiFatalOf(doc) ? 5 : 0;
    const empty = c.options.length === 0 ? 10 : 0;
    return fatal + empty + (kind === 'galaxy-yml' ? 0 : kind === 'uwsgi-yaml' || kind === 'uwsgi-ini' ? 1 : 2);
  };
  const gravity = galaxyGravityFile(documents);
  return [...uwsgi]
    // Beside a `gravity:` section, an empty block (`uwsgi:` alone) has nothing left to migrate.
    .filter((c) => appOf(c) === 'galaxy' && (gravity === undefined || (c.file === gravity && c.options.length > 0)))
    .sort((a, b) => rank(a) - rank(b))[0];
}

/** uWSGI's fatal error reading the uWSGI configuration of a galaxy.yml or uWSGI file (uWSGI would not start), if any. */
export function uwsgiFatalOf(doc: Document | undefined): UwsgiFatal | undefined {
  const ast = doc?.ast as Partial<GalaxyYmlAst & UwsgiFileAst> | undefined;
  return doc?.kind === 'galaxy-yml' ? ast?.uwsgi?.read.fatal : doc?.kind === 'uwsgi-ini' || doc?.kind === 'uwsgi-yaml' ? ast?.read?.fatal : undefined;
}

/** The Galaxy app's galaxy.yml that already has a `gravity:` section (reports.yml and tool_shed.yml are other apps). */
export function galaxyGravityFile(documents: readonly Document[]): string | undefined {
  for (const d of documents) {
    if (d.kind !== 'galaxy-yml') continue;
    const ast = d.ast as GalaxyYmlAst | undefined;
    if (ast?.gravity && ast.galaxy.name === 'galaxy') return d.file.path;
  }
  return undefined;
}

/** uWSGI options that make it listen, and the protocol each speaks (docs/galaxy-target.md §2.1). */
export const LISTENER_OPTIONS: Readonly<Record<string, LegacyListener['protocol']>> = {
  socket: 'uwsgi',
  'uwsgi-socket': 'uwsgi',
  'http-socket': 'http',
  http: 'http',
  'https-socket': 'https',
  https: 'https',
};

export function listenersOf(config: UwsgiConfig): LegacyListener[] {
  const shared = all(config, 'shared-socket').map((o) => clean(o.value).split(',')[0] ?? '');
  const out: LegacyListener[] = [];
  for (const o of config.options) {
    const protocol = LISTENER_OPTIONS[o.key];
    if (!protocol) continue;
    let value = clean(o.value).trim();
    // `http: =0` listens on the first `shared-socket` (bound as root before dropping privileges).
    const ref = /^=(\d+)$/.exec(value);
    if (ref) value = shared[Number(ref[1])] ?? '';
    // `https: :8443,server.crt,server.key`: the address is before the first comma.
    if (protocol === 'https' || value.includes(',')) value = value.split(',')[0] ?? '';
    const address = parseAddress(value);
    if (!address) continue;
    out.push({ option: o.key, protocol, address, file: o.file, range: o.range });
  }
  return out;
}

/**
 * §2.1: a unix socket the proxy used becomes `unix:<same directory>/gunicorn.sock` (HTTP over the
 * socket, with `--forwarded-allow-ips="*"`); a TCP socket keeps its address; `http: :8080` becomes
 * `0.0.0.0:8080` (Gravity's readiness check connects to the bind, so the host is explicit).
 * The proxy-facing sockets come first, then uWSGI's own HTTP router, then HTTPS.
 */
export function chooseBind(listeners: readonly LegacyListener[]): { address: Address; from: LegacyListener } | undefined {
  const order = (l: LegacyListener): number =>
    l.option === 'socket' || l.option === 'uwsgi-socket' || l.option === 'http-socket' ? 0 : l.option === 'http' ? 1 : 2;
  const sorted = [...listeners].sort((a, b) => order(a) - order(b) || (a.address.kind === 'unix' ? 0 : 1) - (b.address.kind === 'unix' ? 0 : 1));
  const from = sorted[0];
  if (!from) return undefined;
  const a = from.address;
  if (a.kind === 'unix') {
    const slash = a.path.lastIndexOf('/');
    const dir = slash >= 0 ? a.path.slice(0, slash + 1) : '';
    return { address: { kind: 'unix', path: `${dir}gunicorn.sock` }, from };
  }
  const host = a.host === '' || a.host === '*' ? '0.0.0.0' : a.host;
  return { address: { kind: 'tcp', host, port: a.port }, from };
}

/** `mount: /galaxy=…` gives the prefix `/galaxy` (`/` gives none); the Galaxy app's mount wins. */
export function urlPrefixOf(config: UwsgiConfig): string | undefined {
  const mounts = all(config, 'mount').map((o) => clean(o.value).trim());
  const chosen = mounts.find((m) => /webapps[./]galaxy\b/.test(m)) ?? mounts[0];
  if (!chosen) return undefined;
  const point = chosen.split('=')[0]?.trim().replace(/\/+$/, '') ?? '';
  return point === '' ? undefined : point.startsWith('/') ? point : `/${point}`;
}

function bindDecision(bind: string, extraArgs: string | undefined): Pick<MigrationDecisions, 'gunicornBind' | 'gunicornAddress' | 'forwardedAllowAll'> {
  const address = gravityBindAddress(bind);
  return {
    gunicornBind: bind,
    ...(address ? { gunicornAddress: address } : {}),
    forwardedAllowAll: bind.startsWith('unix:') || /--forwarded-allow-ips[= ]["']?\*/.test(extraArgs ?? ''),
  };
}

/**
 * What the Galaxy app's galaxy.yml already says: `gravity.gunicorn.bind` (or the first of a
 * gunicorn list) and its extra_args, and `galaxy.galaxy_url_prefix`. Those are what Gravity and
 * Galaxy will use, so the proxy must follow them.
 */
function existingGravity(
  documents: readonly Document[],
  primary: UwsgiConfig | undefined,
): { bind?: string; extraArgs?: string; urlPrefix?: string } | undefined {
  const ymls = documents.filter((d) => d.kind === 'galaxy-yml') as Document<GalaxyYmlAst>[];
  const doc =
    ymls.find((d) => d.file.path === primary?.file) ??
    ymls.find((d) => d.ast?.galaxy?.name === 'galaxy' && (d.ast.gravity || d.ast.galaxy.has('galaxy_url_prefix')));
  if (!doc?.ast) return undefined;
  const prefix = doc.ast.galaxy.name === 'galaxy' ? doc.ast.galaxy.string('galaxy_url_prefix') : undefined;
  const urlPrefix = prefix && prefix !== '/' ? prefix.replace(/\/+$/, '') : undefined;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : isScalar(v) && typeof v.value === 'string' ? v.value : undefined);
  let g: unknown = doc.ast.gravity?.map?.get('gunicorn');
  if (isSeq(g)) g = g.items[0];
  const b = isMap(g) ? str(g.get('bind')) : undefined;
  const e = isMap(g) ? str(g.get('extra_args')) : undefined;
  return { ...(b ? { bind: b } : {}), ...(e ? { extraArgs: e } : {}), ...(urlPrefix ? { urlPrefix } : {}) };
}
