import { describe, expect, it } from 'vitest';
import { PROCESS_RULES } from '../../../rules/process/index.js';
import { corpusFiles } from '../../helpers/corpus-files.js';
import { HAVE_SHARED } from '../../helpers/shared.js';
import { deploymentFrom, run } from './helpers.js';

describe('ansible galaxy_systemd_mode', () => {
  const vars = [
    'galaxy_config_style: yaml',
    'galaxy_systemd_mode: "mule"   # uWSGI',
    'galaxy_zergpool: true',
    'galaxy_systemd_zerglings: 2',
    '',
  ].join('\n');

  it('becomes gravity, quotes and comment kept; unused zerg variables are named', () => {
    const o = run(deploymentFrom({ 'group_vars/galaxyservers.yml': vars }), PROCESS_RULES);
    expect(o.after['group_vars/galaxyservers.yml']).toBe(vars.replace('"mule"', '"gravity"'));
    const f = o.findings.find((x) => x.ruleId === 'process/ansible-systemd-mode')!;
    expect(f.location.line).toBe(2);
    expect(f.notes![0]).toBe('no longer used once Gravity runs the services: galaxy_zergpool, galaxy_systemd_zerglings');
  });

  it('a role\'s own default is reported, not changed', () => {
    const o = run(deploymentFrom({ 'roles/galaxy/defaults/main.yml': 'galaxy_systemd_mode: mule\ngalaxy_config_style: yaml\n' }), PROCESS_RULES);
    expect(o.status).toEqual({});
    expect(o.findings.map((f) => [f.ruleId, f.severity])).toEqual([['process/ansible-systemd-mode', 'info']]);
  });

  it.skipIf(!HAVE_SHARED)('on the corpus: the usegalaxy.org.au and usegalaxy.no group vars that still say mule; nothing else is touched', () => {
    const hits: string[] = [];
    for (const f of corpusFiles().filter((x) => x.kind === 'ansible-vars')) {
      const o = run(deploymentFrom({ [f.path]: f.text }), PROCESS_RULES);
      if (o.status[f.path]) hits.push(f.path);
    }
    expect(hits).toEqual([
      'usegalaxy-au__infrastructure/3e88957b4a/group_vars/galaxyservers.yml',
      'usegalaxy-au__infrastructure/e914ac36af/group_vars/galaxyservers.yml',
      'usegalaxy-no__infrastructure-playbook/3114f049b7/env/common/group_vars/galaxy.yml',
    ]);
  });
});
