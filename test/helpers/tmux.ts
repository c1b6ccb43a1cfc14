import { spawnSync } from 'node:child_process';

/**
 * A command in a real pseudo-terminal: tmux runs it, the test types what a person would and reads the
 * screen. tmux comes from .ci/apt-packages.txt; tests skip with a message where it is missing.
 */
export const HAVE_TMUX = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;

export interface TmuxSession {
  /** What the pane shows, scroll-back included, wrapped lines joined. */
  screen(): string;
  /** Waits until the screen shows `what`; fails with the screen after `ms`. */
  waitFor(what: string | RegExp, ms?: number): Promise<string>;
  /** Types a key, then Enter, as a person answering a prompt. */
  answer(key: string): Promise<void>;
  kill(): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts `sh -c command` in a detached session on a server of its own (`socket`). */
export function tmuxSession(socket: string, command: string, size = { width: 200, height: 60 }): TmuxSession {
  const tmux = (...args: string[]): string => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' }).stdout ?? '';
  tmux('new-session', '-d', '-s', 'main', '-x', String(size.width), '-y', String(size.height), 'sh', '-c', command);
  const screen = (): string => tmux('capture-pane', '-p', '-J', '-S', '-500', '-t', 'main');
  return {
    screen,
    async waitFor(what, ms = 20_000) {
      const until = Date.now() + ms;
      for (;;) {
        const s = screen();
        if (typeof what === 'string' ? s.includes(what) : what.test(s)) return s;
        if (Date.now() > until) throw new Error(`timed out waiting for ${String(what)}; the screen shows:\n${s}`);
        await sleep(100);
      }
    },
    async answer(key) {
      tmux('send-keys', '-t', 'main', key);
      await sleep(150);
      tmux('send-keys', '-t', 'main', 'Enter');
    },
    kill: () => void tmux('kill-server'),
  };
}

/** A string quoted for sh. */
export const shQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
