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
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HAVE_VALGRIND, instructionRatios } from './instructions.mjs';

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
  if (HAVE_VALGRIND) {
    const ins = instructionRatios(cases.slice(0, 3), ROOT);
    planInstrRatio = ins[1].ratio;
    console.log('\n### The same in instructions (valgrind --tool=callgrind, min of 2; steady on a busy machine)\n');
    console.log(table(['command', 'instructions (M)', '× floor'], ins.map((r) => [r.name, f0(r.instructions / 1e6), f2(r.ratio)])));
  } else console.log('\n(valgrind is not installed: no instruction counts)');
  return { planWallRatio: stats(res[1].wall).med / floor.wall, planCpuRatio: stats(res[1].cpu).med / floor.cpu, planInstrRatio };
}

// ---------------------------------------------------------------- 2. inventory lint
function galaxyYml(i) {
  const mules = Array.from({ length: 2 + (i % 3) }, () => '  mule: lib/galaxy/main.py').join('\n');
  return `# host ${i}
uwsgi:
  socket: /srv/galaxy${i}/var/uwsgi.sock
  http: 127.0.0.1:${8000 + (i % 1000)}
  processes: ${2 + (i % 6)}
  threads: 4
  offload-threads: 2
  buffer-size: 16384
  master: true
  enable-threads: true
  thunder-lock: true
  die-on-term: true
  harakiri: 600
  virtualenv: /srv/galaxy${i}/venv
  pythonpath: lib
  chdir: /srv/galaxy${i}/server
  module: galaxy.webapps.galaxy.buildapp:uwsgi_app()
  umask: '027'
  logto: /srv/galaxy${i}/log/uwsgi.log
  static-map: /static=static
  static-map: /favicon.ico=static/favicon.ico
  hook-master-start: unix_signal:2 gracefully_kill_them_all
  hook-master-start: unix_signal:15 gracefully_kill_them_all
  py-call-osafterfork: true
${mules}
  farm: job-handlers:${Array.from({ length: 2 + (i % 3) }, (_, k) => k + 1).join(',')}
galaxy:
  brand: Host ${i}
  admin_users: admin${i}@example.org
  database_connection: postgresql://galaxy:pw${i}@db.example.org/galaxy${i}
  id_secret: ${(i * 7919).toString(16).padStart(16, '0')}
  job_config_file: job_conf.xml
  file_path: /srv/galaxy${i}/data/datasets
  tool_config_file: tool_conf.xml,shed_tool_conf.xml
${Array.from({ length: 20 }, (_, k) => `  option_${k}: value ${k} of host ${i}`).join('\n')}
`;
}

function jobConfXml(i, tools) {
  const t = Array.from({ length: tools }, (_, k) => `        <tool id="toolshed.example.org/repos/owner${k % 50}/tool_${k}/tool_${k}/1.${k % 10}.0" handler="main.job-handlers.${1 + (k % 3)}"/>`).join('\n');
  return `<?xml version="1.0"?>
<job_conf>
    <plugins workers="4">
        <plugin id="local" type="runner" load="galaxy.jobs.runners.local:LocalJobRunner"/>
    </plugins>
    <handlers assign_with="uwsgi-mule-message" default="handlers">
        <handler id="main.job-handlers.1" tags="handlers"/>
        <handler id="main.job-handlers.2" tags="handlers"/>
        <handler id="main.job-handlers.3" tags="handlers"/>
    </handlers>
    <destinations default="local">
        <destination id="local" runner="local"/>
    </destinations>
    <tools>
${t}
    </tools>
</job_conf>
`;
}

function jobConfYml(tools) {
  const t = Array.from({ length: tools }, (_, k) => `  - id: tool_${k}\n    handler: main.job-handlers.${1 + (k % 2)}`).join('\n');
  return `runners:
  local:
    load: galaxy.jobs.runners.local:LocalJobRunner
handling:
  assign: [uwsgi-mule-message]
  default: handlers
  handlers:
    main.job-handlers.1: {tags: [handlers]}
    main.job-handlers.2: {tags: [handlers]}
execution:
  default: local
  environments:
    local:
      runner: local
tools:
${t}
`;
}

function nginx(i, locations) {
  const locs = Array.from({ length: locations }, (_, k) => `    location /app${k}/ {\n        proxy_pass http://127.0.0.1:${9000 + k};\n        proxy_set_header Host $host;\n        client_max_body_size ${k % 10}G;\n    }`).join('\n');
  return `upstream galaxy${i} {
    server unix:/srv/galaxy${i}/var/uwsgi.sock;
}

server {
    listen 80;
    server_name galaxy${i}.example.org;
    location / {
        uwsgi_pass galaxy${i};
        uwsgi_param UWSGI_SCHEME $scheme;
        include uwsgi_params;
    }
${locs}
}
`;
}

function supervisor(i) {
  return `[program:galaxy]
command         = /srv/galaxy${i}/venv/bin/uwsgi --yaml /srv/galaxy${i}/config/galaxy.yml
directory       = /srv/galaxy${i}/server
umask           = 022
autostart       = true
autorestart     = true
user            = galaxy
stopsignal      = INT
environment     = PATH="/srv/galaxy${i}/venv/bin:/usr/bin:/bin"
`;
}

/** `hosts` deployments; every tenth has the big files (3,000 tool mappings, nginx of ~1,000 locations). */
function makeInventory(dir, hosts) {
  let bytes = 0;
  let files = 0;
  const put = (rel, text) => {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    bytes += Buffer.byteLength(text);
    files++;
  };
  for (let i = 0; i < hosts; i++) {
    const big = i % 10 === 0;
    const h = `host${String(i).padStart(5, '0')}`;
    put(`${h}/config/galaxy.yml`, galaxyYml(i));
    put(`${h}/config/job_conf.xml`, jobConfXml(i, big ? 3000 : 20));
    if (big) put(`${h}/config/job_conf.yml`, jobConfYml(1000));
    put(`${h}/nginx/galaxy.conf`, nginx(i, big ? 1000 : 5));
    put(`${h}/supervisor/galaxy.conf`, supervisor(i));
  }
  return { bytes, files };
}

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
  console.log(`\nsummary: cold plan = ${f2(cold.planWallRatio)}x node -e 0 (wall), ${f2(cold.planCpuRatio)}x (CPU), ${f2(cold.planInstrRatio)}x (instructions)`);
  process.exit(0);
}
const inv = inventory();
console.log(`\nsummary: cold plan = ${f2(cold.planWallRatio)}x node -e 0 (wall), ${f2(cold.planCpuRatio)}x (CPU), ${f2(cold.planInstrRatio)}x (instructions); lint time grows ${f2(inv.growth)}x (wall), ${f2(inv.cpuGrowth)}x (CPU) for 10x input`);
