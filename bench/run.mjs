#!/usr/bin/env node
// galaxy-migrate benchmarks (`npm run bench`; never run by the tests).
//
// 1. Cold start: `migrate plan samples/uwsgi-mules` in a fresh process against `node -e 0` (the
//    floor), interleaved in the same run, as min/median/max and the ratio of the medians, in wall
//    time and in CPU time (user+sys of the child; steadier than wall time on a busy machine).
// 2. Lint of a generated inventory (thousands of files: galaxy.yml with uwsgi sections, job confs
//    with thousands of tool mappings, nginx files of thousands of lines): throughput (MB/s,
//    files/s), peak RSS, and how the time grows when the inventory grows tenfold.
//
// Environment: BENCH_RUNS (cold runs per case, default 20), BENCH_SCALE (hosts in the 1x inventory,
// default 100), BENCH_QUICK=1 (fewer runs, smaller inventory: a smoke test of the script),
// BENCH_ONLY=cold (the cold-start part only).
// `node bench/run.mjs --make-inventory DIR [HOSTS]` only writes the inventory (for profiling).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HAVE_VALGRIND, instructionRatios, withoutExtraCaCerts } from './instructions.mjs';
import { makeInventory } from './inventory.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PROBE = join(ROOT, 'bench', 'probe.mjs');
const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = Number(process.env.BENCH_RUNS ?? (QUICK ? 5 : 20));
const SCALE = Number(process.env.BENCH_SCALE ?? (QUICK ? 20 : 100));

/** The CLI as installed (package.json "bin"), and the plain tsc output beside it for comparison. */
const BIN = (() => {
  const pkg = JSON.parse(spawnSync(process.execPath, ['-p', `JSON.stringify(require(${JSON.stringify(join(ROOT, 'package.json'))}).bin)`], { encoding: 'utf8' }).stdout);
  return join(ROOT, typeof pkg === 'string' ? pkg : pkg.migrate);
})();
const TSC_CLI = join(ROOT, 'dist', 'src', 'cli.js');
for (const f of [BIN, TSC_CLI]) {
  if (!existsSync(f)) {
    console.error(`bench: ${f.slice(ROOT.length + 1)} is missing: run \`npm run build\` first`);
    process.exit(2);
  }
}

/** Runs node with the probe; returns wall ms, child CPU ms, peak RSS MiB, exit code. */
function measure(args, cwd = ROOT, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', PROBE, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /gm-probe cpu=(\d+) rss=(\d+)/.exec(r.stderr ?? '');
  if (!m) throw new Error(`no probe output from node ${args.join(' ')} (exit ${r.status}): ${r.stderr}`);
  return { wall, cpu: Number(m[1]) / 1000, rss: Number(m[2]) / 1024, code: r.status, stderr: r.stderr };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], med: s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2, max: s[s.length - 1] };
};
const f0 = (x) => x.toFixed(0);
const f1 = (x) => x.toFixed(1);
const f2 = (x) => x.toFixed(2);

function table(head, rows) {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join(' | ')} |`;
  return [line(head), `|${w.map((n, i) => (i === 0 ? `${'-'.repeat(n + 1)}-` : `${'-'.repeat(n + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------- 1. cold start
function coldStart() {
  const cases = [
    ['node -e 0 (floor)', ['-e', '0']],
    [`migrate plan samples/uwsgi-mules (${BIN.slice(ROOT.length + 1)})`, [BIN, 'plan', 'samples/uwsgi-mules']],
    ['migrate --version', [BIN, '--version']],
  ];
  if (BIN !== TSC_CLI) cases.push(['plan via dist/src/cli.js (unbundled tsc output)', [TSC_CLI, 'plan', 'samples/uwsgi-mules']]);
  for (const [, a] of cases) measure(a); // warm the file cache
  const res = cases.map(() => ({ wall: [], cpu: [], rss: [] }));
  for (let i = 0; i < RUNS; i++) {
    cases.forEach(([, a], k) => {
      const m = measure(a);
      if (m.code !== 0) throw new Error(`node ${a.join(' ')} exited ${m.code}: ${m.stderr}`);
      res[k].wall.push(m.wall);
      res[k].cpu.push(m.cpu);
      res[k].rss.push(m.rss);
    });
  }
  const floor = { wall: stats(res[0].wall).med, cpu: stats(res[0].cpu).med };
  const rows = cases.map(([name], k) => {
    const w = stats(res[k].wall);
    const c = stats(res[k].cpu);
    return [name, `${f0(w.min)} / ${f0(w.med)} / ${f0(w.max)}`, f2(w.med / floor.wall), `${f0(c.min)} / ${f0(c.med)} / ${f0(c.max)}`, f2(c.med / floor.cpu), f0(stats(res[k].rss).max)];
  });
  console.log(`\n## Cold start (${RUNS} runs each, interleaved)\n`);
  console.log(table(['command', 'wall ms min / med / max', 'wall × floor', 'CPU ms min / med / max', 'CPU × floor', 'peak RSS MiB'], rows));
  let planInstrRatio = Number.NaN;
  let planInstrRatioBare = Number.NaN;
  if (HAVE_VALGRIND) {
    const ins = instructionRatios(cases.slice(0, 3), ROOT);
    planInstrRatio = ins[1].ratio;
    console.log('\n### The same in instructions (valgrind --tool=callgrind, min of 2; steady on a busy machine)\n');
    console.log(table(['command', 'instructions (M)', '× floor'], ins.map((r) => [r.name, f0(r.instructions / 1e6), f2(r.ratio)])));
    if (process.env.NODE_EXTRA_CA_CERTS) {
      const bare = instructionRatios(cases.slice(0, 3), ROOT, 2, withoutExtraCaCerts());
      planInstrRatioBare = bare[1].ratio;
      console.log('\n### The same without NODE_EXTRA_CA_CERTS (set here: every node process parses that CA bundle at start-up)\n');
      console.log(table(['command', 'instructions (M)', '× floor'], bare.map((r) => [r.name, f0(r.instructions / 1e6), f2(r.ratio)])));
    }
  } else console.log('\n(valgrind is not installed: no instruction counts)');
  return { planWallRatio: stats(res[1].wall).med / floor.wall, planCpuRatio: stats(res[1].cpu).med / floor.cpu, planInstrRatio, planInstrRatioBare };
}

// ---------------------------------------------------------------- 2. inventory lint
function inventory() {
  const parent = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const base = mkdtempSync(join(parent, 'gm-bench-'));
  const rows = [];
  const times = [];
  try {
    for (const [label, hosts, reps] of [['1x', SCALE, 3], ['10x', SCALE * 10, QUICK ? 1 : 2]]) {
      const dir = join(base, label);
      const { bytes, files } = makeInventory(dir, hosts);
      // As installed (a second thread above 24 MB of text: src/run/threads.ts), and on
      // one thread, interleaved, so the two see the same machine.
      const modes = [['', {}], [', one thread', { GALAXY_MIGRATE_THREADS: 'off' }]];
      const runs = modes.map(() => []);
      for (let r = 0; r < reps; r++) {
        modes.forEach(([, env], k) => {
          const m = measure([BIN, 'lint', '--format', 'json', '.'], dir, env);
          if (m.code !== 0 && m.code !== 1) throw new Error(`lint of the ${label} inventory exited ${m.code}: ${m.stderr.slice(0, 2000)}`);
          runs[k].push(m);
        });
      }
      const mb = bytes / 1048576;
      modes.forEach(([suffix], k) => {
        const wall = stats(runs[k].map((m) => m.wall)).med;
        const cpu = stats(runs[k].map((m) => m.cpu)).med;
        const rss = Math.max(...runs[k].map((m) => m.rss));
        if (k === 0) times.push({ wall, cpu });
        rows.push([`${label}${suffix}`, files, f1(mb), f0(wall), f0(cpu), f1(mb / (wall / 1000)), f1(mb / (cpu / 1000)), f0(files / (wall / 1000)), f0(rss)]);
      });
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  console.log(`\n## Lint of a generated inventory (median of runs; \`migrate lint --format json .\`)\n`);
  console.log(table(['inventory', 'files', 'MB', 'wall ms', 'CPU ms', 'MB/s (wall)', 'MB/s (CPU)', 'files/s (wall)', 'peak RSS MiB'], rows));
  const growth = times[1].wall / times[0].wall;
  const cpuGrowth = times[1].cpu / times[0].cpu;
  console.log(`\ntime(10x) / time(1x) = ${f2(growth)} wall, ${f2(cpuGrowth)} CPU (linear: 10; the fixed start-up makes linear slightly under 10)`);
  return { growth, cpuGrowth };
}

if (process.argv[2] === '--make-inventory') {
  // For profiling by hand: node bench/run.mjs --make-inventory DIR [HOSTS]
  const made = makeInventory(process.argv[3] ?? 'inventory', Number(process.argv[4] ?? SCALE));
  console.log(`${made.files} files, ${(made.bytes / 1048576).toFixed(1)} MB`);
  process.exit(0);
}

console.log(`# galaxy-migrate benchmarks\n\nmachine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${process.platform}/${process.arch}`);
const cold = coldStart();
if (process.env.BENCH_ONLY === 'cold') {
  console.log(`\nsummary: cold plan = ${f2(cold.planWallRatio)}x node -e 0 (wall), ${f2(cold.planCpuRatio)}x (CPU), ${f2(cold.planInstrRatio)}x (instructions; ${f2(cold.planInstrRatioBare)}x without NODE_EXTRA_CA_CERTS)`);
  process.exit(0);
}
const inv = inventory();
console.log(`\nsummary: cold plan = ${f2(cold.planWallRatio)}x node -e 0 (wall), ${f2(cold.planCpuRatio)}x (CPU), ${f2(cold.planInstrRatio)}x (instructions); lint time grows ${f2(inv.growth)}x (wall), ${f2(inv.cpuGrowth)}x (CPU) for 10x input`);
