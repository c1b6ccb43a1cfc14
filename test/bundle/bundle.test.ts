import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_CLI, ensureBuilt } from '../helpers/build.js';
import { runCli } from '../helpers/cli.js';
import { SAMPLE, tempDir, textTree, writeTree } from '../helpers/deployment.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { HAVE_TMUX, shQuote, tmuxSession } from '../helpers/tmux.js';

if (!HAVE_TMUX) console.warn('[skip] the bundled bin in a pseudo-terminal: tmux is not installed (apt-get install tmux)');

/**
 * The bundled bin (dist/bundle/migrate.cjs running cli.cjs through V8's code cache, made by
 * scripts/bundle.mjs in `npm run build` and before `npm test`) must answer exactly as the sources do,
 * with its code cache, without it and with a damaged one. A bare `npx vitest run` may not have
 * built it: then this says so and checks nothing; a bundle older than the sources is remade.
 */
const BUNDLE = join(PROJECT_ROOT, 'dist', 'bundle', 'migrate.cjs');
const have = existsSync(BUNDLE);
if (have) {
  ensureBuilt();
  if (statSync(BUNDLE).mtimeMs < statSync(BUILT_CLI).mtimeMs) execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'bundle.mjs')], { cwd: PROJECT_ROOT, stdio: 'pipe' });
}
if (!have) console.warn('[skip] dist/bundle/migrate.cjs is not built (npm run build): the bundle is not checked');

function bundled(args: string[], bin = BUNDLE): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!have)('the bundled bin', () => {
  it('is what package.json installs as `migrate`', async () => {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin.migrate).toBe('dist/bundle/migrate.cjs');
  });

  // Output to /dev/null (ignore) and to a pipe: neither is a terminal, so no stream or tty module is
  // built for it (src/io/fd-output.ts).
  it.each(['ignore', 'pipe'] as const)(
    'loads no child_process, worker_threads, os, crypto, stream, net or tty for a plan with stdout to %s (they cost a cold start; only --verify, lint threads and apply need some)',
    (stdout) => {
      const out = join(tempDir('gm-builtins-'), 'loaded.txt');
      const preload = join(PROJECT_ROOT, 'test', 'fixtures', 'bundle', 'report-builtins.cjs');
      const r = spawnSync(process.execPath, ['-r', preload, BUNDLE, 'plan', 'samples/uwsgi-mules'], {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', GM_BUILTINS_OUT: out },
        stdio: ['ignore', stdout, 'pipe'],
        encoding: 'utf8',
      });
      expect([r.status, r.stderr]).toEqual([0, '']);
      if (stdout === 'pipe') expect(r.stdout).toContain('4 file(s) would change');
      const loaded = readFileSync(out, 'utf8').split('\n');
      expect(loaded).toContain('vm'); // the loader's code cache: the list is real
      expect(loaded.filter((m) => ['child_process', 'worker_threads', 'os', 'crypto', 'module', 'stream', 'net', 'tty'].includes(m))).toEqual([]);
    },
  );

  it('ends quietly with the exit code when the reader of its output stops early (`migrate plan | true`)', () => {
    // `true` exits at once, so the plan's first write meets a closed pipe; fd 3 carries its exit code out.
    const r = spawnSync('sh', ['-c', `exec 3>&1; { "${process.execPath}" "${BUNDLE}" plan samples/uwsgi-mules; echo $? >&3; } | true`], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      encoding: 'utf8',
    });
    expect([r.stdout, r.stderr]).toEqual(['0\n', '']);
  });

  it('plans the sample deployment exactly as the sources do', async () => {
    const args = ['plan', '--format', 'json', 'samples/uwsgi-mules'];
    const b = bundled(args);
    const s = await runCli(args, PROJECT_ROOT);
    expect(b.stderr).toBe(s.stderr);
    expect(b.code).toBe(s.code);
    expect(JSON.parse(b.stdout)).toEqual(JSON.parse(s.stdout));
  });

  it('answers --version and usage errors as the sources do', async () => {
    for (const args of [['--version'], ['lint', 'no/such/file.yml'], ['explain', 'no/such-rule']]) {
      const b = bundled(args);
      const s = await runCli(args, PROJECT_ROOT);
      expect([b.code, b.stdout, b.stderr]).toEqual([s.code, s.stdout, s.stderr]);
    }
  });

  it('has a code cache that this Node accepts', () => {
    const require = createRequire(import.meta.url);
    const loader = require(BUNDLE) as { compile: () => { cachedDataRejected?: boolean } };
    expect(existsSync(`${join(PROJECT_ROOT, 'dist', 'bundle', 'cli.cjs')}.cache`)).toBe(true);
    expect(loader.compile().cachedDataRejected).toBe(false);
  });

  it('plans the same bytes with no code cache and with a damaged one', () => {
    const args = ['plan', '--format', 'json', 'samples/uwsgi-mules'];
    const expected = bundled(args);
    expect(JSON.parse(expected.stdout).changes.length).toBeGreaterThan(0);
    // A copy beside the real one, so package.json (the version) is found the same way.
    const copy = join(PROJECT_ROOT, 'dist', `bundle-check-${process.pid}`);
    rmSync(copy, { recursive: true, force: true });
    cpSync(join(PROJECT_ROOT, 'dist', 'bundle'), copy, { recursive: true });
    try {
      const cache = join(copy, 'cli.cjs.cache');
      for (const damage of [() => rmSync(cache), () => writeFileSync(cache, Buffer.from('not a V8 code cache'))]) {
        damage();
        const r = bundled(args, join(copy, 'migrate.cjs'));
        expect([r.code, r.stdout, r.stderr]).toEqual([expected.code, expected.stdout, expected.stderr]);
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it.skipIf(!HAVE_TMUX)('asks its questions in a terminal (the prompts load from prompts.cjs) and quits writing nothing', async () => {
    const dir = writeTree(tempDir('gm-bundle-pty-'), SAMPLE);
    const before = textTree(dir);
    const session = tmuxSession(`gm-bundle-${process.pid}`, `cd ${shQuote(dir)} && NO_COLOR=1 ${shQuote(process.execPath)} ${shQuote(BUNDLE)} apply . ; echo "exit=$?"; sleep 30`);
    try {
      await session.waitFor('Apply this change (1/', 30_000);
      await session.answer('q');
      const s = await session.waitFor('exit=', 30_000);
      expect(s).toContain('nothing was written');
      expect(s).not.toContain('internal error');
      expect(textTree(dir)).toEqual(before);
    } finally {
      session.kill();
    }
  }, 60_000);
});
