import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../helpers/shared.js';

/**
 * Runs the built CLI in a child process, so that a hostile input is measured where it would hurt:
 * the child's peak memory (resource usage at exit, via a preloaded probe) and a hang (killed after
 * a generous limit: a guard, not a timing assertion). Builds dist/ first when it is older than the
 * sources (vitest run alone does not build).
 */
const CLI = join(PROJECT_ROOT, 'dist', 'src', 'cli.js');
const PROBE = join(PROJECT_ROOT, 'test', 'hostile', 'rss-probe.mjs');
/** A run killed after this is a hang (the commands take well under a second on these inputs). */
export const HANG_MS = 120_000;

let built = false;
export function ensureBuilt(): void {
  if (built) return;
  built = true;
  const newest = (dir: string): number => {
    let t = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) t = Math.max(t, newest(p));
      else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
    }
    return t;
  };
  const src = Math.max(newest(join(PROJECT_ROOT, 'src')), newest(join(PROJECT_ROOT, 'rules')));
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= src) return;
  try {
    execFileSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: PROJECT_ROOT, stdio: 'ignore' });
  } catch {
    /* type errors still emit; a missing emit shows up as a failing run */
  }
}

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident memory of the child, in MiB. */
  readonly maxRssMiB: number;
}

export function cliChild(args: readonly string[], cwd: string): ChildResult {
  ensureBuilt();
  const r = spawnSync(process.execPath, ['--import', PROBE, CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: HANG_MS,
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
  });
  const m = /\n?gm-rss-probe maxRSS=(\d+)\n?$/.exec(r.stderr ?? '');
  return {
    code: r.status,
    signal: r.signal,
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '').replace(/\n?gm-rss-probe maxRSS=\d+\n?$/, ''),
    maxRssMiB: m ? Number(m[1]) / 1024 : Number.NaN,
  };
}

/** Every entry below `dir` (links not followed) with size, mode and mtime: equal before and after means nothing was written. */
export function snapshot(dir: string, limit = 1000): string {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (out.length >= limit) return;
      const p = join(d, name);
      const st = lstatSync(p);
      out.push(`${p.slice(dir.length)} ${st.mode} ${st.size} ${st.mtimeMs}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.join('\n');
}

export const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
