import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_CLI, ensureBuilt } from '../helpers/build.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

export { ensureBuilt };

/**
 * Runs the built CLI in a child process, so that a hostile input is measured where it would hurt:
 * the child's peak memory (resource usage at exit, via a preloaded probe) and a hang (killed after
 * a generous limit: a guard, not a timing assertion). dist/ is built first when it is older than the
 * sources (test/helpers/build.ts: vitest run alone does not build).
 */
const CLI = BUILT_CLI;
const PROBE = join(PROJECT_ROOT, 'test', 'hostile', 'rss-probe.mjs');
/** A run killed after this is a hang (the commands take well under a second on these inputs). */
export const HANG_MS = 120_000;

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident memory of the child, in MiB. */
  readonly maxRssMiB: number;
}

/** `as`: run the child as another user (root's tests run it as `nobody`, whom chmod 000 does stop). */
export function cliChild(args: readonly string[], cwd: string, as?: { uid: number; gid: number }): ChildResult {
  ensureBuilt();
  const r = spawnSync(process.execPath, ['--import', PROBE, CLI, ...args], {
    cwd,
    ...(as ? { uid: as.uid, gid: as.gid } : {}),
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

/** The user `nobody` (uid and gid 65534 on Debian and most Linux systems). */
export const NOBODY = { uid: 65534, gid: 65534 } as const;
