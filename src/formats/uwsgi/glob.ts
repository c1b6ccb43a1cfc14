import type { ReadHost } from '../../core/host.js';

/**
 * glob(3) as `for-glob` calls it (GLOB_MARK | GLOB_NOCHECK): `*`, `?` and `[...]` within one path
 * segment, no match for a leading `.` unless written, directories marked with a trailing `/`,
 * results sorted bytewise (uWSGI runs in the C locale here), and the pattern itself when nothing
 * matches. Undefined when the host cannot list directories.
 */
export function expandGlob(pattern: string, host: ReadHost): string[] | undefined {
  if (!host.listDir) return undefined;
  const listDir = host.listDir.bind(host);
  if (!/[*?[]/.test(pattern)) return [mark(pattern, listDir)];
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s, i) => !(absolute && i === 0));
  let paths = [absolute ? '/' : ''];
  for (const seg of segments) {
    const next: string[] = [];
    for (const base of paths) {
      if (seg === '') {
        next.push(base.endsWith('/') ? base : `${base}/`);
        continue;
      }
      if (!/[*?[]/.test(seg)) {
        next.push(join(base, seg));
        continue;
      }
      const listed = listDir(base === '' ? '.' : base);
      // readdir(3) also returns `.` and `..`, which a segment starting with `.` matches
      const names = listed ? (seg[0] === '.' ? [...listed, '.', '..'] : listed) : [];
      const re = segmentRegExp(seg);
      for (const n of names) if (re.test(n) && (n[0] !== '.' || seg[0] === '.')) next.push(join(base, n));
    }
    paths = next;
  }
  const found = paths.filter((p) => host.realpath(p) !== undefined || listDir(p) !== undefined);
  if (found.length === 0) return [pattern];
  return found.map((p) => mark(p, listDir)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function join(base: string, name: string): string {
  if (base === '') return name;
  return base.endsWith('/') ? `${base}${name}` : `${base}/${name}`;
}

function mark(p: string, listDir: (p: string) => readonly string[] | undefined): string {
  return !p.endsWith('/') && listDir(p) !== undefined ? `${p}/` : p;
}

function segmentRegExp(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = seg.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = close;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}
