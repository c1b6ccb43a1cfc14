import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../../helpers/shared.js';

/** test/fixtures/zerg/<name>: the folder's path. */
export function fixtureDir(name: string): string {
  return join(PROJECT_ROOT, 'test', 'fixtures', 'zerg', name);
}

/** Every file below `dir` as relative path → text. */
export function readDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split('\\').join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

export function scratchDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'gm-zerg-')), 'out');
}

/** `server …;` addresses of an nginx upstream block. */
export function upstreamServers(nginx: string, name: string): string[] {
  const block = new RegExp(`upstream\\s+${name}\\s*\\{([^}]*)\\}`).exec(nginx)?.[1] ?? '';
  return [...block.matchAll(/^\s*server\s+(\S+?)[\s;]/gm)].map((m) => m[1]!);
}
