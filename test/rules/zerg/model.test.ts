import { describe, expect, it } from 'vitest';
import { instanceBinds, loopCount } from '../../../src/model/zerg.js';

describe('instance binds from the zerg pool address', () => {
  it('TCP: the first keeps the address, the next take the following ports, skipping ports in use', () => {
    const used = new Map([[4002, '`stats` in a'], [4003, '`stats` in b']]);
    const r = instanceBinds({ kind: 'tcp', host: '127.0.0.1', port: 4001 }, 3, used);
    expect(r.instances.map((i) => i.bind)).toEqual(['127.0.0.1:4001', '127.0.0.1:4004', '127.0.0.1:4005']);
    expect(r.skipped).toEqual(['4002 (`stats` in a)', '4003 (`stats` in b)']);
  });

  it('TCP on every interface: an explicit host, as Gravity\'s readiness check needs', () => {
    expect(instanceBinds({ kind: 'tcp', host: '', port: 8080 }, 2, new Map()).instances.map((i) => i.bind)).toEqual(['0.0.0.0:8080', '0.0.0.0:8081']);
  });

  it('unix: numbered sockets beside the pool socket', () => {
    expect(instanceBinds({ kind: 'unix', path: '/srv/galaxy/var/zerg.sock' }, 2, new Map()).instances.map((i) => i.bind)).toEqual([
      'unix:/srv/galaxy/var/gunicorn0.sock',
      'unix:/srv/galaxy/var/gunicorn1.sock',
    ]);
  });
});

describe('Jinja loop counts around a supervisord section', () => {
  const at = (text: string): number | undefined | null => loopCount(text, text.indexOf('[program'));
  it('counts literal lists and range()', () => {
    expect(at('{% for i in [0, 1] %}\n[program:z{{ i }}]\n')).toBe(2);
    expect(at('{% for i in range(3) %}\n[program:z{{ i }}]\n')).toBe(3);
    expect(at('{%- for i in range(1, 5) -%}\n[program:z{{ i }}]\n')).toBe(4);
  });
  it('unknown for a variable, none outside a loop or after endfor', () => {
    expect(at('{% for i in range(galaxy_zerglings) %}\n[program:z{{ i }}]\n')).toBeUndefined();
    expect(at('[program:z]\n')).toBeNull();
    expect(at('{% for i in [0, 1] %}\nx\n{% endfor %}\n[program:z]\n')).toBeNull();
  });
});
