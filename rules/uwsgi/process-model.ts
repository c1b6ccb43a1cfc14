import type { UwsgiOption } from '../../src/core/model.js';
import type { Rule } from '../../src/core/rule.js';
import { hasGravity1 } from '../../src/core/target.js';
import { clean, isTrue, wholeNumber } from '../../src/model/uwsgi-options.js';
import type { GravityDraft } from './draft.js';
import { reportTable, type ApplyEnv, type OptionRow, type Outcome } from './table.js';

const number = (opt: UwsgiOption): number | undefined => wholeNumber(opt.value);

function workers(opt: UwsgiOption, draft: GravityDraft): Outcome {
  const n = number(opt);
  if (n === undefined || n < 1) return { action: 'review', message: `\`${opt.key}\` needs review: not a whole number; set \`gravity.gunicorn.workers\` by hand` };
  draft.gunicorn.set('workers', n);
  return { action: 'map', message: `\`${opt.key}: ${n}\` → \`gravity.gunicorn.workers: ${n}\`: the number of web worker processes` };
}

function harakiri(opt: UwsgiOption, draft: GravityDraft): Outcome {
  const n = number(opt);
  if (n === undefined) return { action: 'review', message: '`harakiri` needs review: not a whole number; set `gravity.gunicorn.timeout` by hand' };
  draft.gunicorn.set('timeout', n);
  return {
    action: 'map',
    message: `\`harakiri: ${n}\` → \`gravity.gunicorn.timeout: ${n}\`, the closest match: gunicorn kills a worker silent for that long, not one slow request (Gravity's default is 300)`,
  };
}

function lazyApps(opt: UwsgiOption, draft: GravityDraft): Outcome {
  if (!isTrue(clean(opt.value).trim())) return { action: 'drop', message: `\`${opt.key}\` dropped: it is off, and gunicorn preloads the app by default, as uWSGI did` };
  draft.gunicorn.set('preload', false);
  return { action: 'map', message: `\`${opt.key}\` → \`gravity.gunicorn.preload: false\`: load Galaxy in each worker rather than before forking` };
}

function flagArg(name: string) {
  return (opt: UwsgiOption, draft: GravityDraft): Outcome => {
    const n = number(opt);
    if (n === undefined) return { action: 'review', message: `\`${opt.key}\` needs review: not a whole number; add \`${name}\` to extra_args by hand` };
    draft.addExtraArg(`${name} ${n}`);
    return { action: 'map', message: `\`${opt.key}: ${n}\` → \`${name} ${n}\` in \`gravity.gunicorn.extra_args\`` };
  };
}

function mercy(opt: UwsgiOption, draft: GravityDraft, env: ApplyEnv): Outcome {
  const n = number(opt);
  if (n === undefined) return { action: 'review', message: `\`${opt.key}\` needs review: not a whole number` };
  if (opt.key === 'mule-reload-mercy') {
    if (!hasGravity1(env.target)) {
      return { action: 'review', message: `\`mule-reload-mercy: ${n}\` needs review: Gravity before 1.0 (Galaxy < 23.0) has no per-handler stop timeout; set the process manager's stop wait (supervisord \`stopwaitsecs\`, systemd \`TimeoutStopSec\`) to at least ${n}` };
    }
    return {
      action: n > 65 ? 'review' : 'drop',
      message:
        n > 65
          ? `\`mule-reload-mercy: ${n}\` needs review: handlers get Gravity's \`stop_timeout\` (65 s) to stop; set \`gravity.handlers.<name>.stop_timeout: ${n}\` if job runners need longer`
          : `\`mule-reload-mercy: ${n}\` dropped: Gravity gives handlers 65 s to stop (\`handlers.<name>.stop_timeout\`), which covers it`,
    };
  }
  draft.addExtraArg(`--graceful-timeout ${n}`);
  return {
    action: 'map',
    message:
      `\`${opt.key}: ${n}\` → \`--graceful-timeout ${n}\` in \`gravity.gunicorn.extra_args\`` +
      (n > 65 ? `; Gravity stops gunicorn after \`gunicorn.stop_timeout\` (65 s), raise it to more than ${n} (Gravity ≥ 1.0)` : ''),
    ...(n > 65 ? { severity: 'warning' as const } : {}),
  };
}

function hook(opt: UwsgiOption): Outcome {
  const v = clean(opt.value).trim();
  if (opt.key === 'hook-master-start' && /^unix_signal:\d+\s+(gracefully_)?kill_them_all$/.test(v)) {
    return { action: 'drop', message: `\`hook-master-start: ${v}\` dropped: it only worked around uWSGI's signal handling; gunicorn and supervisord/systemd stop on SIGTERM normally` };
  }
  return {
    action: 'review',
    message: `\`${opt.key}\` needs review: it runs an action at a point of uWSGI's life cycle, which no Gravity service has; move it to the process manager (e.g. systemd \`ExecStartPre=\`) if it is still needed`,
  };
}

/** GX-SCALE-UW/GU, GX-CM-UW, GX-SAMPLE-UW, GRAV, GUNI, UVW via docs/galaxy-target.md §2.3. */
export const PROCESS_MODEL_TABLE: readonly OptionRow[] = [
  { match: ['processes', 'workers'], action: 'map', to: 'gravity.gunicorn.workers', why: 'web workers', source: 'GRAV settings, GX-SCALE-GU (galaxy-target.md §2.3)', apply: workers },
  { match: ['threads'], action: 'drop', why: "Galaxy's gunicorn workers are async uvicorn workers; gunicorn's --threads applies only to its threaded worker", source: 'GRAV state.py (galaxy-target.md §2.3)', showValue: true },
  { match: ['enable-threads'], action: 'drop', why: 'only meaningful to uWSGI (Python threads are always on in gunicorn)', source: 'GX-SCALE-UW (galaxy-target.md §2.3)', showValue: true },
  { match: ['offload-threads'], action: 'drop', why: 'static files and offloading belong to the proxy', source: 'galaxy-target.md §2.3', showValue: true },
  { match: ['master'], action: 'drop', why: 'gunicorn always runs its arbiter process', source: 'galaxy-target.md §2.3 (inference)', showValue: true },
  { match: ['thunder-lock'], action: 'drop', why: 'a uWSGI accept-lock; gunicorn needs none', source: 'galaxy-target.md §2.3 (inference)', showValue: true },
  { match: ['lazy-apps', 'lazy'], action: 'map', to: 'gravity.gunicorn.preload', why: 'load the app in each worker', source: 'GUNI preload_app (galaxy-target.md §2.3)', showValue: true, apply: lazyApps },
  { match: ['harakiri'], action: 'map', to: 'gravity.gunicorn.timeout', why: 'worker timeout', source: 'GRAV, GUNI timeout (galaxy-target.md §2.3)', apply: harakiri },
  { match: ['harakiri-verbose', 'harakiri-no-arh', 'harakiri-graceful-timeout', 'harakiri-graceful-signal'], action: 'drop', why: 'details of uWSGI\'s harakiri, which has no gunicorn counterpart beyond `timeout`', source: 'galaxy-target.md §2.3', showValue: true },
  { match: ['max-requests'], action: 'map', to: 'gravity.gunicorn.extra_args', why: 'worker recycling', source: 'GUNI 23.0.0, UVW (galaxy-target.md §2.3)', apply: flagArg('--max-requests') },
  { match: ['max-requests-delta'], action: 'map', to: 'gravity.gunicorn.extra_args', why: 'worker recycling spread', source: 'GUNI 23.0.0 (galaxy-target.md §2.3)', apply: flagArg('--max-requests-jitter') },
  { match: ['buffer-size'], action: 'drop', why: "the uvicorn worker does not pass gunicorn's request-line limits on, and has no such buffer", source: 'UVW, GX-CM-UW (galaxy-target.md §2.3)', showValue: true },
  { match: ['post-buffering', 'post-buffering-bufsize', 'body-read-warning'], action: 'drop', why: 'request bodies are buffered by the proxy and uvicorn', source: 'galaxy-target.md §2.3 (inference)', showValue: true },
  { match: ['limit-post'], action: 'move', to: 'proxy', why: 'limit upload sizes at the proxy (nginx `client_max_body_size`, Apache `LimitRequestBody`)', source: 'GX-NGINX-GU (galaxy-target.md §4.2)', showValue: true },
  { match: ['reload-mercy', 'worker-reload-mercy', 'mule-reload-mercy'], action: 'map', to: 'gravity.gunicorn.extra_args', why: 'graceful stop', source: 'GX-SCALE-UW, GX-WORKER, GRAV (galaxy-target.md §2.3)', apply: mercy },
  { match: ['die-on-term', 'py-call-osafterfork', 'honour-stdin'], action: 'drop', why: "only worked around uWSGI's signal handling and mule forking; gunicorn and supervisord/systemd stop on SIGTERM normally", source: 'GX-SCALE-UW, GX-SAMPLE-UW, GX-CM-UW, GX-REL-2205 (galaxy-target.md §2.3)', showValue: true },
  { match: /^(hook-.+|exec-.+|call-.+)$/, action: 'review', why: 'a life-cycle hook', source: 'GX-SCALE-UW (galaxy-target.md §2.3)', apply: hook },
  { match: ['master-fifo', 'touch-reload', 'touch-chain-reload', 'touch-workers-reload', 'touch-mules-reload', 'fs-reload', 'lazy-reload', 'chain-reload'], action: 'drop', why: 'reload triggers of uWSGI; restart with `galaxyctl graceful` (or `galaxyctl restart`) instead', source: 'GRAV docs/subcommands.rst (galaxy-target.md §1.4)', showValue: true },
  {
    match: /^(reload-on-rss|evil-reload-on-rss|reload-on-as|evil-reload-on-as|limit-as|max-worker-lifetime|max-worker-lifetime-delta|min-worker-lifetime|worker-reload-mercy-.+|cheaper.*|idle|die-on-idle)$/,
    action: 'review',
    why: 'gunicorn has no memory- or idle-based worker recycling; `--max-requests` recycles by request count, and Gravity ≥ 1.0 can cap a service with `memory_limit` (systemd only)',
    source: 'GUNI, GRAV settings (galaxy-target.md §1.3, §2.3)',
    showValue: true,
  },
  { match: ['procname', 'procname-prefix', 'procname-prefix-spaced', 'procname-append', 'procname-master', 'auto-procname', 'disable-write-exception', 'ignore-sigpipe', 'ignore-write-errors', 'no-orphans', 'reaper', 'cpu-affinity'], action: 'drop', why: 'uWSGI process cosmetics and error-handling switches with no gunicorn counterpart', source: 'galaxy-target.md §2.3 (inference)', showValue: true },
  {
    match: /^(cron|cron2|unique-cron|legion-cron.*|attach-daemon|attach-daemon2|smart-attach-daemon|smart-attach-daemon2|attach-control-daemon|worker-exec|worker-exec2)$/,
    action: 'review',
    why: 'uWSGI ran this command beside Galaxy; Gravity does not: run it as its own systemd unit, supervisord program or cron job',
    source: 'GX-CM-UW (galaxy-target.md §2.6, `cron` row)',
  },
];

export const processModelRule: Rule = {
  meta: {
    id: 'uwsgi/process-model',
    description: 'processes, threads, master, harakiri, lazy-apps, signal hooks … → gunicorn workers/timeout/preload or dropped',
    rationale:
      '`processes` becomes `gravity.gunicorn.workers`; `harakiri` the closest thing, `gunicorn.timeout`; `lazy-apps` is `preload: false`; ' +
      'threads, master, thunder-lock and the signal-handling hooks existed only for uWSGI and are dropped, each with its reason.',
    severity: 'info',
    fixable: false,
    sources: ['docs/galaxy-target.md §2.3', 'GX-SCALE-UW', 'GX-SCALE-GU', 'GRAV settings.py', 'GUNI config.py'],
    galaxy: { from: '22.01' },
  },
  check: (ctx) => reportTable(ctx, PROCESS_MODEL_TABLE),
};
