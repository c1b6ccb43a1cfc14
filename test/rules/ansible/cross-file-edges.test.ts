import { describe, expect, it } from 'vitest';
import { ANSIBLE_RULES } from '../../../rules/ansible/index.js';
import { deploymentFrom, run } from '../process/helpers.js';

const lines = (...l: string[]): string => l.join('\n');
const HOST = 'host_vars/web1.yml';
const block = (...galaxy: string[]) =>
  lines('galaxy_commit_id: release_22.05', 'host_galaxy_config:', '  uwsgi:', '    socket: 127.0.0.1:8080', '    mount: /galaxy=galaxy.webapps.galaxy.buildapp:uwsgi_app()', '  galaxy:', ...galaxy, '');

describe('ansible/galaxy-config-uwsgi across an inventory: where it does not guess', () => {
  it('an existing galaxy: option with another value than the uWSGI block gives: a finding without a fix, value not printed', () => {
    const o = run(deploymentFrom({ [HOST]: block('    galaxy_url_prefix: /other', '    id_secret: s3cr3t-value') }), ANSIBLE_RULES);
    expect(o.status).toEqual({});
    expect(o.ids).toEqual([`ansible/galaxy-config-uwsgi@${HOST}:3`]);
    const f = o.findings[0]!;
    expect(f.fix).toBeUndefined();
    expect(f.message).toContain('`host_galaxy_config.galaxy.galaxy_url_prefix` is already set to another value than the uWSGI block gives it');
    expect(JSON.stringify(f)).not.toContain('/other');
  });

  it('two groups that set the zergling environment differently: no environment carried, a note says why; the rest is rewritten', () => {
    const o = run(
      deploymentFrom({
        [HOST]: block('    brand: x'),
        'group_vars/galaxyservers.yml': 'galaxy_systemd_zergling_env: A=1\n',
        'group_vars/workers.yml': 'galaxy_systemd_zergling_env: A=2\n',
      }),
      ANSIBLE_RULES,
    );
    expect(o.after[HOST]).not.toContain('environment');
    expect(o.after[HOST]).not.toContain('galaxy_systemd_env');
    expect(o.after[HOST]).toContain('    galaxy_url_prefix: /galaxy');
    expect(o.findings[0]!.notes!.some((n) => n.startsWith('`galaxy_systemd_zergling_env` (the environment of the uWSGI units) is set differently by group_vars/galaxyservers.yml, group_vars/workers.yml'))).toBe(true);
  });

  it('a zergling environment that is one Jinja expression is not split: a note, no environment', () => {
    const o = run(deploymentFrom({ [HOST]: block('    brand: x'), 'group_vars/all.yml': 'galaxy_systemd_zergling_env: "{{ site_env }}"\n' }), ANSIBLE_RULES);
    expect(o.after[HOST]).not.toContain('environment');
    expect(o.findings[0]!.notes!.some((n) => n.includes('because it is one Jinja2 expression'))).toBe(true);
  });
});
