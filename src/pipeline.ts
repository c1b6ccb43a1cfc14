import { ALL_RULES } from '../rules/index.js';
import { makeDocument, type Document, type SourceFile } from './core/document.js';
import { runRules, type EngineOptions, type EngineResult } from './core/engine.js';
import { compareFindings, type Finding } from './core/finding.js';
import type { ReadHost } from './core/host.js';
import type { Deployment } from './core/model.js';
import type { Rule } from './core/rule.js';
import type { Target } from './core/target.js';
import { confineHost } from './io/confine.js';
import { EMPTY_DECISIONS } from './model/build.js';
import { partitionDocuments } from './model/partition.js';
import { memoizeRealpath } from './run/memo-host.js';
import { loadServer, readBackThrough, readCreatedThrough, runServer, type ServerRun } from './run/server.js';
import { runServersInThreads, threadsWanted, type ThreadsChoice } from './run/threads.js';
import { readWalk, walkedTexts, type LoadIssue, type WalkedFile } from './run/walk.js';
import { UsageError } from './errors.js';

/** Defined in errors.ts so that the CLI's start-up does not load the pipeline; re-exported here. */
export { UsageError };
export type { LoadIssue };

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

/** The rule id of findings about files the walk did not read. */
export const FILE_SKIPPED = 'file-skipped';

/**
 * read -> detect -> parse, once per file. A file named explicitly that cannot be read or whose kind
 * is unknown stops the command; inside a directory such files are skipped.
 */
export function loadDeployment(paths: readonly string[], host: ReadHost): Loaded {
  return loadWithReaders(paths, host).loaded;
}

/** loadDeployment, and the confined host its readers read includes through. */
function loadWithReaders(paths: readonly string[], host: ReadHost): { loaded: Loaded; readers: ReadHost } {
  const walked = readWalk(paths, host);
  const readers = confineHost(host, walked.roots, walkedTexts(walked.files));
  const servers = serversOf(walked.files);
  const docs: Document[] = [];
  const deployments = servers.map((indexes) => {
    const d = loadServer(indexes.map((i) => walked.files[i]!), readers);
    indexes.forEach((at, k) => (docs[at] = d.documents[k]!));
    return d;
  });
  return { loaded: { deployment: unionOf(docs, deployments), deployments, skipped: walked.skipped, issues: walked.issues }, readers };
}

/**
 * The servers of a walk (src/model/partition.ts), as indexes into the walked files, each list in
 * walk order. Partitioning looks at paths and kinds only, so it runs before anything is parsed.
 */
function serversOf(files: readonly WalkedFile[]): number[][] {
  const stand = files.map((f) => makeDocument(f.file, f.kind, undefined));
  const at = new Map<Document, number>(stand.map((d, i) => [d, i]));
  return partitionDocuments(stand).map((part) => part.map((d) => at.get(d)!).sort((a, b) => a - b));
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

export interface AnalyseOptions {
  /**
   * Keep of each server only what reports read once its rules have run (lint): the parsed trees
   * are dropped server by server (src/run/server.ts), so `loaded.deployments` hold no trees.
   */
  readonly lean?: boolean;
  /** Lean runs only: analyse the servers of a large tree on two threads (src/run/threads.ts). */
  readonly threads?: ThreadsChoice;
}

export function analyse(
  paths: readonly string[],
  host: ReadHost,
  target: Target,
  disabled?: ReadonlySet<string>,
  rules: readonly Rule[] = ALL_RULES,
  options: AnalyseOptions = {},
): { loaded: Loaded; result: EngineResult } {
  const fileExists = (p: string): boolean => host.realpath(p) !== undefined;
  const engine: EngineOptions = { target, disabled, fileExists };
  let loaded: Loaded;
  let results: EngineResult[];
  if (options.lean) {
    ({ loaded, results } = analyseLean(paths, host, rules, engine, options.threads ?? 'auto'));
  } else {
    let readers: ReadHost;
    ({ loaded, readers } = loadWithReaders(paths, host));
    // A plan is read back before it is shown (core/read-back.ts); lint's lean path shows none.
    const checked: EngineOptions = { ...engine, readBack: readBackThrough(readers), readCreated: readCreatedThrough(readers) };
    results = loaded.deployments.map((d) => runRules(d, rules, checked));
  }
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

/** Server by server, each parsed, checked and dropped before the next (on two threads when it pays). */
function analyseLean(
  paths: readonly string[],
  host: ReadHost,
  rules: readonly Rule[],
  engine: EngineOptions,
  threads: ThreadsChoice,
): { loaded: Loaded; results: EngineResult[] } {
  const walked = readWalk(paths, host);
  const servers = serversOf(walked.files);
  const groups = servers.map((indexes) => indexes.map((i) => walked.files[i]!));
  const here = (() => {
    let readers: ReadHost | undefined;
    return (group: readonly WalkedFile[]): ServerRun =>
      runServer(group, (readers ??= confineHost(memoizeRealpath(host), walked.roots, walkedTexts(walked.files))), rules, engine);
  })();
  const runs =
    threadsWanted(threads, walked.files, groups.length) && rules === ALL_RULES
      ? runServersInThreads(groups, { cwd: host.cwd, env: host.env, roots: walked.roots, engine, forced: threads === 'on' }, here)
      : groups.map(here);
  const docs: Document[] = [];
  servers.forEach((indexes, s) => indexes.forEach((at, k) => (docs[at] = runs[s]!.deployment.documents[k]!)));
  const deployments = runs.map((r) => r.deployment);
  return {
    loaded: { deployment: unionOf(docs, deployments), deployments, skipped: walked.skipped, issues: walked.issues },
    results: runs.map((r) => r.result),
  };
}
