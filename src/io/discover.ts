import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ioMessage, MAX_FILE_BYTES } from './host.js';

export interface Discovered {
  /** Absolute paths of candidate files, sorted, each once. */
  readonly files: string[];
  /** Paths the user named explicitly (those must be recognised or it is an error). */
  readonly explicit: ReadonlySet<string>;
  readonly errors: string[];
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '.venv', 'venv', '__pycache__', '.tox', '.galaxy-migrate-backup']);
/** A tree larger than this is cut, with a message: Galaxy deployments have hundreds of files. */
export const MAX_FILES = 100_000;

/** Expands the user's paths: files as given, directories walked (links are not followed). */
export function discover(paths: readonly string[], cwd: string): Discovered {
  const files = new Set<string>();
  const explicit = new Set<string>();
  const errors: string[] = [];
  const walk = (dir: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      errors.push(ioMessage(dir, e));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      if (files.size >= MAX_FILES) return;
      const p = join(dir, ent.name);
      if (ent.isDirectory()) {
        if (!SKIP_DIRS.has(ent.name)) walk(p);
      } else if (ent.isFile()) {
        try {
          if (lstatSync(p).size <= MAX_FILE_BYTES) files.add(p);
        } catch {
          /* vanished while walking: nothing to read */
        }
      }
    }
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
    if (st.isDirectory()) walk(abs);
    else {
      files.add(abs);
      explicit.add(abs);
    }
  }
  if (files.size >= MAX_FILES) errors.push(`more than ${MAX_FILES} files under ${paths.join(', ')}: name a smaller directory`);
  return { files: [...files].sort(), explicit, errors };
}
