import type { Rule } from '../../src/core/rule.js';
import { reportTable, type OptionRow } from './table.js';

/** GX-NGINX-GU, GX-APACHE-GU, GX-OPTS, GX-CM-UW via docs/galaxy-target.md §2.5. */
export const STATIC_TABLE: readonly OptionRow[] = [
  {
    match: ['static-map', 'static-map2', 'static-index', 'static-gzip', 'static-gzip-all', 'static-gzip-dir', 'static-gzip-ext', 'static-gzip-prefix', 'static-expires', 'static-expires-uri', 'static-expires-type', 'static-expires-path-info', 'check-static', 'static-check', 'static-skip-ext', 'offload-static'],
    action: 'move',
    to: 'proxy',
    why: 'serve static files from the proxy (nginx `location /static { alias …/static; expires 24h; }`, Apache `RewriteRule ^/static/(.*) …`); without a proxy Galaxy serves /static itself (`static_enabled`, on by default)',
    source: 'GX-NGINX-GU, GX-APACHE-GU, GX-OPTS (galaxy-target.md §2.5)',
    showValue: true,
  },
  { match: ['static-safe'], action: 'drop', why: 'it only let uWSGI serve files outside the mapped directories', source: 'GX-CM-UW (galaxy-target.md §2.5)', showValue: true },
];

export const staticMapRule: Rule = {
  meta: {
    id: 'uwsgi/static-map',
    description: 'static-map and friends → the proxy (or Galaxy\'s own static serving)',
    rationale:
      'Gunicorn does not serve static files the way uWSGI\'s static-map did. The proxy serves /static, /favicon.ico and /robots.txt from ' +
      'Galaxy\'s static directory (the nginx/Apache rules write those locations); without a proxy Galaxy serves /static itself.',
    severity: 'info',
    fixable: false,
    sources: ['docs/galaxy-target.md §2.5', 'GX-NGINX-GU', 'GX-APACHE-GU'],
    galaxy: { from: '22.01' },
  },
  check: (ctx) => reportTable(ctx, STATIC_TABLE),
};
