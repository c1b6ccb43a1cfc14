import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ReadHost } from '../core/host.js';

/** Files larger than this are refused: no Galaxy configuration file comes close. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** The real file system, read-only: pure code reaches files only through this. */
export function nodeHost(cwd: string = process.cwd(), env: Record<string, string | undefined> = process.env): ReadHost {
  return {
    cwd,
    env,
    readFile(path) {
      const abs = resolve(cwd, path);
      try {
        const size = statSync(abs).size;
        if (size > MAX_FILE_BYTES) return { error: `${path}: file is ${size} bytes, larger than the ${MAX_FILE_BYTES}-byte limit` };
        return { text: decodeUtf8(readFileSync(abs)) };
      } catch (e) {
        return { error: ioMessage(path, e) };
      }
    },
    realpath(path) {
      try {
        return realpathSync(resolve(cwd, path));
      } catch {
        return undefined;
      }
    },
    displayPath(abs) {
      return toDisplayPath(cwd, abs);
    },
  };
}

/** A path as people see it: relative to the working directory when below it, with `/`. */
export function toDisplayPath(cwd: string, abs: string): string {
  const full = isAbsolute(abs) ? abs : resolve(cwd, abs);
  const rel = relative(cwd, full);
  const shown = rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? full : rel;
  return shown.split(sep).join('/');
}

export class InvalidTextError extends Error {}

/** Decodes UTF-8 strictly: a file that is not text must not be rewritten through a lossy decode. */
export function decodeUtf8(buf: Uint8Array): string {
  if (buf.includes(0)) throw new InvalidTextError('the file contains NUL bytes (binary, not a configuration file)');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    throw new InvalidTextError('the file is not valid UTF-8');
  }
}

export function ioMessage(path: string, e: unknown): string {
  if (e instanceof InvalidTextError) return `${path}: ${e.message}`;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return `${path}: no such file or directory`;
    case 'EACCES':
    case 'EPERM':
      return `${path}: permission denied`;
    case 'EISDIR':
      return `${path}: is a directory`;
    default:
      return `${path}: ${(e as Error | undefined)?.message ?? String(e)}`;
  }
}
