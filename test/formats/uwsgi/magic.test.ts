import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../../src/core/host.js';
import { formatShowConfig, readUwsgiConfig } from '../../../src/formats/uwsgi/index.js';
import { djb33x, fileMagic } from '../../../src/formats/uwsgi/magic.js';
import { readFixture } from './helpers.js';

describe('magic variables', () => {
  it('per-file and first-file variables, %% and %( escapes, unknown ones vanish, keys too', () => {
    const r = readFixture('yaml', 'magic.yml');
    const dir = r.cwd;
    expect(r.pairs()).toEqual([
      ['dir', `${dir}/`],
      ['name', 'magic'],
      ['ext', 'yml'],
      ['file', 'magic.yml'],
      ['given', 'magic.yml'],
      ['top', 'magic'],
      ['percent', '100%'],
      ['paren', `${dir}/`],
      ['unknown', 'abc'],
      ['key-magic', 'in key'],
      ['section', '[]'],
      ['version', '2.0.21'],
      ['cwd', dir],
    ]);
    expect(r.issues('uwsgi/percent-vanishes').map((i) => r.at('magic.yml', i.range))).toEqual(['10:13', '10:16']);
    expect(r.at('magic.yml', r.option('key-magic').keyRange)).toBe('11:3');
  });

  it('fileMagic splits a path like uWSGI', () => {
    expect(fileMagic('config/galaxy.yml', '/srv/galaxy/config/galaxy.yml', 'app')).toEqual({
      o: 'config/galaxy.yml',
      p: '/srv/galaxy/config/galaxy.yml',
      s: 'galaxy.yml',
      d: '/srv/galaxy/config/',
      e: 'yml',
      n: 'galaxy',
      c: 'config',
      parts: ['srv', 'galaxy', 'config'],
      x: 'app',
    });
    expect(fileMagic('noext', '/noext', '').n).toBe('');
    expect(fileMagic('noext', '/noext', '').c).toBe('');
    expect(djb33x('/srv/galaxy/config/galaxy.yml').toString(16)).toMatch(/^[0-9a-f]{1,8}$/);
  });

  it('%0..%9 and %c, %j; machine-dependent ones are reported', () => {
    const host = memoryHost({ '/srv/app/conf/u.ini': '[uwsgi]\nparts = %0/%1/%2/%3\ndirname = %c\nhost = %h\nhash = %j\n' }, '/srv/app', {
      HOSTNAME: 'galaxy01',
    });
    const r = readUwsgiConfig('conf/u.ini', { host });
    expect(formatShowConfig(r.options)).toBe(
      `parts = srv/app/conf/\ndirname = conf\nhost = galaxy01\nhash = ${djb33x('/srv/app/conf/u.ini').toString(16).padStart(8, '0')}\n`,
    );
    const runtime = r.issues.filter((i) => i.ruleId === 'uwsgi/magic-runtime');
    expect(runtime).toHaveLength(1);
    expect(runtime[0]!.severity).toBe('info');
    expect(runtime[0]!.message).toContain('host name');
  });

  it('%D %N stay the main file\'s in included files; %x is the included section', () => {
    const host = memoryHost(
      {
        '/w/main.ini': '[uwsgi]\ninclude = sub/inc.ini\nini = sub/inc.ini:other\n',
        '/w/sub/inc.ini': '[uwsgi]\nd = %d\nD = %D\nn = %n\nN = %N\n[other]\nx = %x\nX = %X\n',
      },
      '/w',
    );
    const r = readUwsgiConfig('main.ini', { host });
    expect(formatShowConfig(r.options)).toBe(
      'include = sub/inc.ini\nd = /w/sub/\nD = /w/\nn = inc\nN = main\nini = sub/inc.ini:other\nx = other\nX = \n',
    );
  });

  it('a % as the very last character vanishes', () => {
    const host = memoryHost({ '/w/a.ini': '[uwsgi]\na = 5%' }, '/w');
    const r = readUwsgiConfig('a.ini', { host });
    expect(formatShowConfig(r.options)).toBe('a = 5\n');
    expect(r.issues.map((i) => i.ruleId)).toEqual(['uwsgi/percent-vanishes']);
  });
});
