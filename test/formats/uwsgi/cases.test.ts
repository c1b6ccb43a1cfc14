import { realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatOf, formatShowConfig, readUwsgiConfig } from '../../../src/formats/uwsgi/index.js';
import { escapeShowConfig } from '../../../src/formats/uwsgi/show-config.js';
import { nodeHost } from '../../../src/io/host.js';
import { CASES_DIR, dropOracleEntries, HAVE_SHARED_CASES, readEnv, readExpected, readManifest } from './shared-cases.js';

if (!HAVE_SHARED_CASES) {
  console.warn(`uWSGI dialect cases skipped: ${CASES_DIR}/MANIFEST.tsv not found (../shared is not beside this checkout)`);
}

/**
 * Every case of ../shared/uwsgi-dialect/cases, under the oracle's conditions: working directory =
 * the cases directory, the config named by its base name, environment = exactly the case's .env
 * lines, `{DIR}` = the physical cases directory. The output of formatShowConfig must equal uWSGI's
 * own, byte for byte, with one deliberate difference: `@(exec://...)` is never run, so such a
 * value stays as written and an `uwsgi/exec-not-run` issue points at it.
 */
describe.skipIf(!HAVE_SHARED_CASES)('uWSGI dialect cases (../shared/uwsgi-dialect)', () => {
  const dir = HAVE_SHARED_CASES ? realpathSync(CASES_DIR) : '';
  const cases = HAVE_SHARED_CASES ? readManifest(dir) : [];

  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(`${c.name}${c.section ? `:${c.section}` : ''}: ${c.behaviour}`, () => {
      const env = readEnv(dir, c.stem);
      const host = nodeHost(dir, env);
      const result = readUwsgiConfig(c.name, { host, ...(c.section ? { section: c.section } : {}) });
      const type = formatOf(c.name) === 'ini' ? 'ini' : 'yaml';
      let expected = readExpected(dir, c.stem);
      if (Object.keys(env).some((k) => k.startsWith('UWSGI_'))) expected = dropOracleEntries(expected, type);

      if (expected.startsWith('!ERROR ')) {
        expect(result.fatal, 'uWSGI stops with an error here').toBeDefined();
        const message = expected.slice('!ERROR '.length).replace(/\n$/, '');
        expect(escapeShowConfig(result.fatal!.message)).toBe(message);
        return;
      }
      expect(result.fatal).toBeUndefined();

      const got = formatShowConfig(result.options);
      const execs = result.options.filter((o) => o.value.includes('@(exec://'));
      if (execs.length === 0) {
        expect(got).toBe(expected);
        return;
      }
      const gotLines = got.split('\n');
      const wantLines = expected.split('\n');
      expect(gotLines.length).toBe(wantLines.length);
      result.options.forEach((o, i) => {
        const want = wantLines[i]!;
        if (!o.value.includes('@(exec://')) {
          expect(gotLines[i]).toBe(want);
          return;
        }
        // the one deliberate difference: the command is not run, its reference stays in the value
        expect(want.startsWith(`${escapeShowConfig(o.key)} = `)).toBe(true);
        expect(o.rawValue).toContain('@(exec://');
        const issue = result.issues.find(
          (x) => x.ruleId === 'uwsgi/exec-not-run' && x.file === o.file && x.range.start === o.valueRange.start,
        );
        expect(issue, `exec-not-run issue for ${o.key}`).toBeDefined();
      });
    });
  }
});
