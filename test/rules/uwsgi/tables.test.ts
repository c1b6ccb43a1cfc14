import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../../rules/index.js';
import { UWSGI_RULES } from '../../../rules/uwsgi/index.js';
import { claims } from '../../../rules/uwsgi/table.js';
import { OPTION_TABLES } from '../../../rules/uwsgi/tables.js';
import { BOOLEAN_FLAGS, IMMEDIATE_OPTIONS, KNOWN_OPTIONS } from '../../../src/formats/uwsgi/options.js';

/** Option names Galaxy deployments use (the dialect reader's lists, plus those docs/galaxy-target.md §2 names). */
const NAMES = new Set([
  ...KNOWN_OPTIONS,
  ...BOOLEAN_FLAGS,
  ...IMMEDIATE_OPTIONS,
  'https', 'http-raw-body', 'http-auto-gzip', 'http-timeout', 'http-to-https', 'listen', 'pidfile2', 'logto2', 'daemonize2',
  'reload-mercy', 'worker-reload-mercy', 'mule-reload-mercy', 'static-safe', 'interactivetools_map', 'python-raw', 'route-host',
  'route-label', 'route-if', 'route-if-not', 'zerg', 'zerg-pool', 'zerg-server', 'hook-master-start', 'chdir2', 'unenv',
]);

describe('uwsgi option tables', () => {
  it('claim every option at most once, so no option is reported twice', () => {
    for (const name of NAMES) {
      const owners = OPTION_TABLES.filter(([, t]) => claims(t, name)).map(([id]) => id);
      expect(owners.length, `${name} is claimed by ${owners.join(', ')}`).toBeLessThanOrEqual(1);
    }
  });

  it('claim every option docs/galaxy-target.md §2 names', () => {
    const section2 = [
      'http', 'socket', 'https', 'shared-socket', 'http-to-https', 'chmod-socket', 'chown-socket', 'listen', 'http-raw-body', 'http-auto-gzip',
      'socket-timeout', 'http-timeout', 'module', 'mount', 'manage-script-name', 'virtualenv', 'pythonpath', 'chdir', 'plugin', 'set', 'env',
      'if-env', 'for', 'processes', 'threads', 'enable-threads', 'offload-threads', 'master', 'thunder-lock', 'lazy-apps', 'harakiri',
      'max-requests', 'buffer-size', 'reload-mercy', 'worker-reload-mercy', 'mule-reload-mercy', 'die-on-term', 'hook-master-start',
      'py-call-osafterfork', 'honour-stdin', 'zerg', 'zerg-pool', 'zerg-server', 'mule', 'farm', 'static-map', 'static-safe', 'umask', 'uid',
      'gid', 'logto', 'logto2', 'daemonize', 'daemonize2', 'logger', 'req-logger', 'pidfile', 'pidfile2', 'stats', 'disable-logging', 'cron',
      'route', 'route-host', 'route-run', 'route-label', 'route-if-not', 'python-raw', 'rpcvar', 'interactivetools_map',
    ];
    for (const name of section2) expect(OPTION_TABLES.some(([, t]) => claims(t, name)), name).toBe(true);
  });

  it('give every row its source and its reason', () => {
    for (const [id, table] of OPTION_TABLES) {
      for (const row of table) {
        expect(row.source, `${id} ${String(row.match)}`).toMatch(/galaxy-target\.md §|uwsgi-dialect\.md §/);
        expect(row.why.length, `${id} ${String(row.match)}`).toBeGreaterThan(10);
        if (row.action === 'map' || row.action === 'move') expect(row.to, `${id} ${String(row.match)}`).toBeTruthy();
      }
    }
  });

  it('belong to registered rules with sources, all in the registry', () => {
    const ids = new Set(ALL_RULES.map((r) => r.meta.id));
    for (const [id] of OPTION_TABLES) expect(ids.has(id), id).toBe(true);
    for (const r of UWSGI_RULES) {
      expect(ids.has(r.meta.id)).toBe(true);
      expect(r.meta.sources.length).toBeGreaterThan(0);
      expect(r.meta.galaxy).toBeDefined();
    }
  });
});
