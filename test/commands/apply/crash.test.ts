import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, TEST_CLI } from '../../helpers/build.js';
import { readTree, SAMPLE, SAMPLE_AFTER, tempDir, writeTree } from '../../helpers/deployment.js';
import { runWith } from '../../helpers/run-with-rules.js';

/**
 * Killing `apply` (SIGKILL: no handler runs) at every step of a write, and after random delays,
 * never leaves a file half-written: each file is its old bytes or its new bytes, nothing else, and
 * `migrate rollback` then brings back the original deployment byte for byte.
 */
const TEMP = /(^|\/)\.[^/]+\.galaxy-migrate-\d+-\d+\.tmp$/;
const OLD = Object.fromEntries(Object.entries(SAMPLE).map(([k, v]) => [k, Buffer.from(v, 'utf8')]));
const NEW = Object.fromEntries(Object.entries(SAMPLE_AFTER).map(([k, v]) => [k, Buffer.from(v, 'utf8')]));

const cli = (dir: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [TEST_CLI, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8' });

/** Every file is exactly old or exactly new (a created file: absent or new); temporaries aside. */
function expectOldOrNew(dir: string, when: string): void {
  const tree = readTree(dir);
  for (const path of new Set([...Object.keys(OLD), ...Object.keys(NEW)])) {
    const now = tree[path];
    const ok = (now === undefined && OLD[path] === undefined) || (now !== undefined && ((OLD[path] && now.equals(OLD[path]!)) || (NEW[path] && now.equals(NEW[path]!))));
    expect(ok, `${path} after a kill at ${when}: neither the old nor the new bytes`).toBe(true);
  }
  for (const path of Object.keys(tree)) {
    if (!(path in OLD) && !(path in NEW)) expect(path, `unexpected file after a kill at ${when}`).toMatch(TEMP);
  }
}

async function expectRollbackRestores(dir: string, when: string): Promise<void> {
  const rb = await runWith(['rollback'], dir);
  expect([0, 2], `rollback after a kill at ${when}: ${rb.stderr}`).toContain(rb.code);
  const tree = readTree(dir);
  expect(Object.keys(tree).sort(), `files after rollback (kill at ${when})`).toEqual(Object.keys(OLD).sort());
  for (const [path, bytes] of Object.entries(OLD)) expect(tree[path]!.equals(bytes), `${path} restored after a kill at ${when}`).toBe(true);
}

describe('killing migrate apply', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it('at every step of the write leaves each file old or new, and rollback restores the original', async () => {
    const traceDir = writeTree(tempDir('gm-crash-'), SAMPLE);
    const trace = join(tempDir('gm-trace-'), 'steps');
    const ok = cli(traceDir, ['apply', '--yes', '.'], { GALAXY_MIGRATE_TEST_TRACE: trace });
    expect(ok.status, ok.stderr).toBe(0);
    const steps = readFileSync(trace, 'utf8').trim().split('\n').map((l) => l.split('\t')[0]!);
    // backups, manifest, per file: prepare (open, half written, synced), commit, committed; state
    expect(steps).toEqual(expect.arrayContaining(['backup:0', 'manifest', 'prepare:0:half-written', 'commit:0', 'committed:3', 'state']));
    expect(steps.length).toBeGreaterThanOrEqual(30);

    for (const step of steps) {
      const dir = writeTree(tempDir('gm-crash-'), SAMPLE);
      const r = cli(dir, ['apply', '--yes', '.'], { GALAXY_MIGRATE_TEST_KILL_AT: step });
      expect(r.signal, `apply killed at ${step}`).toBe('SIGKILL');
      expectOldOrNew(dir, step);
      if (step.startsWith('commit') || step === 'state') {
        // a new apply is refused until the interrupted one is rolled back
        const again = await runWith(['apply', '--yes', '.'], dir);
        expect(again.code).toBe(2);
        expect(again.stderr).toContain('did not finish');
      }
      await expectRollbackRestores(dir, step);
    }
  }, 240_000);

  it('after random delays leaves each file old or new, and rollback restores the original', async () => {
    // When, after the spawn, the writing starts and ends (a slow machine starts node slowly).
    const delayMs = 25;
    const calib = writeTree(tempDir('gm-crash-'), SAMPLE);
    const trace = join(tempDir('gm-trace-'), 'steps');
    const t0 = Date.now();
    expect(cli(calib, ['apply', '--yes', '.'], { GALAXY_MIGRATE_TEST_TRACE: trace, GALAXY_MIGRATE_TEST_STEP_DELAY_MS: String(delayMs) }).status).toBe(0);
    const times = readFileSync(trace, 'utf8').trim().split('\n').map((l) => Number(l.split('\t')[1]) - t0);
    const first = times[0]!;
    const last = times.at(-1)! + delayMs;
    const runs = 12;
    const outcomes = new Set<string>();
    for (let i = 0; i < runs; i++) {
      const dir = writeTree(tempDir('gm-crash-'), SAMPLE);
      const child = spawn(process.execPath, [TEST_CLI, 'apply', '--yes', '.'], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1', GALAXY_MIGRATE_TEST_STEP_DELAY_MS: String(delayMs) },
        stdio: 'ignore',
      });
      const delay = Math.round(first + ((last - first) * (i + Math.random())) / runs);
      const done = new Promise<void>((res) => child.on('exit', () => res()));
      setTimeout(() => child.kill('SIGKILL'), delay);
      await done;
      expectOldOrNew(dir, `${delay} ms`);
      const outcome = Object.keys(NEW).map((p) => (readTree(dir)[p]?.equals(NEW[p]!) ? 'new' : 'old')).join(',');
      await expectRollbackRestores(dir, `${delay} ms`);
      outcomes.add(outcome);
    }
    // the kills landed in different places (not all before the first write, not all after the last)
    expect(outcomes.size, [...outcomes].join(' | ')).toBeGreaterThan(1);
  }, 240_000);

  it('Ctrl-C or SIGTERM during the write is held until every file is written: all old or all new, never a mix', async () => {
    const delayMs = 25;
    const calib = writeTree(tempDir('gm-sig-'), SAMPLE);
    const trace = join(tempDir('gm-trace-'), 'steps');
    const t0 = Date.now();
    expect(cli(calib, ['apply', '--yes', '.'], { GALAXY_MIGRATE_TEST_TRACE: trace, GALAXY_MIGRATE_TEST_STEP_DELAY_MS: String(delayMs) }).status).toBe(0);
    const times = readFileSync(trace, 'utf8').trim().split('\n').map((l) => Number(l.split('\t')[1]) - t0);
    const first = times[0]!;
    const last = times.at(-1)!;
    const seen = new Set<string>();
    for (const [i, signal] of (['SIGINT', 'SIGTERM', 'SIGINT', 'SIGTERM', 'SIGINT', 'SIGTERM'] as const).entries()) {
      const dir = writeTree(tempDir('gm-sig-'), SAMPLE);
      const child = spawn(process.execPath, [TEST_CLI, 'apply', '--yes', '.'], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1', GALAXY_MIGRATE_TEST_STEP_DELAY_MS: String(delayMs) },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += String(d)));
      const exited = new Promise<{ code: number | null; signal: string | null }>((res) => child.on('exit', (code, sig) => res({ code, signal: sig })));
      setTimeout(() => child.kill(signal), Math.round(first + ((last - first) * (i + 0.5)) / 6));
      const { code } = await exited;
      const tree = readTree(dir);
      const allNew = Object.keys(NEW).every((p) => tree[p]?.equals(NEW[p]!));
      const allOld = Object.keys(OLD).every((p) => tree[p]?.equals(OLD[p]!)) && tree['config/handlers.yml'] === undefined;
      expect(allNew || allOld, `${signal} at run ${i}: a mix of old and new files`).toBe(true);
      if (allNew) expect(code, stderr).toBe(0);
      // a signal that landed inside the write was held, and said so
      if (stderr.includes(`${signal} arrived while writing; the apply was finished first`)) seen.add('held');
    }
    expect(seen.has('held'), 'no signal landed inside the write').toBe(true);
  }, 120_000);
});
