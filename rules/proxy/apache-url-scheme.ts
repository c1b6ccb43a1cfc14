import type { Rule } from '../../src/core/rule.js';
import { apacheDirectives, apacheModel, requote, showApache, vhostOf } from './apache-model.js';
import { editFix, PROXY_SOURCES } from './fix.js';

/** `RequestHeader set X-URL-SCHEME "%{REQUEST_SCHEME}e"` → `RequestHeader set "X-Forwarded-Proto" expr=%{REQUEST_SCHEME}`. */
export const apacheUrlScheme: Rule = {
  meta: {
    id: 'proxy/apache-url-scheme',
    description: 'RequestHeader set X-URL-SCHEME becomes X-Forwarded-Proto',
    rationale:
      'Galaxy under uWSGI learnt the scheme from X-URL-SCHEME; gunicorn reads X-Forwarded-Proto (secure_scheme_headers) from ' +
      'trusted addresses (--forwarded-allow-ips). The Gunicorn-era docs write `RequestHeader set "X-Forwarded-Proto" ' +
      'expr=%{REQUEST_SCHEME}`; a fixed value (https) is kept as it is.',
    severity: 'warning',
    fixable: true,
    sources: [PROXY_SOURCES.apache, PROXY_SOURCES.trust],
  },
  check(ctx) {
    const d = ctx.deployment;
    const model = apacheModel(d);
    for (const { file, node } of apacheDirectives(model, 'RequestHeader')) {
      const [action, header, value] = node.args;
      if (!action || !header || !/^(set|append|add|setifempty)$/i.test(action.value) || header.value.toLowerCase() !== 'x-url-scheme') continue;
      // Only where Galaxy is proxied (or nothing else on uwsgi:// shares the virtual host).
      const vh = vhostOf(node);
      const here = model.sites.filter((s) => s.vhost === vh);
      if (here.length && here.every((s) => !s.verdict.galaxy)) continue;
      const edits = [{ start: header.range.start, end: header.range.end, text: requote(header, 'X-Forwarded-Proto') }];
      if (value && /^%\{REQUEST_SCHEME\}e$/.test(value.value)) edits.push({ start: value.range.start, end: value.range.end, text: 'expr=%{REQUEST_SCHEME}' });
      ctx.report({
        file: file.path,
        range: node.range,
        message: `"${showApache(node)}": Gunicorn takes the scheme from X-Forwarded-Proto, not X-URL-SCHEME`,
        fix: editFix('X-Forwarded-Proto', file.path, edits),
        ...(d.decisions.forwardedAllowAll ? { notes: ['gunicorn listens on a unix socket, so it trusts this header only with --forwarded-allow-ips="*" (§4.5)'] } : {}),
      });
    }
  },
};
