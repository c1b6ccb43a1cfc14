import type { Edit } from '../../src/core/finding.js';
import type { Range } from '../../src/core/range.js';
import type { Rule } from '../../src/core/rule.js';
import type { ApacheSection } from '../../src/formats/apache/index.js';
import { gunicornBalancer } from './apache-balancer.js';
import { apacheDirectives, apacheModel, showApache, vhostOf } from './apache-model.js';
import { editFix, PROXY_SOURCES } from './fix.js';
import { insertLinesAfter, insertLinesBefore } from './text-edits.js';

/** `ProxyPreserveHost On` where Galaxy is proxied over HTTP (the uwsgi protocol passed Host by itself). */
/**
 * `ProxyPreserveHost On` on the line before the ProxyPass, or after it when the balancer block
 * goes exactly there: two insertions at one offset would be two fixes editing the same point.
 */
function preserveEdit(text: string, r: Range, taken: ReadonlySet<number> | undefined): Edit {
  const before = insertLinesBefore(text, r, ['ProxyPreserveHost On']);
  return taken?.has(before.start) ? insertLinesAfter(text, r, ['ProxyPreserveHost On']) : before;
}

export const apachePreserveHost: Rule = {
  meta: {
    id: 'proxy/apache-preserve-host',
    description: 'ProxyPreserveHost On where Galaxy is proxied over HTTP',
    rationale:
      'mod_proxy_uwsgi passed the client Host header on as HTTP_HOST; mod_proxy_http sends the backend name (localhost) ' +
      'unless ProxyPreserveHost is on, so Galaxy would build URLs for the wrong host. The Gunicorn-era docs set ' +
      '`ProxyPreserveHost on` ("needed for uploads").',
    severity: 'warning',
    fixable: true,
    sources: [PROXY_SOURCES.apache],
  },
  check(ctx) {
    const d = ctx.deployment;
    const model = apacheModel(d);
    const preserve = [...apacheDirectives(model, 'ProxyPreserveHost')];
    const done = new Set<ApacheSection | undefined>();
    // The balancer block of several gunicorn instances may be inserted at the same line start.
    const taken = gunicornBalancer(d, model, ctx.target)?.insertions;
    for (const s of model.sites) {
      if (!s.verdict.galaxy || s.node.type !== 'directive' || !/^proxypass(match)?$/i.test(s.node.name)) continue;
      if (done.has(s.vhost)) continue;
      done.add(s.vhost);
      const own = preserve.filter((p) => vhostOf(p.node) === s.vhost);
      const off = own.find((p) => p.node.args[0]?.value.toLowerCase() === 'off');
      if (own.length && !off) continue;
      if (off) {
        const a = off.node.args[0]!;
        ctx.report({
          file: off.file.path,
          range: off.node.range,
          message: `"${showApache(off.node)}": over HTTP the client's Host only reaches Galaxy with ProxyPreserveHost On`,
          fix: editFix('ProxyPreserveHost On', off.file.path, [{ start: a.range.start, end: a.range.end, text: 'On' }]),
        });
        continue;
      }
      ctx.report({
        file: s.file.path,
        range: s.node.range,
        message: `${s.vhost ? `<${showApache(s.vhost)}>` : 'this server'} proxies Galaxy over HTTP without ProxyPreserveHost On: Galaxy would see Host: localhost`,
        fix: editFix('ProxyPreserveHost On', s.file.path, [preserveEdit(s.file.text, s.node.range, taken?.get(s.file.path))]),
      });
    }
  },
};
