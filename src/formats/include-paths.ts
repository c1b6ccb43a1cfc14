import type { ReadHost } from '../core/host.js';

/**
 * Include resolution shared by the nginx and Apache readers. Both servers resolve a relative
 * include against their configuration prefix (nginx: the directory of nginx.conf; Apache:
 * ServerRoot), which a deployment checkout does not record; so a relative pattern is tried against
 * the including file's directory and then its ancestors up to the deployment root, the first that
 * matches wins. An absolute pattern under the usual system prefixes (`/etc/nginx/`, `/etc/apache2/`,
 * `/etc/httpd/`) is also tried relative to those directories, so that a checkout holding
 * `conf.d/uwsgi.conf` is found for `include /etc/nginx/conf.d/uwsgi.conf`. Nothing outside the
 * deployment root is read: such includes are reported instead.
 */

/** A host that can list a directory (for globs); optional so that any ReadHost works without globs. */
export type ListingHost = ReadHost & { listDir?(path: string): readonly string[] | undefined };

export const SYSTEM_PREFIXES = ['/etc/nginx/', '/usr/local/nginx/conf/', '/etc/apache2/', '/etc/httpd/', '/usr/local/apache2/'];

export interface Resolved {
  /** Absolute paths, in the order the server would read them (sorted per glob). */
  readonly files: string[];
  /** Set when nothing was found: why. */
  readonly reason?: 'not-found' | 'outside';
}

const hasGlob = (s: string): boolean => /[*?[]/.test(s);

function normalize(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function isInside(p: string, root: string): boolean {
  const r = root.endsWith('/') ? root : `${root}/`;
  return p === root || p.startsWith(r);
}

/** fnmatch-style matching of one path segment (`*`, `?`, `[...]`), as glob(3) does. */
export function segmentMatches(pattern: string, name: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        re += bracketClass(pattern.slice(i + 1, end));
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  if (name.startsWith('.') && !pattern.startsWith('.')) return false;
  return new RegExp(`${re}$`).test(name);
}

/**
 * A glob bracket expression as a RegExp class, built item by item so that no input can make an
 * invalid RegExp: a reversed range (`[y-p]`) matches nothing in fnmatch, and every character is
 * escaped inside the class.
 */
function bracketClass(body: string): string {
  const negate = body.startsWith('!') || body.startsWith('^');
  const chars = [...(negate ? body.slice(1) : body)];
  const esc = (c: string): string => c.replace(/[\\\]^[-]/g, '\\$&');
  let out = '';
  for (let k = 0; k < chars.length; k++) {
    const a = chars[k]!;
    const b = chars[k + 2];
    if (chars[k + 1] === '-' && b !== undefined) {
      if (a.codePointAt(0)! <= b.codePointAt(0)!) out += `${esc(a)}-${esc(b)}`;
      k += 2;
    } else out += esc(a);
  }
  if (out === '') return negate ? '[^/]' : '(?!)';
  return negate ? `[^/${out}]` : `[${out}]`;
}

/** Expands an absolute pattern with globs in any segment; sorted like glob(3). */
export function expandGlob(abs: string, host: ListingHost): string[] {
  if (!hasGlob(abs)) return host.realpath(abs) !== undefined || host.listDir?.(abs) !== undefined ? [abs] : [];
  if (!host.listDir) return [];
  const segs = abs.split('/').filter((s) => s !== '');
  let current = ['/'];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const next: string[] = [];
    for (const dir of current) {
      const base = dir === '/' ? '' : dir;
      if (!hasGlob(seg)) {
        next.push(`${base}/${seg}`);
        continue;
      }
      const names = host.listDir(dir) ?? [];
      for (const n of [...names].sort()) if (segmentMatches(seg, n)) next.push(`${base}/${n}`);
    }
    current = next;
  }
  return current.filter((p) => host.realpath(p) !== undefined && (host.listDir?.(p) === undefined));
}

/**
 * The files an include pattern names, for a file at `fromAbs`. `root` bounds what may be read
 * (the deployment root: the host's working directory).
 */
export function resolveInclude(pattern: string, fromAbs: string, host: ListingHost, root: string = host.cwd): Resolved {
  const rootN = normalize(root);
  const bases: string[] = [];
  for (let d = dirname(fromAbs); ; d = dirname(d)) {
    if (!isInside(d, rootN) && bases.length > 0) break;
    bases.push(d);
    if (d === '/' || d === rootN) break;
  }
  const candidates: string[] = [];
  if (pattern.startsWith('/')) {
    candidates.push(normalize(pattern));
    for (const pre of SYSTEM_PREFIXES) {
      if (pattern.startsWith(pre)) for (const b of bases) candidates.push(normalize(`${b}/${pattern.slice(pre.length)}`));
    }
  } else {
    for (const b of bases) candidates.push(normalize(`${b}/${pattern}`));
  }
  let outside = false;
  for (const c of candidates) {
    if (!isInside(c, rootN) && !isInside(c, dirname(fromAbs))) {
      // Outside the deployment: only said, never read.
      if (host.realpath(c) !== undefined || (hasGlob(c) && expandGlob(c, host).length)) outside = true;
      continue;
    }
    const found = expandGlob(c, host);
    if (found.length) return { files: found };
    if (hasGlob(c) && host.listDir && host.realpath(dirname(c)) !== undefined) return { files: [] };
  }
  return { files: [], reason: outside ? 'outside' : 'not-found' };
}
