import { closeSync, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
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
        return { text: decodeUtf8(readBounded(abs)) };
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
    listDir(path) {
      try {
        return readdirSync(resolve(cwd, path)).sort();
      } catch {
        return undefined;
      }
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

/** A file that is not text (NUL bytes, not UTF-8), with where the first bad byte is. */
export class InvalidTextError extends Error {
  constructor(
    message: string,
    /** 1-based line and column (UTF-16 code units) of the first bad byte; undefined when not known. */
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/** A file refused before it is read whole: too large, or not a regular file. */
export class RefusedFileError extends Error {}

/**
 * Reads a regular file, refusing it by size before reading it whole. The size is checked on the open
 * descriptor and again while reading, so a file that grows meanwhile (or a device whose stat says 0)
 * is never read past the limit.
 */
export function readBounded(abs: string, limit: number = MAX_FILE_BYTES): Buffer {
  const st = statSync(abs);
  if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  // A FIFO or a device would block or never end: only regular files are read.
  if (!st.isFile()) throw new RefusedFileError('not a regular file (a device, FIFO or socket); not read');
  if (st.size > limit) throw new RefusedFileError(tooLarge(st.size, limit));
  const fd = openSync(abs, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > limit) throw new RefusedFileError(tooLarge(size, limit));
    let buf = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(size + 1, 64 * 1024)));
    let len = 0;
    for (;;) {
      if (len === buf.length) {
        if (len > limit) throw new RefusedFileError(tooLarge(len, limit, true));
        const bigger = Buffer.allocUnsafe(Math.min(limit + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
      }
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
    }
    if (len > limit) throw new RefusedFileError(tooLarge(len, limit, true));
    return buf.subarray(0, len);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(size: number, limit: number, atLeast = false): string {
  return `file is ${atLeast ? 'more than ' : ''}${size} bytes, larger than the ${limit}-byte limit; not read`;
}

/** Decodes UTF-8 strictly: a file that is not text must not be rewritten through a lossy decode. */
export function decodeUtf8(buf: Uint8Array): string {
  const nul = buf.indexOf(0);
  if (nul >= 0) {
    const at = byteLocation(buf, nul);
    throw new InvalidTextError('the file contains NUL bytes (binary, not a configuration file)', at.line, at.column);
  }
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (!isUtf8(b)) {
    const bad = firstInvalidUtf8(b);
    const at = byteLocation(b, bad);
    const hex = (b[bad] ?? 0).toString(16).padStart(2, '0');
    throw new InvalidTextError(`the file is not valid UTF-8 (byte 0x${hex}); save it as UTF-8`, at.line, at.column);
  }
  // The BOM is kept as U+FEFF (writing puts it back).
  return b.toString('utf8');
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (buf.length when it is all valid). */
export function firstInvalidUtf8(b: Uint8Array): number {
  const cont = (i: number, lo = 0x80, hi = 0xbf): boolean => i < b.length && b[i]! >= lo && b[i]! <= hi;
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) i += 1;
    else if (c >= 0xc2 && c <= 0xdf && cont(i + 1)) i += 2;
    else if (c === 0xe0 && cont(i + 1, 0xa0) && cont(i + 2)) i += 3;
    else if (((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) && cont(i + 1) && cont(i + 2)) i += 3;
    else if (c === 0xed && cont(i + 1, 0x80, 0x9f) && cont(i + 2)) i += 3;
    else if (c === 0xf0 && cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3)) i += 4;
    else if (c >= 0xf1 && c <= 0xf3 && cont(i + 1) && cont(i + 2) && cont(i + 3)) i += 4;
    else if (c === 0xf4 && cont(i + 1, 0x80, 0x8f) && cont(i + 2) && cont(i + 3)) i += 4;
    else return i;
  }
  return i;
}

/** 1-based line and column (UTF-16 units of the valid text before it) of a byte offset. */
function byteLocation(b: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = b.indexOf(10); i >= 0 && i < offset; i = b.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  // Decoded with replacement: a byte that is not UTF-8 before a NUL on the same line is one column
  // (U+FFFD), so the column is the NUL's, not that of the first bad byte before it.
  const before = Buffer.from(b.buffer, b.byteOffset + lineStart, offset - lineStart);
  return { line, column: before.toString('utf8').length + 1 };
}

export function ioMessage(path: string, e: unknown): string {
  if (e instanceof InvalidTextError) return e.line === undefined ? `${path}: ${e.message}` : `${path}:${e.line}:${e.column}: ${e.message}`;
  if (e instanceof RefusedFileError) return `${path}: ${e.message}`;
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
