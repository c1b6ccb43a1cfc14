import type { ReadHost } from '../core/host.js';

/**
 * The host with each path's realpath asked of the file system once per run. The readers ask the
 * same paths again and again (every nginx file's `include uwsgi_params` tries the same candidate
 * directories up to the deployment root, a listing asks the realpath of what it lists), and each
 * answer is system calls, plus a thrown and caught error for a path that does not exist. The files
 * do not change while one command reads them.
 */
export function memoizeRealpath(host: ReadHost): ReadHost {
  const known = new Map<string, string | undefined>();
  const realpath = (path: string): string | undefined => {
    if (known.has(path)) return known.get(path);
    const real = host.realpath(path);
    known.set(path, real);
    return real;
  };
  return {
    cwd: host.cwd,
    env: host.env,
    readFile: (path) => host.readFile(path),
    realpath,
    displayPath: (abs) => host.displayPath(abs),
    ...(host.listDir ? { listDir: (path: string) => host.listDir!(path) } : {}),
  };
}
