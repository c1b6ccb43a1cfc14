import { describe, expect, it } from 'vitest';
import { SAMPLE, tempDir, writeTree } from '../helpers/deployment.js';
import { runWith } from '../helpers/run-with-rules.js';

// The sample has 1 error (test/uwsgi-pass), 4 warnings and 2 info findings.
const sample = (): string => writeTree(tempDir('gm-lint-'), SAMPLE);

describe('migrate lint exit codes for CI', () => {
  it('--fail-on sets the lowest severity that fails (default warning)', async () => {
    const dir = sample();
    expect((await runWith(['lint', '.'], dir)).code).toBe(1);
    expect((await runWith(['lint', '--fail-on', 'error', '.'], dir)).code).toBe(1);
    const infoOnly = writeTree(tempDir('gm-lint-'), { 'config/galaxy.yml': 'galaxy:\n  processes: 4\n' });
    expect((await runWith(['lint', '.'], infoOnly)).code).toBe(0);
    expect((await runWith(['lint', '--fail-on', 'info', '.'], infoOnly)).code).toBe(1);
  });

  it('--max-warnings N fails on more than N warnings, whatever --fail-on says', async () => {
    const dir = writeTree(tempDir('gm-lint-'), { 'config/galaxy.yml': 'galaxy:\n  socket: a\n  mule: b\n' });
    expect((await runWith(['lint', '--fail-on', 'error', '.'], dir)).code).toBe(0);
    expect((await runWith(['lint', '--fail-on', 'error', '--max-warnings', '2', '.'], dir)).code).toBe(0);
    const over = await runWith(['lint', '--fail-on', 'error', '--max-warnings', '1', '--format', 'json', '.'], dir);
    expect(over.code).toBe(1);
    expect(JSON.parse(over.stdout).summary.warnings).toBe(2);
    expect(over.stderr).toBe('migrate: 2 warning(s), more than --max-warnings 1\n');
  });

  it('refuses bad option values with exit 2', async () => {
    const dir = sample();
    const bad = await runWith(['lint', '--max-warnings', 'many', '.'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('migrate: --max-warnings must be a whole number of 0 or more (got "many")\n');
    const fmt = await runWith(['lint', '--format', 'checkstyle', '.'], dir);
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toContain("argument 'checkstyle' is invalid. Allowed choices are text, json, sarif, github, markdown");
  });

  it('prints findings only: no diffs, no after texts', async () => {
    const r = await runWith(['lint', '--format', 'json', '.'], sample());
    const out = JSON.parse(r.stdout);
    expect(out.changes).toEqual([]);
    expect(out.findings).toHaveLength(7);
    expect(out.findings.filter((f: { fixable: boolean }) => f.fixable)).toHaveLength(6);
    const text = await runWith(['lint', '.'], sample());
    expect(text.stdout).not.toContain('@@');
    expect(text.stdout).toContain('1 error(s), 4 warning(s), 2 info; 6 fixable');
  });
});

describe('migrate explain', () => {
  it('explains the ids the tool reports without a rule, too', async () => {
    const r = await runWith(['explain', 'unused-disable-directive'], tempDir());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^unused-disable-directive \(info; every Galaxy release\)\n\nA galaxy-migrate-disable-next-line comment silences nothing/);
  });
});
