import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { celeryBlock } from '../../helpers/celery-block.js';
import { planAfter, type Planned } from '../../helpers/plan-after.js';

/*
 * Issue 5: an ansible inventory is one deployment. The uWSGI block of a host (host_vars) or group
 * (group_vars) becomes gravity: with the environment the role's uWSGI units had (galaxy_systemd_zergling_env,
 * wherever in the inventory it is set), galaxy_systemd_mode is switched where it applies, comments of the
 * block are kept and galaxy options join the existing galaxy: key. Fixtures: test/fixtures/ansible/.
 */
const FIXTURES = fileURLToPath(new URL('../../fixtures/ansible/', import.meta.url));
const lines = (...l: string[]): string => l.join('\n');

/** `migrate plan` of one fixture inventory, run from the fixtures directory. */
const plan = (dir: string): Promise<Planned> => planAfter(dir, FIXTURES);

describe('per-host migration: host_vars hold the uwsgi: blocks, group_vars the mode and the environment', () => {
  it('web1: gravity with the group’s zergling environment, mode and galaxy_systemd_env in host_vars, comments kept, prefix into galaxy:', async () => {
    const p = await plan('per-host');
    expect(p.code).toBe(0);
    // The group keeps mule for hosts still on uWSGI: not changed, an info finding says why.
    expect(Object.keys(p.after).sort()).toEqual([
      'per-host/host_vars/web1.example.org.yml',
      'per-host/host_vars/web2.example.org.yml',
      'per-host/templates/nginx/galaxy.j2',
    ]);
    const mode = p.findings.find((f) => f.ruleId === 'process/ansible-systemd-mode')!;
    expect([mode.file, mode.line, mode.severity]).toEqual(['per-host/group_vars/galaxyservers.yml', 2, 'info']);
    expect(mode.message).toContain('stays for the hosts still on uWSGI: per-host/host_vars/web1.example.org.yml, per-host/host_vars/web2.example.org.yml');

    expect(p.after['per-host/host_vars/web1.example.org.yml']).toBe(
      lines(
        'galaxy_commit_id: release_22.05',
        'galaxy_tmp_dir: /mnt/tmp',
        '',
        'galaxy_systemd_mode: gravity',
        'galaxy_systemd_env:',
        `  - 'DRMAA_LIBRARY_PATH="/usr/lib/slurm-drmaa/lib/libdrmaa.so.1"'`,
        '  - TMPDIR={{ galaxy_tmp_dir }}',
        '',
        '# Settings of this host only.',
        'host_galaxy_config: # merged over group_galaxy_config',
        '  gravity:',
        "    virtualenv: '{{ galaxy_venv_dir }}'",
        '    gunicorn:',
        "      bind: '127.0.0.1:8080'",
        '      workers: 5',
        '      environment:',
        '        DRMAA_LIBRARY_PATH: /usr/lib/slurm-drmaa/lib/libdrmaa.so.1',
        "        TMPDIR: '{{ galaxy_tmp_dir }}'",
        ...celeryBlock('    '),
        '    handlers:',
        '      handler:',
        '        processes: 2',
        '        pools:',
        '          - job-handlers',
        '          - workflow-schedulers',
        '        environment:',
        '          DRMAA_LIBRARY_PATH: /usr/lib/slurm-drmaa/lib/libdrmaa.so.1',
        "          TMPDIR: '{{ galaxy_tmp_dir }}'",
        '  # from `host_galaxy_config.uwsgi`: tuned for web1',
        '  # from uWSGI `processes`: five web workers',
        '  # from uWSGI `mule`: second handler',
        '  galaxy:',
        '    admin_users: admin@example.org',
        '    id_secret: "{{ vault_id_secret }}"',
        '    # from uWSGI `mount`',
        '    galaxy_url_prefix: /galaxy',
        '',
        'tusd_port: 1080',
        '',
      ),
    );
    const f = p.findings.find((x) => x.ruleId === 'ansible/galaxy-config-uwsgi' && x.file.endsWith('web1.example.org.yml'))!;
    expect(f.line).toBe(6);
    expect(f.message).toContain(
      'this host inherits `galaxy_systemd_mode: mule` from group galaxyservers, per-host/group_vars/galaxyservers.yml, which the plan leaves for the hosts still on uWSGI, so `galaxy_systemd_mode: gravity` is set in this file',
    );
    expect(f.notes).toContain(
      "`DRMAA_LIBRARY_PATH`, `TMPDIR` from `galaxy_systemd_zergling_env` (group galaxyservers, per-host/group_vars/galaxyservers.yml), the environment the role's uWSGI units ran with, is given to gunicorn and the handlers through their Gravity `environment`",
    );
  });

  it('web2: its own zergling environment wins over the group’s and group_vars/all’s; its own galaxy_systemd_env is left alone', async () => {
    const p = await plan('per-host');
    expect(p.after['per-host/host_vars/web2.example.org.yml']).toBe(
      lines(
        'galaxy_commit_id: release_22.05',
        'galaxy_systemd_zergling_env: DRMAA_LIBRARY_PATH=/opt/slurm/lib/libdrmaa.so',
        'galaxy_systemd_env:',
        '  - DRMAA_LIBRARY_PATH=/opt/slurm/lib/libdrmaa.so',
        '',
        'galaxy_systemd_mode: gravity',
        '',
        'host_galaxy_config:',
        '  gravity:',
        '    gunicorn:',
        "      bind: '127.0.0.1:8080'",
        '      workers: 2',
        '      environment:',
        '        DRMAA_LIBRARY_PATH: /opt/slurm/lib/libdrmaa.so',
        ...celeryBlock('    '),
        '',
      ),
    );
  });

  it('apply writes exactly the planned bytes, and a second plan has nothing left to change in host_vars', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gm-ansible-')), 'out');
    afterAll(() => rmSync(join(out, '..'), { recursive: true, force: true }));
    const planned = await plan('per-host');
    const r = await runCli(['apply', '--yes', '--out', out, 'per-host'], FIXTURES);
    expect(r.code).toBe(0);
    const web1 = readFileSync(join(out, 'host_vars/web1.example.org.yml'), 'utf8');
    expect(web1).toBe(planned.after['per-host/host_vars/web1.example.org.yml']);
    expect(readFileSync(join(out, 'group_vars/galaxyservers.yml'), 'utf8')).toBe(readFileSync(join(FIXTURES, 'per-host/group_vars/galaxyservers.yml'), 'utf8'));
    const again = await runCli(['plan', '--format', 'json', '.'], out);
    const changes = (JSON.parse(again.stdout) as { changes: { file: string }[] }).changes.map((c) => c.file);
    expect(changes.filter((c) => c.includes('host_vars'))).toEqual([]);
    // With every host on Gravity, the group's mule is now switched where it is set.
    expect(changes).toContain('group_vars/galaxyservers.yml');
  });
});

describe('group-wide migration: the uwsgi: block is in group_vars', () => {
  it('the group switches its own mode; environment, uWSGI env and comments carried; an option galaxy: already has is not repeated', async () => {
    const p = await plan('group-wide');
    expect(p.code).toBe(0);
    expect(p.after['group-wide/group_vars/galaxyservers.yml']).toBe(
      lines(
        'galaxy_systemd_mode: gravity',
        `galaxy_systemd_zergling_env: 'DRMAA_LIBRARY_PATH="/usr/lib/slurm-drmaa/lib/libdrmaa.so.1"'`,
        '',
        'galaxy_systemd_env:',
        `  - 'DRMAA_LIBRARY_PATH="/usr/lib/slurm-drmaa/lib/libdrmaa.so.1"'`,
        '',
        'galaxy_config:',
        '  galaxy:',
        '    brand: Example # shown in the masthead',
        '    galaxy_url_prefix: /galaxy',
        '  gravity:',
        '    gunicorn:',
        "      bind: '127.0.0.1:4001'",
        '      environment:',
        '        DRMAA_LIBRARY_PATH: /usr/lib/slurm-drmaa/lib/libdrmaa.so.1',
        "        GALAXY_EXTRA: '1'",
        ...celeryBlock('    '),
        '      environment:',
        "        GALAXY_EXTRA: '1'",
        '    handlers:',
        '      handler:',
        '        processes: 1',
        '        pools:',
        '          - job-handlers',
        '          - workflow-schedulers',
        '        environment:',
        '          DRMAA_LIBRARY_PATH: /usr/lib/slurm-drmaa/lib/libdrmaa.so.1',
        "          GALAXY_EXTRA: '1'",
        '  # from uWSGI `socket`: listeners',
        '  # from uWSGI `socket`: nginx',
        '    # end of uWSGI options',
        '  # kept: after the block',
        '',
      ),
    );
    const ids = p.findings.filter((f) => f.file === 'group-wide/group_vars/galaxyservers.yml').map((f) => `${f.ruleId}:${f.line}`);
    expect(ids).toEqual(['process/ansible-systemd-mode:1', 'ansible/galaxy-config-uwsgi:8']);
  });

  it('a host with its own block under that group: the group’s mode is switched in the same plan, so the host gets no mode of its own', async () => {
    const p = await plan('group-wide');
    expect(p.after['group-wide/host_vars/big.example.org.yml']).toBe(
      lines(
        'galaxy_handler_count: 2',
        'host_galaxy_config:',
        '  gravity:',
        '    gunicorn:',
        '      workers: 8',
        '      environment:',
        '        DRMAA_LIBRARY_PATH: /usr/lib/slurm-drmaa/lib/libdrmaa.so.1',
        ...celeryBlock('    '),
        '',
      ),
    );
    const f = p.findings.find((x) => x.file === 'group-wide/host_vars/big.example.org.yml')!;
    expect(f.message).toContain(
      '`galaxy_systemd_mode: mule` comes from group galaxyservers, group-wide/group_vars/galaxyservers.yml, which the same plan switches to gravity (process/ansible-systemd-mode)',
    );
    expect(f.notes).toContain('`galaxy_systemd_env` is set by the rewrite of group-wide/group_vars/galaxyservers.yml, which this host inherits');
  });
});
