import { describe, expect, it } from 'vitest';
import { showConfig } from '../../../src/commands/show-config.js';
import { memoryHost } from '../../../src/core/host.js';
import type { UwsgiOption } from '../../../src/core/model.js';
import { formatShowConfig, parseConfigArg, readUwsgiConfig } from '../../../src/formats/uwsgi/index.js';

const opt = (key: string, value: string): UwsgiOption => ({
  key,
  value,
  rawValue: value,
  file: 'f',
  range: { start: 0, end: 0 },
  keyRange: { start: 0, end: 0 },
  valueRange: { start: 0, end: 0 },
  included: false,
});

describe('formatShowConfig', () => {
  it('prints key = value lines with the oracle escapes', () => {
    expect(formatShowConfig([opt('a', 'b'), opt('c\\d', 'x\r'), opt('t', 'a\tb'), opt('n', 'l1\nl2\u0001\u007f'), opt('', '')])).toBe(
      'a = b\nc\\\\d = x\\r\nt = a\\tb\nn = l1\\x0al2\\x01\\x7f\n = \n',
    );
    expect(formatShowConfig([opt('u', 'é\u00a0')])).toBe('u = é\u00a0\n');
  });
});

describe('parseConfigArg', () => {
  it('splits at the last colon; an empty section is the default; URLs keep their scheme colon', () => {
    expect(parseConfigArg('galaxy.yml')).toEqual({ path: 'galaxy.yml' });
    expect(parseConfigArg('galaxy.yml:app')).toEqual({ path: 'galaxy.yml', section: 'app' });
    expect(parseConfigArg('galaxy.ini:app:main')).toEqual({ path: 'galaxy.ini:app', section: 'main' });
    expect(parseConfigArg('galaxy.yml:')).toEqual({ path: 'galaxy.yml' });
    expect(parseConfigArg('http://h:8080/u.ini')).toEqual({ path: 'http://h:8080/u.ini' });
    expect(parseConfigArg('http://h:8080/u.ini:sec')).toEqual({ path: 'http://h:8080/u.ini', section: 'sec' });
  });
});

describe('show-config command', () => {
  const files = {
    '/w/config/galaxy.yml': 'uwsgi:\n  http: :8080\n  master: "false"\n  processes:4\n  threads: 2\n',
    '/w/u.ini': '[uwsgi]\na = 1\ninclude = missing.ini\n',
    '/w/app.ini': '[uwsgi]\na = 1\n[app]\nb = 2\n',
  };
  const host = memoryHost(files, '/w');

  it('prints the options and reports what uWSGI does silently on stderr', () => {
    const out = showConfig('config/galaxy.yml', host);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toBe('http = :8080\nmaster = "false"\n');
    expect(out.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^config\/galaxy\.yml:3:11: warning: uWSGI turns `master` ON.* \[uwsgi\/boolean-reads-opposite\]$/),
      expect.stringMatching(/^config\/galaxy\.yml:4:1: warning: uWSGI silently stops reading this file at `processes:4`.*`threads`.* \[uwsgi\/parse-stopped\]$/),
    ]);
  });

  it('selects a section', () => {
    expect(showConfig('app.ini:app', host)).toEqual({ stdout: 'b = 2\n', stderr: '', exitCode: 0 });
  });

  it('exit 2 and one sentence where uWSGI would stop', () => {
    const out = showConfig('u.ini', host);
    expect(out).toEqual({
      stdout: '',
      stderr: 'u.ini:3:1: realpath() of missing.ini failed: No such file or directory\n',
      exitCode: 2,
    });
  });

  it('exit 2 for a missing file', () => {
    const out = showConfig('nope.yml', host);
    expect(out.exitCode).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe('nope.yml:1:1: realpath() of nope.yml failed: No such file or directory\n');
  });

  it('uses text the caller already read', () => {
    const r = readUwsgiConfig('config/galaxy.yml', { host, text: 'uwsgi:\n  x: 1\n' });
    expect(formatShowConfig(r.options)).toBe('x = 1\n');
    expect(r.files[0]!.text).toBe('uwsgi:\n  x: 1\n');
  });
});
