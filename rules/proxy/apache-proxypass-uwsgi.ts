import type { Rule } from '../../src/core/rule.js';
import { apacheHttpUrl, gunicornTargetFor } from './addresses.js';
import { apacheDirectives, apacheModel, requote, showApache } from './apache-model.js';
import { editFix, PROXY_SOURCES } from './fix.js';

/**
 * `ProxyPass / uwsgi://127.0.0.1:4001/` and `ProxyPass / unix:///…/uwsgi.sock|uwsgi://` → the http
 * forms at gunicorn's bind, the prefix kept in the path (§4.4, §4.6). Also ProxyPassMatch,
 * ProxyPassReverse, BalancerMember, SetHandler "proxy:…" and <Proxy uwsgi://…>.
 */
export const apacheProxyPassUwsgi: Rule = {
  meta: {
    id: 'proxy/apache-proxypass-uwsgi',
    description: "Apache ProxyPass … uwsgi:// to Galaxy becomes the http:// form at gunicorn's bind",
    rationale:
      'mod_proxy_uwsgi speaks the uwsgi protocol, which Gunicorn does not. The Galaxy docs for Gunicorn use ' +
      '`ProxyPass / unix:/srv/galaxy/var/gunicorn.sock|http://localhost/` or `ProxyPass / http://localhost:4001/`, and at a ' +
      'prefix `ProxyPass /galaxy …|http://localhost/galaxy`: the prefix stays in the path and galaxy_url_prefix handles it. ' +
      "The socket is the one written into gravity.gunicorn.bind. A uwsgi:// URL to another application is reported and left.",
    severity: 'error',
    fixable: true,
    sources: [PROXY_SOURCES.apache, PROXY_SOURCES.prefix, PROXY_SOURCES.sockets],
  },
  check(ctx) {
    const d = ctx.deployment;
    const model = apacheModel(d);
    const loadsHttp = [...apacheDirectives(model, 'LoadModule')].some((l) => l.node.args[0]?.value === 'proxy_http_module');
    let noted = false;
    for (const s of model.sites) {
      if (!s.verdict.galaxy) {
        ctx.report({
          file: s.file.path,
          range: s.node.type === 'section' ? s.node.open : s.node.range,
          severity: s.verdict.suspect ? 'warning' : 'info',
          message: `"${showApache(s.node)}" is not taken as Galaxy's (${s.verdict.why}), so it is left as it is; whatever serves it still needs mod_proxy_uwsgi and its uWSGI server`,
        });
        continue;
      }
      const t = gunicornTargetFor(d, s.url.target);
      const isPass = s.node.type === 'directive' && /^proxypass(reverse)?$/i.test(s.node.name);
      const keepPrefix = isPass && s.localPath !== undefined && (s.url.path === '' || s.url.path === '/');
      const path = keepPrefix ? s.localPath! : s.url.path;
      const url = s.url.handlerPrefix + apacheHttpUrl(t, path);
      const notes: string[] = [];
      if (!loadsHttp && !noted) {
        noted = true;
        notes.push('http:// proxying needs mod_proxy_http: on Debian `a2enmod proxy_http` (and `a2dismod proxy_uwsgi` once nothing uses it), elsewhere LoadModule proxy_http_module');
      }
      if (!s.verdict.confident) notes.push(`taken as Galaxy's because ${s.verdict.why}`);
      ctx.report({
        file: s.file.path,
        range: s.node.type === 'section' ? s.node.open : s.node.range,
        ...(t.known ? {} : { severity: 'warning' as const }),
        message: `"${showApache(s.node)}" speaks the uwsgi protocol, which Gunicorn does not; use ${url} (${t.why})`,
        fix: editFix(url, s.file.path, [{ start: s.word.range.start, end: s.word.range.end, text: requote(s.word, url) }]),
        ...(notes.length ? { notes } : {}),
      });
    }
  },
};
