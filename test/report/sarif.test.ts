import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderSarif, toUri } from '../../src/report/sarif.js';
import type { Report } from '../../src/report/model.js';
import { SAMPLE, SECRETS, tempDir, writeTree } from '../helpers/deployment.js';
import { RULES, runWith } from '../helpers/run-with-rules.js';

/**
 * SARIF output checked twice: against the OASIS SARIF 2.1.0 JSON schema (the copy Microsoft ships in
 * @microsoft/sarif-multitool, checked with ajv: every keyword, enums and minimums included), and by
 * Microsoft's own validator, the SARIF Multitool, whose rules go beyond the schema. Both work
 * offline; on a platform without the multitool's binary the tests say so and skip.
 */
const require = createRequire(import.meta.url);
const MULTITOOL_DIR = (() => {
  try {
    return dirname(require.resolve('@microsoft/sarif-multitool-linux/package.json'));
  } catch {
    return undefined;
  }
})();
const SCHEMA = MULTITOOL_DIR ? join(MULTITOOL_DIR, 'sarif-2.1.0.json') : undefined;
const BINARY = MULTITOOL_DIR ? join(MULTITOOL_DIR, 'Sarif.Multitool') : undefined;
const runnable = (p: string | undefined): boolean => {
  try {
    if (!p) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
if (!SCHEMA || !existsSync(SCHEMA)) console.warn('[skip] SARIF schema checks: @microsoft/sarif-multitool-linux is not installed on this platform');
if (!runnable(BINARY)) console.warn('[skip] SARIF Multitool validation: its binary is not installed or not executable here');

function schemaErrors(log: unknown): string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA!, 'utf8')));
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

async function lintSarif(): Promise<{ text: string; log: any }> {
  const dir = writeTree(tempDir('gm-sarif-'), { ...SAMPLE, 'odd dir/galaxy #1.yml': 'galaxy:\n  socket: /run/galaxy.sock\n' });
  const r = await runWith(['lint', '--format', 'sarif', '.'], dir);
  expect(r.code).toBe(1);
  return { text: r.stdout, log: JSON.parse(r.stdout) };
}

describe('SARIF 2.1.0 output', () => {
  it('describes every rule, points each result at its rule, and carries file, line and column', async () => {
    const { text, log } = await lintSarif();
    for (const s of SECRETS) expect(text).not.toContain(s);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('galaxy-migrate');
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(RULES.map((r) => r.meta.id));
    expect(run.columnKind).toBe('utf16CodeUnits');
    for (const res of run.results) expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
    const pass = run.results.find((r: { ruleId: string }) => r.ruleId === 'test/uwsgi-pass');
    expect(pass).toMatchObject({
      level: 'error',
      message: { text: 'nginx must speak HTTP to gunicorn.' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'nginx/galaxy.conf' }, region: { startLine: 4, startColumn: 9, endLine: 4, endColumn: 19 } } }],
    });
    expect(run.results.some((r: any) => r.locations[0].physicalLocation.artifactLocation.uri === 'odd%20dir/galaxy%20%231.yml')).toBe(true);
    expect(run.results.find((r: { ruleId: string }) => r.ruleId === 'test/processes').level).toBe('note');
  });

  it.skipIf(!SCHEMA || !existsSync(SCHEMA))('is valid against the SARIF 2.1.0 JSON schema', async () => {
    const { log } = await lintSarif();
    expect(schemaErrors(log)).toEqual([]);
    // and the check has teeth: a result at line 0 with an unknown level is refused
    const bad = structuredClone(log);
    bad.runs[0].results[0].level = 'fatal';
    bad.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(schemaErrors(bad).length).toBeGreaterThanOrEqual(2);
  });

  it.skipIf(!SCHEMA || !existsSync(SCHEMA))('is valid with no findings and with parse errors too', () => {
    const empty: Report = { strategy: 'unknown', files: [], findings: [], changes: [], conflicts: [], summary: { errors: 0, warnings: 0, info: 0, changedFiles: 0 } };
    expect(schemaErrors(JSON.parse(renderSarif(empty, { name: 'galaxy-migrate', version: '1.2.3' }, [])))).toEqual([]);
    const withParseError: Report = {
      ...empty,
      findings: [{ ruleId: 'parse-error', severity: 'error', file: '/abs/galaxy.yml', range: { start: 0, end: 0 }, location: { line: 1, column: 1, endLine: 1, endColumn: 1 }, message: 'bad' }],
    };
    const log = JSON.parse(renderSarif(withParseError, { name: 'galaxy-migrate', version: '1.2.3' }, RULES.map((r) => r.meta)));
    expect(schemaErrors(log)).toEqual([]);
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('file:///abs/galaxy.yml');
    expect(log.runs[0].tool.driver.rules.at(-1).id).toBe('parse-error');
  });

  it.skipIf(!runnable(BINARY))("passes Microsoft's SARIF Multitool validate with no error or warning", async () => {
    const { text } = await lintSarif();
    const dir = mkdtempSync(join(tmpdir(), 'gm-multitool-'));
    writeFileSync(join(dir, 'lint.sarif'), text);
    const r = spawnSync(BINARY!, ['validate', join(dir, 'lint.sarif'), '-o', join(dir, 'validation.sarif')], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'validation.sarif'), 'utf8')).runs[0].results as { ruleId: string; level?: string }[];
    expect(results.map((x) => `${x.level ?? 'warning'} ${x.ruleId}`)).toEqual([]);
    expect(r.stdout).not.toMatch(/\b(error|warning) (JSON|SARIF)\d+/);
  }, 150_000);

  it('encodes paths as URI references', () => {
    expect(toUri('config/galaxy.yml')).toBe('config/galaxy.yml');
    expect(toUri('a b/c#d%.yml')).toBe('a%20b/c%23d%25.yml');
    expect(toUri('/srv/galaxy/config/galaxy.yml')).toBe('file:///srv/galaxy/config/galaxy.yml');
  });
});
