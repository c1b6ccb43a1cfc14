import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseTarget } from '../../../src/core/target.js';
import { nodeHost } from '../../../src/io/host.js';
import { analyse } from '../../../src/pipeline.js';
import { UWSGI_RULES } from '../../../rules/uwsgi/index.js';
import { PROJECT_ROOT } from '../../helpers/shared.js';

/**
 * One folder per rule (and per writer case) under test/fixtures/uwsgi-rules/<case>/:
 *   input/          the deployment, read as `migrate plan <input>` would
 *   expected.json   { target?, findings: [file, ruleId, line][] } — every uwsgi/* rule finding
 *   after/          the expected bytes of every file the plan changes (none: nothing changes)
 * Only the uwsgi/* rules run, so other families cannot change these expectations.
 * `UPDATE_UWSGI_FIXTURES=1 npx vitest run test/rules/uwsgi/fixtures.test.ts` rewrites them (review the diff!).
 */
const ROOT = join(PROJECT_ROOT, 'test', 'fixtures', 'uwsgi-rules');
const OURS = new Set(UWSGI_RULES.map((r) => r.meta.id));
const UPDATE = process.env.UPDATE_UWSGI_FIXTURES === '1';

interface Spec {
  readonly target?: string;
  readonly findings: [string, string, number][];
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

describe('uwsgi/* rule fixtures', () => {
  for (const name of readdirSync(ROOT).sort()) {
    const dir = join(ROOT, name);
    it(name, () => {
      const specPath = join(dir, 'expected.json');
      const spec: Spec = existsSync(specPath) ? JSON.parse(readFileSync(specPath, 'utf8')) : { findings: [] };
      const target = parseTarget(spec.target ?? '23.0');
      expect(target).toBeDefined();
      const input = join(dir, 'input');
      const { result } = analyse(['.'], nodeHost(input, {}), target!, undefined, UWSGI_RULES);
      const findings = result.findings.filter((f) => OURS.has(f.ruleId)).map((f): [string, string, number] => [f.file, f.ruleId, f.location.line]);
      const afterDir = join(dir, 'after');

      if (UPDATE) {
        const rows = findings.map((f) => `    ${JSON.stringify(f).replace(/,/g, ', ')}`).join(',\n');
        const head = spec.target ? `  "target": ${JSON.stringify(spec.target)},\n` : '';
        writeFileSync(specPath, `{\n${head}  "findings": [${rows ? `\n${rows}\n  ` : ''}]\n}\n`);
        rmSync(afterDir, { recursive: true, force: true });
        for (const p of result.plan.files) {
          const out = join(afterDir, p.file);
          mkdirSync(dirname(out), { recursive: true });
          writeFileSync(out, p.after);
        }
        return;
      }

      expect(findings).toEqual(spec.findings);
      expect(result.plan.conflicts).toEqual([]);
      expect(result.plan.files.map((p) => p.file).sort()).toEqual(filesUnder(afterDir));
      for (const p of result.plan.files) expect(p.after, p.file).toBe(readFileSync(join(afterDir, p.file), 'utf8'));

      // Every rewritten YAML file is valid YAML for Galaxy's reader, and has no uwsgi: key left.
      for (const p of result.plan.files.filter((f) => /\.ya?ml$/.test(f.file))) {
        const doc = parseDocument(p.after, { version: '1.1', uniqueKeys: false });
        expect(doc.errors.map((e) => e.message), p.file).toEqual([]);
        expect(doc.toJS({ maxAliasCount: 100 })).not.toHaveProperty('uwsgi');
      }
      // Applying the plan and planning again proposes nothing more (the uwsgi/* rules are idempotent).
      const applied = mkdtempSync(join(tmpdir(), 'gm-uwsgi-fixture-'));
      try {
        for (const f of filesUnder(input)) {
          mkdirSync(dirname(join(applied, f)), { recursive: true });
          writeFileSync(join(applied, f), readFileSync(join(input, f)));
        }
        for (const p of result.plan.files) writeFileSync(join(applied, p.file), p.after);
        const again = analyse(['.'], nodeHost(applied, {}), target!, undefined, UWSGI_RULES);
        expect(again.result.plan.files.map((f) => f.file)).toEqual([]);
      } finally {
        rmSync(applied, { recursive: true, force: true });
      }
    });
  }
});
