import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { readIni, SUPERVISOR } from '../../src/formats/ini/lossless.js';

/** The real supervisord (Debian package `supervisor`), or undefined when it is not installed. */
export const SUPERVISORD: string | undefined = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v supervisord'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
})();

export function warnNoSupervisord(): void {
  if (!SUPERVISORD) console.warn('[skip] supervisord is not installed (Debian package `supervisor`): the tests that run it are skipped.');
}

export interface SupervisordVerdict {
  readonly ok: boolean;
  /** `supervisorctl status` when it started; supervisord's own output when it did not. */
  readonly output: string;
}

/**
 * Starts the real supervisord, in the foreground on a private unix socket, with `text` as an
 * included file, asks `supervisorctl status`, and shuts it down. No program from the file is run:
 * an override file included after it sets `autostart = false` on every program (supervisord merges
 * repeated sections, the later value winning). `user =` values become the current user, because
 * supervisord resolves user names when it reads the file and the test machine has no `galaxy` user.
 */
export async function supervisordAccepts(text: string): Promise<SupervisordVerdict> {
  if (!SUPERVISORD) throw new Error('supervisord is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'gm-sv-'));
  try {
    const me = userInfo().username;
    // The file's own server sections would move the socket and logs out of the temp directory.
    const { ast } = readIni(text, SUPERVISOR);
    let own = text;
    for (const sec of [...ast.sections].reverse()) {
      if (/^(supervisord|unix_http_server|inet_http_server|supervisorctl|rpcinterface:.*|include)$/.test(sec.name.trim())) own = own.slice(0, sec.extent.start) + own.slice(sec.extent.end);
    }
    const programs = own.replace(/^(\s*user\s*[=:]\s*).*$/gm, `$1${me}`);
    const overrides = [...text.matchAll(/^\s*\[((?:program|fcgi-program|eventlistener):[^\]]+)\]/gm)].map((m) => `[${m[1]}]\nautostart = false\n`).join('');
    writeFileSync(join(dir, 'programs.conf'), programs);
    writeFileSync(join(dir, 'overrides.conf'), overrides);
    const main = join(dir, 'supervisord.conf');
    writeFileSync(
      main,
      [
        '[supervisord]',
        `logfile = ${join(dir, 'supervisord.log')}`,
        `pidfile = ${join(dir, 'supervisord.pid')}`,
        `childlogdir = ${dir}`,
        `user = ${me}`,
        '[unix_http_server]',
        `file = ${join(dir, 's.sock')}`,
        '[rpcinterface:supervisor]',
        'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
        '[supervisorctl]',
        `serverurl = unix://${join(dir, 's.sock')}`,
        '[include]',
        `files = ${join(dir, 'programs.conf')} ${join(dir, 'overrides.conf')}`,
        '',
      ].join('\n'),
    );
    const child = spawn(SUPERVISORD, ['-n', '-c', main], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let done = false;
    void exited.then(() => (done = true));
    const ctl = (args: string[]): string => {
      try {
        return execFileSync('supervisorctl', ['-c', main, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        return String((e as { stdout?: string }).stdout ?? '');
      }
    };
    const deadline = Date.now() + 15_000;
    let status = '';
    while (!done && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      status = ctl(['status']);
      if (/STOPPED|RUNNING|STARTING|FATAL|EXITED/.test(status)) break;
    }
    if (done) return { ok: false, output: out };
    ctl(['shutdown']);
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
    if (code === null) child.kill('SIGKILL');
    return { ok: /STOPPED/.test(status) || status.trim() === '', output: status || out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
