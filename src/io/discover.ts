import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { ioMessage, MAX_FILE_BYTES } from './host.js';

/** Something met while walking that is not read but must not pass silently. */
export interface WalkNotice {
  /** Absolute path of the entry. */
  readonly path: string;
  readonly message: string;
  readonly severity: 'error' | 'warning' | 'info';
}

export interface Discovered {
  /** Absolute paths of candidate files, sorted, each once. */
  readonly files: string[];
  /** Paths the user named explicitly (those must be recognised or it is an error). */
  readonly explicit: ReadonlySet<string>;
  /** What stops the command (exit 2): a named path missing, a tree over the limits. */
  readonly errors: string[];
  /** Entries of a walk that are not read: too large, unreadable, links leaving the deployment. */
  readonly notices: WalkNotice[];
  /**
   * The deployment roots (real paths): each directory named, and for a file named, its directory and
   * the working directory. Includes resolving outside them are not read.
   */
  readonly roots: string[];
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '.venv', 'venv', '__pycache__', '.tox', '.galaxy-migrate-backup']);
/**
 * A tree with more files than this is refused with a message: a Galaxy deployment has hundreds of
 * files, an ansible inventory thousands; more means the walk started too high (a whole server, a
 * dataset store) and reading it all would take minutes.
 */
export const MAX_FILES = 50_000;
/** Directory entries of any type visited before giving up (directories and links count too). */
export const MAX_ENTRIES = 200_000;

/** True when `p` is `root` or below it (both real, absolute paths). */
export function isInside(p: string, root: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Expands the user's paths: files as given, directories walked. Links to directories are not
 * followed; a link to a file is read where it points only when that is inside the deployment (and
 * then under its own name, once); a link leaving the deployment is reported and not read.
 */
export function discover(paths: readonly string[], cwd: string): Discovered {
  const files = new Set<string>();
  const explicit = new Set<string>();
  const errors: string[] = [];
  const notices: WalkNotice[] = [];
  const roots: string[] = [];
  let entriesSeen = 0;
  let over: string | undefined;

  const walk = (dir: string, root: string, top: boolean): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      if (top) errors.push(ioMessage(dir, e));
      else notices.push({ path: dir, message: `${ioMessage('directory', e).replace(/^directory: /, '')}; not read`, severity: 'warning' });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      if (over) return;
      if (++entriesSeen > MAX_ENTRIES) {
        over = `more than ${MAX_ENTRIES} entries`;
        return;
      }
      const p = join(dir, ent.name);
      if (ent.isDirectory()) {
        if (!SKIP_DIRS.has(ent.name)) walk(p, root, false);
      } else if (ent.isFile()) {
        addWalked(p, p);
      } else if (ent.isSymbolicLink()) {
        walkLink(p, root);
      }
      // FIFOs, sockets and devices are never configuration: passed over.
      if (files.size > MAX_FILES) over = `more than ${MAX_FILES} files`;
    }
  };

  const addWalked = (p: string, real: string): void => {
    let size: number;
    try {
      size = statSync(real).size;
    } catch {
      return; // vanished while walking: nothing to read
    }
    if (size > MAX_FILE_BYTES) {
      notices.push({ path: p, message: `file is ${size} bytes, larger than the ${MAX_FILE_BYTES}-byte limit; not read`, severity: 'warning' });
      return;
    }
    files.add(p);
  };

  const walkLink = (p: string, root: string): void => {
    let real: string;
    try {
      real = realpathSync(p);
    } catch {
      notices.push({ path: p, message: 'symbolic link to nothing (dangling); not read', severity: 'info' });
      return;
    }
    let st;
    try {
      st = statSync(real);
    } catch {
      return;
    }
    if (!isInside(real, root)) {
      notices.push({ path: p, message: `symbolic link leaving the deployment (to ${real}); not read`, severity: 'warning' });
      return;
    }
    if (st.isDirectory()) {
      notices.push({ path: p, message: 'symbolic link to a directory; not followed', severity: 'info' });
      return;
    }
    // Inside the deployment the target is walked under its own name (read once, edited in place),
    // unless it sits where the walk does not go.
    if (st.isFile() && !isWalkedPath(real, root)) addWalked(p, real);
  };

  for (const given of paths) {
    const abs = resolve(cwd, given);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      errors.push(ioMessage(given, e));
      continue;
    }
    if (st.isDirectory()) {
      const root = realOr(abs);
      roots.push(root);
      walk(abs, root, true);
      if (over) {
        errors.push(`${given}: ${over} below it (the limit keeps a run bounded): name the directory that holds the configuration`);
        break;
      }
    } else {
      files.add(abs);
      explicit.add(abs);
      roots.push(realOr(dirname(abs)), realOr(cwd));
    }
  }
  return { files: [...files].sort(), explicit, errors, notices, roots: [...new Set(roots)] };
}

function realOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** True when the walk from `root` reaches `real` itself (no skipped directory or link on the way). */
function isWalkedPath(real: string, root: string): boolean {
  const rel = real.slice(root.length).split(sep).filter(Boolean);
  let at = root;
  for (const seg of rel.slice(0, -1)) {
    if (SKIP_DIRS.has(seg)) return false;
    at = join(at, seg);
    try {
      if (lstatSync(at).isSymbolicLink()) return false;
    } catch {
      return false;
    }
  }
  return true;
}
