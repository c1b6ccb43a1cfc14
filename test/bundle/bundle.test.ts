import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_CLI, ensureBuilt } from '../helpers/build.js';
import { runCli } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

/**
 * The bundled bin (dist/bundle/migrate.mjs, made by scripts/bundle.mjs in `npm run build` and
 * before `npm test`) must answer exactly as the sources do. A bare `npx vitest run` may not have
 * built it: then this says so and checks nothing; a bundle older than the sources is remade.
 */
const BUNDLE = join(PROJECT_ROOT, 'dist', 'bundle', 'migrate.mjs');
const have = existsSync(BUNDLE);
if (have) {
  ensureBuilt();
  if (statSync(BUNDLE).mtimeMs < statSync(BUILT_CLI).mtimeMs) execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'bundle.mjs')], { cwd: PROJECT_ROOT, stdio: 'pipe' });
}
if (!have) console.warn('[skip] dist/bundle/migrate.mjs is not built (npm run build): the bundle is not checked');

function bundled(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BUNDLE, ...args], { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!have)('the bundled bin', () => {
  it('is what package.json installs as `migrate`', async () => {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin.migrate).toBe('dist/bundle/migrate.mjs');
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
});
