import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { crypto } from './lazy-builtin.js';
import { writeFileAtomic, type FileMeta, type StepHook } from './write-atomic.js';

/** Backups live at the deployment root, one folder per apply, named by its time. */
export const BACKUP_DIR = '.galaxy-migrate-backup';
const MANIFEST = 'manifest.json';

export type BackupState =
  /** Written before the first file changed; still there after a crash. */
  | 'applying'
  /** Every file was written. */
  | 'applied'
  /** The apply failed and put every file back itself. */
  | 'failed'
  /** `migrate rollback` restored it. */
  | 'rolled-back';

export interface ManifestEntry {
  /** Relative to the deployment root with `/` (absolute when the file is outside it). */
  readonly path: string;
  readonly status: 'modified' | 'created' | 'deleted';
  /** The copy of the original inside the backup folder (modified and deleted files). */
  readonly backup?: string;
  readonly beforeSha256?: string;
  readonly afterSha256?: string;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
}

export interface Manifest {
  readonly kind: 'galaxy-migrate-backup';
  readonly version: 1;
  readonly tool: { readonly name: string; readonly version: string };
  readonly createdAt: string;
  state: BackupState;
  readonly files: readonly ManifestEntry[];
  /** Folders the apply made for new files (relative to the root), removed again by rollback. */
  readonly dirs?: readonly string[];
}

export interface Backup {
  /** Absolute path of this backup's folder. */
  readonly dir: string;
  /** The deployment root the paths in the manifest are relative to. */
  readonly root: string;
  readonly manifest: Manifest;
}

/** A file about to change, with its original bytes when it exists. */
export interface BackupInput {
  readonly abs: string;
  readonly status: ManifestEntry['status'];
  readonly before?: Uint8Array;
  readonly meta?: FileMeta;
  readonly after?: Uint8Array;
}

export function sha256(data: Uint8Array | string): string {
  return crypto().createHash('sha256').update(data).digest('hex');
}

/** `2024-05-01T12-30-00-123Z`: sorts by time, and no `:` for file systems that refuse it. */
export function stampOf(d: Date): string {
  return d.toISOString().replace(/[:.]/g, '-');
}

export function pathInRoot(root: string, abs: string): string {
  const rel = relative(root, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return abs;
  return rel.split(sep).join('/');
}

export function absFromRoot(root: string, path: string): string {
  return isAbsolute(path) ? path : resolve(root, ...path.split('/'));
}

/**
 * Copies every file that is about to change into a new backup folder and writes its manifest
 * (state `applying`), all synced, before anything in the deployment is touched. The folder is
 * private (it holds the real secrets) and carries a `.gitignore` so it never lands in a repo.
 */
export function createBackup(
  root: string,
  inputs: readonly BackupInput[],
  tool: { name: string; version: string },
  now: Date,
  hook?: StepHook,
  newDirs: readonly string[] = [],
): Backup {
  const base = join(root, BACKUP_DIR);
  mkdirSync(base, { recursive: true, mode: 0o700 });
  if (!existsSync(join(base, '.gitignore'))) {
    writeFileAtomic(join(base, '.gitignore'), Buffer.from('# backups made by galaxy-migrate apply: they hold real secrets\n*\n'));
  }
  let dir = join(base, stampOf(now));
  for (let n = 1; existsSync(dir); n++) dir = join(base, `${stampOf(now)}-${n}`);
  mkdirSync(join(dir, 'files'), { recursive: true, mode: 0o700 });

  const files: ManifestEntry[] = inputs.map((f, i) => {
    hook?.(`backup:${i}`);
    let backup: string | undefined;
    if (f.before) {
      backup = `files/${String(i + 1).padStart(4, '0')}-${f.abs.split(sep).pop() ?? 'file'}`;
      writeFileAtomic(join(dir, backup), f.before, privateMeta());
    }
    return {
      path: pathInRoot(root, f.abs),
      status: f.status,
      ...(backup ? { backup } : {}),
      ...(f.before ? { beforeSha256: sha256(f.before) } : {}),
      ...(f.after ? { afterSha256: sha256(f.after) } : {}),
      ...(f.meta ? { mode: f.meta.mode, uid: f.meta.uid, gid: f.meta.gid } : {}),
    };
  });
  const manifest: Manifest = {
    kind: 'galaxy-migrate-backup',
    version: 1,
    tool,
    createdAt: now.toISOString(),
    state: 'applying',
    files,
    ...(newDirs.length ? { dirs: newDirs.map((d) => pathInRoot(root, d)) } : {}),
  };
  writeManifest(dir, manifest);
  hook?.('manifest');
  return { dir, root, manifest };
}

export function setBackupState(backup: Backup, state: BackupState): void {
  backup.manifest.state = state;
  writeManifest(backup.dir, backup.manifest);
}

function writeManifest(dir: string, m: Manifest): void {
  writeFileAtomic(join(dir, MANIFEST), Buffer.from(`${JSON.stringify(m, null, 2)}\n`), privateMeta());
}

/** Owned by whoever runs the tool, readable by nobody else. */
export function privateMeta(): FileMeta {
  return { mode: 0o600, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
}

/** Every backup under `root`, oldest first; folders without a readable manifest are left out. */
export function listBackups(root: string): Backup[] {
  const base = join(root, BACKUP_DIR);
  let names: string[];
  try {
    names = readdirSync(base, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
  const out: Backup[] = [];
  for (const name of names) {
    const dir = join(base, name);
    try {
      const m = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
      if (m.kind === 'galaxy-migrate-backup' && Array.isArray(m.files)) out.push({ dir, root, manifest: m });
    } catch {
      /* an unreadable folder is not a backup we can use */
    }
  }
  return out;
}

/** The newest backup whose files may still be in the deployment (applied, or cut short by a crash). */
export function latestRestorable(root: string): Backup | undefined {
  const all = listBackups(root);
  for (let i = all.length - 1; i >= 0; i--) {
    const b = all[i]!;
    if (b.manifest.state === 'applied' || b.manifest.state === 'applying') return b;
  }
  return undefined;
}

/** A backup whose apply never finished (the process died mid-way), if it is the newest one. */
export function interruptedApply(root: string): Backup | undefined {
  const last = listBackups(root).pop();
  return last?.manifest.state === 'applying' ? last : undefined;
}

/** Finds the folder holding `.galaxy-migrate-backup`, from `start` up to the file-system root. */
export function findBackupRoot(start: string): string | undefined {
  let d = resolve(start);
  for (;;) {
    if (existsSync(join(d, BACKUP_DIR))) return d;
    const up = resolve(d, '..');
    if (up === d) return undefined;
    d = up;
  }
}
