/**
 * The Galaxy release the migration aims at. docs/galaxy-target.md §1.2/§1.10: 22.01 ran the first
 * Gravity (0.9, options under `galaxy:`), 22.05 removed uWSGI (Gravity 0.10–0.13, `gravity:`
 * section, `galaxyctl register`), 23.0 and later need Gravity 1.x (process_manager, galaxy_user,
 * umask, memory_limit).
 */
export interface Target {
  /** Galaxy release, `YY.MM` (e.g. `23.0`, `22.05`). */
  readonly galaxy: string;
}

export const DEFAULT_TARGET: Target = { galaxy: '23.0' };

export const KNOWN_RELEASES = ['22.01', '22.05', '23.0', '23.1', '23.2', '24.0', '24.1', '24.2', '25.0', '25.1'];

/** Compares `22.05` and `23.0` style releases numerically, part by part. */
export function compareRelease(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function parseTarget(value: string): Target | undefined {
  const m = /^(?:galaxy[-@ ]?)?(\d{2})\.(\d{1,2})$/i.exec(value.trim());
  if (!m) return undefined;
  const galaxy = `${m[1]}.${m[2]}`;
  if (compareRelease(galaxy, '22.01') < 0) return undefined;
  return { galaxy };
}

/** Gravity 1.x keys (process_manager, galaxy_user, top-level umask, memory_limit) need Galaxy 23.0. */
export function hasGravity1(t: Target): boolean {
  return compareRelease(t.galaxy, '23.0') >= 0;
}

export interface ReleaseRange {
  /** First Galaxy release the rule applies to (inclusive). */
  readonly from?: string;
  /** Last release it applies to (inclusive). */
  readonly to?: string;
}

export function inRange(t: Target, r: ReleaseRange | undefined): boolean {
  if (!r) return true;
  if (r.from && compareRelease(t.galaxy, r.from) < 0) return false;
  if (r.to && compareRelease(t.galaxy, r.to) > 0) return false;
  return true;
}
