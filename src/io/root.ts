import { statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';

/**
 * The deployment root: the directory the user named, or the deepest directory holding everything
 * they named. Backups are kept there, `--out` mirrors the tree below it, and a saved plan records
 * its files relative to it.
 */
export function deploymentRoot(paths: readonly string[], cwd: string): string {
  const dirs = (paths.length ? paths : ['.']).map((p) => {
    const abs = resolve(cwd, p);
    try {
      return statSync(abs).isDirectory() ? abs : dirname(abs);
    } catch {
      return dirname(abs);
    }
  });
  let common = dirs[0]!.split(sep);
  for (const d of dirs.slice(1)) {
    const parts = d.split(sep);
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join(sep) || sep;
}

/** True when `abs` is `dir` or below it. */
export function isInside(dir: string, abs: string): boolean {
  const d = dir.endsWith(sep) ? dir : dir + sep;
  return abs === dir || abs.startsWith(d);
}
