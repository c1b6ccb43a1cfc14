import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, found from this file (tests never name a machine path). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * ../shared beside the project holds the research corpus and uWSGI's own answers. CI has it; a
 * user's fresh clone may not, so tests that read it skip with a visible message.
 */
export const SHARED_DIR = join(PROJECT_ROOT, '..', 'shared');
export const HAVE_SHARED = existsSync(join(SHARED_DIR, 'corpus', 'MANIFEST.md'));

export function warnNoShared(what: string): void {
  if (!HAVE_SHARED) console.warn(`[skip] ${what}: ../shared is not beside the project, so these tests are skipped.`);
}
