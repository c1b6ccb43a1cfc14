import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { findBinary, nginxBinary } from '../../src/io/server-check.js';
import { runCli } from '../helpers/cli.js';

/**
 * End to end: a small WSGI app served through real nginx to real uWSGI (the legacy config), then
 * the same deployment after `migrate plan` through real nginx to real Gunicorn (the migrated
 * config: the rewritten nginx file, and the bind, extra_args and galaxy_url_prefix the plan wrote).
 * The same requests go to both — plain, under a prefix, with a client `X-Forwarded-Proto: https`
 * — and the app must have seen the same scheme, host, path and prefix both times.
 *
 * Galaxy under Gunicorn applies galaxy_url_prefix itself (its app is mounted at the prefix); the
 * tiny app does the same with the prefix the plan wrote, so what is compared is the proxy's part.
 */

const NGINX = nginxBinary();
const UWSGI = findBinary(['uwsgi']);
const GUNICORN = findBinary(['gunicorn']);
const PY_PLUGIN = ['/usr/lib/uwsgi/plugins/python3_plugin.so', '/usr/lib/uwsgi/python3_plugin.so'].find(existsSync);
const missing = [!NGINX && 'nginx', !UWSGI && 'uwsgi (uwsgi-core)', !PY_PLUGIN && 'the uWSGI python3 plugin (uwsgi-plugin-python3)', !GUNICORN && 'gunicorn'].filter(Boolean);
if (missing.length) console.warn(`[skip] proxy end-to-end test: ${missing.join(', ')} not installed (Debian packages in .ci/apt-packages.txt)`);

const APP = `import json, os

PREFIX = os.environ.get("E2E_URL_PREFIX", "").rstrip("/")


def application(environ, start_response):
    # Stand-in for Galaxy's galaxy_url_prefix under Gunicorn: the app is mounted at the prefix.
    if PREFIX and (environ.get("PATH_INFO", "") + "/").startswith(PREFIX + "/"):
        environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + PREFIX
        environ["PATH_INFO"] = environ["PATH_INFO"][len(PREFIX):]
    body = json.dumps({
        "scheme": environ.get("wsgi.url_scheme"),
        "host": environ.get("HTTP_HOST"),
        "script_name": environ.get("SCRIPT_NAME", ""),
        "path_info": environ.get("PATH_INFO", ""),
        "query": environ.get("QUERY_STRING", ""),
        "method": environ.get("REQUEST_METHOD"),
    }, sort_keys=True).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
`;

const started: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(() => {
  for (const p of started) if (p.exitCode === null) p.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

function write(dir: string, files: Record<string, string>): void {
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
}

interface Seen {
  status: number;
  body: Record<string, unknown>;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Seen> {
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: `galaxy.example.org:${port}`, ...headers } }, (r) => {
      let data = '';
      r.on('data', (c) => (data += c));
      r.on('end', () => {
        try {
          res({ status: r.statusCode ?? 0, body: JSON.parse(data) as Record<string, unknown> });
        } catch {
          res({ status: r.statusCode ?? 0, body: { raw: data } });
        }
      });
    });
    req.on('error', rej);
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

async function until(port: number, path: string, what: string, logs: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const r = await get(port, path);
      if (r.status === 200 && r.body.scheme) return;
      last = `HTTP ${r.status} ${JSON.stringify(r.body)}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} did not answer on ${path}: ${last}\n${logs()}`);
}

function startLogged(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): { proc: ChildProcess; logs: () => string } {
  let out = '';
  const proc = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout?.on('data', (c) => (out += c));
  proc.stderr?.on('data', (c) => (out += c));
  started.push(proc);
  return { proc, logs: () => out.slice(-4000) };
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const done = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGINT');
  const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await done;
  clearTimeout(t);
}

/** nginx in the foreground: a main config of our own in the deployment's nginx directory (its conf prefix). */
function startNginx(dir: string, serverFile: string): { proc: ChildProcess; logs: () => string } {
  const prefix = join(dir, 'nginx');
  const state = join(dir, '.nginx');
  mkdirSync(join(state, 'tmp'), { recursive: true });
  const root = process.getuid?.() === 0;
  const conf = [
    root ? 'user root root;' : '',
    'daemon off;',
    'worker_processes 1;',
    `pid ${state}/nginx.pid;`,
    `error_log ${state}/error.log info;`,
    'events { worker_connections 64; }',
    'http {',
    ...['client_body', 'proxy', 'uwsgi', 'fastcgi', 'scgi'].map((t) => `    ${t}_temp_path ${state}/tmp/${t};`),
    '    access_log off;',
    `    include ${join(dir, serverFile)};`,
    '}',
    '',
  ].join('\n');
  // nginx resolves `include uwsgi_params` against its main config's directory: the deployment's nginx/.
  const main = join(prefix, '.e2e-main.conf');
  writeFileSync(main, conf);
  const args = ['-p', `${prefix}/`, '-c', main, '-e', join(state, 'error.log')];
  const t = spawnSync(NGINX!, ['-t', ...args], { encoding: 'utf8' });
  if (t.status !== 0) throw new Error(`nginx -t failed:\n${t.stderr}`);
  const started = startLogged(NGINX!, args, dir);
  return { proc: started.proc, logs: () => `${started.logs()}\n${existsSync(join(state, 'error.log')) ? readFileSync(join(state, 'error.log'), 'utf8').slice(-3000) : ''}` };
}

/** nginx's own uwsgi_params (upstream's conf/uwsgi_params), when this machine has none. */
const UPSTREAM_UWSGI_PARAMS = [
  'uwsgi_param  QUERY_STRING       $query_string;',
  'uwsgi_param  REQUEST_METHOD     $request_method;',
  'uwsgi_param  CONTENT_TYPE       $content_type;',
  'uwsgi_param  CONTENT_LENGTH     $content_length;',
  'uwsgi_param  REQUEST_URI        $request_uri;',
  'uwsgi_param  PATH_INFO          $document_uri;',
  'uwsgi_param  DOCUMENT_ROOT      $document_root;',
  'uwsgi_param  SERVER_PROTOCOL    $server_protocol;',
  'uwsgi_param  REQUEST_SCHEME     $scheme;',
  'uwsgi_param  HTTPS              $https if_not_empty;',
  'uwsgi_param  REMOTE_ADDR        $remote_addr;',
  'uwsgi_param  REMOTE_PORT        $remote_port;',
  'uwsgi_param  SERVER_PORT        $server_port;',
  'uwsgi_param  SERVER_NAME        $server_name;',
  '',
].join('\n');

/** shlex-like split of gunicorn extra_args (`--forwarded-allow-ips="*"` → `--forwarded-allow-ips=*`). */
function shellWords(s: string): string[] {
  const out: string[] = [];
  const re = /(?:[^\s"']+|"[^"]*"|'[^']*')+/g;
  for (const m of s.match(re) ?? []) out.push(m.replace(/"([^"]*)"|'([^']*)'/g, '$1$2'));
  return out;
}

interface Scenario {
  readonly name: string;
  /** uWSGI socket: a unix path (relative to the deployment) or a TCP port. */
  readonly socket: 'unix' | 'tcp';
  readonly prefix?: string;
  readonly requests: readonly { path: string; headers?: Record<string, string> }[];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'at the root, uWSGI on a TCP socket',
    socket: 'tcp',
    requests: [{ path: '/api/version?x=1' }, { path: '/' }, { path: '/datasets/f2db41e1fa331b3e/display?preview=True', headers: { 'X-Forwarded-Proto': 'https' } }],
  },
  {
    name: 'under the prefix /galaxy, uWSGI on a unix socket (mount + manage-script-name)',
    socket: 'unix',
    prefix: '/galaxy',
    requests: [
      { path: '/galaxy/api/version' },
      { path: '/galaxy/' },
      { path: '/galaxy/api/histories?q=name&qv=a%20b', headers: { 'X-Forwarded-Proto': 'https' } },
    ],
  },
];

describe.skipIf(missing.length > 0)('end to end: nginx → uWSGI before, nginx → Gunicorn after', () => {
  it.each(SCENARIOS)('$name: the app sees the same scheme, host, path and prefix (a client-forged scheme excepted)', async (sc) => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-e2e-'));
    dirs.push(dir);
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'var'), { mode: 0o755 });
    const port = await freePort();
    const uwsgiPort = await freePort();
    const sock = join(dir, 'var', 'uwsgi.sock');
    const socketValue = sc.socket === 'unix' ? sock : `127.0.0.1:${uwsgiPort}`;
    const loc = sc.prefix ?? '/';
    write(dir, {
      'server/app.py': APP,
      // The deployment's nginx directory holds uwsgi_params as /etc/nginx does (the distribution's own copy).
      'nginx/uwsgi_params': existsSync('/etc/nginx/uwsgi_params') ? readFileSync('/etc/nginx/uwsgi_params', 'utf8') : UPSTREAM_UWSGI_PARAMS,
      'config/galaxy.yml': [
        'uwsgi:',
        `  socket: ${socketValue}`,
        '  chmod-socket: 666',
        `  plugin: python3`,
        '  master: false',
        '  processes: 1',
        '  die-on-term: true',
        ...(sc.prefix ? [`  mount: ${sc.prefix}=${join(dir, 'server', 'app.py')}`, '  manage-script-name: true'] : [`  wsgi-file: ${join(dir, 'server', 'app.py')}`]),
        'galaxy:',
        '  brand: e2e',
        '',
      ].join('\n'),
      'nginx/galaxy.conf': [
        'server {',
        `    listen 127.0.0.1:${port};`,
        '    server_name galaxy.example.org;',
        `    location ${loc} {`,
        `        uwsgi_pass ${sc.socket === 'unix' ? `unix://${sock}` : socketValue};`,
        '        uwsgi_param UWSGI_SCHEME $scheme;',
        '        include uwsgi_params;',
        '        uwsgi_read_timeout 180;',
        '    }',
        '}',
        '',
      ].join('\n'),
    });

    // Before: real nginx → real uWSGI.
    const uw = startLogged(UWSGI!, ['--yaml', join(dir, 'config', 'galaxy.yml')], dir);
    const ng1 = startNginx(dir, 'nginx/galaxy.conf');
    const first = sc.requests[0]!.path;
    await until(port, first, 'nginx → uWSGI', () => `${uw.logs()}\n${ng1.logs()}`);
    rmSync(join(dir, 'nginx', '.e2e-main.conf'));
    const before: Seen[] = [];
    for (const r of sc.requests) before.push(await get(port, r.path, r.headers));
    await stop(ng1.proc);
    await stop(uw.proc);

    // The migration, as a user runs it.
    const plan = await runCli(['plan', '--format', 'json', '.'], dir);
    expect(plan.code, plan.stderr).toBe(0);
    const changes = (JSON.parse(plan.stdout) as { changes: { file: string; after: string }[] }).changes;
    const after = (f: string): string | undefined => changes.find((c) => c.file === f)?.after;
    const nginxAfter = after('nginx/galaxy.conf');
    expect(nginxAfter, 'the plan rewrites the nginx file').toBeDefined();
    expect(nginxAfter).not.toMatch(/uwsgi_|uwsgi_params/);
    writeFileSync(join(dir, 'nginx', 'galaxy.conf'), nginxAfter!);
    const galaxyYml = parseYaml(after('config/galaxy.yml') ?? readFileSync(join(dir, 'config', 'galaxy.yml'), 'utf8')) as {
      gravity?: { gunicorn?: { bind?: string; extra_args?: string } };
      galaxy?: { galaxy_url_prefix?: string };
    };
    const bind = galaxyYml.gravity?.gunicorn?.bind;
    expect(bind, 'the plan writes gravity.gunicorn.bind').toBeDefined();
    // One model: the rewritten proxy points at the bind written into gravity:.
    const target = bind!.startsWith('unix:') ? `http://unix:${bind!.slice(5)}` : `http://${bind!.replace(/^0\.0\.0\.0:/, '127.0.0.1:')}`;
    expect(nginxAfter).toContain(`proxy_pass ${target};`);
    const urlPrefix = galaxyYml.galaxy?.galaxy_url_prefix;
    if (sc.prefix) expect(urlPrefix, 'the plan sets galaxy_url_prefix from the mount').toBe(sc.prefix);

    // After: real nginx → real Gunicorn, started as Gravity would (bind and extra_args from the plan).
    const extra = shellWords(galaxyYml.gravity?.gunicorn?.extra_args ?? '');
    const gu = startLogged(GUNICORN!, ['-b', bind!, '--workers', '1', '--chdir', join(dir, 'server'), ...extra, 'app:application'], dir, {
      E2E_URL_PREFIX: urlPrefix ?? '',
    });
    const ng2 = startNginx(dir, 'nginx/galaxy.conf');
    await until(port, first, 'nginx → Gunicorn', () => `${gu.logs()}\n${ng2.logs()}`);
    rmSync(join(dir, 'nginx', '.e2e-main.conf'));
    const migrated: Seen[] = [];
    for (const r of sc.requests) migrated.push(await get(port, r.path, r.headers));
    await stop(ng2.proc);
    await stop(gu.proc);

    for (let i = 0; i < sc.requests.length; i++) {
      const req = sc.requests[i]!;
      const b = before[i]!;
      const a = migrated[i]!;
      expect(b.status, `uWSGI: ${req.path}`).toBe(200);
      expect(a.status, `Gunicorn: ${req.path}`).toBe(200);
      if (!req.headers?.['X-Forwarded-Proto']) {
        expect(a.body, `the app saw the same request through Gunicorn: ${req.path}`).toEqual(b.body);
        continue;
      }
      // The one intended difference, reported by proxy/nginx-uwsgi-scheme: uWSGI believed a client-sent
      // X-Forwarded-Proto (HTTP_X_FORWARDED_PROTO beats UWSGI_SCHEME); the migrated location sends
      // nginx's own $scheme as the Galaxy docs do, so a client can no longer forge https.
      expect({ ...a.body, scheme: b.body.scheme }, `the same host, path and prefix through Gunicorn: ${req.path}`).toEqual(b.body);
      expect(b.body.scheme, 'uWSGI took the scheme from the client header').toBe('https');
      expect(a.body.scheme, "Gunicorn gets nginx's own scheme").toBe('http');
    }
    // And what it saw is right: the client's Host as the distribution's uwsgi_params passed it, the prefix.
    expect(before[0]!.body).toMatchObject({ scheme: 'http', script_name: sc.prefix ?? '' });
    expect(String(before[0]!.body.host)).toMatch(/^galaxy\.example\.org(:\d+)?$/);
    const notes = (JSON.parse(plan.stdout) as { findings: { ruleId: string; notes?: string[] }[] }).findings
      .filter((f) => f.ruleId === 'proxy/nginx-uwsgi-scheme')
      .flatMap((f) => f.notes ?? []);
    expect(notes.join('\n')).toContain('X-Forwarded-Proto sent by the client');
  });
});
