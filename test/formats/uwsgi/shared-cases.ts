import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, from this file's place in test/formats/uwsgi/. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** ../shared/uwsgi-dialect beside the project, when present (absent in a fresh clone). */
export const DIALECT_DIR = resolve(PROJECT_ROOT, '../shared/uwsgi-dialect');
export const CASES_DIR = join(DIALECT_DIR, 'cases');
export const HAVE_SHARED_CASES = existsSync(join(CASES_DIR, 'MANIFEST.tsv'));

export interface DialectCase {
  /** File name of the case, e.g. `y32-magic-vars.yml`. */
  readonly name: string;
  readonly stem: string;
  readonly section?: string;
  readonly behaviour: string;
}

/** `case<TAB>section<TAB>behaviour` lines; section `-` is the default. */
export function readManifest(dir: string): DialectCase[] {
  const out: DialectCase[] = [];
  for (const line of readFileSync(join(dir, 'MANIFEST.tsv'), 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [name = '', section = '-', behaviour = ''] = line.split('\t');
    out.push({ name, stem: name.replace(/\.[^.]+$/, ''), ...(section !== '-' ? { section } : {}), behaviour });
  }
  return out;
}

/** The case's environment: exactly the KEY=VALUE lines of `<stem>.env` (the oracle skips blank and `#` lines). */
export function readEnv(dir: string, stem: string): Record<string, string> {
  const file = join(dir, `${stem}.env`);
  const env: Record<string, string> = {};
  if (!existsSync(file)) return env;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** The expected output with `{DIR}` replaced by the physical directory, as the oracle prints it. */
export function readExpected(dir: string, stem: string): string {
  const physical = realpathSync(dir);
  return readFileSync(join(dir, `${stem}.expected`), 'utf8').split('{DIR}').join(physical);
}

/**
 * The oracle drops its own `show-config = true` and `--<type> FILE` entries only when they lead the
 * list; `UWSGI_*` environment options come before them, so there they stay. Remove them the same
 * way wherever they are, for a comparison with a reader that never lists them.
 */
export function dropOracleEntries(expected: string, type: string): string {
  const lines = expected.split('\n');
  const i = lines.indexOf('show-config = true');
  if (i >= 0) {
    lines.splice(i, 1);
    if (lines[i]?.startsWith(`${type} = `)) lines.splice(i, 1);
  }
  return lines.join('\n');
}
