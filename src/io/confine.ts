import { resolve } from 'node:path';
import type { ReadHost } from '../core/host.js';
import { isInside } from './discover.js';

/**
 * Reads by one run's readers (includes, a job conf named by galaxy.yml) before giving up. A reader
 * that follows an include loop without noticing is stopped here instead of hanging.
 */
export const MAX_INCLUDE_READS = 10_000;

/**
 * The host the readers get: it reads only inside the deployment roots (real paths, so `..` and
 * links cannot leave them), reads each file once (texts the walk has read are reused), and
 * stops after MAX_INCLUDE_READS reads. Never throws.
 */
export function confineHost(host: ReadHost, roots: readonly string[], alreadyRead: ReadonlyMap<string, string> = new Map()): ReadHost {
  const cache = new Map<string, { text: string } | { error: string }>();
  let reads = 0;
  return {
    cwd: host.cwd,
    env: host.env,
    realpath: (p) => host.realpath(p),
    displayPath: (abs) => host.displayPath(abs),
    ...(host.listDir
      ? {
          listDir(path: string) {
            // Globs list directories only inside the deployment, and count as reads.
            const real = host.realpath(path);
            if (real === undefined || ++reads > MAX_INCLUDE_READS || !roots.some((r) => isInside(real, r))) return undefined;
            return host.listDir!(real);
          },
        }
      : {}),
    readFile(path) {
      if (++reads > MAX_INCLUDE_READS) {
        return { error: `${path}: more than ${MAX_INCLUDE_READS} files read through includes (an include loop?); not read` };
      }
      const real = host.realpath(path);
      if (real === undefined) return host.readFile(path);
      if (!roots.some((r) => isInside(real, r))) {
        const to = real === resolve(host.cwd, path) ? '' : ` (it resolves to ${real})`;
        return { error: `${path}: outside the deployment (${roots.join(', ')})${to}; not read (name its directory too to read it)` };
      }
      let got = cache.get(real);
      if (!got) {
        // The walk fills `alreadyRead` as it goes (keyed by the walked path, the real one unless a link is on the way).
        const known = alreadyRead.get(real);
        got = known !== undefined ? { text: known } : host.readFile(real);
        cache.set(real, got);
      }
      return 'error' in got ? { error: got.error.replace(real, path) } : got;
    },
  };
}
