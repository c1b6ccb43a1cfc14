import { describe, expect, it } from 'vitest';
import type { Document } from '../../src/core/document.js';
import { parseAnsibleVars } from '../../src/formats/ansible-vars/index.js';
import { memoryHost } from '../../src/core/host.js';
import { parseGalaxyYml } from '../../src/formats/galaxy-yml/index.js';
import { decisionsForBlock, inventoryBind } from '../../src/model/ansible-decide.js';
import { ansibleUwsgiConfigs } from '../../src/model/ansible-uwsgi.js';
import { buildDeployment } from '../../src/model/build.js';
import { decideMigration, UWSGI_EXTRACTORS } from '../../src/model/wiring.js';

/*
 * Issue 5: the uWSGI blocks of an ansible inventory are uWSGI configurations of the model. The
 * deployment's decisions (gunicorn bind, handler pools, prefix) are made from them once; host_vars
 * win over group_vars and group_vars over group_vars/all, and blocks that give different binds leave
 * the bind undecided rather than chosen.
 */
const vars = (path: string, ...l: string[]): Document => parseAnsibleVars({ path, text: `${l.join('\n')}\n`, bom: false });
const deploy = (...docs: Document[]) => buildDeployment(docs, UWSGI_EXTRACTORS, decideMigration);

const GROUP = vars(
  'inv/group_vars/galaxyservers.yml',
  'galaxy_config:',
  '  uwsgi:',
  '    socket: 127.0.0.1:8080',
  '    virtualenv: "{{ galaxy_venv_dir }}"',
  '    mount: /galaxy=galaxy.webapps.galaxy.buildapp:uwsgi_app()',
  '    processes: 3',
  '    mule:',
  '      - lib/galaxy/main.py',
  '      - lib/galaxy/main.py',
  '    farm: job-handlers:1,2',
);

describe('ansible uWSGI blocks as model configurations', () => {
  it('keeps Jinja values verbatim and marks them templated, with the block’s file and variable', () => {
    const [c] = ansibleUwsgiConfigs([GROUP]);
    expect(c!.file).toBe('inv/group_vars/galaxyservers.yml');
    expect(c!.section).toBe('galaxy_config.uwsgi');
    expect(c!.origin.place).toEqual({ root: 'inv', scope: 'group', name: 'galaxyservers' });
    expect(c!.templated).toBe(true);
    const venv = c!.options.find((o) => o.key === 'virtualenv')!;
    expect([venv.value, venv.templated]).toEqual(['{{ galaxy_venv_dir }}', true]);
    expect(c!.options.find((o) => o.key === 'socket')!.templated).toBe(false);
    expect(c!.options.filter((o) => o.key === 'mule')).toHaveLength(2);
  });

  it('decides the bind, prefix, workers and handler pools from the group’s block', () => {
    const d = deploy(GROUP).decisions;
    expect(d.gunicornBind).toBe('127.0.0.1:8080');
    expect(d.urlPrefix).toBe('/galaxy');
    expect(d.webWorkers).toBe(3);
    expect(d.handlers.map((h) => [h.name, h.processes, h.pools])).toEqual([['handler', 2, ['job-handlers', 'workflow-schedulers']]]);
    expect(d.legacyListeners.map((l) => [l.option, l.file])).toEqual([['socket', 'inv/group_vars/galaxyservers.yml']]);
    // Not among the galaxy.yml-style sections the uwsgi/* rules rewrite.
    expect(deploy(GROUP).uwsgi).toEqual([]);
  });

  it('a block with logic is not a source of decisions (the ansible rule does not rewrite it)', () => {
    const logic = vars('inv/group_vars/galaxyservers.yml', 'galaxy_config:', '  uwsgi:', '    if-env: BIG', '    socket: 127.0.0.1:9090', '    endif: ""');
    expect(ansibleUwsgiConfigs([logic])).toEqual([]);
    expect(deploy(logic).decisions.gunicornBind).toBeUndefined();
  });

  it('host_vars blocks that agree with the group keep one decided bind', () => {
    const host = vars('inv/host_vars/web1.yml', 'host_galaxy_config:', '  uwsgi:', '    socket: 127.0.0.1:8080', '    processes: 8');
    const inv = inventoryBind([GROUP, host]);
    expect(inv.kind).toBe('agreed');
    // The group's block is the one decided from (it applies to the hosts without their own).
    expect(deploy(GROUP, host).decisions.webWorkers).toBe(3);
  });

  it('a host whose block binds elsewhere leaves the bind undecided, with both listeners Galaxy’s', () => {
    const host = vars('inv/host_vars/web1.yml', 'host_galaxy_config:', '  uwsgi:', '    socket: /srv/galaxy/uwsgi.sock');
    const inv = inventoryBind([GROUP, host]);
    expect(inv.kind).toBe('undecided');
    if (inv.kind !== 'undecided') return;
    expect(inv.targets.map((t) => [t.who, t.decisions.gunicornBind])).toEqual([
      ['group galaxyservers', '127.0.0.1:8080'],
      ['host web1', 'unix:/srv/galaxy/gunicorn.sock'],
    ]);
    const d = deploy(GROUP, host).decisions;
    expect(d.gunicornBind).toBeUndefined();
    expect(d.legacyListeners.map((l) => l.file).sort()).toEqual(['inv/group_vars/galaxyservers.yml', 'inv/host_vars/web1.yml']);
  });

  it('hosts that differ only in the bind still decide the handler pools and prefix they share', () => {
    const host = vars(
      'inv/host_vars/web1.yml',
      'host_galaxy_config:',
      '  uwsgi:',
      '    socket: 127.0.0.1:9090',
      '    mount: /galaxy=galaxy.webapps.galaxy.buildapp:uwsgi_app()',
      '    mule:',
      '      - lib/galaxy/main.py',
      '      - lib/galaxy/main.py',
      '    farm: job-handlers:1,2',
    );
    const d = deploy(GROUP, host).decisions;
    expect(d.gunicornBind).toBeUndefined();
    expect(d.urlPrefix).toBe('/galaxy');
    expect(d.handlers.map((h) => [h.name, h.processes])).toEqual([['handler', 2]]);
    // A host without the mules: the pools are not agreed, so none are decided.
    const plain = vars('inv/host_vars/web2.yml', 'host_galaxy_config:', '  uwsgi:', '    socket: 127.0.0.1:9191');
    expect(deploy(GROUP, plain).decisions.handlers).toEqual([]);
  });

  it('files of one host directory: the last in name order wins, as ansible reads them', () => {
    const a = vars('inv/host_vars/web1/a.yml', 'host_galaxy_config:', '  uwsgi:', '    socket: 127.0.0.1:7000');
    const b = vars('inv/host_vars/web1/b.yml', 'host_galaxy_config:', '  uwsgi:', '    socket: 127.0.0.1:8080');
    // b.yml (127.0.0.1:8080) overrides a.yml for web1, and agrees with the group.
    expect(inventoryBind([GROUP, b, a]).kind).toBe('agreed');
    expect(deploy(b, a).decisions.gunicornBind).toBe('127.0.0.1:8080');
  });

  it('group_vars/all counts only when no other group holds a block', () => {
    const all = vars('inv/group_vars/all.yml', 'galaxy_config:', '  uwsgi:', '    socket: 127.0.0.1:7000');
    expect(deploy(GROUP, all).decisions.gunicornBind).toBe('127.0.0.1:8080');
    expect(deploy(all).decisions.gunicornBind).toBe('127.0.0.1:7000');
  });

  it('after the migration, the inventory’s gravity binds decide (or stay undecided) the same way', () => {
    const group = vars('inv/group_vars/galaxyservers.yml', 'galaxy_config:', '  gravity:', '    gunicorn:', "      bind: '127.0.0.1:8080'");
    expect(deploy(group).decisions.gunicornBind).toBe('127.0.0.1:8080');
    const host = vars('inv/host_vars/web1.yml', 'host_galaxy_config:', '  gravity:', '    gunicorn:', "      - bind: 'unix:/srv/galaxy/gunicorn.sock'");
    expect(inventoryBind([group, host]).kind).toBe('undecided');
    expect(deploy(group, host).decisions.gunicornBind).toBeUndefined();
  });

  it('a galaxy.yml-style uWSGI configuration read with the inventory still comes first', () => {
    const yml = parseGalaxyYml({ path: 'inv/files/galaxy.yml', text: 'uwsgi:\n  socket: 127.0.0.1:5555\ngalaxy:\n  brand: x\n', bom: false }, memoryHost({}, '/d'));
    const d = deploy(GROUP, yml);
    expect(d.decisions.gunicornBind).toBe('127.0.0.1:5555');
    // The inventory's block keeps its own bind for its own gravity: section.
    expect(decisionsForBlock(d, ansibleUwsgiConfigs([GROUP])[0]!).gunicornBind).toBe('127.0.0.1:8080');
    // Alone, the block is what the deployment decided from: the writer gets those very decisions.
    const alone = deploy(GROUP);
    expect(decisionsForBlock(alone, ansibleUwsgiConfigs([GROUP])[0]!)).toBe(alone.decisions);
  });
});
