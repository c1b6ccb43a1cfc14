import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryHost } from '../../src/core/host.js';
import { PARSERS } from '../../src/formats/parsers.js';
import { runCli } from '../helpers/cli.js';

/**
 * Counterexamples the long fuzz run found (README, Fuzzing), kept as fixed cases, each shrunk to
 * what still showed the bug.
 */
const base = mkdtempSync(join(tmpdir(), 'gm-fuzz-regress-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('systemd unit starting with a UTF-8 byte order mark (FUZZ_RUNS=20000 FUZZ_SEED=2)', () => {
  const unit = '\uFEFF[Unit]\nDescription=Galaxy\n\n[Service]\nUser=galaxy\nExecStart=/srv/galaxy/venv/bin/uwsgi --yaml /srv/galaxy/config/galaxy.yml\n';

  it('the reader sees the [Unit] header behind the BOM, as systemd does: no parse error', () => {
    const doc = PARSERS.systemd({ path: 'systemd/galaxy.service', text: unit, bom: true }, memoryHost({}));
    expect(doc.errors).toEqual([]);
    expect((doc.ast as { sections: { name: string }[] }).sections.map((s) => s.name)).toEqual(['Unit', 'Service']);
  });

  it('so the unit is migrated with the rest, and a second plan proposes nothing', async () => {
    const dir = join(base, 'bom');
    for (const [rel, body] of Object.entries({ 'systemd/galaxy.service': unit, 'config/galaxy.yml': 'uwsgi:\n  socket: 127.0.0.1:8080\n  processes: 2\n' })) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), body);
    }
    const lint = await runCli(['lint', '--format', 'json', '.'], dir);
    expect(JSON.parse(lint.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'parse-error')).toEqual([]);
    const apply = await runCli(['apply', '--yes', '.'], dir);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(/^deleted {2}systemd\/galaxy\.service {2}\(process\/systemd-units\)$/m);
    expect(readFileSync(join(dir, 'config/galaxy.yml'), 'utf8')).toContain('gravity:');
    const again = await runCli(['plan', '--format', 'json', '.'], dir);
    expect(JSON.parse(again.stdout).changes).toEqual([]);
  });

  it('configparser files keep reporting it: Python does not skip a BOM there', () => {
    const doc = PARSERS.supervisor({ path: 'supervisor/galaxy.conf', text: '\uFEFF[program:galaxy]\ncommand = x\n', bom: true }, memoryHost({}));
    expect(doc.errors.length).toBeGreaterThan(0);
  });
});
