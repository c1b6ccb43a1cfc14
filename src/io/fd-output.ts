import { fstatSync, writeSync } from 'node:fs';
import { tty } from './lazy-builtin.js';

/**
 * The CLI's output, written straight to file descriptors 1 and 2. `process.stdout`/`stderr` build
 * Node's stream classes (a net.Socket for a pipe, with the stream and abort-controller modules
 * behind it) on first touch: about 20 M instructions, a tenth of a cold `plan` beyond `node -e 0`
 * (bench/). A report is written whole and at once, so nothing needs a stream's buffering; the
 * writes are synchronous, so stdout and stderr keep their order and nothing is pending at exit.
 */
export interface FdOutput {
  write(text: string): void;
  readonly isTty: boolean;
}

/** How long to wait for a reader that is not keeping up with a non-blocking pipe. */
const AGAIN_WAIT_MS = 5;

export function fdOutput(fd: 1 | 2, onEpipe: () => never): FdOutput {
  return {
    write(text) {
      const bytes = Buffer.from(text, 'utf8');
      let at = 0;
      while (at < bytes.length) {
        try {
          at += writeSync(fd, bytes, at);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          // `migrate lint | head`: a reader that stops early is not an error worth a stack trace.
          if (code === 'EPIPE') onEpipe();
          // A pipe the parent made non-blocking and the reader has not emptied yet.
          if (code === 'EAGAIN') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, AGAIN_WAIT_MS);
          else throw e;
        }
      }
    },
    get isTty() {
      return isTerminal(fd);
    },
  };
}

/**
 * Whether `fd` is a terminal. Pipes and files (CI, `| less`, `> report.txt`) are not character
 * devices, and on Linux /dev/null is one of the memory devices (major 1), which no terminal is: one
 * fstat says so without loading `node:tty` (and `net` behind it). Any other character device is
 * asked with isatty.
 */
function isTerminal(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice()) return false;
    if (process.platform === 'linux' && ((st.rdev >> 8) & 0xfff) === LINUX_MEMORY_DEVICES) return false;
  } catch {
    return false;
  }
  return tty().isatty(fd);
}

/** Linux's major device number of /dev/null, /dev/zero, /dev/full (Documentation/admin-guide/devices.txt). */
const LINUX_MEMORY_DEVICES = 1;
