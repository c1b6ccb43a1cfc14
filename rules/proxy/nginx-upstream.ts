import type { Edit } from '../../src/core/finding.js';
import type { Rule } from '../../src/core/rule.js';
import { galaxyListeners, gunicornTargetFor, listenerFor, nginxServerAddress, reaches, showAddress } from './addresses.js';
import { editFix, PROXY_SOURCES } from './fix.js';
import { nginxModel, showDirective } from './nginx-model.js';
import { removeStatement } from './text-edits.js';

/**
 * `upstream galaxy { server unix:/srv/galaxy/var/uwsgi.sock; }` used by Galaxy's uwsgi_pass → its
 * server becomes gunicorn's bind (proxy_pass http://galaxy then reaches gunicorn).
 */
export const nginxUpstream: Rule = {
  meta: {
    id: 'proxy/nginx-upstream',
    description: "an upstream of Galaxy's uWSGI sockets points at gunicorn's bind instead",
    rationale:
      'An upstream block lists where nginx connects; for Galaxy these were uWSGI sockets. After the migration gunicorn ' +
      'listens at gravity.gunicorn.bind, so the first Galaxy server line takes that address (its parameters kept) and other ' +
      'servers that were Galaxy uWSGI sockets go (one gunicorn bind; a Gravity gunicorn list would need one line each).',
    severity: 'error',
    fixable: true,
    sources: [PROXY_SOURCES.nginxModern, 'Gravity docs/advanced_usage.rst (upstream of gunicorn sockets)', PROXY_SOURCES.sockets],
  },
  check(ctx) {
    const d = ctx.deployment;
    const model = nginxModel(d);
    const usedByGalaxy = new Set(model.passes.filter((p) => p.verdict.galaxy && p.target.kind === 'upstream').map((p) => (p.target as { name: string }).name));
    for (const u of model.upstreams.values()) {
      const galaxyServers = u.servers.filter((s) => {
        const t = s.target;
        if (!t) return false;
        if (t.kind === 'unix' || t.kind === 'tcp') return galaxyListeners(d).length ? !!listenerFor(d, t) : usedByGalaxy.has(u.name);
        return usedByGalaxy.has(u.name);
      });
      if (!galaxyServers.length || (!usedByGalaxy.has(u.name) && !model.passes.some((p) => p.target.kind === 'upstream' && p.target.name === u.name))) continue;
      const first = galaxyServers[0]!;
      const t = gunicornTargetFor(d, first.target!);
      const addr = nginxServerAddress(t);
      if (t.address && first.target && (first.target.kind === 'unix' || first.target.kind === 'tcp') && reaches(first.target, t.address) && t.address.kind === first.target.kind && galaxyServers.length === 1) {
        // uWSGI's TCP socket and gunicorn's bind are the same address: the server line is already right.
        continue;
      }
      const edits: Edit[] = [{ start: first.directive.args[0]!.range.start, end: first.directive.args[0]!.range.end, text: addr }];
      for (const s of galaxyServers.slice(1)) edits.push(removeStatement(u.file.text, s.directive.range));
      const was = galaxyServers.map((s) => (s.target ? showAddress(s.target) : showDirective(s.directive))).join(', ');
      ctx.report({
        file: u.file.path,
        range: first.directive.range,
        ...(t.known ? {} : { severity: 'warning' as const }),
        message: `upstream "${u.name}" lists Galaxy's uWSGI socket${galaxyServers.length > 1 ? 's' : ''} (${was}); gunicorn listens at ${addr} (${t.why})`,
        fix: editFix(`server ${addr}`, u.file.path, edits),
      });
    }
  },
};
