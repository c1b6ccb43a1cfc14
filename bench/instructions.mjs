// Cold start in instructions (valgrind --tool=callgrind), beside the timed runs of bench/run.mjs.
// Why: on a shared 2-core machine wall and even CPU times move with the load of the other core;
// instruction counts of the same binary and inputs do not (the same total twice, whatever else runs),
// so the ratio to `node -e 0` is the steady one. Slow (each run ~10 s under valgrind), so few runs.
import { spawnSync } from 'node:child_process';

export const HAVE_VALGRIND = spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status === 0;

/** Instructions executed by `node ...args` (every thread), or NaN when callgrind did not say. */
export function instructions(args, cwd, env = process.env) {
  const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', '--smc-check=all-non-file', process.execPath, ...args], {
    cwd,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const m = /Collected : (\d+)/.exec(r.stderr ?? '');
  return m ? Number(m[1]) : Number.NaN;
}

/** [name, args] cases, the floor first: min over `runs` of each, and the ratio to the floor. */
export function instructionRatios(cases, cwd, runs = 2, env = process.env) {
  const counts = cases.map(([, args]) => Math.min(...Array.from({ length: runs }, () => instructions(args, cwd, env))));
  return cases.map(([name], k) => ({ name, instructions: counts[k], ratio: counts[k] / counts[0] }));
}

/**
 * The environment without NODE_EXTRA_CA_CERTS. Where it is set (this workplace sets it to the system
 * bundle), every node process parses ~150 certificates at start-up: about 80% of `node -e 0`'s
 * instructions. That flatters any ratio to the floor, so the bench shows both.
 */
export function withoutExtraCaCerts() {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}
