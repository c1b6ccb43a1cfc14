import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import type { Severity } from '../core/finding.js';
import { PSEUDO_RULES } from '../core/pseudo-rules.js';
import { LineIndex } from '../core/range.js';
import { toDisplayPath } from '../io/host.js';
import { UsageError } from '../pipeline.js';
import { compileIgnore, type IgnorePattern } from './glob.js';

/**
 * `.galaxy-migrate.yml`, found in the working directory or the nearest folder above it (or named
 * with `--config`):
 *
 *   rules:
 *     uwsgi/listeners: off          # off | on | error | warning | info
 *     nginx/uwsgi-pass: error
 *   ignore:                         # .gitignore-style, relative to this file's folder
 *     - "*.sample"
 *     - roles/**
 *
 * A mistake in it stops the command with `file:line:column: what is wrong` (exit 2), never a
 * silently ignored setting.
 */
export const CONFIG_NAMES = ['.galaxy-migrate.yml', '.galaxy-migrate.yaml'] as const;

/** Ids the engine reports without a rule behind them; the config may set them too. */
export const PSEUDO_RULE_IDS: readonly string[] = PSEUDO_RULES.map((r) => r.id);

/** Rule id families (the part before `/`), as DESIGN.md names them. */
export const RULE_FAMILIES = ['uwsgi', 'galaxy', 'gravity', 'job-conf', 'nginx', 'apache', 'proxy', 'supervisor', 'systemd', 'ansible'] as const;

export interface RuleSetting {
  readonly off: boolean;
  readonly severity?: Severity;
}

export interface Config {
  /** The config file as shown to people. */
  readonly path: string;
  /** Absolute folder the ignore patterns are relative to. */
  readonly dir: string;
  readonly rules: ReadonlyMap<string, RuleSetting>;
  readonly ignore: readonly IgnorePattern[];
}

export class ConfigError extends UsageError {}

/** The nearest config file from `start` upwards, or undefined. */
export function findConfig(start: string): string | undefined {
  let d = resolve(start);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const p = join(d, name);
      if (existsSync(p)) return p;
    }
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

export function loadConfig(explicit: string | undefined, cwd: string, knownRules: ReadonlySet<string>): Config | undefined {
  const abs = explicit !== undefined ? resolve(cwd, explicit) : findConfig(cwd);
  if (abs === undefined) return undefined;
  const shown = toDisplayPath(cwd, abs);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`${shown}: ${code === 'ENOENT' ? 'no such config file' : (e as Error).message}`);
  }
  return parseConfig(text, shown, dirname(abs), knownRules);
}

const SETTINGS: Record<string, RuleSetting> = {
  off: { off: true },
  on: { off: false },
  error: { off: false, severity: 'error' },
  warning: { off: false, severity: 'warning' },
  warn: { off: false, severity: 'warning' },
  info: { off: false, severity: 'info' },
};

export function parseConfig(text: string, shown: string, dir: string, knownRules: ReadonlySet<string>): Config {
  const lines = new LineIndex(text);
  const fail = (offset: number, msg: string): never => {
    const p = lines.position(offset);
    throw new ConfigError(`${shown}:${p.line}:${p.column}: ${msg}`);
  };
  const at = (n: Node | null | undefined): number => n?.range?.[0] ?? 0;

  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) fail(err.pos[0], err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''));

  const rules = new Map<string, RuleSetting>();
  const ignore: IgnorePattern[] = [];
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { path: shown, dir, rules, ignore };
  if (!isMap(root)) fail(at(root), 'the config must be a mapping with `rules:` and `ignore:`');

  for (const item of (root as { items: Pair<Node, Node>[] }).items) {
    const key = isScalar(item.key) ? String(item.key.value) : '';
    if (key === 'rules') {
      if (item.value === null || (isScalar(item.value) && item.value.value === null)) continue;
      if (!isMap(item.value)) fail(at(item.value), '`rules` must map rule ids to off, on, error, warning or info');
      for (const r of (item.value as { items: Pair<Node, Node>[] }).items) {
        const id = isScalar(r.key) ? String(r.key.value) : '';
        const problem = unknownRule(id, knownRules);
        if (problem) fail(at(r.key), problem);
        const raw = isScalar(r.value) ? r.value.value : undefined;
        const word = raw === false ? 'off' : raw === true ? 'on' : typeof raw === 'string' ? raw.toLowerCase() : '';
        const setting = SETTINGS[word];
        if (!setting) fail(at(r.value) || at(r.key), `"${id}" must be off, on, error, warning or info (got ${describe(raw)})`);
        rules.set(id, setting!);
      }
    } else if (key === 'ignore') {
      if (item.value === null || (isScalar(item.value) && item.value.value === null)) continue;
      if (!isSeq(item.value)) fail(at(item.value), '`ignore` must be a list of paths or patterns, such as - "*.sample"');
      for (const p of (item.value as { items: Node[] }).items) {
        if (!isScalar(p) || typeof p.value !== 'string' || p.value.trim() === '' || p.value.trim() === '!') {
          fail(at(p), `each \`ignore\` entry must be a non-empty path or pattern (got ${describe(isScalar(p) ? p.value : p)})`);
        }
        ignore.push(compileIgnore((p as { value: string }).value));
      }
    } else {
      fail(at(item.key as Node), `unknown setting "${key}"; a config has \`rules:\` and \`ignore:\``);
    }
  }
  return { path: shown, dir, rules, ignore };
}

/**
 * A rule id the config may not name, and why. Registered rules and the engine's own ids are known;
 * readers also report ids of their own (`uwsgi/read-error`), which no registry lists, so an id of a
 * known family is accepted unless it is a near miss of a registered one (a typo).
 */
function unknownRule(id: string, known: ReadonlySet<string>): string | undefined {
  if (known.has(id)) return undefined;
  const hint = suggest(id, known);
  const family = /^([a-z0-9-]+)\/[a-z0-9-]+$/.exec(id)?.[1];
  const families = new Set<string>([...RULE_FAMILIES, ...[...known].filter((k) => k.includes('/')).map((k) => k.split('/')[0]!)]);
  if (!hint && family && families.has(family)) return undefined;
  return `unknown rule "${id}"${hint}; \`migrate rules\` lists them`;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'object') return 'a mapping or list';
  return String(v);
}

/** ` (did you mean "x"?)` for a near miss, by edit distance. */
function suggest(id: string, known: ReadonlySet<string>): string {
  let best: string | undefined;
  let bestD = Math.min(3, Math.max(1, Math.floor(id.length / 4))) + 1;
  for (const k of known) {
    const d = distance(id, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}
