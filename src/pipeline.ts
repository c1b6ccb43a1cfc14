import { ALL_RULES } from '../rules/index.js';
import type { Document, SourceFile } from './core/document.js';
import { runRules, type EngineResult } from './core/engine.js';
import { compareFindings, type Finding } from './core/finding.js';
import type { ReadHost } from './core/host.js';
import type { Deployment } from './core/model.js';
import type { Rule } from './core/rule.js';
import type { Target } from './core/target.js';
import { detectKind } from './formats/detect.js';
import { parseAs } from './formats/parsers.js';
import { confineHost } from './io/confine.js';
import { discover } from './io/discover.js';
import { decodeUtf8, InvalidTextError, readBounded } from './io/host.js';
import { buildDeployment, EMPTY_DECISIONS } from './model/build.js';
import { partitionDocuments } from './model/partition.js';
import { decideMigration, UWSGI_EXTRACTORS } from './model/wiring.js';
import { UsageError } from './errors.js';

/** Defined in errors.ts so that the CLI's start-up does not load the pipeline; re-exported here. */
export { UsageError };

export interface Loaded {
  /** Every file read, as one view for reports, suppressions and apply (the union of `deployments`). */
  readonly deployment: Deployment;
  /** The servers found, each planned on its own model (src/model/partition.ts). */
  readonly deployments: readonly Deployment[];
  /** Files walked but not recognised (not an error in a directory walk). */
  readonly skipped: readonly string[];
  /**
   * What the walk did not read and must say so: a configuration file that is not UTF-8, an
   * unreadable or too large file, a link leaving the deployment. `analyse` reports them as findings.
   */
  readonly issues: readonly LoadIssue[];
}

export interface LoadIssue {
  /** Path as shown to people. */
  readonly file: string;
  readonly message: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly line?: number;
  readonly column?: number;
}

/** The rule id of findings about files the walk did not read. */
export const FILE_SKIPPED = 'file-skipped';

/**
 * read -> detect -> parse, once per file. A file named explicitly that cannot be read or whose kind
 * is unknown stops the command; inside a directory such files are skipped.
 */
export function loadDeployment(paths: readonly string[], host: ReadHost): Loaded {
  const found = discover(paths, host.cwd);
  if (found.errors.length) throw new UsageError(found.errors.join('\n'));
  const docs: Document[] = [];
  const skipped: string[] = [];
  const issues: LoadIssue[] = found.notices.map((n) => ({ file: host.displayPath(n.path), message: n.message, severity: n.severity }));
  const texts = new Map<string, string>();
  const readers = confineHost(host, found.roots, texts);
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
    const file: SourceFile = { path: shown, text: read.text, bom: read.text.charCodeAt(0) === 0xfeff };
    texts.set(abs, read.text);
    docs.push(parseAs(kind, file, readers));
  }
  const deployments = partitionDocuments(docs).map((part) => buildDeployment(part, UWSGI_EXTRACTORS, decideMigration));
  return { deployment: unionOf(docs, deployments), deployments, skipped, issues };
}

/** One deployment holding every file, secret and uWSGI section; decisions of the first server. */
function unionOf(docs: readonly Document[], parts: readonly Deployment[]): Deployment {
  if (parts.length === 1) return parts[0]!;
  const files = new Map<string, SourceFile>();
  for (const p of parts) for (const [k, v] of p.files) files.set(k, v);
  const main = parts.find((p) => p.uwsgi.length > 0) ?? parts[0];
  return {
    documents: docs,
    files,
    uwsgi: parts.flatMap((p) => p.uwsgi),
    decisions: main?.decisions ?? EMPTY_DECISIONS,
    secrets: [...new Set(parts.flatMap((p) => p.secrets))],
  };
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

/** Load issues as findings, so every renderer shows them with the file (and line). */
export function issueFindings(issues: readonly LoadIssue[]): Finding[] {
  return issues.map((i) => {
    const line = i.line ?? 1;
    const column = i.column ?? 1;
    return {
      ruleId: FILE_SKIPPED,
      severity: i.severity,
      file: i.file,
      range: { start: 0, end: 0 },
      location: { line, column, endLine: line, endColumn: column },
      message: i.message,
    };
  });
}

export function analyse(
  paths: readonly string[],
  host: ReadHost,
  target: Target,
  disabled?: ReadonlySet<string>,
  rules: readonly Rule[] = ALL_RULES,
): { loaded: Loaded; result: EngineResult } {
  const loaded = loadDeployment(paths, host);
  const fileExists = (p: string): boolean => host.realpath(p) !== undefined;
  const results = loaded.deployments.map((d) => runRules(d, rules, { target, disabled, fileExists }));
  const result: EngineResult =
    results.length === 1
      ? results[0]!
      : {
          findings: results.flatMap((r) => r.findings).sort(compareFindings),
          plan: {
            files: results.flatMap((r) => r.plan.files).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
            conflicts: results.flatMap((r) => r.plan.conflicts),
          },
        };
  if (!loaded.issues.length || disabled?.has(FILE_SKIPPED)) return { loaded, result };
  return { loaded, result: { ...result, findings: [...result.findings, ...issueFindings(loaded.issues)].sort(compareFindings) } };
}
