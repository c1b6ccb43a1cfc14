import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/core/engine.js';
import { DEFAULT_TARGET } from '../../src/core/target.js';
import { nodeHost } from '../../src/io/host.js';
import { loadDeployment } from '../../src/pipeline.js';
import { HAVE_SHARED, SHARED_DIR, warnNoShared } from '../helpers/shared.js';

warnNoShared('corpus round-trip');

describe.skipIf(!HAVE_SHARED)('corpus round-trip', () => {
  const corpus = join(SHARED_DIR, 'corpus');
  // Loaded lazily: describe bodies run even when the suite is skipped.
  const { deployment } = HAVE_SHARED ? loadDeployment([corpus], nodeHost(corpus, {})) : { deployment: undefined as never };

  it('reads many corpus files of every kind', () => {
    const kinds = new Set(deployment.documents.map((d) => d.kind));
    expect(deployment.documents.length).toBeGreaterThan(80);
    for (const k of ['galaxy-yml', 'job-conf-xml', 'nginx', 'supervisor', 'ansible-vars']) expect(kinds).toContain(k);
  });

  it('keeps every file it reads byte for byte (decode and re-encode is the identity)', () => {
    for (const doc of deployment.documents) {
      const disk = readFileSync(join(corpus, doc.file.path));
      expect(Buffer.from(doc.file.text, 'utf8').equals(disk), doc.file.path).toBe(true);
    }
  });

  it('proposes no change when no rule fires', () => {
    const { plan } = runRules(deployment, [], { target: DEFAULT_TARGET });
    expect(plan.files).toEqual([]);
  });
});
