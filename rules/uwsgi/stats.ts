import type { Rule } from '../../src/core/rule.js';
import { reportTable, type OptionRow } from './table.js';

/** GX-SCALE-UW, GUNI via docs/galaxy-target.md §2.6. */
export const STATS_TABLE: readonly OptionRow[] = [
  {
    match: /^(stats|stats-server|stats-http|stats-minified|stats-min|stats-push|stats-pusher-.+|carbon.*|metrics.*|statsd.*|enable-metrics|memory-report)$/,
    action: 'drop',
    why: "uWSGI's stats server (uwsgitop) does not exist under gunicorn; for metrics use Galaxy's `statsd_host` or gunicorn's `--statsd-host`",
    source: 'GX-SCALE-UW, GUNI (galaxy-target.md §2.6)',
    showValue: true,
  },
];

export const statsRule: Rule = {
  meta: {
    id: 'uwsgi/stats',
    description: 'stats (uwsgitop) → dropped; statsd_host / --statsd-host instead',
    rationale: 'The uWSGI stats socket fed uwsgitop and monitoring scripts; gunicorn has none. Monitoring that read it (e.g. gxadmin, telegraf) must move to statsd.',
    severity: 'info',
    fixable: false,
    sources: ['docs/galaxy-target.md §2.6'],
    galaxy: { from: '22.01' },
  },
  check: (ctx) => reportTable(ctx, STATS_TABLE),
};
