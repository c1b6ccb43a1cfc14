import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.js';
import { compileIgnore, isIgnored } from '../../src/config/glob.js';
import { SAMPLE, tempDir, writeTree } from '../helpers/deployment.js';
import { RULES, runWith } from '../helpers/run-with-rules.js';

const KNOWN = new Set([...RULES.map((r) => r.meta.id), 'parse-error', 'uwsgi/listeners']);
const parse = (text: string) => parseConfig(text, '.galaxy-migrate.yml', '/d', KNOWN);
const error = (text: string): string => {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('.galaxy-migrate.yml', () => {
  it('reads rule settings and ignore patterns', () => {
    const c = parse('rules:\n  test/no-mules: off\n  test/processes: error\n  test/uwsgi-pass: warn\n  uwsgi/listeners: false\nignore:\n  - "*.sample"\n');
    expect(c.rules.get('test/no-mules')).toEqual({ off: true });
    expect(c.rules.get('test/processes')).toEqual({ off: false, severity: 'error' });
    expect(c.rules.get('test/uwsgi-pass')).toEqual({ off: false, severity: 'warning' });
    expect(c.rules.get('uwsgi/listeners')).toEqual({ off: true });
    expect(c.ignore.map((p) => p.source)).toEqual(['*.sample']);
    expect(parse('').rules.size).toBe(0);
    expect(parse('# only a comment\n').rules.size).toBe(0);
  });

  it('says what is wrong and where, as file:line:column', () => {
    expect(error('rules:\n  test/no-mule: off\n')).toBe('.galaxy-migrate.yml:2:3: unknown rule "test/no-mule" (did you mean "test/no-mules"?); `migrate rules` lists them');
    expect(error('rules:\n  nothing-like-it: off\n')).toBe('.galaxy-migrate.yml:2:3: unknown rule "nothing-like-it"; `migrate rules` lists them');
    expect(error('rules:\n  test/no-mules: sometimes\n')).toBe('.galaxy-migrate.yml:2:18: "test/no-mules" must be off, on, error, warning or info (got "sometimes")');
    expect(error('rules:\n  test/no-mules:\n')).toBe('.galaxy-migrate.yml:2:17: "test/no-mules" must be off, on, error, warning or info (got nothing)');
    expect(error('rules: [a, b]\n')).toBe('.galaxy-migrate.yml:1:8: `rules` must map rule ids to off, on, error, warning or info');
    expect(error('ignore: "*.sample"\n')).toBe('.galaxy-migrate.yml:1:9: `ignore` must be a list of paths or patterns, such as - "*.sample"');
    expect(error('ignore:\n  - 3\n')).toBe('.galaxy-migrate.yml:2:5: each `ignore` entry must be a non-empty path or pattern (got 3)');
    expect(error('rule:\n  test/no-mules: off\n')).toBe('.galaxy-migrate.yml:1:1: unknown setting "rule"; a config has `rules:` and `ignore:`');
    expect(error('- rules\n')).toBe('.galaxy-migrate.yml:1:1: the config must be a mapping with `rules:` and `ignore:`');
    expect(error('rules:\n  a: off\n  a: on\n')).toMatch(/^\.galaxy-migrate\.yml:3:3: /);
    expect(error('rules: {\n')).toMatch(/^\.galaxy-migrate\.yml:\d+:\d+: /);
  });

  it('accepts ids that readers report in a known family (they are not in the rule registry)', () => {
    expect(parse('rules:\n  uwsgi/read-error: off\n').rules.get('uwsgi/read-error')).toEqual({ off: true });
  });
});

describe('ignore patterns', () => {
  const ignored = (path: string, ...patterns: string[]): boolean => isIgnored(path, patterns.map(compileIgnore));
  it('match as .gitignore does', () => {
    expect(ignored('config/galaxy.yml.sample', '*.sample')).toBe(true);
    expect(ignored('galaxy.yml.sample', '*.sample')).toBe(true);
    expect(ignored('config/galaxy.yml', '*.sample')).toBe(false);
    expect(ignored('roles/a/b/galaxy.yml', 'roles/**')).toBe(true);
    expect(ignored('other/roles/galaxy.yml', 'roles/**')).toBe(false);
    expect(ignored('group_vars/all/vault.yml', 'group_vars/')).toBe(true);
    expect(ignored('x/group_vars/all.yml', 'group_vars/')).toBe(true);
    expect(ignored('local.yml', '/local.yml')).toBe(true);
    expect(ignored('sub/local.yml', '/local.yml')).toBe(false);
    expect(ignored('config/a.j2', 'config/*.j2')).toBe(true);
    expect(ignored('config/sub/a.j2', 'config/*.j2')).toBe(false);
    expect(ignored('config/a/b/c.j2', 'config/**/*.j2')).toBe(true);
    expect(ignored('config/c.j2', 'config/**/*.j2')).toBe(true);
    expect(ignored('a1.yml', 'a?.yml')).toBe(true);
    expect(ignored('ab.yml', 'a[0-9].yml')).toBe(false);
    expect(ignored('roles/keep.yml', 'roles/**', '!roles/keep.yml')).toBe(false);
    expect(ignored('a+b(c).yml', 'a+b(c).yml')).toBe(true);
  });
});

describe('the config in use', () => {
  it('turns rules off (neither reported nor applied), changes severities, and ignores paths', async () => {
    const dir = writeTree(tempDir('gm-cfg-'), {
      ...SAMPLE,
      '.galaxy-migrate.yml': 'rules:\n  test/uwsgi-pass: off\n  test/processes: error\nignore:\n  - config/job_conf.xml\n',
    });
    const lint = await runWith(['lint', '--format', 'json', '.'], dir);
    const found = JSON.parse(lint.stdout).findings as { ruleId: string; severity: string; file: string }[];
    expect(found.some((f) => f.ruleId === 'test/uwsgi-pass')).toBe(false);
    expect(found.some((f) => f.file === 'config/job_conf.xml')).toBe(false);
    expect(found.find((f) => f.ruleId === 'test/processes')?.severity).toBe('error');
    expect(lint.code).toBe(1);

    const plan = JSON.parse((await runWith(['plan', '--format', 'json', '.'], dir)).stdout);
    expect(plan.changes.map((c: { file: string }) => c.file)).toEqual(['config/galaxy.yml', 'config/handlers.yml']);
    expect((await runWith(['apply', '--yes', '.'], dir)).code).toBe(1); // test/processes (now an error) has no fix
    expect((await runWith(['lint', '--no-config', '--format', 'json', '.'], dir)).stdout).toContain('test/uwsgi-pass');
  });

  it('is found in a folder above, named with --config, and its mistakes stop the command with exit 2', async () => {
    const root = writeTree(tempDir('gm-cfg-'), { '.galaxy-migrate.yml': 'rules:\n  test/processes: off\n', 'deploy/config/galaxy.yml': 'galaxy:\n  processes: 2\n' });
    const sub = join(root, 'deploy');
    expect((await runWith(['lint', '.'], sub)).code).toBe(0);
    writeFileSync(join(root, 'strict.yml'), 'rules:\n  test/processes: error\n');
    expect((await runWith(['lint', '--config', '../strict.yml', '.'], sub)).code).toBe(1);
    writeFileSync(join(root, '.galaxy-migrate.yml'), 'rules:\n  test/processez: off\n');
    const bad = await runWith(['lint', '.'], sub);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`migrate: ${join(root, '.galaxy-migrate.yml')}:2:3: unknown rule "test/processez" (did you mean "test/processes"?); \`migrate rules\` lists them\n`);
    const missing = await runWith(['lint', '--config', 'nope.yml', '.'], sub);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('migrate: nope.yml: no such config file\n');
  });
});
