import type { UwsgiOption } from '../../src/core/model.js';
import type { Rule } from '../../src/core/rule.js';
import { chooseBind, listenersOf } from '../../src/model/decide.js';
import { clean, formatAddress, hasReference } from '../../src/model/uwsgi-options.js';
import type { GravityDraft } from './draft.js';
import { reportTable, type ApplyEnv, type OptionRow, type Outcome } from './table.js';

/** gunicorn's flag that trusts X-Forwarded-* from any peer: safe on a unix socket only the proxy reaches. */
export const FORWARDED = '--forwarded-allow-ips="*"';

/**
 * A listening option: the one gunicorn takes over becomes `gravity.gunicorn.bind` (§2.1); the
 * others are reported, because gunicorn under Gravity binds one address.
 */
function listener(opt: UwsgiOption, draft: GravityDraft, env: ApplyEnv): Outcome {
  const all = listenersOf(env.config);
  const mine = all.find((l) => l.range.start === opt.range.start && l.file === opt.file);
  if (!mine) {
    return {
      action: 'review',
      message: `\`${opt.key}\` needs review: its value is not an address galaxy-migrate can read${hasReference(opt.value) ? ' (it uses a uWSGI placeholder)' : ''}; set \`gravity.gunicorn.bind\` by hand`,
    };
  }
  const chosen = chooseBind(all);
  const was = `\`${opt.key}: ${clean(opt.value).trim()}\``;
  if (!chosen || chosen.from !== mine) {
    return {
      action: 'review',
      message: `${was} needs review: gunicorn binds one address under Gravity, \`${chosen ? formatAddress(chosen.address) : '?'}\` (from \`${chosen?.from.option ?? '?'}\`); this listener is not carried over. Serve it through the proxy, or add \`--bind\` to \`gravity.gunicorn.extra_args\` (never together with --forwarded-allow-ips="*" on a TCP port)`,
    };
  }
  const bind = formatAddress(chosen.address);
  const existing = env.primary ? env.decisions.gunicornBind : undefined;
  if (existing && existing !== bind) {
    return { action: 'map', message: `${was}: \`gravity.gunicorn.bind\` is already \`${existing}\` in the gravity: section, which wins; point the proxy at it` };
  }
  draft.gunicorn.set('bind', bind);
  if (chosen.address.kind === 'unix') {
    draft.addExtraArg(FORWARDED);
    return {
      action: 'map',
      message:
        `${was} → \`gravity.gunicorn.bind: ${bind}\` with \`extra_args: '${FORWARDED}'\`: gunicorn speaks HTTP on the socket, not the uwsgi protocol, ` +
        'so the proxy must switch to HTTP proxying; the socket is trusted for X-Forwarded-* headers, which a unix socket reached only by the proxy allows',
    };
  }
  if (mine.protocol === 'https') {
    const parts = clean(opt.value).split(',');
    const [cert, key] = [parts[1]?.trim(), parts[2]?.trim()];
    if (cert) draft.addExtraArg(`--certfile ${cert}`);
    if (key) draft.addExtraArg(`--keyfile ${key}`);
    return {
      action: 'review',
      message: `${was} → \`gravity.gunicorn.bind: ${bind}\` with \`--certfile\`/\`--keyfile\` in extra_args (Gravity has no TLS keys; \`certfile:\` under \`gunicorn:\` is ignored); terminating TLS at a proxy is the documented way`,
    };
  }
  const note = chosen.address.kind === 'tcp' && mine.address.kind === 'tcp' && mine.address.host === '' ? ' (an empty host means every interface; Gravity needs it explicit)' : '';
  return {
    action: 'map',
    message: `${was} → \`gravity.gunicorn.bind: ${bind}\`${note}${mine.protocol === 'uwsgi' ? '; gunicorn speaks HTTP there, so the proxy must switch from uwsgi_pass to proxy_pass' : ''}`,
  };
}

/** `chmod-socket: 660` → gunicorn `--umask 0117`: gunicorn sets the umask only around bind() (§2.1, GUNI sock.py). */
function chmodSocket(opt: UwsgiOption, draft: GravityDraft, env: ApplyEnv): Outcome {
  const bind = chooseBind(listenersOf(env.config));
  if (bind?.address.kind !== 'unix') return { action: 'drop', message: `\`${opt.key}\` dropped: gunicorn does not listen on a unix socket here` };
  const v = clean(opt.value).trim();
  const mode = v === '' || /^(true|1)$/i.test(v) ? 0o666 : /^[0-7]{3,4}$/.test(v) ? parseInt(v, 8) : undefined;
  if (mode === undefined) return { action: 'review', message: `\`${opt.key}\` needs review: its mode is not an octal number; set gunicorn's \`--umask\` in extra_args by hand` };
  const umask = (0o777 & ~mode).toString(8).padStart(3, '0');
  draft.addExtraArg(`--umask 0${umask}`);
  return {
    action: 'map',
    message: `\`${opt.key}: ${v || 'true'}\` → \`--umask 0${umask}\` in \`gravity.gunicorn.extra_args\`: gunicorn applies its umask while it creates the socket (its default, 0, leaves the socket mode 0777)`,
  };
}

/** GX-SCALE-*, GX-CM-UW and GUNI via docs/galaxy-target.md §2.1. */
export const LISTENER_TABLE: readonly OptionRow[] = [
  { match: ['socket', 'uwsgi-socket', 'http-socket', 'http', 'https', 'https-socket'], action: 'map', to: 'gravity.gunicorn.bind', why: 'the address gunicorn binds', source: 'GX-SCALE-GU, GUNI util.parse_address (galaxy-target.md §2.1)', apply: listener },
  { match: ['shared-socket'], action: 'review', why: 'it bound a privileged port as root before dropping privileges; Gravity does not do that: put nginx or Apache on ports below 1024 and proxy to gunicorn', source: 'GX-SCALE-UW, GX-SCALE-GU (galaxy-target.md §2.1)', showValue: true },
  { match: ['chmod-socket'], action: 'map', to: 'gravity.gunicorn.extra_args', why: 'socket permissions', source: 'GX-SCALE-GU, GUNI sock.py UnixSocket.bind (galaxy-target.md §2.1)', showValue: true, apply: chmodSocket },
  { match: ['chown-socket'], action: 'review', why: 'gunicorn chowns its socket only to its own --user/--group; give the proxy access through the socket directory\'s group and permissions instead', source: 'GUNI sock.py (galaxy-target.md §2.1)', showValue: true },
  {
    match: ['listen'],
    action: 'map',
    to: 'gravity.gunicorn.extra_args',
    why: 'the socket backlog is gunicorn\'s --backlog',
    source: 'GUNI 23.0.0 (galaxy-target.md §2.1)',
    showValue: true,
    apply: (opt, draft) => {
      const n = clean(opt.value).trim();
      if (/^\d+$/.test(n)) draft.addExtraArg(`--backlog ${n}`);
      else return { action: 'review', message: `\`listen\` needs review: not a number; set \`--backlog\` by hand` };
    },
  },
  { match: ['http-auto-gzip'], action: 'move', to: 'proxy', why: 'compress at the proxy (nginx `gzip on;`, Apache `AddOutputFilterByType DEFLATE`)', source: 'GX-CM-UW, GX-NGINX-GU (galaxy-target.md §2.1)' },
  { match: ['socket-timeout', 'http-timeout'], action: 'move', to: 'proxy', why: 'I/O timeouts are the proxy\'s (`proxy_read_timeout` / `ProxyTimeout`)', source: 'GX-NGINX-GU, GX-APACHE-GU (galaxy-target.md §2.1)', showValue: true },
  { match: ['http-to-https'], action: 'move', to: 'proxy', why: 'redirect HTTP to HTTPS at the proxy (`return 301 https://$host$request_uri;` / `Redirect permanent`)', source: 'GX-NGINX-GU, GX-APACHE-GU (galaxy-target.md §2.1)', showValue: true },
  { match: ['http-websockets', 'http-keepalive', 'so-keepalive', 'http-manage-expect', 'http-chunked-input', 'http-modifier1', 'http-modifier2'], action: 'drop', why: "options of uWSGI's HTTP router; gunicorn's uvicorn workers handle keep-alive, chunked input and WebSocket upgrades themselves (the proxy must pass the Upgrade headers)", source: 'GX-NGINX-GU, UVW (galaxy-target.md §2.1, §4.2)' },
  { match: ['fastcgi-socket', 'scgi-socket', 'http-to', 'protocol', 'http-socket-protocol', 'abstract-socket'], action: 'review', why: 'gunicorn under Gravity serves HTTP on one address (`gravity.gunicorn.bind`); this listener or protocol has no counterpart', source: 'GRAV settings, GUNI (galaxy-target.md §2.1)', showValue: true },
  { match: ['vacuum'], action: 'drop', why: 'gunicorn removes its unix socket itself when it stops', source: 'GUNI sock.py (galaxy-target.md §2.1)' },
];

export const listenersRule: Rule = {
  meta: {
    id: 'uwsgi/listeners',
    description: 'uWSGI sockets and HTTP listeners → gravity.gunicorn.bind (unix socket with --forwarded-allow-ips="*")',
    rationale:
      'Gunicorn under Gravity binds one address, given as `gravity.gunicorn.bind`. A uWSGI unix socket becomes `unix:<same directory>/gunicorn.sock` ' +
      'and gunicorn needs `--forwarded-allow-ips="*"` to trust the proxy on it; a TCP socket keeps its address; `:8080` becomes `0.0.0.0:8080`. ' +
      'gunicorn speaks HTTP, so the proxy must move from uwsgi_pass to proxy_pass (see the proxy rules, which read the same bind).',
    severity: 'info',
    fixable: false,
    sources: ['docs/galaxy-target.md §2.1, §4.5', 'GX-SCALE-GU', 'GUNI util.parse_address, sock.py'],
    galaxy: { from: '22.01' },
  },
  check: (ctx) => reportTable(ctx, LISTENER_TABLE),
};
