import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './shared.js';

export const BUILT_CLI = join(PROJECT_ROOT, 'dist', 'src', 'cli.js');
export const TEST_CLI = join(PROJECT_ROOT, 'test', 'helpers', 'cli-with-test-rules.mjs');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Spawn tests run the built CLI. `npm test` builds first (pretest); a direct `npx vitest run`
 * may find dist/ missing or older than src/, so it is built here, once, under a lock (test files
 * run in parallel and must not read a half-written dist/).
 */
export function ensureBuilt(): void {
  const lock = join(tmpdir(), `galaxy-migrate-build-${createHash('sha256').update(PROJECT_ROOT).digest('hex').slice(0, 12)}.lock`);
  const fresh = (): boolean => existsSync(BUILT_CLI) && statSync(BUILT_CLI).mtimeMs >= Math.max(newest(join(PROJECT_ROOT, 'src')), newest(join(PROJECT_ROOT, 'rules')));
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - started > 120_000) throw new Error('waited two minutes for another test to build dist/');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!fresh()) {
      try {
        execFileSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: PROJECT_ROOT, stdio: 'pipe' });
      } catch {
        /* type errors elsewhere still emit JavaScript; the check below decides */
      }
    }
    if (!existsSync(BUILT_CLI)) throw new Error('dist/src/cli.js is missing after the build');
  } finally {
    rmdirSync(lock);
  }
}
