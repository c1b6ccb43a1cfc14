/**
 * Ignore patterns as .gitignore reads them, enough for a deployment tree:
 *   `*.sample`         a name at any depth            `roles/**`   everything below roles/
 *   `/local.yml`       only at the config's folder    `host_vars/` a folder and all below it
 *   `config/*.j2`      a path from the config's folder (it has a `/` inside)
 *   `!keep.yml`        un-ignores what an earlier pattern ignored
 * Paths are relative to the folder of the config file, with `/`.
 */
export interface IgnorePattern {
  readonly source: string;
  readonly negate: boolean;
  readonly re: RegExp;
}

export function compileIgnore(pattern: string): IgnorePattern {
  let p = pattern.trim();
  const negate = p.startsWith('!');
  if (negate) p = p.slice(1);
  if (p.startsWith('./')) p = p.slice(2);
  const dirOnly = p.endsWith('/');
  if (dirOnly) p = p.replace(/\/+$/, '');
  const anchored = p.startsWith('/') || p.includes('/');
  if (p.startsWith('/')) p = p.slice(1);
  let body = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') {
      if (p[i + 1] === '*') {
        const slashAfter = p[i + 2] === '/';
        body += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else body += '[^/]*';
    } else if (c === '?') body += '[^/]';
    else if (c === '[') {
      const close = p.indexOf(']', i + 1);
      if (close < 0) body += '\\[';
      else {
        const inner = p.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        body += `[${inner}]`;
        i = close;
      }
    } else body += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  const prefix = anchored ? '^' : '^(?:.*/)?';
  return { source: pattern, negate, re: new RegExp(`${prefix}${body}$`) };
}

/** True when the path, or a folder above it, is ignored by the last pattern that matches. */
export function isIgnored(relPath: string, patterns: readonly IgnorePattern[]): boolean {
  if (patterns.length === 0) return false;
  const parts = relPath.split('/');
  const candidates: string[] = [];
  for (let i = 1; i <= parts.length; i++) candidates.push(parts.slice(0, i).join('/'));
  let ignored = false;
  for (const p of patterns) {
    if (candidates.some((c) => p.re.test(c))) ignored = !p.negate;
  }
  return ignored;
}
