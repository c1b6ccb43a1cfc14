import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FileKind } from '../../src/core/document.js';
import { detectKind } from '../../src/formats/detect.js';
import { HAVE_SHARED, SHARED_DIR } from './shared.js';

export interface CorpusFile {
  readonly path: string;
  readonly text: string;
  readonly kind: FileKind | undefined;
}

/** Every file of ../shared/corpus (empty when ../shared is missing), with its detected kind. */
export function corpusFiles(): CorpusFile[] {
  if (!HAVE_SHARED) return [];
  const root = join(SHARED_DIR, 'corpus');
  const out: CorpusFile[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const rel = relative(root, p);
        const text = readFileSync(p, 'utf8');
        out.push({ path: rel, text, kind: detectKind(rel, text) });
      }
    }
  };
  walk(root);
  return out;
}
