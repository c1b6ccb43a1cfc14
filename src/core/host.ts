/**
 * What pure code may ask of the outside world: reading another file (an include, a job conf named
 * by galaxy.yml) and the environment. src/io provides the real one; tests pass a map of files.
 * Paths are as the caller gives them; `resolve` makes them absolute against `cwd`.
 */
export interface ReadHost {
  /** The working directory relative paths resolve against (uWSGI resolves includes against it). */
  readonly cwd: string;
  /** Environment variables visible to `$(VAR)` and `UWSGI_*` (never the real one in tests). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The text of a file, or an error string; never throws. */
  readFile(path: string): { text: string } | { error: string };
  /** The canonical absolute path, or undefined when the file does not exist. */
  realpath(path: string): string | undefined;
  /** The path to show people for an absolute path (relative to where the user ran the tool). */
  displayPath(absPath: string): string;
  /** The names in a directory, or undefined when it is not one (for include globs). */
  listDir?(path: string): readonly string[] | undefined;
}

/** A host over an in-memory map of absolute paths to texts, for tests and for pure callers. */
export function memoryHost(
  files: Readonly<Record<string, string>>,
  cwd = '/',
  env: Readonly<Record<string, string>> = {},
): ReadHost {
  const norm = (p: string): string => {
    const abs = p.startsWith('/') ? p : `${cwd.replace(/\/$/, '')}/${p}`;
    const parts: string[] = [];
    for (const seg of abs.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') parts.pop();
      else parts.push(seg);
    }
    return `/${parts.join('/')}`;
  };
  return {
    cwd,
    env,
    readFile(p) {
      const t = files[norm(p)];
      return t === undefined ? { error: `open("${p}"): No such file or directory` } : { text: t };
    },
    realpath(p) {
      const n = norm(p);
      return files[n] === undefined ? undefined : n;
    },
    displayPath(abs) {
      const prefix = cwd.endsWith('/') ? cwd : `${cwd}/`;
      return abs.startsWith(prefix) ? abs.slice(prefix.length) : abs;
    },
    listDir(p) {
      const dir = norm(p);
      const prefix = dir === '/' ? '/' : `${dir}/`;
      const names = new Set<string>();
      for (const k of Object.keys(files)) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
      return names.size ? [...names].sort() : undefined;
    },
  };
}
