import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileKind } from '../../src/core/document.js';
import { memoryHost } from '../../src/core/host.js';
import { DEFAULT_TARGET } from '../../src/core/target.js';
import { PARSERS } from '../../src/formats/parsers.js';
import { MAX_FILES } from '../../src/io/discover.js';
import { MAX_FILE_BYTES, nodeHost } from '../../src/io/host.js';
import { analyse, FILE_SKIPPED } from '../../src/pipeline.js';
import { runCli } from '../helpers/cli.js';
import { SEEDS } from '../fuzz/seeds.js';
import { cliChild, ensureBuilt, IS_ROOT, NOBODY, snapshot } from './child.js';

/**
 * Hostile input: each case gives one clear message naming the file (and line where there is one),
 * exit 2 where the command stops, nothing written, and bounded memory (measured loosely in a
 * child process). No timing assertions: a hang is caught by the child's kill timer.
 */
const base = mkdtempSync(join(tmpdir(), 'gm-hostile-'));
afterAll(() => {
  // chmod 000 leftovers must not stop the cleanup
  try {
    execFileSync('chmod', ['-R', 'u+rwx', base]);
  } catch {
    /* best effort */
  }
  rmSync(base, { recursive: true, force: true });
}, 120_000);
beforeAll(() => ensureBuilt(), 300_000);

let n = 0;
function tree(files: Record<string, string | Buffer>): string {
  const dir = join(base, `d${n++}`);
  mkdirSync(dir);
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), body);
  }
  return dir;
}

type CliRun = Awaited<ReturnType<typeof runCli>>;

/** Runs plan and lint in-process; each must leave the tree exactly as it was. */
async function bothCommands(args: string[], cwd: string): Promise<{ plan: CliRun; lint: CliRun }> {
  const before = snapshot(cwd);
  const plan = await runCli(['plan', ...args], cwd);
  const lint = await runCli(['lint', ...args], cwd);
  expect(snapshot(cwd)).toBe(before);
  return { plan, lint };
}

/** Where the command must stop: `apply --yes` too, which must stop the same way and write nothing (no backup either). */
async function stoppingCommands(args: string[], cwd: string): Promise<{ plan: CliRun; lint: CliRun; apply: CliRun }> {
  const both = await bothCommands(args, cwd);
  const before = snapshot(cwd);
  const apply = await runCli(['apply', '--yes', ...args], cwd);
  expect(snapshot(cwd)).toBe(before);
  return { ...both, apply };
}

function jsonFindings(stdout: string): { ruleId: string; severity: string; file: string; line: number; column: number; message: string }[] {
  return JSON.parse(stdout).findings;
}

/** True when the kind has a real reader (not the opaque placeholder). */
function realReader(kind: FileKind): boolean {
  const seed = SEEDS[kind];
  if (!seed) return false;
  return PARSERS[kind]({ path: seed.path, text: seed.text, bom: false }, memoryHost({})).ast !== undefined;
}

const GALAXY_YML = 'uwsgi:\n  socket: 127.0.0.1:8080\n  processes: 2\ngalaxy:\n  brand: x\n';

describe('binary files (NUL bytes)', () => {
  it('named explicitly: exit 2, the file with line and column, nothing written', async () => {
    const dir = tree({ 'galaxy.yml': Buffer.concat([Buffer.from('uwsgi:\n  socket: :8080\n  pro'), Buffer.from([0, 1, 2]), Buffer.from('\n')]) });
    const { plan, lint, apply } = await stoppingCommands(['galaxy.yml'], dir);
    for (const r of [plan, lint, apply]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('migrate: galaxy.yml:3:6: the file contains NUL bytes (binary, not a configuration file)\n');
      expect(r.stdout).toBe('');
    }
  });

  it('in a walk: a binary that looks like configuration is an error finding with its line; other binaries are passed over', async () => {
    const dir = tree({
      'config/galaxy.yml': Buffer.concat([Buffer.from('uwsgi:\n  socket: :8080\n'), Buffer.from([0])]),
      'static/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
    });
    const { lint } = await bothCommands(['--format', 'json', '.'], dir);
    expect(lint.code).toBe(1);
    const f = jsonFindings(lint.stdout).filter((x) => x.ruleId === FILE_SKIPPED);
    expect(f).toEqual([
      expect.objectContaining({ file: 'config/galaxy.yml', severity: 'error', line: 3, column: 1, message: expect.stringMatching(/^not read: the file contains NUL bytes/) }),
    ]);
  });
});

describe('binary and non-UTF-8 files of 20 MB (under the size limit: read, then refused)', () => {
  const big = (tail: number[]): Buffer => Buffer.concat([Buffer.from('uwsgi:\n  socket: :8080\n'), Buffer.alloc(20 * 1024 * 1024, 0x61), Buffer.from(tail)]);

  it('named explicitly: exit 2 at the first bad byte (a byte that is not UTF-8 before the NUL is one column), bounded memory, nothing written', () => {
    const cases: [number[], string][] = [
      [[0xff, 0, 1, 2], `3:${20 * 1024 * 1024 + 2}: the file contains NUL bytes (binary, not a configuration file)`],
      [[0xe9, 0x0a], `3:${20 * 1024 * 1024 + 1}: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8`],
    ];
    for (const [tail, where] of cases) {
      const dir = tree({ 'galaxy.yml': big(tail) });
      const before = snapshot(dir);
      for (const cmd of [['plan'], ['lint'], ['apply', '--yes']]) {
        const r = cliChild([...cmd, 'galaxy.yml'], dir);
        expect(r.signal).toBeNull();
        expect(r.code).toBe(2);
        expect(r.stderr).toBe(`migrate: galaxy.yml:${where}\n`);
        expect(r.stdout).toBe('');
        expect(r.maxRssMiB).toBeLessThan(300);
      }
      expect(snapshot(dir)).toBe(before);
    }
  });

  it('in a walk: apply --yes leaves them as they were, with no backup directory', () => {
    const dir = tree({ 'config/galaxy.yml': big([0]), 'config/reports.yml': big([0xc0, 0xaf]) });
    const before = snapshot(dir);
    const r = cliChild(['apply', '--yes', '.'], dir);
    expect(r.code).toBe(1); // error findings remain: the two files not read
    expect(r.stdout).toContain('nothing was written');
    expect(r.maxRssMiB).toBeLessThan(300);
    expect(snapshot(dir)).toBe(before);
    expect(existsSync(join(dir, '.galaxy-migrate-backup'))).toBe(false);
  });
});

describe('invalid UTF-8', () => {
  const latin1 = Buffer.concat([Buffer.from('uwsgi:\n  socket: :8080\ngalaxy:\n  brand: Caf'), Buffer.from([0xe9]), Buffer.from(' du coin\n')]);

  it('named explicitly: exit 2, the file, line and column of the first bad byte', async () => {
    const dir = tree({ 'galaxy.yml': latin1 });
    const { plan, lint, apply } = await stoppingCommands(['galaxy.yml'], dir);
    for (const r of [plan, lint, apply]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('migrate: galaxy.yml:4:13: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8\n');
    }
  });

  it('in a walk: an error finding with the line; the other files are still read', async () => {
    const dir = tree({ 'config/galaxy.yml': latin1, 'config/job_conf.xml': SEEDS['job-conf-xml']!.text });
    const { loaded, result } = analyse(['.'], nodeHost(dir, {}), DEFAULT_TARGET);
    expect(loaded.deployment.documents.map((d) => d.file.path)).toEqual(['config/job_conf.xml']);
    const f = result.findings.filter((x) => x.ruleId === FILE_SKIPPED);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ file: 'config/galaxy.yml', severity: 'error', location: { line: 4, column: 13 } });
  });

  it('each kind of bad sequence is located (surrogates, overlong, past U+10FFFF, truncated)', async () => {
    for (const bad of [[0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
      const dir = tree({ 'galaxy.yml': Buffer.concat([Buffer.from('uwsgi:\n  é: '), Buffer.from(bad), Buffer.from('\n')]) });
      const r = await runCli(['lint', 'galaxy.yml'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^migrate: galaxy\.yml:2:6: the file is not valid UTF-8/);
    }
  });
});

describe('a 200 MB file', () => {
  let dir: string;
  beforeAll(() => {
    dir = tree({ 'config/uwsgi.ini': '[uwsgi]\nsocket = :8080\n' });
    // Sparse: 200 MB of size, next to no disk and no time. Starts like a real galaxy.yml.
    const fd = openSync(join(dir, 'config', 'galaxy.yml'), 'w');
    writeSync(fd, GALAXY_YML);
    closeSync(fd);
    execFileSync('truncate', ['-s', '200M', join(dir, 'config', 'galaxy.yml')]);
  });

  it('named explicitly: refused by its size before it is read (exit 2, bounded memory, nothing written)', () => {
    const before = snapshot(dir);
    for (const cmd of [['plan'], ['apply', '--yes']]) {
      const r = cliChild([...cmd, 'config/galaxy.yml'], dir);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`migrate: config/galaxy.yml: file is ${200 * 1024 * 1024} bytes, larger than the ${MAX_FILE_BYTES}-byte limit; not read\n`);
      expect(r.maxRssMiB).toBeLessThan(150);
    }
    expect(snapshot(dir)).toBe(before);
  });

  it('in a walk: a warning naming it, the rest is read, nothing written, bounded memory', () => {
    const before = snapshot(dir);
    const r = cliChild(['lint', '--format', 'json', '.'], dir);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(snapshot(dir)).toBe(before);
    const f = jsonFindings(r.stdout).filter((x) => x.ruleId === FILE_SKIPPED);
    expect(f).toEqual([expect.objectContaining({ file: 'config/galaxy.yml', severity: 'warning', message: expect.stringContaining('larger than the') })]);
    expect(r.maxRssMiB).toBeLessThan(150);
    const apply = cliChild(['apply', '--yes', '.'], dir);
    expect(apply.signal).toBeNull();
    expect(apply.code).toBe(0);
    expect(apply.stdout).toBe('nothing to change; nothing was written\n');
    expect(apply.maxRssMiB).toBeLessThan(150);
    expect(snapshot(dir)).toBe(before);
  });

  it('a device or FIFO named explicitly is refused, not read forever or waited on', async () => {
    const r = await runCli(['lint', '/dev/zero'], base);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('migrate: /dev/zero: not a regular file (a device, FIFO or socket); not read\n');
    const fifoDir = tree({});
    try {
      execFileSync('mkfifo', [join(fifoDir, 'galaxy.yml')]);
    } catch {
      console.warn('[skip] mkfifo is not available: the FIFO case is not run');
      return;
    }
    const f = await runCli(['lint', 'galaxy.yml'], fifoDir);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('galaxy.yml: not a regular file');
    const w = await runCli(['lint', '.'], fifoDir); // in a walk a FIFO is passed over
    expect(w.code).toBe(0);
  });
});

describe('XML entity expansion (billion laughs)', () => {
  const levels = Array.from({ length: 9 }, (_, i) => `  <!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('\n');
  const bomb = `<?xml version="1.0"?>\n<!DOCTYPE job_conf [\n  <!ENTITY lol0 "lol">\n${levels}\n]>\n<job_conf>\n  <handlers>\n    <handler id="&lol9;"/>\n  </handlers>\n</job_conf>\n`;
  // &lol6; is the first to pass 1,000,000 characters: 3 × 10^6.
  const message = 'XML: an entity bomb in the DOCTYPE: &lol6; (line 9) expands to 3,000,000 characters, more than 1,000,000. An XML reader that expands entities (Galaxy\'s) runs out of memory or refuses the file: it is not migrated';

  it('named explicitly: exit 2 with the file and the DOCTYPE line, never expanded, bounded memory, nothing written', () => {
    const dir = tree({ 'job_conf.xml': bomb });
    const before = snapshot(dir);
    for (const cmd of [['plan'], ['apply', '--yes']]) {
      const r = cliChild([...cmd, 'job_conf.xml'], dir);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`job_conf.xml:2:1: ${message}`);
      expect(r.stdout).not.toContain('lollollol');
      expect(r.maxRssMiB).toBeLessThan(300);
    }
    expect(snapshot(dir)).toBe(before);
  });

  it('in a walk: an error finding at the DOCTYPE line, the file listed, nothing written by apply', async () => {
    const dir = tree({ 'config/job_conf.xml': bomb });
    const { lint } = await bothCommands(['--format', 'json', '.'], dir);
    expect(lint.code).toBe(1);
    expect(lint.stdout.length).toBeLessThan(100_000);
    expect(JSON.parse(lint.stdout).deployment.files).toEqual([{ path: 'config/job_conf.xml', kind: 'job-conf-xml' }]);
    expect(jsonFindings(lint.stdout).filter((f) => f.ruleId === 'parse-error')).toEqual([
      expect.objectContaining({ file: 'config/job_conf.xml', severity: 'error', line: 2, column: 1, message }),
    ]);
    const before = snapshot(dir);
    const apply = await runCli(['apply', '--yes', '.'], dir);
    expect(apply.code).toBe(1);
    expect(snapshot(dir)).toBe(before);
  });

  it('an entity loop is reported the same way', async () => {
    const loop = '<?xml version="1.0"?>\n<!DOCTYPE job_conf [\n  <!ENTITY a "x&b;">\n  <!ENTITY b "y&a;">\n]>\n<job_conf><handlers><handler id="&a;"/></handlers></job_conf>\n';
    const dir = tree({ 'job_conf.xml': loop });
    const { plan, apply } = await stoppingCommands(['job_conf.xml'], dir);
    for (const r of [plan, apply]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('job_conf.xml:2:1: XML: an entity bomb in the DOCTYPE: &a; refers back to itself (an entity loop)');
    }
  });
});

describe('YAML alias bombs', () => {
  const aliasBomb = (top: string): string => {
    const lines = ['  l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i <= 9; i++) lines.push(`  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
    return `${top}\n${lines.join('\n')}\n`;
  };
  // Each reader names the alias where the count passes 1,000,000 (the first `*l5`, column 12),
  // the line of the anchor it repeats, and how many values the file itself holds.
  const files: Record<string, { kind: FileKind; text: string; line: number; own: number }> = {
    'config/galaxy.yml': { kind: 'galaxy-yml', text: `uwsgi:\n  socket: 127.0.0.1:8080\n${aliasBomb('galaxy:')}`, line: 10, own: 32 },
    'config/job_conf.yml': {
      kind: 'job-conf-yml',
      text: `runners:\n  local:\n    load: galaxy.jobs.runners.local:LocalJobRunner\nexecution:\n  default: local\n${aliasBomb('handling:')}`,
      line: 13,
      own: 42,
    },
    'group_vars/galaxyservers.yml': { kind: 'ansible-vars', text: `galaxy_root: /srv/galaxy\n${aliasBomb('galaxy_config:')}`, line: 9, own: 34 },
  };
  const message = (line: number, own: number): string =>
    `YAML: an alias bomb: its aliases expand this file to more than 1,000,000 values (it holds ${own} itself); *l5 here repeats &l5 (line ${line - 1}), ` +
    '597,871 values at each use. PyYAML (Galaxy, Ansible) would build every copy and run out of memory: the file is not migrated';

  it('in a walk: each YAML reader reports the alias with file and line; bounded memory and output; apply writes nothing', () => {
    const dir = tree(Object.fromEntries(Object.entries(files).map(([p, f]) => [p, f.text])));
    const before = snapshot(dir);
    const r = cliChild(['lint', '--format', 'json', '.'], dir);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.maxRssMiB).toBeLessThan(300);
    expect(r.stdout.length).toBeLessThan(1_000_000);
    expect(JSON.parse(r.stdout).deployment.files.map((f: { path: string; kind: string }) => [f.path, f.kind])).toEqual(
      Object.entries(files).map(([p, f]) => [p, f.kind]),
    );
    const bombs = jsonFindings(r.stdout).filter((f) => f.ruleId === 'parse-error');
    expect(bombs).toEqual(
      Object.entries(files).map(([file, f]) => expect.objectContaining({ file, severity: 'error', line: f.line, column: 12, message: message(f.line, f.own) })),
    );
    // galaxy.yml's uwsgi: section would be converted in a readable file: here the fix is held back.
    const apply = cliChild(['apply', '--yes', '.'], dir);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toContain('not applied: uwsgi/section-to-gravity on config/galaxy.yml: the file has a parse error at line 10; fix it first');
    expect(apply.maxRssMiB).toBeLessThan(300);
    expect(snapshot(dir)).toBe(before);
  });

  it('named explicitly: plan and apply stop with exit 2 and file:line:column, lint reports it; nothing written', async () => {
    for (const [path, f] of Object.entries(files)) {
      const dir = tree({ [path]: f.text });
      const { plan, lint, apply } = await stoppingCommands([path], dir);
      expect(plan.code).toBe(2);
      expect(plan.stderr).toBe(`${path}:${f.line}:12: ${message(f.line, f.own)}\n`);
      expect(apply.code).toBe(2);
      expect(apply.stderr).toBe(`migrate: ${path}:${f.line}:12: ${message(f.line, f.own)}; nothing was written\n`);
      expect(lint.code).toBe(1);
      expect(lint.stdout).toContain(`${f.line}:12  error  ${message(f.line, f.own)}  parse-error`);
    }
  });
});

describe('include loops', () => {
  it('uWSGI ini and galaxy.yml: an error at the include line, nothing converted, bounded memory, nothing written by apply', () => {
    const dir = tree({
      // uWSGI resolves includes against its working directory: the deployment root here.
      'config/uwsgi.ini': '[uwsgi]\nsocket = :8080\ninclude = config/uwsgi-b.ini\n',
      'config/uwsgi-b.ini': '[uwsgi]\nprocesses = 2\ninclude = config/uwsgi.ini\n',
      'config/galaxy.yml': 'uwsgi:\n  socket: :8081\n  yaml: config/galaxy.yml\ngalaxy:\n  brand: x\n',
    });
    const before = snapshot(dir);
    const r = cliChild(['lint', '--format', 'json', '.'], dir);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.maxRssMiB).toBeLessThan(300);
    const loops = jsonFindings(r.stdout).filter((f) => f.ruleId === 'uwsgi/include-loop').map((f) => [f.file, f.line, f.column, f.severity, f.message]);
    expect(loops).toEqual([
      ['config/galaxy.yml', 3, 9, 'error', 'this includes config/galaxy.yml again while reading it (config/galaxy.yml -> config/galaxy.yml): uWSGI recurses until it crashes'],
      ['config/uwsgi-b.ini', 3, 11, 'error', 'this includes config/uwsgi.ini again while reading it (config/uwsgi.ini -> config/uwsgi-b.ini -> config/uwsgi.ini): uWSGI recurses until it crashes'],
      ['config/uwsgi.ini', 3, 11, 'error', 'this includes config/uwsgi-b.ini again while reading it (config/uwsgi-b.ini -> config/uwsgi.ini -> config/uwsgi-b.ini): uWSGI recurses until it crashes'],
    ]);
    const apply = cliChild(['apply', '--yes', '.'], dir);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toContain('nothing to change; nothing was written');
    expect(snapshot(dir)).toBe(before);
  });

  it('nginx: a warning at the include line (nginx -t fails there too); the rest of the file is still migrated', async () => {
    const dir = tree({ 'nginx/galaxy.conf': 'server {\n    listen 80;\n    include galaxy.conf;\n    location / { uwsgi_pass 127.0.0.1:8080; }\n}\n' });
    const { lint } = await bothCommands(['--format', 'json', '.'], dir);
    expect(jsonFindings(lint.stdout).filter((f) => f.ruleId === 'nginx/include').map((f) => [f.file, f.line, f.column, f.severity, f.message])).toEqual([
      ['nginx/galaxy.conf', 3, 5, 'warning', 'include loop: nginx/galaxy.conf -> nginx/galaxy.conf; nginx would fail here too'],
    ]);
  });

  it('a reader that misses a loop is still stopped by the read budget', async () => {
    const { confineHost, MAX_INCLUDE_READS } = await import('../../src/io/confine.js');
    const dir = tree({ 'a.ini': '[uwsgi]\n' });
    const host = confineHost(nodeHost(dir, {}), [dir]);
    let last: { text: string } | { error: string } = { text: '' };
    for (let i = 0; i <= MAX_INCLUDE_READS; i++) last = host.readFile('a.ini');
    expect(last).toEqual({ error: expect.stringMatching(/^a\.ini: more than \d+ files read through includes/) });
  });
});

describe('leaving the deployment', () => {
  let outside: string;
  let dir: string;
  beforeAll(() => {
    outside = tree({ 'secret.ini': '[uwsgi]\nsocket = :9999\nOUTSIDE_MARKER = 1\n', 'galaxy.yml': 'uwsgi:\n  OUTSIDE_MARKER: 1\n', 'etc/x.conf': 'OUTSIDE_MARKER on;\n' });
    dir = tree({
      'config/uwsgi.ini': `[uwsgi]\nsocket = :8080\ninclude = ../${outside.split('/').pop()}/secret.ini\n`,
      'nginx/galaxy.conf': `server {\n    listen 80;\n    include ${join(outside, 'etc', 'x.conf')};\n    location / { uwsgi_pass 127.0.0.1:8080; }\n}\n`,
    });
    symlinkSync(join(outside, 'galaxy.yml'), join(dir, 'config', 'linked.yml'));
    symlinkSync(join(outside, 'etc'), join(dir, 'linked-dir'));
    symlinkSync(join(dir, 'config', 'uwsgi.ini'), join(dir, 'config', 'inside-link.ini'));
    symlinkSync(join(dir, 'no-such-file'), join(dir, 'dangling.yml'));
  });

  it('a symlinked file outside the root is reported, not read; directory links are not followed', async () => {
    const { loaded, result } = analyse(['.'], nodeHost(dir, {}), DEFAULT_TARGET);
    const texts = [...loaded.deployment.files.values()].map((f) => f.text).join('\n');
    expect(texts).not.toContain('OUTSIDE_MARKER');
    expect([...loaded.deployment.files.keys()]).not.toContain('config/linked.yml');
    // A link to a file inside the deployment is read once, under the target's own name.
    expect([...loaded.deployment.files.keys()]).not.toContain('config/inside-link.ini');
    const skipped = result.findings.filter((f) => f.ruleId === FILE_SKIPPED).map((f) => [f.file, f.severity, f.message]);
    expect(skipped).toEqual([
      ['config/linked.yml', 'warning', expect.stringMatching(/^symbolic link leaving the deployment \(to .*galaxy\.yml\); not read$/)],
      ['dangling.yml', 'info', 'symbolic link to nothing (dangling); not read'],
      ['linked-dir', 'warning', expect.stringMatching(/^symbolic link leaving the deployment/)],
    ]);
  });

  it('includes resolving outside the root are not read, whatever the reader', async () => {
    const { lint } = await bothCommands(['--format', 'json', '.'], dir);
    expect(lint.stdout).not.toContain('OUTSIDE_MARKER');
    expect(lint.stdout).not.toContain(':9999');
    const found = jsonFindings(lint.stdout);
    for (const [file, kind] of [['config/uwsgi.ini', 'uwsgi-ini'], ['nginx/galaxy.conf', 'nginx']] as const) {
      if (!realReader(kind)) {
        console.warn(`[pending] no ${kind} reader registered yet: the include leaving the deployment in ${file} is only checked as not read`);
        continue;
      }
      expect(found.some((f) => f.file === file && /outside the deployment/.test(f.message)), `${kind} reports the include leaving the deployment`).toBe(true);
    }
  });

  it('apply --yes writes nothing outside the deployment and leaves every link as it was', () => {
    const copy = tree({});
    execFileSync('cp', ['-a', `${dir}/.`, copy]);
    const outsideBefore = snapshot(outside);
    const links = ['config/linked.yml', 'linked-dir', 'config/inside-link.ini', 'dangling.yml'].map((l) => `${l} ${lstatSync(join(copy, l)).mtimeMs}`);
    const r = cliChild(['apply', '--yes', '.'], copy);
    expect(r.signal).toBeNull();
    expect(r.stdout).not.toContain('OUTSIDE_MARKER');
    expect(snapshot(outside)).toBe(outsideBefore);
    expect(['config/linked.yml', 'linked-dir', 'config/inside-link.ini', 'dangling.yml'].map((l) => `${l} ${lstatSync(join(copy, l)).mtimeMs}`)).toEqual(links);
    // The uwsgi.ini whose include cannot be read is not converted; only the proxy line is rewritten.
    expect(r.stdout).toMatch(/^modified nginx\/galaxy\.conf {2}\(proxy\/nginx-uwsgi-pass\)$/m);
    expect(r.stdout).not.toMatch(/^modified config\//m);
  });

  it('the readers host refuses any path outside the roots, through .. or links', async () => {
    const { confineHost } = await import('../../src/io/confine.js');
    const host = confineHost(nodeHost(dir, {}), [dir]);
    expect(host.readFile(`../${outside.split('/').pop()}/secret.ini`)).toEqual({ error: expect.stringContaining('outside the deployment') });
    expect(host.readFile('config/linked.yml')).toEqual({ error: expect.stringContaining('outside the deployment') });
    expect(host.readFile('config/uwsgi.ini')).toHaveProperty('text');
    expect(host.listDir?.('linked-dir')).toBeUndefined();
  });
});

describe('unreadable files (chmod 000)', () => {
  // Root reads through chmod 000, so as root (CI, containers) the CLI runs as `nobody` on a tree
  // nobody owns: the permission check is then the kernel's, as for any administrator.
  const as = IS_ROOT ? NOBODY : undefined;

  it('named explicitly: exit 2, permission denied, nothing written; in a walk: a warning each, the rest read', () => {
    const parent = mkdtempSync(join(tmpdir(), 'gm-unreadable-'));
    try {
      const dir = join(parent, 'deploy');
      mkdirSync(dir);
      for (const [rel, body] of Object.entries({ 'config/galaxy.yml': GALAXY_YML, 'config/uwsgi.ini': '[uwsgi]\nsocket = :8080\n', 'locked/x.yml': 'a: 1\n' })) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), body);
      }
      if (as) {
        chmodSync(parent, 0o755);
        execFileSync('chown', ['-R', `${as.uid}:${as.gid}`, dir]);
      }
      chmodSync(join(dir, 'config', 'galaxy.yml'), 0o000);
      chmodSync(join(dir, 'locked'), 0o000);
      const before = snapshot(dir);
      for (const cmd of [['plan'], ['lint'], ['apply', '--yes']]) {
        const r = cliChild([...cmd, 'config/galaxy.yml'], dir, as);
        expect(r.signal).toBeNull();
        expect(r.code, cmd[0]).toBe(2);
        expect(r.stderr).toBe('migrate: config/galaxy.yml: permission denied\n');
        expect(r.maxRssMiB).toBeLessThan(150);
      }
      expect(snapshot(dir)).toBe(before);
      const lint = cliChild(['lint', '--format', 'json', '.'], dir, as);
      expect(lint.code).toBe(1);
      const f = jsonFindings(lint.stdout).filter((x) => x.ruleId === FILE_SKIPPED);
      expect(f.map((x) => [x.file, x.severity, x.message])).toEqual([
        ['config/galaxy.yml', 'warning', 'not read: permission denied'],
        ['locked', 'warning', 'permission denied; not read'],
      ]);
      expect(JSON.parse(lint.stdout).deployment.files.map((x: { path: string }) => x.path)).toEqual(['config/uwsgi.ini']);
    } finally {
      execFileSync('chmod', ['-R', 'u+rwx', parent]);
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe('a directory of 100,000 files', () => {
  it('stops with exit 2 and a clear message over the limit, bounded memory, nothing written', () => {
    // In memory where there is a tmpfs: 100,000 inodes on a loaded disk take most of a minute.
    const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'gm-many-'));
    try {
      manyFiles(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

function manyFiles(dir: string): void {
  {
    for (let f = 0; f < 100_000; f++) closeSync(openSync(join(dir, `f${f}.yml`), 'w'));
    const before = snapshot(dir, 200);
    for (const cmd of [['plan'], ['lint'], ['apply', '--yes']]) {
      const r = cliChild([...cmd, '.'], dir);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`migrate: .: more than ${MAX_FILES} files below it (the limit keeps a run bounded): name the directory that holds the configuration\n`);
      expect(r.stdout).toBe('');
      expect(r.maxRssMiB).toBeLessThan(300);
    }
    expect(snapshot(dir, 200)).toBe(before);
  }
}
