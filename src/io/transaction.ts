import { existsSync, mkdirSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { prepareWrite, writeFileAtomic, type FileMeta, type PreparedWrite, type StepHook } from './write-atomic.js';

/** One file of an all-or-nothing change. */
export type TxFile =
  | { readonly kind: 'write'; readonly path: string; readonly data: Uint8Array; readonly meta?: FileMeta; readonly previous?: Previous }
  | { readonly kind: 'delete'; readonly path: string; readonly previous: Previous };

/** What was there before, for putting it back: the exact bytes, mode and owner. */
export interface Previous {
  readonly data: Uint8Array;
  readonly meta: FileMeta;
}

export class TransactionError extends Error {
  constructor(
    message: string,
    /** The error that stopped the change. */
    readonly causeError: unknown,
    /** Files that could not be put back (empty when every file is as it was). */
    readonly notRestored: readonly string[],
  ) {
    super(message);
  }
}

/**
 * Applies a change to several files all or nothing. Every new file is first written to a
 * temporary file beside its target and synced; only then are they renamed into place, one by one
 * (each rename is atomic). If anything fails, every file already replaced, created or deleted is
 * put back as it was before the error leaves this function: a deployment whose proxy is new and
 * whose app config is old is an outage.
 *
 * A crash (SIGKILL, power loss) cannot run the restore; each file is then still either its old or
 * its new bytes, and the backup written before (see backup.ts) lets `migrate rollback` finish.
 */
export function commitFiles(files: readonly TxFile[], hook?: StepHook): void {
  const prepared: (PreparedWrite | undefined)[] = [];
  const madeDirs: string[] = [];
  const done: TxFile[] = [];
  try {
    files.forEach((f, i) => {
      hook?.(`prepare:${i}`);
      if (f.kind === 'write') {
        madeDirs.push(...makeParents(dirname(f.path)));
        prepared.push(prepareWrite(f.path, f.data, f.meta, hook ? (s) => hook(`prepare:${i}:${s}`) : undefined));
      } else prepared.push(undefined);
    });
    files.forEach((f, i) => {
      hook?.(`commit:${i}`);
      if (f.kind === 'write') prepared[i]!.commit();
      else unlinkSync(f.path);
      done.push(f);
      hook?.(`committed:${i}`);
    });
  } catch (e) {
    for (const p of prepared) p?.discard();
    const notRestored = restore(done);
    removeEmptyDirs(madeDirs);
    const what = (e as Error).message ?? String(e);
    throw new TransactionError(
      notRestored.length === 0
        ? `${what}; every file already written was put back as it was, so nothing changed`
        : `${what}; these files could NOT be put back: ${notRestored.join(', ')}`,
      e,
      notRestored,
    );
  }
}

function restore(done: readonly TxFile[]): string[] {
  const failed: string[] = [];
  for (const f of [...done].reverse()) {
    try {
      if (f.previous) writeFileAtomic(f.path, f.previous.data, f.previous.meta);
      else unlinkSync(f.path);
    } catch {
      failed.push(f.path);
    }
  }
  return failed;
}

/** Creates the missing parents of a directory; returns the ones it made, deepest last. */
function makeParents(dir: string): string[] {
  const missing: string[] = [];
  let d = dir;
  while (!existsSync(d)) {
    missing.unshift(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  if (missing.length) mkdirSync(dir, { recursive: true });
  return missing;
}

function removeEmptyDirs(dirs: readonly string[]): void {
  for (const d of [...dirs].reverse()) {
    try {
      if (readdirSync(d).length === 0) rmdirSync(d);
    } catch {
      /* not ours to worry about */
    }
  }
}
