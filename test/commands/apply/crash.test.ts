import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
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

  it('after random delays into the write leaves each file old or new, and rollback restores the original', async () => {
    const delayMs = 25;
    const window = writeWindow(delayMs);
    const runs = 12;
    const outcomes = new Set<string>();
    for (let i = 0; i < runs; i++) {
      const dir = writeTree(tempDir('gm-crash-'), SAMPLE);
      const after = Math.round((window * (i + Math.random())) / runs);
      await applyAndSignal(dir, delayMs, after, 'SIGKILL');
      expectOldOrNew(dir, `${after} ms into the write`);
      outcomes.add(Object.keys(NEW).map((p) => (readTree(dir)[p]?.equals(NEW[p]!) ? 'new' : 'old')).join(','));
      await expectRollbackRestores(dir, `${after} ms into the write`);
    }
    // the kills landed in different places (not all before the first rename, not all after the last)
    expect(outcomes.size, [...outcomes].join(' | ')).toBeGreaterThan(1);
  }, 240_000);

  it('Ctrl-C, SIGTERM or SIGHUP during the write is held until every file is written: all new, never a mix', async () => {
    const delayMs = 25;
    const window = writeWindow(delayMs);
    let held = 0;
    for (const [i, signal] of (['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGINT'] as const).entries()) {
      const dir = writeTree(tempDir('gm-sig-'), SAMPLE);
      const after = Math.round((window * (i + 0.5)) / 6);
      const r = await applyAndSignal(dir, delayMs, after, signal);
      const tree = readTree(dir);
      const allNew = Object.keys(NEW).every((p) => tree[p]?.equals(NEW[p]!));
      expect(allNew, `${signal} ${after} ms into the write: not every file is new (${r.stderr})`).toBe(true);
      const manifests = readTree(dir, { withBackups: true });
      expect(Object.entries(manifests).some(([k, v]) => k.endsWith('manifest.json') && v.toString().includes('"state": "applied"'))).toBe(true);
      // held and reported; a signal that came after the write (the run was quicker than measured) ends the process as usual
      if (r.stderr.includes(`${signal} arrived while writing; the apply was finished first`)) {
        expect(r.code, r.stderr).toBe(0);
        held++;
      }
    }
    expect(held, 'signals held during the write').toBeGreaterThanOrEqual(3);
  }, 120_000);
});

/** How long the write lasts (first traced step to last) with this delay per step. */
function writeWindow(delayMs: number): number {
  const dir = writeTree(tempDir('gm-crash-'), SAMPLE);
  const trace = join(tempDir('gm-trace-'), 'steps');
  expect(cli(dir, ['apply', '--yes', '.'], { GALAXY_MIGRATE_TEST_TRACE: trace, GALAXY_MIGRATE_TEST_STEP_DELAY_MS: String(delayMs) }).status).toBe(0);
  const times = readFileSync(trace, 'utf8').trim().split('\n').map((l) => Number(l.split('\t')[1]));
  return times.at(-1)! - times[0]! + delayMs;
}

/**
 * Spawns `apply --yes` (slowed by `delayMs` per step) and sends `signal` `after` ms after its first
 * write step: anchored to the write, not to the spawn, so a slow start (a busy CI machine) does not
 * move every signal before the write.
 */
async function applyAndSignal(dir: string, delayMs: number, after: number, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string }> {
  const trace = join(tempDir('gm-trace-'), 'steps');
  const child = spawn(process.execPath, [TEST_CLI, 'apply', '--yes', '.'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', GALAXY_MIGRATE_TEST_STEP_DELAY_MS: String(delayMs), GALAXY_MIGRATE_TEST_TRACE: trace },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  let exited = false;
  const done = new Promise<number | null>((res) =>
    child.on('exit', (code) => {
      exited = true;
      res(code);
    }),
  );
  while (!exited && !(existsSync(trace) && statSync(trace).size > 0)) await new Promise((r) => setTimeout(r, 2));
  if (!exited) setTimeout(() => child.kill(signal), after);
  return { code: await done, stderr };
}
