import type { Address } from '../../src/core/model.js';
import type { Rule } from '../../src/core/rule.js';
import { formatBind, galaxyListeners, parseHostPort, proxyPassAddress, reaches, showAddress } from './addresses.js';
import { PROXY_SOURCES } from './fix.js';
import { nginxModel, showDirective } from './nginx-model.js';
import { directives } from './nginx-walk.js';

/** A proxy that points at a socket nobody listens on (after the migration) is a finding. */
export const nginxDeadTarget: Rule = {
  meta: {
    id: 'proxy/nginx-dead-target',
    description: 'proxy_pass to a socket nobody will listen on (a uWSGI socket, or not gunicorn\'s bind)',
    rationale:
      "The proxy target must equal the gunicorn bind written into gravity: (one model). A proxy_pass that speaks HTTP to " +
      "one of uWSGI's uwsgi-protocol sockets, or to a unix socket that neither uWSGI nor gunicorn of this deployment " +
      'creates, fails with 502 once the migration is done.',
    severity: 'error',
    fixable: false,
    sources: [PROXY_SOURCES.sockets, PROXY_SOURCES.nginxModern],
  },
  check(ctx) {
    const d = ctx.deployment;
    const model = nginxModel(d);
    const bind = d.decisions.gunicornAddress ?? (d.decisions.gunicornBind ? parseHostPort(d.decisions.gunicornBind) : undefined);
    const listeners = galaxyListeners(d);
    if (!bind && !listeners.length) return;
    const viaUwsgi = new Set(model.passes.map((p) => (p.target.kind === 'upstream' ? p.target.name : '')));
    const judge = (a: Address): string | undefined => {
      if (bind && reaches(a, bind)) return undefined;
      const l = listeners.find((x) => reaches(a, x.address));
      const bindText = bind ? `gunicorn binds ${formatBind(bind)}` : 'no gunicorn bind is known';
      if (l) {
        return l.protocol === 'uwsgi'
          ? `${showAddress(a)} is uWSGI's uwsgi-protocol socket (${l.option} in ${l.file}): HTTP cannot talk to it, and it goes away with uWSGI; ${bindText}`
          : `${showAddress(a)} is uWSGI's own ${l.option} listener, which goes away with uWSGI; ${bindText}`;
      }
      if (a.kind === 'unix' && /galaxy|gunicorn|uwsgi/i.test(a.path)) return `nobody in this deployment listens on ${showAddress(a)}; ${bindText}`;
      return undefined;
    };
    for (const file of model.files.values()) {
      for (const x of directives(file.ast.nodes)) {
        if (x.name !== 'proxy_pass' || !x.args[0] || x.args[0].templated || x.args[0].value.includes('$')) continue;
        const t = proxyPassAddress(x.args[0].value);
        if (!t) continue;
        const targets: Address[] = [];
        if (t.kind === 'upstream') {
          if (viaUwsgi.has(t.name)) continue;
          for (const s of model.upstreams.get(t.name)?.servers ?? []) if (s.target && (s.target.kind === 'unix' || s.target.kind === 'tcp')) targets.push(s.target);
        } else targets.push(t);
        for (const a of targets) {
          const why = judge(a);
          if (why) ctx.report({ file: file.path, range: x.range, message: `"${showDirective(x)}": ${why}` });
        }
      }
    }
  },
};
