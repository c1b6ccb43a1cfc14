import type { FileKind, SourceFile } from '../core/document.js';
import type { ReadHost } from '../core/host.js';
import { UsageError } from '../errors.js';
import { detectKind } from '../formats/detect.js';
import { discover } from '../io/discover.js';
import { decodeUtf8, InvalidTextError, readBounded } from '../io/host.js';

/** A file of the walk that a reader will take: its text and its kind, not parsed yet. */
export interface WalkedFile {
  /** Absolute path, as the walk found it. */
  readonly abs: string;
  readonly file: SourceFile;
  readonly kind: FileKind;
}

export interface LoadIssue {
  /** Path as shown to people. */
  readonly file: string;
  readonly message: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly line?: number;
  readonly column?: number;
}

export interface Walked {
  /** The files to parse, in walk order (sorted paths). */
  readonly files: readonly WalkedFile[];
  /** Files walked but not recognised (not an error in a directory walk). */
  readonly skipped: readonly string[];
  /** What the walk did not read and must say so (see Loaded.issues). */
  readonly issues: readonly LoadIssue[];
  /** The deployment roots: readers read includes only inside them. */
  readonly roots: readonly string[];
}

/**
 * read -> detect, once per file, nothing parsed yet (parsing is per server, src/pipeline.ts). A
 * file named explicitly that cannot be read or whose kind is unknown stops the command; inside a
 * directory such files are skipped.
 */
export function readWalk(paths: readonly string[], host: ReadHost): Walked {
  const found = discover(paths, host.cwd);
  if (found.errors.length) throw new UsageError(found.errors.join('\n'));
  const files: WalkedFile[] = [];
  const skipped: string[] = [];
  const issues: LoadIssue[] = found.notices.map((n) => ({ file: host.displayPath(n.path), message: n.message, severity: n.severity }));
  for (const abs of found.files) {
    const shown = host.displayPath(abs);
    const read = host.readFile(abs);
    if ('error' in read) {
      if (found.explicit.has(abs)) throw new UsageError(read.error.replace(abs, shown));
      const issue = unreadInWalk(abs, shown, read.error);
      if (issue) issues.push(issue);
      skipped.push(shown);
      continue;
    }
    const kind = detectKind(shown, read.text);
    if (!kind) {
      if (found.explicit.has(abs)) throw new UsageError(`${shown}: not a file galaxy-migrate knows (galaxy.yml, galaxy.ini, uWSGI config, job conf, nginx, Apache, supervisord, systemd)`);
      skipped.push(shown);
      continue;
    }
    files.push({ abs, kind, file: { path: shown, text: read.text, bom: read.text.charCodeAt(0) === 0xfeff } });
  }
  return { files, skipped, issues, roots: found.roots };
}

/** The texts the walk read, by absolute path: readers reuse them for includes instead of reading again. */
export function walkedTexts(files: readonly WalkedFile[]): Map<string, string> {
  return new Map(files.map((f) => [f.abs, f.file.text]));
}

/**
 * A file of a walk the host could not read: reported, except a file that is not text and does not
 * look like configuration either (an image, a compiled file), which is passed over as unknown files are.
 */
function unreadInWalk(abs: string, shown: string, error: string): LoadIssue | undefined {
  const reason = error.startsWith(`${abs}:`) ? error.slice(abs.length + 1).replace(/^\d+:\d+:/, '').trim() : error;
  let buf: Buffer;
  try {
    buf = readBounded(abs);
  } catch {
    return { file: shown, message: `not read: ${reason}`, severity: 'warning' };
  }
  try {
    decodeUtf8(buf);
  } catch (e) {
    if (!(e instanceof InvalidTextError)) throw e;
    const head = new TextDecoder('utf-8').decode(buf.subarray(0, 64 * 1024));
    if (!detectKind(shown, head)) return undefined;
    return { file: shown, message: `not read: ${e.message}`, severity: 'error', line: e.line, column: e.column };
  }
  return { file: shown, message: `not read: ${reason}`, severity: 'warning' };
}
