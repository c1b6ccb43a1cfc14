import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALL_RULES } from '../../../rules/index.js';
import { SUPERVISORD, supervisordAccepts, warnNoSupervisord } from '../../helpers/supervisord.js';
import { deploymentFrom, run } from '../process/helpers.js';

warnNoSupervisord();

const fixture = (p: string): string => readFileSync(new URL(`../../fixtures/paste/acceptance/${p}`, import.meta.url), 'utf8');

/**
 * The acceptance: a Paste-era galaxy.ini with [uwsgi], [server:main] and a /galaxy prefix
 * filter, started by supervisord (`uwsgi --ini`) with three galaxy-main handlers.
 */
describe('Paste-era galaxy.ini + supervisord, with every rule of the registry', () => {
  const files = { 'config/galaxy.ini': fixture('config/galaxy.ini'), 'supervisor/galaxy.conf': fixture('supervisor/galaxy.conf') };
  const o = run(deploymentFrom(files), ALL_RULES);

  it('creates config/galaxy.yml byte for byte as expected, keeps the ini, rewrites the supervisord file', () => {
    expect(o.status['config/galaxy.yml']).toBe('created');
    expect(o.status['supervisor/galaxy.conf']).toBe('modified');
    expect(o.status['config/galaxy.ini']).toBeUndefined();
    expect(o.after['config/galaxy.yml']).toBe(fixture('expected/config/galaxy.yml'));
    expect(o.after['supervisor/galaxy.conf']).toBe(fixture('expected/supervisor/galaxy.conf'));
    expect(o.after['config/galaxy.ini']).toBe(files['config/galaxy.ini']);
  });

  it('galaxy: holds every [app:main] option with its Galaxy type, and galaxy_url_prefix: /galaxy', () => {
    const y = parse(o.after['config/galaxy.yml']!, { version: '1.1' }) as { galaxy: Record<string, unknown>; gravity: Record<string, unknown> };
    expect(y.galaxy).toEqual({
      database_connection: 'postgresql://galaxy:s3cret#pass;word@localhost/galaxy',
      database_engine_option_pool_size: 10,
      file_path: '/srv/galaxy/config/../database/files',
      new_file_path: '/srv/galaxy/tmp',
      // Galaxy resolves these against config_dir and drops the Paste-era `config/` itself (paste/legacy-path)
      tool_config_file: 'tool_conf.xml,shed_tool_conf.xml',
      job_config_file: 'job_conf.xml',
      admin_users: 'admin@example.org,\nops@example.org',
      allow_user_creation: false,
      require_login: true,
      enable_quotas: true,
      use_remote_user: false,
      cleanup_job: 'onsuccess',
      slow_query_log_threshold: 0.005,
      id_secret: '0123456789abcdef0123456789abcdef',
      brand: 'Example',
      allow_path_paste: true,
      my_site_option: '42',
      static_enabled: false,
      galaxy_url_prefix: '/galaxy',
    });
  });

  it('gravity: carries the [uwsgi] settings and the process manager\'s, with the handler names kept', () => {
    const y = parse(o.after['config/galaxy.yml']!, { version: '1.1' }) as { gravity: Record<string, any> };
    expect(y.gravity.gunicorn.bind).toBe('unix:/srv/galaxy/var/gunicorn.sock');
    expect(y.gravity.gunicorn.workers).toBe(4);
    expect(y.gravity.gunicorn.extra_args).toBe('--forwarded-allow-ips="*"');
    expect(y.gravity.umask).toBe('027');
    expect(y.gravity.virtualenv).toBe('/srv/galaxy/venv');
    expect(y.gravity.log_dir).toBe('/srv/galaxy/log');
    expect(y.gravity.process_manager).toBe('supervisor');
    expect(y.gravity.handlers.handler).toMatchObject({ processes: 3, name_template: '{name}{process}', pools: ['job-handlers', 'workflow-schedulers'] });
  });

  it('the supervisord file no longer starts uWSGI or the handlers, and runs Gravity on the new galaxy.yml', () => {
    const after = o.after['supervisor/galaxy.conf']!;
    expect(after).not.toMatch(/uwsgi|galaxy-main/);
    expect(after).toContain('galaxyctl --config-file /srv/galaxy/config/galaxy.yml start --foreground --quiet');
  });

  it('reports what Galaxy\'s convert would have lost, by rule and line', () => {
    const ids = o.ids.filter((i) => i.startsWith('paste/'));
    expect(ids).toEqual([
      'paste/ini-kept@config/galaxy.ini:1',
      'paste/server-section@config/galaxy.ini:3',
      'paste/other-sections@config/galaxy.ini:10',
      'paste/galaxy-ini-to-yml@config/galaxy.ini:17',
      'paste/url-prefix@config/galaxy.ini:19',
      'paste/interpolation@config/galaxy.ini:24',
      'paste/legacy-path@config/galaxy.ini:26',
      'paste/legacy-path@config/galaxy.ini:27',
      'paste/bool-value@config/galaxy.ini:31',
      'paste/bool-value@config/galaxy.ini:32',
      'paste/bool-value@config/galaxy.ini:33',
      'paste/removed-option@config/galaxy.ini:38',
      'paste/renamed-option@config/galaxy.ini:39',
      'paste/option-type@config/galaxy.ini:40',
    ]);
    const yes = o.findings.find((f) => f.ruleId === 'paste/bool-value' && f.location.line === 31)!;
    expect(yes.severity).toBe('warning');
    expect(yes.message).toContain("Galaxy's convert would write `require_login: false`");
    expect(o.findings.find((f) => f.ruleId === 'paste/bool-value' && f.location.line === 33)!.severity).toBe('info');
    // the [uwsgi] options get the same per-option findings a galaxy.yml uwsgi: block gets
    expect(o.ids).toContain('uwsgi/listeners@config/galaxy.ini:44');
  });

  it('proposes nothing more once applied (a second plan over the result)', () => {
    const again = run(deploymentFrom({ ...o.after }), ALL_RULES);
    expect(again.status).toEqual({});
  });

  it.skipIf(!SUPERVISORD)('the real supervisord accepts the rewritten supervisord file', async () => {
    const v = await supervisordAccepts(o.after['supervisor/galaxy.conf']!);
    expect(v.ok, v.output).toBe(true);
  });
});
