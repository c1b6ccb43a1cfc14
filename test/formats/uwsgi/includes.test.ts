import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../../src/core/host.js';
import { readUwsgiConfig } from '../../../src/formats/uwsgi/index.js';
import { readFixture, slice } from './helpers.js';

const read = (file: string, opts: { env?: Record<string, string>; root?: string } = {}) => readFixture('includes', file, opts);

describe('include, ini, yaml, inherit', () => {
  it('splices included files in place, %d/%n are theirs, %D/%N the first file; inherit comes last, unexpanded', () => {
    const r = read('main.ini');
    const dir = r.cwd;
    expect(r.pairs()).toEqual([
      ['before', '0'],
      ['include', 'inc/child.ini'],
      ['child', '1'],
      ['child-dir', `${dir}/inc/`],
      ['top-dir', `${dir}/`],
      ['child-name', 'child'],
      ['top-name', 'main'],
      ['middle', '1'],
      ['ini', 'inc/child.ini:other'],
      ['other-key', 'other'],
      ['yaml', 'inc/child.yml'],
      ['from-yaml', 'child'],
      ['yaml', 'inc/child.yml:alt'],
      ['from-alt', 'alt'],
      ['ini', ':other'],
      ['other-key', 'other'],
      ['inherit', 'inc/template.ini'],
      ['after', '2'],
      ['shared', '%(before)'],
      ['include', `${dir}/inc/leaf.ini`],
      ['leaf', `${dir}/inc/`],
    ]);
    expect(r.result.files.map((f) => f.path)).toEqual(['main.ini', 'inc/child.ini', 'inc/child.yml', 'inc/template.ini', 'inc/leaf.ini']);
    const child = r.option('child');
    expect(child.file).toBe('inc/child.ini');
    expect(child.included).toBe(true);
    expect(r.at('inc/child.ini', child.range)).toBe('2:1');
    expect(r.option('before').included).toBe(false);
    expect(r.option('shared').included).toBe(true);
    expect(slice(r.text('inc/template.ini'), r.option('shared').valueRange)).toBe('%(before)');
    // the main file's [uwsgi] section only
    expect(slice(r.text('main.ini'), r.result.sectionRange!)).toBe(r.text('main.ini'));
  });

  it('from YAML too; the type comes from the extension; ini = :section reuses the last INI file', () => {
    const r = read('from-yaml.yml');
    expect(r.pairs().map(([k]) => k)).toEqual([
      'a', 'include', 'child', 'child-dir', 'top-dir', 'child-name', 'top-name', 'ini', 'other-key', 'include', 'from-yaml', 'b',
    ]);
    expect(r.option('top-name').value).toBe('from-yaml');
  });

  it('relative paths resolve against the working directory, not the including file', () => {
    const r = read('nested-bad.ini');
    expect(r.result.fatal).toEqual({
      message: 'realpath() of leaf.ini failed: No such file or directory',
      file: 'inc/nested-bad.ini',
      range: expect.objectContaining({ start: 8 }),
    });
  });

  it('fatal: a missing file, a :section on include, an unknown extension, a placeholder in an include path', () => {
    const cases: [string, string, string, string][] = [
      ['missing.ini', 'realpath() of inc/does-not-exist.ini failed: No such file or directory', '3:1', 'uwsgi/include-missing'],
      ['section-error.ini', 'unable to load configuration from inc/child.ini:other', '3:1', 'uwsgi/include-invalid'],
      ['bad-extension.ini', 'unable to load configuration from inc/settings.conf', '2:1', 'uwsgi/include-invalid'],
      ['placeholder-path.ini', 'realpath() of %(dir)/child.ini failed: No such file or directory', '3:1', 'uwsgi/include-missing'],
      ['inherit.ini', 'realpath() of /srv/nope.ini failed: No such file or directory', '3:1', 'uwsgi/include-missing'],
    ];
    for (const [file, message, at, ruleId] of cases) {
      const r = read(file);
      expect(r.result.fatal?.message, file).toBe(message);
      expect(r.result.fatal?.file).toBe(file);
      expect(r.at(file, r.result.fatal!.range), file).toBe(at);
      const errors = r.result.issues.filter((i) => i.severity === 'error');
      expect(errors.map((i) => [i.ruleId, i.file, r.at(file, i.range)]), file).toEqual([[ruleId, file, at]]);
    }
  });

  it('include loops are reported, not followed', () => {
    const r = read('loop-a.ini');
    expect(r.result.fatal?.message).toBe('include loop: loop-a.ini -> inc/loop-b.ini -> loop-a.ini (uWSGI recurses until it crashes)');
    const [loop] = r.issues('uwsgi/include-loop');
    expect(loop!.file).toBe('inc/loop-b.ini');
    expect(r.at('inc/loop-b.ini', loop!.range)).toBe('3:11');
    expect(r.pairs()).toEqual([
      ['a', '1'],
      ['include', 'inc/loop-b.ini'],
      ['b', '1'],
      ['include', 'loop-a.ini'],
    ]);
    expect(read('self.yml').issues('uwsgi/include-loop')).toHaveLength(1);
  });

  it('never runs exec:// configuration sources', () => {
    const r = read('exec.ini');
    const [e] = r.issues('uwsgi/exec-not-run');
    expect(r.at('exec.ini', e!.range)).toBe('3:7');
    expect(e!.message).toContain('`cat inc/child.ini`');
    // include picks the reader from the extension: exec://generate has none, which uWSGI refuses
    expect(r.result.fatal?.message).toBe('unable to load configuration from exec://generate');
  });

  it('files outside the deployment root are read and reported', () => {
    const r = read('main.ini', { root: 'inc/none' });
    const outside = r.issues('uwsgi/include-outside-root');
    expect(outside.length).toBeGreaterThan(0);
    expect(r.at('main.ini', outside[0]!.range)).toBe('3:11');
    expect(read('main.ini').issues('uwsgi/include-outside-root')).toEqual([]);
  });
});

describe('the deployment root', () => {
  it('defaults to the working directory, or to the main file\'s directory when the main file is outside it', () => {
    const host = memoryHost(
      {
        '/etc/uwsgi/galaxy.ini': '[uwsgi]\ninclude = /etc/uwsgi/common.ini\ninclude = /opt/other.ini\n',
        '/etc/uwsgi/common.ini': '[uwsgi]\na = 1\n',
        '/opt/other.ini': '[uwsgi]\nb = 1\n',
      },
      '/home/admin',
    );
    const r = readUwsgiConfig('/etc/uwsgi/galaxy.ini', { host });
    expect(r.issues.filter((i) => i.ruleId === 'uwsgi/include-outside-root').map((i) => i.message)).toEqual([
      expect.stringContaining('`/opt/other.ini` is outside the deployment (/etc/uwsgi)'),
    ]);
    const explicit = readUwsgiConfig('/etc/uwsgi/galaxy.ini', { host, root: '/etc/uwsgi/none' });
    expect(explicit.issues.filter((i) => i.ruleId === 'uwsgi/include-outside-root')).toHaveLength(2);
  });
});

describe('UWSGI_* environment variables', () => {
  it('become leading options (lower case, _ -> -) that placeholders see', () => {
    const r = read('env-first.ini', { env: { UWSGI_FROM_ENV: 'envval', UWSGI_RELOADS: '3', OTHER: 'x' } });
    expect(r.pairs()).toEqual([
      ['from-env', 'envval'],
      ['from-file', 'envval'],
    ]);
    const env = r.option('from-env');
    expect(env.file).toBe('<environment>');
    expect(env.rawValue).toBe('envval');
  });
});
