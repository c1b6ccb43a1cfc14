import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatOf, formatShowConfig, readUwsgiConfig } from '../../../src/formats/uwsgi/index.js';
import { escapeShowConfig } from '../../../src/formats/uwsgi/show-config.js';
import { nodeHost } from '../../../src/io/host.js';
import { FIXTURES } from './helpers.js';
import { DIALECT_DIR, dropOracleEntries, readEnv, readExpected, readManifest } from './shared-cases.js';

/**
 * Cases written for this project that combine rules (CRLF + comments + repeated keys + magic
 * variables + includes + logic + passes), in the layout of ../shared/uwsgi-dialect/cases. Our
 * reader must give the stored answer; the INI ones are also checked against a real uWSGI
 * (Debian's uwsgi-core, whose INI reading is upstream's) through uwsgi-oracle.sh when both are
 * installed. YAML cannot be: Debian's binary uses libyaml, a different dialect; their expected
 * files follow docs/uwsgi-dialect.md §3.
 */
const DIR = realpathSync(join(FIXTURES, 'generalised'));
const ORACLE = join(DIALECT_DIR, 'uwsgi-oracle.sh');
const HAVE_UWSGI = spawnSync('uwsgi', ['--version'], { encoding: 'utf8' }).status === 0;
const HAVE_ORACLE = existsSync(ORACLE);
if (!HAVE_UWSGI || !HAVE_ORACLE) {
  console.warn(
    `uWSGI oracle checks skipped: ${!HAVE_UWSGI ? 'no `uwsgi` binary on PATH (apt-get install uwsgi-core)' : `${ORACLE} not found`}`,
  );
}

const cases = readManifest(DIR);

describe('generalisation cases: our reader', () => {
  for (const c of cases) {
    it(`${c.name}: ${c.behaviour}`, () => {
      const env = readEnv(DIR, c.stem);
      const result = readUwsgiConfig(c.name, { host: nodeHost(DIR, env), ...(c.section ? { section: c.section } : {}) });
      let expected = readExpected(DIR, c.stem);
      if (Object.keys(env).some((k) => k.startsWith('UWSGI_'))) expected = dropOracleEntries(expected, formatOf(c.name));
      if (expected.startsWith('!ERROR ')) {
        expect(escapeShowConfig(result.fatal?.message ?? '(no error)')).toBe(expected.slice(7).replace(/\n$/, ''));
        return;
      }
      expect(result.fatal).toBeUndefined();
      expect(formatShowConfig(result.options)).toBe(expected);
    });
  }
});

describe.skipIf(!HAVE_UWSGI || !HAVE_ORACLE)('generalisation cases: the stored answers are uWSGI\'s (INI, real binary)', () => {
  for (const c of cases.filter((x) => x.name.endsWith('.ini'))) {
    it(c.name, () => {
      const run = spawnSync('bash', [ORACLE, join(DIR, c.name), ...(c.section ? [c.section] : [])], { encoding: 'utf8', timeout: 60_000 });
      const got = (run.stdout ?? '').split('{DIR}').join(DIR);
      expect(got).toBe(readExpected(DIR, c.stem));
    });
  }
});
