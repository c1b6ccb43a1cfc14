import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UsageError } from '../pipeline.js';
import { createBackup, setBackupState, sha256, type Backup, type BackupInput } from './backup.js';
import { isInside } from './root.js';
import { commitFiles, type TxFile } from './transaction.js';
import { metaOf, writeTargetOf, type FileMeta, type StepHook } from './write-atomic.js';

/** One file `apply` changes, resolved to where it lives. */
export interface PlannedWrite {
  /** Absolute path as the plan names it. */
  readonly abs: string;
  /** As shown to people. */
  readonly shown: string;
  readonly status: 'modified' | 'created' | 'deleted';
  /** sha256 of the bytes the plan was made from (modified and deleted files). */
  readonly beforeSha256?: string;
  /** The exact new text (modified and created files). */
  readonly after?: string;
}

/** A file that is not what the plan was made from: `apply` refuses and writes nothing. */
export class StaleFileError extends UsageError {}

interface Current {
  readonly w: PlannedWrite;
  /** The real file written (a symbolic link is written through). */
  readonly target: string;
  readonly bytes?: Uint8Array;
  readonly meta?: FileMeta;
}

/**
 * Reads every file the plan changes and checks it is byte for byte what the plan was made from
 * (a created file must still not exist). All problems are reported together; nothing is written.
 */
export function checkUnchanged(writes: readonly PlannedWrite[], planName: string): Current[] {
  const problems: string[] = [];
  const out: Current[] = [];
  for (const w of writes) {
    const target = writeTargetOf(w.abs);
    let bytes: Uint8Array | undefined;
    try {
      bytes = readFileSync(target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${w.shown}: cannot be read (${(e as Error).message})`);
    }
    if (w.status === 'created') {
      if (bytes !== undefined || existsSync(w.abs)) problems.push(`${w.shown}: exists now, but the plan creates it`);
      out.push({ w, target });
      continue;
    }
    if (bytes === undefined) {
      problems.push(`${w.shown}: was deleted since ${planName} was made`);
      continue;
    }
    if (sha256(bytes) !== w.beforeSha256) {
      problems.push(`${w.shown}: changed since ${planName} was made`);
      continue;
    }
    out.push({ w, target, bytes, meta: metaOf(target) });
  }
  if (problems.length) {
    throw new StaleFileError(
      `refusing to apply: ${problems.length} file(s) are not what ${planName} was made from, so nothing was written:\n` +
        problems.map((p) => `  ${p}\n`).join('') +
        `make a new plan (\`migrate plan\`) and review it again`,
    );
  }
  return out;
}

export interface InPlaceResult {
  readonly backup: Backup;
}

/**
 * Writes the plan into the deployment: checks every file, backs up every file it changes (with a
 * manifest, before anything is touched), then changes them all or none.
 */
export function applyInPlace(
  writes: readonly PlannedWrite[],
  root: string,
  planName: string,
  tool: { name: string; version: string },
  now: Date,
  hook?: StepHook,
): InPlaceResult {
  const current = checkUnchanged(writes, planName);
  const afterBytes = current.map((c) => (c.w.after === undefined ? undefined : Buffer.from(c.w.after, 'utf8')));
  const inputs: BackupInput[] = current.map((c, i) => ({
    abs: c.target,
    status: c.w.status,
    ...(c.bytes ? { before: c.bytes } : {}),
    ...(c.meta ? { meta: c.meta } : {}),
    ...(afterBytes[i] ? { after: afterBytes[i] } : {}),
  }));
  const newDirs = [...new Set(current.filter((c) => c.w.status === 'created').flatMap((c) => missingParents(c.target)))].sort();
  const backup = createBackup(root, inputs, tool, now, hook, newDirs);
  const tx: TxFile[] = current.map((c, i) => {
    const previous = c.bytes && c.meta ? { data: c.bytes, meta: c.meta } : undefined;
    if (c.w.status === 'deleted') return { kind: 'delete', path: c.target, previous: previous! };
    return { kind: 'write', path: c.target, data: afterBytes[i]!, ...(c.meta ? { meta: c.meta } : {}), ...(previous ? { previous } : {}) };
  });
  try {
    commitFiles(tx, hook);
  } catch (e) {
    setBackupState(backup, 'failed');
    throw e;
  }
  hook?.('state');
  setBackupState(backup, 'applied');
  return { backup };
}

/**
 * `--out DIR`: the deployment as it would be after the plan, in another folder. Every file of the
 * deployment is copied (mode kept), the changed ones with their new text; the original stays as it
 * is. All or nothing too: on failure the folder is left as it was found (removed if we made it).
 */
export function writeOut(
  writes: readonly PlannedWrite[],
  inputs: readonly string[],
  root: string,
  outAbs: string,
  planName: string,
  hook?: StepHook,
): { files: number } {
  if (isInside(outAbs, root)) throw new UsageError(`--out ${outAbs}: must not hold the deployment itself`);
  if (existsSync(outAbs)) {
    if (!statSync(outAbs).isDirectory()) throw new UsageError(`--out ${outAbs}: exists and is not a directory`);
    if (readdirSync(outAbs).length > 0) throw new UsageError(`--out ${outAbs}: the directory is not empty; name a new or empty one`);
  }
  for (const w of writes) {
    if (!isInside(root, w.abs)) throw new UsageError(`${w.shown}: is outside the deployment root ${root}, so --out cannot place it`);
  }
  const current = checkUnchanged(writes, planName);
  const byAbs = new Map(current.map((c) => [c.w.abs, c]));
  const mine = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  const into = (abs: string): string => join(outAbs, relative(root, abs));

  const tx: TxFile[] = [];
  for (const abs of inputs) {
    if (!isInside(root, abs) || isInside(outAbs, abs)) continue;
    const c = byAbs.get(abs);
    if (c) continue;
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      continue;
    }
    if (!st.isFile()) continue;
    tx.push({ kind: 'write', path: into(abs), data: readFileSync(abs), meta: { mode: st.mode & 0o7777, ...mine } });
  }
  for (const c of current) {
    if (c.w.status === 'deleted') continue;
    const meta = c.meta ? { mode: c.meta.mode, ...mine } : undefined;
    tx.push({ kind: 'write', path: into(c.w.abs), data: Buffer.from(c.w.after ?? '', 'utf8'), ...(meta ? { meta } : {}) });
  }
  const made = !existsSync(outAbs);
  if (made) mkdirSync(outAbs, { recursive: true });
  try {
    commitFiles(tx, hook);
  } catch (e) {
    if (made) {
      try {
        rmdirSync(outAbs);
      } catch {
        /* left with what could not be removed; the error says so */
      }
    }
    throw e;
  }
  return { files: tx.length };
}

/** The folders above `file` that do not exist yet, outermost first. */
function missingParents(file: string): string[] {
  const out: string[] = [];
  let d = dirname(file);
  while (!existsSync(d)) {
    out.unshift(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return out;
}
