import type { Rule } from '../../src/core/rule.js';
import { reportTable, type OptionRow } from './table.js';

/** GRAV docs/advanced_usage.rst via docs/galaxy-target.md §2.3 (zerg row). */
export const ZERG_TABLE: readonly OptionRow[] = [
  {
    match: ['zerg', 'zerg-pool', 'zerg-server', 'zerg-fallback', 'zergpool', 'zerg-attach', 'zerg-fd'],
    action: 'review',
    why: 'zerg mode gave zero-downtime restarts; under Gravity ≥ 1.0 write `gravity.gunicorn` as a list of instances (one bind each), list every bind in the proxy\'s upstream, and restart with `galaxyctl graceful` (rolling)',
    source: 'GRAV docs/advanced_usage.rst (galaxy-target.md §2.3)',
    showValue: true,
  },
];

export const zergRule: Rule = {
  meta: {
    id: 'uwsgi/zerg',
    description: 'zerg mode → a list of gunicorn instances with rolling restarts (review)',
    rationale:
      'Zerg mode let several uWSGI instances share one socket for restarts without downtime. Gravity 1.0 does the same with a `gunicorn` list and ' +
      '`galaxyctl graceful`; the binds and the proxy upstream must be chosen by the admin.',
    severity: 'warning',
    fixable: false,
    sources: ['docs/galaxy-target.md §2.3', 'GRAV docs/advanced_usage.rst'],
    galaxy: { from: '22.01' },
  },
  check: (ctx) => reportTable(ctx, ZERG_TABLE),
};
