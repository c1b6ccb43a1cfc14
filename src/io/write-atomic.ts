import {
  closeSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * A named point in a write, for tests: the hook may throw (an injected failure) or kill the
 * process (an injected crash). Production code passes none.
 */
export type StepHook = (step: string) => void;

/** What a rewritten file keeps of the one it replaces. */
export interface FileMeta {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export interface PreparedWrite {
  /** The file that `commit` replaces (or creates). */
  readonly path: string;
  /** The temporary file in the same directory that holds the new bytes, synced. */
  readonly tmp: string;
  /** Renames the temporary file over `path` (atomic on POSIX) and syncs the directory. */
  commit(): void;
  /** Removes the temporary file if it is still there. */
  discard(): void;
}

export class WriteError extends Error {}

let counter = 0;

/**
 * The temporary file beside `path`: same directory (so the rename never crosses a file system),
 * hidden, and named so that nobody mistakes it for configuration.
 */
export function tempPathFor(path: string): string {
  counter += 1;
  return join(dirname(path), `.${basename(path)}.galaxy-migrate-${process.pid}-${counter}.tmp`);
}

/** A symbolic link is written through: the file it points at changes, the link stays a link. */
export function writeTargetOf(path: string): string {
  try {
    if (lstatSync(path).isSymbolicLink()) return realpathSync(path);
  } catch {
    /* does not exist yet: written where it is named */
  }
  return path;
}

/**
 * Writes `data` to a temporary file beside `path`, with the mode and owner of the file it will
 * replace (`meta`), and syncs it to disk. Nothing at `path` changes until `commit`.
 */
export function prepareWrite(path: string, data: Uint8Array, meta?: FileMeta, hook?: StepHook): PreparedWrite {
  const tmp = tempPathFor(path);
  // Private until the real mode is set: the new text may hold a database password.
  const fd = openSync(tmp, 'wx', meta ? 0o600 : 0o666);
  let open = true;
  try {
    hook?.('opened');
    const half = data.length >> 1;
    writeAll(fd, data.subarray(0, half));
    hook?.('half-written');
    writeAll(fd, data.subarray(half));
    if (meta) keepOwnerAndMode(fd, path, meta);
    fsyncSync(fd);
    closeSync(fd);
    open = false;
    hook?.('synced');
  } catch (e) {
    if (open) closeSync(fd);
    removeQuietly(tmp);
    throw e;
  }
  let done = false;
  return {
    path,
    tmp,
    commit() {
      if (done) return;
      renameSync(tmp, path);
      done = true;
      syncDirectory(dirname(path));
    },
    discard() {
      if (!done) removeQuietly(tmp);
      done = true;
    },
  };
}

/** Temporary file, fsync, rename: a reader (or a crash) sees the old bytes or the new, never half. */
export function writeFileAtomic(path: string, data: Uint8Array, meta?: FileMeta, hook?: StepHook): void {
  prepareWrite(path, data, meta, hook).commit();
}

export function metaOf(path: string): FileMeta {
  const st = lstatSync(path);
  return { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
}

function writeAll(fd: number, data: Uint8Array): void {
  let at = 0;
  while (at < data.length) at += writeSync(fd, data, at, data.length - at);
}

function keepOwnerAndMode(fd: number, path: string, meta: FileMeta): void {
  const st = fstatSync(fd);
  if (st.uid !== meta.uid || st.gid !== meta.gid) {
    try {
      fchownSync(fd, meta.uid, meta.gid);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPERM' || code === 'EACCES') {
        throw new WriteError(
          `${path}: cannot keep its owner (uid ${meta.uid}, gid ${meta.gid}) on the rewritten file; run as that user or as root`,
        );
      }
      throw e;
    }
  }
  // After chown: changing the owner clears setuid/setgid bits, so the mode goes last.
  fchmodSync(fd, meta.mode);
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* some file systems cannot sync a directory; the rename itself is still atomic */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Temporary files a killed apply left beside `path` (`.NAME.galaxy-migrate-PID-N.tmp`); removed by
 * rollback. Returns how many.
 */
export function removeStaleTemps(path: string): number {
  const name = basename(path);
  let n = 0;
  let entries: string[];
  try {
    entries = readdirSync(dirname(path));
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (e.startsWith(`.${name}.galaxy-migrate-`) && /\.galaxy-migrate-\d+-\d+\.tmp$/.test(e)) {
      removeQuietly(join(dirname(path), e));
      n++;
    }
  }
  return n;
}

export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}
