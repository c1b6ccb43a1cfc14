import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALL_RULES } from '../../../rules/index.js';
import { galaxyIniToYmlRule } from '../../../rules/paste/galaxy-ini-to-yml.js';
import { PASTE_RULES } from '../../../rules/paste/index.js';
import { PROCESS_RULES } from '../../../rules/process/index.js';
import { corpusFiles } from '../../helpers/corpus-files.js';
import { HAVE_SHARED, warnNoShared } from '../../helpers/shared.js';
import { deploymentFrom, run } from '../process/helpers.js';
import { celeryBlock } from '../../helpers/celery-block.js';

warnNoShared('paste rules on the corpus galaxy.ini files');

const PASTE_ONLY = [
  '[server:main]',
  'use = egg:Paste#http',
  'host = 0.0.0.0',
  'port = 8081',
  '',
  '[filter:gzip]',
  'use = egg:Paste#gzip',
  '',
  '[app:main]',
  'paste.app_factory = galaxy.web.buildapp:app_factory',
  'filter-with = gzip',
  'debug = True',
  'master_api_key = changethis',
  'database_engine_option_pool_size = ten',
  'ratio = 50% off',
  '',
].join('\r\n');

describe('a galaxy.ini that ran under Paste alone', () => {
  const o = run(deploymentFrom({ 'universe_wsgi.ini': PASTE_ONLY }), PASTE_RULES);

  it('writes galaxy.yml beside universe_wsgi.ini, CRLF kept, gunicorn on Paste\'s host and port', () => {
    expect(o.status).toEqual({ 'galaxy.yml': 'created' });
    expect(o.after['galaxy.yml']).toBe(
      [
        "# Written by galaxy-migrate from universe_wsgi.ini: [app:main] → galaxy: (typed as Galaxy's option schema says),",
        '# [uwsgi], [server:main] and the supervisord/systemd settings → gravity:. The report lists every change.',
        'gravity:',
        '  gunicorn:',
        "    bind: '0.0.0.0:8081'",
        ...celeryBlock('  '),
        'galaxy:',
        '  debug: true',
        '  bootstrap_admin_api_key: changethis',
        '  database_engine_option_pool_size: ten',
        "  ratio: '50% off'",
        '',
      ].join('\r\n'),
    );
  });

  it('reports gzip, the server, unsafe and renamed options, a bad integer, and what ConfigParser refuses', () => {
    expect(o.ids).toEqual([
      'paste/ini-kept@universe_wsgi.ini:1',
      'paste/server-section@universe_wsgi.ini:1',
      'paste/galaxy-ini-to-yml@universe_wsgi.ini:9',
      'paste/gzip-filter@universe_wsgi.ini:11',
      'paste/unsafe-value@universe_wsgi.ini:12',
      'paste/renamed-option@universe_wsgi.ini:13',
      'paste/unsafe-value@universe_wsgi.ini:13',
      'paste/option-type@universe_wsgi.ini:14',
      'paste/interpolation@universe_wsgi.ini:15',
      'paste/option-type@universe_wsgi.ini:15',
    ]);
    const sev = Object.fromEntries(o.findings.map((f) => [`${f.ruleId}@${f.location.line}`, f.severity]));
    expect(sev['paste/gzip-filter@11']).toBe('warning');
    expect(sev['paste/interpolation@15']).toBe('error');
    expect(sev['paste/option-type@14']).toBe('warning');
    expect(o.findings.find((f) => f.ruleId === 'paste/server-section')!.message).toBe(
      "[server:main] → `gravity.gunicorn.bind: 0.0.0.0:8081` (Paste's host and port; the proxy keeps pointing at it)",
    );
  });

  it('gives the model the Paste bind, so the proxy rules point at the same address', () => {
    const d = deploymentFrom({ 'universe_wsgi.ini': PASTE_ONLY });
    expect(d.decisions.gunicornBind).toBe('0.0.0.0:8081');
    expect(d.decisions.legacyListeners.map((l) => l.option)).toEqual(['server:main']);
  });
});

describe('when galaxy.yml cannot or must not be written', () => {
  const blocked = (files: Record<string, string>): string => {
    const o = run(deploymentFrom(files), PASTE_RULES);
    expect(o.status).toEqual({});
    return o.findings.find((f) => f.ruleId === 'paste/galaxy-ini-to-yml')!.message;
  };

  it('a Jinja template is left to its ansible variables', () => {
    expect(blocked({ 'templates/galaxy.ini.j2': '[app:main]\n{% for k in opts %}\n{{ k }} = {{ opts[k] }}\n{% endfor %}\n' })).toContain('the file is a Jinja template');
  });

  it('an existing galaxy.yml is not overwritten', () => {
    expect(blocked({ 'config/galaxy.ini': '[app:main]\nbrand = x\n', 'config/galaxy.yml': 'galaxy:\n  brand: y\n' })).toContain('`config/galaxy.yml` already exists');
  });

  it('another app\'s factory is an error, the Reports app a warning; neither is converted', () => {
    const other = run(deploymentFrom({ 'x.ini': '[app:main]\npaste.app_factory = mysite.app:factory\n' }), PASTE_RULES);
    expect(other.findings.find((f) => f.ruleId === 'paste/unknown-factory')!.severity).toBe('error');
    const reports = run(deploymentFrom({ 'reports.ini': '[app:main]\npaste.app_factory = galaxy.webapps.reports.buildapp:app_factory\n' }), PASTE_RULES);
    expect(reports.status).toEqual({});
    expect(reports.findings.find((f) => f.ruleId === 'paste/unknown-factory')!.severity).toBe('warning');
  });
});

describe('options and references', () => {
  it('deletes the ini in the same change when asked to', () => {
    const o = run(deploymentFrom({ 'config/galaxy.ini': '[app:main]\nbrand = x\n' }), [galaxyIniToYmlRule({ deleteIni: true })]);
    expect(o.status).toEqual({ 'config/galaxy.yml': 'created', 'config/galaxy.ini': 'deleted' });
  });

  it('writes no Gravity 1.x key for a 22.05 target', () => {
    const sup = '[program:web]\ncommand = /srv/venv/bin/uwsgi --ini /srv/galaxy/config/galaxy.ini --socket 127.0.0.1:4001 --processes 3\nuser = galaxy\numask = 022\n';
    const o = run(deploymentFrom({ 'config/galaxy.ini': '[app:main]\nbrand = x\n', 'supervisor/galaxy.conf': sup }), [...PROCESS_RULES, ...PASTE_RULES], { galaxy: '22.05' });
    const y = parse(o.after['config/galaxy.yml']!, { version: '1.1' }) as { gravity: Record<string, unknown> };
    expect(y.gravity.process_manager).toBeUndefined();
    expect(y.gravity.umask).toBeUndefined();
    // the uWSGI command line (--socket, --processes) is read like a configuration file
    expect(y.gravity.gunicorn).toMatchObject({ bind: '127.0.0.1:4001', workers: 3 });
  });

  it('points programs that stay at the new galaxy.yml, and says which cannot read it', () => {
    const sup = [
      '[program:celery]',
      'command = /srv/venv/bin/celery --app galaxy.celery worker',
      'environment = GALAXY_CONFIG_FILE="/srv/galaxy/config/galaxy.ini",PYTHONPATH=lib',
      '',
      '[program:reports]',
      'command = /srv/venv/bin/python ./scripts/paster.py serve config/galaxy.ini --server-name=reports',
      '',
    ].join('\n');
    const o = run(deploymentFrom({ 'config/galaxy.ini': '[app:main]\nbrand = x\n', 'supervisor/other.conf': sup }), PASTE_RULES);
    expect(o.after['supervisor/other.conf']).toBe(sup.replace('config/galaxy.ini",', 'config/galaxy.yml",'));
    expect(o.ids.filter((i) => i.startsWith('paste/ini-references'))).toEqual(['paste/ini-references@supervisor/other.conf:3', 'paste/ini-references@supervisor/other.conf:6']);
    expect(o.findings.find((f) => f.ruleId === 'paste/ini-references' && f.location.line === 6)!.message).toContain('read here as an INI file (Paste)');
  });
});

describe.skipIf(!HAVE_SHARED)('the corpus galaxy.ini files', () => {
  it('the Paste sample converts; the ansible template is reported, not converted; nothing conflicts', () => {
    for (const f of corpusFiles().filter((x) => x.kind === 'galaxy-ini')) {
      const o = run(deploymentFrom({ [f.path]: f.text }), ALL_RULES);
      const created = Object.keys(o.status).filter((k) => o.status[k] === 'created');
      if (f.path.endsWith('.j2')) expect(created, f.path).toEqual([]);
      else {
        expect(created, f.path).toHaveLength(1);
        const y = parse(o.after[created[0]!]!, { version: '1.1' }) as { galaxy: Record<string, unknown> };
        expect(Object.keys(y.galaxy).length, f.path).toBeGreaterThan(0);
      }
    }
  });
});
