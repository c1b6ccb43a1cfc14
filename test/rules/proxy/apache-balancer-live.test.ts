import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttp, get, type Server } from 'node:http';
import { createServer as createNet } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROXY_RULES } from '../../../rules/proxy/index.js';
import type { MigrationDecisions } from '../../../src/core/model.js';
import { apacheBinary } from '../../../src/io/server-check.js';
import { deploymentOf, runOn } from './helpers.js';

/**
 * The rewritten balancer, served by a real Apache (`apache2 -X`, in the foreground, on a loopback
 * port of its own) in front of two HTTP servers on unix sockets that stand for two gunicorn
 * instances: requests reach both, and keep being answered while one of them is down (what
 * `galaxyctl graceful` does to one instance at a time). Also why the finding names the modules:
 * without mod_slotmem_shm `apache2 -t` still says Syntax OK but Apache does not start.
 */

const APACHE = apacheBinary();
const MODULES = ['/usr/lib/apache2/modules', '/usr/lib64/httpd/modules', '/usr/lib/httpd/modules'].find((d) => existsSync(join(d, 'mod_proxy_balancer.so')));
if (!APACHE || !MODULES) console.warn('[skip] live Apache balancer test: apache2 with mod_proxy_balancer is not installed (apt-get install apache2)');

const BASE_MODULES = ['mpm_event', 'authz_core', 'proxy', 'proxy_http'];
const BALANCER_MODULES = ['proxy_balancer', 'lbmethod_byrequests', 'slotmem_shm'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNet();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function fetchText(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, headers: { Host: 'galaxy.example.org' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
  });
}

function mainConfig(dir: string, modules: readonly string[], site: string): string {
  const root = typeof process.getuid === 'function' && process.getuid() === 0 ? ['User #65534', 'Group #65534'] : [];
  return [
    `ServerRoot "${dir}"`,
    `DefaultRuntimeDir "${dir}/run"`,
    `PidFile "${dir}/run/httpd.pid"`,
    `ErrorLog "${dir}/error.log"`,
    'ServerName localhost',
    ...root,
    ...modules.map((m) => `LoadModule ${m}_module ${MODULES}/mod_${m}.so`),
    `Include "${site}"`,
    '',
  ].join('\n');
}

describe.skipIf(!APACHE || !MODULES)('a real Apache in front of the rewritten balancer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gm-apache-live-'));
  const servers: Server[] = [];
  let apache: ChildProcess | undefined;
  let port = 0;
  let site = '';

  beforeAll(async () => {
    chmodSync(dir, 0o755);
    spawnSync('mkdir', ['-p', join(dir, 'run')]);
    port = await freePort();
    const decisions: Partial<MigrationDecisions> = {
      legacyListeners: [{ option: 'zerg-pool', protocol: 'uwsgi', address: { kind: 'unix', path: `${dir}/uwsgi.sock` }, file: 'supervisord.conf', range: { start: 0, end: 0 } }],
      gunicornBind: `unix:${dir}/gunicorn0.sock`,
      gunicornAddress: { kind: 'unix', path: `${dir}/gunicorn0.sock` },
      gunicornInstances: [0, 1].map((i) => ({ bind: `unix:${dir}/gunicorn${i}.sock`, address: { kind: 'unix' as const, path: `${dir}/gunicorn${i}.sock` } })),
      forwardedAllowAll: true,
    };
    const before = [`Listen 127.0.0.1:${port}`, `<VirtualHost 127.0.0.1:${port}>`, '    ServerName galaxy.example.org', `    ProxyPass / unix://${dir}/uwsgi.sock|uwsgi://`, '</VirtualHost>', ''].join('\n');
    const files = { 'galaxy.conf': before };
    site = runOn(deploymentOf(files, decisions, { 'galaxy.conf': 'apache' }), PROXY_RULES).after['galaxy.conf']!;
    writeFileSync(join(dir, 'galaxy.conf'), site);
    for (const i of [0, 1]) {
      const s = createHttp((req, res) => res.end(`instance ${i} ${req.url} host=${req.headers.host}`));
      await new Promise<void>((resolve) => s.listen(join(dir, `gunicorn${i}.sock`), resolve));
      chmodSync(join(dir, `gunicorn${i}.sock`), 0o777);
      servers.push(s);
    }
    writeFileSync(join(dir, 'httpd.conf'), mainConfig(dir, [...BASE_MODULES, ...BALANCER_MODULES], join(dir, 'galaxy.conf')));
    apache = spawn(APACHE!, ['-X', '-d', dir, '-f', join(dir, 'httpd.conf')], { stdio: 'ignore' });
    for (let k = 0; k < 100; k++) {
      const up = await fetchText(port, '/').then(
        () => true,
        () => false,
      );
      if (up) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`Apache did not come up:\n${existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''}`);
  }, 30_000);

  afterAll(async () => {
    if (apache?.pid && apache.exitCode === null) {
      apache.kill('SIGTERM');
      await new Promise((r) => apache!.once('exit', r));
    }
    for (const s of servers) if (s.listening) await new Promise((r) => s.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('the rewritten site proxies Galaxy through balancer://galaxy', () => {
    expect(site).toContain('    ProxyPass / balancer://galaxy/\n');
    expect(site).toContain(`        BalancerMember unix:${dir}/gunicorn1.sock|http://gunicorn1\n`);
  });

  it('spreads requests over both instances, with the client Host kept', async () => {
    const bodies = await Promise.all([1, 2, 3, 4, 5, 6].map(() => fetchText(port, '/api/version')));
    expect(bodies.map((b) => b.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(bodies.map((b) => b.body.split(' ').slice(0, 2).join(' ')))).toEqual(new Set(['instance 0', 'instance 1']));
    expect(bodies[0]!.body).toMatch(/\/api\/version host=galaxy\.example\.org$/);
  });

  it('keeps answering while one instance is down', async () => {
    await new Promise((r) => servers[0]!.close(r));
    const bodies: { status: number; body: string }[] = [];
    for (let k = 0; k < 4; k++) bodies.push(await fetchText(port, '/'));
    expect(bodies.map((b) => b.status)).toEqual([200, 200, 200, 200]);
    expect(bodies.every((b) => b.body.startsWith('instance 1 '))).toBe(true);
  });

  it('does not start without mod_slotmem_shm and mod_lbmethod_byrequests, though apache2 -t accepts the file', async () => {
    const otherPort = await freePort();
    const other = mkdtempSync(join(tmpdir(), 'gm-apache-live-'));
    try {
      spawnSync('mkdir', ['-p', join(other, 'run')]);
      const conf = join(other, 'httpd.conf');
      // The same site on another port, so the running server above is not in the way.
      writeFileSync(join(other, 'galaxy.conf'), site.split(String(port)).join(String(otherPort)));
      writeFileSync(conf, mainConfig(other, [...BASE_MODULES, 'proxy_balancer'], join(other, 'galaxy.conf')));
      const t = spawnSync(APACHE!, ['-t', '-d', other, '-f', conf], { encoding: 'utf8' });
      expect(`${t.stdout}${t.stderr}`).toMatch(/Syntax OK/);
      const start = spawnSync(APACHE!, ['-X', '-d', other, '-f', conf], { encoding: 'utf8', timeout: 15_000 });
      expect(start.status).not.toBe(0);
      expect(`${start.stderr}${readFileSync(join(other, 'error.log'), 'utf8')}`).toMatch(/AH01177|AH02432|slotmem|LB Method/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
