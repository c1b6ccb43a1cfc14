import { describe, expect, it } from 'vitest';
import { detectKind } from '../../../src/formats/detect.js';

/*
 * Issue 5: a host_vars or group_vars file whose only Galaxy variable is not named galaxy_*
 * (`host_galaxy_config:`, `group_galaxy_config:`) is the inventory's ansible variables; the
 * directory is the evidence. YAML files elsewhere with such keys stay unknown, and files under
 * group_vars/ without any Galaxy variable are not claimed.
 */
describe('detectKind for inventory variables', () => {
  it.each([
    ['inv/host_vars/web1.example.org.yml', 'host_galaxy_config:\n  uwsgi:\n    socket: 127.0.0.1:8080\n'],
    ['host_vars/web1/main.yml', '# web1 only\nhost_galaxy_config:\n  galaxy:\n    brand: x\n'],
    ['inv/group_vars/galaxyservers.yml', 'group_galaxy_config:\n  uwsgi:\n    - socket: 127.0.0.1:8080\n'],
    ['C:\\inv\\host_vars\\web1.yml', 'host_galaxy_config:\n  uwsgi: {}\n'],
  ])('%s is ansible-vars', (path, text) => {
    expect(detectKind(path, text)).toBe('ansible-vars');
  });

  it('the same keys outside group_vars/host_vars are not claimed', () => {
    expect(detectKind('inv/vars/extra.yml', 'host_galaxy_config:\n  uwsgi:\n    socket: x\n')).toBeUndefined();
    expect(detectKind('my_host_vars/web1.yml', 'host_galaxy_config:\n  uwsgi:\n    socket: x\n')).toBeUndefined();
  });

  it('a vars file with no Galaxy variable is not claimed, and galaxy.yml-shaped files keep their kind', () => {
    expect(detectKind('inv/group_vars/all/ntp.yml', 'ntp_servers:\n  - pool.ntp.org\n')).toBeUndefined();
    expect(detectKind('inv/group_vars/all/vault.yml', 'vault_id_secret: x\n')).toBeUndefined();
    expect(detectKind('inv/group_vars/galaxy.yml', 'galaxy:\n  brand: x\n')).toBe('galaxy-yml');
    expect(detectKind('inv/host_vars/uwsgi.yml', 'socket: 127.0.0.1:8080\n')).toBe('uwsgi-yaml');
  });
});
