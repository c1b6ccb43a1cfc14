import type { Rule } from '../../src/core/rule.js';
import { gunicornTargetFor, needsForwardedAllowIps, showAddress } from './addresses.js';
import { editFix, PROXY_SOURCES } from './fix.js';
import { locationPlan } from './nginx-location.js';
import { nginxModel, showDirective } from './nginx-model.js';
import { removeStatement, replaceStatement } from './text-edits.js';

/** `uwsgi_param UWSGI_SCHEME` (and HTTPS / REQUEST_SCHEME) → `proxy_set_header X-Forwarded-Proto`. */
export const nginxUwsgiScheme: Rule = {
  meta: {
    id: 'proxy/nginx-uwsgi-scheme',
    description: 'uwsgi_param UWSGI_SCHEME / HTTPS / REQUEST_SCHEME becomes proxy_set_header X-Forwarded-Proto',
    rationale:
      'uWSGI took wsgi.url_scheme from UWSGI_SCHEME, else from HTTPS ("on"/"1"). Gunicorn takes it from X-Forwarded-Proto, ' +
      'and only from addresses in --forwarded-allow-ips (default 127.0.0.1; a unix-socket bind needs "*", which the gravity: ' +
      'rewrite adds). The value is kept; a value that is not a scheme (`UWSGI_SCHEME /prefix`, a known template bug) becomes $scheme.',
    severity: 'warning',
    fixable: true,
    sources: [PROXY_SOURCES.nginxMapping, PROXY_SOURCES.trust],
  },
  check(ctx) {
    const d = ctx.deployment;
    const model = nginxModel(d);
    const seen = new Set<unknown>();
    for (const site of model.passes) {
      if (!site.verdict.galaxy || !site.location || seen.has(site.location)) continue;
      seen.add(site.location);
      const plan = locationPlan(d, site.location);
      if (!plan) continue;
      for (const a of plan.params) {
        const f = model.fileOf(a.directive);
        if (a.kind === 'scheme') {
          const line = `proxy_set_header X-Forwarded-Proto ${a.value};`;
          const notes: string[] = [
            'uWSGI also took the scheme from an X-Forwarded-Proto sent by the client (HTTP_X_FORWARDED_PROTO wins over UWSGI_SCHEME), ' +
              "so a TLS proxy in front of nginx could set it, and so could anyone. Over HTTP only this header counts, as the Galaxy docs write it; " +
              'if a TLS-terminating proxy sits in front of this nginx, pass its header on instead (proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto) and let only that proxy reach nginx',
          ];
          const t = site.target.kind === 'upstream' ? undefined : gunicornTargetFor(d, site.target);
          if (t && needsForwardedAllowIps(t)) {
            notes.push(`gunicorn ignores X-Forwarded-Proto from nginx unless nginx's address is in --forwarded-allow-ips; it connects to ${showAddress(t.address!)} (§4.5)`);
          } else if (d.decisions.forwardedAllowAll) {
            notes.push('gunicorn listens on a unix socket, so gravity.gunicorn.extra_args needs --forwarded-allow-ips="*" to trust this header (§2.1, §4.5)');
          }
          ctx.report({
            file: f.path,
            range: a.directive.range,
            message: `"${showDirective(a.directive)}" told uWSGI the scheme; Gunicorn reads it from X-Forwarded-Proto${a.note ? ` (${a.note})` : ''}`,
            fix: editFix(line, f.path, [replaceStatement(f.text, a.directive.range, [line])]),
            ...(notes.length ? { notes } : {}),
          });
        } else if (a.kind === 'drop' && a.family === 'scheme') {
          ctx.report({
            file: f.path,
            range: a.directive.range,
            message: `"${showDirective(a.directive)}" is a uWSGI variable; ${a.why}`,
            fix: editFix('remove', f.path, [removeStatement(f.text, a.directive.range)]),
          });
        }
      }
    }
  },
};
