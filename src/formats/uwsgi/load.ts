/**
 * Reads a uWSGI configuration the way uWSGI 2.0.21 does (the pip build Galaxy ran: embedded YAML
 * parser, INI parser, magic variables, includes, logic blocks, the `$()` `@()` `%()` passes), and
 * returns the ordered option list `--show-config` prints, with ranges into the original files.
 *
 * Hand-written on purpose: no library reads uWSGI's dialect faithfully. A YAML library would strip
 * quotes, keep `#` inside quotes, read nested maps and lists, and never stop at `key:value`; an INI
 * library would interpolate `%(x)s`, fold case and treat inline `;` as comments. Each step below
 * follows uWSGI's C source (core/yaml.c, core/ini.c, core/config.c, core/utils.c, core/uwsgi.c)
 * and the behavioural spec in docs/uwsgi-dialect.md.
 *
 * Nothing from the inputs is ever run: `@(exec://...)` and `exec://` configs are reported and left
 * as written. Where uWSGI would stop with an error (or crash, or loop until memory runs out), the
 * result carries `fatal` instead.
 */
import type { ParseIssue, SourceFile } from '../../core/document.js';
import type { ReadHost } from '../../core/host.js';
import type { UwsgiOption } from '../../core/model.js';
import type { Range } from '../../core/range.js';
import { END_KEYS, LOGIC_OPTIONS, runLogic, type LogicKind, type LogicWorld } from './logic.js';
import { EMPTY_FILE_MAGIC, fileMagic, RUNTIME_MAGIC, substituteMagic, type FileMagic, type MagicResult } from './magic.js';
import { IMMEDIATE_OPTIONS, INTERNAL_ENV, KNOWN_OPTIONS, LOADER_OPTIONS, schemeOf, uwsgiReadsFalse } from './options.js';
import { expandValue, placeholderMath, substituteAll, type PassHook } from './passes.js';
import { expandGlob } from './glob.js';
import { readSection } from './read-section.js';
import { ENVIRONMENT_FILE, type Source, type UwsgiFatal, type UwsgiFormat, type UwsgiReadOptions, type UwsgiReadResult } from './types.js';

export { ENVIRONMENT_FILE } from './types.js';
export type { UwsgiFatal, UwsgiFormat, UwsgiReadOptions, UwsgiReadResult } from './types.js';

/** One entry of uWSGI's exported option list. */
interface Entry {
  readonly key: string;
  value: string | null;
  /** Run while parsing (immediate) or a pure placeholder: the passes skip it. */
  configured: boolean;
  /** The command-line `--yaml F` entry: in uWSGI's list (placeholders see it) but not printed by the oracle. */
  readonly hidden: boolean;
  readonly src?: Source;
  /** For options without a source line (environment): the value as given. */
  readonly raw?: string;
}

interface OpenBlock {
  readonly kind: LogicKind;
  readonly arg: string;
  readonly key: string;
  readonly src?: Source;
  noted: boolean;
}

class Fatal extends Error {
  constructor(readonly fatal: UwsgiFatal) {
    super(fatal.message);
  }
}

const NO_RANGE: Range = { start: 0, end: 0 };

/** A bound on the option list, so that a runaway `for-times` cannot exhaust memory. */
const MAX_OPTIONS = 100_000;

/** Reader from the file's extension (`.ini`, `.yml`/`.yaml`), else from its content. */
export function formatOf(path: string, text?: string): UwsgiFormat {
  const lower = path.toLowerCase();
  if (/\.ini(\.[a-z0-9]+)?$/.test(lower)) return 'ini';
  if (/\.ya?ml(\.[a-z0-9]+)?$/.test(lower)) return 'yaml';
  if (text !== undefined && /^[ \t]*\[[^\]\n]*\][ \t\r]*$/m.test(text)) return 'ini';
  return 'yaml';
}

export function readUwsgiConfig(path: string, opts: UwsgiReadOptions): UwsgiReadResult {
  const root = opts.root ?? '.';
  const cwd = opts.host.cwd.startsWith('/') ? opts.host.cwd : '/';
  const reader = new Reader(opts.host, opts.host.realpath(root) ?? absolute(cwd, root), opts.root === undefined);
  return reader.run(path, opts);
}

class Reader {
  private readonly list: Entry[] = [];
  private readonly issues: ParseIssue[] = [];
  private readonly files = new Map<string, SourceFile>();
  private block: OpenBlock | undefined;
  private logicRunning = false;
  private lastIni: string | undefined;
  private magic: FileMagic = EMPTY_FILE_MAGIC;
  private first: FileMagic | undefined;
  private firstRoundDone = false;
  private readonly stack: { key: string; display: string }[] = [];
  private sectionRanges: Range[] | undefined;
  private mainText: string | undefined;
  private readonly runtime: Record<string, string>;
  private readonly runtimeNoted = new Set<string>();

  constructor(
    private readonly host: ReadHost,
    private root: string,
    /** The root was not given: a main file outside the working directory makes its own directory the root. */
    private readonly rootFromMain: boolean,
  ) {
    const env = host.env;
    this.runtime = { h: env['HOSTNAME'] ?? '', U: env['USER'] ?? env['LOGNAME'] ?? '' };
  }

  run(path: string, opts: UwsgiReadOptions): UwsgiReadResult {
    const format = opts.format ?? formatOf(path, opts.text);
    const arg = opts.section !== undefined && opts.section !== '' ? `${path}:${opts.section}` : path;
    this.mainText = opts.text;
    let fatal: UwsgiFatal | undefined;
    try {
      this.environmentOptions();
      // `uwsgi --yaml F`: the command-line entry, then F read at once (it is immediate)
      const entry: Entry = { key: format, value: arg, configured: true, hidden: true };
      this.list.push(entry);
      this.load(arg, format, { main: true, allowFirstRound: true });
      this.closeOpenBlock();
      this.passes();
      this.configure();
    } catch (e) {
      if (e instanceof Fatal) fatal = e.fatal;
      else {
        // a bug here must not take the whole run down: report it where we were
        const file = this.stack.length ? this.stack[this.stack.length - 1]!.display : path;
        const message = `internal error while reading this uWSGI configuration: ${(e as Error)?.message ?? String(e)}`;
        this.issues.push({ ruleId: 'uwsgi/internal-error', severity: 'error', file, range: NO_RANGE, message });
        fatal = { message, file, range: NO_RANGE };
      }
    }
    const options = this.list.filter((e) => !e.hidden).map(toOption);
    const result: UwsgiReadResult = {
      options,
      issues: this.issues,
      files: [...this.files.values()],
      ...(fatal ? { fatal } : {}),
      ...(this.sectionRanges && this.sectionRanges.length
        ? { sectionRange: this.sectionRanges[0], sectionRanges: this.sectionRanges }
        : {}),
    };
    return result;
  }

  // ---------------------------------------------------------------- the option list

  /** add_exported_option_do (core/config.c): end keys, open logic blocks, immediate options. */
  private add(key: string, value: string | null, o: { src?: Source; placeholderOnly?: boolean; raw?: string }): void {
    if (!this.logicRunning) {
      if (END_KEYS.has(key)) this.block = undefined;
      const block = this.block;
      if (block) {
        const outcome = runLogic(block.kind, block.arg, this.world());
        if (outcome.note && !block.noted) {
          block.noted = true;
          this.issue('uwsgi/logic-assumed', 'info', block.src, outcome.note);
        }
        this.logicRunning = true;
        try {
          for (const u of outcome.values) this.add(key, value === null ? null : substituteAll(value, '%(_)', u), o);
        } finally {
          this.logicRunning = false;
        }
        return;
      }
    }
    if (this.list.length >= MAX_OPTIONS)
      this.fail(`more than ${MAX_OPTIONS} options (a loop that never ends, or a huge for-times): galaxy-migrate stops reading here`, o.src, 'uwsgi/too-many-options');
    const entry: Entry = {
      key,
      value,
      configured: false,
      hidden: false,
      ...(o.src ? { src: o.src } : {}),
      ...(o.raw !== undefined ? { raw: o.raw } : {}),
    };
    this.list.push(entry);
    if (o.placeholderOnly) {
      if (KNOWN_OPTIONS.has(key))
        this.fail(`you cannot use ${key} as a placeholder, it is already available as an option`, o.src, 'uwsgi/placeholder-is-option');
      entry.configured = true;
      return;
    }
    if (IMMEDIATE_OPTIONS.has(key)) {
      this.immediate(entry);
      entry.configured = true;
    }
  }

  private immediate(entry: Entry): void {
    const { key, value } = entry;
    if (value === null) return;
    const logic = LOGIC_OPTIONS.get(key);
    if (logic) {
      if (this.block) this.fail(`recursive logic in options is not supported (option = ${key})`, entry.src, 'uwsgi/logic-nested');
      this.block = { kind: logic, arg: value, key, ...(entry.src ? { src: entry.src } : {}), noted: false };
      return;
    }
    if (key === 'set' || key === 'set-placeholder' || key === 'set-ph') {
      const eq = value.indexOf('=');
      if (eq < 0) this.fail('invalid placeholder/--set value', entry.src, 'uwsgi/set-invalid');
      const name = value.slice(0, eq);
      const v = value.slice(eq + 1);
      const src = entry.src ? this.splitSource(entry.src, value, eq) : undefined;
      this.add(name, v, { ...(src ? { src } : {}), placeholderOnly: key !== 'set' });
      return;
    }
    if (key === 'strict') {
      if (!uwsgiReadsFalse(value))
        this.issue('uwsgi/strict-not-checked', 'info', entry.src, '`strict` makes uWSGI stop at any option name it does not know; which names exist depends on the plugins loaded, so galaxy-migrate does not check that');
      return;
    }
    if (key === 'inject-before' || key === 'inject-after') {
      this.issue('uwsgi/format-unsupported', 'warning', entry.src, `\`${key}\` glues a file to every configuration file read after it; galaxy-migrate does not emulate it, so later files are read without it`);
      return;
    }
    const loader = LOADER_OPTIONS.get(key);
    if (!loader) return;
    if (loader === 'by-extension') this.loadByExtension(value, entry);
    else if (loader === 'ini' || loader === 'yaml') this.load(value, loader, { entry, allowFirstRound: true });
    else this.unsupported(value, entry, loader);
  }

  /** The option `set = name=value` adds, placed on the `name` and `value` parts of the line. */
  private splitSource(src: Source, value: string, eq: number): Source {
    const text = this.files.get(src.file)?.text;
    const aligned = text !== undefined && value === src.rawValue && text.slice(src.valueRange.start, src.valueRange.end) === value;
    if (!aligned) return { ...src, rawValue: value.slice(eq + 1) };
    const s = src.valueRange.start;
    const keyRange = { start: s, end: s + eq };
    const valueRange = { start: s + eq + 1, end: src.valueRange.end };
    return { file: src.file, range: src.valueRange, keyRange, valueRange, rawValue: value.slice(eq + 1), included: src.included };
  }

  private world(): LogicWorld {
    const host = this.host;
    return {
      env: (name) => host.env[name],
      option: (name) => {
        const e = this.list.find((x) => x.key === name);
        return e ? e.value : undefined;
      },
      exists: (p) => host.realpath(p) !== undefined,
      isFile: (p) => host.realpath(p) !== undefined && (host.listDir ? host.listDir(p) === undefined : 'text' in host.readFile(p)),
      isDir: (p) => (host.listDir ? host.listDir(p) !== undefined : host.realpath(p) !== undefined && !('text' in host.readFile(p))),
      glob: (pattern) => expandGlob(pattern, host),
      readText: (p) => {
        const abs = host.realpath(p);
        const r = abs !== undefined ? host.readFile(abs) : undefined;
        if (!abs || !r || !('text' in r)) return undefined;
        const display = host.displayPath(abs);
        if (!this.files.has(display)) this.files.set(display, { path: display, text: r.text, bom: r.text.startsWith('\uFEFF') });
        return r.text;
      },
    };
  }

  /** The oracle's `--endif` after the config: a block left open is closed, and reported. */
  private closeOpenBlock(): void {
    const b = this.block;
    if (!b) return;
    this.block = undefined;
    this.issue(
      'uwsgi/logic-block-open',
      'warning',
      b.src,
      `the \`${b.key}\` block opened here is never closed (no \`end\`/\`endif\`/\`endfor\` uWSGI reads): uWSGI applies it to every option that follows, including those given on the command line after the configuration file`,
    );
  }

  private environmentOptions(): void {
    for (const [name, value] of Object.entries(this.host.env)) {
      if (value === undefined || !name.startsWith('UWSGI_') || INTERNAL_ENV.has(name)) continue;
      const key = name
        .slice(6)
        .replace(/[A-Z]/g, (c) => c.toLowerCase())
        .replace(/_/g, '-');
      this.add(key, value, { raw: value });
    }
  }

  // ---------------------------------------------------------------- files

  /** `include`/`inherit` (uwsgi_opt_load): the reader comes from the extension; never sets %D %N... */
  private loadByExtension(value: string, entry: Entry): void {
    if (value.endsWith('.ini')) return this.load(value, 'ini', { entry, allowFirstRound: false });
    if (value.endsWith('.yaml') || value.endsWith('.yml')) return this.load(value, 'yaml', { entry, allowFirstRound: false });
    if (value.endsWith('.json') || value.endsWith('.js')) return this.unsupported(value, entry, 'json');
    if (value.endsWith('.xml')) return this.unsupported(value, entry, 'xml');
    this.fail(`unable to load configuration from ${value}`, entry.src, 'uwsgi/include-invalid');
  }

  /** JSON, XML and plugin configurators: uWSGI would read them; we only check the file is there. */
  private unsupported(value: string, entry: Entry, kind: string): void {
    const scheme = schemeOf(value);
    if (scheme === 'exec') return this.execNotRun(value.slice(7), entry.src, 'read its output as a configuration file');
    if (!scheme) {
      const colon = value.lastIndexOf(':');
      const file = colon > 0 ? value.slice(0, colon) : value;
      if (this.host.realpath(file) === undefined) this.fail(`realpath() of ${file} failed: No such file or directory`, entry.src, 'uwsgi/include-missing');
    }
    this.issue(
      'uwsgi/format-unsupported',
      'warning',
      entry.src,
      `uWSGI reads \`${value}\` here (${kind} configuration); galaxy-migrate does not read that format, so its options are missing from this list`,
    );
  }

  private execNotRun(command: string, src: Source | undefined, what: string): void {
    this.issue(
      'uwsgi/exec-not-run',
      'warning',
      src,
      `uWSGI would run \`${command}\` with /bin/sh here and ${what}; galaxy-migrate never runs commands from its inputs, so this is left as written`,
    );
  }

  private load(
    arg: string,
    format: UwsgiFormat,
    via: { entry?: Entry; main?: boolean; allowFirstRound: boolean },
  ): void {
    const colonAt = arg.lastIndexOf(':');
    const given = colonAt > 0 ? arg.slice(0, colonAt) : arg;
    // a fatal error about the main file itself is reported on that file
    const src: Source | undefined = via.entry?.src ?? (via.main ? pseudoSource(this.host.displayPath(this.host.realpath(given) ?? given)) : undefined);
    const scheme = schemeOf(arg);
    if (scheme === 'exec') return this.execNotRun(arg.slice(7), src, 'read its output as a configuration file');
    if (scheme || arg === '-') {
      this.issue('uwsgi/scheme-not-read', 'warning', src, `uWSGI fetches \`${arg}\` here; galaxy-migrate reads only local files, so its options are missing from this list`);
      return;
    }
    const colon = arg.lastIndexOf(':');
    const sectionPart = colon >= 0 ? arg.slice(colon + 1) : '';
    const section = sectionPart !== '' ? sectionPart : 'uwsgi';
    let filename = colon >= 0 ? arg.slice(0, colon) : arg;
    let abs: string | undefined;
    if (colon === 0) {
      // `ini = :section`: the magic table is reused, the file is the last INI file read
      this.magic = { ...this.magic, o: '', x: sectionPart };
      if (format !== 'ini') this.fail('open(""): No such file or directory', src, 'uwsgi/include-missing');
      if (this.lastIni === undefined)
        this.fail(`\`${arg}\` re-reads the last INI file, but no INI file was read before it (uWSGI crashes here)`, src, 'uwsgi/include-missing');
      filename = this.lastIni;
      abs = this.host.realpath(filename);
      if (abs === undefined) this.fail(`open("${filename}"): No such file or directory`, src, 'uwsgi/include-missing');
    } else {
      abs = this.host.realpath(filename);
      if (abs === undefined && via.main && this.mainText !== undefined) abs = absolute(this.host.cwd, filename);
      if (abs === undefined) this.fail(`realpath() of ${filename} failed: No such file or directory`, src, via.main ? undefined : 'uwsgi/include-missing');
      this.magic = fileMagic(filename, abs, sectionPart);
    }
    if (!this.firstRoundDone && via.allowFirstRound) {
      this.first = this.magic;
      this.firstRoundDone = true;
    }
    if (via.main && this.rootFromMain && !this.insideRoot(abs)) this.root = abs.slice(0, abs.lastIndexOf('/')) || '/';
    const display = this.host.displayPath(abs);
    const loopKey = `${format}\u0000${abs}\u0000${section}`;
    if (this.stack.some((s) => s.key === loopKey)) {
      const chain = [...this.stack.map((s) => s.display), display].join(' -> ');
      this.issue('uwsgi/include-loop', 'error', src, `this includes ${display} again while reading it (${chain}): uWSGI recurses until it crashes`);
      this.fail(`include loop: ${chain} (uWSGI recurses until it crashes)`, src);
    }
    if (!via.main && !this.insideRoot(abs)) {
      this.issue('uwsgi/include-outside-root', 'warning', src, `\`${filename}\` is outside the deployment (${this.root}): it is read, but a migration cannot change it`);
    }

    let text: string;
    if (via.main && this.mainText !== undefined) text = this.mainText;
    else {
      const got = this.host.readFile(abs);
      if ('error' in got) this.fail(`cannot read ${filename}: ${got.error}`, src, via.main ? undefined : 'uwsgi/include-missing');
      text = got.text;
    }
    if (!this.files.has(display)) this.files.set(display, { path: display, text, bom: text.startsWith('\uFEFF') });
    const magic = substituteMagic(text, { file: this.magic, first: this.first, cwd: this.host.cwd, runtime: this.runtime });
    this.noteRuntimeMagic(display, magic);
    if (format === 'ini') this.lastIni = filename;

    const reading = readSection({ format, file: display, original: text, magic, section, included: !via.main });
    if (via.main) this.sectionRanges = [...reading.spans];
    this.issues.push(...reading.issues);
    this.stack.push({ key: loopKey, display });
    try {
      for (const o of reading.options) this.add(o.key, o.value, { src: o.src });
    } finally {
      this.stack.pop();
    }
  }

  private insideRoot(abs: string): boolean {
    const root = this.root.replace(/\/+$/, '');
    return root === '' || abs === root || abs.startsWith(`${root}/`);
  }

  private noteRuntimeMagic(file: string, magic: MagicResult): void {
    const names: Record<string, string> = {
      h: 'the host name',
      k: 'the number of CPU cores',
      t: 'the start time',
      T: 'the start time in microseconds',
      u: 'the user id',
      U: 'the user name',
      g: 'the group id',
      G: 'the group name',
      i: "the file's inode number",
      b: 'the path of the uwsgi binary',
    };
    for (const [ch, at] of magic.runtimeUsed) {
      if (!RUNTIME_MAGIC.has(ch) || this.runtimeNoted.has(`${file}\u0000${ch}`)) continue;
      this.runtimeNoted.add(`${file}\u0000${ch}`);
      const v = this.runtime[ch] ?? '';
      this.issues.push({
        ruleId: 'uwsgi/magic-runtime',
        severity: 'info',
        file,
        range: { start: at, end: at + 2 },
        message: `\`%${ch}\` is ${names[ch] ?? 'a value of the machine uWSGI runs on'} at run time; not known here, read as ${v ? `\`${v}\`` : 'empty'}`,
      });
    }
  }

  // ---------------------------------------------------------------- passes and configure

  private passes(): void {
    const firstByKey = new Map<string, Entry>();
    for (const e of this.list) if (!firstByKey.has(e.key)) firstByKey.set(e.key, e);
    const lookup = (name: string): string | null => firstByKey.get(name)?.value ?? null;
    for (const symbol of ['$', '@', '%'] as const) {
      for (const e of this.list) {
        if (e.value === null || e.configured) continue;
        const hook = this.hook(symbol, e, lookup);
        const before = e.value;
        const res = expandValue(e.value, symbol, hook, (v) => {
          e.value = v;
        });
        if (res.runaway) {
          e.value = before;
          this.issue(
            'uwsgi/runaway-expansion',
            'error',
            e.src,
            `the value of \`${e.key}\` refers to itself through \`${symbol}(...)\`: uWSGI expands it forever, allocating memory until it dies`,
          );
          this.fail(`the expansion of \`${e.key}\` never ends (self-reference): uWSGI runs out of memory`, e.src);
        }
      }
    }
  }

  private hook(symbol: '$' | '@' | '%', e: Entry, lookup: (name: string) => string | null): PassHook {
    if (symbol === '$') return (name) => this.host.env[name] ?? null;
    if (symbol === '%') return (name) => (name.includes(' ') ? placeholderMath(name, lookup) : lookup(name));
    const seen = new Set<string>();
    return (name) => {
      const scheme = schemeOf(name);
      if (scheme === 'exec' || scheme || name === '-') {
        if (!seen.has(name)) {
          seen.add(name);
          if (scheme === 'exec') this.execNotRun(name.slice(7), e.src, 'put its output in the value');
          else
            this.issue('uwsgi/scheme-not-read', 'warning', e.src, `uWSGI fetches \`${name}\` here and puts it in the value; galaxy-migrate reads only local files, so this is left as written`);
        }
        return null;
      }
      const abs = this.host.realpath(name);
      const got = abs !== undefined ? this.host.readFile(abs) : undefined;
      if (abs === undefined || !got || 'error' in got) return this.fail(`open("${name}"): No such file or directory`, e.src, 'uwsgi/include-missing');
      const display = this.host.displayPath(abs);
      if (!this.files.has(display)) this.files.set(display, { path: display, text: got.text, bom: got.text.startsWith('\uFEFF') });
      if (!this.insideRoot(abs) && !seen.has(`root\u0000${name}`)) {
        seen.add(`root\u0000${name}`);
        this.issue('uwsgi/include-outside-root', 'warning', e.src, `\`${name}\` is outside the deployment (${this.root}): it is read, but a migration cannot change it`);
      }
      const t = got.text;
      return t.endsWith('\n') || t.endsWith('\r') ? t.slice(0, -1) : t;
    };
  }

  /** The configure phase: `inherit` loads its file now, appending unexpanded options at the end. */
  private configure(): void {
    for (let i = 0; i < this.list.length; i++) {
      const e = this.list[i]!;
      if (e.configured || e.key !== 'inherit' || e.value === null) continue;
      e.configured = true;
      this.loadByExtension(e.value, e);
    }
  }

  // ---------------------------------------------------------------- reporting

  private issue(ruleId: string, severity: 'error' | 'warning' | 'info', src: Source | undefined, message: string): void {
    this.issues.push({ ruleId, severity, file: src?.file ?? ENVIRONMENT_FILE, range: src?.valueRange ?? NO_RANGE, message });
  }

  /**
   * Where uWSGI itself stops with an error: the reading ends here (`fatal`), and, unless the main
   * file itself is missing, an error issue under `ruleId` says so on the line that caused it.
   */
  private fail(message: string, src: Source | undefined, ruleId?: string): never {
    const file = src?.file ?? (this.stack.length ? this.stack[this.stack.length - 1]!.display : ENVIRONMENT_FILE);
    const range = src?.range ?? NO_RANGE;
    if (ruleId) this.issues.push({ ruleId, severity: 'error', file, range, message: `uWSGI stops here with an error: ${message}` });
    throw new Fatal({ message, file, range });
  }
}

function pseudoSource(file: string): Source {
  return { file, range: NO_RANGE, keyRange: NO_RANGE, valueRange: NO_RANGE, rawValue: '', included: false };
}

function absolute(cwd: string, p: string): string {
  if (p.startsWith('/')) return p;
  const parts: string[] = [];
  for (const seg of `${cwd}/${p}`.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

function toOption(e: Entry): UwsgiOption {
  const src = e.src;
  return {
    key: e.key,
    value: e.value ?? 'true',
    rawValue: src?.rawValue ?? e.raw ?? e.value ?? '',
    file: src?.file ?? ENVIRONMENT_FILE,
    range: src?.range ?? NO_RANGE,
    keyRange: src?.keyRange ?? NO_RANGE,
    valueRange: src?.valueRange ?? NO_RANGE,
    included: src?.included ?? false,
  };
}
