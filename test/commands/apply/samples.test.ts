import { cpSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../../rules/index.js';
import { readTree, tempDir } from '../../helpers/deployment.js';
import { runWith } from '../../helpers/run-with-rules.js';
import { PROJECT_ROOT } from '../../helpers/shared.js';

/**
 * Every sample deployment, with the real rule registry: `apply --yes --out DIR` leaves the sample
 * alone and a plan of DIR proposes nothing; applied in place (on a copy) and rolled back, every
 * byte is as it was.
 */
const SAMPLES = join(PROJECT_ROOT, 'samples');
const names = readdirSync(SAMPLES).filter((n) => statSync(join(SAMPLES, n)).isDirectory());
const real = { deps: { rules: ALL_RULES } };

describe.each(names)('sample %s', (name) => {
  it('apply --yes --out DIR, then plan DIR proposes nothing', async () => {
    const src = join(SAMPLES, name);
    const before = readTree(src);
    const out = join(tempDir('gm-sample-'), name);
    const r = await runWith(['apply', '--yes', '--out', out, src], PROJECT_ROOT, real);
    expect([0, 1], r.stderr).toContain(r.code);
    expect(readTree(src)).toEqual(before);
    const again = await runWith(['plan', '--format', 'json', out], PROJECT_ROOT, real);
    expect(again.code, again.stderr).toBe(0);
    const changes = JSON.parse(again.stdout).changes as { file: string; diff: string }[];
    expect(changes.map((c) => `${c.file}\n${c.diff}`)).toEqual([]);
  });

  it('apply --yes in place, then rollback, restores every byte', async () => {
    const dir = join(tempDir('gm-sample-'), name);
    cpSync(join(SAMPLES, name), dir, { recursive: true });
    const before = readTree(dir);
    const r = await runWith(['apply', '--yes', '.'], dir, real);
    expect([0, 1], r.stderr).toContain(r.code);
    if (r.stdout.includes('nothing to change')) return;
    expect(readTree(dir)).not.toEqual(before);
    const rb = await runWith(['rollback'], dir, real);
    expect(rb.code, rb.stderr).toBe(0);
    expect(readTree(dir)).toEqual(before);
  });
});
