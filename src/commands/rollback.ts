import { readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  absFromRoot,
  findBackupRoot,
  latestRestorable,
  listBackups,
  setBackupState,
  sha256,
  type Backup,
} from '../io/backup.js';
import { toDisplayPath } from '../io/host.js';
import { deploymentRoot } from '../io/root.js';
import { holdingSignals } from '../io/signals.js';
import { testHookFromEnv } from '../io/test-hooks.js';
import { commitFiles, TransactionError, type TxFile } from '../io/transaction.js';
import { metaOf, removeStaleTemps, writeTargetOf, type FileMeta } from '../io/write-atomic.js';
import { UsageError } from '../pipeline.js';
import { EXIT_ERROR, EXIT_OK, type CommandIo } from './io.js';

export interface RollbackOptions {
  force?: boolean;
  list?: boolean;
}

/**
 * `migrate rollback [PATH]`: puts back, byte for byte (mode and owner too), every file the last
 * `apply` changed, from its backup. A file changed again since that apply is not overwritten
 * unless `--force`: the whole rollback is refused and nothing is written. It is all or nothing,
 * and safe to run again after an interrupted apply or an interrupted rollback.
 */
export async function rollbackCommand(args: string[], opts: RollbackOptions, io: CommandIo): Promise<number> {
  const start = deploymentRoot(args, io.cwd);
  const root = findBackupRoot(start);
  const shownStart = toDisplayPath(io.cwd, start);
  if (!root) {
    throw new UsageError(`no backups in ${shownStart} or above it; name the directory you applied in, e.g. \`migrate rollback /srv/galaxy\``);
  }
  if (opts.list) {
    for (const b of listBackups(root)) {
      io.stdout(`${toDisplayPath(io.cwd, b.dir)}  ${b.manifest.state.padEnd(11)}  ${b.manifest.files.length} file(s)\n`);
    }
    return EXIT_OK;
  }
  const backup = latestRestorable(root);
  if (!backup) throw new UsageError(`nothing to roll back in ${toDisplayPath(io.cwd, root)}: every apply there was already rolled back`);
  const { tx, conflicts, already } = restorePlan(backup, io.cwd);
  if (conflicts.length && !opts.force) {
    throw new UsageError(
      `refusing to roll back: ${conflicts.length} file(s) changed again after that apply, and rolling back would lose those changes; ` +
        `nothing was written:\n${conflicts.map((c) => `  ${c}\n`).join('')}` +
        'look at them, then run `migrate rollback --force` to put the backed-up versions back anyway',
    );
  }
  try {
    const { received } = await holdingSignals(() => commitFiles(tx, testHookFromEnv(io.env)));
    if (received.length) io.stderr(`migrate: ${received[0]} arrived while restoring; the rollback was finished first\n`);
  } catch (e) {
    if (e instanceof TransactionError) {
      io.stderr(`migrate: could not roll back: ${e.message}\n`);
      return EXIT_ERROR;
    }
    throw e;
  }
  for (const e of backup.manifest.files) removeStaleTemps(writeTargetOf(absFromRoot(backup.root, e.path)));
  for (const d of [...(backup.manifest.dirs ?? [])].reverse()) removeEmptyDir(absFromRoot(backup.root, d));
  setBackupState(backup, 'rolled-back');
  io.stdout(
    `rolled back the apply of ${backup.manifest.createdAt}: ${tx.length} file(s) restored` +
      (already ? `, ${already} already as they were` : '') +
      ` from ${toDisplayPath(io.cwd, backup.dir)}\n`,
  );
  return EXIT_OK;
}

function restorePlan(backup: Backup, cwd: string): { tx: TxFile[]; conflicts: string[]; already: number } {
  const tx: TxFile[] = [];
  const conflicts: string[] = [];
  let already = 0;
  for (const e of backup.manifest.files) {
    const abs = writeTargetOf(absFromRoot(backup.root, e.path));
    const shown = toDisplayPath(cwd, abs);
    let now: Uint8Array | undefined;
    try {
      now = readFileSync(abs);
    } catch {
      now = undefined;
    }
    const nowSha = now ? sha256(now) : undefined;
    if (e.status === 'created') {
      if (nowSha === undefined) {
        already++;
        continue;
      }
      if (nowSha !== e.afterSha256) conflicts.push(`${shown}: created by that apply and changed since`);
      tx.push({ kind: 'delete', path: abs, previous: { data: now!, meta: metaNow(abs, e) } });
      continue;
    }
    if (nowSha !== undefined && nowSha === e.beforeSha256) {
      already++;
      continue;
    }
    const expected = e.status === 'deleted' ? undefined : e.afterSha256;
    if (nowSha !== expected) {
      conflicts.push(`${shown}: ${nowSha === undefined ? 'deleted' : 'changed'} since that apply`);
    }
    if (!e.backup) continue;
    const original = readFileSync(join(backup.dir, e.backup));
    if (sha256(original) !== e.beforeSha256) {
      throw new UsageError(`${toDisplayPath(cwd, join(backup.dir, e.backup))}: the backup copy is damaged (its hash does not match the manifest); nothing was written`);
    }
    const meta = { mode: e.mode ?? 0o644, uid: e.uid ?? process.getuid?.() ?? 0, gid: e.gid ?? process.getgid?.() ?? 0 };
    tx.push({ kind: 'write', path: abs, data: original, meta, ...(now ? { previous: { data: now, meta: metaNow(abs, e) } } : {}) });
  }
  return { tx, conflicts, already };
}

function removeEmptyDir(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    /* gone already, or holds something new: left alone */
  }
}

function metaNow(abs: string, e: { mode?: number; uid?: number; gid?: number }): FileMeta {
  try {
    return metaOf(abs);
  } catch {
    return { mode: e.mode ?? 0o644, uid: e.uid ?? 0, gid: e.gid ?? 0 };
  }
}
