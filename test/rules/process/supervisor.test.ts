import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROCESS_RULES } from '../../../rules/process/index.js';
import { deploymentFrom, notesOf, run } from './helpers.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/process/${name}`, import.meta.url), 'utf8');

describe('process rules on supervisord: uWSGI --ini and three galaxy-main handlers', () => {
  const before = fixture('supervisor-uwsgi-handlers.conf');
  const o = run(deploymentFrom({ 'supervisor/galaxy.conf': before }), PROCESS_RULES);

  it('replaces the uWSGI program by one that runs galaxyctl, removes the handlers, keeps the rest (byte for byte)', () => {
    expect(o.after['supervisor/galaxy.conf']).toBe(fixture('supervisor-uwsgi-handlers.expected.conf'));
    expect(o.after['supervisor/galaxy.conf']).not.toMatch(/uwsgi|galaxy-main/);
  });

  it('reports each program and the Gravity settings, at their lines', () => {
    expect(o.ids).toEqual([
      'process/gravity-settings@supervisor/galaxy.conf:2',
      'process/supervisor-programs@supervisor/galaxy.conf:2',
      'process/handler-names@supervisor/galaxy.conf:15',
      'process/supervisor-programs@supervisor/galaxy.conf:15',
    ]);
  });

  it('keeps the handler names with a name_template and gives every gravity: key with its value', () => {
    const names = o.findings.find((f) => f.ruleId === 'process/handler-names')!;
    expect(names.message).toContain('(handler0, handler1, handler2) become `gravity.handlers.handler` with `name_template: "{name}{process}"`');
    expect(notesOf(o, 'process/gravity-settings').slice(0, 17)).toEqual([
      'gravity:',
      '  process_manager: supervisor',
      "  umask: '027'",
      '  virtualenv: /srv/galaxy/venv',
      '  galaxy_root: /srv/galaxy/server',
      '  gunicorn:',
      '    start_timeout: 10',
      '    stop_timeout: 65',
      '    environment:',
      '      DRMAA_LIBRARY_PATH: /usr/lib/slurm-drmaa/lib/libdrmaa.so.1',
      '  handlers:',
      '    handler:',
      '      processes: 3',
      '      pools:',
      '        - job-handlers',
      '        - workflow-schedulers',
      "      name_template: '{name}{process}'",
    ]);
  });

  it('puts the commands the admin runs next in the notes', () => {
    const notes = notesOf(o, 'process/supervisor-programs').join('\n');
    expect(notes).toContain('galaxyctl --config-file /srv/galaxy/config/galaxy.yml update');
    expect(notes).toContain('supervisorctl reread && supervisorctl update');
    expect(notes).toContain('[program:gravity]');
  });

  it('carries the facts in the model for the galaxy.yml writers', () => {
    const d = deploymentFrom({ 'supervisor/galaxy.conf': before });
    expect(d.decisions.processes?.manager).toBe('supervisor');
    expect(d.decisions.handlers).toEqual([
      { name: 'handler', processes: 3, pools: ['job-handlers', 'workflow-schedulers'], replaces: ['handler0', 'handler1', 'handler2'], nameTemplate: '{name}{process}' },
    ]);
    expect(d.decisions.processes?.galaxyConfigFile).toBe('/srv/galaxy/config/galaxy.ini');
  });
});

describe('zerg mode, a Jinja loop and numbered-from-1 handlers', () => {
  const o = run(deploymentFrom({ 'supervisor/zerg.conf': fixture('supervisor-zerg.conf') }), PROCESS_RULES);

  it('removes the zerg pool, replaces the looped zerglings (loop included), fixes the group', () => {
    expect(o.after['supervisor/zerg.conf']).toBe(fixture('supervisor-zerg.expected.conf'));
  });

  it('warns that numprocs_start shifts the names Gravity would give', () => {
    const f = o.findings.find((x) => x.ruleId === 'process/handler-names')!;
    expect(f.severity).toBe('warning');
    expect(f.message).toContain('`numprocs_start = 1` numbers the processes from 1; Gravity numbers them from 0, so the names shift by 1');
    expect(f.location.line).toBe(15);
  });
});

describe('a file that only holds handler programs', () => {
  const o = run(deploymentFrom({ 'supervisor/handlers.conf': fixture('supervisor-handlers-only.conf') }), PROCESS_RULES);

  it('is deleted, and the report says nothing starts Gravity yet', () => {
    expect(o.status).toEqual({ 'supervisor/handlers.conf': 'deleted' });
    expect(notesOf(o, 'process/supervisor-programs')).toContain(
      'no uWSGI or Paste web program was found: nothing starts Gravity now; run `galaxyctl start` (or add a program that runs `galaxyctl start --foreground`)',
    );
    const names = o.findings.find((x) => x.ruleId === 'process/handler-names')!;
    expect(names.message).toContain('(main_handler0, main_handler1, main_handler2, main_handler3) become `gravity.handlers.main_handler`');
  });
});

describe('templated group lists and programs inside kept Jinja blocks', () => {
  // What the rewrite keeps: the rest of the Jinja block, and the group whose list a template builds.
  const keptBlockAndGroup = ['[program:cron]', 'command = /usr/sbin/cron -f', '{% endif %}', '', '[group:galaxy]', 'programs = web', '{%- if handlers %}', ', handler', '{%- endif %}', ''];
  const text = [
    '{% if galaxy_uwsgi %}',
    '[program:web]',
    'command = {{ venv }}/bin/uwsgi --yaml {{ galaxy_config_file }}',
    'user = {{ galaxy_user }}',
    '',
    ...keptBlockAndGroup,
  ].join('\n');
  const o = run(deploymentFrom({ 'templates/supervisor.conf.j2': text }), PROCESS_RULES);

  it('adds the galaxyctl program at the end instead of inside the block, leaves the template-built list alone', () => {
    expect(o.after['templates/supervisor.conf.j2']).toBe(
      [
        '{% if galaxy_uwsgi %}',
        ...keptBlockAndGroup,
        '; Galaxy under Gravity: galaxyctl runs gunicorn, the job handlers and Celery (galaxy-migrate)',
        '[program:gravity]',
        'command = {{ venv }}/bin/galaxyctl --config-file {{ galaxy_config_file }} start --foreground --quiet',
        'user = {{ galaxy_user }}',
        'autostart = true',
        'autorestart = true',
        'stopwaitsecs = 75',
        'stopasgroup = true',
        'killasgroup = true',
        '',
      ].join('\n'),
    );
    const notes = notesOf(o, 'process/supervisor-programs');
    expect(notes).toContain('`[group:galaxy]` builds its program list in a template: take the removed programs out of it and add `gravity`');
    expect(notes).toContain('`[program:gravity]` is added at the end of the file: `[program:web]` sits inside a Jinja block that stays');
  });

  it('refuses to cut a Jinja block in two', () => {
    const cut = ['[program:web]', 'command = uwsgi --ini galaxy.ini', '{% if x %}', 'user = galaxy', '', '[program:other]', 'command = /bin/true', '{% endif %}', ''].join('\n');
    const r = run(deploymentFrom({ 'supervisor/cut.conf': cut }), PROCESS_RULES);
    expect(r.status).toEqual({});
    expect(r.findings.find((f) => f.ruleId === 'process/supervisor-programs')!.message).toContain('not rewritten automatically: removing `[program:web]` would cut a Jinja block of the template in two');
  });
});

describe('static handlers of the job conf', () => {
  it('are left to Gravity, which starts them from the job conf with their names', () => {
    const d = deploymentFrom({
      'supervisor/galaxy.conf': fixture('supervisor-uwsgi-handlers.conf'),
      'config/job_conf.xml': [
        '<?xml version="1.0"?>',
        '<job_conf>',
        '    <plugins><plugin id="local" type="runner" load="galaxy.jobs.runners.local:LocalJobRunner"/></plugins>',
        '    <handlers>',
        '        <handler id="handler0"/>',
        '        <handler id="handler1"/>',
        '        <handler id="handler2"/>',
        '    </handlers>',
        '    <destinations><destination id="local" runner="local"/></destinations>',
        '</job_conf>',
        '',
      ].join('\n'),
    });
    expect(d.decisions.processes?.staticHandlers).toEqual(['handler0', 'handler1', 'handler2']);
    expect(d.decisions.processes?.handlers).toEqual([]);
    const o = run(d, PROCESS_RULES);
    expect(o.findings.find((f) => f.ruleId === 'process/handler-names')!.message).toBe(
      'the handlers handler0, handler1, handler2 are static handlers of the job conf: Gravity starts each of them by itself (`--server-name=<id>`), so they keep their names with no `gravity.handlers` entry',
    );
  });
});
