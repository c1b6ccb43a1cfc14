import { readFileSync } from 'node:fs';

/** Read from package.json at run time, so the version has one home. */
function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'galaxy-migrate' && pkg.version) return pkg.version;
    } catch {
      /* try the next place: src/ in tests, dist/src/ when built */
    }
  }
  return '0.0.0';
}

export const TOOL = { name: 'galaxy-migrate', version: readVersion() };
