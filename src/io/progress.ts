import type { ReadHost } from '../core/host.js';

/**
 * A one-line progress report on stderr while a large tree is read: only when stderr is a terminal,
 * only once reading has taken longer than `afterMs`, redrawn at most every `everyMs`, and erased
 * when done so it never mixes with the report.
 */
export interface Progress {
  readonly host: ReadHost;
  done(): void;
}

export function withProgress(
  host: ReadHost,
  write: (s: string) => void,
  enabled: boolean,
  opts: { afterMs?: number; everyMs?: number; now?: () => number; columns?: number } = {},
): Progress {
  if (!enabled) return { host, done() {} };
  const now = opts.now ?? Date.now;
  const afterMs = opts.afterMs ?? 300;
  const everyMs = opts.everyMs ?? 100;
  const width = Math.max(40, opts.columns ?? 80) - 1;
  const start = now();
  let count = 0;
  let last = -Infinity;
  let shown = false;
  const wrapped: ReadHost = {
    ...host,
    readFile(path) {
      count++;
      const t = now();
      if (t - start >= afterMs && t - last >= everyMs) {
        last = t;
        shown = true;
        let line = `reading ${count} files… ${host.displayPath(path)}`;
        if (line.length > width) line = `${line.slice(0, width - 1)}…`;
        write(`\r\u001b[K${line}`);
      }
      return host.readFile(path);
    },
  };
  return {
    host: wrapped,
    done() {
      if (shown) write('\r\u001b[K');
      shown = false;
    },
  };
}
