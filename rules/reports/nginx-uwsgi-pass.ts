import type { Edit } from '../../src/core/finding.js';
import type { Address, Deployment } from '../../src/core/model.js';
import type { Rule } from '../../src/core/rule.js';
import { hasGravity1, type Target } from '../../src/core/target.js';
import type { NginxDirective } from '../../src/formats/nginx/index.js';
import { nginxHttpUrl, reaches } from '../proxy/addresses.js';
import { editFix, PROXY_SOURCES } from '../proxy/fix.js';
import { headerLines, headerOfParam, hostFromParams, isUwsgiParamsInclude } from '../proxy/nginx-location.js';
import { nginxModel, showDirective, type NginxModel, type PassSite } from '../proxy/nginx-model.js';
import { GALAXY_PROXY_HEADERS, SCHEME_PARAMS, UWSGI_TO_PROXY } from '../proxy/tables.js';
import { insertLinesAfter, removeStatement, replaceStatement } from '../proxy/text-edits.js';
import { isMovable, reportsListenerApp, type ReportsApp } from './model.js';

/**
 * The proxy location that reached Reports' uWSGI socket → `proxy_pass` over HTTP to the address
 * written into `gravity.reports.bind` (one model for both files). Gravity documents the prefix form
 * `location /<url_prefix>/ { proxy_pass http://<bind>/; }` (§1.8): gunicorn gets the path without
 * the prefix and Reports the prefix as SCRIPT_NAME, as uWSGI's `mount` + `manage-script-name` gave it.
 * What `include uwsgi_params` and `uwsgi_param` passed travels as headers (§4.2, §4.3, with the
 * proxy rules' own tables); other uwsgi_* directives become their proxy_* twins.
 */
export const nginxReportsPass: Rule = {
  meta: {
    id: 'reports/nginx-uwsgi-pass',
    description: "nginx uwsgi_pass to the Reports app becomes proxy_pass http:// to gravity.reports.bind",
    rationale:
      'Under Gravity, Reports is a gunicorn speaking HTTP at `gravity.reports.bind`; a uwsgi_pass to its old uWSGI socket reaches nothing. ' +
      'The location is rewritten only when its target is the listener of a Reports uWSGI configuration of the deployment and ' +
      'reports/uwsgi-to-gravity moves that configuration (the two fixes describe one cutover).',
    severity: 'error',
    fixable: true,
    sources: ['docs/galaxy-target.md §1.8 (nginx form)', PROXY_SOURCES.nginxModern, PROXY_SOURCES.nginxMapping, PROXY_SOURCES.nginxModules],
    galaxy: { from: '23.0' },
  },
  check(ctx) {
    if (!hasGravity1(ctx.target)) return;
    const d = ctx.deployment;
    const model = nginxModel(d);
    for (const site of model.passes) {
      const app = reportsPassApp(d, ctx.target, site);
      if (!app?.bind) continue;
      const { edits, notes } = rewrite(model, site, app, app.bind);
      const url = edits[1]!.text;
      ctx.report({
        file: site.file.path,
        range: site.directive.range,
        message: `"${showDirective(site.directive)}" reached Reports' uWSGI socket; Gravity runs Reports as a gunicorn speaking HTTP at \`gravity.reports.bind\`: "proxy_pass ${url}"`,
        ...(notes.length ? { notes } : {}),
        fix: editFix(`proxy_pass ${url}`, site.file.path, edits),
      });
    }
  },
};

/**
 * The Reports app a uwsgi_pass reaches, when this rule rewrites it (proxy/nginx-uwsgi-pass then
 * leaves the site to it): a concrete address that is the listener of a Reports configuration which
 * reports/uwsgi-to-gravity moves into Gravity.
 */
export function reportsPassApp(d: Deployment, target: Target, site: PassSite): ReportsApp | undefined {
  if (site.verdict.galaxy || !hasGravity1(target)) return undefined;
  const t = site.target;
  if (t.kind !== 'unix' && t.kind !== 'tcp') return undefined;
  const app = reportsListenerApp(d, target, (l) => reaches(t, l));
  return app?.bind && isMovable(app) && app.destination.kind !== 'none' ? app : undefined;
}

function rewrite(model: NginxModel, site: PassSite, app: ReportsApp, bind: Address): { edits: Edit[]; notes: string[] } {
  const { file, directive: x } = site;
  const text = file.text;
  const notes: string[] = [];
  const path = site.location?.args[site.location.args.length - 1]?.value;
  const prefix = app.urlPrefix;
  // §1.8: `location /prefix/ { proxy_pass http://bind/; }` strips the prefix; without a prefix the path goes as it is.
  let uri = '';
  if (prefix && path === `${prefix}/` && site.location?.args.length === 1) uri = '/';
  else if (prefix) notes.push(`Gravity documents \`location ${prefix}/ { proxy_pass http://<bind>/; }\` for a Reports \`url_prefix\` (nginx strips the prefix, Reports gets it as SCRIPT_NAME); this location is \`${path ?? '?'}\`, so the path is passed as it is: check that Reports' links work`);
  const base = nginxHttpUrl({ address: bind, known: true, why: '' });
  const url = uri ? `${base}${bind.kind === 'unix' ? ':' : ''}${uri}` : base;
  const edits: Edit[] = [
    { start: x.nameWord.range.start, end: x.nameWord.range.end, text: 'proxy_pass' },
    { start: x.args[0]!.range.start, end: x.args[0]!.range.end, text: url },
  ];
  if (!site.location || site.location.file !== file.path) return { edits, notes };

  const children = model.childrenOf(site.location).filter((n): n is NginxDirective => n.type === 'directive' && n.file === file.path);
  const sent = new Set(children.filter((c) => c.name === 'proxy_set_header' && c.args[0]).map((c) => c.args[0]!.value.toLowerCase()));
  const includes = children.filter(isUwsgiParamsInclude);
  for (const p of children.filter((c) => c.name === 'uwsgi_param' && c.args[0])) {
    const name = p.args[0]!.value;
    const value = p.args[1]?.raw ?? '$scheme';
    if (SCHEME_PARAMS.includes(name) && !sent.has('x-forwarded-proto')) {
      sent.add('x-forwarded-proto');
      const scheme = name === 'HTTPS' ? (/^(on|1)$/.test(value) ? 'https' : '$scheme') : /^(\$[A-Za-z_]+|https?)$/.test(value) ? value : '$scheme';
      edits.push(replaceStatement(text, p.range, [`proxy_set_header X-Forwarded-Proto ${scheme};`]));
      continue;
    }
    const h = SCHEME_PARAMS.includes(name) ? undefined : headerOfParam(name);
    if (h && !sent.has(h.header.toLowerCase())) {
      sent.add(h.header.toLowerCase());
      edits.push(replaceStatement(text, p.range, [`proxy_set_header ${h.header} ${value};`]));
      continue;
    }
    edits.push(removeStatement(text, p.range));
    notes.push(`"${showDirective(p)}" removed: HTTP cannot carry this uWSGI variable${h ? ' (the header is already sent)' : ''}`);
  }
  for (const c of children) {
    const twin = UWSGI_TO_PROXY[c.name];
    if (twin) edits.push({ start: c.nameWord.range.start, end: c.nameWord.range.end, text: twin.proxy });
    else if (c.name === 'uwsgi_modifier1' || c.name === 'uwsgi_modifier2') edits.push(removeStatement(text, c.range));
  }
  // Reports needs no websocket Upgrade; the other §4.2 headers are what uwsgi_params gave it.
  const host = hostFromParams(model, includes[0]);
  const missing = GALAXY_PROXY_HEADERS.filter((h) => h.header !== 'Upgrade' && !sent.has(h.header.toLowerCase())).map((h) => (h.header === 'Host' ? { ...h, value: host.value } : h));
  const lines = headerLines(missing);
  if (includes.length) {
    edits.push(lines.length ? replaceStatement(text, includes[0]!.range, lines) : removeStatement(text, includes[0]!.range));
    for (const extra of includes.slice(1)) edits.push(removeStatement(text, extra.range));
  } else if (lines.length) {
    edits.push(insertLinesAfter(text, site.statement.range, lines));
  }
  return { edits, notes };
}
