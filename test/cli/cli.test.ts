import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

describe('migrate CLI contract', () => {
  it('exits 2 with one sentence naming the file when a path does not exist', async () => {
    for (const cmd of ['plan', 'lint']) {
      const r = await runCli([cmd, 'no/such/galaxy.yml'], PROJECT_ROOT);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('migrate: no/such/galaxy.yml: no such file or directory\n');
      expect(r.stdout).toBe('');
    }
  });

  it('exits 2 for a file of unknown kind named explicitly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-cli-'));
    writeFileSync(join(dir, 'notes.txt'), 'hello\n');
    const r = await runCli(['lint', 'notes.txt'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^migrate: notes\.txt: not a file galaxy-migrate knows/);
  });

  it('exits 2 on a bad option value, with usage on stderr', async () => {
    const r = await runCli(['plan', '--format', 'xml', '.'], PROJECT_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'xml' is invalid");
    const t = await runCli(['plan', '--target', '21.09', 'samples'], PROJECT_ROOT);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('--target must be a Galaxy release from 22.01 on');
  });

  it('prints its version and help with exit 0', async () => {
    const v = await runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const h = await runCli(['plan', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Examples:');
  });

  it('explains a rule that does not exist with exit 2', async () => {
    const r = await runCli(['explain', 'no/such-rule']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('migrate: no rule "no/such-rule"; `migrate rules` lists them\n');
  });

  it('plans an empty directory as nothing to do, exit 0, JSON with the schema version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-empty-'));
    const r = await runCli(['plan', '--format', 'json', '.'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.schemaVersion).toBe(1);
    expect(out.tool.name).toBe('galaxy-migrate');
    expect(out.changes).toEqual([]);
    expect(out.summary).toEqual({ errors: 0, warnings: 0, info: 0, changedFiles: 0 });
  });
});
