import type { NginxDirective, NginxNode } from '../../src/formats/nginx/index.js';
import { isParamsFileInclude, nginxModel, type NginxModel, type PassSite } from './nginx-model.js';
import type { Deployment } from '../../src/core/model.js';
import { GALAXY_PROXY_HEADERS, PARAM_HEADERS, SCHEME_PARAMS, type HeaderLine } from './tables.js';

/**
 * What one Galaxy location becomes, decided once so that the rules that each rewrite one kind of
 * directive agree: which header each uwsgi_param turns into, which of the §4.2 headers are still
 * missing, and where those go (in place of `include uwsgi_params`, else after the proxy_pass).
 */

export type ParamAction =
  | { readonly kind: 'scheme'; readonly directive: NginxDirective; readonly value: string; readonly note?: string }
  | { readonly kind: 'header'; readonly directive: NginxDirective; readonly header: string; readonly value: string; readonly note?: string }
  | { readonly kind: 'prefix'; readonly directive: NginxDirective; readonly prefix: string }
  | { readonly kind: 'drop'; readonly directive: NginxDirective; readonly why: string; readonly family: 'scheme' | 'param' };

export interface LocationPlan {
  readonly location: NginxDirective;
  readonly pass: PassSite;
  /** `include uwsgi_params` statements of the location, in order. */
  readonly uwsgiParams: readonly NginxDirective[];
  readonly params: readonly ParamAction[];
  /** `uwsgi_modifier1`/`uwsgi_modifier2` statements. */
  readonly modifiers: readonly NginxDirective[];
  /** §4.2 headers the location does not get otherwise. */
  readonly missing: readonly HeaderLine[];
  /** True when the uwsgi_params file was read (its HTTP_HOST decided the Host header). */
  readonly hostRead: boolean;
}

const plans = new WeakMap<NginxDirective, LocationPlan>();

export const isUwsgiParamsInclude = isParamsFileInclude;

/**
 * The Host value the location's uwsgi_params gave Galaxy as HTTP_HOST. nginx passes the client's
 * Host header itself ($http_host) unless the file sets HTTP_HOST: Debian's stable packages set
 * `uwsgi_param HTTP_HOST $host` (a security workaround, no port). When the file is in the
 * deployment it is read; otherwise the Galaxy docs' $http_host is used and the finding says so.
 */
export function hostFromParams(model: NginxModel, include: NginxDirective | undefined): { value: string; read: boolean } {
  if (!include) return { value: '$http_host', read: false };
  const inc = model.includeOf(include);
  const f = inc?.files[0];
  if (!f) return { value: '$http_host', read: false };
  for (const n of f.ast.nodes) {
    if (n.type === 'directive' && n.name === 'uwsgi_param' && n.args[0]?.value === 'HTTP_HOST' && n.args[1]) return { value: n.args[1].raw, read: true };
  }
  return { value: '$http_host', read: true };
}

/** `HTTP_X_FORWARDED_PROTO` → `X-Forwarded-Proto`; header-looking names stay as written. */
export function headerOfParam(name: string): { header: string; source?: string; wasHeader: boolean } | undefined {
  const known = PARAM_HEADERS[name];
  if (known) return { header: known.header, source: known.source, wasHeader: false };
  if (name.startsWith('HTTP_') && name.length > 5) {
    return {
      header: name
        .slice(5)
        .split('_')
        .map((w) => w.charAt(0) + w.slice(1).toLowerCase())
        .join('-'),
      wasHeader: false,
    };
  }
  if (/-/.test(name) || /[a-z]/.test(name)) return { header: name, wasHeader: true };
  return undefined;
}

function schemeValue(name: string, value: string): { value: string; note?: string } {
  if (name === 'UWSGI_SCHEME' || name === 'REQUEST_SCHEME') {
    if (/^(\$scheme|https?|\$[A-Za-z_]+)$/.test(value)) return { value };
    return { value: '$scheme', note: `its value "${value}" is not a scheme (a known bug of some templates), so the header gets $scheme` };
  }
  // HTTPS: uWSGI takes "on" or "1" as https (wsgi.url_scheme), anything else as http.
  if (value === 'on' || value === '1') return { value: 'https' };
  if (value === '$https') return { value: '$scheme' };
  if (value === 'off' || value === '' || value === '0') return { value: 'http' };
  return { value: '$scheme' };
}

export function locationPlan(d: Deployment, location: NginxDirective): LocationPlan | undefined {
  const cached = plans.get(location);
  if (cached) return cached;
  const model = nginxModel(d);
  const pass = model.galaxyPassIn(location);
  if (!pass) return undefined;
  const all = model.childrenOf(location);
  const children = all.filter((n): n is NginxDirective => n.type === 'directive');
  // Two lines in different Jinja2 branches (`{% if a %}…{% endif %}{% if b %}…`) are alternatives, not repeats.
  const branchBetween = (a: NginxDirective, b: NginxDirective): boolean =>
    a.file === b.file && all.some((n) => n.type === 'template' && n.tag === 'statement' && n.range.start > a.range.end && n.range.end < b.range.start);
  const headerFrom = new Map<string, NginxDirective>();
  const uwsgiParams = children.filter(isUwsgiParamsInclude);
  const modifiers = children.filter((c) => c.name === 'uwsgi_modifier1' || c.name === 'uwsgi_modifier2');
  const existing = new Set(children.filter((c) => c.name === 'proxy_set_header' && c.args[0]).map((c) => c.args[0]!.value.toLowerCase()));
  const params = children.filter((c) => c.name === 'uwsgi_param' && c.args[0]);

  const actions: ParamAction[] = [];
  const headers = new Set(existing);
  // Header params first, in order: the admin's explicit headers win over the §4.2 defaults.
  for (const p of params) {
    const name = p.args[0]!.value;
    if (SCHEME_PARAMS.includes(name) || name === 'SCRIPT_NAME') continue;
    const h = headerOfParam(name);
    const value = p.args[1]?.raw ?? '""';
    if (!h) {
      actions.push({
        kind: 'drop',
        directive: p,
        family: 'param',
        why: `${name} is a WSGI environ variable that HTTP cannot carry to Gunicorn; Galaxy derives it from the request itself`,
      });
      continue;
    }
    const earlier = headerFrom.get(h.header.toLowerCase());
    if (headers.has(h.header.toLowerCase()) && !(earlier && branchBetween(earlier, p))) {
      actions.push({ kind: 'drop', directive: p, family: 'param', why: `the location already sends the header ${h.header}` });
      continue;
    }
    headers.add(h.header.toLowerCase());
    headerFrom.set(h.header.toLowerCase(), p);
    actions.push({
      kind: 'header',
      directive: p,
      header: h.header,
      value,
      ...(h.wasHeader
        ? { note: `under uWSGI "${name}" was a WSGI environ variable, not a header Galaxy read; as proxy_set_header it becomes a real header` }
        : {}),
    });
  }
  // Scheme: what uWSGI used for wsgi.url_scheme (UWSGI_SCHEME, else HTTPS), REQUEST_SCHEME as a last resort.
  const schemeParams = params.filter((p) => SCHEME_PARAMS.includes(p.args[0]!.value));
  const rank = (p: NginxDirective): number => SCHEME_PARAMS.indexOf(p.args[0]!.value);
  const chosen = [...schemeParams].sort((a, b) => rank(a) - rank(b))[0];
  for (const p of schemeParams) {
    if (p === chosen && !headers.has('x-forwarded-proto')) {
      const v = schemeValue(p.args[0]!.value, p.args[1]?.value ?? '');
      actions.push({ kind: 'scheme', directive: p, value: v.value, ...(v.note ? { note: v.note } : {}) });
    } else {
      actions.push({ kind: 'drop', directive: p, family: 'scheme', why: 'X-Forwarded-Proto carries the scheme now' });
    }
  }
  if (chosen && !headers.has('x-forwarded-proto')) headers.add('x-forwarded-proto');
  for (const p of params) if (p.args[0]!.value === 'SCRIPT_NAME') actions.push({ kind: 'prefix', directive: p, prefix: p.args[1]?.value ?? '' });

  const host = hostFromParams(model, uwsgiParams[0]);
  const missing = GALAXY_PROXY_HEADERS.filter((h) => !headers.has(h.header.toLowerCase())).map((h) =>
    h.header === 'Host' && host.value !== h.value ? { ...h, value: host.value, source: `${h.source}; HTTP_HOST of the uwsgi_params this location includes` } : h,
  );
  const plan: LocationPlan = { location, pass, uwsgiParams, params: actions, modifiers, missing, hostRead: host.read };
  plans.set(location, plan);
  return plan;
}

/** `proxy_set_header H V;` lines. */
export function headerLines(hs: readonly { header: string; value: string }[]): string[] {
  return hs.map((h) => `proxy_set_header ${h.header} ${h.value};`);
}

/** Whose is a uwsgi_* directive: a Galaxy location's, or a shared scope's (server, http, a parent location). */
export type Owner =
  | { readonly kind: 'location'; readonly plan: LocationPlan }
  | { readonly kind: 'scope'; readonly galaxy: PassSite[]; readonly other: PassSite[]; readonly block: NginxDirective | undefined }
  | { readonly kind: 'other'; readonly pass: PassSite };

export function ownerOf(d: Deployment, x: NginxDirective): Owner {
  const model = nginxModel(d);
  const block = model.parentOf(x);
  const loc = block?.name === 'location' ? block : undefined;
  if (loc) {
    const own = model.passesIn(loc)[0];
    if (own) {
      const plan = own.verdict.galaxy ? locationPlan(d, loc) : undefined;
      return plan ? { kind: 'location', plan } : { kind: 'other', pass: own };
    }
  }
  const under = model.passesUnder(block);
  return { kind: 'scope', galaxy: under.filter((p) => p.verdict.galaxy), other: under.filter((p) => !p.verdict.galaxy), block };
}

export function describeScope(model: NginxModel, block: NginxDirective | undefined): string {
  if (!block) return 'at the top of the file';
  const arg = block.args.map((a) => a.raw).join(' ');
  return `in the ${block.name}${arg ? ` ${arg}` : ''} block`;
}

export type { NginxNode };
