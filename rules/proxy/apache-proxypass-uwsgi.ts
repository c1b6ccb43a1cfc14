import type { Rule } from '../../src/core/rule.js';
import type { Fix } from '../../src/core/finding.js';
import { apacheHttpUrl, gunicornTargetFor } from './addresses.js';
import { gunicornBalancer, isBalanced, type GunicornBalancer } from './apache-balancer.js';
import { apacheDirectives, apacheModel, requote, showApache, type UwsgiSite } from './apache-model.js';
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
      "The socket is the one written into gravity.gunicorn.bind. A uwsgi:// URL to another application is reported and left. " +
      'When gravity.gunicorn is a list of instances (a uWSGI zerg setup), Galaxy\'s ProxyPass names `balancer://galaxy` and a ' +
      '`<Proxy "balancer://galaxy">` block lists one BalancerMember per bind, so that Apache keeps serving from one instance ' +
      'while `galaxyctl graceful` restarts another; mod_proxy_balancer, mod_lbmethod_byrequests and mod_slotmem_shm must be enabled.',
    severity: 'error',
    fixable: true,
    sources: [PROXY_SOURCES.apache, PROXY_SOURCES.prefix, PROXY_SOURCES.sockets, 'docs/galaxy-target.md §2.3 (zerg mode) [GRAV docs/advanced_usage.rst]', 'Apache docs: mod_proxy (BalancerMember, unix: URLs), mod_proxy_balancer'],
  },
  check(ctx) {
    const d = ctx.deployment;
    const model = apacheModel(d);
    const loadsHttp = [...apacheDirectives(model, 'LoadModule')].some((l) => l.node.args[0]?.value === 'proxy_http_module');
    // Several gunicorn instances (zerg mode): Galaxy's ProxyPass lines go to one balancer of every bind.
    const balancer = gunicornBalancer(d, model, ctx.target);
    let noted = false;
    let modulesNoted = false;
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
      const balanced = balancer && isBalanced(s) ? balancer : undefined;
      const url = balanced ? `balancer://${balanced.name}${path}` : s.url.handlerPrefix + apacheHttpUrl(t, path);
      const notes: string[] = [];
      if (!loadsHttp && !noted) {
        noted = true;
        notes.push('http:// proxying needs mod_proxy_http: on Debian `a2enmod proxy_http` (and `a2dismod proxy_uwsgi` once nothing uses it), elsewhere LoadModule proxy_http_module');
      }
      if (balanced && !modulesNoted && balanced.missingModules.length) {
        modulesNoted = true;
        notes.push(modulesNote(balanced));
      }
      if (balanced?.carriers.has(s) && balanced.instances.some((i) => i.address.kind === 'unix')) {
        notes.push(
          'each unix-socket BalancerMember names a host of its own (http://gunicorn0, http://gunicorn1, …), never resolved: Apache takes members that differ only in the socket for one worker and would send every request to the first',
        );
      }
      if (balancer && !balanced) {
        notes.push(
          `gravity: runs ${balancer.instances.length} gunicorn instances; this line reaches only the first (${balancer.instances[0]!.bind}), so it is down while \`galaxyctl graceful\` restarts that one: point it at balancer://${balancer.name} where Apache allows it`,
        );
      }
      if (!s.verdict.confident) notes.push(`taken as Galaxy's because ${s.verdict.why}`);
      const why = balanced ? balancerWhy(balanced, s) : t.why;
      const fix = editFix(url, s.file.path, [{ start: s.word.range.start, end: s.word.range.end, text: requote(s.word, url) }]);
      ctx.report({
        file: s.file.path,
        range: s.node.type === 'section' ? s.node.open : s.node.range,
        ...(t.known ? {} : { severity: 'warning' as const }),
        message: `"${showApache(s.node)}" speaks the uwsgi protocol, which Gunicorn does not; use ${url} (${why})`,
        fix: balanced ? withBlock(fix, balanced, s) : fix,
        ...(notes.length ? { notes } : {}),
      });
    }
  },
};

function balancerWhy(b: GunicornBalancer, s: UwsgiSite): string {
  const where = b.carriers.has(s) ? 'this fix adds it' : 'the fix of the first Galaxy ProxyPass of this virtual host adds it';
  return `balancer "${b.name}" lists the binds of the ${b.instances.length} gunicorn instances in gravity: (${b.instances.map((i) => i.bind).join(', ')}); ${where}`;
}

/** The modules balancer:// needs that the files read do not load, as the admin enables them. */
function modulesNote(b: GunicornBalancer): string {
  const mods = b.missingModules;
  return (
    `balancer://${b.name} needs ${mods.map((m) => `mod_${m}`).join(', ')} loaded, which this file cannot do itself ` +
    `(apache2 -t accepts it without them, but Apache then refuses to start): on Debian \`a2enmod ${mods.join(' ')}\`, ` +
    `elsewhere ${mods.map((m) => `LoadModule ${m}_module`).join(', ')}`
  );
}

/** The fix, with the edit that adds the `<Proxy>` block when this site carries it. */
function withBlock(fix: Fix, b: GunicornBalancer, s: UwsgiSite): Fix {
  const block = b.carriers.get(s);
  if (!block) return fix;
  return {
    description: `${fix.description} (and the balancer of the gunicorn instances)`,
    changes: fix.changes.map((c) => (c.kind === 'edit' && c.file === s.file.path ? { ...c, edits: [block, ...c.edits] } : c)),
  };
}
