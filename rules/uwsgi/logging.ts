import type { UwsgiOption } from '../../src/core/model.js';
import type { Rule } from '../../src/core/rule.js';
import { clean } from '../../src/model/uwsgi-options.js';
import type { GravityDraft } from './draft.js';
import { absolutePath, reportTable, type ApplyEnv, type OptionRow, type Outcome } from './table.js';

/** `logto: /srv/galaxy/log/uwsgi.log` → `gravity.log_dir: /srv/galaxy/log` (one file per service there). */
function logFile(opt: UwsgiOption, draft: GravityDraft, env: ApplyEnv): Outcome {
  const v = clean(opt.value).trim();
  const abs = absolutePath(v, env);
  const slash = abs?.lastIndexOf('/') ?? -1;
  if (!abs || slash < 0 || /^[a-z]+:\/\//i.test(v) || v.includes('@')) {
    return { action: 'review', message: `\`${opt.key}: ${v}\` needs review: not a file path galaxy-migrate can turn into \`gravity.log_dir\`` };
  }
  const dir = abs.slice(0, slash) || '/';
  if (!draft.top.has('log_dir')) draft.top.set('log_dir', dir);
  const daemon = opt.key.startsWith('daemonize') ? '; the process manager runs every service in the foreground, so there is nothing to daemonize' : '';
  return {
    action: 'map',
    message: `\`${opt.key}: ${v}\` → \`gravity.log_dir: ${draft.top.get('log_dir')}\`: supervisord writes one log per service there (\`gunicorn.log\`, \`handler_0.log\` …); under systemd logs go to the journal (\`journalctl -u 'galaxy-*'\`)${daemon}`,
  };
}

/** GRAV, GX-REL-2205, GX-LOGGING, GUNI via docs/galaxy-target.md §2.6. */
export const LOGGING_TABLE: readonly OptionRow[] = [
  { match: ['logto', 'logto2', 'daemonize', 'daemonize2'], action: 'map', to: 'gravity.log_dir', why: 'log directory', source: 'GRAV settings.py log_dir (galaxy-target.md §2.6)', showValue: true, apply: logFile },
  {
    match: ['logger', 'req-logger', 'logger-req', 'log-route', 'log-req-route', 'log-encoder', 'log-req-encoder'],
    action: 'review',
    why: "uWSGI's log routing has no Gravity equivalent: configure Galaxy's `logging` (dictConfig) or `log_destination`, and gunicorn's `--access-logfile` for access logs",
    source: 'GX-LOGGING, GX-REL-2205, GUNI (galaxy-target.md §2.6)',
  },
  {
    match: /^(disable-logging|log-.+|logfile-.+|logformat.*|logdate)$/,
    action: 'drop',
    why: "uWSGI's own request logging; gunicorn's access log is off unless `--access-logfile` is given, and Galaxy logs through its `logging` options",
    source: 'GUNI, GX-LOGGING (galaxy-target.md §2.6)',
    showValue: true,
  },
];

export const loggingRule: Rule = {
  meta: {
    id: 'uwsgi/logging',
    description: 'logto / daemonize / logger → gravity.log_dir (supervisord) or the journal (systemd)',
    rationale:
      'Gravity logs each service to `<log_dir>/<service>.log` under supervisord and to the journal under systemd. The directory of uWSGI\'s ' +
      'log file becomes `log_dir`; uWSGI\'s request-logging switches go (gunicorn has its own access log, off by default).',
    severity: 'info',
    fixable: false,
    sources: ['docs/galaxy-target.md §2.6', 'GRAV settings.py', 'GX-LOGGING'],
    galaxy: { from: '22.01' },
  },
  check: (ctx) => reportTable(ctx, LOGGING_TABLE),
};
