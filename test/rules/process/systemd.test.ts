import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROCESS_RULES } from '../../../rules/process/index.js';
import { deploymentFrom, notesOf, run } from './helpers.js';

const dir = new URL('../../fixtures/process/systemd/', import.meta.url);
const units = Object.fromEntries(readdirSync(dir).map((n) => [`systemd/${n}`, readFileSync(new URL(n, dir), 'utf8')]));

describe('process rules on systemd units', () => {
  const o = run(deploymentFrom(units), PROCESS_RULES);

  it('deletes the uWSGI unit and the handler template unit, reports the galaxy-* unit Gravity would overwrite', () => {
    expect(o.status).toEqual({ 'systemd/galaxy-handler@.service': 'deleted', 'systemd/galaxy.service': 'deleted' });
    expect(o.after['systemd/galaxy-tiaas.service']).toBe(units['systemd/galaxy-tiaas.service']);
    expect(o.ids).toEqual([
      'process/handler-names@systemd/galaxy-handler@.service:7',
      'process/systemd-units@systemd/galaxy-handler@.service:7',
      'process/systemd-unit-clash@systemd/galaxy-tiaas.service:6',
      'process/gravity-settings@systemd/galaxy.service:12',
      'process/systemd-units@systemd/galaxy.service:12',
    ]);
  });

  it('gives process_manager, galaxy_user, galaxy_group, umask and memory_limit from the units', () => {
    expect(notesOf(o, 'process/gravity-settings').slice(0, 12)).toEqual([
      'gravity:',
      '  process_manager: systemd',
      '  galaxy_user: galaxy',
      '  galaxy_group: galaxy',
      "  umask: '027'",
      '  memory_limit: 16',
      '  virtualenv: /srv/galaxy/venv',
      '  galaxy_root: /srv/galaxy/server',
      '  gunicorn:',
      '    start_timeout: 10',
      '    environment:',
      '      TMPDIR: /srv/galaxy/tmp',
    ]);
    const notes = notesOf(o, 'process/gravity-settings').join('\n');
    expect(notes).toContain('systemctl disable --now galaxy-handler@*.service galaxy.service');
    expect(notes).toContain('galaxyctl --config-file /srv/galaxy/config/galaxy.yml update');
    expect(notes).toContain('galaxyctl --config-file /srv/galaxy/config/galaxy.yml start');
  });

  it('maps the %I handler names to a name_template, with the unit\'s own memory limit, and asks for the instance count', () => {
    const f = o.findings.find((x) => x.ruleId === 'process/handler-names')!;
    expect(f.severity).toBe('warning');
    expect(f.message).toContain('(`handler%I`) become `gravity.handlers.handler` with `name_template: "{name}{process}"`');
    expect(f.message).toContain('`galaxy-handler@0 … galaxy-handler@N-1`');
    expect(f.notes).toEqual([
      'handlers:',
      '  handler:',
      "    processes: '<number of enabled instances>'",
      '    pools:',
      '      - job-handlers',
      '      - workflow-schedulers',
      "    name_template: '{name}{process}'",
      '    memory_limit: 8',
    ]);
  });

  it('only claims Gravity 1.x keys for targets that have them', () => {
    const old = run(deploymentFrom(units), PROCESS_RULES, { galaxy: '22.05' });
    const notes = notesOf(old, 'process/gravity-settings');
    expect(notes).not.toContain('  process_manager: systemd');
    expect(notes.join('\n')).toContain('Gravity before 1.0 has no process_manager');
    expect(old.ids.some((i) => i.startsWith('process/systemd-unit-clash'))).toBe(false);
  });
});
