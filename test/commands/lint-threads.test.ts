import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TARGET } from '../../src/core/target.js';
import { nodeHost } from '../../src/io/host.js';
import { analyse } from '../../src/pipeline.js';
import { muleJobConfXml } from '../../bench/inventory.mjs';
import { BUILT_CLI, ensureBuilt } from '../helpers/build.js';
import { tempDir, writeTree } from '../helpers/deployment.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

/**
 * `lint` analyses an inventory server by server, dropping each server's parsed trees once its
 * rules ran (lean), and for a large tree on two threads (src/run/threads.ts). Both must give
 * exactly what one thread holding every tree gives: the same bytes on stdout, the same exit code.
 */

/** An inventory of `hosts` servers of different sizes: galaxy.yml with uWSGI, job conf, nginx, supervisord. */
function inventory(hosts: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < hosts; i++) {
    const h = `hosts/host${i}`;
    const mules = Array.from({ length: 1 + (i % 3) }, () => '  mule: lib/galaxy/main.py').join('\n');
    files[`${h}/config/galaxy.yml`] = [
      `uwsgi:`,
      `  socket: 127.0.0.1:${4000 + i}`,
      `  processes: ${1 + (i % 4)}`,
      `  master: true`,
      `  virtualenv: /srv/galaxy${i}/venv`,
      `  module: galaxy.webapps.galaxy.buildapp:uwsgi_app()`,
      mules,
      `  farm: job-handlers:${Array.from({ length: 1 + (i % 3) }, (_, k) => k + 1).join(',')}`,
      `galaxy:`,
      `  database_connection: postgresql://galaxy:hostpass${i}x@db/galaxy${i}`,
      `  id_secret: ${(1000003 * (i + 7)).toString(16).padStart(16, '0')}`,
      `  job_config_file: job_conf.xml`,
      ``,
    ].join('\n');
    const toolLines = Array.from({ length: 5 + 40 * (i % 4) }, (_, k) => `        <tool id="tool_${k}" handler="main.job-handlers.${1 + (k % 2)}"/>`);
    files[`${h}/config/job_conf.xml`] = muleJobConfXml({ handlers: 2, toolLines });
    const locations = Array.from({ length: 2 + 30 * (i % 3) }, (_, k) => `    location /app${k}/ {\n        uwsgi_pass 127.0.0.1:${4000 + ((i + k) % hosts)};\n        include uwsgi_params;\n    }`).join('\n');
    files[`${h}/nginx/galaxy.conf`] = `server {
    listen 80;
    server_name galaxy${i}.example.org;
    location / {
        uwsgi_pass 127.0.0.1:${4000 + i};
        uwsgi_param UWSGI_SCHEME $scheme;
        include uwsgi_params;
    }
${locations}
}
`;
    files[`${h}/supervisor/galaxy.conf`] = `[program:galaxy]
command = /srv/galaxy${i}/venv/bin/uwsgi --yaml /srv/galaxy${i}/config/galaxy.yml
directory = /srv/galaxy${i}/server
user = galaxy
`;
  }
  return files;
}

let dir = '';
beforeAll(() => {
  dir = writeTree(tempDir('gm-threads-'), inventory(7));
});
afterAll(() => {
  if (dir) execFileSync('rm', ['-rf', dir]);
});

function run(bin: string, args: string[], threads: 'on' | 'off'): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', GALAXY_MIGRATE_THREADS: threads },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('lint of an inventory, server by server', () => {
  it('finds what a run holding every parsed tree finds: same findings, plan and files', () => {
    const host = nodeHost(dir, {});
    const full = analyse(['.'], host, DEFAULT_TARGET);
    const lean = analyse(['.'], host, DEFAULT_TARGET, undefined, undefined, { lean: true, threads: 'off' });
    expect(full.loaded.deployments).toHaveLength(7);
    expect(lean.loaded.deployments).toHaveLength(7);
    expect(lean.result.findings).toEqual(full.result.findings);
    expect(lean.result.plan).toEqual(full.result.plan);
    expect([...lean.loaded.deployment.files.keys()]).toEqual([...full.loaded.deployment.files.keys()]);
    expect(lean.loaded.deployment.documents.map((d) => [d.file.path, d.kind, d.errors])).toEqual(full.loaded.deployment.documents.map((d) => [d.file.path, d.kind, d.errors]));
    expect(lean.loaded.deployment.secrets).toEqual(full.loaded.deployment.secrets);
    // The point of lean: no parsed tree is kept.
    expect(lean.loaded.deployments.flatMap((d) => d.documents).every((d) => d.ast === undefined)).toBe(true);
  });
});

const BUNDLE = join(PROJECT_ROOT, 'dist', 'bundle', 'migrate.cjs');
ensureBuilt();
const haveBundle = existsSync(BUNDLE);
if (haveBundle && statSync(BUNDLE).mtimeMs < statSync(BUILT_CLI).mtimeMs) {
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'bundle.mjs')], { cwd: PROJECT_ROOT, stdio: 'pipe' });
}
if (!haveBundle) console.warn('[skip] dist/bundle/migrate.cjs is not built (npm run build): the worker of the bundled bin is not checked');

describe.each([
  ['the tsc output (dist/src/cli.js)', BUILT_CLI, true],
  ['the bundled bin (dist/bundle/migrate.cjs)', BUNDLE, haveBundle],
])('lint with the worker thread forced on and off: %s', (_name, bin, present) => {
  it.skipIf(!present)('prints the same bytes and exits the same in every format', () => {
    for (const format of ['json', 'text', 'sarif']) {
      const off = run(bin, ['lint', '--format', format, '.'], 'off');
      // Forced on, the worker takes the biggest server before this thread starts, and any failure
      // of it is an error: an empty stderr means the worker analysed servers and its results came back.
      const on = run(bin, ['lint', '--format', format, '.'], 'on');
      expect(on.stderr).toBe('');
      expect(off.stderr).toBe('');
      expect(on.code).toBe(off.code);
      expect(on.stdout).toBe(off.stdout);
      if (format === 'json') {
        expect(off.code).toBe(1);
        const findings = (JSON.parse(off.stdout) as { findings: { file: string; ruleId: string }[] }).findings;
        // Every server's files have findings (galaxy.yml, job conf, nginx), so every server was analysed.
        const files = new Set(findings.map((f) => f.file));
        for (let i = 0; i < 7; i++) {
          expect(files).toContain(`hosts/host${i}/config/galaxy.yml`);
          expect(files).toContain(`hosts/host${i}/config/job_conf.xml`);
          expect(files).toContain(`hosts/host${i}/nginx/galaxy.conf`);
        }
        // Secrets stay hidden whichever thread read them.
        expect(off.stdout).not.toMatch(/hostpass\dx/);
      }
    }
  }, 120_000);
});
