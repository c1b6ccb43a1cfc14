import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../../src/core/edits.js';
import { parseNginxText } from '../../../src/formats/nginx/index.js';
import { HAVE_SHARED, SHARED_DIR, warnNoShared } from '../../helpers/shared.js';
import { uncovered } from './coverage.js';

warnNoShared('nginx corpus round-trip');

/** The nginx files of the corpus, from its MANIFEST (kind column), never copied into the project. */
function corpusFiles(kind: string): string[] {
  const manifest = readFileSync(join(SHARED_DIR, 'corpus', 'MANIFEST.md'), 'utf8');
  const out: string[] = [];
  for (const line of manifest.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (!/^\d+$/.test(cells[1] ?? '')) continue;
    if (cells[7] === kind) out.push((cells[2] ?? '').replace(/`/g, ''));
  }
  return out;
}

describe.skipIf(!HAVE_SHARED)('nginx reader on the corpus', () => {
  const files = HAVE_SHARED ? corpusFiles('nginx') : [];

  it('finds the corpus nginx files', () => {
    expect(files.length).toBeGreaterThanOrEqual(28);
  });

  it.each(files)('%s: every byte is accounted for and round-trips', (rel) => {
    const text = readFileSync(join(SHARED_DIR, 'corpus', rel), 'utf8');
    const parsed = parseNginxText(text, rel);
    expect(uncovered(text, parsed.nodes)).toBeUndefined();
    expect(applyEdits(text, [])).toBe(text);
    // Templates are read as such; no corpus file is misread into an error, except Helm-wrapped ones.
    if (!rel.endsWith('.yaml')) expect(parsed.errors.map((e) => e.message)).toEqual([]);
  });
});

describe.skipIf(!HAVE_SHARED)('nginx and Apache files of the corpus are recognised by content', () => {
  it('detects every corpus nginx file (Helm ConfigMaps excepted: they are YAML) and the Apache vhost', async () => {
    const { detectKind } = await import('../../../src/formats/detect.js');
    const wrong: string[] = [];
    for (const rel of corpusFiles('nginx')) {
      if (rel.endsWith('.yaml')) continue;
      const kind = detectKind(rel, readFileSync(join(SHARED_DIR, 'corpus', rel), 'utf8'));
      if (kind !== 'nginx') wrong.push(`${rel}: ${kind}`);
    }
    for (const rel of corpusFiles('apache')) {
      const kind = detectKind(rel, readFileSync(join(SHARED_DIR, 'corpus', rel), 'utf8'));
      if (kind !== 'apache') wrong.push(`${rel}: ${kind}`);
    }
    expect(wrong).toEqual([]);
  });
});
