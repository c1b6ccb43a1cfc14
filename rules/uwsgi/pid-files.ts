import type { Rule } from '../../src/core/rule.js';
import { reportTable, type OptionRow } from './table.js';

/** GRAV supervisor.py, GUNI via docs/galaxy-target.md §2.6. */
export const PID_TABLE: readonly OptionRow[] = [
  {
    match: ['pidfile', 'pidfile2', 'safe-pidfile', 'safe-pidfile2'],
    action: 'drop',
    why: "the process manager tracks the processes (supervisord's own pid file, systemd's $MAINPID); if a script reads this file, add gunicorn's `--pid <path>` to `gravity.gunicorn.extra_args`",
    source: 'GRAV supervisor.py, GUNI (galaxy-target.md §2.6)',
    showValue: true,
  },
];

export const pidFilesRule: Rule = {
  meta: {
    id: 'uwsgi/pid-files',
    description: 'pidfile / pidfile2 → dropped (the process manager tracks pids)',
    rationale: 'Under Gravity, supervisord or systemd own the processes; a pid file is only needed by outside scripts, and gunicorn can still write one with `--pid`.',
    severity: 'info',
    fixable: false,
    sources: ['docs/galaxy-target.md §2.6'],
    galaxy: { from: '22.01' },
  },
  check: (ctx) => reportTable(ctx, PID_TABLE),
};
