import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseApacheText, walkApache } from '../formats/apache/index.js';
import { parseNginxText } from '../formats/nginx/index.js';
import { childProcess, os } from './lazy-builtin.js';

/**
 * The real servers' own syntax check on a scratch copy: `nginx -t` and `apache2 -t`. The files
 * are written under a fresh temporary directory with their deployment-relative paths; a snippet is
 * included from a minimal main config of our own (its own prefix, pid, error log, temp paths),
 * a full config is checked as it is. Nothing from the inputs is run: only the server binary, in
 * test mode, on the copy. Where no server is installed the check says so and is skipped.
 */

export type ServerKind = 'nginx' | 'apache';

export interface CheckFile {
  /** Deployment-relative path (POSIX). */
  readonly path: string;
  readonly text: string;
}

export interface ServerCheck {
  readonly server: ServerKind;
  /** The file the check is about. */
  readonly file: string;
  /** undefined when the check could not run (`skipped` says why). */
  readonly ok?: boolean;
  readonly skipped?: string;
  /** The server's own words (scratch paths shown as deployment-relative ones). */
  readonly output: string;
  /** The command that ran, for people. */
  readonly command?: string;
}

const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/local/nginx/sbin', '/usr/local/apache2/bin'];

/** A server binary on PATH or in the usual sbin directories. */
export function findBinary(names: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [...(env.PATH ?? '').split(':').filter(Boolean), ...SBIN];
  for (const n of names) for (const d of dirs) if (existsSync(join(d, n))) return join(d, n);
  return undefined;
}

export const nginxBinary = (): string | undefined => findBinary(['nginx']);
export const apacheBinary = (): string | undefined => findBinary(['apache2', 'httpd']);

/** nginx's own configuration directory (`--conf-path` of `nginx -V`), for its stock include files. */
function nginxConfDir(bin: string): string {
  const r = childProcess().spawnSync(bin, ['-V'], { encoding: 'utf8', timeout: 10_000 });
  const m = /--conf-path=(\S+)/.exec(`${r.stdout}${r.stderr}`);
  return m ? dirname(m[1]!) : '/etc/nginx';
}

const STOCK = ['uwsgi_params', 'proxy_params', 'fastcgi_params', 'fastcgi.conf', 'scgi_params', 'mime.types'];

function writeTree(root: string, files: readonly CheckFile[]): void {
  for (const f of files) {
    const p = join(root, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.text);
  }
}

function clean(output: string, scratch: string): string {
  return output.split(`${scratch}/`).join('').split(scratch).join('.').trim();
}

/** How an nginx file is meant to be included: a whole config, http-level, or server-level. */
export function nginxRole(text: string): 'main' | 'http' | 'server' {
  const top = parseNginxText(text, 'x').nodes.filter((n) => n.type === 'directive').map((n) => (n.type === 'directive' ? n.name : ''));
  if (top.includes('http') || top.includes('events')) return 'main';
  if (top.some((n) => ['server', 'upstream', 'map', 'geo', 'split_clients', 'limit_req_zone', 'proxy_cache_path', 'uwsgi_cache_path'].includes(n))) {
    return top.includes('location') ? 'server' : 'http';
  }
  return 'server';
}

/** `bin`: the nginx to run (found on PATH when undefined; null means none is installed). */
export function checkNginx(files: readonly CheckFile[], entry: string, binArg?: string | null, prefixDir?: string): ServerCheck {
  const bin = binArg === undefined ? nginxBinary() : binArg;
  if (!bin) return { server: 'nginx', file: entry, skipped: 'nginx is not installed here (Debian: apt-get install nginx)', output: '' };
  const scratch = mkdtempSync(join(os().tmpdir(), 'gm-nginx-'));
  try {
    writeTree(scratch, files);
    // nginx resolves a relative include against the directory of its main config (the conf prefix).
    const prefix = prefixDir ? join(scratch, prefixDir) : scratch;
    mkdirSync(prefix, { recursive: true });
    const confDir = nginxConfDir(bin);
    for (const s of STOCK) {
      const src = join(confDir, s);
      if (!files.some((f) => f.path === (prefixDir ? `${prefixDir}/${s}` : s)) && existsSync(src)) writeFileSync(join(prefix, s), readFileSync(src));
    }
    const text = files.find((f) => f.path === entry)?.text ?? '';
    const role = nginxRole(text);
    mkdirSync(join(scratch, '.tmp'), { recursive: true });
    const temps = ['client_body', 'proxy', 'uwsgi', 'fastcgi', 'scgi'].map((t) => `    ${t}_temp_path ${scratch}/.tmp/${t};`).join('\n');
    let conf = join(scratch, entry);
    const args = ['-t', '-p', `${prefix}/`, '-e', join(scratch, '.error.log')];
    if (role !== 'main') {
      const inner = role === 'http' ? `    include ${join(scratch, entry)};` : `    server {\n        listen 127.0.0.1:8;\n        include ${join(scratch, entry)};\n    }`;
      const hasMime = existsSync(join(prefix, 'mime.types'));
      conf = join(prefix, '.check-nginx.conf');
      writeFileSync(
        conf,
        `# minimal main config written by galaxy-migrate for nginx -t\npid ${scratch}/.nginx.pid;\nerror_log ${scratch}/.error.log;\nevents {}\nhttp {\n${hasMime ? `    include ${prefix}/mime.types;\n` : ''}${temps}\n${inner}\n}\n`,
      );
    } else if (!/^\s*pid\s/m.test(text)) {
      args.push('-g', `pid ${scratch}/.nginx.pid;`);
    }
    args.push('-c', conf);
    const r = childProcess().spawnSync(bin, args, { encoding: 'utf8', timeout: 30_000 });
    const output = clean(`${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`, scratch);
    return { server: 'nginx', file: entry, ok: r.status === 0, output, command: `nginx ${args.map((a) => a.split(scratch).join('<scratch>')).join(' ')}` };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const APACHE_MODULE_DIRS = ['/usr/lib/apache2/modules', '/usr/lib64/httpd/modules', '/usr/lib/httpd/modules', '/usr/local/apache2/modules'];
const APACHE_MODULES = [
  'mpm_event',
  'authz_core',
  'authz_host',
  'mime',
  'dir',
  'alias',
  'rewrite',
  'headers',
  'expires',
  'deflate',
  'filter',
  'setenvif',
  'env',
  'proxy',
  'proxy_http',
  'proxy_balancer',
  'slotmem_shm',
  'lbmethod_byrequests',
  'proxy_wstunnel',
  'proxy_uwsgi',
  'xsendfile',
  'ssl',
  'socache_shmcb',
];

/** `bin`: the apache2/httpd to run (found on PATH when undefined; null means none is installed). */
export function checkApache(files: readonly CheckFile[], entry: string, binArg?: string | null): ServerCheck {
  const bin = binArg === undefined ? apacheBinary() : binArg;
  if (!bin) return { server: 'apache', file: entry, skipped: 'apache2 is not installed here (Debian: apt-get install apache2)', output: '' };
  const modDir = APACHE_MODULE_DIRS.find((d) => existsSync(join(d, 'mod_proxy.so')));
  const scratch = mkdtempSync(join(os().tmpdir(), 'gm-apache-'));
  try {
    writeTree(scratch, files);
    mkdirSync(join(scratch, '.run'), { recursive: true });
    if (modDir && !existsSync(join(scratch, 'modules'))) symlinkSync(modDir, join(scratch, 'modules'));
    const loaded = new Set<string>();
    let ownMpm = false;
    for (const f of files) {
      for (const n of walkApache(parseApacheText(f.text, f.path).nodes)) {
        if (n.type === 'directive' && n.name.toLowerCase() === 'loadmodule' && n.args[0]) {
          loaded.add(n.args[0].value);
          if (/^mpm_/.test(n.args[0].value)) ownMpm = true;
        }
      }
    }
    const loads = modDir
      ? APACHE_MODULES.filter((m) => !(m.startsWith('mpm_') && ownMpm) && !loaded.has(`${m}_module`) && existsSync(join(modDir, `mod_${m}.so`))).map(
          (m) => `LoadModule ${m}_module ${modDir}/mod_${m}.so`,
        )
      : [];
    const conf = join(scratch, '.check-httpd.conf');
    writeFileSync(
      conf,
      [
        '# minimal main config written by galaxy-migrate for apache2 -t',
        `ServerRoot "${scratch}"`,
        `DefaultRuntimeDir "${scratch}/.run"`,
        `PidFile "${scratch}/.run/httpd.pid"`,
        `ErrorLog "${scratch}/.error.log"`,
        'ServerName localhost',
        'Listen 127.0.0.1:8',
        ...loads,
        `Include "${join(scratch, entry)}"`,
        '',
      ].join('\n'),
    );
    const args = ['-t', '-d', scratch, '-f', conf];
    const r = childProcess().spawnSync(bin, args, { encoding: 'utf8', timeout: 30_000, env: { ...process.env, APACHE_RUN_DIR: join(scratch, '.run'), APACHE_LOG_DIR: scratch, APACHE_LOCK_DIR: join(scratch, '.run'), APACHE_PID_FILE: join(scratch, '.run', 'httpd.pid'), APACHE_RUN_USER: 'www-data', APACHE_RUN_GROUP: 'www-data' } });
    const output = clean(`${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`, scratch);
    return { server: 'apache', file: entry, ok: r.status === 0, output, command: `${bin.split('/').pop()} ${args.map((a) => a.split(scratch).join('<scratch>')).join(' ')}` };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
