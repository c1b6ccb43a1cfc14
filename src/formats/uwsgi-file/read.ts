import { posix } from 'node:path';
import type { ReadHost } from '../../core/host.js';
import { readUwsgiConfig, type UwsgiFormat, type UwsgiReadResult } from '../uwsgi/load.js';

/**
 * Reads a uWSGI configuration whose file the pipeline has already read.
 *
 * uWSGI resolves relative `include`/`ini`/`yaml` paths and `@(file)` against its working directory
 * (docs/uwsgi-dialect.md §9), which the files do not record: `run.sh` started it in Galaxy's root,
 * a supervisord program in its `directory`. So the working directory is guessed: the file's own
 * directory first (deployments keep included files beside the one including them), then its
 * parent (Galaxy's root for `config/galaxy.yml`), then where the tool runs. The first guess under
 * which every relative file exists wins; when none does, the first guess's reading (and its
 * missing-file error) is kept.
 */
export function readUwsgiFile(path: string, host: ReadHost, opts: { section?: string; format: UwsgiFormat; text: string }): UwsgiReadResult {
  const main = host.realpath(path) ?? posix.resolve(host.cwd, path);
  const dir = posix.dirname(main);
  const candidates = [...new Set([dir, posix.dirname(dir), host.cwd])];
  let first: UwsgiReadResult | undefined;
  for (const cwd of candidates) {
    const got = readUwsgiConfig(main, { host: hostAt(host, cwd), section: opts.section ?? 'uwsgi', format: opts.format, text: opts.text, root: host.cwd });
    first ??= got;
    if (!got.fatal || !/No such file or directory/.test(got.fatal.message)) return got;
  }
  return first!;
}

/** The same files, seen from another working directory (relative paths resolve against `cwd`). */
function hostAt(host: ReadHost, cwd: string): ReadHost {
  if (cwd === host.cwd) return host;
  const at = (p: string): string => (p.startsWith('/') ? p : posix.relative(host.cwd, posix.resolve(cwd, p)) || '.');
  return {
    cwd,
    env: host.env,
    readFile: (p) => host.readFile(at(p)),
    realpath: (p) => host.realpath(at(p)),
    displayPath: (abs) => host.displayPath(abs),
    ...(host.listDir ? { listDir: (p: string) => host.listDir!(at(p)) } : {}),
  };
}
