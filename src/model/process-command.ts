/**
 * What a process manager's command line runs (supervisord `command =`, systemd `ExecStart=`):
 * uWSGI serving Galaxy (a web server, a zerg pool, a zergling), a Galaxy job handler
 * (`scripts/galaxy-main`, `lib/galaxy/main.py`, Paste's `paster.py serve --server-name=…`),
 * something already Gunicorn/Gravity era, or an unrelated program.
 *
 * Commands are split like a POSIX shell (quotes, backslashes) with Jinja2 `{{ … }}`/`{% … %}` kept
 * whole inside a word. Wrappers that run another command line (`/usr/bin/sg GROUP 'cmd'`,
 * `bash -c "a; b"`) are opened. Offsets are into the command string given; callers map them to the
 * file (supervisord values may span continuation lines).
 */

export interface Word {
  /** The word with quotes and escapes removed (Jinja kept as written). */
  readonly text: string;
  /** [start, end) of the word as written, quotes included, in the command string. */
  readonly start: number;
  readonly end: number;
}

/** Splits a command line into words. `base` is added to every offset (for re-split inner strings). */
export function shellWords(s: string, base = 0): Word[] {
  const out: Word[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && /\s/.test(s[i]!)) i++;
    if (i >= n) break;
    const start = i;
    let text = '';
    while (i < n && !/\s/.test(s[i]!)) {
      const c = s[i]!;
      if (c === '{' && (s[i + 1] === '{' || s[i + 1] === '%' || s[i + 1] === '#')) {
        const closer = s[i + 1] === '{' ? '}}' : s[i + 1] === '%' ? '%}' : '#}';
        const close = s.indexOf(closer, i + 2);
        const end = close < 0 ? n : close + 2;
        text += s.slice(i, end);
        i = end;
      } else if (c === "'") {
        const close = s.indexOf("'", i + 1);
        const end = close < 0 ? n : close;
        text += s.slice(i + 1, end);
        i = Math.min(n, end + 1);
      } else if (c === '"') {
        let j = i + 1;
        while (j < n && s[j] !== '"') {
          if (s[j] === '\\' && j + 1 < n && '"\\$`'.includes(s[j + 1]!)) {
            text += s[j + 1];
            j += 2;
          } else {
            text += s[j];
            j++;
          }
        }
        i = Math.min(n, j + 1);
      } else if (c === '\\' && i + 1 < n) {
        text += s[i + 1];
        i += 2;
      } else {
        text += c;
        i++;
      }
    }
    out.push({ text, start: base + start, end: base + i });
  }
  return out;
}

/** A uWSGI option given on the command line (`--socket 127.0.0.1:4001`, `--master`, `-b 16384`). */
export interface CliOption {
  readonly key: string;
  readonly value: string;
  /** The option word(s) as written: from the flag to the end of its value. */
  readonly start: number;
  readonly end: number;
  /** The value word (absent for a bare flag). */
  readonly valueWord?: Word;
}

/** uWSGI's one-letter options that Galaxy command lines use (uwsgi --help). */
const UWSGI_SHORT: Readonly<Record<string, string>> = {
  b: 'buffer-size',
  s: 'socket',
  p: 'processes',
  M: 'master',
  T: 'enable-threads',
  H: 'home',
  L: 'disable-logging',
  w: 'module',
  z: 'socket-timeout',
  l: 'listen',
  d: 'daemonize',
};

/** uWSGI options that name the configuration file to load. */
export const UWSGI_CONFIG_FLAGS = ['ini', 'ini-paste', 'ini-paste-logged', 'yaml', 'yml', 'json', 'js', 'xml', 'paste', 'paste-logger'] as const;

export type CommandRole =
  | { readonly role: 'uwsgi'; readonly mode: 'web' | 'zerg-pool' | 'zergling'; readonly config?: ConfigRef; readonly options: readonly CliOption[] }
  | { readonly role: 'handler'; readonly script: string; readonly serverName?: Word; readonly pools: readonly string[]; readonly config?: ConfigRef }
  | { readonly role: 'paste-web'; readonly serverName?: Word; readonly config?: ConfigRef }
  | { readonly role: 'gunicorn' | 'unicornherder' | 'celery' | 'gravity' }
  | { readonly role: 'other' };

/** The configuration file a command names (`--ini F`, `--yaml F`, `-c F`, `paster serve F`). */
export interface ConfigRef {
  /** `ini`, `yaml`, … for uWSGI; `-c` / `--config-file` / `serve` for Galaxy scripts. */
  readonly flag: string;
  readonly path: Word;
  /** The flag word itself (for uWSGI, where `--ini` may need to become `--yaml`). */
  readonly flagWord?: Word;
  /** The flag is chosen by a template (`--{{ galaxy_config_style }}`, `{{ '--yaml' if … }}`). */
  readonly templated: boolean;
}

export interface Classified {
  readonly words: readonly Word[];
  /** The words of the command that was classified (inside a wrapper, if any). */
  readonly argv: readonly Word[];
  readonly role: CommandRole;
}

const base = (w: string): string => w.replace(/^.*\//, '');

function isUwsgiExe(w: string): boolean {
  return /^uwsgi(-core|_python\d*|-python\d*)?$/.test(base(w)) || /\/uwsgi$/.test(w);
}

function openWrapper(words: readonly Word[]): Word[][] {
  // `/usr/bin/sg GROUP 'cmd'` and `bash -c "cmd; cmd"`: the inner command lines, re-split.
  const first = words[0] ? base(words[0].text) : '';
  let inner: Word | undefined;
  if (first === 'sg' && words.length >= 3) inner = words[2];
  if (/^(ba|da|z)?sh$/.test(first)) {
    const c = words.findIndex((w) => w.text === '-c');
    if (c > 0) inner = words[c + 1];
  }
  if (!inner) return [];
  // Offsets inside the inner string: the word minus its opening quote (exact for single quotes and
  // for double quotes without escapes, which is what these wrappers hold).
  const quoted = inner.end - inner.start - inner.text.length >= 2;
  const at = inner.start + (quoted ? 1 : 0);
  return inner.text
    .split(/(?:;|&&|\|\|)/)
    .reduce<{ parts: Word[][]; offset: number }>(
      (acc, piece) => {
        acc.parts.push(shellWords(piece, at + acc.offset));
        acc.offset += piece.length + 1;
        return acc;
      },
      { parts: [], offset: 0 },
    )
    .parts.filter((p) => p.length > 0);
}

/** Classifies a command line; wrappers are opened and the Galaxy-related inner command wins. */
export function classifyCommand(command: string): Classified {
  const words = shellWords(command);
  const candidates = [words, ...openWrapper(words)];
  // Some `&&` chains hold ` && ` with the operator as its own word.
  let best: Classified = { words, argv: words, role: { role: 'other' } };
  for (const argv of candidates) {
    const role = classifyArgv(argv.filter((w) => !['&&', '||', ';'].includes(w.text)));
    if (role.role !== 'other') {
      best = { words, argv, role };
      if (role.role !== 'gravity') break;
    }
  }
  return best;
}

function classifyArgv(argv: readonly Word[]): CommandRole {
  const exeAt = argv.findIndex((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.text) && base(w.text) !== 'env' && base(w.text) !== 'exec');
  const exe = argv[exeAt];
  if (!exe) return { role: 'other' };
  const rest = argv.slice(exeAt + 1);
  const exeBase = base(exe.text);
  if (isUwsgiExe(exe.text)) return uwsgiRole(rest);
  if (/^(galaxyctl|galaxy)$/.test(exeBase)) return { role: 'gravity' };
  if (exeBase === 'gunicorn') return { role: 'gunicorn' };
  if (exeBase === 'unicornherder') return { role: 'unicornherder' };
  if (exeBase === 'celery') return { role: 'celery' };
  // python [-u] SCRIPT args…, or the script itself.
  let scriptAt = -1;
  if (/^python[0-9.]*$/.test(exeBase)) {
    scriptAt = rest.findIndex((w) => !w.text.startsWith('-'));
  } else scriptAt = -1;
  const script = scriptAt >= 0 ? rest[scriptAt]! : exe;
  const args = scriptAt >= 0 ? rest.slice(scriptAt + 1) : rest;
  const s = script.text;
  if (/(^|\/)(galaxy-main|lib\/galaxy\/main\.py)$/.test(s) || s === 'galaxy.main') {
    return { role: 'handler', script: s, ...handlerArgs(args) };
  }
  if (/(^|\/)paster(\.py)?$/.test(s) && args[0]?.text === 'serve') {
    const a = handlerArgs(args.slice(1));
    const cfg = args.slice(1).find((w) => !w.text.startsWith('-'));
    const config: ConfigRef | undefined = cfg ? { flag: 'serve', path: cfg, templated: false } : undefined;
    const name = a.serverName?.text ?? '';
    if (/reports|tool_?shed/i.test(cfg?.text ?? '')) return { role: 'other' };
    // Paste-era processes were named by their [server:…] sections: web0…, main, handler0…
    if (/^(web|main)/.test(name) || !a.serverName) return { role: 'paste-web', ...(a.serverName ? { serverName: a.serverName } : {}), ...(config ? { config } : {}) };
    if (/handler|job|sched|worker/i.test(name)) return { role: 'handler', script: s, ...(a.serverName ? { serverName: a.serverName } : {}), pools: a.pools, ...(config ? { config } : {}) };
    return { role: 'other' };
  }
  return { role: 'other' };
}

function handlerArgs(args: readonly Word[]): { serverName?: Word; pools: string[]; config?: ConfigRef } {
  let serverName: Word | undefined;
  const pools: string[] = [];
  let config: ConfigRef | undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    const m = /^--(server-name|attach-to-pool|config-file)=(.*)$/.exec(w.text);
    const next = args[i + 1];
    const valueWord = (prefixLen: number): Word => ({ text: w.text.slice(prefixLen), start: w.start + (w.end - w.start - w.text.length) + prefixLen, end: w.end });
    if (m) {
      const pre = m[1]!.length + 3;
      if (m[1] === 'server-name') serverName = valueWord(pre);
      else if (m[1] === 'attach-to-pool') pools.push(m[2]!);
      else config = { flag: '--config-file', path: valueWord(pre), templated: false };
    } else if ((w.text === '--server-name' || w.text === '--attach-to-pool' || w.text === '-c' || w.text === '--config-file') && next) {
      if (w.text === '--server-name') serverName = next;
      else if (w.text === '--attach-to-pool') pools.push(next.text);
      else config = { flag: w.text, path: next, templated: false };
      i++;
    }
  }
  return { ...(serverName ? { serverName } : {}), pools, ...(config ? { config } : {}) };
}

function uwsgiRole(args: readonly Word[]): CommandRole {
  const options: CliOption[] = [];
  let config: ConfigRef | undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    const t = w.text;
    // A template that picks the config flag: `{{ '--yaml' if … else '--ini' }}`, `--{{ style }}`.
    if (/^\{\{.*--(yaml|ini)/.test(t) || /^--\{\{/.test(t)) {
      const next = args[i + 1];
      if (next && !next.text.startsWith('-')) {
        config = { flag: 'template', path: next, flagWord: w, templated: true };
        i++;
        continue;
      }
    }
    let key: string | undefined;
    let inline: string | undefined;
    if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      key = eq > 2 ? t.slice(2, eq) : t.slice(2);
      if (eq > 2) inline = t.slice(eq + 1);
    } else if (/^-[A-Za-z]$/.test(t)) key = UWSGI_SHORT[t[1]!] ?? t.slice(1);
    if (!key) continue;
    const next = args[i + 1];
    let value = 'true';
    let end = w.end;
    let valueWord: Word | undefined;
    if (inline !== undefined) {
      value = inline;
      valueWord = { text: inline, start: w.end - inline.length, end: w.end };
    } else if (next && !next.text.startsWith('-')) {
      value = next.text;
      end = next.end;
      valueWord = next;
      i++;
    }
    options.push({ key, value, start: w.start, end, ...(valueWord ? { valueWord } : {}) });
    if ((UWSGI_CONFIG_FLAGS as readonly string[]).includes(key) && valueWord && !config) {
      config = { flag: key, path: valueWord, flagWord: w, templated: false };
    }
  }
  const has = (k: string): boolean => options.some((o) => o.key === k);
  const mode = has('zerg-pool') ? 'zerg-pool' : has('zerg') || has('zerg-server') ? 'zergling' : 'web';
  return { role: 'uwsgi', mode, ...(config ? { config } : {}), options };
}
