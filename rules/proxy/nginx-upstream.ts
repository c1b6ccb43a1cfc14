import type { Edit } from '../../src/core/finding.js';
import type { GunicornInstance } from '../../src/core/model.js';
import type { Rule, RuleContext } from '../../src/core/rule.js';
import { galaxyListeners, gunicornTargetFor, listenerFor, nginxServerAddress, reaches, showAddress } from './addresses.js';
import { editFix, PROXY_SOURCES } from './fix.js';
import { nginxModel, showDirective, type Upstream, type UpstreamServer } from './nginx-model.js';
import { insertLinesAfter, removeStatement } from './text-edits.js';
import { plannedInstances } from '../../src/model/zerg.js';

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
      'servers that were Galaxy uWSGI sockets go. When gravity: runs a gunicorn list (zerg mode), the upstream lists every bind instead, ' +
      'so nginx keeps serving while `galaxyctl graceful` restarts the instances one at a time.',
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
      const instances = plannedInstances(d.decisions, ctx.target);
      if (instances.length > 1) {
        reportInstances(ctx, u, galaxyServers, instances);
        continue;
      }
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

/**
 * Several gunicorn instances (zerg mode → a `gravity.gunicorn` list): the upstream lists every
 * bind, in the order of the list, each with the first Galaxy server line's parameters; the other
 * Galaxy server lines go. Nothing changes when it already does.
 */
function reportInstances(ctx: RuleContext, u: Upstream, galaxyServers: readonly UpstreamServer[], instances: readonly GunicornInstance[]): void {
  const first = galaxyServers[0]!;
  const wanted = instances.map((i) => nginxServerAddress({ address: i.address, known: true, why: '' }));
  const have = galaxyServers.map((s) => s.directive.args[0]!.value);
  if (have.length === wanted.length && have.every((h, i) => h === wanted[i])) return;
  const text = u.file.text;
  const params = first.directive.args.slice(1).map((a) => ` ${a.raw}`).join('');
  const edits: Edit[] = [{ start: first.directive.args[0]!.range.start, end: first.directive.args[0]!.range.end, text: wanted[0]! }];
  edits.push(insertLinesAfter(text, first.directive.range, wanted.slice(1).map((w) => `server ${w}${params};`)));
  for (const s of galaxyServers.slice(1)) edits.push(removeStatement(text, s.directive.range));
  const was = galaxyServers.map((s) => (s.target ? showAddress(s.target) : showDirective(s.directive))).join(', ');
  ctx.report({
    file: u.file.path,
    range: first.directive.range,
    message: `upstream "${u.name}" lists Galaxy's uWSGI socket${galaxyServers.length > 1 ? 's' : ''} (${was}); gravity: runs ${instances.length} gunicorn instances, which \`galaxyctl graceful\` restarts one at a time, so the upstream lists every bind (${wanted.join(', ')})`,
    fix: editFix(`server ${wanted.join('; server ')}`, u.file.path, edits),
  });
}
