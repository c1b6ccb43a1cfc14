import { appendFileSync } from 'node:fs';
import type { StepHook } from './write-atomic.js';

/**
 * Fault injection for the crash tests, off unless one of these variables is set (never in normal
 * use): `GALAXY_MIGRATE_TEST_TRACE=FILE` appends every step name and the time to FILE;
 * `GALAXY_MIGRATE_TEST_KILL_AT=STEP` kills the process with SIGKILL at that step;
 * `GALAXY_MIGRATE_TEST_FAIL_AT=STEP` throws there (a failed write);
 * `GALAXY_MIGRATE_TEST_STEP_DELAY_MS=N` sleeps N ms at every step, so a kill after a random delay
 * lands anywhere.
 */
export function testHookFromEnv(env: Record<string, string | undefined>): StepHook | undefined {
  const trace = env.GALAXY_MIGRATE_TEST_TRACE;
  const kill = env.GALAXY_MIGRATE_TEST_KILL_AT;
  const fail = env.GALAXY_MIGRATE_TEST_FAIL_AT;
  const delay = Number(env.GALAXY_MIGRATE_TEST_STEP_DELAY_MS ?? 0);
  if (!trace && !kill && !fail && !(delay > 0)) return undefined;
  const sleeper = delay > 0 ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
  return (step) => {
    if (trace) appendFileSync(trace, `${step}\t${Date.now()}\n`);
    if (sleeper) Atomics.wait(sleeper, 0, 0, delay);
    if (kill === step) process.kill(process.pid, 'SIGKILL');
    if (fail === step) throw new Error(`injected failure at ${step}`);
  };
}
